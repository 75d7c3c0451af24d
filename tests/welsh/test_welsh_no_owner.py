"""An action with no owner is counted under the Welsh words for it in a Welsh plan."""

from __future__ import annotations

import docx

from pipeline.cli import cli
from tests.conftest import action_row, write_plan_workbook


def _text(path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_no_owner_row_is_in_the_language_of_the_document(tmp_path, runner):
    workbook = write_plan_workbook(
        tmp_path / "plan.xlsx", actions=[action_row(owner=None), action_row(ref="A2")]
    )
    result = runner.invoke(
        cli, ["build", str(workbook), "-o", str(tmp_path / "out"), "--language", "both"]
    )
    assert result.exit_code == 0, result.output
    welsh, english = (
        _text(tmp_path / "out" / "plan-cy.docx"),
        _text(tmp_path / "out" / "plan-en.docx"),
    )
    assert "(dim perchennog)" in welsh and "(no owner)" not in welsh
    assert "(no owner)" in english
