"""The docxtpl engine: the steps it overrides are still the ones docxtpl runs (issue 11).

pipeline/render/engine.py replaces five undocumented steps of docxtpl's
DocxTemplate.render and sets private python-docx attributes. A docxtpl or
python-docx release that renames, reorders or drops any of them would make
the overrides dead code (docxtpl's slow, lenient steps would run again) or
break rendering. These tests fail first, and say what to check.
"""

from __future__ import annotations

from unittest.mock import patch

import docx
import jinja2
import pytest
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cli import cli
from pipeline.errors import TemplateError
from pipeline.render import engine
from pipeline.render.engine import PlanTemplate
from tests.bad_inputs.crafted_docx import SHIPPED, crafted_template
from tests.conftest import write_plan_workbook

#: The steps PlanTemplate overrides, in the order docxtpl 0.20.2's render() calls them.
STEPS = ("build_xml", "resolve_listing", "fix_tables", "fix_docpr_ids", "map_tree")
CHECK = (
    "pipeline/render/engine.py overrides these docxtpl steps. Read DocxTemplate.render in the "
    "installed docxtpl (python -c 'import docxtpl, inspect; print(inspect.getsource("
    "docxtpl.DocxTemplate.render))'), update PlanTemplate to match, then move the version cap "
    "in pyproject.toml."
)


def _recording(template: DocxTemplate) -> list[dict]:
    """Wrap each overridden step on this instance; record each call's step, argument and result."""
    calls: list[dict] = []
    for name in STEPS:
        original = getattr(template, name)

        def wrapper(*args, _name=name, _original=original, **kwargs):
            call = {"step": _name, "argument": args[0] if args else None}
            calls.append(call)
            call["result"] = _original(*args, **kwargs)
            return call["result"]

        setattr(template, name, wrapper)
    return calls


def _small_template(path, text: str = "{{ name }}") -> str:
    """A one-paragraph template with a tag in its header too (headers render after the body)."""
    document = docx.Document()
    document.add_paragraph(text)
    document.sections[0].header.paragraphs[0].text = "{{ name }}"
    document.save(str(path))
    return str(path)


def test_docxtpl_render_still_calls_the_overridden_steps_in_order(tmp_path):
    """docxtpl's own render() calls each step PlanTemplate replaces, in the order it relies on."""
    template = DocxTemplate(_small_template(tmp_path / "small.docx"))
    for name in STEPS:
        assert callable(getattr(DocxTemplate, name, None)), f"DocxTemplate.{name} is gone. {CHECK}"
    calls = _recording(template)
    template.render({"name": "Line one\nline two"}, autoescape=True)
    steps = [call["step"] for call in calls]
    # resolve_listing runs again for each header and footer after the body: the first five count.
    assert steps[:5] == list(STEPS), f"docxtpl now calls {steps}. {CHECK}"
    built, listed, fixed, renumbered, mapped = calls[:5]
    assert listed["result"] == built["result"], (
        f"build_xml no longer ends with resolve_listing. {CHECK}"
    )
    assert fixed["argument"] is built["result"], (
        f"fix_tables no longer gets build_xml's XML. {CHECK}"
    )
    assert renumbered["argument"] is fixed["result"] is mapped["argument"], (
        f"fix_docpr_ids and map_tree no longer get the tree fix_tables returned. {CHECK}"
    )


def test_plan_template_runs_its_own_steps(tmp_path):
    """The overrides are what runs: the document comes from fix_tables' strict parse.

    The body is rendered as fix_tables parses it, so resolve_listing runs on its pieces
    inside fix_tables (docxtpl runs it once, before).
    """
    template = PlanTemplate(_small_template(tmp_path / "small.docx"))
    calls = _recording(template)
    template.render({"name": "Line one\nline two"}, autoescape=True)
    steps = [call["step"] for call in calls]
    renumbered = steps.index("fix_docpr_ids")
    assert steps[:2] == ["build_xml", "fix_tables"]
    assert "resolve_listing" in steps[2:renumbered], "the body's pieces are tidied as parsed"
    assert steps[renumbered + 1] == "map_tree"
    tree = calls[1]["result"]
    assert template.docx.element is tree, "map_tree no longer swaps in the parsed document"
    assert template.docx._part._element is tree


def test_python_docx_private_attributes_are_still_there():
    """PlanTemplate.map_tree sets these; python-docx caches the body in _Document__body."""
    document = docx.Document(str(SHIPPED))
    assert document._part._element is document._element, (
        "python-docx no longer keeps the document element on its part as _element; "
        "see PlanTemplate.map_tree in pipeline/render/engine.py and the python-docx cap in "
        "pyproject.toml."
    )
    assert hasattr(document, "_Document__body"), (
        "python-docx no longer caches the body in Document.__body; PlanTemplate.map_tree resets "
        "it to None. Check docx/document.py and the python-docx cap in pyproject.toml."
    )
    document._Document__body = None
    assert document.element.body is not None and document.paragraphs is not None


