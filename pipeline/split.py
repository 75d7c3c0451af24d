"""Send each owner, or each section's lead, their own actions: `eqplan split` (issue 13).

The master workbook is read and checked as `eqplan build` checks it; each
group of actions (an owner's, with joint owners' actions going to each of
them, or a section's) is written through the template writer and the
filler into a fresh template workbook, and then made a return form
(pipeline/workbook/returns.py): the owner's fields unlocked, the rest locked,
a short Read me, and a hidden record of the plan, the version and every row
as sent. `eqplan merge` (pipeline/merge.py) reads that record back. The
master is only read; the files are written together (OutputSet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import headings as h
from pipeline.deadlines import DeadlineKind, parse_deadline
from pipeline.errors import EqplanError, WorkbookInvalid
from pipeline.formats import format_date
from pipeline.i18n import _, use_language
from pipeline.io import (
    OutputSet,
    output_path,
    refuse_overwriting_inputs,
    refuse_replacing,
    safe_filename,
    write_output,
)
from pipeline.model import Action, Framework, Plan, Section
from pipeline.owners import OwnerNames
from pipeline.progress_log import is_not_applied_note
from pipeline.refs import fingerprint
from pipeline.status import ActionStatus
from pipeline.text import match_key
from pipeline.validate import validate_raw
from pipeline.welsh_text import heading_in_language, in_language
from pipeline.workbook import layout, read_workbook
from pipeline.workbook.other_sheets import PLAN_NOT_RETURN, refuse_split_workbook
from pipeline.workbook.returns import (
    OWNER_FIELDS,
    RECORD_FORMAT,
    RETURN_FIELDS,
    SentRecord,
    SentRow,
    make_return_form,
    open_fields,
    sent_text,
)
from pipeline.workbook.upgrade import WorkbookData, read_data, workbook_language

#: How `eqplan split --by` groups the actions.
BY_OWNER, BY_SECTION = "owner", "section"


@dataclass
class SplitFile:
    """One workbook written: whose it is, where, and the Refs of its actions."""

    group: str
    path: Path
    refs: list[str] = field(default_factory=list)


@dataclass
class Split:
    """What `eqplan split` wrote, and the actions it could send to nobody."""

    by: str
    files: list[SplitFile] = field(default_factory=list)
    unowned: list[str] = field(default_factory=list)  # Refs of actions with no owner
    language: str = "en"  # the workbooks' (and the report's): asked for, or the plan's own


def parse_date(text: str, option: str) -> dt.date:
    """A date as officers type it (30/11/2026, 2026-11-30); EqplanError (exit code 2) otherwise."""
    deadline = parse_deadline(text)
    if deadline.kind is DeadlineKind.DATE and deadline.due:
        return deadline.due
    raise EqplanError(f"{option} {text} is not a date.", hint="Give a date such as 15/01/2027.")


def plan_identity(plan: Plan) -> dict[str, str]:
    """What names a plan and its version in a split record: council, title, framework,
    report date, and a fingerprint of the action set (Refs and their points and texts)."""
    actions = sorted(
        "\x1f".join((match_key(a.display_ref), str(a.occurrence), match_key(a.action)))
        for a in plan.actions
    )
    details = plan.details
    return {
        "council": sent_text(details.council),
        "title": sent_text(details.title),
        "framework": plan.framework.id,
        "report_date": sent_text(details.report_date),
        "actions_hash": fingerprint("\x1e".join(actions), 12),
    }


def checked_master(
    source: Path, framework: Framework | None, doing: str, hint: str = PLAN_NOT_RETURN
):
    """The raw workbook and plan of a master with no errors; WorkbookInvalid otherwise.
    hint: what to give instead when the master is one owner's workbook."""
    raw = read_workbook(source)
    validation = validate_raw(raw, framework)
    if not validation.report.valid or validation.plan is None:
        raise WorkbookInvalid(
            f"The plan has errors, so {doing}.\n\n{validation.report.to_text()}\n",
            hint="Fix the errors in the plan and run the command again.",
        )
    refuse_split_workbook(raw.sheet_names, str(source), doing, hint)
    return raw, validation.plan


