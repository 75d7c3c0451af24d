"""Statutory text the plan quotes (the Public Sector Equality Duty), loaded from data.

The words of an Act must be quoted exactly, so they live in one data file,
`pipeline/data/statutory.yaml`, with the legislation.gov.uk address they were
checked against. Templates print them from the context; no copy lives in a
template or in Python (a paraphrase once said "remove" where section 149
says "eliminate").
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml


@functools.cache
def load_statutory() -> dict[str, Any]:
    """The statutory passages by key (`psed`): title, citation, source, introduction, aims."""
    text = (resources.files("pipeline") / "data" / "statutory.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def statutory_for(language: str) -> dict[str, Any]:
    """The passages for a document in language: each `<key>_<language>` Welsh text under its key."""
    passages = load_statutory()
    keys = [key for key in passages if "_" not in key]
    return {key: passages.get(f"{key}_{language}", passages[key]) for key in keys}
