"""Officers' Welsh text, typed beside the English in the optional `(Cymraeg)` columns (issue 15).

A Welsh document prints the council's own Welsh: an action's `Gap / action (Cymraeg)`
beside its `Gap / action`, and so on. Where the English has text and the Welsh is empty,
the Welsh document prints the English and the build warns (WELSH_TEXT_MISSING, listing the
cells), so it is never filled in with English silently; `--strict` stops the build.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.i18n import _, current_language, in_welsh
from pipeline.text import lines

if TYPE_CHECKING:
    from pipeline.model import Source

#: Added to an English heading or Plan field to name the column or field holding its Welsh.
WELSH_MARK = " (Cymraeg)"
#: The suffix of the field key of a Welsh column: `action` -> `action_cy`.
WELSH_KEY = "_cy"


class EnglishText(str):
    """Text a Welsh document prints in English because no Welsh was given for it.

    The renderers mark its language (a Word run `en-GB`, an HTML `lang="en-GB"`), so screen
    readers and spell-checkers read it as English, not as Welsh (WCAG 3.1.2). Its case
    changed (a template's `| lower`, `| upper`, `| capitalize`, `| title`) it is still English;
    anything else made from it (split, formatted into a sentence) is plain text again.
    """

    __slots__ = ()

    def lower(self) -> str:
        return EnglishText(str.lower(self))

    def upper(self) -> str:
        return EnglishText(str.upper(self))

    def capitalize(self) -> str:
        return EnglishText(str.capitalize(self))

    def title(self) -> str:
        return EnglishText(str.title(self))


class MixedText(str):
    """Text joining the document's own words with English ones: a Welsh heading with an
    English title (`Modiwl 2: Leadership, ...`), a framework point with its English theme.

    Plain text to everything but the renderers, which mark its English parts as they mark
    EnglishText. Made by `joined` and `filled`; anything made from it is plain text again.
    """

    parts: tuple[str, ...]


#: A named field of a gettext message: `%(title)s`.
_FIELD = re.compile(r"%\((\w+)\)s")


def joined(*parts: str) -> str:
    """parts as one text that keeps which of them are English (EnglishText): plain text when
    none is, EnglishText when all are, else MixedText."""
    parts = tuple(piece for part in parts for piece in _pieces(part))
    text = "".join(parts)
    english = [type(part) is EnglishText for part in parts if part]
    if not any(english):
        return text
    if all(english):
        return EnglishText(text)
    mixed = MixedText(text)
    mixed.parts = tuple(part for part in parts if part)
    return mixed


def listed(texts: Iterable[str], separator: str = "; ") -> str:
    """texts on one line, as tables print several strands (`Race equality; Workforce`),
    keeping which of them are English (joined)."""
    parts: list[str] = []
    for text in texts:
        parts += [separator, text] if parts else [text]
    return joined(*parts)


def _pieces(text: str) -> tuple[str, ...]:
    """text's parts: a MixedText's own, so joining it again keeps its English tagged."""
    return text.parts if type(text) is MixedText else (text,)


def filled(message: str, values: Mapping[str, object]) -> str:
    """`message % values` for a message naming its fields (`%(title)s`), keeping which
    values are English (joined): a Welsh sentence naming an English title. A message with
    any other placeholder (`%(count)d`) is formatted as `%` does, as plain text."""
    if "%" in _FIELD.sub("", message).replace("%%", ""):
        return message % values
    parts: list[str] = []
    start = 0
    for field_ in _FIELD.finditer(message):
        value = values[field_.group(1)]
        parts += [message[start : field_.start()], value if isinstance(value, str) else str(value)]
        start = field_.end()
    parts.append(message[start:])
    for index in range(0, len(parts), 2):  # the message's own text: `%%` is a percent sign
        parts[index] = parts[index].replace("%%", "%")
    return joined(*parts)


def word_in_language(word: str) -> str:
    """A fixed word or a framework's label (`Module`, a council's `Priority`) in the language
    being built; in a Welsh document, one with no Welsh (a council's framework without
    Welsh labels) is EnglishText."""
    shown = _(word)
    return EnglishText(shown) if shown == word and current_language() == "cy" else shown


def english_text(english: str) -> str:
    """english as a Welsh document prints it in place of missing Welsh: marked EnglishText.
    Also for the council's words no Welsh is asked for (a committee, a strand's name)."""
    return EnglishText(english) if english and current_language() == "cy" else english


def same_language(source: str, text: str) -> str:
    """text, made from source (a line of it, a trimmed copy), marked English when source is."""
    return EnglishText(text) if type(source) is EnglishText and text else text


def paragraphs(text: str) -> list[str]:
    """text's non-empty lines, trimmed, each marked English when text is."""
    return [same_language(text, line.strip()) for line in text.split("\n") if line.strip()]


