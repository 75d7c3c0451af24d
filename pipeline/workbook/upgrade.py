"""Copy a workbook's data into the current template: `eqplan upgrade` (issue 12).

A council's workbook made by an older template lacks the newer columns, the
Progress log sheet and their dropdowns. Upgrading reads the data the way
`eqplan build` does (sheets and columns found by their headings, values as
typed) and writes it into a fresh template through the filler, so every
value goes through `pipeline.cells` and the dropdowns, date checks and
formatting are the current template's. The old workbook is only read.

`WorkbookData` is also the start of `eqplan next-period`
(pipeline/workbook/next_period.py), which changes the data before writing.
Its values are in the 1900 date system, the template's: a workbook from old
Excel for Mac (the 1904 system) has its date fields' numbers moved on reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from pipeline import frameworks, problems
from pipeline.errors import WorkbookInvalid, WorkbookUnreadable
from pipeline.excel_dates import DateSystem, in_1900_system
from pipeline.i18n import _
from pipeline.io import refuse_overwriting_inputs, refuse_replacing, write_output
from pipeline.model import Framework
from pipeline.render.context_words import counted
from pipeline.text import match_key
from pipeline.welsh_text import WELSH_KEY, welsh_name
from pipeline.workbook import layout
from pipeline.workbook.filler import fill_workbook
from pipeline.workbook.merged_record import carry_merged_record
from pipeline.workbook.other_sheets import refuse_split_workbook
from pipeline.workbook.own_data import TABLE_SHEETS, OwnData, own_columns, own_sheets
from pipeline.workbook.reader import RawWorkbook, read_workbook
from pipeline.workbook.table_values import as_text, is_action_row
from pipeline.workbook.template import template_in
from pipeline.workbook.words import data_in_language

Values = dict[str, object]

#: The fields that hold dates: a number or a year typed in one counts days in a date system.
_DATE_FIELDS = layout.DATE_COLUMNS | {f.key for f in layout.PLAN_FIELDS if f.kind == "date"}


@dataclass
class WorkbookData:
    """A workbook's data by sheet, keyed by the field keys of layout.py, ready for the filler."""

    framework: Framework
    plan: Values = field(default_factory=dict)
    report: Values = field(default_factory=dict)  # the Report sheet (the cover report's words)
    sections: dict[str, Values] = field(default_factory=dict)  # by module ref
    section_order: list[str] = field(default_factory=list)
    assessments: dict[str, Values] = field(default_factory=dict)  # by theme ref
    actions: list[Values] = field(default_factory=list)
    action_rows: list[int] = field(default_factory=list)  # each action's Excel row, in order
    owners: list[Values] = field(default_factory=list)
    progress_log: list[Values] = field(default_factory=list)
    strands: list[Values] | None = None  # None: the workbook has no Lists sheet; keep defaults
    left_out: list[str] = field(default_factory=list)  # rows that have no place in the template
    #: The workbook holds Welsh (`(Cymraeg)` columns or Plan rows): the filled template keeps them.
    welsh: bool = False
    #: The council's own columns and sheets, and which rows their values stand beside.
    own: OwnData = field(default_factory=OwnData)
    #: The language the workbook was made in (workbook_language), set by upgrade_workbook.
    language: str = "en"

    def copied(self) -> list[str]:
        """What was copied, sheet by sheet, in words for the officer (in the language being
        written: a Welsh workbook's are Welsh, its sheets named as it names them)."""
        counts = [
            (
                layout.PLAN_SHEET,
                counted(len(self.plan), "%(count)s detail", "%(count)s details", none=False),
            ),
            (
                layout.REPORT_SHEET,
                counted(len(self.report), "%(count)s field", "%(count)s fields", none=False),
            ),
            (
                layout.SECTIONS_SHEET,
                counted(len(self.sections), "%(count)s section", "%(count)s sections", none=False),
            ),
            (
                layout.ASSESSMENT_SHEET,
                counted(len(self.assessments), "%(count)s theme", "%(count)s themes", none=False),
            ),
            (
                layout.ACTIONS_SHEET,
                counted(len(self.actions), "%(count)s row", "%(count)s rows", none=False),
            ),
            (
                layout.OWNERS_SHEET,
                counted(len(self.owners), "%(count)s owner", "%(count)s owners", none=False),
            ),
            (
                layout.PROGRESS_LOG_SHEET,
                counted(len(self.progress_log), "%(count)s entry", "%(count)s entries", none=False),
            ),
        ]
        if self.strands is not None:
            said = counted(len(self.strands), "%(count)s strand", "%(count)s strands", none=False)
            counts.append((layout.LISTS_SHEET, said))
        return [f"{_(sheet)}: {said}" for sheet, said in counts]

    def only_actions(self) -> None:
        """Keep only the Actions rows that are actions (table_values.is_action_row), as build
        and validate count them: the template's prefilled rows with only a framework point are
        left out, so a copy that adds other rows after them has none in its middle."""
        kept = [
            (number, values)
            for number, values in zip(self.action_rows, self.actions, strict=True)
            if is_action_row(values)
        ]
        self.action_rows = [number for number, _values in kept]
        self.actions = [values for _number, values in kept]

    def save_to(self, target: Path, *sources: Path, language: str | None = None) -> Path:
        """Fill the current template with the data and write it to target, atomically.

        sources are the files the data came from: target is never one of them.
        """
        write_output(target, self.workbook(language).save, list(sources), suffix=".xlsx")
        return target

    def workbook(self, language: str | None = None) -> Workbook:
        """The current template filled with the data (every value through pipeline.cells).

        language (`en`, `cy`) writes the template in that language and puts the dropdown
        words into it too (pipeline/workbook/words.py); None keeps the words as typed.
        """
        data = self if language is None else data_in_language(self, language)
        wb = fill_workbook(
            template_in(self.framework, language or "en", True if self.welsh else None),
            plan=data.plan,
            report=data.report,
            sections=data.sections,
            section_order=data.section_order,
            assessments=data.assessments,
            actions=data.actions,
            owners=data.owners,
            progress_log=data.progress_log,
            strands=data.strands,
        )
        written = {
            layout.ACTIONS_SHEET: self.actions,
            layout.OWNERS_SHEET: self.owners,
            layout.PROGRESS_LOG_SHEET: self.progress_log,
        }
        self.own.put_into(wb, written)
        return wb


