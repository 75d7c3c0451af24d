"""Hostile Word templates: no code runs, renders are bounded, outside links are removed (issue 9)."""

from __future__ import annotations

import html
import os
import sys
import time
import zipfile
from pathlib import Path
from unittest.mock import patch

import docx
import pytest
from lxml import etree

from pipeline.build import build
from pipeline.cli import cli
from pipeline.errors import TemplateError
from pipeline.render import memory_cap, template_file
from pipeline.render import sandbox as sandbox_module
from pipeline.render.fields import risky_fields
from pipeline.render.sandbox import PlanSandbox, TemplateLimit, TemplateTimeout
from pipeline.render.template_file import check_template, is_plain_web_address
from tests.bad_inputs.crafted_docx import (
    R_NS,
    REL_NS,
    REL_TYPE,
    SHIPPED,
    crafted_template,
    linked_template,
)
from tests.conftest import write_plan_workbook

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A working folder holding a small valid plan, made the current directory."""
    write_plan_workbook(tmp_path / "plan.xlsx")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _build(runner, template: Path, *extra: str):
    args = ["build", "plan.xlsx", "-o", "out", "--template", str(template), *extra]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


# ------------------------------------------------------------------ 1. no code runs


def test_command_in_a_tag_does_not_run(folder, runner):
    marker = folder / "PWNED"
    payload = f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}"
    template = crafted_template(folder / "evil.docx", payload)
    result = _build(runner, template)
    assert result.exit_code == 2, result.output
    assert "TEMPLATE_UNSAFE" in result.output
    assert "{{ cycler.__init__.__globals__.os.popen(" in result.output  # the tag as typed
    assert not marker.exists()
    assert not (folder / "out" / "plan.docx").exists()


def test_python_internals_are_not_printed(folder, runner):
    template = crafted_template(folder / "mro.docx", "{{ ''.__class__.__mro__ }}")
    result = _build(runner, template)
    assert result.exit_code == 2
    assert "TEMPLATE_UNSAFE" in result.output
    assert "{{ ''.__class__.__mro__ }}" in result.output
    assert "<class" not in result.output


def test_chart_picture_cannot_reach_the_document(folder, runner):
    """The chart object holds the document (tpl), whose save() would write any file."""
    template = crafted_template(folder / "save.docx", "{{ summary.chart.tpl.save('SAVED.docx') }}")
    result = _build(runner, template)
    assert result.exit_code == 2
    assert "TEMPLATE_UNSAFE" in result.output
    assert not (folder / "SAVED.docx").exists()


@pytest.mark.parametrize(
    "payload",
    [
        "{{ plan|attr('__class__') }}",
        "{{ plan['__class__'] }}",
        "{{ ''['__class__'] }}",
        "{{ '{x.__class__}'.format_map({'x': plan}) }}",
        "{% for s in sections %}{{ loop.__class__ }}{% endfor %}",
        "{{ sections|sort(attribute='__class__.__init__.__globals__')|list }}",
        "{% for s in sections %}{% for a in s.actions %}{{ a['__class__'] }}{% endfor %}{% endfor %}",
        "{% for s in sections %}{% for a in s.actions %}{{ a.__dict__ }}{% endfor %}{% endfor %}",
        "{{ self.__init__ }}",
    ],
)
def test_private_names_are_refused_every_way(folder, runner, payload):
    result = _build(runner, crafted_template(folder / "private.docx", payload))
    assert result.exit_code == 2, result.output
    assert "TEMPLATE_UNSAFE" in result.output
    assert "<class" not in result.output


def test_lists_in_the_context_cannot_be_changed(folder, runner):
    template = crafted_template(folder / "pop.docx", "{{ sections.clear() }}")
    result = _build(runner, template)
    assert result.exit_code == 2
    assert "TEMPLATE_UNSAFE" in result.output


# ---------------------------------------------------------- 2. renders are bounded


def test_endless_recursion_is_a_clear_error(folder, runner):
    payload = "{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}"
    result = _build(runner, crafted_template(folder / "rec.docx", payload))
    assert result.exit_code == 2
    assert "calls itself without end" in result.output


def test_endless_loop_stops_at_the_time_budget(folder, runner):
    payload = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    template = crafted_template(folder / "loop.docx", payload)
    started = time.monotonic()
    result = _build(runner, template, "--template-timeout", "0.5")
    assert time.monotonic() - started < 20
    assert result.exit_code == 2, result.output
    assert "took longer than 0.5 seconds" in result.output
    assert "--template-timeout" in result.output


def test_a_refused_call_names_its_own_tag_among_others_in_the_paragraph(folder, runner):
    """A table row's first cell holds several tags: the message names the one at fault."""
    payload = "{{ plan.title }}{% for i in range(10**9) %}x{% endfor %}"
    result = _build(runner, crafted_template(folder / "loop.docx", payload))
    assert result.exit_code == 2, result.output
    assert "TEMPLATE_UNSAFE" in result.output
    assert "tag that is not allowed: {% for i in range(10**9) %}" in result.output


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ("{{ plan.title }}{{ _('%(a)999999999s', a=1) }}", "{{ _('%(a)999999999s', a=1) }}"),
        ("{{ plan.title }}{{ '%(a)999999999s' % {'a': 1} }}", "{{ '%(a)999999999s' % {'a': 1} }}"),
        ("{% set s = 'a' * 9999999 %}{% set t = s ~ s %}{{ t }}", "{% set t = s ~ s %}"),
        ("{{ plan.title }}{{ 'x' * 10**9 }}", "{{ 'x' * 10**9 }}"),
        ("{{ plan.title }}{{ '{:999999999}'.format(1) }}", "{{ '{:999999999}'.format(1) }}"),
    ],
)
def test_a_refused_operation_names_its_own_tag_among_others_in_the_paragraph(
    folder, runner, payload, named
):
    """`~`, `*`, `%`, a format and _() name no attribute or function in their refusal: the
    sandbox says what the tag at fault holds, so it is named, not the paragraph's first tag."""
    result = _build(runner, crafted_template(folder / "op.docx", payload))
    assert result.exit_code == 2, result.output
    assert "TEMPLATE_UNSAFE" in result.output
    assert f"tag that is not allowed: {named} (" in result.output


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ("{{ plan.title }}{% include '/etc/passwd' %}", "{% include '/etc/passwd' %}"),
        ("{{ plan.title }}{% import '/etc/passwd' as x %}", "{% import '/etc/passwd' as x %}"),
        ("{{ plan.title }}{% from 'other.docx' import x %}", "{% from 'other.docx' import x %}"),
        ("{% extends 'other.docx' %}", "{% extends 'other.docx' %}"),
        ("{% if false %}{% include 'never.docx' %}{% endif %}", "{% include 'never.docx' %}"),
    ],
)
def test_a_tag_bringing_in_another_file_is_refused_saying_what_to_do(
    folder, runner, payload, named
):
    """There are no other templates to bring in: the tag is refused as the template is read
    (even where it would never run), named, with what to do instead; not a TypeError."""
    result = _build(runner, crafted_template(folder / "include.docx", payload))
    assert result.exit_code == 2, result.output
    assert (
        f"TEMPLATE_UNSAFE: The Word template include.docx has a tag that is not allowed: {named}"
        in result.output
    )
    assert "cannot use include, import or extends" in result.output
    assert "copy what that file holds into this template" in result.output
    assert "TypeError" not in result.output and "arithmetic" not in result.output