def welsh_heading(heading: str) -> str:
    """`Gap / action` -> `Gap / action (Cymraeg)`: the heading of the column for its Welsh."""
    return heading + WELSH_MARK


def welsh_name(name: str) -> str:
    """A sheet name, heading or field label as a Welsh template writes it (the reader accepts both).

    `Gap / action` -> `Bwlch / cam gweithredu`; `Gap / action (Cymraeg)` ->
    `Bwlch / cam gweithredu (Cymraeg)`.
    """
    if name.endswith(WELSH_MARK):
        return in_welsh(name.removesuffix(WELSH_MARK)) + WELSH_MARK
    return in_welsh(name)


def heading_in_language(heading: str) -> str:
    """A column heading in the language being written: `Progress update (Cymraeg)` ->
    `Diweddariad ar gynnydd (Cymraeg)` in Welsh (the catalogue has the English part only)."""
    if heading.endswith(WELSH_MARK):
        return _(heading.removesuffix(WELSH_MARK)) + WELSH_MARK
    return _(heading)


@dataclass
class WelshCell:
    """The Welsh for one English cell, and the cell it belongs in (to name when it is missing)."""

    text: str
    sheet: str
    cell: str


Entry = dict[str, WelshCell]  # field key (`action`) -> its Welsh


@dataclass
class ActionsWelsh:
    """The Welsh beside each action and Progress log entry: the part of WelshText that grows
    with the plan."""

    actions: dict[tuple[str, int], Entry] = field(default_factory=dict)  # by (sheet, row)
    #: The Progress log entries the plan prints as actions' latest updates, by (sheet, row).
    log: dict[tuple[str, int], Entry] = field(default_factory=dict)
    #: Every Progress log entry with words, which the history appendix prints, by (sheet, row).
    history: dict[tuple[str, int], Entry] = field(default_factory=dict)


@dataclass
class WelshText:
    """Every Welsh text a workbook gives, for the English that has text, by where it belongs.

    The actions' and log entries' Welsh is read when first asked for (read_actions): only a
    Welsh document and the Welsh checks look at it, and at 10,000 actions reading it takes
    a tenth of a second that an English build need not spend. Pickled (up to 1,000 actions,
    for the warm child: __getstate__) or copied, it is read first.
    """

    plan: Entry = field(default_factory=dict)  # Plan sheet field key -> Welsh
    #: The Report sheet's (the cover report's words): checked only for a Welsh cover report.
    report: Entry = field(default_factory=dict)
    sections: dict[str, Entry] = field(default_factory=dict)  # by framework module ref
    assessments: dict[str, Entry] = field(default_factory=dict)  # by framework theme ref
    read_actions: Callable[[], ActionsWelsh] = field(
        default=ActionsWelsh, repr=False, compare=False
    )

    @functools.cached_property
    def _actions_welsh(self) -> ActionsWelsh:
        return self.read_actions()

    def __getstate__(self) -> dict:
        """Pickled (the Word plan's job sent to a warm child, word_job.py) with the actions'
        Welsh read, in place of the reader: that holds the workbook's raw Actions rows, and
        loading it would import the workbook reader, about 0.04 s of a 100-action build."""
        state = dict(self.__dict__)
        state["_actions_welsh"] = self._actions_welsh
        state["read_actions"] = ActionsWelsh
        return state

    def __eq__(self, other: object) -> bool:
        """Equal when every Welsh text is, the actions' too (read for the comparison)."""
        if not isinstance(other, WelshText):
            return NotImplemented
        return self._compared() == other._compared()

    def _compared(self) -> tuple:
        return (self.plan, self.report, self.sections, self.assessments, self._actions_welsh)

    @property
    def actions(self) -> dict[tuple[str, int], Entry]:
        return self._actions_welsh.actions

    def action_entry(self, source: Source | None) -> Entry | None:
        """The officers' Welsh beside one action, for a document being written now: only a
        Welsh one prints it (in_language), so an English one never reads the actions' Welsh."""
        if source is None or current_language() != "cy":
            return None
        return self.actions.get((source.sheet, source.row))

    @property
    def log(self) -> dict[tuple[str, int], Entry]:
        return self._actions_welsh.log

    @property
    def history(self) -> dict[tuple[str, int], Entry]:
        return self._actions_welsh.history

    def missing(self, history: bool = False) -> dict[str, list[str]]:
        """The cells, sheet by sheet, whose English has no Welsh beside it (with history: in
        every log entry, which the history appendix prints)."""
        found: dict[str, list[str]] = {}
        entries = [self.plan, *self.sections.values(), *self.assessments.values()]
        logged = {**self.log, **self.history} if history else self.log
        for entry in [*entries, *self.actions.values(), *logged.values()]:
            for welsh in entry.values():
                if not welsh.text:
                    found.setdefault(welsh.sheet, []).append(welsh.cell)
        return found


