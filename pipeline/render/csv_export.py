"""Every action as a CSV file for dashboards (Power BI, Tableau, Excel's Get Data).

pandas writes the file; it is imported only here, when `--csv` is asked for,
because importing it costs about half a second on every build. Text that a
spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) is prefixed with an apostrophe, as OWASP advises for CSV
exports (CWE-1236).
"""

from __future__ import annotations

from pipeline.headings import ACTION_FIELDS
from pipeline.io import Target, write_output
from pipeline.text import looks_like_formula
from pipeline.view import PlanView


def defuse(value: object) -> object:
    """Text that could run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def write_actions_csv(view: PlanView, out_path: Target) -> Target:
    """Write one row per action (UTF-8 with a byte-order mark, so Excel reads ŵ and ŷ).

    out_path is a path (written atomically) or a binary stream.
    """
    import pandas as pd

    frame = pd.DataFrame(view.action_records, columns=list(ACTION_FIELDS))
    for column in ("overdue", "due_soon"):
        frame[column] = frame[column].map({True: "Yes", False: "No"})
    frame = frame.map(defuse).rename(columns=ACTION_FIELDS)
    return write_output(
        out_path,
        lambda temp: frame.to_csv(temp, index=False, encoding="utf-8-sig", lineterminator="\r\n"),
        suffix=".csv",
    )