def read_data(raw: RawWorkbook, framework: Framework | None = None) -> WorkbookData:
    """The data of a workbook as read (values as typed), placed by the framework's refs.

    framework overrides the one the Plan sheet names; with neither, the
    workbook cannot be placed in a template (WorkbookUnreadable, exit code 2).
    """
    if framework is not None:
        _refuse_another_framework(raw, framework)
    framework = framework or _named_framework(raw)
    data = WorkbookData(framework)
    system = raw.date_system
    own = data.own
    own.sheets = own_sheets(raw.unread_sheets)
    own.fields = raw.own_fields
    own.columns = {s: own_columns(raw.tables[s].own) for s in TABLE_SHEETS if s in raw.tables}
    plan = {k: e.value for k, e in raw.plan.items() if e.value is not None and k != "framework_id"}
    data.plan = in_1900_values(plan, system)
    data.report = {key: entry.value for key, entry in raw.report.items() if entry.value is not None}
    for row in _rows(raw, layout.SECTIONS_SHEET):
        module = framework.module(as_text(row.values.get("module_ref")).rstrip("."))
        if module is None or module.ref in data.sections:
            data.left_out.append(_row_of(layout.SECTIONS_SHEET, row.number))
            continue
        keys = _with_welsh(("section_title", "lead_officer", "aspirations"))
        data.sections[module.ref] = {k: row.values[k] for k in keys if k in row.values}
        data.section_order.append(module.ref)
        own.place(layout.SECTIONS_SHEET, module.ref, row.number)
    for row in _rows(raw, layout.ASSESSMENT_SHEET):
        theme = framework.theme(as_text(row.values.get("theme_ref")))
        if theme is None or theme.ref in data.assessments:
            data.left_out.append(_row_of(layout.ASSESSMENT_SHEET, row.number))
            continue
        keys = _with_welsh(("current", "target", "target_date", "evidence"))
        values = {k: row.values[k] for k in keys if k in row.values}
        data.assessments[theme.ref] = in_1900_values(values, system)
        own.place(layout.ASSESSMENT_SHEET, theme.ref, row.number)
    for row in _rows(raw, layout.ACTIONS_SHEET):
        data.actions.append(in_1900_values(row.values, system))
        data.action_rows.append(row.number)
        own.place(layout.ACTIONS_SHEET, data.actions[-1], row.number)
    for row in _rows(raw, layout.OWNERS_SHEET):
        data.owners.append(dict(row.values))
        own.place(layout.OWNERS_SHEET, data.owners[-1], row.number)
    for row in _rows(raw, layout.PROGRESS_LOG_SHEET):
        data.progress_log.append(in_1900_values(row.values, system))
        own.place(layout.PROGRESS_LOG_SHEET, data.progress_log[-1], row.number)
    if raw.lists is not None and raw.lists.rows:
        data.strands = [dict(row.values) for row in raw.lists.rows if row.values.get("strand")]
    data.welsh = _has_welsh(raw)
    return data


