"""Build inputs/example-plan.xlsx from inputs/example-plan.yaml: the fictional Example Borough Council.

The example is the default input of `make plan` and the fixture of the
end-to-end tests, so it exercises what real plans contain: every EFLG 2021
theme, all four RAG ratings and unrated rows, overdue actions and actions due
within 90 days of the report date, two strands (one with its own colour code), a
section with the council's own title, multi-line cells, an
ampersand, and free-text deadlines (Ongoing, TBC, Nov 2026, Annual). All text
is written for this example. Run it with `make example`.

The data lives in example-plan.yaml as records keyed by the field keys of
pipeline/workbook/layout.py: a new optional column is one more key in the
records that use it, and nothing here changes.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import frameworks  # noqa: E402
from pipeline.frameworks.safe_yaml import StrictLoader  # noqa: E402
from pipeline.io import write_atomic  # noqa: E402
from pipeline.workbook import build_template, fill_workbook, layout  # noqa: E402

SOURCE = ROOT / "inputs" / "example-plan.yaml"
TARGET = ROOT / "inputs" / "example-plan.xlsx"
#: The field keys each part of the data file may use.
KEYS = {
    "plan": {f.key for f in layout.PLAN_FIELDS},
    "report": {f.key for f in layout.REPORT_FIELDS},
    "owners": {c.key for c in layout.OWNERS.columns},
    "sections": {c.key for c in layout.SECTIONS.columns},
    "assessment": {c.key for c in layout.ASSESSMENT.columns},
    "actions": {c.key for c in layout.ACTIONS.columns},
    "progress_log": {c.key for c in layout.PROGRESS_LOG.columns},
}


def load(source: Path = SOURCE) -> dict[str, Any]:
    """The example's records, checked: known field keys only; values are text, dates or whole numbers.

    The strict loader refuses a key repeated in one record (which YAML would
    otherwise settle silently by keeping the last).
    """
    try:
        data = yaml.load(source.read_text(encoding="utf-8"), Loader=StrictLoader)
    except yaml.YAMLError as exc:  # StrictLoader is a SafeLoader: no code runs
        line = getattr(exc, "line", None)
        raise SystemExit(f"{source.name}: {f'line {line}: ' if line else ''}{exc}") from None
    records: list[tuple[str, str, dict]] = [("plan", "plan", data["plan"])]
    records += [("report", "report", data["report"])]
    records += [("owners", f"owner {r.get('name')}", r) for r in data["owners"]]
    records += [("sections", f"section {ref}", r) for ref, r in data["sections"].items()]
    records += [("assessment", f"theme {ref}", r) for ref, r in data["assessment"].items()]
    records += [("actions", f"action {r.get('ref')}", r) for r in data["actions"]]
    records += [
        ("progress_log", f"log entry for {r.get('ref')}", r) for r in data.get("progress_log", [])
    ]
    for part, name, record in records:
        unknown = set(record) - KEYS[part]
        if unknown:
            raise SystemExit(
                f"{source.name}: {name} has unknown field {', '.join(sorted(unknown))}"
            )
        for key, value in record.items():
            if isinstance(value, bool | float | dt.datetime) or not isinstance(
                value, str | int | dt.date
            ):
                raise SystemExit(
                    f"{source.name}: {name}, {key}: {value!r} is read as "
                    f"{type(value).__name__}; put it in quotes to keep it as typed"
                )
    return data


def build(target: Path = TARGET, source: Path = SOURCE) -> Path:
    """Write the example workbook (atomically) and return its path."""
    data = load(source)
    framework = frameworks.load("eflg-2021")
    actions = [
        {**record, "point": framework.resolve(record["point"]).label}  # as the dropdown fills it
        for record in data["actions"]
    ]
    wb = fill_workbook(
        build_template(framework, welsh=True),  # with the (Cymraeg) columns (issue 15)
        plan=data["plan"],
        report=data["report"],
        sections=data["sections"],
        assessments=data["assessment"],
        actions=actions,
        owners=data["owners"],
        progress_log=data.get("progress_log"),
    )
    lists = wb[layout.LISTS_SHEET]  # the council's own shades for strands, as colour codes
    headings = [cell.value for cell in lists[1]]
    strand = headings.index(layout.LISTS.column("strand").heading) + 1
    colour = headings.index(layout.LISTS.column("strand_colour").heading) + 1
    for row in range(2, lists.max_row + 1):
        shade = data["strand_colours"].get(lists.cell(row=row, column=strand).value)
        if shade:
            lists.cell(row=row, column=colour).value = shade
    wb.properties.creator = data["plan"]["council"]
    wb.properties.title = data["plan"]["title"]
    return write_atomic(target, wb.save)


if __name__ == "__main__":
    path = build()
    print(f"Wrote {path.relative_to(ROOT)} ({len(load()['actions'])} actions).")