def in_language(entry: Entry | None, key: str, english: str) -> str:
    """The text to print for key: the officer's Welsh in a Welsh document when given (even
    beside an empty English row of the Plan or Report sheet), else english."""
    if current_language() != "cy":
        return english
    welsh = entry.get(key) if entry else None
    return welsh.text if welsh is not None and welsh.text else english_text(english)


def update_in_language(english: str, welsh: str) -> str:
    """A Progress log update to print: in a Welsh document its Welsh (`Update (Cymraeg)`)
    when the log gives it, else the English as written."""
    if current_language() != "cy":
        return english
    return welsh or english_text(english)


def lines_in_language(entry: Entry | None, key: str, english: list[str]) -> list[str]:
    """A list field (aspirations, objectives), one item a line, in the language being built."""
    joined = "\n".join(english)
    text = in_language(entry, key, joined)
    return [english_text(line) for line in english] if text == joined else lines(text)


def framework_text(welsh: dict[str, str], key: str, english: str) -> str:
    """A framework's text (`module:1`, `theme:1.2`, `framework`) in the language being built.

    Welsh from the framework file's `title_cy` when there is some; else the English, which
    a Welsh build lists (FRAMEWORK_WELSH_MISSING).
    """
    if current_language() != "cy":
        return english
    return welsh.get(key) or english_text(english)


def source_note(welsh: dict[str, str], english: str) -> str:
    """The framework's note of where its text comes from (`source`), in the language being
    built: in Welsh, `source_cy` with the English it quotes as published marked English
    (kept_english: `Local Government Association, "Equality Framework ...", cyhoeddwyd ...`);
    without `source_cy`, the English, all of it marked (framework_text)."""
    if current_language() != "cy" or not welsh.get("source"):
        return framework_text(welsh, "source", english)
    return kept_english(welsh["source"], english)


#: A stretch of a Welsh text shared with its English counts as English from two words on
#: (`Local Government`): one shared word (`EFLG`, `2021`, `Excel`) may be either language's.
_ENGLISH_WORDS = 2
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Characters a shared stretch does not begin or end with: they join it to the Welsh.
_EDGES = " ,;\n"
#: The longest pair of texts lined up (difflib's time grows with their product): a longer
#: note is left as the file gives it, a source note being a line or two.
_ALIGN_LIMIT = 2_000


def kept_english(welsh: str, english: str) -> str:
    """welsh with each stretch of whole words it shares with english (the English it quotes
    as it is: a name, a title) marked English (joined); plain text when none is."""
    if len(welsh) + len(english) > _ALIGN_LIMIT:
        return welsh
    parts: list[str] = []
    done = 0
    matcher = difflib.SequenceMatcher(None, english, welsh, autojunk=False)
    for at, start, size in matcher.get_matching_blocks():
        end = start + size
        while start < end and (_in_word(welsh, start) or _in_word(english, at)):
            start, at = start + 1, at + 1  # a stretch starting inside a word starts after it
        while end > start and (_in_word(welsh, end) or _in_word(english, at + end - start)):
            end -= 1
        while start < end and welsh[start] in _EDGES:
            start += 1
        while end > start and welsh[end - 1] in _EDGES:
            end -= 1
        if len(_WORD.findall(welsh[start:end])) >= _ENGLISH_WORDS:
            parts += [welsh[done:start], EnglishText(welsh[start:end])]
            done = end
    return joined(*parts, welsh[done:]) if parts else welsh


def _in_word(text: str, at: int) -> bool:
    """Whether place at in text is inside a word (a letter or digit on each side of it)."""
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()