def test_time_budget_is_a_build_argument(folder):
    payload = "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"
    template = crafted_template(folder / "loop.docx", payload)
    with pytest.raises(TemplateError, match=r"took longer than 0\.2 seconds"):
        build(folder / "plan.xlsx", folder / "out", template=template, template_timeout=0.2)


@pytest.mark.parametrize(
    "payload",
    [
        "{% for i in range(10**9) %}x{% endfor %}",
        "{% for i in range(200000) %}x{% endfor %}",
        "{{ 'x' * 10**9 }}",
        "{{ [1] * 10**9 }}",
        "{{ 2 ** (10 ** 9) }}",
        "{{ '%999999999d' % 1 }}",
        "{{ '{:999999999}'.format(1) }}",
        "{{ '%999999999d'|format(1) }}",
        "{{ 'x'|center(999999999) }}",
        "{{ 'x'.ljust(999999999) }}",
        "{{ ('x' * 100000).replace('x', 'y' * 1000) }}",
        "{% set ns = namespace(s='xx') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}",
        "{{ lipsum(10**6) }}",
        "{% set ns = namespace(x=10) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}"
        "{% endfor %}",
        "{{ ['x' * 10000000] * 1000 }}",
        "{{ " + "(" * 300 + "1" + ")" * 300 + " }}",
        "{% if 1 %}" * 2000 + "{% endif %}" * 2000,
    ],
)
def test_huge_output_is_refused_quickly(folder, runner, payload):
    started = time.monotonic()
    result = _build(runner, crafted_template(folder / "big.docx", payload))
    assert result.exit_code == 2, result.output
    assert "TEMPLATE_UNSAFE" in result.output
    assert time.monotonic() - started < 20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_memory_is_capped_where_no_deadline_can_reach(folder, runner):
    """Each item is made in one C call inside a filter: only the memory cap stops it."""
    payload = "{{ (range(100000)|map('string')|map('center', 100000)|list)|length }}"
    with patch.object(memory_cap, "MEMORY_HEADROOM", 512 * 1024**2):
        result = _build(runner, crafted_template(folder / "mem.docx", payload))
    assert result.exit_code == 2, result.output
    assert "far more memory" in result.output
    assert "stopped at that tag" in result.output and "Nothing in it was run" not in result.output
    assert "TEMPLATE_UNSAFE" in result.output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_memory_cap_is_lifted_after_the_render():
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(ZeroDivisionError), memory_cap.memory_budget(512 * 1024**2):
        1 / 0  # noqa: B018
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_sandbox_keeps_ordinary_template_features():
    env = PlanSandbox(timeout=5)
    source = (
        "{% set ns = namespace(n=0) %}{% for s in items %}{% set ns.n = ns.n + 1 %}"
        "{{ loop.index }}{{ s.name|upper }}{{ cycler('a', 'b').next() }}{% endfor %}"
        "{{ ns.n }} {{ text }} {{ '%05.1f' % 2.5 }} {{ '{:>4}'.format('x') }} {{ [1, 2]|join('-') }}"
    )
    rendered = env.from_string(source).render(
        items=[{"name": "a"}, {"name": "b"}], text="<b> & {{ x }}"
    )
    assert rendered == "1Aa2Ba2 &lt;b&gt; &amp; {{ x }} 002.5    x 1-2"