def split_workbook(
    source: Path,
    out_dir: Path,
    *,
    by: str = BY_OWNER,
    return_by: dt.date | None = None,
    force: bool = False,
    framework: Framework | None = None,
    inputs: tuple[Path | None, ...] = (),
    today: dt.date | None = None,
    language: str | None = None,
) -> Split:
    """Write one return workbook per owner or section of source into out_dir.

    language `cy` writes each in the Welsh template's layout (sheet names, headings, help
    and dropdown words), with a Welsh Read me; the record of what was sent is the same.
    None: the language the plan was made in (a Welsh plan's owners get Welsh workbooks).
    """
    raw, plan = checked_master(source, framework, "nothing was split")
    data = read_data(raw, framework)
    language = language or workbook_language(raw)
    result = Split(by, language=language)
    groups = groups_of(plan, by, result.unowned)
    targets = [output_path(out_dir, name) for name in _file_names(list(groups))]
    refuse_overwriting_inputs(targets, [source, *inputs], hint="Choose another folder with -o.")
    if not force:
        for target in targets:
            refuse_replacing(target)
    identity = plan_identity(plan)
    sent_on = today or dt.date.today()
    with OutputSet([source, *inputs]) as outputs:
        for (group, actions), target in zip(groups.items(), targets, strict=True):
            record = SentRecord(
                {
                    **identity,
                    "format": RECORD_FORMAT,
                    "split_on": sent_on.isoformat(),
                    "by": by,
                    "group": group,
                    "return_by": sent_text(return_by),
                    "master": source.name,
                }
            )
            workbook = _group_data(data, actions, record).workbook(language)
            fields = open_fields(workbook, RETURN_FIELDS)
            with use_language(language):
                readme = _readme(plan, group, return_by, sent_on, fields)
            make_return_form(workbook, record, readme, fields)
            write_output(outputs.stage(target), workbook.save, [source, *inputs], suffix=".xlsx")
            result.files.append(SplitFile(group, target, [a.display_ref for a in actions]))
        outputs.commit()
    return result


def groups_of(plan: Plan, by: str, unowned: list[str] | None = None) -> dict[str, list[Action]]:
    """The actions split sends to each group, by the group's name (its record's `group`):
    each owner's (an action with joint owners in each of theirs), or each section's.
    unowned, when given, gets the Refs of the actions with no owner (sent to nobody)."""
    return _by_owner(plan, unowned) if by == BY_OWNER else _by_section(plan)


def _by_owner(plan: Plan, unowned: list[str] | None) -> dict[str, list[Action]]:
    names = OwnerNames(plan.owners)
    groups: dict[str, list[Action]] = {}
    for action in plan.actions:
        owners = names.names(action.owner)
        if not owners and unowned is not None:
            unowned.append(action.display_ref)
        for owner in owners:
            groups.setdefault(owner, []).append(action)
    return groups


def _by_section(plan: Plan) -> dict[str, list[Action]]:
    groups: dict[str, list[Action]] = {}
    for section in plan.sections:
        actions = [
            a
            for a in plan.actions
            if a.theme is not None and a.theme.module_ref == section.module.ref
        ]
        if actions:
            groups[section_group(section)] = actions
    return groups


def section_group(section: Section) -> str:
    """A section's group name in a split by section: its record's `group`, its file's name."""
    return f"{section.printed_number} {section.display_title}"


def _file_names(groups: list[str]) -> list[str]:
    """`<group>.xlsx` for each group: Windows-safe, inside the folder, no two alike in any case
    or form (`Ｐolicy` and `Policy`, or an accent typed two ways, are one name to a reader)."""
    names: list[str] = []
    taken: set[str] = set()
    for group in groups:
        stem = safe_filename(group.replace(",", " ").replace(";", " "), "actions", 60)
        candidate, number = stem, 1
        while match_key(candidate) in taken:
            number += 1
            candidate = f"{stem}-{number}"
        taken.add(match_key(candidate))
        names.append(f"{candidate}.xlsx")
    return names


