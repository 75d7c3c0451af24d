"""Reading values from the workbook's table sheets, with problems at their cells.

The base of `to_model._PlanBuilder`: rows of a sheet, a problem at one cell,
deadlines and dates as officers type them, and the optional Progress log
sheet (issue 12). Nothing here raises for a value it cannot read.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from pipeline import problems
from pipeline.deadlines import Deadline, DeadlineKind, DeadlineNote, format_date, parse_deadline
from pipeline.excel_dates import as_typed
from pipeline.formats import govuk_date
from pipeline.i18n import N_, _
from pipeline.model import Rag, Source
from pipeline.problems import Problem
from pipeline.progress_log import ProgressEntry
from pipeline.status import ActionStatus
from pipeline.text import match_key, number_text, squash, squash_lines
from pipeline.workbook import layout
from pipeline.workbook.reader import RawTable, RawWorkbook


def as_text(value: object) -> str:
    """A cell value as text: numbers in full without a trailing .0, dates the UK way."""
    if isinstance(value, str):  # most cells, several times each: answered first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return format_date(value.date())
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value).strip()


#: A number typed as text the way a number cell shows it: `1000`, `1,000`, `-2.5`. Not
#: `02` or `1.10`, which say something a number would not (a code, a point `1.10`).
_NUMBER = re.compile(r"-?(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*|0)(?:\.\d*[1-9])?")


def as_meant(value: object, key: str = "") -> object:
    """What a cell value means, to tell a real difference from one value typed two ways: in
    a date column (key) its date (`31/03/2028`, `31 March 2028` and a date cell are one day;
    a month or a year its span), a number its value (`1,000` and 1000), else its words with
    case and spacing aside (match_key)."""
    if key in layout.DATE_COLUMNS:
        deadline = parse_deadline(value)
        if deadline.due is not None:
            return deadline.kind, deadline.due, match_key(deadline.recurrence)
    text = as_text(value)
    if _NUMBER.fullmatch(text) and not isinstance(value, bool):
        return Decimal(text.replace(",", ""))
    return match_key(text)


# Fields whose content alone does not make a row an action: a template row keeps
# its prefilled framework point until an officer uses it.
_PLACEHOLDER_FIELDS = frozenset({"ref", "point"})


def is_action_row(values: dict[str, object]) -> bool:
    """Whether an Actions row (its values by field key) is an action, the one rule for every
    reader: a row holding only a Ref or a framework point, as the template's prefilled rows
    do until an officer uses them, is no action (build and validate count it out, and
    combine leaves it out)."""
    return not set(values) <= _PLACEHOLDER_FIELDS


#: What DATE_UNCLEAR adds to "... is not a date" for a date column, where it says more.
_DATE_DETAIL = {
    DeadlineNote.A_NUMBER: N_("it is a number"),
    DeadlineNote.NOT_REAL: N_("there is no such day"),
}

#: Deadlines that name a span of time (`Nov 2026`, `Q3 2026`, `2027`): a day narrows them.
_SPANS = (DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.YEAR, DeadlineKind.FINANCIAL_YEAR)


class TableValues:
    """Values of one raw workbook's table sheets; problems gather in `problems`."""

    def __init__(self, raw: RawWorkbook) -> None:
        self.raw = raw
        self.problems: list[Problem] = []

    def _rows(self, spec: layout.SheetSpec):
        table = self.raw.tables.get(spec.name)
        if table is None:
            return
        for row in table.rows:
            yield table, row.number, row.values

    @staticmethod
    def _source(table: RawTable, number: int) -> Source:
        return Source(table.title, number, table.columns)

    def _report(
        self, kind: problems.Kind, table: RawTable, number: int, key: str, **fields: object
    ) -> None:
        """Record a problem at one cell of a table sheet (the column named by its heading).

        Nothing is recorded for a column the sheet lacks: that is one COLUMN_MISSING
        error already, and repeating it on every row would bury it.
        """
        if key not in table.columns:
            return
        heading = table.spec.column(key).heading
        self.problems.append(
            kind.at(table.title, table.cell(key, number), row=number, column=heading, **fields)
        )

    def _deadline(
        self,
        table: RawTable,
        number: int,
        key: str,
        value: object,
        plan_date: bool = False,
        item: str = "",
    ) -> Deadline:
        deadline = parse_deadline(value, self.raw.date_system)
        if deadline.problem is DeadlineNote.SERIAL and deadline.due:
            self._report(
                problems.DATE_AS_NUMBER,
                table,
                number,
                key,
                item=item,
                value=value,
                date=format_date(deadline.due),
            )
        elif not deadline.understood:
            detail = _(deadline.problem.value) if deadline.problem else _("is not understood")
            kind = problems.DATE_UNCLEAR if plan_date else problems.DEADLINE_UNCLEAR
            if plan_date:  # `"0" is not a date (it is a number).`, never said twice
                said = _DATE_DETAIL.get(deadline.problem)
                detail = f" ({_(said)})" if said else ""
            self._report(kind, table, number, key, item=item, value=value, detail=detail)
        return deadline

    def _cell_date(
        self, table: RawTable, number: int, key: str, value: object, item: str = ""
    ) -> dt.date | str:
        """A date typed in a table cell; for anything else (a year typed into a date cell,
        stored as a day of 1905, included) DATE_UNCLEAR at the cell and the text as written,
        which the documents print where they would print the date: never dropped."""
        value = as_typed(value, self.raw.date_system)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        deadline = self._deadline(table, number, key, value, plan_date=True, item=item)
        if deadline.kind is DeadlineKind.DATE and deadline.due:
            return deadline.due
        self._day_needed(table, number, key, deadline, value, item)
        return deadline.text or as_text(value)

    def _day_needed(
        self, table: RawTable, number: int, key: str, deadline: Deadline, value: object, item: str
    ) -> None:
        """DATE_UNCLEAR for a month, a year or a word where a date column needs a day."""
        if deadline.understood:
            spans = deadline.kind in _SPANS  # a month or a year: only its day is missing
            detail = _("type the day as well") if spans else _("type the date itself")
            self._report(
                problems.DATE_UNCLEAR, table, number, key,
                item=item, value=deadline.text or value, detail=f" ({detail})",
            )  # fmt: skip

    def _date_deadline(self, table: RawTable, number: int, key: str, value: object) -> Deadline:
        """A date column kept as a Deadline (Self-assessment Target date): a date typed as
        text prints as a date does (`31 March 2028`, in the language being built); a month
        or a year (`March 2028`, `2028`: aims are often set so) is kept as typed, and words
        that are no date get DATE_UNCLEAR."""
        deadline = self._deadline(table, number, key, value, plan_date=True)
        if deadline.kind is DeadlineKind.DATE and deadline.due:
            return Deadline(govuk_date(deadline.due), DeadlineKind.DATE, deadline.due)
        return deadline

    def progress_log(self) -> list[ProgressEntry]:
        """The Progress log's rows (optional sheet), in sheet order; unknown words are kept as typed."""
        entries: list[ProgressEntry] = []
        for table, number, values in self._rows(layout.PROGRESS_LOG):
            entry = ProgressEntry(
                ref=squash(as_text(values.get("ref"))),
                update=as_text(values.get("update")),
                update_cy=as_text(values.get("update_cy")).strip(),
                by=squash_lines(as_text(values.get("by"))),
                rag_text=as_text(values.get("rag")),
                status_text=as_text(values.get("status")),
                source=self._source(table, number),
            )
            if not (entry.ref or entry.update):
                continue
            if values.get("date") is not None:
                day = self._cell_date(table, number, "date", values["date"], entry.ref)
                if isinstance(day, str):
                    entry.date_as_written = day
                else:
                    entry.date = day
            if entry.rag_text:
                entry.rag = Rag.from_cell(entry.rag_text)
                if entry.rag is None:
                    self._report(
                        problems.LOG_VALUE_UNKNOWN, table, number, "rag",
                        item=entry.ref, value=values.get("rag"), what="RAG rating",
                    )  # fmt: skip
            if entry.status_text:
                entry.status = ActionStatus.from_cell(entry.status_text)
                if entry.status is None:
                    self._report(
                        problems.LOG_VALUE_UNKNOWN, table, number, "status",
                        item=entry.ref, value=values.get("status"), what="status",
                    )  # fmt: skip
            entries.append(entry)
        return entries
