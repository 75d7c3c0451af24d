"""Framework files load with the right structure, and a bad file is reported clearly (issue 2)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import openpyxl
import pytest
import yaml

from pipeline import frameworks
from pipeline.cli import cli
from pipeline.errors import FrameworkFileError
from pipeline.frameworks import builder, safe_yaml
from pipeline.model import Point
from pipeline.render.context_words import themes


def test_shipped_frameworks_are_listed():
    assert frameworks.available() == ["eflg-2014", "eflg-2021", "eif-wales-2011"]


def test_eflg_2021_has_4_modules_17_themes_51_points():
    fw = frameworks.load("eflg-2021")
    assert (len(fw.modules), len(fw.themes), len(fw.points)) == (4, 17, 51)
    assert [len(m.themes) for m in fw.modules] == [5, 4, 3, 5]
    for theme in fw.themes:
        assert [p.level for p in theme.points] == ["Developing", "Achieving", "Excellent"]
        assert [p.ref for p in theme.points] == [f"{theme.ref}.{n}" for n in (1, 2, 3)]
        for point in theme.points:
            assert point.descriptor and len(point.criteria) >= 1
            assert "<p>" not in point.descriptor and all("<p>" not in c for c in point.criteria)


def test_eflg_2021_point_text_is_the_reference_text():
    fw = frameworks.load("eflg-2021")
    point = fw.resolve("1.2")
    assert isinstance(point, Point)
    assert point.descriptor.startswith("Relevant, proportionate and appropriate information")
    assert "LGA" in fw.source or "Local Government Association" in fw.source


def test_eflg_2014_has_4_modules_18_themes():
    fw = frameworks.load("eflg-2014")
    assert (len(fw.modules), len(fw.themes), len(fw.points)) == (4, 18, 0)
    assert [len(m.themes) for m in fw.modules] == [5, 5, 3, 5]


def test_wales_has_every_building_block_with_aim_and_actions():
    fw = frameworks.load("eif-wales-2011")
    refs = [t.ref for t in fw.themes]
    expected = [f"1.{n}" for n in range(1, 5)] + [f"2.{n}" for n in range(1, 6)]
    expected += [f"3.{n}" for n in range(1, 7)] + [f"4.{n}" for n in range(1, 7)]
    assert refs == expected
    for block in fw.themes:
        assert block.descriptor, block.ref
        assert len(block.criteria) >= 4, block.ref
    derived = {t.ref for t in fw.themes if t.title_derived}
    assert derived == {"1.1", "2.2", "2.4", "3.2", "3.3", "3.4", "3.6", "4.1", "4.3", "4.5"}
    assert fw.labels.theme == "Building block"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.2", "1.2"),
        ("1.2 Collecting and sharing information - Achieving", "1.2"),
        ("6", "6"),
        ("Theme 6", "6"),
        ("collecting and sharing information", "1"),
        ("Collecting and sharing information - Excellent", "1.3"),
        ("Service delivery and design", "12"),  # the seed's heading wording, kept as an alias
        ("  17.3  ", "17.3"),
    ],
)
def test_points_resolve_from_the_forms_officers_type(typed, expected):
    assert frameworks.load("eflg-2021").resolve(typed).ref == expected


def test_unknown_point_does_not_resolve():
    assert frameworks.load("eflg-2021").resolve("18") is None
    assert frameworks.load("eflg-2021").resolve("Something else") is None


CUSTOM = """
id: testshire-objectives
title: Testshire equality objectives
modules:
  - ref: "A"
    title: Our communities
    themes:
      - ref: "A1"
        title: Know our residents
        descriptor: We understand who lives here.
        criteria: [Census analysed, Ward profiles published]
  - ref: "B"
    title: Our workforce
    themes:
      - ref: "B1"
        title: Fair pay