def test_sandbox_loop_stops_at_its_deadline():
    env = PlanSandbox(timeout=0.2)
    template = env.from_string(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    env.start_clock()
    started = time.monotonic()
    with pytest.raises(TemplateTimeout):
        template.render()
    assert time.monotonic() - started < 5


def test_sandbox_caps_rendered_size(monkeypatch):
    monkeypatch.setattr(sandbox_module, "MAX_RENDERED_CHARS", 1_000)
    env = PlanSandbox(timeout=5)
    with pytest.raises(TemplateLimit):
        env.from_string("{% for i in range(2000) %}xx{% endfor %}").render()


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("{{ 'x' * 10**9 }}", "repeating 1 character or item 1,000,000,000 times"),
        ("{{ 'xy' * 10**9 }}", "repeating 2 characters or items 1,000,000,000 times"),
    ],
)
def test_a_refused_repetition_counts_what_it_repeats_in_plain_words(source, says):
    with pytest.raises(TemplateLimit, match=says):
        PlanSandbox(timeout=5).from_string(source).render()


# ------------------------------------------------------------- 3. outside links


def test_outside_links_are_removed_and_reported(folder, runner):
    result = _build(runner, linked_template(folder / "links.docx"))
    assert result.exit_code == 0, result.output
    assert result.output.count("TEMPLATE_EXTERNAL_LINK") == 10
    assert "http://attacker.example.com/normal.dotm (an attached template)" in result.output
    plan = folder / "out" / "plan.docx"
    with zipfile.ZipFile(plan) as archive:
        external = []
        for name in archive.namelist():
            if name.endswith(".rels"):
                root = etree.fromstring(archive.read(name))
                external += [
                    (rel.get("Type").rsplit("/", 1)[-1], rel.get("Target"))
                    for rel in root.iter(f"{{{REL_NS}}}Relationship")
                    if rel.get("TargetMode") == "External"
                ]
        settings = archive.read("word/settings.xml")
        document = archive.read("word/document.xml")
        footer = archive.read("word/footer1.xml")
        web = archive.read("word/webSettings.xml")
    assert external == [("hyperlink", "https://www.example.gov.uk/equality")]
    assert b"attachedTemplate" not in settings
    assert document.count(b"<w:hyperlink") == 3  # the link texts stay, as plain text
    assert b"DDEAUTO" not in document and b"Excel.Sheet" not in document
    assert b'HYPERLINK \\l "_Toc1"' in document  # internal links (the contents list) stay
    assert b"INCLUDEPICTURE" not in footer and b"logo" in footer
    assert b"sourceFileName" not in web and b"<w:frame/>" in web
    opened = docx.Document(str(plan))
    assert "sharescriptcouncil website" in [p.text for p in opened.paragraphs]


