"""The workbook officers fill for the next report: `eqplan next-period` (issue 12).

The same actions with the same Refs, each progress update moved into the
Progress log (dated its Last updated as typed, else the current report date; By the
action's owner; its Welsh, when typed, in the log's `Update (Cymraeg)`) and
the Progress update cells, its Welsh and (for an open action) Last updated
cleared for the new update, RAG and Status kept as they are, and the Plan's
report date moved on. An update `eqplan merge` already logged (same Ref and
words) is not logged twice. An action with no Ref of its own gets the one eqplan
made for it (pipeline.refs) written into its Ref cell, so its log entries
stay matched to it however its text is edited later.

Complete actions are carried as they are: kept on the Actions sheet with
their RAG, Status, Completed on and Last updated unchanged (committees still
see what was finished). One whose latest log entry does not record it
finished gets a note saying so (`CARRIED_NOTE`); one whose final update is
logged keeps that update as the latest, which the plan prints.

It is written through the template and the filler (pipeline/workbook/upgrade.py),
so an older workbook comes out upgraded too; the current workbook is only read.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.deadlines import DeadlineKind, as_date, format_date, parse_deadline
from pipeline.errors import EqplanError, WorkbookInvalid
from pipeline.formats import format_number
from pipeline.i18n import N_, _, in_welsh, ngettext
from pipeline.io import refuse_overwriting_inputs, refuse_replacing
from pipeline.model import Action, Framework, Plan
from pipeline.problem_types import cell_address
from pipeline.progress_log import RATING_FIELDS, logged_row, not_applied
from pipeline.rag import Rag
from pipeline.render.context_words import counted
from pipeline.status import ActionStatus
from pipeline.text import match_key
from pipeline.welsh_text import welsh_name
from pipeline.workbook import layout
from pipeline.workbook.other_sheets import refuse_split_workbook
from pipeline.workbook.reader import read_workbook
from pipeline.workbook.sheet_scan import column_letter
from pipeline.workbook.to_model import build_plan
from pipeline.workbook.upgrade import WorkbookData, read_data, workbook_language

#: Months between reports unless --report-date says otherwise (councils report quarterly).
REPORT_MONTHS = 3
#: The Progress log's note for a Complete action carried into the next period.
CARRIED_NOTE = N_("Complete: carried forward to the next report unchanged.")


@dataclass
class NextPeriod:
    """What `eqplan next-period` did, for its report to the officer."""

    data: WorkbookData
    report_date: dt.date
    next_report_date: dt.date
    moved: int = 0  # progress updates moved into the log
    already_logged: int = 0  # updates `eqplan merge` had logged already: their cells only cleared
    carried: int = 0  # Complete actions noted as carried
    refs_written: list[str] = field(default_factory=list)  # Refs eqplan made, now in the workbook
    # Last updated cells that hold no date: (Actions cell, text as typed, Progress log cell
    # of the entry now dated so), said to the officer rather than redated silently.
    dated_as_typed: list[tuple[str, str, str]] = field(default_factory=list)
    #: Refs with merge conflicts still to settle (Not applied rows, CONFLICT_UNSETTLED).
    unsettled: list[str] = field(default_factory=list)
    #: The Progress log sheet's name in the workbook written (Welsh in a Welsh template's).
    log_sheet: str = layout.PROGRESS_LOG_SHEET
    date_given: bool = False  # the new report date came from --report-date
    language: str = "en"  # the workbook's (upgrade.workbook_language): the report's too


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day months later; the month's last day stays the last day (30 Sep -> 31 Dec)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    was_last = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month, last if was_last else min(day.day, last))


def parse_report_date(text: str) -> dt.date:
    """A date as officers type it (30/11/2026, 2026-11-30); EqplanError (exit code 2) otherwise."""
    deadline = parse_deadline(text)
    if deadline.kind is DeadlineKind.DATE and deadline.due:
        return deadline.due
    raise EqplanError(
        f"--report-date {text} is not a date.", hint="Give a date such as 31/03/2027 (day first)."
    )


def next_period_workbook(
    source: Path,
    target: Path,
    *,
    report_date: dt.date | None = None,
    force: bool = False,
    framework: Framework | None = None,
) -> NextPeriod:
    """Write the next period's workbook for source to target; source is never changed."""
    refuse_overwriting_inputs([target], [source], hint="Choose another name with -o.")
    if not force:
        refuse_replacing(target)
    raw = read_workbook(source)
    refuse_split_workbook(raw.sheet_names, raw.shown, "no next period's workbook was written")
    data = read_data(raw, framework)
    plan, _problems = build_plan(raw, data.framework)
    current = plan.details.report_date if plan is not None else None
    if plan is None or current is None:
        raise WorkbookInvalid(
            f"{raw.shown}: the Plan sheet has no report date, so the updates cannot be dated.",
            hint="Fill in 'Report date' on the Plan sheet, then run the command again.",
        )
    result = NextPeriod(data, current, report_date or add_months(current, REPORT_MONTHS))
    result.date_given = report_date is not None
    result.language = workbook_language(raw)
    if result.language == "cy":
        result.log_sheet = welsh_name(layout.PROGRESS_LOG_SHEET)
    _move_updates(plan, result)
    result.unsettled = list(dict.fromkeys(e.ref for e in plan.progress_log if not_applied(e)))
    data.plan["report_date"] = result.next_report_date
    data.save_to(target, source, language=result.language)
    return result


