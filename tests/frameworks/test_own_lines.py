"""A problem in a council's framework file names the line of the key it is about."""

from __future__ import annotations

import pytest

from pipeline import frameworks
from pipeline.errors import FrameworkFileError

MINIMAL = "id: x\ntitle: X\nmodules:\n  - ref: '1'\n    title: M\n    themes:\n      - {ref: '1', title: T}\n"


def _error(text: str) -> str:
    with pytest.raises(FrameworkFileError) as raised:
        frameworks.parse(text, "ours.yaml")
    return raised.value.message


@pytest.mark.parametrize("key", ["assessment_levels", "levels"])
def test_a_list_over_the_limit_is_named_at_its_own_line(key):
    """Line 8, where the list is, not line 1, where the file's keys start."""
    levels = ", ".join(f"L{i}" for i in range(5_000))
    message = _error(f"{MINIMAL}{key}: [{levels}]\n")
    assert message.startswith(f"ours.yaml: line 8: '{key}' has 5,000 items (the limit is 200)")
