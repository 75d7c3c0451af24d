"""Give meaning to raw workbook values: build the Plan model, reporting values it cannot read.

Values are accepted the way officers type them (`R`, `red`, `Amber `, `1.2`,
`Nov 22`); anything that cannot be understood becomes a problem at its cell,
never an exception, so one pass reports everything.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools

from pipeline import frameworks, problems
from pipeline.deadlines import DeadlineKind, DeadlineNote, parse_deadline
from pipeline.excel_dates import as_typed
from pipeline.formats import FinancialYears, format_date
from pipeline.gc_pause import paused_gc
from pipeline.i18n import N_, _
from pipeline.levels import level_list
from pipeline.model import (
    Action,
    Assessment,
    Framework,
    Level,
    Owner,
    Plan,
    PlanDetails,
    Point,
    Rag,
    Section,
    Source,
    Status,
)
from pipeline.problems import Problem
from pipeline.refs import generate_ref, key_actions, missing_refs
from pipeline.status import ActionStatus
from pipeline.text import lines, match_key, squash, squash_lines
from pipeline.workbook import layout
from pipeline.workbook.lists import read_strand_colours
from pipeline.workbook.reader import RawTable, RawWorkbook
from pipeline.workbook.report_sheet import read_report
from pipeline.workbook.table_values import TableValues, as_text, is_action_row
from pipeline.workbook.welsh_reader import read_welsh

_TEXT_FIELDS = ("evidence", "action")


@paused_gc()
def build_plan(
    raw: RawWorkbook, framework: Framework | None = None
) -> tuple[Plan | None, list[Problem]]:
    """The Plan read from raw, and the problems found in its values.

    framework overrides the one the Plan sheet names. Returns no plan only
    when no framework can be found, since points cannot be placed without one.
    """
    builder = _PlanBuilder(raw)
    details = builder.details()
    framework = builder.framework(details, framework)
    if framework is None:
        return None, builder.problems
    plan = Plan(details=details, framework=framework, report=read_report(raw))
    plan.owners = builder.owners()
    plan.sections = builder.sections(framework)
    plan.assessments = builder.assessments(framework)
    plan.actions = builder.actions(framework)
    plan.progress_log = builder.progress_log()
    key_actions(plan.actions, raw.name)
    plan.welsh = read_welsh(raw, plan)
    plan.strand_colours, colour_problems = read_strand_colours(raw.lists)
    return plan, builder.problems + colour_problems


#: The years a Plan sheet date (report date, meeting date) may have. A report date such as
#: 31/12/9999 is no plan's, and the due-soon window after it runs past the last date
#: Python has (an attacker's review: `build` ended in a traceback): it is not understood.
PLAN_YEARS = range(1900, 3000)
_PLAN_YEAR_SPAN = {"first": PLAN_YEARS[0], "last": PLAN_YEARS[-1]}
#: Why such a date is not understood, after "is not a date".
OUTSIDE_PLAN_YEARS = N_("its year is not between %(first)s and %(last)s")


class _PlanBuilder(TableValues):
    # ----------------------------------------------------------------- Plan sheet

    def _label(self, plan_field: layout.PlanField) -> str:
        """A Plan row's label as the workbook shows it: in Welsh on a Welsh template's Cynllun."""
        return plan_field.label_on(self.raw.plan_sheet, layout.PLAN_SHEET)

    def details(self) -> PlanDetails:
        sheet = self.raw.plan_sheet
        details = PlanDetails(sheet=sheet)
        plan_present = layout.PLAN_SHEET not in {
            p.sheet for p in self.raw.problems if p.is_kind(problems.SHEET_MISSING)
        }
        for plan_field in layout.PLAN_FIELDS:
            entry = self.raw.plan.get(plan_field.key)
            value = entry.value if entry else None
            cell = entry.cell if entry else ""
            if cell:
                details.cells[plan_field.key] = cell
            if value is None:
                if plan_field.required and plan_present:
                    self.problems.append(
                        problems.PLAN_FIELD_MISSING.at(sheet, cell, field=self._label(plan_field))
                    )
                continue
            if plan_field.kind == "date":
                parsed = self._plan_date(plan_field, value, sheet, cell)
                setattr(details, plan_field.key, parsed)
            elif plan_field.kind == "status":
                details.status_text = as_text(value)
                details.status = Status.from_cell(details.status_text)
                if details.status is None:
                    self.problems.append(problems.STATUS_UNKNOWN.at(sheet, cell, value=value))
            elif plan_field.kind == "financial_years":
                style = FinancialYears.from_cell(as_text(value))
                if style is None:
                    self.problems.append(
                        problems.FINANCIAL_YEARS_UNKNOWN.at(sheet, cell, value=value)
                    )
                details.financial_years = style or FinancialYears.TO
            elif plan_field.kind == "lines":
                details.objectives = lines(as_text(value))
            elif plan_field.kind == "long":
                details.introduction = as_text(value)
            elif plan_field.kind == "welsh":
                continue  # read beside the English by welsh_reader.py
            else:
                setattr(details, plan_field.key, squash(as_text(value)))
        meeting, report = details.meeting_date, details.report_date
        if meeting and report and meeting < report:
            entry = self.raw.plan.get("meeting_date")
            self.problems.append(
                problems.MEETING_BEFORE_REPORT.at(
                    sheet,
                    entry.cell if entry else "",
                    meeting=format_date(meeting),
                    report=format_date(report),
                )
            )
        return details

    def _plan_date(
        self, plan_field: layout.PlanField, value: object, sheet: str, cell: str
    ) -> dt.date | None:
        value = as_typed(value, self.raw.date_system)  # `2026` typed into a date cell: a year
        if isinstance(value, dt.date):
            day: dt.date | None = value.date() if isinstance(value, dt.datetime) else value
        else:
            deadline = parse_deadline(value, self.raw.date_system)
            day = deadline.due if deadline.kind is DeadlineKind.DATE else None
            if (
                day is not None
                and day.year in PLAN_YEARS
                and deadline.problem is DeadlineNote.SERIAL
            ):
                self.problems.append(
                    problems.DATE_AS_NUMBER.at(sheet, cell, value=value, date=format_date(day))
                )
        if day is not None and day.year in PLAN_YEARS:
            return day
        kind = problems.DATE_INVALID if plan_field.required else problems.DATE_UNCLEAR
        detail = "" if day is None else f" ({_(OUTSIDE_PLAN_YEARS) % _PLAN_YEAR_SPAN})"
        self.problems.append(
            kind.at(sheet, cell, value=value, field=self._label(plan_field), detail=detail)
        )
        return None

    def framework(self, details: PlanDetails, override: Framework | None) -> Framework | None:
        entry = self.raw.plan.get("framework_id")
        sheet, cell = self.raw.plan_sheet, entry.cell if entry else ""
        if override is not None:
            if details.framework_id and not frameworks.is_named(details.framework_id, override):
                self.problems.append(
                    problems.FRAMEWORK_MISMATCH.at(
                        sheet, cell, value=details.framework_id, used=override.id
                    )
                )
            return override
        if not details.framework_id:
            return None
        framework = frameworks.find_named(details.framework_id)
        if framework is None:
            known = ", ".join(frameworks.available())
            self.problems.append(
                problems.FRAMEWORK_UNKNOWN.at(sheet, cell, value=details.framework_id, known=known)
            )
        return framework

    # --------------------------------------------------------------- table sheets

    def owners(self) -> list[Owner]:
        owners = []
        for table, number, values in self._rows(layout.OWNERS):
            name = squash(as_text(values.get("name")))
            if not name:
                continue
            owners.append(
                Owner(
                    name=name,
                    role=as_text(values.get("role")),
                    email=as_text(values.get("email")),
                    source=self._source(table, number),
                )
            )
        return owners

    def sections(self, framework: Framework) -> list[Section]:
        found: dict[str, Section] = {}
        for table, number, values in self._rows(layout.SECTIONS):
            ref = as_text(values.get("module_ref")).rstrip(".")
            module = framework.module(ref)
            if module is None:
                title = match_key(as_text(values.get("module")))
                module = next((m for m in framework.modules if match_key(m.title) == title), None)
            if module is None:
                if ref or values.get("module"):
                    value = ref or as_text(values.get("module"))
                    self._report(
                        problems.MODULE_UNKNOWN,
                        table,
                        number,
                        "module_ref",
                        value=value,
                        framework=framework.short_title,
                    )
                continue
            if module.ref in found:
                self._repeated(table, number, "module_ref", module.label, found[module.ref].source)
                continue
            found[module.ref] = Section(
                module=module,
                lead_officer=squash(as_text(values.get("lead_officer"))),
                aspirations=lines(as_text(values.get("aspirations"))),
                source=self._source(table, number),
                title=squash(as_text(values.get("section_title"))),
            )
        # The rows' order is the plan's order. Every module gets a section, so actions
        # under a module with no row still print: those follow, in framework order.
        ordered = list(found.values())
        ordered += [Section(module=m) for m in framework.modules if m.ref not in found]
        in_framework_order = [s.module.ref for s in ordered] == [m.ref for m in framework.modules]
        for number, section in enumerate(ordered, start=1):
            section.number = number
            section.shown_number = section.module.ref if in_framework_order else str(number)
        table = self.raw.tables.get(layout.SECTIONS.name)
        if found and table is not None:  # a row deleted, not a sheet left empty
            for section in ordered[len(found) :]:
                self.problems.append(
                    problems.SECTION_ROW_MISSING.at(
                        table.title,
                        item=section.module.ref,
                        module=section.module.label,
                    )
                )
        return ordered

    def _repeated(
        self, table: RawTable, number: int, key: str, label: str, first: Source | None
    ) -> None:
        """ROW_REPEATED: a second row for one module or theme, which the plan cannot use."""
        other = first.row if first is not None else ""
        self._report(problems.ROW_REPEATED, table, number, key, value=label, other_row=other)

    def _level(
        self, framework: Framework, table: RawTable, number: int, key: str, value: object
    ) -> Level | None:
        """The framework's level a cell names; LEVEL_INVALID lists that framework's levels."""
        if value is None:
            return None
        level = framework.level(as_text(value))
        if level is None:
            levels = level_list(framework.assessment_levels)
            self._report(
                problems.LEVEL_INVALID, table, number, key,
                value=value, levels=levels, framework=framework.short_title,
            )  # fmt: skip
        return level

    def assessments(self, framework: Framework) -> list[Assessment]:
        out: list[Assessment] = []
        seen: dict[str, Source | None] = {}
        for table, number, values in self._rows(layout.ASSESSMENT):
            ref = as_text(values.get("theme_ref"))
            theme = framework.theme(ref)
            if theme is None:
                resolved = framework.resolve(ref or as_text(values.get("theme")))
                theme = framework.theme_of(resolved)
            if theme is None:
                value = ref or as_text(values.get("theme"))
                self._report(
                    problems.THEME_UNKNOWN,
                    table,
                    number,
                    "theme_ref",
                    value=value,
                    framework=framework.short_title,
                )
                continue
            if theme.ref in seen:
                self._repeated(table, number, "theme_ref", theme.label, seen[theme.ref])
                continue
            seen[theme.ref] = self._source(table, number)
            target_date = None
            if values.get("target_date") is not None:
                target_date = self._date_deadline(
                    table, number, "target_date", values["target_date"]
                )
            out.append(
                Assessment(
                    theme=theme,
                    current=self._level(framework, table, number, "current", values.get("current")),
                    target=self._level(framework, table, number, "target", values.get("target")),
                    target_date=target_date,
                    evidence=as_text(values.get("evidence")),
                    source=self._source(table, number),
                    theme_text=as_text(values.get("theme")),
                )
            )
        order = {t.ref: i for i, t in enumerate(framework.themes)}
        return sorted(out, key=lambda a: order[a.theme.ref])

    def actions(self, framework: Framework) -> list[Action]:
        out: list[Action] = []
        # Plans repeat the same point text on many rows; resolve each text once.
        resolve = functools.lru_cache(maxsize=4096)(framework.resolve)
        rows = [r for r in self._rows(layout.ACTIONS) if is_action_row(r[2])]
        # Officers' own refs first, so a made-up one never takes a ref typed further down.
        taken = {match_key(squash(as_text(r[2].get("ref")))) for r in rows} - {""}
        unreferenced: list[str] = []
        # With a text column missing (already COLUMN_MISSING), its text could not be read:
        # a row may hold it, so it is not called empty.
        sheet = self.raw.tables.get(layout.ACTIONS.name)
        readable = sheet is not None and all(key in sheet.columns for key in _TEXT_FIELDS)
        for table, number, values in rows:
            action = Action(row=number, source=self._source(table, number))
            action.ref = squash(as_text(values.get("ref")))
            action.point_text = as_text(values.get("point"))
            for key in ("evidence", "action", "outcome", "progress"):
                setattr(action, key, as_text(values.get(key)))
            action.owner = squash_lines(as_text(values.get("owner")))
            action.strand = squash_lines(as_text(values.get("strand")))
            resolved = resolve(action.point_text) if action.point_text else None
            if not action.ref:
                prefix = resolved.ref if resolved is not None else "X"
                texts = (action.evidence, action.action)
                action.ref, action.ref_generated = generate_ref(prefix, texts, taken), True
                unreferenced.append(table.cell("ref", number))
            item = action.display_ref
            if readable and not any(getattr(action, key) for key in _TEXT_FIELDS):
                self._report(problems.ROW_NO_TEXT, table, number, "evidence", item=item)
            if resolved is None:
                value = action.point_text or "(empty)"
                suggestion = (
                    _suggest(action.point_text, framework.choices())
                    if action.point_text
                    else " Every action needs a framework point."
                )
                self._report(
                    problems.POINT_UNKNOWN, table, number, "point",
                    item=item, value=value, suggestion=suggestion, **frameworks.point_words(framework),
                )  # fmt: skip
            else:
                action.theme = framework.theme_of(resolved)
                action.point = resolved if isinstance(resolved, Point) else None
            rag_value = values.get("rag")
            if rag_value is not None:
                rag = Rag.from_cell(as_text(rag_value))
                if rag is None:
                    self._report(
                        problems.RAG_INVALID, table, number, "rag", item=item, value=rag_value
                    )
                else:
                    action.rag = rag
            if values.get("deadline") is not None:
                action.deadline = self._deadline(
                    table, number, "deadline", values["deadline"], item=item
                )
            status_value = values.get("status")
            if status_value is not None:
                action.status = ActionStatus.from_cell(as_text(status_value))
                if action.status is None:
                    self._report(
                        problems.ACTION_STATUS_UNKNOWN,
                        table, number, "status", item=item, value=status_value,
                    )  # fmt: skip
            for key in layout.ACTION_DATE_KEYS:
                if values.get(key) is not None:
                    day = self._cell_date(table, number, key, values[key], item)
                    if isinstance(day, str):
                        action.dates_as_written[key] = day
                    else:
                        setattr(action, key, day)
            out.append(action)
        self._report_missing_refs(out, unreferenced)
        return out

    def _report_missing_refs(self, actions: list[Action], cells: list[str]) -> None:
        """One warning for every action without a Ref, naming the cells: never one per row."""
        table = self.raw.tables.get(layout.ACTIONS.name)
        if cells and table is not None:
            example = next(a.ref for a in actions if a.ref_generated)
            has_column = "ref" in table.columns
            self.problems.append(missing_refs(table.title, cells, has_column, example))


def _suggest(text: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(
        match_key(text), [match_key(c) for c in choices], n=1, cutoff=0.6
    )
    if not close:
        return ""
    original = next(c for c in choices if match_key(c) == close[0])
    return f" Did you mean '{original}'?"
