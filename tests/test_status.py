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