@pytest.mark.parametrize(
    ("ole", "control"),
    [("oleObject", "control"), ("package", "Control"), ("OLEObject/", "control ")],
)
def test_embedded_objects_controls_and_data_bindings_are_taken_out(folder, runner, ole, control):
    """An attacker's review of templates: an embedded OLE package (it runs when double-
    clicked) and an ActiveX control went into the plan, and a content control bound to the
    package's own data showed "Green" for every rating in LibreOffice's PDF."""
    with zipfile.ZipFile(SHIPPED) as source:
        document = source.read("word/document.xml").decode()
        doc_rels = source.read("word/_rels/document.xml.rels").decode()
        types = source.read("[Content_Types].xml").decode()
    types = types.replace(
        "</Types>",
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.'
        'oleObject"/><Override PartName="/word/activeX/activeX1.xml" ContentType="application/'
        'vnd.ms-office.activeX+xml"/></Types>',
    )
    v, o = "urn:schemas-microsoft-com:vml", "urn:schemas-microsoft-com:office:office"
    objects = (
        f'<w:p xmlns:v="{v}" xmlns:o="{o}" xmlns:r="{R_NS}"><w:r><w:object>'
        '<v:shape id="s1" style="width:50pt;height:50pt"/><o:OLEObject Type="Embed" '
        'ProgID="Package" ShapeID="s1" DrawAspect="Icon" ObjectID="_1" r:id="rIdE1"/>'
        '</w:object></w:r><w:r><w:object><w:control r:id="rIdE2" w:name="Movie"/></w:object>'
        "</w:r></w:p>"
    )
    rating = "<w:t>{{ a.rag }}</w:t>"
    assert rating in document
    bound = (
        '<w:sdt><w:sdtPr><w:dataBinding w:xpath="/r/v" w:storeItemID="{1-2-3}"/><w:text/>'
        "</w:sdtPr><w:sdtContent><w:r><w:t>{{ a.rag }}</w:t></w:r></w:sdtContent></w:sdt>"
    )
    run_end = document.index("</w:r>", document.index(rating)) + len("</w:r>")
    run_start = document.rindex("<w:r>", 0, document.index(rating))
    document = document[:run_start] + bound + document[run_end:]
    document = document.replace("<w:body>", "<w:body>" + objects, 1)
    embedded = "".join(
        f'<Relationship Id="{rid}" Type="{REL_TYPE.format(kind)}" Target="{target}"/>'
        for rid, kind, target in (  # any spelling Word might take (a second review)
            ("rIdE1", ole, "embeddings/oleObject1.bin"),
            ("rIdE2", control, "activeX/activeX1.xml"),
        )
    )
    template = crafted_template(
        folder / "embedded.docx",
        replace={
            "word/document.xml": document.encode(),
            "[Content_Types].xml": types.encode(),
            "word/_rels/document.xml.rels": doc_rels.replace(
                "</Relationships>", embedded + "</Relationships>"
            ).encode(),
            "word/embeddings/oleObject1.bin": b"payload",
            "word/activeX/activeX1.xml": b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/'
            b'office/2006/activeX" ax:classid="{D27CDB6E-AE6D-11CF-96B8-444553540000}"/>',
        },
    )
    result = _build(runner, template)
    assert result.exit_code == 0, result.output
    embedded = "an embedded package" if ole == "package" else "an embedded object"
    for what in (embedded, "an ActiveX control", "a data binding"):
        assert f"({what})" in result.output, what
    with zipfile.ZipFile(folder / "out" / "plan.docx") as plan:
        names = plan.namelist()
        body = plan.read("word/document.xml")
        links = plan.read("word/_rels/document.xml.rels")
    assert b"OLEObject" not in body and b"w:control" not in body and b"dataBinding" not in body
    assert b"rIdE1" not in links and b"rIdE2" not in links
    assert not [n for n in names if "embeddings/" in n or "activeX" in n]
    assert b"w:sdtContent" in body  # the ratings themselves stay, as the plan wrote them