def in_1900_values(values: Values, system: DateSystem) -> Values:
    """A copy of a row's values as a workbook in the 1900 date system holds them, which every
    workbook eqplan writes is: in a date field, a year typed into a date cell stays that year
    and a date's number in a General cell the same day's number (an old Mac workbook's 1904
    system counts from 1,462 days later). Real dates are the same day in either system."""
    return {
        key: in_1900_system(value, system) if key in _DATE_FIELDS else value
        for key, value in values.items()
    }


def _with_welsh(keys: tuple[str, ...]) -> tuple[str, ...]:
    """keys and their `(Cymraeg)` companions, so the council's Welsh is carried over too."""
    return keys + tuple(key + WELSH_KEY for key in keys)


def _has_welsh(raw: RawWorkbook) -> bool:
    """Whether the workbook has Welsh columns or Plan rows (then the new one keeps them)."""
    if any(key.endswith(WELSH_KEY) for key in (*raw.plan, *raw.report)):
        return True
    for sheet in layout.WELSH_COLUMNS:
        table = raw.tables.get(sheet)
        if table is not None and any(key.endswith(WELSH_KEY) for key in table.columns):
            return True
    return False


def upgrade_workbook(
    source: Path, target: Path, *, force: bool = False, framework: Framework | None = None
) -> WorkbookData:
    """Copy source's data into the current template at target; returns what was copied.

    Never writes over source (even through another name), nor over an
    existing target unless force. The record of the returns merged into it goes too: the
    quarter is the same, so a return merged before is still known.
    """
    refuse_overwriting_inputs([target], [source], hint="Choose another name with -o.")
    if not force:
        refuse_replacing(target)
    raw = read_workbook(source)
    refuse_split_workbook(raw.sheet_names, raw.shown, "it was not copied")
    data = read_data(raw, framework)
    data.language = workbook_language(raw)
    workbook = data.workbook(data.language)
    carry_merged_record(raw.unread_sheets, workbook)  # the same quarter: returns merged stay
    write_output(target, workbook.save, [source], suffix=".xlsx")
    return data


def workbook_language(raw: RawWorkbook) -> str:
    """`cy` for a workbook made in Welsh (its Actions sheet has the Welsh name), else `en`:
    a copy of it (upgrade, next-period) is written in the same language, dropdowns too."""
    table = raw.tables.get(layout.ACTIONS_SHEET)
    welsh = welsh_name(layout.ACTIONS_SHEET)[:31]
    return "cy" if table is not None and table.title == welsh else "en"


def _row_of(sheet: str, number: int) -> str:
    """`Sections row 5`: where a row left out was, in the language of the report."""
    return _("%(sheet)s row %(row)s") % {"sheet": _(sheet), "row": number}


def _rows(raw: RawWorkbook, sheet: str):
    table = raw.tables.get(sheet)
    return table.rows if table is not None else []


def _refuse_another_framework(raw: RawWorkbook, framework: Framework) -> None:
    """A workbook is copied, split or merged only under the framework it was made for: under
    another its rows would be filed by other points (FRAMEWORK_MISMATCH, as validate says).
    A name eqplan does not know is no framework: --framework is how such a workbook is
    rescued ("names no framework eqplan knows ... Give the framework with --framework")."""
    entry = raw.plan.get("framework_id")
    name = as_text(entry.value) if entry else ""
    named = frameworks.find_named(name) if entry is not None else None
    if named is None or match_key(named.id) == match_key(framework.id):
        return
    found = problems.FRAMEWORK_MISMATCH.at(
        raw.plan_sheet, entry.cell, value=name, used=framework.id
    )
    raise WorkbookInvalid(f"{raw.shown}: {found.where}: {found.message}", hint=found.hint)


def _named_framework(raw: RawWorkbook) -> Framework:
    entry = raw.plan.get("framework_id")
    name = as_text(entry.value) if entry else ""
    framework = frameworks.find_named(name) if name else None
    if framework is None:
        raise WorkbookUnreadable(
            f"{raw.shown}: the Plan sheet names no framework eqplan knows ({name or 'none'}).",
            hint="Give the framework with --framework (an id such as eflg-2021, or a .yaml file).",
        )
    return framework
