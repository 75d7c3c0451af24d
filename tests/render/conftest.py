"""Fixtures shared by the render tests."""

from __future__ import annotations

import pytest

from pipeline.render.isolation import Warm


@pytest.fixture
def handed(monkeypatch):
    """Each hand-over to a warm child: whether the child took the work."""
    taken: list[bool] = []
    hand = Warm.hand

    def spy(self, work):
        started = hand(self, work)
        taken.append(started is not None)
        return started

    monkeypatch.setattr(Warm, "hand", spy)
    return taken
