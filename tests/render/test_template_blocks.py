"""A loop or condition left open, or an end tag with nothing to close, is named as typed in Word.

Jinja only said "the innermost block that needs to be closed is 'for'", at the end of the
part or at the next end tag, so a council officer who deleted one `{%tr endfor %}` row
among a dozen loops had nothing to go on (template_blocks.py).
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import jinja2
import pytest

from pipeline.cli import cli
from pipeline.errors import TemplateError
from pipeline.render.engine import PlanTemplate
from pipeline.render.template_blocks import block_error
from pipeline.render.template_errors import render_in_sandbox
from tests.bad_inputs.crafted_docx import SHIPPED
from tests.conftest import write_plan_workbook


def edited(path: Path, *changes: tuple[str, str, int], part: str = "word/document.xml") -> Path:
    """The shipped RAG template with (old, new, which occurrence from 1) changes to a part."""
    with zipfile.ZipFile(SHIPPED) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    xml = parts[part].decode("utf-8")
    for old, new, nth in changes:
        at = -1
        for _ in range(nth):
            at = xml.index(old, at + 1)
        xml = xml[:at] + new + xml[at + len(old) :]
    parts[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def refusal(path: Path) -> TemplateError:
    """The error filling in the template gives (a broken tag fails before any data is read)."""
    with pytest.raises(TemplateError) as raised:
        render_in_sandbox(PlanTemplate(str(path)), {}, path.name, 30)
    return raised.value


ROW_END = "{%tr endfor %}</w:t></w:r></w:p></w:tc>"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OWN_ROW = "</w:tr><w:tr><w:tc><w:p><w:r><w:t>{%tr endfor %}</w:t></w:r></w:p></w:tc>"


@pytest.mark.parametrize(
    ("change", "says", "where", "fix"),
    [
        pytest.param(
            ("{%tr endfor %}", "", 1),
            "a loop that is never closed: {%tr for row in plan.document_control %}",
            "first row reads “{{ _('Item') }} | {{ _('Detail') }}”",
            "add a row of its own to that table",
            id="the first table's row loop, Jinja saying so only at the end",
        ),
        pytest.param(
            ("{%tr endfor %}", "", 11),
            "a loop that is never closed: {%tr for a in section.actions %}",
            "{{ _('Ref') }} | {{ plan.labels.point }}",
            "holding only {%tr endfor %}",
            id="the actions' row loop, Jinja stopping at an {%p endif %}",
        ),
        pytest.param(
            ("{%tr endfor %}", "{%tr endif %}", 11),
            "a loop that is never closed: {%tr for a in section.actions %}",
            "the next end tag is {%tr endif %}",
            "change {%tr endif %} to {%tr endfor %}",
            id="a row loop ended by the wrong word",
        ),
        pytest.param(
            ("{%p endfor %}", "", 1),
            "a loop that is never closed: {%p for entry in toc %}",
            "after “{{ _('Contents') }}”",
            "add a paragraph of its own",
            id="a paragraph loop",
        ),
        pytest.param(
            ("{% endif %}", "", 1),
            "a condition that is never closed: {% if a.progress_date %}",
            "in the paragraph “{{ _('Update') }}{% if a.progress_date %}",
            "type {% endif %} after the text",
            id="a plain if inside a {%p if %}",
        ),
        pytest.param(
            (ROW_END, ROW_END + OWN_ROW, 1),
            "an end tag with nothing to close: {%tr endfor %}",
            "first row reads “{{ _('Item') }} | {{ _('Detail') }}”",
            "delete that tag and its row",
            id="an extra row end",
        ),
        pytest.param(
            ("{%tr for a in section.actions %}", "", 1),
            "an end tag with nothing to close: {%tr endfor %}",
            "{{ _('Ref') }} | {{ plan.labels.point }}",
            "put back the {%tr for … %} tag",
            id="a row loop's start deleted, inside a paragraph loop",
        ),
        pytest.param(
            ("{% endif %}", "{% endif %}{% endif %}", 1),
            "an end tag with nothing to close: {% endif %}",
            "in the paragraph “{{ _('Update') }}{% if a.progress_date %}",
            "put back the {% if … %} tag",
            id="an extra plain endif, which Jinja pairs with the {%p if %} around it",
        ),
    ],
)
def test_the_tag_at_fault_is_named_with_where_it_is_and_how_to_mend_it(
    tmp_path, change, says, where, fix
):
    error = refusal(edited(tmp_path / "broken.docx", change))
    assert f"The Word template broken.docx has {says}" in error.message
    assert where in error.message
    assert fix in error.hint
    assert "Jinja" not in error.message, "the tag is named, not Jinja's innermost block"


@pytest.mark.parametrize(
    ("change", "says", "dropped"),
    [
        pytest.param(
            ("{%p if plan.period %}", "{%p if plan.period %}{%p endif %}", 1),
            "an end tag with nothing to close: {%p endif %}",
            "docxtpl dropped {%p if plan.period %}: it was in the same paragraph as {%p endif %}",
            id="two paragraph tags in one paragraph",
        ),
        pytest.param(
            ("{%tr for key in rag_key %}", "{%tr for key in rag_key %}{%tr endfor %}", 1),
            "an end tag with nothing to close: {%tr endfor %} (in the table whose first row "
            "reads “{{ _('Rating') }} | {{ _('Meaning') }}”",
            "docxtpl dropped {%tr for key in rag_key %}: it was in the same row as {%tr endfor",
            id="a row loop begun and ended in one row",
        ),
        pytest.param(
            ("{{ _('Item') }}", "{%tc for c in ['a'] %}{{ c }}{%tc endfor %}", 1),
            "an end tag with nothing to close: {%tc endfor %}",
            "docxtpl dropped {%tc for c in ['a'] %}: it was in the same cell",
            id="a column loop in one cell",
        ),
    ],
)
def test_a_tag_docxtpl_drops_for_another_in_its_row_cell_or_paragraph_is_named(
    tmp_path, change, says, dropped
):
    """docxtpl puts the last {%tr %} tag of a row in place of the whole row, dropping every
    other tag there (and so for {%tc %} in a cell, {%p %} in a paragraph)."""
    error = refusal(edited(tmp_path / "crowded.docx", change))
    assert says in error.message
    assert dropped in error.message
    assert "of its own" in error.hint


def test_a_loop_left_open_in_a_footer_names_the_footer(tmp_path, runner, monkeypatch):
    """Through the command: the footer is filled in after the body, with the plan's data."""
    monkeypatch.chdir(tmp_path)
    write_plan_workbook(tmp_path / "plan.xlsx")
    loop = "<w:p><w:r><w:t>{%p for x in sections %}</w:t></w:r></w:p>"
    edited(tmp_path / "footer.docx", ("<w:p", loop + "<w:p", 1), part="word/footer1.xml")
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out", "--template", "footer.docx"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "never closed: {%p for x in sections %} (in the footer (word/footer1.xml)" in (
        " ".join(result.output.split())
    )