"""


def test_custom_framework_file_loads(tmp_path: Path):
    path = tmp_path / "custom.yaml"
    path.write_text(CUSTOM, encoding="utf-8")
    fw = frameworks.load(str(path))
    assert fw.id == "testshire-objectives"
    assert [t.ref for t in fw.themes] == ["A1", "B1"]
    assert fw.resolve("a1").title == "Know our residents"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: x\ntitle: X\n", "'modules' must be a non-empty list"),
        (
            "id: x\ntitle: X\nmodules:\n  - ref: '1'\n    themes:\n      - ref: '1'\n        title: T\n",
            "bad.yaml: line 4, module 1: missing 'title'",
        ),
        (
            "id: x\ntitle: X\nmodules:\n  - ref: '1'\n    title: M\n    themes:\n      - ref: '1'\n        tittle: T\n",
            "line 8, module 1, theme 1: unknown key 'tittle'",
        ),
        (
            "id: x\ntitle: X\nmodules:\n  - ref: 1.1\n    title: M\n    themes: [{ref: '1', title: T}]\n",
            "must be written in quotes",
        ),
        ("id: x\ntitle: [unclosed\n", "not valid YAML (line"),
        ("- just\n- a list\n", "but it holds a list"),
        (
            "id: x\ntitle: X\nlevels: [Developing]\nmodules:\n  - ref: '1'\n    title: M\n    themes:\n"
            "      - ref: '1'\n        title: T\n        points: [{ref: '1.1', level: Expert}]\n",
            "level 'Expert' is not one of Developing",
        ),
        (
            "id: x\ntitle: X\nmodules:\n  - ref: '1'\n    title: M\n    themes:\n"
            "      - {ref: '1', title: T}\n      - {ref: '1', title: U}\n",
            "this theme's ref '1' is used twice: module 1, theme 1 has it already (line 7)",
        ),
        (
            "id: x\ntitle: X\nassessment_levels: [Done]\nmodules:\n  - ref: '1'\n    title: M\n"
            "    themes: [{ref: '1', title: T}]\n",
            "'assessment_levels' must list at least two levels",
        ),
        (
            "id: x\ntitle: X\nassessment_levels: [Open, open]\nmodules:\n  - ref: '1'\n"
            "    title: M\n    themes: [{ref: '1', title: T}]\n",
            "lists the same level twice",
        ),
    ],
)
def test_malformed_framework_file_gives_clear_error(tmp_path: Path, text: str, message: str):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkFileError) as raised:
        frameworks.load(str(path))
    assert "bad.yaml" in raised.value.message
    assert message in raised.value.message


def test_unknown_framework_id_names_the_known_ones():
    with pytest.raises(FrameworkFileError) as raised:
        frameworks.load("eflg-2099")
    assert "eflg-2021" in raised.value.hint


def test_frameworks_declare_their_assessment_levels():
    eflg = ("Not started", "Developing", "Achieving", "Excellent")
    assert frameworks.load("eflg-2021").assessment_levels == eflg
    assert frameworks.load("eflg-2014").assessment_levels == eflg
    wales = frameworks.load("eif-wales-2011")
    assert wales.assessment_levels == ("Not started", "Work underway", "Achieved")
    assert wales.level("work  UNDERWAY").rank == 1
    assert wales.level("Developing") is None


def test_custom_framework_levels_or_the_eflg_four():
    base = "id: x\ntitle: X\nmodules:\n  - ref: '1'\n    title: M\n    themes: [{ref: '1', title: T}]\n"
    assert frameworks.parse(base).assessment_levels[-1] == "Excellent"
    own = frameworks.parse("assessment_levels: [Bronze, Silver, Gold]\n" + base)
    assert own.assessment_levels == ("Bronze", "Silver", "Gold")
    assert own.level("gold").rank == 2 and own.level("Excellent") is None


# ------------------------------------------------ hostile and damaged files (issue 9)

MINIMAL = "id: x\ntitle: X\nmodules:\n  - ref: '1'\n    title: M\n    themes:\n      - {ref: '1', title: T}\n"


def _load_text(tmp_path: Path, text: str, name: str = "my.yaml") -> FrameworkFileError:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkFileError) as raised:
        frameworks.load(str(path))
    return raised.value


@pytest.mark.parametrize("framework_id", frameworks.available())
def test_shipped_frameworks_load_with_the_strict_loader(framework_id):
    text = (Path(frameworks.__file__).parent / f"{framework_id}.yaml").read_text(encoding="utf-8")
    assert frameworks.parse(text, f"{framework_id}.yaml").id == framework_id


def test_strict_loader_keeps_the_c_parser():
    """The checks live in the Python constructor, so libyaml's speed is kept (3 ms, not 45 ms)."""
    if hasattr(yaml, "CSafeLoader"):
        assert issubclass(safe_yaml.StrictLoader, yaml.CSafeLoader)


