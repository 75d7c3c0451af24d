"""A framework's Welsh for its own labels (`labels_cy`) is used for its own plans only.

The words were kept for the whole process from the moment a framework file was read, so
under `eqplan serve`, or a script building two plans, a second framework's `Priority`
with no Welsh of its own was printed in the first framework's Welsh (untagged), and what
a build printed depended on what had been read before it.
"""

from __future__ import annotations

import re
import threading

import pytest

from pipeline import frameworks
from pipeline.i18n import _, in_welsh, use_framework_words, use_language
from tests.welsh.test_framework_welsh import COUNCIL_FRAMEWORK

#: The Welsh COUNCIL_FRAMEWORK's labels_cy gives its labels (the titles say `Blaenoriaethau`).
OURS_WELSH = re.compile(r"\b(Blaenoriaeth|Amcan|Amcanion)\b")
#: The same labels as COUNCIL_FRAMEWORK (`Priority`, `Objective`, `Step`) with no Welsh for them.
PLAIN_FRAMEWORK = COUNCIL_FRAMEWORK.replace("labels_cy:", "#").replace("testshire-", "plain-")


@pytest.fixture
def pair(tmp_path):
    """(file, framework) of the framework with Welsh labels, read first, then of the one without."""
    found = []
    for name, text in (("ours.yaml", COUNCIL_FRAMEWORK), ("plain.yaml", PLAIN_FRAMEWORK)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        found.append((path, frameworks.load(str(path))))
    return found


def _book(tmp_path, path, name):
    from tests.conftest import action_row, write_plan_workbook

    rows = [action_row(point="1.1")]
    return write_plan_workbook(tmp_path / f"{name}.xlsx", rows, framework=str(path))


def test_the_words_apply_inside_their_frameworks_scope_only(pair):
    (_ours_file, ours), (_plain_file, plain) = pair
    with use_language("cy"):
        assert _("Priority") == "Priority"  # read, but no plan of it is being worked on
        with use_framework_words(ours.welsh):
            assert _("Priority") == in_welsh("Priority") == "Blaenoriaeth"
            assert _("Objectives") == "Amcanion"
            with use_framework_words(plain.welsh):
                assert _("Priority") == in_welsh("Priority") == "Priority"
            assert _("Module") == "Modiwl"  # the catalogue's words as always
            seen = []
            thread = threading.Thread(target=lambda: seen.append(in_welsh("Priority")))
            thread.start()
            thread.join()
            assert seen == ["Priority"]  # another thread (a web request) starts without them
        assert _("Priority") == "Priority"


def test_a_plan_of_a_framework_without_welsh_labels_prints_them_in_tagged_english(tmp_path, pair):
    """Built after a framework whose labels_cy gives `Blaenoriaeth`: the Word plan, web page and
    summary print `Priority`, tagged English; the other framework's plan, built after it,
    still prints its own Welsh."""
    from pipeline.build import build
    from tests.conftest import read_only_workbook
    from tests.render.helpers import all_text, language_runs

    (ours_file, ours), (plain_file, plain) = pair
    out = tmp_path / "plain"
    result = build(
        _book(tmp_path, plain_file, "plain"), out, framework=plain, language="cy", html=True
    )
    assert result.report.valid, result.report.to_text()
    text = all_text(out / "plain-cy.docx")
    assert "Priority 1: Gwasanaethau teg" in text
    assert not OURS_WELSH.search(text)
    runs = language_runs(out / "plain-cy.docx", empty=False)
    labelled = [(t, lang) for t, lang in runs if "Priority" in t or "Objective" in t]
    assert labelled and {lang for _t, lang in labelled} == {"en-GB"}, labelled
    page = (out / "plain-cy.html").read_text(encoding="utf-8")
    assert '<span lang="en-GB">Priority</span>' in page and not OURS_WELSH.search(page)
    with read_only_workbook(out / "plain-cy-summary.xlsx") as summary:
        assert "Fesul priority" in summary.sheetnames  # not `Fesul blaenoriaeth`

    out = tmp_path / "ours"
    result = build(_book(tmp_path, ours_file, "ours"), out, framework=ours, language="cy")
    assert result.report.valid, result.report.to_text()
    text = all_text(out / "ours-cy.docx")
    assert "Blaenoriaeth 1: Gwasanaethau teg" in text and "Priority" not in text


def test_a_welsh_validation_lists_the_labels_its_own_framework_has_no_welsh_for(tmp_path, pair):
    from pipeline.validate import validate_workbook

    (ours_file, ours), (plain_file, plain) = pair
    for path, framework, listed in ((plain_file, plain, True), (ours_file, ours, False)):
        book = _book(tmp_path, path, path.stem)
        validation = validate_workbook(book, framework=framework, language="cy")
        missing = [p for p in validation.report.warnings if p.code == "FRAMEWORK_WELSH_MISSING"]
        assert bool(missing) is listed, path.stem
        if listed:
            assert missing[0].message.endswith("in English: Priority; Objective; Objectives; Step.")


def test_a_welsh_template_names_the_parts_in_its_own_frameworks_words(pair):
    from pipeline.workbook.template import template_in

    def words(framework):
        book = template_in(framework, "cy")
        return {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}

    (_ours_file, ours), (_plain_file, plain) = pair
    assert "Priority" in words(plain) and "Blaenoriaeth" not in words(plain)
    assert "Blaenoriaeth" in words(ours) and "Priority" not in words(ours)
