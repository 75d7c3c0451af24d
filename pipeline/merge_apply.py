"""Which of the owners' changes `eqplan merge` applies, once every return is read.

merge.py finds each change an owner made (a `Change`: one field of one action, in
one return). Here they are decided together:

- a change no other return or later plan edit disagrees with is applied; a new
  update moves the one it replaces onto the Progress log (merge_log);
- the same field changed differently by two returns (joint owners), or changed in
  the plan since it was sent, is a conflict: the plan keeps its value and every
  side is listed;
- a return in conflict over an action gives that action nothing: its other
  changes to it are listed beside the conflict (`held_back`), not applied, so the
  plan is never left half one owner's and half as it was (a Status of Complete
  beside the old RAG and update); its update goes on the Progress log marked as
  not applied (merge_log.log_not_applied), so the officer who settles it has the
  owner's words;
- the Welsh of an update is applied only beside the English it was returned with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pipeline.merge_log import (
    PLAN_EDITED,
    Values,
    keep_replaced,
    log_not_applied,
    log_updates,
    return_entry,
    still_logged,
)
from pipeline.merge_log_withdraw import Kept, withdraw_not_held, withdraw_update
from pipeline.merge_report import MergeReport
from pipeline.merge_welsh import as_compared, beside, disagree, stale_welsh, welsh_disagreements
from pipeline.model import Action
from pipeline.workbook import layout

HEADINGS = {c.key: c.heading for c in layout.ACTIONS.columns}
_ORDER = {c.key: i for i, c in enumerate(layout.ACTIONS.columns)}

Key = tuple[str, int]  # the master action: match_key(Ref), occurrence


@dataclass
class Change:
    """An owner's change to one field of one action, as found in one return."""

    key: Key
    ref: str
    field: str
    value: object
    text: str
    sent: str
    file: str
    group: str
    day: dt.date
    english: str = ""  # for the Welsh of an update: the English it stands beside in the return
    #: The row as split sent it, when sent is not that but what this return's earlier version
    #: (merged before) gave instead: the owner corrects their own change (merge_log)
    first_sent: Mapping[str, str] | None = None
    #: The day that earlier version was saved (its updates' date on the log), when known
    earlier_day: dt.date | None = None
    #: The day split sent the return (every update of this round of returns is since then)
    sent_on: dt.date | None = None

    @property
    def corrects(self) -> bool:
        """Whether this corrects what the return's earlier version gave."""
        return self.first_sent is not None

    @property
    def withdraws(self) -> bool:
        """An update the owner takes back: their corrected return clears the update its
        earlier version gave, or types back the one split sent (merge_log_withdraw)."""
        sent = self.first_sent
        return sent is not None and withdraws(
            self.field, self.text, self.sent, sent.get(self.field)
        )


def as_said(field: str, text: str, earlier: str, sent: str, *, error: bool) -> str:
    """What the record of merged returns keeps of a return's field (text, as compared): what
    split sent instead for a cell with an error (not applied) or an update withdrawn (the plan
    holds what was sent again), so a later version is compared with what the plan took."""
    return sent if error or withdraws(field, text, earlier, sent) else text


def withdraws(field: str, text: str, earlier: str, sent: str | None) -> bool:
    """Whether a return's update (text) withdraws the one its earlier version gave (earlier,
    not what split sent): cleared, or what split sent typed back. The plan then holds what
    was sent (merge_log_withdraw), and so does the record of what the return said."""
    return field == "progress" and earlier != sent and text in ("", sent)