def test_outside_links_are_not_in_the_plan_appendix(folder):
    result = build(
        folder / "plan.xlsx", folder / "out", template=linked_template(folder / "l.docx")
    )
    text = "\n".join(p.text for p in docx.Document(str(result.docx)).paragraphs)
    assert "TEMPLATE_EXTERNAL_LINK" not in text
    assert result.report.count_by_code()["TEMPLATE_EXTERNAL_LINK"] == 10


def test_strict_build_stops_on_outside_links(folder, runner):
    result = _build(runner, linked_template(folder / "links.docx"), "--strict")
    assert result.exit_code == 1
    assert "TEMPLATE_EXTERNAL_LINK" in result.output
    assert not (folder / "out" / "plan.docx").exists()


@pytest.mark.parametrize(
    ("target", "plain"),
    [
        ("https://www.example.gov.uk/equality?x=1#top", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG/A", True),
        ("file:///C:/secret.docx", False),
        (r"\\server\share\x.docx", False),
        ("javascript:alert(1)", False),
        ("https://user:pass@example.org/", False),
        ("https://exa mple.org/", False),
        ("https:///nohost", False),
        ("http://example.org\\..\\x", False),
        ("mhtml:http://example.org/x.mht!x", False),
    ],
)
def test_plain_web_address(target, plain):
    assert is_plain_web_address(target) is plain


@pytest.mark.parametrize(
    ("instruction", "risky"),
    [
        (' DDEAUTO cmd "/c calc" ', True),
        ("dde excel data", True),
        (' INCLUDEPICTURE "http://x.example/p.png" \\d ', True),
        (' INCLUDETEXT "\\\\server\\share\\a.docx" ', True),
        (' LINK Excel.Sheet.12 "C:\\\\a.xlsx" ', True),
        (' HYPERLINK "file:///C:/a.docx" ', True),
        (' HYPERLINK "https://www.example.gov.uk/" \\o "Our site" ', False),
        (' HYPERLINK \\l "_Toc123" \\h ', False),
        # An unquoted file share starts with a backslash, like a switch: it is an address.
        (" HYPERLINK \\\\evil\\share\\payload.exe ", True),
        (" HYPERLINK \\\\evil\\share\\a.exe \\o tip ", True),
        # \m takes no word after it: the address after it is still read.
        (' HYPERLINK \\m "file:///C:/a.docx" ', True),
        (' HYPERLINK "https://www.example.gov.uk/" \\\\evil\\x ', True),
        (' TOC \\o "1-3" \\h \\z \\u ', False),
        (" PAGE ", False),
        ("", False),
    ],
)
def test_risky_field_instructions(instruction, risky):
    xml = f'<w:p xmlns:w="{W_NS}"><w:fldSimple w:instr="{html.escape(instruction)}"/></w:p>'
    found = risky_fields(etree.fromstring(xml), is_plain_web_address)
    assert bool(found) is risky


# -------------------------------------------------------- 4. size and type checks


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: _write(p, b"a,b\n1,2\n"), "a CSV or text file, not a Word document"),
        (lambda p: _write(p, b"%PDF-1.7\n"), "a PDF file"),
        (lambda p: _write(p, b""), "an empty file"),
        (lambda p: _write(p, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), ".doc"),
        (lambda p: _zip(p, {"xl/workbook.xml": b"<x/>"}), "an Excel workbook"),
        (lambda p: _zip(p, {"mimetype": b"application/vnd.oasis.opendocument.text"}), ".odt"),
        (lambda p: _write(p, SHIPPED.read_bytes()[:5000]), "damaged"),
        (lambda p: _zip(p, {"word/document.xml": bytes(5_000_000)}), "far too large"),
    ],
)
def test_unusable_template_is_exit_2(folder, runner, make, says):
    template = make(folder / "template.docx")
    result = _build(runner, template)
    assert result.exit_code == 2, result.output
    assert (
        "Error: Cannot open the Word template" in result.output
        or "Error: The Word" in result.output
    )
    assert says in result.output