def _move_updates(plan: Plan, result: NextPeriod) -> None:
    """Each update into the log with its Welsh, dated as typed (else the report date); a
    Complete action whose log does not end with its completion noted as carried."""
    data = result.data
    by_row = dict(zip(data.action_rows, data.actions, strict=True))
    for action in plan.actions:
        values = by_row.get(action.row)
        if values is None:
            continue
        if action.ref_generated:
            values["ref"] = action.ref
            result.refs_written.append(action.ref)
        entry = {
            "ref": action.ref,
            "date": result.report_date,
            "rag": values.get("rag"),
            "status": values.get("status"),
            "by": action.owner or None,
        }
        welsh = values.get(layout.PROGRESS_CY)
        if action.progress:
            # The entry `eqplan merge` made for this very update (it dates the entry and
            # Last updated alike): the update is logged already.
            merged = (
                logged_row(data.progress_log, action.ref, action.progress, action.last_updated)
                if action.last_updated is not None
                else None
            )
            if merged is not None:
                result.already_logged += 1
                if welsh and not merged.get("update_cy"):  # typed after the merge
                    merged["update_cy"] = welsh
                # The rating and status reported with it: an officer's correction after the
                # merge (a conflict settled, a typing error) is what went to committee.
                merged.update({name: values.get(name) for name in RATING_FIELDS})
            else:
                result.moved += 1
                data.progress_log.append(
                    {
                        **entry,
                        "date": _logged_date(action, result),
                        "update": action.progress,
                        "update_cy": welsh,
                    }
                )
            values["progress"] = None
            if not action.is_complete:  # the date of the update just moved, not of the next
                values["last_updated"] = None
        elif welsh:  # an update given in Welsh only: logged as it is, not left for next time
            data.progress_log.append(
                {**entry, "date": _logged_date(action, result), "update_cy": welsh}
            )
        # The Welsh goes with its update (into the log), never to stand beside next
        # quarter's new words as if it were their Welsh.
        values[layout.PROGRESS_CY] = None
        if (
            not action.progress
            and action.is_complete
            and not _log_ends_complete(data.progress_log, action.ref)
        ):
            note = {**entry, "update": CARRIED_NOTE}
            if data.welsh:  # its Welsh too: a Welsh plan prints it (WELSH_TEXT_MISSING)
                note["update_cy"] = in_welsh(CARRIED_NOTE)
            data.progress_log.append(note)
            result.carried += 1


def _logged_date(action: Action, result: NextPeriod) -> dt.date | str:
    """The date of the update about to be logged: its Last updated, else the report date. A
    Last updated that is no date (DATE_UNCLEAR) is logged as typed, never replaced by the
    report date, and noted for the officer with the cell it will be in."""
    typed = action.dates_as_written.get("last_updated")
    if action.last_updated is not None or not typed:
        return action.last_updated or result.report_date
    source = action.source
    cell = cell_address(source.sheet, source.cell("last_updated")) if source else action.ref
    row = len(result.data.progress_log) + 2  # the entry about to be added, under the headings
    date_column = [c.key for c in layout.PROGRESS_LOG.columns].index("date") + 1
    log_cell = cell_address(result.log_sheet, f"{column_letter(date_column)}{row}")
    result.dated_as_typed.append((cell, typed, log_cell))
    return typed


