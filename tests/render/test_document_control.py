"""The Document control table prints only the Plan fields that have a value (Word and web page).

A committee reader once saw "Version", "Approved by" and "Approved on" with nothing beside
them: an optional field left empty now has no row, and a filled one keeps its row.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from pipeline.build import build
from tests.conftest import write_plan_workbook
from tests.render.helpers import cell_text

EVERY_ROW = [
    "Council",
    "Plan title",
    "Framework",
    "Period",
    "Version",
    "Status",
    "Position as at",
    "Committee",
    "Meeting date",
    "Author",
    "Lead member",
    "Approved by",
    "Approved on",
]
#: The Plan sheet's required fields: a plan cannot be built without them.
REQUIRED_ROWS = ["Council", "Plan title", "Framework", "Position as at"]
EMPTY_OPTIONAL = {
    key: None
    for key in (
        "period_start",
        "period_end",
        "version",
        "status",
        "committee",
        "meeting_date",
        "author",
        "lead_member",
        "approved_by",
        "approved_on",
    )
}
FILLED = {
    "lead_member": "Cabinet Member for Communities",
    "approved_by": "Corporate Management Team",
    "approved_on": dt.date(2026, 11, 2),
}


def _word_rows(path: Path) -> list[tuple[str, str]]:
    """The Document control table of the Word plan, less its header row."""
    for table in docx.Document(str(path)).tables:
        caption = table._tbl.tblPr.find(qn("w:tblCaption"))
        if caption is not None and caption.get(qn("w:val")) == "Document control":
            return [(cell_text(r.cells[0]), cell_text(r.cells[1])) for r in table.rows[1:]]
    raise AssertionError("no Document control table")


def _page_rows(path: Path) -> list[tuple[str, str]]:
    """The Document control table of the web page."""
    page = path.read_text(encoding="utf-8")
    table = page.split('id="document-control-caption"', 1)[1].split("</table>", 1)[0]
    found = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', table)
    return [(html.unescape(item), html.unescape(detail)) for item, detail in found]


@pytest.mark.parametrize(
    ("plan", "expected"),
    [(EMPTY_OPTIONAL, REQUIRED_ROWS), (FILLED, EVERY_ROW)],
    ids=["optional-fields-empty", "every-field-filled"],
)
def test_document_control_has_a_row_for_each_field_with_a_value(tmp_path, plan, expected):
    source = write_plan_workbook(tmp_path / "plan.xlsx", plan=plan)
    result = build(source, tmp_path / "out", html=True)
    assert result.docx is not None, result.report.to_text()
    for rows in (_word_rows(result.docx), _page_rows(result.html)):
        assert [item for item, _detail in rows] == expected
        assert all(detail.strip() for _item, detail in rows), rows
    word = dict(_word_rows(result.docx))
    assert word["Council"] == "Testshire Council"
    if plan is FILLED:
        assert word["Approved by"] == "Corporate Management Team"
        assert word["Approved on"] == "2\u00a0November\u00a02026"
        assert word["Version"] == "1.0"