@pytest.mark.parametrize(
    ("main_type", "found"),
    [
        (b"wordprocessingml.template.main+xml", r"\.dotx"),
        (b"wordprocessingml.document.macroEnabled.main+xml", r"\.docm"),
    ],
)
def test_dotx_and_docm_are_refused_with_a_hint(folder, main_type, found):
    with zipfile.ZipFile(SHIPPED) as source:
        types = source.read("[Content_Types].xml")
    changed = types.replace(b"wordprocessingml.document.main+xml", main_type)
    assert changed != types
    template = crafted_template(folder / "t.docx", replace={"[Content_Types].xml": changed})
    with pytest.raises(TemplateError, match=found):
        check_template(template)


@pytest.mark.parametrize("prefix", ["w", "ww"])
@pytest.mark.parametrize("change", ["del", "cellDel"])
def test_a_template_with_tracked_changes_is_refused_saying_to_accept_them(folder, prefix, change):
    """An attacker's review of templates: a tag in tracked-deleted text still ran, a deleted
    {%tr endfor %} broke the build with "unknown tag", and every plan printed the changes
    marked up. Found by its namespace, whatever the prefix."""
    with zipfile.ZipFile(SHIPPED) as source:
        body = source.read("word/document.xml").decode()
    deletion = (
        f'<{prefix}:{change} xmlns:{prefix}="{W_NS}" {prefix}:id="901" {prefix}:author="x">'
        f"<{prefix}:r><{prefix}:delText>{{{{ a.owner }}}}</{prefix}:delText></{prefix}:r>"
        f"</{prefix}:{change}>"
        if change == "del"
        else f'<{prefix}:{change} xmlns:{prefix}="{W_NS}" {prefix}:id="901" {prefix}:author="x"/>'
    )
    changed = body.replace("</w:p>", deletion + "</w:p>", 1)
    assert changed != body
    template = crafted_template(folder / "tracked.docx", replace={"word/document.xml": changed})
    with pytest.raises(
        TemplateError, match=r"holds tracked changes \(in word/document\.xml\)"
    ) as e:
        check_template(template)
    assert "Accept All Changes" in e.value.hint


def test_a_tracked_change_in_a_building_block_alone_is_no_reason_to_refuse(folder):
    """A review: a tracked insertion stored in a Quick Part (word/glossary/) was refused with
    advice (Accept All Changes) that does not reach building blocks, which are never printed."""
    glossary = (
        f'<w:glossaryDocument xmlns:w="{W_NS}"><w:docParts><w:docPart><w:docPartBody><w:p>'
        '<w:ins w:id="1" w:author="x"><w:r><w:t>kept</w:t></w:r></w:ins>'
        "</w:p></w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>"
    )
    with zipfile.ZipFile(SHIPPED) as source:
        types = source.read("[Content_Types].xml")
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/word/glossary/document.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.wordprocessingml.document.glossary+xml"/></Types>',
    )
    template = crafted_template(
        folder / "glossary.docx",
        replace={"word/glossary/document.xml": glossary.encode(), "[Content_Types].xml": types},
    )
    check_template(template)  # no TemplateError
    # but a part that is printed is checked wherever it is stored (a second review: a footer
    # stored as word/glossary/footer1.xml ran the tag in its deleted text)
    with zipfile.ZipFile(SHIPPED) as source:
        footer = source.read("word/footer1.xml").decode()
        rels = source.read("word/_rels/document.xml.rels")
        types = source.read("[Content_Types].xml")
    deleted = (
        '<w:p><w:del w:id="9" w:author="x"><w:r><w:delText>{{ plan.council }}</w:delText>'
        "</w:r></w:del></w:p></w:ftr>"
    )
    moved = "word/glossary/footer1.xml"
    template = crafted_template(
        folder / "footer.docx",
        replace={
            moved: footer.replace("</w:ftr>", deleted).encode(),
            "word/_rels/document.xml.rels": rels.replace(
                b'"footer1.xml"', b'"glossary/footer1.xml"'
            ),
            "[Content_Types].xml": types.replace(b"/word/footer1.xml", f"/{moved}".encode()),
        },
        drop=("word/footer1.xml",),
    )
    with pytest.raises(TemplateError, match=f"in {moved}"):
        check_template(template)


