"""What the merge report says of an update an owner withdrew that is still on the Progress log.

An owner's corrected return may take back the update its earlier version gave (cleared,
or the update sent typed back): merge takes that update's entry off the Progress log
(merge_log.withdraw_update), unless the officer has edited the entry since or another
owner's return gave it too. Those are listed (`withdrawn_still_logged` in the JSON: ref,
update, file, reason), so the officer knows the log still holds them and why.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.i18n import N_, _
from pipeline.merge_log import EDITED

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
}
_GIVEN_BY_ANOTHER = N_(
    "%(ref)s: %(update)s, withdrawn in %(file)s: another owner's return gave it too, so it "
    "stays on the Progress log and in the plan as theirs"
)


def withdrawn_section(
    entries: list[dict[str, object]], shown: Callable[[object], str]
) -> tuple[str, list[str]]:
    """The report's section on them: its title and one line each, each update as shown(update)
    puts a value in the report (quoted, shortened)."""
    return _(TITLE), [
        _(_REASONS.get(str(e["reason"]), _GIVEN_BY_ANOTHER)) % {**e, "update": shown(e["update"])}
        for e in entries
    ]
