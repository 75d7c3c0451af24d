"""Collect the owners' returns into the plan: `eqplan merge` (issue 13).

Each return is a workbook `eqplan split` wrote (pipeline/split.py), whose
hidden record says which plan and version it came from and what every row
held when sent. A cell the owner changed is one whose value differs from
what was sent; that is a three-way comparison, so the plan's own later edits
are never taken for the owner's:

- an owner's field changed (Progress update, RAG, Status, Completed on, Next
  review, Deadline) is applied to the plan; a new Progress update also goes
  into the Progress log, dated the day the return was saved;
- the same field changed differently by two returns (joint owners), or
  changed in the plan since it was sent, is a conflict: the plan keeps its
  value and every side is listed, and that return's other changes to the
  action are not applied either (pipeline/merge_apply.py decides);
- a locked field changed is listed with its cell and never applied;
- a row added is added to the plan with its own Ref, shaded and noted for
  review; a row deleted is kept in the plan and listed;
- a return from another plan or another report date, not made by split, or
  not a workbook at all, is refused with the reason, and the rest go on.

Each return is checked like any workbook and its problems reported with its
file name and cell; a cell with an error is not applied. The merged plan is
written through the template writer (`WorkbookData`), never over an input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from pipeline import problems, uk_clock
from pipeline.deadlines import as_date
from pipeline.i18n import _, use_language
from pipeline.io import refuse_overwriting_inputs, refuse_replacing, write_output
from pipeline.merge_apply import HEADINGS, Change, Decide, as_said
from pipeline.merge_intake import (
    Incoming,
    OpenedReturn,
    added_before,
    as_merged,
    copies,
    digest_of,
    merged_before,
    new_ref_prefix,
    open_return,
    resolved,
    skip,
)
from pipeline.merge_log import log_added
from pipeline.merge_not_returned import not_returned
from pipeline.merge_report import RENAMED, SKIPPED, MergeReport, ReturnOutcome
from pipeline.merge_versions import skip_older_versions
from pipeline.merge_warnings import ReturnWarnings
from pipeline.model import Action, Framework, Plan
from pipeline.owners import OwnerNames
from pipeline.refs import generate_ref
from pipeline.sources import shown_names
from pipeline.split import BY_OWNER, checked_master, plan_identity
from pipeline.text import match_key
from pipeline.workbook import layout
from pipeline.workbook.line_up import line_up
from pipeline.workbook.merged_record import (
    MergedRecordDamaged,
    MergedReturn,
    merged_returns,
    write_merged_returns,
)
from pipeline.workbook.reader import RawWorkbook
from pipeline.workbook.returns import (
    RETURN_FIELDS,
    SentRow,
    mark_for_review,
    sent_text,
)
from pipeline.workbook.upgrade import WorkbookData, in_1900_values, read_data, workbook_language
from pipeline.workbook.words import action_word


def merge_workbooks(
    master: Path,
    returns: list[Path],
    target: Path,
    *,
    force: bool = False,
    framework: Framework | None = None,
    inputs: tuple[Path | None, ...] = (),
    today: dt.date | None = None,
    language: str | None = None,
) -> MergeReport:
    """Apply the returns to master and write the merged plan to target; master is never changed.

    language (`en`, `cy`) is the merged plan's (the template's words and the dropdown words)
    and the report's; None: the language the plan was made in. Returns from a Welsh or an
    English split are merged alike.
    """
    everything = [master, *returns, *inputs]
    refuse_overwriting_inputs([target], everything, hint="Choose another name with -o.")
    if not force:
        refuse_replacing(target)
    raw, plan = checked_master(
        master,
        framework,
        "no returns were merged",
        "Give the plan's own workbook first, then the owners' returns.",
    )
    incoming = [
        Incoming(path, name, resolved(path))
        for path, name in zip(returns, shown_names(returns), strict=True)
    ]
    report, save = merge_returns(
        raw,
        plan,
        master.name,
        incoming,
        framework=framework,
        today=today,
        language=language or workbook_language(raw),
    )
    report.output = str(target)
    write_output(target, save, everything, suffix=".xlsx")
    return report


def merge_returns(
    raw: RawWorkbook,
    plan: Plan,
    name: str,
    returns: list[Incoming],
    *,
    framework: Framework | None = None,
    today: dt.date | None = None,
    language: str = "en",
    plan_language: str | None = None,
) -> tuple[MergeReport, Callable[[Path | BinaryIO], None]]:
    """The report and the merged plan's save (to a path or stream), from a plan with no errors.

    name is the plan's file name as the report gives it; the web page calls
    this with uploads held in memory, `eqplan merge` with files. The returns'
    problems and the notes are written in language; the merged plan in plan_language
    (default: language), the web page giving the report in its own language.
    """
    merger = _Merger(plan, read_data(raw, framework), name, today or uk_clock.uk_today())
    try:  # the returns merged into it before
        merger.merged = merged_returns(raw.unread_sheets)
    except MergedRecordDamaged:  # not to be trusted: each return is compared with what was sent
        merger.report.record_not_used = True
    merger.recorded = len(merger.merged)
    with use_language(language):
        skipped = copies(returns)
        opened = [merger.open(incoming, skipped.get(n)) for n, incoming in enumerate(returns)]
        merger.take([found for found in opened if found is not None])
        merger.apply()
        merger.report.own_not_copied = merger.data.own.not_copied()  # said in the report's
    merger.report.not_returned = not_returned(plan, merger.report.returns)
    with use_language(plan_language or language):  # its Read me and notes too
        workbook = merger.data.workbook(plan_language or language)
        mark_for_review(workbook, {row: _review_note(**n) for row, n in merger.review.items()})
        write_merged_returns(workbook, merger.merged)
    merger.report.language = language
    return merger.report, workbook.save


class _Merger:
    """The master's data, changed return by return, and the report of what happened."""

    def __init__(self, plan: Plan, data: WorkbookData, name: str, today: dt.date) -> None:
        self.plan, self.data, self.name, self.today = plan, data, name, today
        self.identity = plan_identity(plan)
        self.report = MergeReport()
        self.changes: list[Change] = []
        self.review: dict[int, dict] = {}  # merged workbook row -> its note's words (added rows)
        by_row = dict(zip(data.action_rows, data.actions, strict=True))
        self.actions: dict[tuple[str, int], tuple[Action, dict[str, object]]] = {}
        for action in plan.actions:
            values = by_row[action.row]
            if action.ref_generated:  # written in, so the Ref no longer moves with the text
                values["ref"] = action.ref
            self.actions[(match_key(action.display_ref), action.occurrence)] = (action, values)
        self.taken = {key for key, _occurrence in self.actions}
        self.owner_names = OwnerNames(plan.owners)
        self.warnings: list[ReturnWarnings] = []  # sorted once every change is applied
        self.merged: list[MergedReturn] = []  # the plan's record, and the returns merged now
        self.recorded = 0  # how many of them the plan's record holds

    # -------------------------------------------------------------- one return
    def open(self, incoming: Incoming, copy_note: str | None = None) -> OpenedReturn | None:
        """One return checked and opened; None when skipped (a copy of another given, a file
        merged before) or refused."""
        outcome = ReturnOutcome(incoming.name)
        self.report.returns.append(outcome)
        if copy_note:  # given twice, or saved twice under two names: merged once
            return skip(outcome, copy_note)
        digest = digest_of(incoming.source)
        if merged_before(outcome, digest, self.merged, self.identity["report_date"]):
            return None
        found = open_return(incoming, outcome, self.identity, self.plan.framework, self.today)
        if found is not None:
            found.digest = digest
        return found

    def take(self, opened: list[OpenedReturn]) -> None:
        """Note the changes of the returns opened; of versions of one return, only the newest
        saved (merge_versions): an older one would undo what the owner said later."""
        skip_older_versions(opened, self.merged[: self.recorded])
        for found in opened:
            outcome = found.outcome
            if outcome.status == SKIPPED:
                continue
            entry = as_merged(found, found.digest, self.merged, self.today, self.recorded)
            self.merged.append(entry)
            self._compare(found)
            dated = any(c.file == outcome.file for c in self.changes) or any(
                n["file"] == outcome.file for n in self.report.new
            )
            if dated and outcome.saved_on is None:  # the report says today dated its updates
                outcome.dated_by_merge = found.day

    def _compare(self, found: OpenedReturn) -> None:
        """Line up the return's rows with the rows sent, by Ref; note changes, added and deleted rows.

        A row whose Ref the owner typed over is still lined up, by its point and
        action text, and the Ref is listed as a locked change; a row holding an
        action of the plan that was not sent in this workbook (pasted from another
        owner's) is listed, not added again.
        """
        table = found.raw.tables[layout.ACTIONS_SHEET]
        system = found.raw.date_system  # the plan's data is in the 1900 system (read_data)
        values_by_row = {row.number: in_1900_values(row.values, system) for row in table.rows}
        sent: dict[str, list[SentRow]] = {}
        for row in found.record.rows:
            sent.setdefault(match_key(row.ref), []).append(row)
        file = found.outcome.file
        touched: set[int] = set()  # rows the owner changed or added
        checks = ReturnWarnings(found.outcome, table.title, touched)
        self.warnings.append(checks)
        rows = [(action, values_by_row.get(action.row, {})) for action in found.plan.actions]
        pairs, unmatched, held = line_up(rows, sent)
        for action, values, ref_of, words_of in held:
            self.report.ref_and_words_differ.append(
                {
                    "ref": sent_text(values.get("ref")),
                    "ref_of": ref_of or None,
                    "words_of": words_of or None,
                    "file": file,
                    "cell": f"{table.title}!{table.cell('ref', action.row)}",
                }
            )
        plan_actions = [a for a, _values in self.actions.values()]
        for action, values in unmatched:
            if self._in_plan(values):
                self.report.not_sent.append(
                    {
                        "ref": sent_text(values.get("ref")),
                        "file": file,
                        "cell": f"{table.title}!{table.cell('ref', action.row)}",
                    }
                )
            elif not added_before(action, plan_actions, found.plan.actions):
                self._add(found, action, values)
                touched.add(action.row)
        for action, values, row in pairs:
            self._changes(found, action, values, row, checks)
        for rows in sent.values():
            for row in rows:
                self.report.missing.append({"ref": row.ref, "file": file, "missing_from": "return"})

    def _text(self, key: str, value: object) -> str:
        """A field's value as compared: a Welsh dropdown word (`Gwyrdd`) as its English."""
        return sent_text(action_word(key, value, self.plan.framework))

    def _same(self, key: str, now: str, was: str) -> bool:
        """Whether two values of a field are one to the plan: a Ref, or owners, in another
        case or spacing are (owners matched as everywhere, pipeline.owners)."""
        if key == "ref":
            return match_key(now) == match_key(was)
        if key == "owner":
            return self.owner_names.names(now) == self.owner_names.names(was)
        return now == was

    def _in_plan(self, values: dict[str, object]) -> bool:
        """The row is one of the plan's actions (same Ref and action text), not a new one."""
        ref, text = (
            match_key(sent_text(values.get("ref"))),
            match_key(sent_text(values.get("action"))),
        )
        return bool(ref and text) and any(
            key == ref and match_key(action.action) == text
            for (key, _occurrence), (action, _values) in self.actions.items()
        )

    def _changes(
        self,
        found: OpenedReturn,
        action: Action,
        values: dict[str, object],
        row: SentRow,
        checks: ReturnWarnings,
    ) -> None:
        """The owner's changes to one sent row: owner's fields kept for apply(), locked ones
        listed; what the owner left as sent noted, for telling which warnings still hold."""
        table = found.raw.tables[layout.ACTIONS_SHEET]
        file = found.outcome.file
        master = self.actions.get((match_key(row.ref), row.occurrence))
        if master is None:
            self.report.missing.append({"ref": row.ref, "file": file, "missing_from": "plan"})
            return
        as_sent: dict[str, str] = {}
        checks.as_sent[action.row] = (master[1], as_sent)
        said = found.said.setdefault((match_key(row.ref), row.occurrence), {})
        earlier = (found.earlier or {}).get((match_key(row.ref), row.occurrence), {})
        for key, heading in HEADINGS.items():
            if key not in table.columns:
                continue
            now, sent = self._text(key, values.get(key)), self._text(key, row.values.get(key))
            was = earlier.get(key, sent)  # a corrected return: what its earlier version said
            if key == "progress" and not now and key in earlier and was == sent:
                now = was  # left empty after the update sent was withdrawn: no clearing
            cell = table.cell(key, action.row)
            if key in RETURN_FIELDS:  # what the record of merged returns keeps
                said[key] = as_said(key, now, was, sent, error=cell in found.error_cells)
            if self._same(key, now, was):
                if key not in _SET_WITH_AN_UPDATE:
                    as_sent[key] = was
                continue
            checks.touched.add(action.row)
            checks.changed_cells.add(cell)
            if cell in found.error_cells:
                continue  # reported with the return's problems
            if key not in RETURN_FIELDS:
                self.report.locked_changed.append(
                    {
                        "ref": row.ref,
                        "field": heading,
                        "file": file,
                        "cell": f"{table.title}!{cell}",
                        "typed": now,  # what the owner typed, for the officer to copy across
                    }
                )
                continue
            self.changes.append(
                Change(
                    (match_key(row.ref), row.occurrence), master[0].display_ref, key,
                    _as_typed(values.get(key)), now, was, file, found.outcome.group, found.day,
                    self._text("progress", values.get("progress")),
                    first_sent=row.values if was != sent else None,
                    earlier_day=_logged_on(found.outcome.merged_before),
                    sent_on=as_date(found.record.get("split_on")),
                )
            )  # fmt: skip

    def _add(self, found: OpenedReturn, action: Action, values: dict[str, object]) -> None:
        """A row the owner added: into the plan with a Ref of its own, noted for review."""
        row = {key: _as_typed(value) for key, value in values.items()}
        ref = typed = sent_text(row.get("ref"))
        if not ref or match_key(ref) in self.taken:  # another action's Ref: the owner is told
            ref = generate_ref(new_ref_prefix(action), (action.evidence, action.action), self.taken)
        self.taken.add(match_key(ref))
        row["ref"] = ref
        if not row.get("owner") and found.record.get("by") == BY_OWNER:
            row["owner"] = found.outcome.group  # so no OWNER_MISSING about it either
            found.outcome.problems = [
                p
                for p in found.outcome.problems
                if not (p.is_kind(problems.OWNER_MISSING) and p.row == action.row)
            ]
        self.data.actions.append(row)
        log_added(self.data.progress_log, row, found.day, found.outcome.group)
        number = len(self.data.actions) + 1
        file = found.outcome.file
        cell = f"{found.raw.tables[layout.ACTIONS_SHEET].title}!A{action.row}"
        renamed = typed if typed and typed != ref else None
        self.review[number] = {"file": file, "day": found.day, "typed": renamed, "ref": ref}
        self.report.new.append(
            {"ref": ref, "file": file, "cell": cell, "row": number, "typed_ref": renamed}
        )

    # -------------------------------------------------------------- all returns
    def apply(self) -> None:
        """Apply the changes found in every return, as pipeline.merge_apply decides."""
        applied = Decide(
            self.actions, self.data.progress_log, self.report, self.name, self._text,
            self.plan.details.report_date,
        ).apply(self.changes)  # fmt: skip
        for checks in self.warnings:
            checks.keep_those_that_hold(lambda key, a, b: self._same(key, self._text(key, a), b))
        if any(c.field == layout.PROGRESS_CY for c in applied):
            self.data.welsh = True  # the merged plan gets the (Cymraeg) columns to hold it


#: Fields merge itself sets when it takes in a new update (its date; the old Welsh moved to
#: the log): never a sign that the plan changed since the return was sent.
_SET_WITH_AN_UPDATE = frozenset({"last_updated", layout.PROGRESS_CY})


def _review_note(file: str, day: dt.date, typed: str | None, ref: str) -> str:
    """The note on an added row, in the language being written."""
    fields = {"file": file, "day": day.isoformat(), "typed": typed, "ref": ref}
    note = _("Added from %(file)s (saved %(day)s): check it before the report.") % fields
    return f"{note} {_(RENAMED) % fields}" if typed else note


def _logged_on(earlier: MergedReturn | None) -> dt.date | None:
    """The day the earlier version of a return (merged before) dated its updates on the log."""
    return earlier.logged_on if earlier is not None else None


def _as_typed(value: object) -> object:
    """A value read from a return, as the filler writes it (a date cell's midnight dropped)."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value
