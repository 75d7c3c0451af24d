"""Sentences merge's report says of a return's dates and versions, and of the actions it holds
that were not sent in it, in the text report and on the web page alike."""

from __future__ import annotations

import datetime as dt

from pipeline.formats import format_date
from pipeline.i18n import N_, _
from pipeline.workbook.merged_record import MergedReturn

#: What a merged return's values were compared with (`compared_with`): what split sent, or
#: what the earlier version of it merged before said (the plan's record keeps it).
SENT, EARLIER_VERSION = "sent", "earlier_version"


def undated(day: dt.date) -> str:
    """Said of a return whose save date is unknown, or after day (a clock set wrong)."""
    return _(
        "Its save date is not recorded (Google Sheets, for one, does not record it) or is "
        "after today, so its updates are dated the day of this merge, %(day)s, on the Progress "
        "log and in Last updated: correct those dates if the owner wrote the updates earlier."
    ) % {"day": format_date(day)}


def earlier_version(earlier: MergedReturn, compared_with: str = SENT) -> str:
    """Said of a return merged now when an earlier version of it was merged before; compared
    with that version, only what the owner changed since it is applied."""
    if compared_with == EARLIER_VERSION:
        return _(
            "An earlier version of it (%(file)s) was merged into this plan on %(day)s; this one "
            "differs, so it is merged too. Only what the owner changed since that version is "
            "applied (listed under Updated): what you have typed into the plan since stays."
        ) % {"file": earlier.file, "day": shown_date(earlier.merged_on)}
    return _(
        "An earlier version of it (%(file)s) was merged into this plan on %(day)s; this one "
        "differs, so it is merged too. Check what it changed (listed under Updated) against "
        "anything you have typed into the plan since."
    ) % {"file": earlier.file, "day": shown_date(earlier.merged_on)}


def shown_date(text: str) -> str:
    """An ISO date from a record as the officer reads dates (30 November 2026)."""
    try:
        return format_date(dt.date.fromisoformat(text))
    except ValueError:
        return text or _("an unknown date")


#: The title of the actions a return holds that were not sent in it (`not_sent`), and each's
#: line: sent to an owner, or (the returns split by section) to a section's lead.
NOT_SENT = N_(
    "Actions not sent in that workbook: not applied. Get their updates from the owner they "
    "were sent to"
)
NOT_SENT_SECTION = N_(
    "Actions not sent in that workbook: not applied. Get their updates from the lead of the "
    "section they were sent to"
)
NOT_SENT_LINE = N_(
    "%(ref)s: %(file)s %(cell)s holds an action that was not sent in this workbook (pasted "
    "from another owner's workbook, or a second copy)"
)
NOT_SENT_SECTION_LINE = N_(
    "%(ref)s: %(file)s %(cell)s holds an action that was not sent in this workbook (pasted "
    "from another section's workbook, or a second copy)"
)


def not_sent(entries: list[dict[str, object]], by_section: set[str]) -> tuple[str, list[str]]:
    """The title of the actions returns hold that were not sent in them (entries, the report's
    `not_sent`), and one line each; by_section: the files of returns split by section, whose
    actions were sent to a section's lead, not an owner. The section title only when every
    entry is in one of those (a merge of both kinds keeps the owner's)."""
    section = bool(entries) and all(entry["file"] in by_section for entry in entries)
    lines = [
        _(NOT_SENT_SECTION_LINE if entry["file"] in by_section else NOT_SENT_LINE) % entry
        for entry in entries
    ]
    return _(NOT_SENT_SECTION if section else NOT_SENT), lines


#: The title of the rows whose Ref and words name two different actions (`ref_and_words_differ`):
#: from an owner's return, or (the returns split by section) from a section's lead's.
HELD_BACK = N_(
    "Rows whose Ref and words name different actions: not applied, as either could be meant. "
    "Ask the owner which action each row is, and type its update into the merged plan yourself"
)
HELD_BACK_SECTION = N_(
    "Rows whose Ref and words name different actions: not applied, as either could be meant. "
    "Ask the section's lead which action each row is, and type its update into the merged plan "
    "yourself"
)
HELD_BACK_LINE = N_(
    "%(file)s %(cell)s: its Ref is %(ref)s, but its point and action text are %(words_of)s's"
)
HELD_BACK_CLAIMED = N_(
    "%(file)s %(cell)s: its Ref is %(ref)s, whose point and action text another row holds"
)


def held_back(entries: list[dict[str, object]], by_section: set[str]) -> tuple[str, list[str]]:
    """The title of the rows held back as their Ref and words name different actions (entries,
    the report's `ref_and_words_differ`), and one line each; by_section as for not_sent: the
    section's title only when every row is from a return split by section."""
    section = bool(entries) and all(entry["file"] in by_section for entry in entries)
    lines = [
        _(HELD_BACK_LINE if entry["words_of"] else HELD_BACK_CLAIMED) % entry for entry in entries
    ]
    return _(HELD_BACK_SECTION if section else HELD_BACK), lines