def test_a_strict_open_xml_template_is_named_as_one(folder):
    """An attacker's review of templates: Word's "Strict Open XML" format was said to have
    no document body, with the hint to save it again as .docx (which it already was)."""
    with zipfile.ZipFile(SHIPPED) as source:
        body = source.read("word/document.xml")
    strict = body.replace(W_NS.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main")
    template = crafted_template(folder / "strict.docx", replace={"word/document.xml": strict})
    with pytest.raises(TemplateError, match="a Strict Open XML document") as raised:
        check_template(template)
    assert "Save As > Word Document (.docx)" in raised.value.hint


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (  # the package's main part is the footer
            lambda parts: parts["_rels/.rels"].replace(b"word/document.xml", b"word/footer1.xml"),
            "its main part is not a Word document body (its content type is ",
        ),
        (  # the body under a prefix of its own
            lambda parts: (
                parts["word/document.xml"]
                .replace(b"<w:body>", f'<w2:body xmlns:w2="{W_NS}">'.encode())
                .replace(b"</w:body>", b"</w2:body>")
            ),
            "The Word template t.docx's body could not be found",
        ),
    ],
    ids=["main-part-a-footer", "body-prefix"],
)
def test_an_odd_main_part_is_named_plainly_with_the_template(folder, runner, edit, says):
    """An attacker's review of templates: "file '<_io.BytesIO object at 0x7f...>' is not a
    Word file", and a message that did not say which template."""
    with zipfile.ZipFile(SHIPPED) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    name = "_rels/.rels" if "footer" in says or "main part" in says else "word/document.xml"
    template = crafted_template(folder / "t.docx", replace={name: edit(parts)})
    result = _build(runner, template)
    assert result.exit_code == 2, result.output
    assert says in result.output and "BytesIO" not in result.output


def test_doctype_in_a_template_is_refused(folder):
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    template = crafted_template(folder / "dtd.docx", replace={"word/webSettings.xml": evil})
    with pytest.raises(TemplateError, match=r"unsafe XML in word/webSettings\.xml"):
        check_template(template)


def test_template_size_is_capped(folder, monkeypatch):
    monkeypatch.setattr(template_file, "MAX_TEMPLATE_BYTES", 10_000)
    # A verdict this process remembers would answer first (a test file run before this one in
    # the same worker may have checked the shipped template): check afresh.
    monkeypatch.setattr(template_file, "_passed", {})
    with pytest.raises(TemplateError, match="accepts templates up to"):
        check_template(SHIPPED)


def test_plan_is_never_written_over_its_template(folder, runner):
    (folder / "out").mkdir()
    template = crafted_template(folder / "out" / "plan.docx")
    before = template.read_bytes()
    result = _build(runner, template)
    assert result.exit_code == 2
    assert "same file as the input" in result.output
    assert template.read_bytes() == before


def test_shipped_templates_pass_the_checks():
    for layout in ("rag", "outcomes"):
        assert check_template(SHIPPED.with_name(f"action-plan-{layout}.docx")) == []
    assert os.path.getsize(SHIPPED) < template_file.MAX_TEMPLATE_BYTES


