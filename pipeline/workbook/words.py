"""The dropdown words a plan's cells hold, in the language of the workbook written (issue 15).

A Welsh workbook (`eqplan template --language cy`, a Welsh split) offers `Gwyrdd`,
`Ar waith` and `Datblygol` in its dropdowns, an English one `Green`, `In progress` and
`Developing`; the reader accepts either. When `eqplan split`, `merge` or `combine` write a
plan's data in a language, a cell holding one of these words gets the word of that
language, so it matches its dropdown. Everything else is the council's text and stays as
typed. English keeps the English words exactly as typed (`green` stays `green`): only a
Welsh word becomes English.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from pipeline.i18n import in_welsh
from pipeline.model import Framework
from pipeline.rag import Rag
from pipeline.strands import NAMED_COLOURS
from pipeline.text import match_key
from pipeline.workbook import layout

if TYPE_CHECKING:
    from pipeline.workbook.upgrade import WorkbookData

Values = dict[str, object]

_RAG = tuple(rating.label for rating in Rag)


def dropdown_words(framework: Framework) -> dict[str, dict[str, tuple[str, ...]]]:
    """The English words each dropdown offers, by part of WorkbookData and field key."""
    levels = tuple(framework.assessment_levels)
    action = {"rag": _RAG, "status": layout.ACTION_STATUS_CHOICES}
    return {
        "plan": {"status": layout.STATUS_CHOICES},
        "assessments": {"current": levels, "target": levels},
        "actions": action,
        "progress_log": action,
        "strands": {"strand_colour": tuple(NAMED_COLOURS)},
    }


def word_in(value: object, words: tuple[str, ...], language: str) -> object:
    """value in language when it is one of words (English) or its Welsh; else value as it is."""
    if not isinstance(value, str):
        return value
    key = match_key(value)
    for word in words:
        welsh = in_welsh(word)
        if language == "cy" and key == match_key(word) and welsh != word:
            return welsh
        if language == "en" and key == match_key(welsh) and key != match_key(word):
            return word
    return value


def action_word(key: str, value: object, framework: Framework, language: str = "en") -> object:
    """An Actions field's value in language: a `merge` compares returns in English words."""
    words = dropdown_words(framework)["actions"].get(key)
    return word_in(value, words, language) if words else value


def data_in_language(data: WorkbookData, language: str) -> WorkbookData:
    """A copy of data whose dropdown words are in language (`en` or `cy`)."""
    fields = dropdown_words(data.framework)

    def row(part: str, values: Values) -> Values:
        wanted = fields[part]
        return {k: word_in(v, wanted[k], language) if k in wanted else v for k, v in values.items()}

    return dataclasses.replace(
        data,
        plan=row("plan", data.plan),
        assessments={ref: row("assessments", v) for ref, v in data.assessments.items()},
        actions=[row("actions", v) for v in data.actions],
        progress_log=[row("progress_log", v) for v in data.progress_log],
        strands=None if data.strands is None else [row("strands", v) for v in data.strands],
    )
