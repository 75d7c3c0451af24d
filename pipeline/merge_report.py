"""What `eqplan merge` did, for people (text) and programs (JSON): the one home of its report.

The JSON shape is a contract (issue 13): `returns`, `updated`, `conflicts`,
`locked_changed`, `new` and `missing`, plus `refused` and `problems`; later
keys (`not_sent`, `not_returned`, `own_not_copied`, `ref_and_words_differ`) are added, never renamed. Fields are named
by their column headings, as officers see them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pipeline.formats import format_date, format_number
from pipeline.i18n import N_, _, ngettext
from pipeline.merge_own import own_not_taken, plan_not_copied
from pipeline.merge_said import SENT, earlier_version, held_back, not_sent, undated
from pipeline.merge_withdrawn import withdrawn_section
from pipeline.problems import Problem
from pipeline.split import BY_SECTION
from pipeline.welsh_text import heading_in_language
from pipeline.workbook.merged_record import MergedReturn

MERGED, REFUSED = "merged", "refused"
#: A return given twice, or a copy of another given: not read, and no fault (exit code 0).
SKIPPED = "skipped"
#: The title of the groups (by how the returns were split) with no return in this merge.
NOT_RETURNED = {
    "owner": N_(
        "No return given in this merge from these owners: their actions are as the plan had "
        "them. Merge each return into the merged plan when it comes, or ask the owner for it"
    ),
    "section": N_(
        "No return given in this merge for these sections: their actions are as the plan had "
        "them. Merge each return into the merged plan when it comes, or ask the lead for it"
    ),
}
#: Said when the plan's record of the returns merged into it cannot be used (record_not_used).
RECORD_NOT_USED = N_(
    "The plan's hidden record of the returns merged into it has been changed or damaged, so "
    "it was not used: each return was compared with what was sent, and none was skipped as "
    "merged before. Check what was applied (listed under Updated) against anything you have "
    "typed into the plan since its last merge."
)
#: Said of an added row whose Ref was another action's (`typed_ref` in the JSON).
RENAMED = N_(
    "The Ref %(typed)s typed in it is already another action's, so it has the Ref %(ref)s."
)


@dataclass
class ReturnOutcome:
    """One return: merged, refused or skipped (and why), and how many of its actions it updated."""

    file: str
    status: str = MERGED
    reason: str | None = None
    code: str = ""  # the refusal's problem code (pipeline/problems.py), when it has one
    group: str = ""
    updated: int = 0
    plan_changed: bool = False  # the plan's actions (Refs, texts) changed since it was sent
    problems: list[Problem] = field(default_factory=list)
    by: str = ""  # how its split grouped the actions, once it is known to be this plan's return
    saved_on: dt.date | None = None  # the day it was saved, when its document properties say
    # the day of the merge, when it dated the return's updates as no save date is recorded
    dated_by_merge: dt.date | None = None
    #: Its own columns holding something, not taken (merge_intake.own_columns_not_taken):
    #: column (the heading, None if none), cell (the heading's), cells (each cell and Ref).
    own_columns: list[dict[str, object]] = field(default_factory=list)
    #: Its own sheets holding something, not taken (merge_intake.own_sheets_not_taken):
    #: sheet (its name), cells (how many hold something), hidden (not shown in Excel) and
    #: looks_like (the sheet read it looks like, a copy of it: `Actions (2)`; else None).
    own_sheets: list[dict[str, object]] = field(default_factory=list)
    #: This return (skipped), or an earlier version of it, as the plan records it merged.
    merged_before: MergedReturn | None = None
    compared_with: str = SENT  # or EARLIER_VERSION, for a merged return
    older_than_merged: dict[str, str] | None = None  # skipped: saved before (merge_versions)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "status": self.status,
            "reason": self.reason,
            "code": self.code or None,
            "updated": self.updated,
            "group": self.group,
            "plan_changed": self.plan_changed,
            "saved_on": self.saved_on.isoformat() if self.saved_on else None,
            "dated_today": self.dated_by_merge is not None,
            "own_columns": self.own_columns,
            "own_sheets": self.own_sheets,
            "merged_before": (
                {"file": self.merged_before.file, "merged_on": self.merged_before.merged_on}
                if self.merged_before
                else None
            ),
            "compared_with": self.compared_with if self.status == MERGED else None,
            "older_than_merged": self.older_than_merged,
        }


@dataclass
class MergeReport:
    """Everything a merge found: each list holds plain JSON-ready entries in the order met."""

    output: str = ""
    returns: list[ReturnOutcome] = field(default_factory=list)
    updated: list[dict[str, object]] = field(default_factory=list)  # ref, fields, file
    # ref, field, files, values, held_back (not in conflict: its return is, over that action)
    conflicts: list[dict[str, object]] = field(default_factory=list)
    # ref, field, file, cell, typed (what the owner typed in it)
    locked_changed: list[dict[str, object]] = field(default_factory=list)
    new: list[dict[str, object]] = field(default_factory=list)  # ref, file, cell, row, typed_ref
    missing: list[dict[str, object]] = field(default_factory=list)  # ref, file, missing_from
    not_sent: list[dict[str, object]] = field(default_factory=list)  # ref, file, cell
    # ref (as typed), ref_of, words_of (the actions its Ref and its words name), file, cell
    ref_and_words_differ: list[dict[str, object]] = field(default_factory=list)
    # the groups sent actions (as split groups the plan) with no return in this merge:
    # by (owner or section), group, actions (how many), refs; [] when that cannot be told
    not_returned: list[dict[str, object]] = field(default_factory=list)
    withdrawn_still_logged: list[dict[str, object]] = field(default_factory=list)  # merge_withdrawn
    #: The plan's own cells the merged plan has no place for (OwnData.not_copied), in words.
    own_not_copied: list[str] = field(default_factory=list)
    language: str = "en"  # the merged plan's and the report's (not in the JSON)
    #: The plan's record of the returns merged into it was there but changed or damaged, so
    #: it was not used: every return was compared with what was sent, none skipped as merged.
    record_not_used: bool = False

    @property
    def refused(self) -> list[ReturnOutcome]:
        return [r for r in self.returns if r.status == REFUSED]

    @property
    def merged(self) -> int:
        """How many returns were merged (not refused, nor skipped as a copy)."""
        return sum(1 for r in self.returns if r.status == MERGED)

    @property
    def has_errors(self) -> bool:
        """A return refused, or with errors: the officer must look (exit code 1)."""
        return bool(self.refused) or any(p.is_error for r in self.returns for p in r.problems)

    def error_summary(self) -> str:
        """One sentence for the `Error:` line when a return was refused or has errors."""
        refused = len(self.refused)
        faulty = sum(
            1 for r in self.returns if r.status != REFUSED and any(p.is_error for p in r.problems)
        )  # a refused return's errors say why it was refused: it is counted once
        parts = []
        if refused:
            parts.append(
                _n(
                    ngettext("%(count)s return refused", "%(count)s returns refused", refused),
                    refused,
                )
            )
        if faulty:
            parts.append(
                _n(
                    ngettext(
                        "%(count)s return with errors", "%(count)s returns with errors", faulty
                    ),
                    faulty,
                )
            )
        found = (
            _("%(first)s and %(second)s") % {"first": parts[0], "second": parts[1]}
            if len(parts) == 2
            else "".join(parts)
        )
        return _(
            "%(found)s (listed above); the merged plan holds everything else. "
            "Deal with them, then merge again into the merged plan."
        ) % {"found": found}

    def as_dict(self) -> dict[str, object]:
        return {
            "output": self.output,
            "returns": [r.as_dict() for r in self.returns],
            "updated": self.updated,
            "conflicts": self.conflicts,
            "locked_changed": self.locked_changed,
            "new": self.new,
            "missing": self.missing,
            "not_sent": self.not_sent,
            "ref_and_words_differ": self.ref_and_words_differ,
            "not_returned": self.not_returned,
            "withdrawn_still_logged": self.withdrawn_still_logged,
            "own_not_copied": self.own_not_copied,
            "refused": [
                {"file": r.file, "reason": r.reason, "code": r.code or None} for r in self.refused
            ],
            "problems": [
                {
                    "file": r.file,
                    "where": p.where,
                    "code": p.code,
                    "severity": p.severity.value,
                    "message": p.message,
                    "hint": p.hint,
                }
                for r in self.returns
                for p in r.problems
            ],
            "record_not_used": self.record_not_used,
        }

    def text(self) -> str:
        """The report for the officer, one line per finding, in the current language."""
        merged = self.merged
        lines = [
            _("Merged %(returns)s into %(output)s.")
            % {"returns": _n(ngettext("%(count)s return", "%(count)s returns", merged), merged),
               "output": self.output}
        ]  # fmt: skip
        if self.record_not_used:
            lines.append("  " + _(RECORD_NOT_USED))
        for r in self.returns:
            if r.status == REFUSED:
                code = f" ({r.code})" if r.code else ""
                lines.append(
                    "  "
                    + _("%(file)s: refused%(code)s: %(reason)s")
                    % {"file": r.file, "code": code, "reason": r.reason}
                )
            elif r.status == SKIPPED:
                lines.append(
                    "  " + _("%(file)s: skipped: %(reason)s") % {"file": r.file, "reason": r.reason}
                )
            else:
                changed = _(" (the plan's actions have changed since it was sent)")
                lines.append(
                    "  "
                    + _("%(file)s: merged, %(updated)s updated%(changed)s.")
                    % {
                        "file": r.file,
                        "updated": _n(
                            ngettext("%(count)s action", "%(count)s actions", r.updated), r.updated
                        ),
                        "changed": changed if r.plan_changed else "",
                    }
                )
                if r.dated_by_merge:
                    lines.append("    " + undated(r.dated_by_merge))
                if r.merged_before:
                    lines.append("    " + earlier_version(r.merged_before, r.compared_with))
                for said, *each in own_not_taken(r):
                    lines += [f"    {said}", *(f"      {line}" for line in each)]
        for title, found in self._sections():
            if found:
                lines += ["", f"{title} ({len(found)}):", *(f"  {line}" for line in found)]
        return "\n".join(lines)

    def held_back_section(self) -> tuple[str, list[str]]:
        """The title of the rows held back as their Ref and words name different actions, and
        a line for each (merge_said.held_back): the text report's and the web page's."""
        return held_back(self.ref_and_words_differ, self._by_section())

    def not_sent_section(self) -> tuple[str, list[str]]:
        """The title of the actions a return holds that were not sent in it, and a line for
        each (merge_said.not_sent): the text report's and the web page's."""
        return not_sent(self.not_sent, self._by_section())

    def _by_section(self) -> set[str]:
        """The files of the returns merged that were split by section (sent to its lead)."""
        return {r.file for r in self.returns if r.status == MERGED and r.by == BY_SECTION}

    def _sections(self) -> list[tuple[str, list[str]]]:
        """Each kind of finding: its title and one line per finding."""
        return [
            (
                _(NOT_RETURNED[self.not_returned[0]["by"]]) if self.not_returned else "",
                [
                    f"{g['group']}: "
                    + _n(
                        ngettext("%(count)s action", "%(count)s actions", g["actions"]),
                        g["actions"],
                    )
                    for g in self.not_returned
                ],
            ),
            (
                _("Updated"),
                [
                    _("%(ref)s: %(fields)s (from %(file)s)")
                    % {**u, "fields": ", ".join(heading_in_language(f) for f in u["fields"])}
                    for u in self.updated
                ],
            ),
            (
                _(
                    "Conflicts: the plan keeps its own value, and a return in conflict over an "
                    "action has none of its changes to it applied (its update is on the "
                    "Progress log, marked Not applied). Decide which is right, type it into the "
                    "merged plan and delete the Not applied rows"
                ),
                [_conflict(c) for c in self.conflicts],
            ),
            (
                _(
                    "Locked cells changed: not applied. If the owner is right, make the change "
                    "in the merged plan yourself"
                ),
                [
                    f"{x['ref']} {heading_in_language(x['field'])}: {x['file']} {x['cell']} "
                    + _("now says %(value)s") % {"value": _shown(x.get("typed"))}
                    for x in self.locked_changed
                ],
            ),
            (
                _(
                    "New actions: added to the plan, shaded for review. Check each one, and "
                    "give it an owner if it has none"
                ),
                [
                    _("%(ref)s from %(file)s %(cell)s (row %(row)s of the plan)") % n
                    + (" " + _(RENAMED) % {**n, "typed": n["typed_ref"]} if n["typed_ref"] else "")
                    for n in self.new
                ],
            ),
            (
                _(
                    "Missing: kept in the plan as it was. Ask the owner whether it should stop "
                    "(Withdrawn in Status) or was deleted by mistake"
                ),
                [_missing(m) for m in self.missing if m.get("missing_from") != "plan"],
            ),
            (
                _(
                    "No longer in the plan (deleted, or its Ref changed, since the return was "
                    "sent): nothing the owner changed in it was applied. If it should still be "
                    "there, put it back or type the owner's update in yourself"
                ),
                [_missing(m) for m in self.missing if m.get("missing_from") == "plan"],
            ),
            self.held_back_section(),
            self.not_sent_section(),
            withdrawn_section(self.withdrawn_still_logged, _shown),
            plan_not_copied(self.own_not_copied),
            (
                _(
                    "Problems in the returns: a cell with an error was not applied; check each "
                    "warning (the changes that were applied are listed under Updated)"
                ),
                [
                    f"{r.file}: {p.where}: {_('error') if p.is_error else _('warning')} {p.code}: "
                    f"{p.message}\n      " + _("Fix: %(hint)s") % {"hint": p.hint}
                    for r in self.returns
                    for p in r.problems
                ],
            ),
        ]


def _n(message: str, count: int) -> str:
    """A message from ngettext with its count put in: `1 return`, `3 returns`."""
    return message % {"count": format_number(count)}


def _shown(value: object) -> str:
    text = str(value) if value not in (None, "") else _("(empty)")
    return repr(text) if len(text) <= 60 else repr(text[:57] + "...")


def conflict_values(entry: dict[str, object]) -> list[str]:
    """What each side of a conflict says, as the officer reads it (the text report's and the
    web page's): a date as every other message gives dates (30 June 2027). The JSON keeps the
    values as merge compared them, ISO dates, which programs read without guessing."""
    return [
        format_date(dt.date.fromisoformat(v)) if _ISO_DATE.fullmatch(str(v)) else str(v)
        for v in entry["values"]
    ]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _conflict(entry: dict[str, object]) -> str:
    """One conflict: what each side says; a change held back says why it was not applied."""
    line = f"{entry['ref']} {heading_in_language(entry['field'])}: " + "; ".join(
        _("%(file)s says %(value)s") % {"file": f, "value": _shown(v)}
        for f, v in zip(entry["files"], conflict_values(entry), strict=True)
    )
    if entry.get("held_back"):
        line += " " + _("(not applied, as the return is in conflict over %(ref)s)") % entry
    return line


def _missing(entry: dict[str, object]) -> str:
    if entry.get("missing_from") == "plan":
        return _("%(ref)s: in %(file)s but no longer in the plan; not applied") % entry
    return _("%(ref)s: not in %(file)s (deleted from the return?)") % entry
