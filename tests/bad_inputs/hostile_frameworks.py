"""Hostile cases: frameworks (see hostile.py for the contract)."""

from __future__ import annotations

from tests.bad_inputs.hostile import HostileCase

CASES: list[HostileCase] = []
