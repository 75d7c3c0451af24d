"""Checking a framework file's shape as it is turned into a Framework, part by part.

Each problem names the file, the line of the block it is in and the part in words, for
example `ours.yaml: line 12, module 1, theme 2: missing 'title'`: an officer counts
modules and themes from 1 and finds the line in a text editor.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from pipeline.errors import FrameworkFileError
from pipeline.i18n import WORD
from pipeline.levels import DEFAULT_ASSESSMENT_LEVELS
from pipeline.model import Framework, Labels, Module, Point, Theme
from pipeline.text import clean_text, match_key, plural_noun

# Limits far above any real framework (the largest shipped one has 4 modules,
# 21 themes, 51 points, lists of 15 items and texts of 615 characters) that
# keep a hostile file from making the template or the plan enormous.
MAX_MODULES = 100
MAX_THEMES = 1_000
MAX_POINTS = 5_000
MAX_LIST_ITEMS = 200
MAX_TEXT_CHARS = 10_000
#: A framework's year: four digits, so a hostile number never reaches a document.
YEARS = range(1900, 2201)
#: Word and Excel keep a document's title (and so a framework's title) to 255 characters;
#: the plan's title also holds the council's name, so a framework title stops well short.
MAX_TITLE_CHARS = 150
_FRAMEWORK_KEYS = {
    "id",
    "title",
    "short_title",
    "publisher",
    "year",
    "source",
    "labels",
    "levels",
    "assessment_levels",
    "modules",
    "title_cy",
    "source_cy",
    "labels_cy",
}
# `title_cy`, `descriptor_cy`: the Welsh, printed in documents built in Welsh (issue 15).
_MODULE_KEYS = {"ref", "title", "description", "themes", "title_cy"}
_THEME_KEYS = {"ref", "title", "aliases", "title_derived", "descriptor", "criteria", "points"}
_THEME_KEYS |= {"title_cy", "descriptor_cy"}
_POINT_KEYS = {"ref", "level", "descriptor", "criteria", "descriptor_cy"}
_LABEL_KEYS = {"module", "theme", "point"}
#: `labels_cy`: the Welsh of a council's own labels (`Priority`), singular and plural.
_WELSH_LABEL_KEYS = {"module", "modules", "theme", "themes", "point", "points"}


class Lines(NamedTuple):
    """Where a block of keys is in the file: the line it starts on, and each key's line."""

    block: int
    keys: dict[str, int]


