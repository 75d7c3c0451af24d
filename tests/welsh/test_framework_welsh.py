"""Framework files may carry Welsh (`title_cy`, `descriptor_cy`); what they lack is listed (issue 15)."""

from __future__ import annotations

from pipeline import frameworks
from pipeline.i18n import use_language
from pipeline.validate import validate_workbook
from pipeline.view_welsh import module_title, theme_label
from tests.conftest import EXAMPLE

FRAMEWORK = """
id: tiny-cy
title: Tiny framework
title_cy: Fframwaith bach
short_title: Tiny
modules:
- ref: '1'
  title: Knowing our communities
  title_cy: Adnabod ein cymunedau
  themes:
  - ref: '1'
    title: Data
    title_cy: Data am gymunedau
    descriptor: We hold good data.
    descriptor_cy: Mae gennym ddata da.
  - ref: '2'
    title: Engagement
"""


def test_the_framework_keeps_its_welsh_and_a_welsh_document_prints_it():
    framework = frameworks.parse(FRAMEWORK, source_name="tiny.yaml")
    assert framework.welsh["framework"] == "Fframwaith bach"
    assert framework.welsh["theme-descriptor:1"] == "Mae gennym ddata da."
    module, data, engagement = framework.modules[0], *framework.themes
    assert module_title(framework, module) == "Knowing our communities"
    assert theme_label(framework, data) == "1 Data"
    with use_language("cy"):
        assert module_title(framework, module) == "Adnabod ein cymunedau"
        assert theme_label(framework, data) == "1 Data am gymunedau"
        assert theme_label(framework, engagement) == "2 Engagement"  # no Welsh: English


def test_framework_titles_without_welsh_are_listed_for_a_welsh_build_only():
    english = validate_workbook(EXAMPLE)
    assert not [p for p in english.report.warnings if p.code == "FRAMEWORK_WELSH_MISSING"]
    welsh = validate_workbook(EXAMPLE, language="cy")
    (warning,) = [p for p in welsh.report.warnings if p.code == "FRAMEWORK_WELSH_MISSING"]
    assert "no Welsh for 22 texts" in warning.message and "1. Understanding" in warning.message
    # The framework's own title first: the Welsh plan prints it in English too.
    assert "in English: Equality Framework for Local Government 2021; 1. " in warning.message


def test_the_source_note_is_printed_in_welsh_or_listed_as_english(tmp_path):
    """The caption `Framework text: ...` quotes the file's source note: source_cy in Welsh."""
    assert "cyhoeddwyd 1 Tachwedd 2021" in frameworks.load("eflg-2021").welsh["source"]
    for shipped in frameworks.available():
        assert frameworks.load(shipped).welsh.get("source"), shipped
    plain = frameworks.parse(
        FRAMEWORK.replace("short_title: Tiny", "short_title: Tiny\nsource: Our own notes, 2026."),
        source_name="tiny.yaml",
    )
    assert "source" not in plain.welsh
    from pipeline.validate.welsh_checks import check_welsh

    validation = validate_workbook(EXAMPLE)
    validation.plan.framework = plain
    with use_language("cy"):
        (warning,) = [
            p for p in check_welsh(validation.plan) if p.code == "FRAMEWORK_WELSH_MISSING"
        ]
    assert warning.message.endswith("y nodyn am ei ffynhonnell (source_cy).")
