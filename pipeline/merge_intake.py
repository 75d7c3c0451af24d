"""Taking in one owner's return for `eqplan merge`: the checks before any cell is compared.

A return given twice, or a byte-for-byte copy of another given (`Copy of X.xlsx`
beside `X.xlsx`), is skipped with a note naming the one merged in its place
(`copies`), and so is one the plan records as merged into it already
(`merged_before`); a return is refused, with the reason, when it cannot be read, was not made by `eqplan split`, or comes from another
plan or report date; otherwise it is validated like any workbook and handed
back, with the cells that have errors, for pipeline.merge to compare, and the
columns and sheets of its own that merge does not take are noted for the report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import BinaryIO, NamedTuple

from pipeline import problems
from pipeline.errors import EqplanError
from pipeline.i18n import _
from pipeline.merge_report import REFUSED, SKIPPED, ReturnOutcome
from pipeline.merge_said import EARLIER_VERSION, SENT, shown_date
from pipeline.model import Action, Framework, Plan
from pipeline.owners import OwnerNames, every_part
from pipeline.sources import file_digest
from pipeline.split import BY_OWNER, BY_SECTION, section_group
from pipeline.text import match_key
from pipeline.validate import validate_raw
from pipeline.workbook import layout, read_workbook
from pipeline.workbook.merged_record import MergedReturn, Said, saved_text
from pipeline.workbook.other_sheets import looks_like
from pipeline.workbook.own_data import own_columns, own_sheets
from pipeline.workbook.reader import RawTable, RawWorkbook
from pipeline.workbook.returns import (
    RecordDamaged,
    SentRecord,
    SentRow,
    record_in,
    saved_times,
    sent_text,
    sheets_sent,
)
from pipeline.workbook.sheet_scan import column_letter
from pipeline.workbook.upgrade import workbook_language

#: Problems a return has only because it holds part of the plan: not reported. Of the
#: others, errors are all reported, and warnings only on rows the owner changed or added
#: (the rest are the plan's own, which `eqplan validate` shows).
PART_OF_PLAN = (problems.THEME_NO_ACTIONS,)


@dataclass
class OpenedReturn:
    """A return that passed the identity checks, ready to compare."""

    outcome: ReturnOutcome
    record: SentRecord
    raw: RawWorkbook
    plan: Plan
    day: dt.date
    error_cells: set[str]
    #: What the earlier version of it merged before said, when the plan's record has it:
    #: its owner's values are compared with those, not with what was sent.
    earlier: Said | None = None
    #: What it says, as merge compares it (a cell with an error: as sent), for the record.
    said: Said = field(default_factory=dict)
    digest: str = ""  # a fingerprint of its bytes (digest_of), for the record
    #: When it was saved (UTC), as precisely as its properties say: versions sent the
    #: same day are told apart by it (merge_versions.py).
    saved_at: dt.datetime | None = None


class Incoming(NamedTuple):
    """A return to merge: what to read (a path or a binary stream), the file name the report
    gives it, and what makes two returns one file (a resolved path, an upload's digest)."""

    source: Path | BinaryIO
    name: str
    same_as: object


def digest_of(source: Path | BinaryIO) -> str:
    """A fingerprint of a return's bytes, from a file or an upload held in memory."""
    if isinstance(source, Path):
        return file_digest(source)
    start = source.tell()
    digest = hashlib.file_digest(source, "sha256").hexdigest()
    source.seek(start)
    return digest


def copies(returns: list[Incoming]) -> dict[int, str]:
    """The returns to skip, by position, each with the note the report gives: a return given
    twice, or byte for byte the same as another (an email's attachment saved twice).

    Of identical files, the one merged is the one whose name the others' names hold
    (`Democratic-Services.xlsx` beside `Copy of Democratic-Services.xlsx` or
    `Democratic-Services (1).xlsx`), else the first given; the others are skipped, not
    refused, as nothing is lost.
    """
    alike: dict[str, list[int]] = {}
    for number, incoming in enumerate(returns):
        alike.setdefault(digest_of(incoming.source), []).append(number)
    skipped: dict[int, str] = {}
    for numbers in alike.values():
        stems = {n: match_key(PurePath(returns[n].name).stem) for n in numbers}
        kept = next(
            (n for n in numbers if all(stems[n] in stems[other] for other in numbers)),
            numbers[0],
        )
        for number in numbers:
            if number == kept:
                continue
            if returns[number].same_as == returns[kept].same_as:
                skipped[number] = _("it was given twice; it is merged once.")
            else:
                skipped[number] = _(
                    "it is the same file as %(file)s (a copy), so only that one is read."
                ) % {"file": returns[kept].name}
    return skipped


def skip(outcome: ReturnOutcome, note: str) -> None:
    """Mark a return skipped (a copy of one merged in its place), with the report's note."""
    outcome.status, outcome.reason = SKIPPED, note


def merged_before(
    outcome: ReturnOutcome, digest: str, merged: list[MergedReturn], report_date: str
) -> bool:
    """Skip a return whose very bytes the plan records as merged into it for this report
    (merged_record), with a note saying when: merging it again would take the owner's
    values for fresh changes and undo what the officer has typed in since."""
    earlier = next((m for m in merged if m.digest == digest and m.report_date == report_date), None)
    if earlier is None:
        return False
    outcome.group, outcome.by, outcome.merged_before = earlier.group, earlier.by, earlier
    skip(
        outcome,
        _(
            "it was merged into this plan on %(day)s (as %(file)s), so nothing from it is "
            "applied again."
        )
        % {"day": shown_date(earlier.merged_on), "file": earlier.file},
    )
    return True


def as_merged(
    found: OpenedReturn, digest: str, merged: list[MergedReturn], today: dt.date, recorded: int
) -> MergedReturn:
    """The record of a return merged now; an earlier version of it merged before (the owner
    corrected it and sent it again) is noted on its outcome for the report, and what that
    version said, when the plan's record (merged[:recorded], not this merge's) has it, is
    what this one is compared with (found.earlier)."""
    record = found.record
    entry = MergedReturn(
        digest, record.get("report_date"), record.get("split_on"), record.get("by"),
        record.get("group"), found.outcome.file, today.isoformat(), found.said,
        saved_text(found.saved_at, found.outcome.saved_on),
    )  # fmt: skip
    earlier = next((m for m in reversed(merged) if m.same_return(entry)), None)
    found.outcome.merged_before = earlier
    if earlier is not None and any(m is earlier for m in merged[:recorded]):
        found.earlier = earlier.said
    found.outcome.compared_with = EARLIER_VERSION if found.earlier is not None else SENT
    return entry


def resolved(path: Path) -> Path:
    """The file a path leads to; the path itself when it cannot be followed."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link leading to itself: read_workbook will say so
        return path


def refuse(outcome: ReturnOutcome, reason: str, code: str = "") -> None:
    """Mark a return refused, with the reason the report gives (and its problem code)."""
    outcome.status, outcome.reason, outcome.code = REFUSED, reason, code


def refuse_as(outcome: ReturnOutcome, kind: problems.Kind, **fields: str) -> None:
    """Refuse a return with a catalogued problem: its message and fix are the reason."""
    problem = kind.at(path=outcome.file, **fields)
    refuse(outcome, f"{problem.message} {problem.hint}", problem.code)


def open_return(
    incoming: Incoming,
    outcome: ReturnOutcome,
    identity: dict,
    framework: Framework,
    today: dt.date,
) -> OpenedReturn | None:
    """The return, checked: readable, made by split, from this plan and version."""
    source = incoming.source
    try:  # a file is named by its path in messages, as given; an upload by its name
        raw = read_workbook(source, None if isinstance(source, Path) else incoming.name)
        record = record_in(raw.unread_sheets)  # kept by the reader: the return is read once
    except EqplanError as error:
        return refuse(outcome, str(error), error.code)
    except RecordDamaged as error:
        return refuse_as(outcome, problems.RETURN_NOT_SPLIT, detail=f" ({error})")
    if record is None:
        return refuse_as(outcome, problems.RETURN_NOT_SPLIT, detail="")
    outcome.group = record.get("group")
    mine = identity
    if any(record.get(k) != mine[k] for k in ("council", "title", "framework")):
        theirs = f"{record.get('council')}: {record.get('title')}"
        ours = f"{mine['council']}: {mine['title']}"
        return refuse_as(outcome, problems.RETURN_OTHER_PLAN, theirs=theirs, ours=ours)
    if record.get("report_date") != mine["report_date"]:
        return refuse_as(
            outcome,
            problems.RETURN_OTHER_VERSION,
            split_on=shown_date(record.get("split_on")),
            theirs=shown_date(record.get("report_date")),
            ours=shown_date(mine["report_date"]),
        )
    outcome.by = record.get("by")  # this plan's and report's: its group has returned
    validation = validate_raw(raw, framework)
    outcome.problems = [
        p for p in validation.report.problems if not any(p.is_kind(k) for k in PART_OF_PLAN)
    ]
    if validation.plan is None or layout.ACTIONS_SHEET not in raw.tables:
        return refuse(outcome, _("it cannot be read as a plan: see its problems."))
    record.rows = sent_to_group(record, validation.plan)  # its Owners, Sections, as sent
    errors = {
        p.cell
        for p in outcome.problems
        if p.is_error and p.sheet == raw.tables[layout.ACTIONS_SHEET].title
    }
    outcome.plan_changed = record.get("actions_hash") != mine["actions_hash"]
    outcome.own_columns = own_columns_not_taken(raw.tables[layout.ACTIONS_SHEET])
    outcome.own_sheets = own_sheets_not_taken(raw)
    said = {sheet["sheet"] for sheet in outcome.own_sheets}  # as a copy not read, if it is one
    outcome.problems = [
        p for p in outcome.problems if not (p.is_kind(problems.SHEET_NOT_READ) and p.sheet in said)
    ]
    found = OpenedReturn(outcome, record, raw, validation.plan, today, errors)
    saved, moment = saved_times(raw.source.content)  # none from Google Sheets: today, said
    if saved is not None and saved <= today:  # a day after today cannot be right: not used
        outcome.saved_on = found.day = saved
        found.saved_at = moment
    return found


def sent_to_group(record: SentRecord, sent: Plan) -> list[SentRow]:
    """The record's rows split sent to its group. A row copied into the hidden record from
    another group's workbook names that group's owner, or a point in that group's section, so
    its action counts as not sent in this one (not_sent), and is not applied.

    sent: the return read as a plan; its Owners and Sections sheets are the plan's as split
    read them. With --by owner, any way of reading the owner cell counts (by that sheet, or
    cut at every `/` and `&` as well as new lines and `;`, or whole): an Owners sheet changed
    since the split must not turn away a row that was sent (a reviewer's finding), and no
    reading puts a name in a cell that lacks it. With --by section, a row is turned away only
    when its point is in another of the framework's modules than the group's section: with
    no section so named (a Sections sheet changed since), or a point not read, none is.
    """
    group = match_key(record.get("group"))
    if not group:
        return record.rows
    if record.get("by") == BY_OWNER:
        names = OwnerNames(sent.owners)

        def named(cell: str) -> set[str]:
            return {match_key(part) for part in (cell, *every_part(cell), *names.names(cell))}

        return [row for row in record.rows if group in named(row.values.get("owner", ""))]
    if record.get("by") != BY_SECTION:
        return record.rows
    modules = {s.module.ref for s in sent.sections if match_key(section_group(s)) == group}
    if not modules:
        return record.rows
    framework = sent.framework

    def in_section(row: SentRow) -> bool:
        theme = framework.theme_of(framework.resolve(row.values.get("point", "")))
        return theme is None or theme.module_ref in modules

    return [row for row in record.rows if in_section(row)]


def own_columns_not_taken(table: RawTable) -> list[dict[str, object]]:
    """The return's own columns on the Actions sheet that hold something, for the report.

    merge takes only the owners' fields from a return; and split sends no column of the
    plan's own, so all an own column of a return holds was put there by the owner (or is
    under a heading close to one of eqplan's but not the same). Not taken, it is listed,
    each cell with the Ref beside it, so the officer can copy it across: never lost unsaid.
    """
    own = own_columns(table.own)
    refs = {row.number: sent_text(row.values.get("ref")) for row in table.rows}
    found: list[dict[str, object]] = []
    for column, heading in own.headings.items():
        rows = sorted(number for number, values in own.rows.items() if column in values)
        if not rows:  # a heading alone: nothing to lose
            continue
        letter = column_letter(column)
        found.append(
            {
                "column": heading or None,
                "cell": f"{table.title}!{letter}{table.header_row}",
                "cells": [
                    {"cell": f"{table.title}!{letter}{row}", "ref": refs.get(row) or None}
                    for row in rows
                ],
            }
        )
    return found


def own_sheets_not_taken(raw: RawWorkbook) -> list[dict[str, object]]:
    """The return's own sheets that hold something (an "Evidence" sheet an owner added), for
    the report: each sheet's name, how many cells hold something, whether it is hidden (an
    officer looking for it in Excel would not see it, so the report says how to show it), and
    the sheet read that it looks like (a copy, `Actions (2)`: what the owner typed there is
    not merged), else None. That is all SHEET_NOT_READ says of it, so it is said here alone.

    split writes only the template's sheets, in the return's language, and its record
    (returns.sheets_sent), so any other sheet was put there by the owner, even one named as
    another of the template's ('Owners' in a Welsh return); merge takes only the owners'
    fields from the Actions sheet, so it is listed, never lost unsaid. The sheets are those the
    reader kept aside (`RawWorkbook.unread_sheets`), so the return is not read again.
    """
    unread = {sheet.title: sheet for sheet in raw.unread_sheets}
    read = {match_key(name): name for name in raw.sheet_names if name not in unread}
    return [
        {
            "sheet": sheet.title,
            "cells": len(sheet.cells),
            "hidden": not sheet.visible,
            "very_hidden": sheet.very_hidden,
            "looks_like": looks_like(unread[sheet.title], read) or None,
        }
        for sheet in own_sheets(list(unread.values()), sheets_sent(workbook_language(raw)))
    ]


def new_ref_prefix(action: Action) -> str:
    """The start of a Ref made for a row an owner added: its framework point (or theme)."""
    place = action.point or action.theme
    return place.ref if place else "X"


def added_before(
    action: Action, plan_actions: Iterable[Action], return_actions: Iterable[Action]
) -> bool:
    """A row an owner added is in the plan already: an earlier merge of this return added it,
    so merging again adds nothing. Told by its point and words, counted: the plan holds as
    many actions with them as the return does. A copy of a sent row (the same words, with
    another deadline, say) is then one more than the plan has, so it is added, once; a Ref
    given to an added row in the plan since changes nothing."""
    key = _content(action)
    in_plan = sum(1 for other in plan_actions if _content(other) == key)
    return in_plan >= sum(1 for other in return_actions if _content(other) == key)


def _content(action: Action) -> tuple[str, str, str]:
    place = action.point or action.theme
    return (
        match_key(place.ref if place else ""),
        match_key(action.evidence),
        match_key(action.action),
    )