def test_duplicate_key_is_refused_with_its_line(tmp_path: Path):
    text = MINIMAL.replace("    title: M\n", "    title: M\n    title: Again\n")
    error = _load_text(tmp_path, text)
    assert error.message == "my.yaml: line 6: the key 'title' appears twice in the same block."
    assert error.exit_code == 2


def test_duplicate_key_in_a_flow_mapping_is_refused(tmp_path: Path):
    error = _load_text(tmp_path, MINIMAL.replace("{ref: '1', title: T}", "{ref: '1', ref: '2'}"))
    assert "line 7: the key 'ref' appears twice" in error.message


def test_alias_bomb_fails_fast_with_a_clear_message(tmp_path: Path):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    error = _load_text(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1
    assert "line 1:" in error.message and "anchors and aliases" in error.message


def test_a_single_alias_is_refused(tmp_path: Path):
    text = MINIMAL.replace("title: M", "title: &m M\n    description: *m")
    assert "may not use anchors and aliases" in _load_text(tmp_path, text).message


def test_merge_key_is_refused(tmp_path: Path):
    text = "base: &b {ref: '1'}\nid: x\nmodules:\n  - <<: *b\n    title: M\n"
    assert "line 4: framework files may not use merge keys" in _load_text(tmp_path, text).message


def test_oversized_file_is_refused_before_parsing(tmp_path: Path, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(safe_yaml, "load_yaml", never)
    padding = "# padding\n" * (frameworks.MAX_FILE_BYTES // 10)
    error = _load_text(tmp_path, MINIMAL + padding)
    assert error.message == "my.yaml is larger than 1 MB, the limit for a framework file."


def test_file_just_under_the_limit_loads(tmp_path: Path):
    path = tmp_path / "my.yaml"
    path.write_text(MINIMAL + "#" * (frameworks.MAX_FILE_BYTES - len(MINIMAL) - 1) + "\n")
    assert path.stat().st_size == frameworks.MAX_FILE_BYTES
    assert frameworks.load(str(path)).id == "x"


def test_shipped_frameworks_are_far_below_the_size_limit():
    for path in Path(frameworks.__file__).parent.glob("*.yaml"):
        assert path.stat().st_size < frameworks.MAX_FILE_BYTES / 10, path.name


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"id: x\ntitle: caf\xe9\n", "my.yaml: line 2: this file is not UTF-8 text"),
        ("id: x\n".encode("utf-16"), "my.yaml is saved as UTF-16"),
        (b"PK\x03\x04\x00\x00binary", "my.yaml is not a text file"),
        (b"", "my.yaml: the file is empty"),
        (b"# only a comment\n", "my.yaml: the file is empty"),
        (b"- one\n- two\n", "but it holds a list"),
        (b"just some words\n", "but it holds a single value"),
        (b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "exceeded maximum nesting depth"),
    ],
)
def test_unusable_file_gives_clear_error(tmp_path: Path, data: bytes, message: str):
    path = tmp_path / "my.yaml"
    path.write_bytes(data)
    with pytest.raises(FrameworkFileError) as raised:
        frameworks.load(str(path))
    assert message in raised.value.message


def test_byte_order_mark_is_accepted(tmp_path: Path):
    path = tmp_path / "my.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert frameworks.load(str(path)).id == "x"


def test_folder_is_refused(tmp_path: Path):
    (tmp_path / "my.yaml").mkdir()
    with pytest.raises(FrameworkFileError) as raised:
        frameworks.load(str(tmp_path / "my.yaml"))
    assert raised.value.message == "my.yaml is a folder, not a framework file."


