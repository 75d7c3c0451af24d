"""A plan as councils really keep them still builds, with warnings (issue 6).

Modelled on the shape of seed 004 (in our own words): headings renamed to
"By when" and "Responsible officer", free-text deadlines, unrated rows,
evidence-only rows, two owners in one cell, a framework point merged over
several rows, and a strand column.
"""

from __future__ import annotations

from pipeline.build import build
from tests.conftest import action_row
from tests.render.helpers import action_rows, cell_text

ROWS = [
    action_row(ref="", point="6", evidence="Steering group chaired by the chief executive.", action="Widen the group's membership.", deadline="Nov 22 & Ongoing", owner="Equalities Team", rag="G"),
    action_row(ref="", point=None, evidence=None, action="Arrange inclusive leadership training for the group.", deadline="Sept 2022", owner="Steering Group\nEqualities Team", rag="A"),
    action_row(ref="", point=None, evidence="Impact assessments use the council's own template.", action=None, deadline=None, owner=None, rag=None),
    action_row(ref="", point="7", evidence=None, action="Publish the plan on the website.", deadline="TBC", owner="Steering Group", rag=None),
    action_row(ref="", point="7", evidence="Strategy refreshed last year.", action="Refresh the evidence base once census data is out.", deadline="Complete", owner="Business Intelligence", rag="Complete"),
    action_row(ref="", point="13", evidence="Pay gap report published.", action="Act on the pay gap findings.", deadline="Under development", owner="HR", rag="", strand="Gender pay gap"),
]  # fmt: skip


def test_a_messy_real_world_plan_builds_with_warnings(make_workbook, tmp_path):
    def council_layout(wb):
        ws = wb["Actions"]
        ws["F1"] = "By when"
        ws["G1"] = "Responsible officer"
        ws.merge_cells("B2:B4")

    path = make_workbook(
        actions=ROWS,
        owners=["Equalities Team", "Steering Group", "Business Intelligence", "HR"],
        edit=council_layout,
    )
    result = build(path, tmp_path)
    assert result.docx is not None, result.report.to_text()
    codes = result.report.count_by_code()
    assert codes["MERGED_CELLS"] == 1
    assert codes["ACTION_MISSING"] == 1  # the evidence-only row
    assert codes["DEADLINE_UNCLEAR"] == 1  # "Under development", kept as written
    assert codes["RAG_MISSING"] == 2
    assert "OWNER_UNLISTED" not in codes  # both owners in the two-line cell are listed
    rows = [[cell_text(c) for c in row.cells][1:] for row in action_rows(result.docx)]
    assert len(rows) == len(ROWS)
    deadlines = [r[3].replace("\u00a0", " ") for r in rows]  # dates do not wrap in Word
    assert deadlines == [
        "Nov 22 & Ongoing",
        "Sept 2022",
        "",
        "TBC",
        "Complete",
        "Under development",
    ]
    assert rows[2][1] == "Impact assessments use the council's own template."
    assert rows[1][0].startswith("6 Political and officer leadership")  # merged point copied down
    assert rows[1][4] == "Steering Group\nEqualities Team"
    assert rows[5][0].endswith("Strand: Gender pay gap")
    assert [r[5] for r in rows] == [
        "Green",
        "Amber",
        "Not rated",
        "Not rated",
        "Complete",
        "Not rated",
    ]
