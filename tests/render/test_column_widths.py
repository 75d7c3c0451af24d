"""No word in a table of the example's documents is wider than its column (render/column_widths.py).

A word wider than its column is cut by Word and LibreOffice wherever the line runs
out: "EB0" above "1", "30 Septem" above "ber 2027", "Communicatio" above "ns". Each
word of every table cell is measured in Liberation Sans (the metrics of Arial, the
templates' font) at its run's size and weight, against its column's width less the
cell margins. Words are split where a line may break: at spaces and after hyphens
and slashes; dates are joined with non-breaking spaces, so a date is one word.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from pipeline.cli import cli
from tests.conftest import ROOT
from tests.fixtures.council_plan import write_council_plan

FONTS = Path("/usr/share/fonts/truetype/liberation")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CELL_MARGINS_PT = 2 * 108 / 20  # Word's and LibreOffice's default: 0.19 cm each side
_BREAKS = re.compile(r"[ \t]+|(?<=[-/])")


def _measure():
    """A function giving the width in points of text at a size, bold or not."""
    regular, bold = FONTS / "LiberationSans-Regular.ttf", FONTS / "LiberationSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        if os.environ.get("CI"):
            pytest.fail("fonts-liberation is missing in CI; .ci/run should have installed it")
        pytest.skip("Liberation Sans (fonts-liberation) is needed to measure words")
    from PIL import ImageFont

    fonts = {
        False: ImageFont.truetype(str(regular), 1200),
        True: ImageFont.truetype(str(bold), 1200),
    }
    return lambda text, size, is_bold: fonts[is_bold].getlength(text) / 100 * size / 12


def words_too_wide(docx: Path, measure) -> list[tuple[str, float, float]]:
    """(word, width it needs, column width) in cm, for each word wider than its column."""
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    found = []
    for table in root.iter(f"{W}tbl"):
        grid = [int(col.get(f"{W}w")) / 20 for col in table.find(f"{W}tblGrid")]
        for row in table.iterchildren(f"{W}tr"):
            column = 0
            for cell in row.iterchildren(f"{W}tc"):
                span = cell.find(f"{W}tcPr/{W}gridSpan")
                count = int(span.get(f"{W}val")) if span is not None else 1
                width = sum(grid[column : column + count])
                column += count
                for run in cell.iter(f"{W}r"):
                    size, is_bold = _run_format(run)
                    text = _run_text(run)
                    for word in filter(None, _BREAKS.split(text)):
                        needed = measure(word, size, is_bold) + CELL_MARGINS_PT
                        if needed > width:
                            found.append((word, _cm(needed), _cm(width)))
    return found


def _run_text(run) -> str:
    """A run's text, with its line breaks and tabs as spaces (where a line may break)."""
    return "".join(
        (child.text or "") if child.tag == f"{W}t" else " "
        for child in run
        if child.tag in (f"{W}t", f"{W}br", f"{W}tab", f"{W}cr")
    )


def _run_format(run) -> tuple[float, bool]:
    """A run's size in points and whether it is bold (the templates' table text: 12 pt)."""
    properties = run.find(f"{W}rPr")
    if properties is None:
        return 12.0, False
    size = properties.find(f"{W}sz")
    bold = properties.find(f"{W}b")
    is_bold = bold is not None and bold.get(f"{W}val", "true") not in ("0", "false")
    return (int(size.get(f"{W}val")) / 2 if size is not None else 12.0), is_bold


def _cm(points: float) -> float:
    return round(points / 72 * 2.54, 2)


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    """The example's plans (both layouts, English and Welsh, every appendix, --since), its
    changes documents and the realistic council plan of test_council_plan.py, built once."""
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("widths")
    example = ROOT / "inputs" / "example-plan.xlsx"
    previous = folder / "previous.xlsx"
    book = openpyxl.load_workbook(example)
    actions = book["Actions"]
    for row in range(2, 12):  # deadlines that move, ratings that change, an action removed
        actions.cell(row, 6).value = dt.datetime(2026, 9, 30)
        actions.cell(row, 8).value = "Red"
    actions.delete_rows(20)
    book.save(previous)
    runner = CliRunner()
    builds = {
        "rag": ["--include-checks", "--history", "--since", str(previous)],
        "outcomes": ["--layout", "outcomes", "--history"],
        "welsh": ["--language", "cy", "--include-checks", "--history", "--since", str(previous)],
    }
    made = {}
    for name, options in builds.items():
        out = folder / name
        result = runner.invoke(cli, ["build", str(example), "-o", str(out), *options])
        assert result.exit_code == 0, result.output
        made |= {f"{name}/{path.name}": path for path in out.glob("*.docx")}
    council = write_council_plan(folder / "council-plan.xlsx")  # joint owners, long text
    result = runner.invoke(cli, ["build", str(council), "-o", str(folder / "council")])
    assert result.exit_code == 0, result.output
    made["council/council-plan.docx"] = folder / "council" / "council-plan.docx"
    out = folder / "changes"
    result = runner.invoke(
        cli, ["compare", str(previous), str(example), "-o", str(out), "--language", "both"]
    )
    assert result.exit_code == 0, result.output
    made |= {f"changes/{path.name}": path for path in out.glob("*.docx")}
    assert len(made) == 6, sorted(made)
    return made


@pytest.mark.parametrize(
    "name",
    [
        "rag/example-plan.docx",
        "outcomes/example-plan.docx",
        "welsh/example-plan-cy.docx",
        "changes/example-plan-cy-changes.docx",
        "changes/example-plan-en-changes.docx",
        "council/council-plan.docx",
    ],
)
def test_no_word_in_a_table_is_wider_than_its_column(documents, name):
    measure = _measure()
    too_wide = words_too_wide(documents[name], measure)
    assert not too_wide, "\n".join(
        f"{word!r} needs {needed} cm in a {width} cm column" for word, needed, width in too_wide
    )


def test_the_measure_finds_a_ref_cut_in_a_narrow_column(tmp_path):
    """The check itself: the example's refs in the 1.4 cm column of the old templates fail it."""
    measure = _measure()
    docx = tmp_path / "narrow.docx"
    from docx import Document
    from docx.shared import Cm

    document = Document()
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    for column, width in zip(table.columns, (1.4, 4.0), strict=True):
        column.width = Cm(width)
    table.cell(0, 0).text = "EB01"
    table.cell(0, 1).text = "30\u00a0September\u00a02027"
    document.save(docx)
    assert [word for word, _needed, _width in words_too_wide(docx, measure)] == [
        "EB01",
        "30\u00a0September\u00a02027",
    ]
