"""An action's status, kept apart from its RAG rating as council performance systems keep it.

RAG says how an action is going; status says where it is in its life
(issue 12). The words are the ones officers pick from the Status dropdown;
`from_cell` is tolerant of case and spacing and returns None for a word it
does not know, so the caller can report the cell.
"""

from __future__ import annotations

import enum
import functools

from pipeline.i18n import N_, in_welsh
from pipeline.text import match_key


class ActionStatus(enum.Enum):
    """Where an action is in its life, whatever its RAG rating."""

    NOT_STARTED = N_("Not started")
    IN_PROGRESS = N_("In progress")
    ONGOING = N_("Ongoing")
    DEFERRED = N_("Deferred")
    COMPLETE = N_("Complete")
    WITHDRAWN = N_("Withdrawn")

    @property
    def label(self) -> str:
        return self.value

    @classmethod
    @functools.lru_cache(maxsize=256)  # officers type the same few words on every row
    def from_cell(cls, text: str) -> ActionStatus | None:
        """The status for text as officers type it (`in progress`, `Complete `), or None."""
        return _WORDS.get(match_key(text)) or _welsh(cls).get(match_key(text))


_WORDS = {match_key(status.value): status for status in ActionStatus} | {
    "completed": ActionStatus.COMPLETE,
    "done": ActionStatus.COMPLETE,
    "not yet started": ActionStatus.NOT_STARTED,
    "underway": ActionStatus.IN_PROGRESS,
    "under way": ActionStatus.IN_PROGRESS,
    "on hold": ActionStatus.DEFERRED,
    "cancelled": ActionStatus.WITHDRAWN,
}


class Status(enum.Enum):
    """Whether the plan is a working draft or the final, approved version."""

    DRAFT = N_("Draft")
    FINAL = N_("Final")

    @classmethod
    def from_cell(cls, text: str) -> Status | None:
        key = match_key(text)
        for status in cls:
            if key == status.value.casefold():
                return status
        return _welsh(cls).get(key)


@functools.cache
def _welsh(kind: type[enum.Enum]) -> dict[str, enum.Enum]:
    """The Welsh words of a kind of status (`Ar waith`, `Drafft`), as a Welsh template offers them."""
    return {match_key(in_welsh(member.value)): member for member in kind}
