"""A cell's value as text: the one rule every sheet reader uses (to_model.py, report_sheet.py)."""

from __future__ import annotations

import datetime as dt

from pipeline.formats import format_date


def as_text(value: object) -> str:
    """A cell value as text: numbers without a trailing .0, dates the UK way."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:g}" if value.is_integer() or abs(value) < 1e15 else str(value)
    if isinstance(value, dt.datetime):
        return format_date(value.date())
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value).strip()