@dataclass
class Decide:
    """The merged plan's actions and log, changed by apply(), and the report it fills in."""

    actions: dict[Key, tuple[Action, Values]]
    log: list[Values]
    report: MergeReport
    plan_name: str
    text: Callable[[str, object], str]  # a field's value as compared
    report_date: dt.date | None
    #: The updates owners withdrew (Change.withdraws), put back as split sent them: their
    #: Welsh goes back with them, and nothing of theirs is logged.
    withdrawn: list[Change] = field(default_factory=list)

    def apply(self, changes: list[Change]) -> list[Change]:
        """Apply every change that no other return or later plan edit disagrees with, and
        nothing from a return in conflict over that action; the changes applied."""
        changes, aside = self._set_aside(changes)
        changes, first = self._withdraw_first(changes)
        grouped: dict[tuple[Key, str], list[Change]] = {}
        # The Welsh of an update after its English: a new update moves the old one and its
        # Welsh to the log (keep_replaced) before the owner's new Welsh takes its place.
        for change in sorted(changes, key=lambda c: c.field == layout.PROGRESS_CY):
            grouped.setdefault((change.key, change.field), []).append(change)
        before = {key: dict(self.actions[key][1]) for key, _name in grouped}
        plans = {(key, name): self.text(name, before[key].get(name)) for key, name in grouped}
        for key, name in grouped:  # the English each returned Welsh update stands beside
            if name == layout.PROGRESS_CY and (key, "progress") not in plans:
                plans[(key, "progress")] = self.text("progress", before[key].get("progress"))
        in_conflict = {
            (key, c.file)
            for (key, name), listed in grouped.items()
            if disagree(name, listed, plans[(key, name)])
            for c in listed
        }
        stale = stale_welsh(grouped, plans, in_conflict)
        welsh_disagree = welsh_disagreements(grouped, plans, stale, in_conflict)
        applied: list[Change] = list(first)
        again: list[Change] = []
        withheld: list[Change] = []
        for (key, name), listed in grouped.items():
            now = plans[(key, name)]  # as the plan held it
            if disagree(name, listed, now):
                edited = any(c.sent != now for c in listed)
                self._left_beside(name, listed, now)
                self._conflict(name, listed, now if edited else None)
                withheld.extend(c for c in listed if c.text != now)  # not what the plan says
                continue
            own = [c for c in listed if c in stale]
            if own:  # Welsh beside English the plan will not hold: in conflict itself
                self._conflict(name, own, now)
                withheld.extend(own)
            if (key, name) in welsh_disagree:  # two Welshes, or the plan's edited since sent
                rest = [c for c in listed if c not in own]
                edited = bool(now) and any(c.sent != now for c in rest)
                self._conflict(name, rest, now if edited else None)
                withheld.extend(c for c in rest if c.text != now)
                continue
            held = [
                c for c in listed if (key, c.file) in in_conflict and c.text != now and c not in own
            ]
            if held:
                self._conflict(name, held, now, held_back=True)
                withheld.extend(held)
            listed = [c for c in listed if c not in held and c not in own]
            applied.extend(self._apply(key, name, listed, now, before[key], again))
        log_updates(self.log, self.actions, [c for c in applied if c not in self.withdrawn], again)
        log_not_applied(self.log, withheld, before)
        for change in aside:  # once the plan holds what this merge gives it
            action, values = self.actions[change.key]
            now = self.text("progress", values.get("progress"))
            kept = withdraw_not_held(self.log, change, now=now, owner=action.owner)
            self._still_logged([change], kept)
        self.report.withdrawn_still_logged = [  # what a later change of this merge took off
            e for e in self.report.withdrawn_still_logged if still_logged(self.log, e)
        ]
        self._list_updates(applied)
        return applied

    def _apply(
        self, key: Key, name: str, listed: list[Change], now: str, before: Values, again: list
    ) -> list[Change]:
        """Apply one field's changes, no two disagreeing (the Welsh is checked here): those
        applied. Changes the plan already holds go to again."""
        values = self.actions[key][1]
        edited = [c for c in listed if c.sent != now]
        withdrawn = {c.file for c in self.withdrawn if c.key == key}
        if name == layout.PROGRESS_CY and withdrawn:  # the update withdrawn went back with its
            listed = [c for c in listed if c.file not in withdrawn]  # own Welsh (_withdraw)
            if not listed:
                return []
        if name == layout.PROGRESS_CY:  # the Welsh only beside the English it translates
            english = self.text("progress", values.get("progress"))
            held = self.text(name, values.get(name))
            # none, unless apply() erred; Welsh the plan holds already is no conflict
            stale = [c for c in listed if not beside(c, english) and c.text != held]
            if stale:
                self._conflict(name, stale, held)
            listed = [c for c in listed if c not in stale]
            # An empty Welsh cell (its Welsh moved to the log with the old update) is
            # filled, as when the returns are merged together.
            edited = [c for c in edited if c in listed and now]
        texts = list(dict.fromkeys(as_compared(c) for c in listed))
        if not listed or (len(texts) == 1 and texts[0] == now):
            again.extend(listed)  # the plan already says so (a return merged before)
            return []
        if len(texts) > 1 or edited:
            self._conflict(name, listed, now if edited else None)
            return []
        values[name] = listed[0].value
        if name == "progress" and all(c.withdraws for c in listed):
            self._withdraw(key, listed, before)
        elif name == "progress":  # the old update (and its Welsh) onto the log
            corrects = [c for c in listed if c.corrects]
            kept = keep_replaced(
                self.log, values, before, ref=listed[0].ref, by=self.actions[key][0].owner,
                day=max(c.day for c in listed), report_date=self.report_date,
                corrected_by=[c.group for c in corrects],
                earlier_day=max((c.earlier_day for c in corrects if c.earlier_day), default=None),
                sent=next(((c.first_sent or {}).get("progress", "") for c in corrects), ""),
            )  # fmt: skip
            self._still_logged(corrects, [(corrects[0].sent, kept)] if kept else [])
        return listed

    def _withdraw(self, key: Key, listed: list[Change], before: Values) -> None:
        """The update owners withdrew (merge_log_withdraw.withdraw_update); what stays on the
        log (the officer edited it, another return gave it too) is listed in the report."""
        self.withdrawn.extend(listed)
        kept = withdraw_update(
            self.log, self.actions[key][1], before, ref=listed[0].ref,
            groups=[c.group for c in listed], sent=listed[0].first_sent or {},
            owner=self.actions[key][0].owner, report_date=self.report_date,
            earlier_day=max((c.earlier_day for c in listed if c.earlier_day), default=None),
            sent_on=min((c.sent_on for c in listed if c.sent_on), default=None),
        )  # fmt: skip
        self._still_logged(listed, kept)

    def _withdraw_first(self, changes: list[Change]) -> tuple[list[Change], list[Change]]:
        """Withdrawals of updates the plan holds, on actions another return in this merge
        gives an update of its own (a joint action's other owner), done before the rest are
        compared: the other update meets the plan as it would be had the withdrawn one never
        been given, since a withdrawal is no update and in conflict with none. The rest of
        changes (less those returns' Welsh for the action); and those withdrawals, applied.
        A return that changes anything else of the action (its RAG, new Welsh) is left to
        the comparison: if it is in conflict over the action, its withdrawal is held back too."""
        given = {c.key for c in changes if c.field == "progress" and not c.withdraws}
        first: dict[Key, list[Change]] = {}
        for change in changes:
            early = change.field == "progress" and change.withdraws and change.key in given
            if early and _withdraws_only(change, changes):
                first.setdefault(change.key, []).append(change)
        for key, listed in first.items():
            values = self.actions[key][1]
            before = dict(values)
            values["progress"] = listed[0].value
            self._withdraw(key, listed, before)
        done = [c for listed in first.values() for c in listed]
        return _without_updates(changes, done), done

    def _set_aside(self, changes: list[Change]) -> tuple[list[Change], list[Change]]:
        """changes, less the updates withdrawn that the plan will not hold (and the Welsh
        returned with them); and those. Their earlier version's update was a conflict (not
        applied), or the officer or another owner's return has changed it since: the plan
        keeps what it holds, and that version's Not applied row, or the entry nobody now
        gives, comes off the log (merge_log_withdraw.withdraw_not_held, in apply)."""
        aside = [
            c
            for c in changes
            if c.withdraws
            and self.text("progress", self.actions[c.key][1].get("progress")) != c.sent
        ]
        return _without_updates(changes, aside), aside

    def _left_beside(self, name: str, listed: list[Change], now: str) -> None:
        """A corrected update in conflict because the officer typed over the plan's update
        since its earlier version gave it: that version's entry stays on the log beside the
        officer's (nothing takes its place), so the report says so (PLAN_EDITED)."""
        for c in listed:
            if name != "progress" or not c.corrects or not c.sent or c.sent == now:
                continue
            entry, others = return_entry(self.log, c.ref, c.sent, [c.earlier_day], [c.group])
            if entry is not None and not others and c.text != c.sent:
                self._still_logged([c], [(c.sent, PLAN_EDITED)])

    def _still_logged(self, changes: list[Change], kept: Kept) -> None:
        """Each update an owner took back that stays on the log (words, why), in the report
        (`withdrawn_still_logged`), once for each return that took it back."""
        self.report.withdrawn_still_logged.extend(
            {"ref": c.ref, "update": words, "file": c.file, "reason": reason}
            for words, reason in kept
            for c in changes
        )

    def _conflict(
        self, name: str, changes: list[Change], plans: str | None, *, held_back: bool = False
    ) -> None:
        """Changes not applied, listed with their files (and the plan's value, given plans);
        held_back: not in conflict themselves, but their return is, over the same action."""
        files, shown = [c.file for c in changes], [c.text for c in changes]
        if plans is not None:
            files.append(self.plan_name)
            shown.append(plans)
        self.report.conflicts.append(
            {
                "ref": changes[0].ref,
                "field": HEADINGS[name],
                "files": files,
                "values": shown,
                "held_back": held_back,
            }
        )

    def _list_updates(self, applied: list[Change]) -> None:
        entries: dict[tuple[str, str], list[str]] = {}
        for change in applied:
            entries.setdefault((change.ref, change.file), []).append(change.field)
        for (ref, file), fields in entries.items():
            ordered = sorted(set(fields), key=_ORDER.__getitem__)
            self.report.updated.append(
                {"ref": ref, "fields": [HEADINGS[f] for f in ordered], "file": file}
            )
        for outcome in self.report.returns:
            outcome.updated = len({ref for ref, file in entries if file == outcome.file})


def _without_updates(changes: list[Change], withdrawals: list[Change]) -> list[Change]:
    """changes, less the update (English and Welsh) of each withdrawal's return for its
    action: settled on their own; the return's other changes are compared as any other."""
    gone = {(c.key, c.file) for c in withdrawals}
    return [
        c
        for c in changes
        if (c.key, c.file) not in gone or c.field not in ("progress", layout.PROGRESS_CY)
    ]


def _withdraws_only(withdrawal: Change, changes: list[Change]) -> bool:
    """Whether withdrawal is all its return changes of the action: nothing else, but the
    Welsh beside the update cleared or put back as sent."""
    sent_welsh = str((withdrawal.first_sent or {}).get(layout.PROGRESS_CY) or "").strip()
    return not any(
        c.key == withdrawal.key
        and c.file == withdrawal.file
        and c is not withdrawal
        and not (c.field == layout.PROGRESS_CY and c.text.strip() in ("", sent_welsh))
        for c in changes
    )