def test_a_field_printed_by_a_tag_is_disarmed_and_reported_once(folder, runner):
    """`|safe` markup makes a field no check of the template can see: cleaning takes it out of
    the plan and the build says so, once, even for both languages."""
    payload = (
        '{{ \'</w:t></w:r><w:fldSimple w:instr="INCLUDETEXT http://evil.example/x">'
        "<w:r><w:t>x</w:t></w:r></w:fldSimple><w:r><w:t>' | safe }}"
    )
    result = _build(runner, crafted_template(folder / "t.docx", payload), "--language", "both")
    assert result.exit_code == 0, result.output
    assert result.output.count("TEMPLATE_EXTERNAL_LINK") == 1, result.output
    assert (
        "links to INCLUDETEXT http://evil.example/x (INCLUDETEXT field, printed by one of its tags)"
        in result.output
    )
    for plan in ("out/plan-cy.docx", "out/plan-en.docx"):
        with zipfile.ZipFile(folder / plan) as package:
            assert b"evil.example" not in package.read("word/document.xml")


def test_strict_stops_a_plan_whose_tags_printed_a_link(folder, runner, monkeypatch):
    """The warnings found while rendering count under --strict as the template's own do."""
    payload = (
        '{{ \'</w:t></w:r><w:fldSimple w:instr="INCLUDETEXT http://evil.example/x">'
        "<w:r><w:t>x</w:t></w:r></w:fldSimple><w:r><w:t>' | safe }}"
    )
    template = crafted_template(folder / "t.docx", payload)
    # The small plan's own warnings (themes with no actions) would stop --strict before
    # anything is rendered: without them, only the printed link can.
    monkeypatch.setattr("pipeline.validate.check", lambda plan: [])
    assert "0 errors, 1 warning;" in _build(runner, template).output  # the printed link
    result = _build(runner, template, "--strict", "-o", "strict")
    assert result.exit_code == 1, result.output
    assert "TEMPLATE_EXTERNAL_LINK" in result.output and "No plan was built" in result.output
    assert not (folder / "strict").exists()  # nothing written, not even the folder


def test_links_printed_in_a_loop_are_listed_up_to_a_limit(folder, runner):
    from pipeline.render.template_file import MAX_PRINTED_LINKS

    payload = (
        "{% for i in range(30) %}{{ ('</w:t></w:r><w:fldSimple w:instr=\"INCLUDETEXT http://e.example/' "
        "~ i ~ '\"><w:r><w:t>x</w:t></w:r></w:fldSimple><w:r><w:t>') | safe }}{% endfor %}"
    )
    result = _build(runner, crafted_template(folder / "loop.docx", payload))
    assert result.exit_code == 0, result.output
    assert result.output.count("TEMPLATE_EXTERNAL_LINK") == MAX_PRINTED_LINKS + 1
    assert "links to 10 more (printed by its tags)" in result.output


def test_addresses_on_older_drawings_are_taken_out(folder, runner):
    """A VML shape's picture address (fetched when the plan opens) and a click-through address
    to a file share are removed and reported; a plain web address on a click stays."""
    vml = (
        '</w:t></w:r><w:r><w:pict xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office">'
        '<v:shape id="s1" href="\\\\\\\\evil\\\\share\\\\x.exe" style="width:10pt;height:10pt">'
        '<v:imagedata src="http://evil.example/p.png" o:href="file:///C:/p.png"/></v:shape>'
        '<v:shape id="s2" href="https://www.example.gov.uk/" style="width:10pt;height:10pt"/>'
        "</w:pict></w:r><w:r><w:t>"
    )
    result = _build(runner, crafted_template(folder / "vml.docx", "{{ '" + vml + "' | safe }}"))
    assert result.exit_code == 0, result.output
    assert "a linked picture on a drawing, printed by one of its tags" in result.output
    assert "a hyperlink on a drawing, printed by one of its tags" in result.output
    with zipfile.ZipFile(folder / "out" / "plan.docx") as package:
        document = package.read("word/document.xml")
    assert b"evil" not in document and b"file:///" not in document
    assert b'href="https://www.example.gov.uk/"' in document


def test_a_charts_own_embedded_workbook_is_kept():
    """A chart's data is an embedded workbook (a `package` relationship of the chart part):
    it runs nothing, and without it Word cannot edit the chart's data."""
    from pipeline.render.link_kinds import removed_kind

    package = f"{REL_TYPE.format('package')}"
    target = "../embeddings/Microsoft_Excel_Worksheet.xlsx"
    assert removed_kind(package, target, False, "word/charts/_rels/chart1.xml.rels") is None
    assert removed_kind(package, target, False, "word/_rels/document.xml.rels") == (
        "an embedded package"
    )