def test_render_xml_part_gives_what_docxtpls_own_gives(tmp_path):
    """PlanTemplate renders a part in docxtpl's steps, made faster: the same XML comes out.

    Paragraphs on their own lines for Jinja and joined again, `{_{`-style escapes printed as
    braces (line breaks are resolve_listing's, PlanTemplate's own, on both sides).
    """
    path = tmp_path / "part.docx"
    document = docx.Document()
    for text in (
        "{{ name }}",
        "{_{ not a tag }_} and {_% nor this %_}",
        "{% if name %}yes{% endif %}",
    ):
        document.add_paragraph(text)
    document.save(str(path))
    context = {"name": "Line one\nline two\tand a tab <b> & more"}
    rendered = []
    for kind in (DocxTemplate, PlanTemplate):
        template = kind(str(path))
        # Line breaks are PlanTemplate's own step (resolve_listing): compare the rest.
        template.resolve_listing = PlanTemplate.resolve_listing.__get__(template)
        template.init_docx()
        source = template.patch_xml(template.get_xml())
        environment = jinja2.Environment(autoescape=True)
        rendered.append(template.render_xml_part(source, template.docx._part, context, environment))
    theirs, ours = rendered
    assert ours == theirs, f"docxtpl's render_xml_part changed. {CHECK}"
    assert "{{ not a tag }}" in ours and "{% nor this %}" in ours and "\n<w:p" not in ours


# ------------------------------------------------------------------- {%tc %} column loops

WIDTHS = (1440, 2880, 2160, 2160)  # twips: Ref, then the three cells of the column loop
COLUMN_LOOP = ("{%tc for c in cols %}", "{{ c }}", "{%tc endfor %}")


def _column_loop_template(path) -> str:
    """A table whose second to fourth cells are a `{%tc %}` loop: one cell per item of cols."""
    document = docx.Document()
    document.add_paragraph("Before the table")
    table = document.add_table(rows=2, cols=4)
    for row, first in zip(table.rows, ("Ref", "A1"), strict=True):
        for cell, text in zip(row.cells, (first, *COLUMN_LOOP), strict=True):
            cell.text = text
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), WIDTHS, strict=True):
        column.set(qn("w:w"), str(width))
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "{{ 'plain' }}"
    document.save(str(path))
    return str(path)


def _grid(table) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def test_column_loop_widens_the_grid_keeping_the_table_width(tmp_path):
    template = PlanTemplate(_column_loop_template(tmp_path / "loop.docx"))
    template.render({"cols": list("abcdef")}, autoescape=True)
    looped, plain = template.docx.tables
    assert [c.text for c in looped.rows[0].cells] == ["Ref", *"abcdef"]
    grid = _grid(looped)
    assert len(grid) == 7, "one grid column for Ref and one per looped cell"
    assert sum(WIDTHS) - len(grid) < sum(grid) <= sum(WIDTHS), "the table keeps its width"
    assert grid[0] < grid[1], "the existing columns keep their proportions"
    assert grid[3:] == [grid[3]] * 4, "the added columns share the average width"
    assert _grid(plain) == _grid(docx.Document(str(tmp_path / "loop.docx")).tables[1])

    reference = DocxTemplate(_column_loop_template(tmp_path / "same.docx"))
    reference.render({"cols": list("abcdef")}, autoescape=True)
    assert grid == _grid(reference.docx.tables[0]), "same grid as docxtpl's own fix"


def test_a_grid_wide_enough_is_left_alone(tmp_path):
    template = PlanTemplate(_column_loop_template(tmp_path / "loop.docx"))
    template.render({"cols": ["a", "b", "c"]}, autoescape=True)
    assert _grid(template.docx.tables[0]) == list(WIDTHS)


# ------------------------------------------------------------------- strict parsing

BROKEN = "{{ '<w:p>' | safe }}"  # prints an unclosed paragraph into the body


def test_malformed_body_is_a_template_error_with_the_hint(tmp_path):
    template = PlanTemplate(_small_template(tmp_path / "broken.docx", BROKEN))
    with pytest.raises(TemplateError) as raised:
        template.render({"name": "Line one\nline two"}, autoescape=True)
    assert "produced invalid XML after rendering" in raised.value.message
    assert "retype it in one go in Word" in raised.value.hint


def test_malformed_body_exits_2_through_the_cli(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_plan_workbook(tmp_path / "plan.xlsx")
    crafted_template(tmp_path / "broken.docx", BROKEN)
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out", "--template", "broken.docx"])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.output.startswith("Error: ")
    assert "produced invalid XML after rendering" in result.output
    assert "retype it in one go in Word" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "plan.docx").exists()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(["\n<w:p>", "\n<w:p ", "<w:r>", "t\n", "\n", "<w", ":p", "x" * 40])),
    st.integers(min_value=1, max_value=200),
)
def test_the_body_is_cut_into_pieces_only_before_paragraphs(chunks, size):
    """However Jinja hands out its output, the pieces join back to it, each after the first
    starting a paragraph, so no replacement or text run is ever cut in two."""
    with patch.object(engine, "_PIECE", size):
        pieces = list(engine._before_paragraphs(chunks))
    assert "".join(pieces) == "".join(chunks)
    assert all(piece.startswith("\n<w:p") for piece in pieces[1:])
    assert all(pieces)
