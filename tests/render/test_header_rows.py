"""A table's first row is a repeated header row unless Jinja sees a statement in it.

mark_header_rows decided by the text `{%` anywhere in the row: a heading printing `{%`
(`{{ '{%' }}`), a `{% %}` in a comment, or a heading cell shaded with docxtpl's
`{% cellbg %}` (which docxtpl makes the cell's shading, not a statement) lost its header
mark, so the heading was not repeated on each page of a long table. What counts now is
what docxtpl and Jinja treat as a tag, after docxtpl has joined Word's runs.
"""

from __future__ import annotations

import copy
import time

import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.render.docx_finish import mark_header_rows


def _table(*first_row_runs: str) -> object:
    """A body with one two-row table whose first cell's runs hold first_row_runs."""
    runs = "".join(f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' for text in first_row_runs)
    cell = "<w:tc><w:p>{}</w:p></w:tc>"
    return parse_xml(
        f"<w:document {nsdecls('w')}><w:body><w:tbl>"
        f"<w:tr>{cell.format(runs)}{cell.format('<w:r><w:t>Detail</w:t></w:r>')}</w:tr>"
        f"<w:tr>{cell.format('<w:r><w:t>{{ row.item }}</w:t></w:r>')}</w:tr>"
        "</w:tbl></w:body></w:document>"
    )


def _is_header(root) -> bool:
    mark_header_rows(root)
    first = root.find(f".//{qn('w:tr')}")
    return first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


@pytest.mark.parametrize(
    "runs",
    [
        pytest.param(("% of target {{ '{%' }}",), id="a heading printing {% from a string"),
        pytest.param(("Item {# not {% a tag #}",), id="a {% in a comment"),
        pytest.param(("Item", "{% cellbg 'D9D9D9' %}"), id="a heading cell shaded by cellbg"),
        pytest.param(("Item", "{% colspan 2 %}"), id="a heading cell spanning two columns"),
        pytest.param(("Item {_% escaped %_}",), id="docxtpl's escape, printed as {%"),
        pytest.param(("Item { % spaced",), id="a brace and a percent sign apart"),
        pytest.param(("Item", "{{ _('Detail') }}"), id="a printed heading"),
    ],
)
def test_a_heading_row_is_marked_to_repeat(runs):
    assert _is_header(_table(*runs))


@pytest.mark.parametrize(
    "runs",
    [
        pytest.param(("{%tr for row in rows %}",), id="a row loop"),
        pytest.param(("{", "%tr for row in rows %}"), id="a row loop split across runs"),
        pytest.param(("{%p if plan.title %}",), id="a paragraph tag"),
        pytest.param(("Item {% if x %}*{% endif %}",), id="a plain statement"),
        pytest.param(("{% for a in rows %}{{ a }}",), id="a loop running on to the next row"),
        pytest.param(("{% raw %}x{% endraw %}",), id="a raw block"),
    ],
)
def test_a_row_with_a_statement_is_not_marked(runs):
    assert not _is_header(_table(*runs))


def test_a_heading_of_many_tag_starts_is_patched_once_not_on_every_build():
    """docxtpl's clean-up of a row takes time growing with the square of its `{%` count: the
    template's own parts keep theirs (compiled.py), and the first row's check paid it again on
    every build (about 2 s each for 8,000 `{%` printed in a string)."""
    heading = "Item {{ '" + "{%" * 8_000 + "' }}"
    plain = _table(heading)  # in a w:t with no attributes, as Word saves text with no spaces
    for text in plain.iter(qn("w:t")):
        text.attrib.clear()
    again = copy.deepcopy(plain)  # the next build of the same template
    assert _is_header(plain)
    started = time.perf_counter()
    assert _is_header(again)
    assert time.perf_counter() - started < 0.5
