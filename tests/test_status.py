"""Action status words as officers type them (issue 12)."""

from __future__ import annotations

import pytest

from pipeline.status import ActionStatus


@pytest.mark.parametrize("status", list(ActionStatus))
def test_each_status_reads_back_from_its_own_word_in_any_case(status):
    assert ActionStatus.from_cell(status.label) is status
    assert ActionStatus.from_cell(f"  {status.label.upper()} ") is status


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("Done", ActionStatus.COMPLETE),
        ("on hold", ActionStatus.DEFERRED),
        ("Underway", ActionStatus.IN_PROGRESS),
    ],
)
def test_common_other_words_are_understood(typed, status):
    assert ActionStatus.from_cell(typed) is status


@pytest.mark.parametrize("typed", ["", "Purple", "Red"])
def test_unknown_words_are_none_so_the_cell_can_be_reported(typed):
    assert ActionStatus.from_cell(typed) is None


@pytest.mark.parametrize("text", ["done", " In Progress ", "Ar waith", "Purple", "", "R", "Amber"])
def test_cached_words_give_what_reading_them_afresh_gives(text):
    """from_cell remembers the words it has read (plans repeat a few): same answer each time."""
    from pipeline.rag import Rag

    for kind in (ActionStatus, Rag):
        fresh = kind.from_cell.__wrapped__(kind, text)
        assert kind.from_cell(text) is fresh
        assert kind.from_cell(text) is fresh
