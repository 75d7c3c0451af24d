"""What the merge report says of an update an owner took back that is still on the Progress log.

An owner's corrected return may take back the update its earlier version gave (cleared,
or the update sent typed back): merge takes that update's entry off the Progress log
(merge_log_withdraw), unless the officer has edited the entry since, or has typed over the
plan's update since, or another return gave it too. A corrected update that cannot take
the place of its earlier version's entry (the officer edited it, or typed over the plan's
update) leaves that entry too. Those are listed (`withdrawn_still_logged` in the JSON: ref,
update, file, reason), so nothing stays on the log unsaid; so is an entry no longer on
the log to take off (deleted since).
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.i18n import N_, _
from pipeline.merge_log import EDITED, GIVEN_BY_ANOTHER, NOT_FOUND, PLAN_EDITED

#: The report's title over them.
TITLE = N_(
    "Updates withdrawn but still on the Progress log: an owner's corrected return takes back "
    "an update its earlier version gave, but its Progress log row was kept"
)
#: Why each was kept (its reason in the JSON).
_REASONS = {
    EDITED: N_(
        "%(ref)s: %(update)s, withdrawn in %(file)s: its Progress log row has been edited since "
        "it was merged, so it was left as it is. Delete the row if the update no longer stands"
    ),
    GIVEN_BY_ANOTHER: N_(
        "%(ref)s: %(update)s, withdrawn in %(file)s: another return gave it too, so it stays "
        "on the Progress log and in the plan as theirs"
    ),
    PLAN_EDITED: N_(
        "%(ref)s: %(update)s, withdrawn in %(file)s: the plan's Progress update has been "
        "changed since it was merged, so its Progress log row was left beside it. Delete the "
        "row if the update no longer stands"
    ),
    NOT_FOUND: N_(
        "%(ref)s: %(update)s, withdrawn in %(file)s: its Progress log row is no longer there "
        "as it was merged (deleted since?), so nothing was taken off. Check that the log "
        "holds nothing of it"
    ),
}


def withdrawn_section(
    entries: list[dict[str, object]], shown: Callable[[object], str]
) -> tuple[str, list[str]]:
    """The report's section on them: its title and one line each, each update as shown(update)
    puts a value in the report (quoted, shortened)."""
    return _(TITLE), [
        _(_REASONS[str(e["reason"])]) % {**e, "update": shown(e["update"])} for e in entries
    ]