def _log_ends_complete(log: list[dict], ref: str) -> bool:
    """Whether the action's latest log entry already records it finished (a Complete rating
    or status, or the carried-forward note): then that entry is what the plan prints."""
    key = match_key(ref)
    entries = [e for e in log if match_key(str(e.get("ref", ""))) == key]
    if not entries:
        return False
    latest = max(
        enumerate(entries), key=lambda pair: (as_date(pair[1].get("date")) or dt.date.min, pair[0])
    )[1]
    return (
        str(latest.get("update", "")).strip() == CARRIED_NOTE
        or Rag.from_cell(str(latest.get("rag") or "")) is Rag.COMPLETE
        or ActionStatus.from_cell(str(latest.get("status") or "")) is ActionStatus.COMPLETE
    )


def summary_lines(result: NextPeriod) -> list[str]:
    """The command's report: dates, what moved and what to check, in the language being
    written (the command's: a Welsh plan's is Welsh)."""
    sheet, log = _(layout.PLAN_SHEET), _(layout.PROGRESS_LOG_SHEET)
    old, new = format_date(result.report_date), format_date(result.next_report_date)
    moved = counted(
        result.moved, "%(count)s progress update", "%(count)s progress updates", none=False
    )
    carried = counted(
        result.carried, "%(count)s complete action", "%(count)s complete actions", none=False
    )
    lines = [
        _("Report date %(old)s -> %(new)s (on the %(sheet)s sheet).")
        % {"old": old, "new": new, "sheet": sheet},
        _("%(moved)s moved to the %(log)s sheet; %(carried)s noted there as carried forward.")
        % {
            "moved": moved,
            "log": log,
            "carried": carried,
        },
    ]
    if result.next_report_date <= result.report_date:
        lines.append(
            _(
                "The new report date, %(new)s, is not after the current one (%(old)s): if "
                "--report-date was mistyped, delete the new workbook and run the command again "
                "with the right date."
            )
            % {"new": new, "old": old}
        )
    elif not result.moved and not result.already_logged and not result.date_given:
        lines.append(
            _(
                "No action had a progress update to move. If this workbook was itself made by "
                "next-period and not filled in since, its report date has now moved on twice "
                "(to %(new)s): delete the new workbook and roll forward the one holding this "
                "period's updates, or give --report-date."
            )
            % {"new": new}
        )
    if result.already_logged:
        lines.append(
            ngettext(
                "%(count)s more was on the %(log)s sheet already (eqplan merge logs each update "
                "it takes in): cleared from the %(actions)s sheet.",
                "%(count)s more were on the %(log)s sheet already (eqplan merge logs each update "
                "it takes in): cleared from the %(actions)s sheet.",
                result.already_logged,
            )
            % {
                "count": format_number(result.already_logged),
                "log": log,
                "actions": _(layout.ACTIONS_SHEET),
            }
        )
    if result.refs_written:
        count = len(result.refs_written)
        lines.append(
            ngettext(
                "%(count)s action had no Ref: the ones eqplan made are now in their Ref cells "
                "(such as %(ref)s).",
                "%(count)s actions had no Ref: the ones eqplan made are now in their Ref cells "
                "(such as %(ref)s).",
                count,
            )
            % {"count": format_number(count), "ref": result.refs_written[0]}
        )
    for cell, typed, log_cell in result.dated_as_typed:
        lines.append(
            _(
                '%(cell)s: Last updated "%(typed)s" is not a date, so its update went to the '
                "%(log)s dated as typed, not with the report date: type the date in "
                "%(log_cell)s, day first (such as 30/11/2026)."
            )
            % {"cell": cell, "typed": typed, "log": log, "log_cell": log_cell}
        )
    if result.unsettled:
        lines.append(
            ngettext(
                "%(count)s action still has a merge conflict to settle (%(refs)s): its Not "
                "applied rows on the %(log)s sheet are carried into the new workbook until you "
                "settle each and delete the row.",
                "%(count)s actions still have a merge conflict to settle (%(refs)s): their Not "
                "applied rows on the %(log)s sheet are carried into the new workbook until you "
                "settle each and delete the row.",
                len(result.unsettled),
            )
            % {
                "count": format_number(len(result.unsettled)),
                "refs": ", ".join(result.unsettled),
                "log": log,
            }
        )
    own = result.data.own
    if own.copied():
        lines.append(
            _("Your own columns and sheets, copied as they were: %(copied)s.")
            % {"copied": "; ".join(own.copied())}
        )
    lines += [_("Not copied: %(line)s.") % {"line": line} for line in own.not_copied()]
    lines.append(
        _(
            "Check the Version, Status, Committee and Meeting date on the %(plan)s sheet, and "
            "the title and recommendations on the %(report)s sheet, before sending the workbook "
            "out."
        )
        % {"plan": sheet, "report": _(layout.REPORT_SHEET)}
    )
    return lines
