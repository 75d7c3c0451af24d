"""Hostile cases: Word templates given with --template (see hostile.py for the contract).

Each template is the shipped RAG template with one paragraph added (as if
typed in Word), or with parts replaced; the workbook is a small valid plan.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.bad_inputs.crafted_docx import SHIPPED, crafted_template, linked_template
from tests.bad_inputs.hostile import HostileCase
from tests.conftest import write_plan_workbook

WORKBOOK = "plan.xlsx"
#: Short enough to keep the suite fast, long enough for the small plan on a busy machine.
TIMEOUT = ("--template-timeout", "3")


def _build_with(make_template: Callable[[Path], Path], *extra: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        write_plan_workbook(folder / WORKBOOK)
        template = make_template(folder / "template.docx")
        return ["build", WORKBOOK, "-o", "out", "--template", template.name, *TIMEOUT, *extra]

    return setup


def _payload(text: str) -> Callable[[Path], list[str]]:
    return _build_with(lambda path: crafted_template(path, text))


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
        _payload("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"),
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
        _build_with(_bytes(SHIPPED.read_bytes()[:20_000])),
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
]
