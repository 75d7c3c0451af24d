"""English words a Welsh plan prints as the council typed them are marked English (WCAG 3.1.2).

A deadline typed in English (`TBC`, `Q3 2027`) is printed as typed, and a strand's name has
no Welsh: screen readers must read them as English, while the dates eqplan writes in Welsh,
figures and the officers' Welsh stay in the document's language.
"""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest

from pipeline.build import build
from pipeline.deadlines import in_english, parse_deadline, parse_deadline_text
from pipeline.i18n import use_language
from pipeline.render.context import unbroken_dates
from pipeline.welsh_text import EnglishText, MixedText, english_text, listed
from tests.conftest import EXAMPLE
from tests.render.helpers import language_runs, paragraph_language_runs

#: EB04's Welsh action, given in the example's `Gap / action (Cymraeg)`; its deadline is `Q3 2027`.
WELSH_ACTION = "Cyhoeddi dangosfwrdd data cydraddoldeb agored ar gyfer preswylwyr a phartneriaid."
#: EB08's action, which has no Welsh: printed in English (its deadline is `TBC`).
ENGLISH_ACTION = "Use predictive data to target the cost-of-living support offer."


@pytest.fixture(scope="module")
def welsh(tmp_path_factory):
    out = tmp_path_factory.mktemp("cy-words")
    result = build(EXAMPLE, out, language="cy", html=True)
    assert result.report.valid
    return out


def test_the_welsh_word_plan_marks_typed_english_deadlines_and_strands_english(welsh):
    runs = language_runs(welsh / "example-plan-cy.docx", empty=False)
    english = {text for text, lang in runs if lang == "en-GB"}
    welsh_runs = {text for text, lang in runs if lang == "cy-GB"}
    for typed in ("Q3 2027", "TBC", "Ongoing", "Quarterly", "Mar\u00a02027 & Ongoing"):
        assert typed in english and typed not in welsh_runs, typed
    assert ENGLISH_ACTION in english  # no Welsh given: the English, marked so
    assert ("Llinyn: ", "cy-GB") in runs and "Race equality" in english
    legend = paragraph_language_runs(welsh / "example-plan-cy.docx", "Mae rhesi â llinyn")
    assert [lang for _text, lang in legend] == ["cy-GB", "en-GB", "cy-GB"]
    assert legend[1:] == [("Race equality", "en-GB"), (" (glas golau).", "cy-GB")]
    # The officers' Welsh, a date eqplan writes in Welsh and a financial year stay Welsh.
    for own in (WELSH_ACTION, "31\u00a0Mawrth\u00a02027", "2027/28"):
        assert own in welsh_runs and own not in english, own


def test_the_welsh_web_page_marks_the_same_words_english(welsh):
    page = lxml.html.fromstring((welsh / "example-plan-cy.html").read_text(encoding="utf-8"))
    assert page.get("lang") == "cy"
    english = [" ".join(span.text_content().split()) for span in page.xpath('//*[@lang="en-GB"]')]
    for typed in ("Q3 2027", "TBC", "Ongoing", "Mar 2027 & Ongoing", "Race equality"):
        assert typed in english, typed
    assert ENGLISH_ACTION in english
    row = page.xpath('//tr[th="EB04"]')[0]  # Welsh action, deadline typed `Q3 2027`
    cells = row.xpath("td")
    assert [span.text for span in cells[3].xpath('span[@lang="en-GB"]')] == ["Q3 2027"]
    assert cells[2].text == WELSH_ACTION and not cells[2].xpath(".//*[@lang]")
    strand = page.xpath('//tr[th="EB13"]//div[@class="strand"]')[0]
    assert strand.text == "Llinyn: "
    assert [s.text for s in strand.xpath('span[@lang="en-GB"]')] == ["Race equality"]
    for welsh_date in page.xpath('//td[normalize-space()="31 Mawrth 2027"]'):
        assert not welsh_date.xpath(".//*[@lang]")  # eqplan's own Welsh date


@pytest.mark.parametrize(
    ("typed", "english"),
    [
        ("Ongoing", True),
        ("TBC", True),
        ("Q3 2027", True),
        ("Mar 2027", True),
        ("Nov 2026 & Ongoing", True),
        ("by the end of March 2027", True),
        ("Parhaus", False),  # a Welsh template's words
        ("Ch3 2027", False),
        ("Tachwedd 2026", False),
        ("Tachwedd 2026 & Ongoing", False),  # partly Welsh: left in the document's language
        ("2026/27", False),  # figures are in no language
        ("30/11/2026", False),
        ("2026-10-01T00:00:00Z", False),
    ],
)
def test_deadline_text_is_english_only_in_english_words(typed, english):
    assert in_english(typed) is english
    with use_language("cy"):
        shown = parse_deadline_text(typed).display
    assert shown == typed and (type(shown) is EnglishText) is english


def test_only_a_welsh_document_marks_a_deadline_and_never_one_it_wrote_or_did_not_understand():
    with use_language("en"):
        assert type(parse_deadline_text("Ongoing").display) is str
    with use_language("cy"):
        assert parse_deadline(dt.date(2027, 3, 31)).display == "31 Mawrth 2027"
        assert type(parse_deadline(dt.date(2027, 3, 31)).display) is str
        assert parse_deadline_text("March 2027").display == "Mawrth 2027"  # as a month cell's
        assert type(parse_deadline_text("March 2027").display) is str
        unclear = parse_deadline_text("When the new system is live")
        assert type(unclear.display) is str  # its language is not known


def test_unbroken_dates_keeps_english_marked_apart_from_the_same_plain_text():
    assert type(unbroken_dates("Nov 2026")) is str  # cached first, as an English plan would
    marked = unbroken_dates(EnglishText("Nov 2026"))
    assert (type(marked), marked) == (EnglishText, "Nov\u00a02026")
    assert type(unbroken_dates("Nov 2026")) is str


def test_strand_names_keep_their_english_mark_when_listed():
    with use_language("cy"):
        names = [english_text("Race equality"), english_text("Workforce")]
    strands = listed(names)
    assert (type(strands), strands) == (MixedText, "Race equality; Workforce")
    assert [type(part) for part in strands.parts] == [EnglishText, str, EnglishText]
    assert type(listed(["Race equality", "Workforce"])) is str  # an English plan: plain text