class Builder:
    """Walks the parsed YAML, keeping the key path for error messages."""

    def __init__(self, source_name: str, lines: dict[int, Lines] | None = None) -> None:
        self.source = source_name
        self.lines = lines or {}  # id() of each parsed mapping -> where it and its keys are
        self.line_of: dict[str, int] = {}  # key path -> the line of its block
        self.first_use: dict[str, str] = {}  # ref key -> the key path that used it first
        # Refs are matched as officers type them (match_key: case and spacing folded),
        # so two refs with the same key would be ambiguous: the key is what is kept.
        self.module_refs: dict[str, str] = {}
        self.point_refs: dict[str, str] = {}
        self.theme_refs: dict[str, str] = {}
        self.names: dict[str, str] = {}  # theme titles and aliases, by key -> theme ref
        self.welsh: dict[str, str] = {}  # the Welsh the file gives, as Framework.welsh keeps it

    def fail(self, path: str, message: str, key: str = "") -> FrameworkFileError:
        """The error at path (its parts counted from 1), on the line of its key when given."""
        line = self.line(f"{path}.{key}" if path and key else key or path)
        place = [f"line {line}"] if line else []
        place += [shown_path(path)] if path else []
        where = f"{', '.join(place)}: " if place else ""
        return FrameworkFileError(
            f"{self.source}: {where}{message}",
            hint="See 'Writing your own framework' in README.md for the file format.",
        )

    def line(self, path: str) -> int:
        """The line of the innermost block of path that the file has (0 when none is known)."""
        while True:
            if path in self.line_of:
                return self.line_of[path]
            if not path:
                return 0
            path = path[: max(path.rfind("."), path.rfind("["), 0)]

    def mapping(self, value: Any, path: str, allowed: set[str]) -> dict:
        found = self.lines.get(id(value))
        if found is not None:
            self.line_of[path] = found.block
            for key, line in found.keys.items():
                self.line_of[f"{path}.{key}" if path else key] = line
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a mapping of keys, found {type(value).__name__}")
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            raise self.fail(
                path,
                f"unknown key '{unknown[0]}' (allowed: {', '.join(sorted(allowed))})",
                unknown[0],
            )
        return value

    def text(self, data: dict, key: str, path: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(path, f"missing '{key}'")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(path, f"'{key}' must be text{_read_as(value)}", key)
        return self.clean(str(value), f"{path}.{key}" if path else key)

    def clean(self, text: str, path: str) -> str:
        """Text without control characters (Word, Excel and terminals) or the noncharacters
        eqplan keeps for its own use (text.clean_text, as for a workbook's cells), within the
        length limit."""
        if len(text) > MAX_TEXT_CHARS:
            raise self.fail(
                path, f"the text is {len(text):,} characters long (the limit is {MAX_TEXT_CHARS:,})"
            )
        return clean_text(text)[0].strip()

    def ref(self, data: dict, path: str) -> str:
        value = data.get("ref")
        if isinstance(value, float):
            raise self.fail(path, f"'ref' {value} must be written in quotes, e.g. ref: '{value}'")
        return self.text(data, "ref", path)

    def typed_ref(self, data: dict, path: str, what: str) -> str:
        """A theme's or point's ref, which officers type as the first word of a Framework point
        cell (Framework.resolve): so one word, not ending in '.' or ':' (read as punctuation)."""
        ref = self.ref(data, path)
        if len(ref.split()) > 1 or ref.endswith((".", ":")):
            word = "".join(ref.split()).rstrip(".:") or "1"
            found = "has a space in it" if len(ref.split()) > 1 else "ends in '.' or ':'"
            raise self.fail(
                path,
                f"this {what}'s ref '{ref}' {found}; a ref must be one word, not ending in '.' "
                "or ':', as officers type it as the first word of an action's Framework point "
                f"(for example ref: '{word}')",
                "ref",
            )
        return ref

    def strings(self, data: dict, key: str, path: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            items = value if isinstance(value, list) else []  # `levels: yes` is not a list
            item = next((v for v in items if not isinstance(v, str)), "")
            raise self.fail(path, f"'{key}' must be a list of text items{_read_as(item)}", key)
        if len(value) > MAX_LIST_ITEMS:
            raise self.fail(
                path, f"'{key}' has {len(value):,} items (the limit is {MAX_LIST_ITEMS})", key
            )
        where = f"{path}.{key}" if path else key
        cleaned = (self.clean(v, f"{where}[{i}]") for i, v in enumerate(value))
        return tuple(v for v in cleaned if v)

    def items(self, data: dict, key: str, path: str, limit: int) -> list:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(path, f"'{key}' must be a non-empty list", key)
        if len(value) > limit:
            raise self.fail(path, f"'{key}' has {len(value):,} items (the limit is {limit:,})", key)
        return value

    def count(self, refs: dict[str, str], what: str, limit: int, path: str) -> None:
        if len(refs) > limit:
            raise self.fail(path, f"the file has more than {limit:,} {what} (the limit)")

    def unique(self, ref: str, path: str, what: str, *taken: dict[str, str]) -> dict[str, str]:
        """Refuse a ref that matches one already used (ignoring case and spacing); its key."""
        key = match_key(ref)
        for refs in taken:
            if key in refs:
                same = (
                    ""
                    if refs[key] == ref
                    else f" (the same as '{refs[key]}' once case and spacing are ignored)"
                )
                first = self.first_use.get(key, "")
                where = f"{shown_path(first)} has it already" if first else "it is used already"
                line = self.line(first)
                where += f" (line {line})" if line else ""
                raise self.fail(path, f"this {what}'s ref '{ref}' is used twice{same}: {where}")
        self.first_use[key] = path
        return {key: ref}

    def short(self, text: str, path: str) -> str:
        """A title, refused if longer than a document's title may be."""
        if len(text) > MAX_TITLE_CHARS:
            raise self.fail(
                path, f"the title is {len(text):,} characters long (the limit is {MAX_TITLE_CHARS})"
            )
        return text

    def framework(self, data: Any) -> Framework:
        if data is None:
            raise self.fail("", "the file is empty")
        if not isinstance(data, dict):
            found = "a list" if isinstance(data, list) else "a single value"
            raise self.fail(
                "",
                f"the file must be a set of keys such as 'id:', 'title:' and 'modules:', "
                f"but it holds {found}",
            )
        data = self.mapping(data, "", _FRAMEWORK_KEYS)
        labels_data = self.mapping(_given(data, "labels"), "labels", _LABEL_KEYS)
        labels = Labels(
            **{
                str(k): text
                for k in labels_data
                if (text := self.text(labels_data, str(k), "labels", required=False))
            }
        )
        levels = self.strings(data, "levels", "")
        self.levels = levels
        modules = tuple(
            self.module(m, f"modules[{i}]")
            for i, m in enumerate(self.items(data, "modules", "", MAX_MODULES))
        )
        assessment_levels = self.assessment_levels(data)
        year = data.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            raise self.fail("", "'year' must be a whole number", "year")
        if year is not None and year not in YEARS:
            raise self.fail("", f"'year' must be a year from {YEARS[0]} to {YEARS[-1]}", "year")
        title = self.short(self.text(data, "title", ""), "title")
        short_title = self.text(data, "short_title", "", required=False)
        welsh = self.welsh_text(data, "framework", "", "")
        if source_cy := self.text(data, "source_cy", "", required=False):
            welsh["source"] = source_cy  # the note of where the text comes from, in Welsh
        welsh.update(self.welsh_labels(data, labels))
        return Framework(
            id=self.framework_id(data),
            title=title,
            short_title=self.short(short_title, "short_title") or title,
            publisher=self.text(data, "publisher", "", required=False),
            year=year,
            source=self.text(data, "source", "", required=False),
            labels=labels,
            levels=levels,
            modules=modules,
            assessment_levels=assessment_levels,
            welsh=welsh,
        )

    def framework_id(self, data: dict) -> str:
        """The id, one line: a Plan sheet cell holds it, and web downloads are named after it."""
        framework_id = self.text(data, "id", "")
        if len(framework_id.splitlines()) > 1 or len(framework_id) > MAX_TITLE_CHARS:
            raise self.fail(
                "",
                f"'id' must be one line of at most {MAX_TITLE_CHARS} characters, such as "
                "id: our-council-objectives",
                "id",
            )
        return framework_id

    def welsh_labels(self, data: dict, labels: Labels) -> dict[str, str]:
        """`word:Priority` -> its Welsh, for each label `labels_cy` gives (plurals as
        plural_noun makes them from the English: `Priorities`)."""
        given = self.mapping(_given(data, "labels_cy"), "labels_cy", _WELSH_LABEL_KEYS)
        words = {}
        for key in given:
            welsh = self.text(given, str(key), "labels_cy", required=False)
            english = getattr(labels, str(key).removesuffix("s"))
            if welsh:
                words[WORD + (english if key in _LABEL_KEYS else plural_noun(english))] = welsh
        return words

    def welsh_text(self, data: dict, kind: str, ref: str, path: str) -> dict[str, str]:
        """Keep the Welsh a part gives (`title_cy`, `descriptor_cy`) as `theme:1.2`; all so far."""
        for key in ("title_cy", "descriptor_cy"):
            text = self.text(data, key, path, required=False)
            if text:
                name = kind if key == "title_cy" else f"{kind}-descriptor"
                self.welsh[f"{name}:{ref}" if ref else name] = text
        return dict(self.welsh)

    def assessment_levels(self, data: dict) -> tuple[str, ...]:
        """The self-assessment levels, lowest first; the EFLG four when the file gives none."""
        if data.get("assessment_levels") is None:
            return DEFAULT_ASSESSMENT_LEVELS
        levels = self.strings(data, "assessment_levels", "")
        if len(levels) < 2:
            raise self.fail(
                "",
                "'assessment_levels' must list at least two levels, lowest first",
                "assessment_levels",
            )
        keys = [match_key(level) for level in levels]
        if len(set(keys)) != len(keys):
            raise self.fail(
                "", "'assessment_levels' lists the same level twice", "assessment_levels"
            )
        return levels

    def module(self, data: Any, path: str) -> Module:
        data = self.mapping(data, path, _MODULE_KEYS)
        ref = self.ref(data, path)
        self.module_refs.update(self.unique(ref, path, "module", self.module_refs))
        themes = tuple(
            self.theme(t, f"{path}.themes[{i}]", ref)
            for i, t in enumerate(self.items(data, "themes", path, MAX_THEMES))
        )
        self.welsh_text(data, "module", ref, path)
        return Module(
            ref=ref,
            title=self.short(self.text(data, "title", path), f"{path}.title"),
            description=self.text(data, "description", path, required=False),
            themes=themes,
        )

    def theme(self, data: Any, path: str, module_ref: str) -> Theme:
        data = self.mapping(data, path, _THEME_KEYS)
        ref = self.typed_ref(data, path, "theme")
        self.theme_refs.update(self.unique(ref, path, "theme", self.theme_refs, self.point_refs))
        self.count(self.theme_refs, "themes", MAX_THEMES, path)
        title = self.short(self.text(data, "title", path), f"{path}.title")
        points_data = data.get("points") or []
        if not isinstance(points_data, list):
            raise self.fail(path, "'points' must be a list", "points")
        points = tuple(
            self.point(p, f"{path}.points[{i}]", ref, title) for i, p in enumerate(points_data)
        )
        derived = data.get("title_derived", False)
        if not isinstance(derived, bool):
            raise self.fail(path, "'title_derived' must be true or false", "title_derived")
        aliases = self.strings(data, "aliases", path)
        self.theme_names(ref, (title, *aliases), path)
        self.welsh_text(data, "theme", ref, path)
        return Theme(
            ref=ref,
            title=title,
            module_ref=module_ref,
            descriptor=self.text(data, "descriptor", path, required=False),
            criteria=self.strings(data, "criteria", path),
            points=points,
            aliases=aliases,
            title_derived=derived,
        )

    def theme_names(self, ref: str, names: tuple[str, ...], path: str) -> None:
        """Refuse a title or alias that already names another theme: typing it would be ambiguous."""
        for name in names:
            key = match_key(name)
            other = self.names.setdefault(key, ref)
            if other != ref:
                raise self.fail(
                    path, f"'{name}' already names theme '{other}'; a name may belong to one theme"
                )

    def point(self, data: Any, path: str, theme_ref: str, theme_title: str) -> Point:
        data = self.mapping(data, path, _POINT_KEYS)
        ref = self.typed_ref(data, path, "point")
        self.point_refs.update(self.unique(ref, path, "point", self.point_refs, self.theme_refs))
        self.count(self.point_refs, "points", MAX_POINTS, path)
        level = self.text(data, "level", path)
        if self.levels and level not in self.levels:
            raise self.fail(path, f"level '{level}' is not one of {', '.join(self.levels)}")
        self.welsh_text(data, "point", ref, path)
        return Point(
            ref=ref,
            theme_ref=theme_ref,
            theme_title=theme_title,
            level=level,
            descriptor=self.text(data, "descriptor", path, required=False),
            criteria=self.strings(data, "criteria", path),
        )


#: How a list in a framework file names one of its items, counted from 1 as officers count.
_ITEM_WORDS = {"modules": "module", "themes": "theme", "points": "point"}
_ITEM = re.compile(r"^(\w+)\[(\d+)\]$")


def shown_path(path: str) -> str:
    """A key path in words: `modules[0].themes[1].title` -> `module 1, theme 2, 'title'`."""
    words = []
    for part in path.split("."):
        item = _ITEM.match(part)
        if item:
            name, index = item.group(1), int(item.group(2)) + 1
            words.append(
                f"{_ITEM_WORDS[name]} {index}" if name in _ITEM_WORDS else f"'{name}' item {index}"
            )
        else:
            words.append(f"'{part}'")
    return ", ".join(words)


def _read_as(value: Any) -> str:
    """Why a value typed as text was not read as text, and the fix, for a value YAML reads as
    true or false (`yes`, `no`, `on`, `off`) or a date (`2026-03-31`)."""
    found = "true or false" if isinstance(value, bool) else "a date"
    fix = f", but YAML reads what is written here as {found}: put the text in quotes"
    return fix if isinstance(value, bool | dt.date) else ""


def _given(data: dict, key: str) -> Any:
    """A key's value, {} when the file leaves it out or empty (`labels:`); anything else as
    written, so `labels: []` or `labels: 0` is refused as not a mapping, not taken as none."""
    value = data.get(key)
    return {} if value is None else value
