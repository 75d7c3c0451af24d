"""A field whose mark sits in a `{%p %}` tag's paragraph stays whole; one that cannot is refused.

LibreOffice Writer, saving the shipped template, moves the contents list's end mark into
the `{%p endfor %}` paragraph, which docxtpl deletes: the plan then had a field begun and
never ended, and Word and LibreOffice showed it as one page (with exit 0 and "All 62
actions are in the plan"). These templates are made by hand, as LibreOffice leaves them;
tests/end_to_end/test_libreoffice_templates.py saves the shipped ones in LibreOffice itself.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from lxml import etree

from pipeline.cli import cli
from pipeline.errors import TemplateError
from pipeline.render.engine import PlanTemplate
from pipeline.render.field_repair import keep_fields_whole
from tests.bad_inputs.crafted_docx import SHIPPED
from tests.conftest import action_row, write_plan_workbook

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
BEGIN = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
INSTRUCTION = '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-1" \\u </w:instrText></w:r>'
SEPARATE = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
LAST_ACTION = "Publish the very last action of the plan."


def text_run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def paragraph(*runs: str) -> str:
    return "<w:p>" + "".join(text_run(r) if not r.startswith("<") else r for r in runs) + "</w:p>"


#: The contents list as LibreOffice saves it: its end in the `{%p endfor %}` paragraph.
SAVED_BY_LIBREOFFICE = [
    paragraph("Contents"),
    paragraph(BEGIN, INSTRUCTION, SEPARATE),
    paragraph("{%p for entry in toc %}"),
    paragraph("{{ entry }}"),
    paragraph("{%p endfor %}", END),
    paragraph("After the contents"),
]


def minimal_template(path: Path, paragraphs: list[str]) -> Path:
    """A new Word document whose body is these paragraphs (python-docx's own package)."""
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if child.tag != f"{W}sectPr":
            body.remove(child)
    for number, xml in enumerate(paragraphs):
        body.insert(number, parse_xml(xml.replace("<w:p>", f'<w:p xmlns:w="{W_NS}">', 1)))
    document.save(str(path))
    return path


def reading(data: bytes | Path) -> list[str]:
    """The body in document order: each field mark as `<kind>`, and each piece of text."""
    with zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    said = []
    for element in root.iter(f"{W}fldChar", f"{W}t"):
        if element.tag == f"{W}fldChar":
            said.append(f"<{element.get(f'{W}fldCharType')}>")
        elif element.text:
            said.append(element.text)
    return said


def balanced(said: list[str]) -> bool:
    depth = 0
    for item in said:
        depth += {"<begin>": 1, "<end>": -1}.get(item, 0)
        if depth < 0:
            return False
    return depth == 0


def rendered(path: Path, context: dict) -> list[str]:
    template = PlanTemplate(str(path))
    template.template_name = path.name
    template.render(context, autoescape=True)
    out = path.with_name(f"rendered-{path.name}")
    template.save(str(out))
    return reading(out)


def test_an_end_after_the_endfor_tag_ends_the_field_after_the_loop(tmp_path):
    template = minimal_template(tmp_path / "saved.docx", SAVED_BY_LIBREOFFICE)
    said = rendered(template, {"toc": ["One", "Two"]})
    assert said == [
        "Contents",
        "<begin>",
        "<separate>",
        "One",
        "Two",
        "<end>",
        "After the contents",
    ]


def test_a_begin_before_the_for_tag_begins_the_field_once_before_the_loop(tmp_path):
    paragraphs = [
        paragraph("Contents"),
        paragraph(BEGIN, INSTRUCTION, SEPARATE, "{%p for entry in toc %}"),
        paragraph("{{ entry }}"),
        paragraph("{%p endfor %}"),
        paragraph(END),
        paragraph("After"),
    ]
    said = rendered(minimal_template(tmp_path / "t.docx", paragraphs), {"toc": ["One", "Two"]})
    assert said == ["Contents", "<begin>", "<separate>", "One", "Two", "<end>", "After"]


def test_marks_in_a_row_tag_row_move_to_the_paragraph_after_the_row():
    row = "<w:tr><w:tc><w:p><w:r><w:t>{%tr endfor %}</w:t></w:r>" + END + "</w:p></w:tc></w:tr>"
    xml = (
        f'<w:body xmlns:w="{W_NS}"><w:tbl>'
        "<w:tr><w:tc><w:p><w:r><w:t>{{ a }}</w:t></w:r></w:p></w:tc></w:tr>"
        + row
        + "<w:tr><w:tc><w:p><w:pPr/><w:r><w:t>kept</w:t></w:r></w:p></w:tc></w:tr>"
        "</w:tbl></w:body>"
    )
    root = etree.fromstring(keep_fields_whole(xml))
    rows = root.findall(f"{W}tbl/{W}tr")
    assert rows[1].find(f".//{W}fldChar") is None
    kept = rows[2].find(f".//{W}p")
    assert [child.tag for child in kept] == [f"{W}pPr", f"{W}r", f"{W}r"]
    assert kept[1].find(f"{W}fldChar").get(f"{W}fldCharType") == "end"


def test_a_whole_field_in_a_tag_paragraph_goes_with_it_as_before():
    """A page number beside `{%p if draft %}` is removed with its paragraph, not moved into
    the block (where a loop would repeat it); only a field crossing the edge is moved."""
    page = BEGIN + '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>' + SEPARATE
    xml = (
        f'<w:body xmlns:w="{W_NS}">'
        + paragraph("{%p if draft %}", page, "1", END)
        + paragraph("DRAFT")
        + paragraph("{%p endif %}")
        + "</w:body>"
    )
    assert keep_fields_whole(xml) is xml  # nothing crosses: the part is left as it was
    crossing = xml.replace(paragraph("{%p endif %}"), paragraph("{%p endif %}", END))
    crossing = crossing.replace(paragraph("DRAFT"), paragraph(BEGIN, "DRAFT"), 1)
    root = etree.fromstring(keep_fields_whole(crossing))
    said = [
        [f"<{m.get(f'{W}fldCharType')}>" for m in p.iter(f"{W}fldChar")] for p in root.iter(f"{W}p")
    ]
    assert said[0] == ["<begin>", "<separate>", "<end>"]  # the whole page field stays put
    assert said[-1] == ["<end>"]  # the crossing end leaves the endif paragraph


def test_a_part_without_fields_is_left_exactly_as_it_was():
    xml = f'<w:body xmlns:w="{W_NS}"><w:p><w:r><w:t>{{%p if x %}}</w:t></w:r></w:p></w:body>'
    assert keep_fields_whole(xml) is xml


#: A field begun inside a loop and ended after it: no moving can mend that.
BEGUN_IN_A_LOOP = [
    paragraph("{%p for entry in toc %}"),
    paragraph(BEGIN, INSTRUCTION, SEPARATE, "{{ entry }}"),
    paragraph("{%p endfor %}"),
    paragraph(END, "After"),
]


@pytest.mark.parametrize(
    ("entries", "fault"),
    [(["One", "Two"], "1 field begun and never ended"), ([], "1 field end with no field begun")],
)
def test_a_document_whose_fields_do_not_balance_is_refused(tmp_path, entries, fault):
    template = minimal_template(tmp_path / "looped.docx", BEGUN_IN_A_LOOP)
    with pytest.raises(TemplateError) as raised:
        rendered(template, {"toc": entries})
    assert f"The Word template looped.docx gave a document with {fault}" in raised.value.message
    assert "{%p %}" in raised.value.hint


def _shipped_with(tmp_path: Path, change) -> Path:
    """The shipped RAG template with its body changed by change(document.xml text)."""
    with zipfile.ZipFile(SHIPPED) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    document = parts["word/document.xml"].decode("utf-8")
    parts["word/document.xml"] = change(document).encode("utf-8")
    path = tmp_path / "restyled.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def _end_into(document: str, tag: str) -> str:
    """The contents list's end mark (its own paragraph) moved into the paragraph of tag."""
    end_paragraph = next(
        p for p in _paragraphs(document) if 'w:fldCharType="end"' in p and "<w:t" not in p
    )
    document = document.replace(end_paragraph, "", 1)
    tagged = next(p for p in _paragraphs(document) if tag in p)
    return document.replace(tagged, tagged.replace("</w:p>", END + "</w:p>"), 1)


def _paragraphs(document: str) -> list[str]:
    return re.findall(r"<w:p[ >](?:(?!</w:p>).)*</w:p>", document, re.DOTALL)


def _plan(tmp_path: Path) -> Path:
    actions = [action_row(), action_row(ref="A2", point="1.3", action=LAST_ACTION)]
    return write_plan_workbook(tmp_path / "plan.xlsx", actions=actions)


def test_the_shipped_template_saved_as_libreoffice_does_builds_the_whole_plan(tmp_path, runner):
    template = _shipped_with(tmp_path, lambda d: _end_into(d, "{%p endfor %}"))
    args = ["build", str(_plan(tmp_path)), "-o", str(tmp_path / "out"), "--template", str(template)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    said = reading(tmp_path / "out" / "plan.docx")
    assert balanced(said), said[:20]
    assert LAST_ACTION in said[said.index("<end>") :]


def test_a_field_the_template_repeats_stops_the_build(tmp_path, runner):
    template = _shipped_with(tmp_path, lambda d: _end_into(d, "{{ entry }}"))
    args = ["build", str(_plan(tmp_path)), "-o", str(tmp_path / "out"), "--template", str(template)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "restyled.docx gave a document with" in result.output
    assert "field ends with no field begun" in result.output
    assert not (tmp_path / "out" / "plan.docx").exists()


@pytest.mark.parametrize("prefix", ["w", "x"])
def test_a_header_or_footer_field_never_ended_is_refused_whatever_its_prefix(prefix):
    """Counted by a regex for `w:fldChar`, a part binding Word's namespace to another prefix
    (or quoting with ') was written with its field open (an attacker's footer)."""
    from types import SimpleNamespace

    template = PlanTemplate.__new__(PlanTemplate)
    template.template_name = "ours.docx"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><{prefix}:ftr xmlns:{prefix}="{W_NS}">'
        f"<{prefix}:p><{prefix}:r><{prefix}:fldChar {prefix}:fldCharType='begin'/></{prefix}:r>"
        f"</{prefix}:p></{prefix}:ftr>"
    )
    with pytest.raises(TemplateError, match=r"ours\.docx"):
        template._check_part_fields(xml, SimpleNamespace(partname="/word/footer1.xml"))


BREAK = '<w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:pPr>'


def _with_break(tag: str) -> str:
    """A paragraph holding tag and a section break, as LibreOffice Writer leaves one."""
    return f"<w:p>{BREAK}<w:r><w:t>{tag}</w:t></w:r></w:p>"


def _rendered_breaks(tmp_path, paragraphs: list[str], context: dict) -> list[str]:
    """The rendered body in order: each paragraph's text, `<break>` for a section break."""
    path = minimal_template(tmp_path / "t.docx", paragraphs)
    template = PlanTemplate(str(path))
    template.template_name = path.name
    template.render(context, autoescape=True)
    out = tmp_path / "out.docx"
    template.save(str(out))
    with zipfile.ZipFile(out) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    said = []
    for p in body.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        said += [text] if text else []
        said += ["<break>"] if p.find(f"{W}pPr/{W}sectPr") is not None else []
    return said


@pytest.mark.parametrize("shown", [True, False])
def test_a_section_break_in_a_deleted_tag_paragraph_is_kept_once_where_it_stood(tmp_path, shown):
    """Writer moves the cover's portrait-to-landscape break into `{%p endif %}`: deleted with
    it, the whole plan was landscape. Kept after a closing tag, before an opening one, and
    on both sides of `else` so whichever branch is rendered keeps it."""
    closing = [paragraph("Cover"), paragraph("{%p if a %}"), paragraph("A"),
               _with_break("{%p endif %}"), paragraph("Body")]  # fmt: skip
    expected = ["Cover", *(["A"] if shown else []), "<break>", "Body"]
    assert _rendered_breaks(tmp_path, closing, {"a": shown}) == expected
    opening = [paragraph("Cover"), _with_break("{%p if a %}"), paragraph("A"),
               paragraph("{%p endif %}"), paragraph("Body")]  # fmt: skip
    expected = ["Cover", "<break>", *(["A"] if shown else []), "Body"]
    assert _rendered_breaks(tmp_path, opening, {"a": shown}) == expected
    between = [paragraph("Cover"), paragraph("{%p if a %}"), paragraph("A"),
               _with_break("{%p else %}"), paragraph("B"), paragraph("{%p endif %}"),
               paragraph("Body")]  # fmt: skip
    expected = ["Cover", "A", "<break>", "Body"] if shown else ["Cover", "<break>", "B", "Body"]
    assert _rendered_breaks(tmp_path, between, {"a": shown}) == expected
