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


COUNCIL_FRAMEWORK = """
id: testshire-priorities
title: Testshire equality priorities
title_cy: Blaenoriaethau cydraddoldeb Testshire
short_title: Testshire priorities
source: Testshire Council, 2026.
source_cy: Cyngor Testshire, 2026.
labels: {module: Priority, theme: Objective, point: Step}
labels_cy: {module: Blaenoriaeth, theme: Amcan, themes: Amcanion, point: Cam}
modules:
- ref: '1'
  title: Fair services
  title_cy: Gwasanaethau teg
  themes:
  - ref: '1.1'
    title: Access
    title_cy: Mynediad
    descriptor: People can reach our services.
    descriptor_cy: Gall pobl gyrraedd ein gwasanaethau.
"""


def test_a_councils_own_labels_print_in_welsh_from_labels_cy(tmp_path):
    """A council framework's `Priority` had no Welsh anywhere, so a Welsh plan printed
    'Priority 1'; labels_cy gives it, and a label without Welsh is listed."""
    from pipeline.build import build
    from tests.conftest import action_row, write_plan_workbook
    from tests.render.helpers import all_text

    path = tmp_path / "ours.yaml"
    path.write_text(COUNCIL_FRAMEWORK, encoding="utf-8")
    framework = frameworks.load(str(path))
    book = write_plan_workbook(
        tmp_path / "plan.xlsx", [action_row(point="1.1")], framework=str(path)
    )
    result = build(book, tmp_path / "out", framework=framework, language="cy")
    assert result.report.valid, result.report.to_text()
    text = all_text(tmp_path / "out" / "plan-cy.docx")
    assert "Blaenoriaeth 1: Gwasanaethau teg" in text
    assert "Priority" not in text and "Objective" not in text
    assert not [p for p in result.report.warnings if p.code == "FRAMEWORK_WELSH_MISSING"]
    plain = COUNCIL_FRAMEWORK.replace("labels_cy:", "#").replace("testshire-", "plain-")
    plain = plain.replace("{module: Priority, theme: Objective, point: Step}", "{module: Goal}")
    without = frameworks.parse(plain, source_name="plain.yaml")
    with use_language("cy"):
        from pipeline.validate.welsh_checks import check_welsh

        validation = validate_workbook(book, framework=framework)
        validation.plan.framework = without
        (warning,) = [
            p for p in check_welsh(validation.plan) if p.code == "FRAMEWORK_WELSH_MISSING"
        ]
    assert warning.message.endswith("ar gyfer 1 testun, a argraffir yn Saesneg: Goal.")


def test_a_label_without_welsh_stays_marked_english_when_a_template_lower_cases_it(tmp_path):
    """`plan.labels.section | lower` made a plain `goal` of the label the Welsh plan prints
    in English, so its heading "Sgoriau fesul goal" was read out as Welsh (WCAG 3.1.2); so
    did the chart's caption and Appendix D's heading (`Aims`), the strands note's
    `plan.labels.point | lower` and the cover report's `Actions by ...`."""
    from pipeline.build import build
    from pipeline.welsh_text import EnglishText
    from tests.conftest import action_row, write_plan_workbook
    from tests.render.helpers import language_runs

    for change in (str.lower, str.upper, str.capitalize, str.title):
        changed = getattr(EnglishText("Priority step"), change.__name__)()
        assert type(changed) is EnglishText and changed == change("Priority step")
    path = tmp_path / "ours.yaml"
    plain = COUNCIL_FRAMEWORK.replace("labels_cy:", "#").replace("testshire-", "unlabelled-")
    labels = "{module: Goal, theme: Aim, point: Stage}"
    plain = plain.replace("{module: Priority, theme: Objective, point: Step}", labels)
    path.write_text(plain, encoding="utf-8")
    framework = frameworks.load(str(path))
    rows = [action_row(point="1.1", strand="Race equality"), action_row(ref="A2", point="1.1")]
    book = write_plan_workbook(tmp_path / "plan.xlsx", rows, framework=str(path))
    out = tmp_path / "out"
    result = build(book, out, framework=framework, language="cy", html=True, cover=True)
    assert result.report.valid, result.report.to_text()
    runs = language_runs(out / "plan-cy.docx", empty=False)
    assert {("goal", "en-GB"), ("aim", "en-GB"), ("stage", "en-GB"), ("Aims", "en-GB")} <= set(runs)
    labelled = ("goal", "aim", "stage")
    assert not [text for text, lang in runs if text.lower() in labelled and lang != "en-GB"]
    assert ("goal", "en-GB") in language_runs(out / "plan-cy-cover-report.docx", empty=False)
    page = (out / "plan-cy.html").read_text(encoding="utf-8")
    for label in labelled:
        assert f'<span lang="en-GB">{label}</span>' in page
