"""Read the officers' Welsh beside the English: the optional `(Cymraeg)` columns and Plan rows.

Each English text that has words gets a WelshCell: the Welsh typed beside it (empty when
none) and the cell it belongs in, the Welsh column's when the sheet has one, else the
English cell, so a warning can name where the Welsh is missing (issue 15).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Set

from pipeline import problems
from pipeline.i18n import current_language, localised_date, use_language
from pipeline.model import Action, Plan, Source
from pipeline.problems import Problem
from pipeline.progress_log import ProgressEntry, latest_update, logs_by_ref
from pipeline.text import match_key, squash
from pipeline.welsh_text import WELSH_KEY, ActionsWelsh, Entry, WelshCell, WelshText
from pipeline.workbook import layout
from pipeline.workbook.reader import RawTable, RawWorkbook
from pipeline.workbook.table_values import as_text


def read_welsh(raw: RawWorkbook, plan: Plan) -> WelshText:
    """The Welsh text of every Plan field, section, self-assessment and action of plan.

    The actions' is read when first asked for (WelshText.read_actions), from the rows and
    records as read here: the plan's lists, not the plan, so no cycle keeps it alive. It is
    read in the language current now, as if it were read now: a date typed in a Welsh cell
    is written out in that language, whichever document first asks for it.
    """
    welsh = WelshText()
    welsh.plan = _field_entry(raw.plan, layout.PLAN_FIELDS, raw.plan_sheet)
    welsh.report = _field_entry(raw.report, layout.REPORT_FIELDS, raw.report_sheet)
    sections = _rows(raw.tables.get(layout.SECTIONS_SHEET))
    assessments = _rows(raw.tables.get(layout.ASSESSMENT_SHEET))
    for section in plan.sections:
        if section.source is not None:
            found = _entry(section.source, sections, layout.SECTIONS_SHEET)
            welsh.sections[section.module.ref] = found
    for assessment in plan.assessments:
        if assessment.source is not None:
            found = _entry(assessment.source, assessments, layout.ASSESSMENT_SHEET)
            welsh.assessments[assessment.theme.ref] = found
    welsh.read_actions = functools.partial(
        _actions_welsh,
        raw.tables.get(layout.ACTIONS_SHEET),
        plan.actions,
        plan.progress_log,
        current_language(),
    )
    return welsh


def _actions_welsh(
    table: RawTable | None, actions: list[Action], progress_log: list[ProgressEntry], language: str
) -> ActionsWelsh:
    """The Welsh beside each action of table, and each Progress log entry's, as read in
    language (read_welsh's, at the time it ran)."""
    welsh = ActionsWelsh()
    rows = _rows(table)
    logs = logs_by_ref(progress_log)
    with use_language(language):
        for action in actions:
            if action.source is not None:
                found = _entry(action.source, rows, layout.ACTIONS_SHEET)
                welsh.actions[(action.source.sheet, action.source.row)] = found
            if not action.progress:  # the plan prints its latest log entry instead
                logged = latest_update(logs.get(match_key(action.display_ref), []))
                if logged is not None and logged.source is not None:
                    welsh.log[(logged.source.sheet, logged.source.row)] = _log_entry(logged)
        for logged in progress_log:
            if logged.update and logged.source is not None:
                welsh.history[(logged.source.sheet, logged.source.row)] = _log_entry(logged)
    return welsh


def _field_entry(values: dict, fields: tuple[layout.PlanField, ...], sheet: str) -> Entry:
    """The Welsh rows of a Field/Value sheet (Plan, Report): for the fields with English, and
    any Welsh typed where the English row is empty."""
    entry: Entry = {}
    for welsh_field in fields:
        if welsh_field.kind != "welsh":
            continue
        key = welsh_field.key.removesuffix(WELSH_KEY)
        english, typed = values.get(key), values.get(welsh_field.key)
        text = _welsh_value(typed.value) if typed else ""
        if english is not None and as_text(english.value).strip():
            entry[key] = WelshCell(text, sheet, typed.cell if typed else english.cell)
        elif text:  # Welsh with no English beside it: printed in the Welsh documents all the same
            entry[key] = WelshCell(text, sheet, typed.cell)
    return entry


def _welsh_value(value: object) -> str:
    """A (Cymraeg) row's value as text: a date cell as Welsh writes it (`5 Mawrth 2026`)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return localised_date(value, "cy")
    return as_text(value).strip()


def _log_entry(logged: ProgressEntry) -> Entry:
    """A Progress log entry's Welsh, named at its `Update (Cymraeg)` cell (else its Update's)."""
    where = logged.source
    key = "update_cy" if "update_cy" in where.columns else "update"
    return {"update": WelshCell(logged.update_cy, where.sheet, where.cell(key))}


def _rows(table: RawTable | None) -> dict[int, dict[str, object]]:
    """A sheet's rows' values by row number (none if the workbook has no such sheet)."""
    return {row.number: row.values for row in table.rows} if table is not None else {}


#: Each sheet's English field keys with their Welsh column's key (`action`, `action_cy`).
_WELSH_KEYS = {
    sheet: tuple((key, key + WELSH_KEY) for key in keys)
    for sheet, keys in layout.WELSH_COLUMNS.items()
}


def _entry(source: Source, rows: dict[int, dict[str, object]], sheet: str) -> Entry:
    """The Welsh beside each English text of one row of sheet that has words (once per action)."""
    values = rows.get(source.row, {})
    entry: Entry = {}
    for key, welsh_key in _WELSH_KEYS[sheet]:
        english = values.get(key)
        if english is None or not squash(as_text(english)):
            continue
        where = welsh_key if welsh_key in source.columns else key
        text = as_text(values.get(welsh_key)).strip()
        entry[key] = WelshCell(text, source.sheet, source.cell(where))
    return entry


def welsh_without_english(
    raw: RawWorkbook, unread: Set[tuple[str, str]] = frozenset()
) -> list[Problem]:
    """WELSH_WITHOUT_ENGLISH at each (Cymraeg) cell with text whose English cell is empty:
    the Welsh stands in for the English (_entry), so with none it is printed nowhere.

    Run on every validation, English too, since the text is lost from every document; a
    look at two values a row for each Welsh column, on the sheets that have one. unread:
    (sheet, cell) of cells that could not be read, which have their own error: an English
    cell among them is not empty."""
    found = []
    for sheet, pairs in _WELSH_KEYS.items():
        table = raw.tables.get(sheet)
        if table is None:
            continue
        present = [(k, w) for k, w in pairs if k in table.columns and w in table.columns]
        headings = {c.key: c.heading for c in table.spec.columns}
        for row in table.rows if present else ():
            for key, welsh_key in present:
                welsh, english = row.values.get(welsh_key), row.values.get(key)
                if welsh is None or squash(as_text(english)) or not squash(as_text(welsh)):
                    continue
                if (table.title, table.cell(key, row.number)) in unread:
                    continue
                found.append(
                    problems.WELSH_WITHOUT_ENGLISH.at(
                        table.title,
                        table.cell(welsh_key, row.number),
                        row=row.number,
                        column=headings.get(welsh_key, welsh_key),
                        english=table.cell(key, row.number),
                    )
                )
    return found
