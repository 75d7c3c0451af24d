"""The plan is a document a committee reads: exact statutory text, no working notes,
no bulk, nothing empty, sensible page breaks (issue 10)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn

from pipeline.build import build
from pipeline.cli import cli
from pipeline.render.pagination import keep_rows_whole
from tests.conftest import EXAMPLE, ROOT, action_row
from tests.render.helpers import action_rows, all_text, cell_text, headings

ELIMINATE = (
    "(a) eliminate discrimination, harassment, victimisation and any other conduct that is "
    "prohibited by or under this Act;"
)


@pytest.fixture(scope="module")
def example_rag(tmp_path_factory) -> Path:
    return build(EXAMPLE, tmp_path_factory.mktemp("rag")).docx


@pytest.fixture(scope="module")
def example_outcomes(tmp_path_factory) -> Path:
    return build(EXAMPLE, tmp_path_factory.mktemp("outcomes"), layout="outcomes").docx


def _captions(path: Path) -> dict[str, object]:
    document = docx.Document(str(path))
    return {
        t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")): t
        for t in document.tables
        if t._tbl.tblPr.find(qn("w:tblCaption")) is not None
    }


# ------------------------------------------------------------- statutory text


def test_psed_is_quoted_word_for_word_from_section_149(example_rag):
    """Section 149(1) says 'eliminate', not 'remove'; the plan quotes it exactly."""
    text = all_text(example_rag)
    assert "Section 149(1) of the Equality Act 2010 says:" in text
    assert (
        "A public authority must, in the exercise of its functions, have due regard to the "
        "need to—" in text
    )
    assert ELIMINATE in text
    assert (
        "(b) advance equality of opportunity between persons who share a relevant protected "
        "characteristic and persons who do not share it;" in text
    )
    assert (
        "(c) foster good relations between persons who share a relevant protected "
        "characteristic and persons who do not share it." in text
    )
    assert "remove unlawful discrimination" not in text
    assert "https://www.legislation.gov.uk/ukpga/2010/15/section/149" in text


def test_statutory_text_has_one_home():
    """The words live in the data file with their source, not in the template script."""
    data = yaml.safe_load((ROOT / "pipeline" / "data" / "statutory.yaml").read_text())
    assert data["psed"]["aims"][0] == ELIMINATE
    assert data["psed"]["source"].startswith("https://www.legislation.gov.uk/")
    script = (ROOT / "templates" / "make_templates.py").read_text()
    assert "harassment" not in script and "eliminate discrimination" not in script


# ------------------------------------------------------------------ layouts


def test_outcomes_layout_prints_the_action_once(make_workbook, tmp_path):
    """With no outcome, the action is what we want to achieve, not also the next step."""
    rows = [
        action_row(ref="N1", outcome=None, action="Run a listening event."),
        action_row(ref="N2", outcome="Residents are heard.", action="Hold a forum."),
    ]
    path = build(make_workbook(actions=rows), tmp_path, layout="outcomes").docx
    cells = [[cell_text(c) for c in row.cells] for row in action_rows(path)]
    without, with_outcome = cells
    assert sum(c.count("Run a listening event.") for c in without) == 1
    assert "Next step:" not in without[2]
    assert without[3].startswith("Run a listening event.")
    assert "Next step: Hold a forum." in with_outcome[2]
    assert with_outcome[3].startswith("Residents are heard.")


def test_outcomes_the_rag_layout_leaves_out_are_named_in_a_note(make_workbook, tmp_path):
    """The default layout has no column for Outcome sought: the officer is told, not left to find out."""
    rows = [
        action_row(ref="N1", outcome=None, action="Run a listening event."),
        action_row(ref="N2", outcome="Residents are heard.", action="Hold a forum."),
    ]
    workbook = make_workbook(actions=rows)
    rag = build(workbook, tmp_path / "rag")
    assert "Residents are heard." not in all_text(rag.docx)
    assert [n for n in rag.notes if "Outcome sought" in n] == [
        "1 action has an Outcome sought, which the default (rag) layout does not print. "
        "To print it, choose the Outcomes layout (--layout outcomes; make plan LAYOUT=outcomes)."
    ]
    outcomes = build(workbook, tmp_path / "outcomes", layout="outcomes")
    assert "Residents are heard." in all_text(outcomes.docx)
    assert not [n for n in outcomes.notes if "Outcome sought" in n]
    without = build(make_workbook(actions=rows[:1]), tmp_path / "none")
    assert not [n for n in without.notes if "Outcome sought" in n]


@pytest.mark.parametrize("layout", ["rag", "outcomes"])
def test_every_action_row_starts_with_its_ref(layout, example_rag, example_outcomes):
    path = example_rag if layout == "rag" else example_outcomes
    refs = [cell_text(row.cells[0]) for row in action_rows(path)]
    assert len(refs) == 62 and refs[:2] == ["EB01", "EB02"]


# -------------------------------------------------------- no working notes


def test_data_checks_only_with_include_checks(example_rag, tmp_path):
    """Appendix E (cells such as Actions!F72) is for officers: only on request."""
    assert "Appendix E: Checks on the data" not in headings(example_rag)
    assert "Appendix E: Checks on the data" not in all_text(example_rag)  # nor in the contents
    assert "Data checks" not in _captions(example_rag)
    with_checks = build(EXAMPLE, tmp_path, include_checks=True).docx
    assert headings(with_checks)[-1] == "Appendix E: Checks on the data"
    text = all_text(with_checks)
    assert text.count("Appendix E: Checks on the data") == 2  # contents list and heading
    assert "Actions!" in text


def test_cli_include_checks_flag(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(EXAMPLE), "-o", str(tmp_path), "--include-checks"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "Appendix E: Checks on the data" in headings(tmp_path / "example-plan.docx")


# ------------------------------------------------------------------- no bulk


def test_owners_appendix_is_one_table_of_counts_and_refs(example_rag):
    """Appendix C no longer repeats every action by owner."""
    tables = _captions(example_rag)
    assert not [c for c in tables if c.startswith("Actions owned by")]
    table = tables["RAG ratings by owner"]
    header = [cell_text(c) for c in table.rows[0].cells]
    assert header == [
        "Owner",
        "Red",
        "Amber",
        "Green",
        "Complete",
        "Not rated",
        "Total",
        "Actions (refs)",
    ]
    rows = {cell_text(r.cells[0]): [cell_text(c) for c in r.cells] for r in table.rows[1:]}
    everyone = [ref for row in rows.values() for ref in row[7].split(", ")]
    assert len(everyone) == 62 and len(set(everyone)) == 62
    for row in rows.values():
        assert int(row[6]) == len(row[7].split(", "))


# ------------------------------------------------------------- nothing empty


def test_unrated_unassessed_plan_leaves_out_ratings_and_self_assessment(make_workbook, tmp_path):
    """A plan that rates nothing gets no all-grey chart and no tables of 'Not rated'."""
    rows = [action_row(ref=f"U{i}", rag=None, action=f"Action {i}.") for i in range(3)]
    path = build(make_workbook(actions=rows), tmp_path).docx
    level2 = headings(path, 2)
    assert "Ratings by module" not in level2
    assert "What the ratings mean" not in level2
    assert "Self-assessment against the framework" not in level2
    document = docx.Document(str(path))
    assert not document.element.body.findall(".//" + qn("wp:docPr"))  # no chart
    tables = _captions(path)
    assert "RAG ratings by module" not in tables and "RAG ratings by owner" not in tables
    owners = tables["Actions by owner"]
    assert [cell_text(c) for c in owners.rows[1].cells] == ["Policy Team", "3", "U0, U1, U2"]


def test_rated_assessed_plan_keeps_them(example_rag):
    level2 = headings(example_rag, 2)
    assert "Ratings by module" in level2
    assert "Self-assessment against the framework" in level2


# ---------------------------------------------------------------- pagination


def test_action_rows_are_kept_whole_unless_taller_than_a_page(make_workbook, tmp_path):
    rows = [
        action_row(ref="S1", evidence="Short."),
        action_row(ref="S2", action="Another.", evidence="A very long paragraph. " * 300),
    ]
    path = build(make_workbook(actions=rows), tmp_path).docx
    short, tall = action_rows(path)
    assert short._tr.trPr.find(qn("w:cantSplit")) is not None
    assert tall._tr.trPr is None or tall._tr.trPr.find(qn("w:cantSplit")) is None


def test_keep_rows_whole_counts_only_rows_that_fit(example_rag):
    document = docx.Document(str(example_rag))
    rows = sum(len(t.rows) for t in document.tables)
    assert keep_rows_whole(document) == rows  # the example's rows all fit on a page


def test_headings_keep_with_their_tables(example_rag):
    document = docx.Document(str(example_rag))
    for table in document.element.body.iter(qn("w:tbl")):
        previous = table.getprevious()
        if previous.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            continue
        assert previous.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def test_each_section_starts_a_new_page_in_the_rag_layout(example_rag, example_outcomes):
    def breaks(path: Path) -> list[bool]:
        document = docx.Document(str(path))
        return [
            bool(p.paragraph_format.page_break_before)
            for p in document.paragraphs
            if p.style.name == "Heading 1" and p.text.startswith("Module ")
        ]

    assert breaks(example_rag) == [True] * 4
    assert breaks(example_outcomes) == [False] * 4


def test_rag_column_is_as_narrow_as_its_longest_word(example_rag):
    table = next(iter({row._parent._parent for row in action_rows(example_rag)}))
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.iter(qn("w:gridCol"))]
    rag_cm = widths[-1] / 567
    # The Welsh "Cwblhawyd" in bold 12 pt (2.71 cm with the cell margins), and no wider.
    assert 2.7 <= rag_cm <= 3.0
    assert rag_cm < widths[4] / 567  # narrower than By when, which fits a whole date
