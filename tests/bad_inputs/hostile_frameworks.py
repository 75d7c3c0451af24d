"""Hostile cases: framework files (see hostile.py for the contract).

A council's framework file is untrusted: its text must land in workbooks as
text, and a file that is too big, repeats keys, uses aliases, is not UTF-8
text or is not a file at all is refused with one clear `Error:` line (exit 2)
before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.bad_inputs.hostile import HostileCase

# A small valid framework; {title} is the first theme's title.
FRAMEWORK = """id: testshire-objectives
title: Testshire equality objectives
modules:
  - ref: "1"
    title: Know our communities
    themes:
      - ref: "1.1"
        title: "{title}"
        descriptor: Profiles for every ward.
      - ref: "1.2"
        title: Listen to residents
"""
FORMULA_TITLE = "=cmd|' /C calc'!A0"
TEMPLATE = ["template", "--framework", "my.yaml", "-o", "t.xlsx"]


def _framework(data: str | bytes, args: list[str] = TEMPLATE) -> Callable[[Path], list[str]]:
    """A setup that writes data to my.yaml and returns args."""

    def setup(folder: Path) -> list[str]:
        path = folder / "my.yaml"
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return list(args)

    return setup


def _folder(folder: Path) -> list[str]:
    (folder / "my.yaml").mkdir()
    (folder / "my.yaml" / "inside.txt").write_text("not a framework", encoding="utf-8")
    return list(TEMPLATE)


def _oversized() -> str:
    theme = "      - ref: '{n}'\n        title: Theme number {n} with a long enough title\n"
    head = "id: big\ntitle: Big\nmodules:\n  - ref: M\n    title: M\n    themes:\n"
    return head + "".join(theme.format(n=n) for n in range(15_000))


def _alias_bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return "\n".join(lines) + "\nid: bomb\ntitle: Bomb\nmodules: *j\n"


def _plan_with(data: str) -> Callable[[Path], list[str]]:
    """A valid plan workbook and a framework file, built with that framework."""

    def setup(folder: Path) -> list[str]:
        from tests.conftest import write_plan_workbook

        write_plan_workbook(folder / "plan.xlsx")
        (folder / "my.yaml").write_text(data, encoding="utf-8")
        return ["build", "plan.xlsx", "--framework", "my.yaml", "-o", "out"]

    return setup


DUPLICATE_KEYS = FRAMEWORK.replace(
    "        title: Listen to residents\n",
    "        title: Listen to residents\n        title: Hear residents\n",
)

# Two modules with ref "1" (the second's title would head the first's actions), and theme
# refs that differ only in case or spacing (typing one files the action under the other).
DUPLICATE_MODULE = FRAMEWORK.replace(
    "        title: Listen to residents\n",
    "        title: Listen to residents\n"
    "  - ref: '1'\n    title: Second module\n    themes:\n"
    "      - ref: '2.1'\n        title: Theme two\n",
)
CASE_TWINS = FRAMEWORK.replace('- ref: "1.1"', '- ref: "Ward-1"').replace(
    '- ref: "1.2"', '- ref: "WARD-1"'
)
SPACED_REF = FRAMEWORK.replace('- ref: "1.1"', '- ref: "Ward 1"')
ALIAS_TWIN = FRAMEWORK.replace(
    "        title: Listen to residents\n",
    "        title: Listen to residents\n        aliases: ['WARD  profiles']\n",
)
LONG_TITLE = FRAMEWORK.replace("title: Testshire equality objectives", "title: " + "y" * 300)
BIG_YEAR = FRAMEWORK.replace("id: testshire", "year: " + "9" * 900_000 + "\nid: testshire")


CASES: list[HostileCase] = [
    HostileCase(
        name="framework_formula_title",
        about="a theme title that is a DDE formula becomes a text cell in the template",
        setup=_framework(FRAMEWORK.format(title=FORMULA_TITLE)),
        exit_code=0,
        says=("Wrote t.xlsx",),
    ),
    HostileCase(
        name="framework_oversized",
        about="a 1.4 MB framework file is refused before it is parsed",
        setup=_framework(_oversized()),
        exit_code=2,
        says=("my.yaml is larger than 1 MB", "shipped ones are under 60 KB"),
        must_not_exist=("t.xlsx",),
    ),
    HostileCase(
        name="framework_duplicate_keys",
        about="a theme with two titles: the second would silently win",
        setup=_framework(DUPLICATE_KEYS.format(title="Ward profiles")),
        exit_code=2,
        says=("my.yaml: line 12: the key 'title' appears twice in the same block",),
        must_not_exist=("t.xlsx",),
    ),
    HostileCase(
        name="framework_alias_bomb",
        about="a billion laughs: ten levels of aliases standing for 10^10 items",
        setup=_framework(_alias_bomb()),
        exit_code=2,
        says=("may not use anchors and aliases",),
        must_not_exist=("t.xlsx",),
        subprocess=True,
        timeout=30,
    ),
    HostileCase(
        name="framework_merge_keys",
        about="YAML merge keys (<<) copy whole blocks, another way to multiply a file",
        setup=_framework(
            "base: &b {title: T}\nid: x\ntitle: X\nmodules:\n  - <<: *b\n    ref: '1'\n"
        ),
        exit_code=2,
        says=("line 5: framework files may not use merge keys",),
    ),
    HostileCase(
        name="framework_not_utf8",
        about="a framework saved as Latin-1 (Windows 'ANSI')",
        setup=_framework(FRAMEWORK.format(title="Caf\u00e9 culture").encode("latin-1")),
        exit_code=2,
        says=(
            "my.yaml: line 8: this file is not UTF-8 text",
            "save it again with the encoding UTF-8",
        ),
        never_says=("codec",),
    ),
    HostileCase(
        name="framework_utf16",
        about="a framework saved as UTF-16 ('Unicode' in Notepad)",
        setup=_framework(FRAMEWORK.format(title="Ward profiles").encode("utf-16")),
        exit_code=2,
        says=("my.yaml is saved as UTF-16",),
    ),
    HostileCase(
        name="framework_is_a_folder",
        about="--framework names a folder",
        setup=_folder,
        exit_code=2,
        says=("my.yaml is a folder, not a framework file",),
        never_says=("Errno",),
    ),
    HostileCase(
        name="framework_is_binary",
        about="a picture renamed to .yaml",
        setup=_framework(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        exit_code=2,
        says=("my.yaml is not a text file",),
    ),
    HostileCase(
        name="framework_is_a_device",
        about="--framework /dev/zero: an endless file, never read into memory",
        setup=lambda folder: ["frameworks", "show", "/dev/zero"],
        exit_code=2,
        says=("is not a regular file",),
        subprocess=True,
        timeout=30,
    ),
    HostileCase(
        name="framework_top_level_list",
        about="a YAML list where the framework's keys should be",
        setup=_framework("- id: x\n- title: X\n", ["frameworks", "show", "my.yaml"]),
        exit_code=2,
        says=("must be a set of keys such as 'id:'", "but it holds a list"),
    ),
    HostileCase(
        name="framework_top_level_scalar",
        about="a YAML file holding one line of text",
        setup=_framework("just a sentence\n", ["frameworks", "show", "my.yaml"]),
        exit_code=2,
        says=("but it holds a single value",),
    ),
    HostileCase(
        name="framework_empty",
        about="an empty framework file",
        setup=_framework("", ["frameworks", "show", "my.yaml"]),
        exit_code=2,
        says=("my.yaml: the file is empty",),
    ),
    HostileCase(
        name="framework_deeply_nested",
        about="100,000 nested brackets, to exhaust a recursive parser",
        setup=_framework("id: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        exit_code=2,
        says=("not valid YAML", "exceeded maximum nesting depth"),
        subprocess=True,
        timeout=30,
    ),
    HostileCase(
        name="framework_terminal_escapes",
        about="escape sequences in a title would drive the terminal of whoever lists it",
        setup=_framework(
            FRAMEWORK.format(title="Ward\\e]0;owned\\a profiles\\e[2J\\x9b2J"),
            ["frameworks", "show", "my.yaml"],
        ),
        exit_code=0,
        says=("Ward]0;owned profiles[2J2J",),
        never_says=("\x1b", "\x07", "\x9b"),
    ),
    HostileCase(
        name="framework_python_tag",
        about="a !!python/object tag, which an unsafe loader would run",
        setup=_framework(
            "id: !!python/object/apply:os.system ['touch pwned']\ntitle: X\n",
            ["frameworks", "show", "my.yaml"],
        ),
        exit_code=2,
        says=(
            "line 1: the tag '!!python/object/apply:os.system'",
            "remove the tag",
        ),
        never_says=("Check the indentation",),
        must_not_exist=("pwned",),
    ),
    HostileCase(
        name="framework_tag_with_escape_codes",
        about="an unknown tag whose %-escapes decode to a terminal escape sequence",
        setup=_framework("id: !x%1b%5b2J\ntitle: X\n", ["frameworks", "show", "my.yaml"]),
        exit_code=2,
        says=("line 1: the tag '!x?[2J'",),
        never_says=("\x1b",),
    ),
    HostileCase(
        name="framework_repeated_key_with_escape_codes",
        about="a key holding a terminal escape sequence, repeated: the message shows it inert",
        setup=_framework(
            'id: x\ntitle: X\n"\\e]0;owned\\a": 1\n"\\e]0;owned\\a": 2\n',
            ["frameworks", "show", "my.yaml"],
        ),
        exit_code=2,
        says=("the key '?]0;owned?' appears twice",),
        never_says=("\x1b", "\x07"),
    ),
    HostileCase(
        name="framework_file_name_with_escape_codes",
        about="a framework file whose name holds a terminal escape sequence",
        setup=lambda folder: (
            (folder / "a\x1b[2Jb.yaml").write_text("id: [\n", encoding="utf-8"),
            ["frameworks", "show", "a\x1b[2Jb.yaml"],
        )[1],
        exit_code=2,
        says=("a?[2Jb.yaml",),
        never_says=("\x1b",),
    ),
    HostileCase(
        name="framework_duplicate_keys_on_build",
        about="build with a framework that repeats a key: nothing is written",
        setup=_plan_with(DUPLICATE_KEYS.format(title="Ward profiles")),
        exit_code=2,
        says=("line 12: the key 'title' appears twice",),
        must_not_exist=("out",),
    ),
    HostileCase(
        name="framework_duplicate_module_ref",
        about="two modules with ref '1': one section would be titled after the second",
        setup=_framework(DUPLICATE_MODULE.format(title="Ward profiles")),
        exit_code=2,
        says=("my.yaml: line 12, module 2: this module's ref '1' is used twice: module 1 has it",),
        must_not_exist=("t.xlsx",),
    ),
    HostileCase(
        name="framework_refs_differ_in_case",
        about="theme refs 'Ward-1' and 'WARD-1' are the same once case and spacing are ignored",
        setup=_framework(CASE_TWINS.format(title="Ward profiles")),
        exit_code=2,
        says=("module 1, theme 2: this theme's ref 'WARD-1' is used twice (the same as 'Ward-1'",),
        must_not_exist=("t.xlsx",),
    ),
    HostileCase(
        name="framework_ref_with_a_space",
        about="theme ref 'Ward 1': its dropdown entry 'Ward 1 Ward profiles' would be read as 'Ward'",
        setup=_framework(SPACED_REF.format(title="Ward profiles")),
        exit_code=2,
        says=("module 1, theme 1: this theme's ref 'Ward 1' has a space in it", "ref: 'Ward1'"),
        must_not_exist=("t.xlsx",),
    ),
    HostileCase(
        name="framework_alias_names_other_theme",
        about="an alias that is another theme's title: typing it would file actions by chance",
        setup=_framework(ALIAS_TWIN.format(title="Ward profiles")),
        exit_code=2,
        says=("'WARD  profiles' already names theme '1.1'",),
        must_not_exist=("t.xlsx",),
    ),
    HostileCase(
        name="framework_title_too_long",
        about="a 300-character title, past what a document's title may hold",
        setup=_framework(LONG_TITLE.format(title="Ward profiles")),
        exit_code=2,
        says=("my.yaml: line 2, 'title': the title is 300 characters long (the limit is 150)",),
        never_says=("Traceback",),
        must_not_exist=("t.xlsx",),
    ),
    HostileCase(
        name="framework_year_huge_number",
        about="a year of 900,000 digits, past Python's limit for turning digits into a number",
        setup=_framework(BIG_YEAR.format(title="Ward profiles")),
        exit_code=2,
        says=("my.yaml: line 1: the number here is 900,000 characters long",),
        never_says=("Traceback", "4300"),
        must_not_exist=("t.xlsx",),
        subprocess=True,
        timeout=60,
    ),
]
