"""The CSV export for dashboards: every action, readable by Excel, formula text made inert."""

from __future__ import annotations

import pandas as pd

from pipeline.cli import cli
from tests.conftest import action_row


def test_csv_has_every_action_and_defuses_formulas(runner, make_workbook, tmp_path):
    rows = [
        action_row(ref="A1", action='=HYPERLINK("http://x.invalid")'),
        action_row(ref="A2", action='Cynllun ŵ ŷ, "quoted", comma', owner="@team"),
        action_row(ref="A3", action="Plain action\nwith a second line."),
    ]
    path = make_workbook(actions=rows)
    result = runner.invoke(cli, ["build", str(path), "-o", str(tmp_path / "out"), "--csv"])
    assert result.exit_code == 0, result.output
    target = tmp_path / "out" / f"{path.stem}-actions.csv"
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    frame = pd.read_csv(target, encoding="utf-8-sig", keep_default_na=False)
    assert list(frame["Ref"]) == ["A1", "A2", "A3"]
    assert frame.loc[0, "Gap / action"] == '\'=HYPERLINK("http://x.invalid")'
    assert frame.loc[1, "Gap / action"] == 'Cynllun ŵ ŷ, "quoted", comma'
    assert frame.loc[1, "Owner"] == "'@team"
    assert frame.loc[2, "Gap / action"] == "Plain action\nwith a second line."
    assert frame.loc[0, "Due date"] == "2027-03-31"
    assert set(frame["Overdue"]) == {"No"}


def test_csv_is_not_written_unless_asked(runner, make_workbook, tmp_path):
    path = make_workbook()
    result = runner.invoke(cli, ["build", str(path), "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert not list(tmp_path.glob("*.csv"))