def _group_data(data: WorkbookData, actions: list[Action], record: SentRecord) -> WorkbookData:
    """The master's data with only these actions (Refs eqplan made written in) and their log."""
    by_row = dict(zip(data.action_rows, data.actions, strict=True))
    rows = []
    for action in actions:
        values = dict(by_row[action.row])
        values["ref"] = action.display_ref
        rows.append(values)
        record.rows.append(
            SentRow(
                action.display_ref,
                action.occurrence,
                {c.key: sent_text(values.get(c.key)) for c in layout.ACTIONS.columns},
            )
        )
    refs = {match_key(a.display_ref) for a in actions}
    log = [  # not merge's notes of conflicts: the officer's to settle, not the owners'
        e
        for e in data.progress_log
        if match_key(str(e.get("ref", ""))) in refs and not is_not_applied_note(e.get("update"))
    ]
    return WorkbookData(
        data.framework,
        plan=dict(data.plan),
        sections=data.sections,
        section_order=data.section_order,
        assessments=data.assessments,
        actions=rows,
        owners=data.owners,
        progress_log=log,
        strands=data.strands,
        welsh=data.welsh,  # the (Cymraeg) columns too: an owner may return the update's Welsh
    )


def _readme(
    plan: Plan,
    group: str,
    return_by: dt.date | None,
    sent_on: dt.date,
    open_keys: tuple[str, ...] = OWNER_FIELDS,
) -> list[tuple[str, str]]:
    """The return form's Read me: what to update, how, and by when (in the current language)."""
    details = plan.details
    fields = [heading_in_language(layout.ACTIONS.column(key).heading) for key in open_keys]
    when = (
        _("by %(date)s") % {"date": format_date(return_by)}
        if return_by
        else _("as soon as you can")
    )
    words = {
        "actions": _(layout.ACTIONS_SHEET),
        "send_to": details.author or _("the officer who sent it to you"),
        "when": when,
        "fields": ", ".join(fields),
        "progress": _(h.PROGRESS),
        "rag": _(h.RAG),
        "deadline": _(h.DEADLINE),
        "completed_on": _(h.COMPLETED_ON),
        "point": _(h.POINT),
        "action": _(h.ACTION),
        "status": _(h.STATUS),
        "withdrawn": _(ActionStatus.WITHDRAWN.label),
        "plan": _(layout.PLAN_SHEET),
        "sections": _(layout.SECTIONS_SHEET),
        "reference": _(layout.REFERENCE_SHEET),
        "sent_on": format_date(sent_on),
        "report_date": format_date(details.report_date) if details.report_date else _("soon"),
    }
    return [
        ("title", _("Your actions: %(group)s") % {"group": group}),
        (
            "",
            _("From %(council)s: %(title)s.")
            % {
                "council": details.council,
                "title": in_language(plan.welsh.plan, "title", details.title),
            },
        ),
        (
            "",
            _(
                "Please bring your actions up to date on the %(actions)s sheet, save this "
                "workbook and send it back to %(send_to)s %(when)s."
            )
            % words,
        ),
        ("heading", _("What to update")),
        (
            "",
            _(
                "For each action, update these columns: %(fields)s. Say what has happened "
                "since the last report in '%(progress)s', and change the %(rag)s rating if it "
                "has changed. Move the %(deadline)s only if a new date has been agreed. Add "
                "the date in '%(completed_on)s' when an action is finished."
            )
            % words,
        ),
        (
            "",
            _(
                "The other cells are locked so they are not changed by mistake. If an "
                "action's wording or owner is wrong, say so in its '%(progress)s' cell."
            )
            % words,
        ),
        (
            "",
            _(
                "A new action: type it in an empty row below the others, with its %(point)s, "
                "%(action)s, %(deadline)s and %(rag)s. It will be checked before it goes into "
                "the plan. Please do not delete rows: an action that should stop can say so "
                "in its '%(progress)s' cell, or be marked %(withdrawn)s in '%(status)s'."
            )
            % words,
        ),
        ("heading", _("Good to know")),
        (
            "",
            _(
                "The %(plan)s, %(sections)s and %(reference)s sheets are for information "
                "only. You may rename the file; please keep its sheets and headings as they are."
            )
            % words,
        ),
        ("", _("Sent on %(sent_on)s, for the report dated %(report_date)s.") % words),
    ]
