"""Framework loading: the YAML data files in this folder, or a council's own file.

Frameworks are data, not code: each is one YAML file (format in README.md,
"Writing your own framework"). The loader checks a file's shape and reports
the first problem with the file name, the line and the part in words, e.g.
`my-framework.yaml: line 9, module 2, theme 1: missing 'title'` (builder.py).

A shipped framework is read from its compiled JSON twin while the twin matches the
YAML's bytes (compiled_data.py, `make data`), so a run need not import PyYAML; the
Builder checks the data either way.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pipeline import compiled_data
from pipeline.errors import FrameworkFileError
from pipeline.frameworks.builder import (
    MAX_LIST_ITEMS,
    MAX_MODULES,
    MAX_POINTS,
    MAX_TEXT_CHARS,
    MAX_THEMES,
    MAX_TITLE_CHARS,
    Builder,
)
from pipeline.frameworks.file_checks import MAX_FILE_BYTES, UNCUT, read_text
from pipeline.i18n import N_, _
from pipeline.input_checks import printable_name
from pipeline.model import Framework
from pipeline.text import match_key

#: The shipped frameworks' labels and self-assessment levels, in the Welsh catalogue so a Welsh
#: plan prints them in Welsh; a council's own framework gives its Welsh words itself (`title_cy`).
FRAMEWORK_WORDS = (
    N_("Module"),
    N_("Modules"),
    N_("Theme"),
    N_("Themes"),
    N_("Improvement area"),
    N_("Building block"),
    N_("Building blocks"),
    N_("Framework points"),  # the hidden Lists sheet's heading (plural_noun of the label)
    N_("Not started"),
    N_("Developing"),
    N_("Achieving"),
    N_("Excellent"),
    N_("Work underway"),
    N_("Achieved"),
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LIST_ITEMS",
    "MAX_MODULES",
    "MAX_POINTS",
    "MAX_TEXT_CHARS",
    "MAX_THEMES",
    "MAX_TITLE_CHARS",
    "available",
    "find_named",
    "is_named",
    "load",
    "load_file",
    "offer",
    "parse",
    "shipped_files",
]


#: The shipped frameworks' files, in the package beside this module (as the locale and
#: templates are).
_FOLDER = Path(__file__).resolve().parent

#: Councils' own frameworks a workbook may name as it names a shipped one, by id: those
#: `eqplan serve --framework` was given (the web page has no option of its own to give one).
_OFFERED: dict[str, Framework] = {}


def offer(framework: Framework) -> None:
    """Let workbooks name framework (a council's own) as they name a shipped one, in this
    process. One with a shipped framework's id (load_file allows it only with that
    framework's structure: Welsh titles added, say) is used in its place."""
    _OFFERED[framework.id] = framework


def available() -> list[str]:
    """Ids of the frameworks shipped with eqplan, in a stable order, then any offered."""
    return [*_shipped_ids(), *sorted(set(_OFFERED) - set(_shipped_ids()))]


@functools.cache
def _shipped_ids() -> tuple[str, ...]:
    """The shipped frameworks' ids (the package's .yaml files), listed once."""
    return tuple(
        sorted(p.name.removesuffix(".yaml") for p in _FOLDER.iterdir() if p.name.endswith(".yaml"))
    )


def shipped_files() -> list[Path]:
    """The shipped frameworks' YAML files, the source of each (their JSON twins are made from them)."""
    return [_FOLDER / f"{framework_id}.yaml" for framework_id in _shipped_ids()]


def load(name_or_path: str | Path) -> Framework:
    """A shipped framework by id (`eflg-2021`), or by any name the Plan sheet accepts for it
    (`EFLG 2021`, its title), or a framework file by path."""
    text = str(name_or_path)
    if text in _OFFERED:
        return _OFFERED[text]
    if text in _shipped_ids():
        return _load_shipped(text)
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml", ".json") or path.exists():  # JSON is YAML
        return load_file(path)
    named = find_named(text)
    if named is not None:
        return named
    raise FrameworkFileError(
        f"Unknown framework '{text}'.",
        hint=f"Use one of: {', '.join(available())}, or the path of a framework .yaml file.",
        code="FRAMEWORK_UNKNOWN",
    )


def given(framework: Framework | str | Path | None) -> tuple[Framework | None, Path | None]:
    """A framework as a command or script gives it (loaded, a shipped id, or a framework
    file's path), loaded; and the file it came from (None for a shipped one), which no
    output may replace."""
    if framework is None or isinstance(framework, Framework):
        return framework, None
    shipped = str(framework) in available()
    return load(framework), None if shipped else Path(framework)


def find_named(name: str) -> Framework | None:
    """The shipped (or offered) framework a workbook names, by id, short title or title;
    None if unknown.

    A workbook can only ever choose a framework eqplan has: a path typed into a
    cell is never opened. Council frameworks are given with --framework.
    """
    offered = _named(name, list(_OFFERED.values()))
    return offered if offered is not None else _shipped_named(name)


def _shipped_named(name: str) -> Framework | None:
    """The shipped framework name names, or None.

    A name that is a shipped framework's id (what `eqplan template` writes in the Plan
    sheet) opens that framework's file only; any other name is looked for in every
    file. No shipped framework's short title or title is another's id, so the two
    ways agree (tests/frameworks check they do for every name).
    """
    key = match_key(name)
    for framework_id in _shipped_ids():
        if match_key(framework_id) == key:
            return _load_shipped(framework_id)
    return _named(name, [_load_shipped(i) for i in _shipped_ids()])


def _named(name: str, candidates: list[Framework]) -> Framework | None:
    key = match_key(name)
    for framework in candidates:
        if key in {
            match_key(framework.id),
            match_key(framework.short_title),
            match_key(framework.title),
        }:
            return framework
    return None


def is_named(name: str, framework: Framework) -> bool:
    """Whether a Plan sheet's Framework cell (an id, short title or title) names framework."""
    named = find_named(name)
    return match_key(named.id if named is not None else name) == match_key(framework.id)


@functools.cache
def _load_shipped(framework_id: str) -> Framework:
    """A shipped framework, from its JSON twin while the twin was made from this YAML."""
    name = f"{framework_id}.yaml"
    return compiled_data.load(
        _FOLDER / name,
        parse=functools.partial(parse, source_name=name),
        build=functools.partial(_built_from_twin, source_name=name),
    )


def _built_from_twin(data: Any, source_name: str) -> Framework | None:
    """The Framework a twin's data makes; None if the Builder refuses it, so that the YAML is
    parsed again and the refusal names its line (a twin holds no line numbers)."""
    try:
        return _built(Builder(source_name), data)
    except FrameworkFileError:
        return None


def _structure(framework: Framework) -> tuple:
    """What a workbook's rows are filed by: labels, levels, and every module, theme and point
    with its ref and title (descriptors, criteria and Welsh words may differ)."""
    return (
        framework.labels,
        framework.levels,
        framework.assessment_levels,
        tuple(
            (
                module.ref,
                module.title,
                tuple(
                    (theme.ref, theme.title, tuple((p.ref, p.level) for p in theme.points))
                    for theme in module.themes
                ),
            )
            for module in framework.modules
        ),
    )


def load_file(path: Path) -> Framework:
    """Load and check a framework file written by a council (refused if over 1 MB).

    A council's file may take the id of a shipped framework only while it keeps that
    framework's structure (adding Welsh titles, say): the workbooks made from it name
    that id, and a build without --framework uses the shipped framework, which would
    file their actions under other points and titles if the structure differed.
    """
    name = printable_name(path.name or str(path), UNCUT)
    framework = parse(read_text(path), source_name=name)
    shipped = _shipped_named(framework.id)
    if shipped is None or _structure(framework) == _structure(shipped):
        return framework
    raise FrameworkFileError(
        f"{name}: its id '{printable_name(framework.id, 60)}' belongs to the framework "
        f"shipped with eqplan ({shipped.short_title}), but its modules, themes, points or "
        "levels are not that framework's.",
        hint="Give your framework an id of its own (for example 'id: "
        f"{shipped.id}-our-council'), and type that id in the Framework cell of the Plan "
        "sheet of each workbook already made from this file; or, to use the shipped "
        f"framework, give --framework {shipped.id}.",
    )


def parse(text: str, source_name: str = "framework") -> Framework:
    """Build a Framework from YAML text, checking every key on the way."""
    from pipeline.frameworks.safe_yaml import load_yaml  # PyYAML: only when YAML is parsed

    data, lines = load_yaml(text, source_name)
    return _built(Builder(source_name, lines), data)


def yaml_data(text: str, source_name: str) -> Any:
    """The data of framework YAML text, parsed as parse() parses it (for its JSON twin)."""
    from pipeline.frameworks.safe_yaml import load_yaml

    return load_yaml(text, source_name)[0]


def point_words(framework: Framework) -> dict[str, str]:
    """How POINT_UNKNOWN names what an action is filed under, in the framework's own words and
    refs: `milestone or outcome`, `A1.1 or A1` (a framework with no points: its themes')."""
    labels, theme = framework.labels, framework.themes[0]
    point = next(iter(theme.points), None) or next(iter(framework.points), None)
    both = N_("%(point)s or %(theme)s")
    if point is None or match_key(labels.point) == match_key(labels.theme):
        what, example = _(labels.theme).lower(), theme.ref
    else:
        what = _(both) % {"point": _(labels.point).lower(), "theme": _(labels.theme).lower()}
        example = _(both) % {"point": point.ref, "theme": framework.theme_of(point).ref}
    label = _(labels.point if point is not None else labels.theme).lower()
    return {"framework": framework.short_title, "what": what, "point": label, "example": example}


def _built(builder: Builder, data: Any) -> Framework:
    """The Framework builder makes of data, every key checked (its own labels' Welsh,
    labels_cy, is used only while a plan of it is worked on: use_framework_words)."""
    return builder.framework(data)