def test_device_is_refused():
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    with pytest.raises(FrameworkFileError) as raised:
        frameworks.load_file(Path("/dev/zero"))
    assert "is not a regular file" in raised.value.message


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        (f"title: {'x' * 10_001}", "module 1, theme 1, 'title': the text is 10,001"),
        (
            "title: T, criteria: [" + ", ".join(["c"] * 201) + "]",
            "'criteria' has 201 items (the limit is 200)",
        ),
    ],
)
def test_structure_limits(tmp_path: Path, replace: str, message: str):
    assert message in _load_text(tmp_path, MINIMAL.replace("title: T", replace)).message


def test_too_many_modules_is_refused(tmp_path: Path):
    module = "  - ref: '{n}'\n    title: M\n    themes: [{{ref: 't{n}', title: T}}]\n"
    text = "id: x\ntitle: X\nmodules:\n" + "".join(module.format(n=n) for n in range(101))
    assert "'modules' has 101 items (the limit is 100)" in _load_text(tmp_path, text).message


def test_too_many_points_is_refused(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(builder, "MAX_POINTS", 3)
    points = ", ".join(f"{{ref: 'p{n}', level: L}}" for n in range(4))
    text = MINIMAL.replace("title: T}", f"title: T, points: [{points}]}}")
    assert "more than 3 points" in _load_text(tmp_path, text).message


def test_control_characters_are_removed_from_framework_text(tmp_path: Path):
    path = tmp_path / "my.yaml"
    path.write_text(MINIMAL.replace("title: T", 'title: "T\\x01\\e[31m\\x9b2J"'), "utf-8")
    assert frameworks.load(str(path)).themes[0].title == "T[31m2J"


def test_the_noncharacters_eqplan_marks_english_with_are_removed_from_framework_text(tmp_path):
    """They would be taken as marks of English in a Welsh document (render/english_parts.py)."""
    path = tmp_path / "my.yaml"
    path.write_text(MINIMAL.replace("title: T", 'title: "T\\ufdd0ext\\ufdd1"'), "utf-8")
    assert frameworks.load(str(path)).themes[0].title == "Text"


def test_readme_states_the_limits_the_loader_applies():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Writing your own framework", 1)[1].split("\n## ", 1)[0]
    assert frameworks.MAX_FILE_BYTES == 1_000_000 and "larger than 1 MB" in section
    for limit, words in (
        (frameworks.MAX_MODULES, "modules"),
        (frameworks.MAX_THEMES, "themes"),
        (frameworks.MAX_POINTS, "points"),
        (frameworks.MAX_LIST_ITEMS, "items"),
        (frameworks.MAX_TEXT_CHARS, "characters"),
    ):
        assert re.search(rf"{limit:,} {words}", section.replace("\n", " ")), (limit, words)


def test_text_like_an_excel_escape_is_kept_as_written(tmp_path: Path):
    path = tmp_path / "my.yaml"
    path.write_text(MINIMAL.replace("title: T", "title: Code _x0041_"), "utf-8")
    assert frameworks.load(str(path)).themes[0].title == "Code _x0041_"


@pytest.mark.parametrize("taken", ["eflg-2021", "EFLG 2014"])
def test_a_council_file_may_not_take_a_shipped_frameworks_id(tmp_path, taken):
    """An adapted copy of a shipped file keeps its `id:`; its workbooks would then be built
    against the shipped framework, filing actions under the wrong points and titles."""
    error = _load_text(tmp_path, MINIMAL.replace("id: x", f"id: {taken}"))
    assert "my.yaml" in error.message and "belongs to the framework shipped" in error.message
    assert "id of its own" in error.hint


def test_a_copy_of_a_shipped_file_may_keep_its_id_while_it_keeps_its_structure(tmp_path):
    """Welsh titles added to a copy change nothing a workbook is filed by; a theme renamed does."""
    shipped = (Path(frameworks.__file__).parent / "eflg-2021.yaml").read_text(encoding="utf-8")
    english = "    title: Collecting and sharing information\n"
    assert shipped.count(english) == 1
    copy = tmp_path / "copy.yaml"
    copy.write_text(shipped.replace(english, english + "    title_cy: Casglu\n"), "utf-8")
    assert frameworks.load(str(copy)).welsh["theme:1"] == "Casglu"
    copy.write_text(shipped.replace(english, "    title: Our own theme\n"), "utf-8")
    with pytest.raises(FrameworkFileError, match="not that framework's"):
        frameworks.load(str(copy))


README_EXAMPLE_LABELS = """id: testshire-objectives
title: Testshire equality objectives
labels: {module: Priority, theme: Objective, point: Step}
modules:
  - ref: "1"
    title: Know our communities
    themes:
      - ref: "1.1"
        title: Publish ward profiles
        descriptor: Ward profiles are published.
        criteria: [Census analysed]
        points:
          - {ref: "1.1.1", level: Developing, descriptor: Census read., criteria: [Tables made]}
"""


def test_show_counts_in_the_frameworks_own_words_and_keeps_a_themes_own_text(tmp_path, runner):
    path = tmp_path / "ours.yaml"
    path.write_text(README_EXAMPLE_LABELS, encoding="utf-8")
    result = runner.invoke(cli, ["frameworks", "show", str(path), "--criteria"])
    assert result.exit_code == 0, result.output
    assert "1 priority, 1 objective, 1 step." in result.output
    for text in ("Aim: Ward profiles are published.", "- Census analysed", "- Tables made"):
        assert text in result.output, text
    assert themes("Priority") == "Priorities"


@pytest.mark.parametrize("name", ["EFLG-2021", "EFLG 2021", "eflg 2021"])
def test_framework_option_takes_the_names_the_plan_sheet_takes(name):
    assert frameworks.load(name) is frameworks.load("eflg-2021")


def _every_shipped_name() -> list[str]:
    shipped = [frameworks.load(i) for i in frameworks.available()]
    names = [n for fw in shipped for n in (fw.id, fw.short_title, fw.title)]
    return [*names, *(n.upper() for n in names), "EFLG-2021", "no such framework"]


@pytest.mark.parametrize("name", _every_shipped_name())
def test_a_shipped_framework_named_by_its_id_is_the_one_every_file_would_give(name, monkeypatch):
    """find_named opens only the file of a shipped id (issue 17): it gives what looking
    through every shipped framework, offered ones first, gives, for any name."""
    monkeypatch.setattr(frameworks, "_OFFERED", {})
    every = [frameworks._load_shipped(i) for i in frameworks._shipped_ids()]
    assert all(fw.id == i for fw, i in zip(every, frameworks._shipped_ids(), strict=True))
    assert frameworks.find_named(name) is frameworks._named(name, every)


def test_an_offered_framework_is_found_before_a_shipped_one_of_its_id(monkeypatch):
    monkeypatch.setattr(frameworks, "_OFFERED", {})
    own = frameworks.parse(MINIMAL.replace("id: x", "id: eflg-2021"), "own.yaml")
    frameworks.offer(own)
    assert frameworks.find_named("eflg-2021") is own
    assert frameworks.find_named("EFLG 2014") is frameworks.load("eflg-2014")


def test_the_reference_sheet_keeps_a_themes_own_text_beside_its_points(tmp_path, runner):
    path, book = tmp_path / "ours.yaml", tmp_path / "plan.xlsx"
    path.write_text(README_EXAMPLE_LABELS, encoding="utf-8")
    result = runner.invoke(cli, ["template", "--framework", str(path), "-o", str(book)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(book)["Reference"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_col=6)]
    assert rows[0][0] == "1.1" and rows[0][4] == "Ward profiles are published."
    assert rows[0][5] == "• Census analysed"
    assert rows[1][0] == "1.1.1" and rows[1][3] == "Developing"


def test_a_tab_used_for_indenting_is_named_with_its_fix(tmp_path: Path):
    error = _load_text(tmp_path, MINIMAL.replace("\n    title: M", "\n\ttitle: M"))
    assert "a tab character" in error.message and "line 5" in error.message
    assert "Indent with spaces" in error.hint


def test_a_problem_names_the_line_and_counts_parts_from_one(tmp_path: Path):
    """Two modules; the second's theme has no title: line 11, module 2, theme 1."""
    text = MINIMAL + "  - ref: '2'\n    title: N\n    themes:\n      - ref: '2.1'\n"
    error = _load_text(tmp_path, text)
    assert error.message == "my.yaml: line 11, module 2, theme 1: missing 'title'"


@pytest.mark.parametrize("value", ["[a, b]", "{x: 1}", "2026-01-01"])
def test_a_text_key_holding_something_else_names_its_own_line(tmp_path: Path, value):
    """`source_cy: [a, b]` on line 10 was reported at line 1 (the file's first block)."""
    text = MINIMAL.rstrip("\n") + f"\nsource_cy: {value}\n"
    line = text.count("\n")
    error = _load_text(tmp_path, text)
    assert error.message.startswith(f"my.yaml: line {line}: 'source_cy' must be text")


@pytest.mark.parametrize("key", ["labels", "labels_cy"])
@pytest.mark.parametrize("value", ["[]", "0", "false"])
def test_labels_that_are_not_a_mapping_are_refused_even_when_empty(tmp_path: Path, key, value):
    """`labels_cy: []` was taken as no labels without a word (`[a]` was refused)."""
    error = _load_text(tmp_path, MINIMAL.rstrip("\n") + f"\n{key}: {value}\n")
    assert "expected a mapping of keys" in error.message and key in error.message


@pytest.mark.parametrize("which", ["module", "theme"])
def test_a_module_or_theme_title_over_the_limit_is_refused_at_its_line(tmp_path: Path, which):
    """An attacker's review: only the framework's own titles were held to the 150 characters
    README promises; a theme title of 9,990 characters went into every document."""
    long = "L" * 151
    if which == "module":
        text = MINIMAL.replace("    title: M\n", f"    title: {long}\n")
        where = "line 5, module 1, 'title'"
    else:
        text = MINIMAL.replace("{ref: '1', title: T}", f"{{ref: '1', title: {long}}}")
        where = "line 7, module 1, theme 1, 'title'"
    error = _load_text(tmp_path, text)
    assert error.message == f"my.yaml: {where}: the title is 151 characters long (the limit is 150)"
    at_limit = tmp_path / "at-limit.yaml"
    at_limit.write_text(text.replace(long, "L" * 150), encoding="utf-8")
    assert frameworks.load(str(at_limit)).modules[0].themes


def test_a_wrong_list_names_its_own_line_not_its_blocks(tmp_path: Path):
    """`themes: {a: 1}` on line 6 was reported at line 4 (its module's), `modules: x` at 1."""
    themes = MINIMAL.replace("    themes:\n      - {ref: '1', title: T}\n", "    themes: {a: 1}\n")
    error = _load_text(tmp_path, themes)
    assert error.message == "my.yaml: line 6, module 1: 'themes' must be a non-empty list"
    error = _load_text(tmp_path, "id: x\ntitle: X\nmodules: hello\n")
    assert error.message == "my.yaml: line 3: 'modules' must be a non-empty list"


@pytest.mark.parametrize(
    ("added", "expected"),
    [
        ("x: 1", "unknown key 'x'"),
        ("assessment_levels: [Done]", "must list at least two levels"),
        ("assessment_levels: [Done, done]", "lists the same level twice"),
        # An attacker's review: these too were reported at line 1.
        ("year: true", "'year' must be a whole number"),
        ("year: '2026'", "'year' must be a whole number"),
        ("year: 1066", "'year' must be a year from"),
        ("assessment_levels: [1, null]", "'assessment_levels' must be a list of text items"),
    ],
)
def test_a_top_level_problem_names_its_own_line(tmp_path: Path, added, expected):
    """An unknown key, too few levels or a wrong year at the end of the file was reported
    at line 1."""
    text = MINIMAL.rstrip("\n") + f"\n{added}\n"
    error = _load_text(tmp_path, text)
    assert error.message.startswith(f"my.yaml: line {text.count(chr(10))}: ")
    assert expected in error.message