def test_a_tag_split_across_runs_is_named_as_typed(tmp_path):
    split = "{%tr for row in </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>plan.document_control %}"
    path = edited(
        tmp_path / "split.docx",
        ("{%tr for row in plan.document_control %}", split, 1),
        ("{%tr endfor %}", "", 1),
    )
    assert "{%tr for row in plan.document_control %}" in refusal(path).message


def test_other_broken_tags_keep_jinjas_own_words(tmp_path):
    error = refusal(edited(tmp_path / "typo.docx", ("{{ plan.title }}", "{{ plan.title + }}", 1)))
    assert "has a broken tag" in error.message


def test_a_row_tag_at_fault_is_named_as_typed_not_as_docxtpl_rewrote_it(
    tmp_path, runner, monkeypatch
):
    """docxtpl turns `{%tr for %}` into `{% for %}` before Jinja sees it; the error named that."""
    monkeypatch.chdir(tmp_path)
    write_plan_workbook(tmp_path / "plan.xlsx")
    edited(
        tmp_path / "typo.docx",
        ("{%tr for a in section.actions %}", "{%tr for a in section.action %}", 1),
    )
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out", "--template", "typo.docx"])
    assert result.exit_code == 2, result.output
    assert "does not provide at {%tr for a in section.action %}" in result.output


def test_a_paragraph_of_many_unended_tag_starts_is_read_in_linear_time():
    """Reading the typed tags tried every `{%` against the rest of its paragraph: a template
    printing 20,000 `{%` in a string, with one loop left open, took about 20 s to be named
    (after docxtpl's own clean-up, which its disk cache (compiled.py) keeps)."""
    body = (
        "<w:p><w:r><w:t>{% for a in plan.actions %}</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>{{ '" + "{%" * 20_000 + "' }}</w:t></w:r></w:p>"
    )
    xml = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    exc = jinja2.TemplateSyntaxError("Unexpected end of template.", 1)
    exc.eqplan_typed = (xml, "word/document.xml")  # as engine.py notes it
    started = time.perf_counter()
    error = block_error("t.docx", exc)
    assert error is not None and "{% for a in plan.actions %}" in error.message
    assert time.perf_counter() - started < 2
