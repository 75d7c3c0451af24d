"""The HTML plan (`eqplan build --html`): one self-contained, accessible page saying what Word says."""

from __future__ import annotations

import datetime as dt
import fnmatch
import itertools
import re
import tomllib
from html.parser import HTMLParser

import pytest

from pipeline.build import build, build_documents
from pipeline.cli import cli
from pipeline.rag import Rag
from pipeline.render import html as html_render
from tests.conftest import (
    EXAMPLE,
    EXAMPLE_BY_MODULE,
    EXAMPLE_CHART_ALT,
    EXAMPLE_SUMMARY,
    ROOT,
    action_row,
)
from tests.render.html_helpers import (
    html_tables,
    page,
    text_of,
    word_chart_alt,
    word_headings,
    word_paragraphs,
    word_tables,
)


@pytest.fixture(scope="module", params=["rag", "outcomes"])
def built(request, tmp_path_factory):
    """The example plan built once per layout, Word and HTML from the same view."""
    out = tmp_path_factory.mktemp(f"html-{request.param}")
    result = build(EXAMPLE, out, layout=request.param, html=True)
    assert result.html == out / "example-plan.html"
    return result


def test_every_table_says_what_the_word_plan_says(built):
    """Every table (actions, summary figures, owners, appendices) has the Word plan's cells."""
    word = word_tables(built.docx)
    html = html_tables(page(built.html))
    assert [c for c, _ in html] == [c for c, _ in word]
    for (caption, html_rows), (_, word_rows) in zip(html, word, strict=True):
        assert html_rows == word_rows, caption
    actions = [rows[1:] for caption, rows in html if caption.startswith("Actions for ")]
    assert sum(len(rows) for rows in actions) == built.actions == 62


def test_the_examples_figures_as_counted_from_its_workbook(built):
    """Matching Word, a miscount both share would pass: these are counted by hand."""
    root = page(built.html)
    tables = dict(html_tables(root))
    assert tables["RAG ratings by module"][1:] == EXAMPLE_BY_MODULE
    overdue = {row[0] for row in tables["Overdue actions"][1:]}
    assert overdue == {"EB02", "EB07", "EB29", "EB42", "EB48", "EB54", "EB60"}
    due_soon = {row[0] for row in tables["Actions due soon"][1:]}
    assert due_soon == {"EB03", "EB05", "EB09", "EB18", "EB26", "EB30", "EB32", "EB35", "EB36",
                        "EB43", "EB50", "EB57", "EB61"}  # fmt: skip
    paragraphs = [" ".join(p.text_content().split()) for p in root.find(".//main").iter("p")]
    assert any(p.startswith(f"This plan holds {EXAMPLE_SUMMARY}") for p in paragraphs)


def test_headings_and_summary_sentence_match_the_word_plan(built):
    root = page(built.html)
    main = root.find(".//main")
    levels = word_headings(built.docx)
    assert [h.text_content() for h in main.iter("h2")] == levels[1]
    assert [h.text_content() for h in main.iter("h3")] == levels[2]
    summary = next(p for p in word_paragraphs(built.docx) if p.startswith("This plan holds"))
    assert summary in [p.text_content() for p in main.iter("p")]


def test_chart_is_inline_with_the_word_plans_alt_text(built):
    root = page(built.html)
    (image,) = root.iter("img")
    assert image.get("src").startswith("data:image/png;base64,")
    assert image.get("alt") == word_chart_alt(built.docx)
    assert image.get("alt") == EXAMPLE_CHART_ALT


def test_semantic_structure(built):
    root = page(built.html)
    assert root.get("lang") == "en-GB"
    assert root.find(".//title").text_content().startswith("Equality")
    assert len(root.findall(".//h1")) == 1
    body = root.find("body")
    skip = body[0]
    assert skip.tag == "a" and skip.get("href") == "#main"
    assert [e.tag for e in body.iterchildren("header", "nav", "main")] == ["header", "nav", "main"]
    assert root.find(".//main").get("id") == "main"
    # the contents list links to every Word contents entry, and each link finds its heading
    links = root.findall(".//nav//a")
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert all(a.get("href")[1:] in ids for a in links)
    targets = [root.get_element_by_id(a.get("href")[1:]).text_content() for a in links]
    assert targets == [a.text_content() for a in links]
    assert len(links) == len([h for h in root.find(".//main").iter("h2")])
    # headings never skip a level
    levels = [int(h.tag[1]) for h in root.iter("h1", "h2", "h3", "h4")]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_every_table_has_a_caption_and_header_cells(built):
    root = page(built.html)
    tables = list(root.iter("table"))
    assert len(tables) > 5
    for table in tables:
        assert table.find("caption").text_content().strip()
        heads = table.findall("thead/tr/th")
        assert heads and all(th.get("scope") == "col" for th in heads)
        region = table.getparent()
        assert region.get("role") == "region" and region.get("tabindex") == "0"
        assert region.get("aria-labelledby") == table.find("caption").get("id")
        for row in table.findall("tbody/tr"):
            first = row[0]
            assert first.tag == "td" or first.get("scope") == "row"
    action_rows = [
        r
        for t in tables
        for r in t.findall("tbody/tr")
        if "Actions for" in t.find("caption").text_content()
    ]
    assert all(r[0].tag == "th" for r in action_rows)


def test_rag_is_written_in_words_and_readable(built):
    root = page(built.html)
    cells = [c for c in root.iter("td", "strong") if "rag" in (c.get("class") or "").split()]
    words = {r.label for r in Rag}
    assert cells and all(text_of(c) in words for c in cells)
    # Each cell's colour is its own rating's, not one class for every cell.
    assert all(f"rag-{html_render.anchor(text_of(c))}" in c.get("class").split() for c in cells)
    assert len({text_of(c) for c in cells}) > 2
    style = root.find(".//style").text
    for rating in Rag:
        rule = f".rag-{html_render.anchor(rating.label)} {{ background-color: #{rating.fill}; }}"
        assert rule in style
        assert _contrast("000000", rating.fill) >= 4.5
    assert _contrast("1b1b1b", "ffffff") >= 4.5 and _contrast("1d4f91", "ffffff") >= 4.5


def test_self_contained_responsive_and_printable(built):
    text = built.html.read_text(encoding="utf-8")
    root = page(built.html)
    assert not list(root.iter("script", "link", "iframe", "object", "embed"))
    assert all(i.get("src").startswith("data:") for i in root.iter("img"))
    style = root.find(".//style").text
    assert "@import" not in style and "url(" not in style
    assert "@media print" in style and "@media (max-width" in style
    assert ".table-scroll { overflow-x: auto;" in style
    assert re.search(r'<meta name="viewport" content="width=device-width', text)
    outside = [a.get("href") for a in root.iter("a") if not a.get("href").startswith("#")]
    assert outside == ["https://www.legislation.gov.uk/ukpga/2010/15/section/149"]


def test_officers_text_comes_out_literally(tmp_path, make_workbook):
    tricky = '<b>bold</b> {{ plan.title }} & =SUM(A1) <script>alert("x")</script>'
    workbook = make_workbook(
        actions=[action_row(action=tricky, strand="<i>Race</i>", progress="Line one\nLine two")]
    )
    result = build(workbook, tmp_path, html=True)
    root = page(result.html)
    assert not list(root.iter("script", "b", "i"))
    row = next(r for t in root.iter("table") for r in t.findall("tbody/tr") if r[0].text == "A1")
    assert text_of(row[3]) == f"{tricky}\nUpdate: Line one\nLine two"
    assert len(row[3].findall(".//br")) == 1  # the officer's line break shows in a browser
    assert text_of(row[1]).endswith("Strand: <i>Race</i>")
    assert html_tables(root) == word_tables(result.docx)


def test_cli_writes_html_only_when_asked(runner, tmp_path):
    out = tmp_path / "out"
    plain = runner.invoke(cli, ["build", str(EXAMPLE), "-o", str(out)])
    assert plain.exit_code == 0, plain.output
    assert not (out / "example-plan.html").exists()
    result = runner.invoke(cli, ["build", str(EXAMPLE), "-o", str(out), "--html"])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out / 'example-plan.html'}" in result.output
    assert page(out / "example-plan.html").find(".//h1") is not None
    again = runner.invoke(cli, ["build", str(EXAMPLE), "-o", str(out)])
    assert "example-plan.html is from an earlier run" in again.output
    assert "Add --html to rebuild it." in again.output


def test_build_documents_includes_the_page():
    result = build_documents(EXAMPLE, html=True)
    assert list(result.documents) == [
        "example-plan.docx",
        "example-plan-summary.xlsx",
        "example-plan.html",
    ]
    assert result.documents["example-plan.html"].startswith(b"<!DOCTYPE html>")


def test_template_ships_as_package_data():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["pipeline"]
    relative = html_render.TEMPLATE.relative_to(ROOT / "pipeline").as_posix()
    assert any(fnmatch.fnmatch(relative, p) for p in patterns)


def test_anchor_and_colour_helpers():
    assert html_render.anchor("Appendix A: Overdue actions") == "appendix-a-overdue-actions"
    assert html_render.anchor("ŵŷ") == "part-2"
    assert html_render.css_colour("BDD7EE") == "#BDD7EE"
    assert html_render.css_colour("auto") == ""
    assert html_render.css_colour("red;background:url(x)") == ""


def _contrast(ink: str, fill: str) -> float:
    def luminance(hex_colour: str) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)

    light, dark = sorted((luminance(ink), luminance(fill)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("layout", ["rag", "outcomes"])
def test_unrated_plan_with_checks_matches_the_word_plan(tmp_path, make_workbook, layout):
    """No ratings (no chart, owners by count), no introduction, the checks appendix."""
    workbook = make_workbook(
        actions=[action_row(rag=""), action_row(ref="A2", rag="", owner="Nobody Listed")],
        plan={"introduction": "", "objectives": ""},
    )
    result = build(workbook, tmp_path, layout=layout, html=True, include_checks=True)
    root = page(result.html)
    assert not list(root.iter("img"))
    assert html_tables(root) == word_tables(result.docx)
    main = root.find(".//main")
    levels = word_headings(result.docx)
    assert [h.text_content() for h in main.iter("h2")] == levels[1]
    assert "Appendix E: Checks on the data" in levels[1]
    assert [h.text_content() for h in main.iter("h3")] == levels[2]
    captions = [c for c, _ in html_tables(root)]
    assert "Actions by owner" in captions and "Data checks" in captions


def test_history_appendix_and_withdrawn_rows_match_the_word_plan(tmp_path):
    """With --history, the Progress log appendix and every other table say what Word says."""
    result = build(EXAMPLE, tmp_path, html=True, history=True)
    word = word_tables(result.docx)
    html = html_tables(page(result.html))
    assert [c for c, _ in html] == [c for c, _ in word]
    assert any(caption.startswith("Progress history of ") for caption, _ in html)
    for (caption, html_rows), (_, word_rows) in zip(html, word, strict=True):
        assert html_rows == word_rows, caption


@pytest.mark.parametrize("layout", ["rag", "outcomes"])
def test_progress_since_the_last_report_matches_the_word_plan(tmp_path, make_workbook, layout):
    """With --since, the page has Word's progress section, its tables and each action's `Was:`."""
    september = make_workbook(
        "plan-september.xlsx",
        actions=[
            action_row(ref="L1", rag="Amber", deadline="Q3 2026"),
            action_row(ref="L2", rag="Green", action="Review the gender pay gap"),
            action_row(ref="L5", rag="Red", action="An action <b>dropped</b>"),
        ],
        plan={"report_date": dt.date(2026, 9, 30)},
        assessments={"1": ("Developing", "Achieving")},
    )
    november = make_workbook(
        "plan-november.xlsx",
        actions=[
            action_row(ref="L1", rag="Green", deadline="Dec 2026"),
            action_row(ref="L2", rag="Complete", action="Review the gender pay gap"),
            action_row(ref="L9", rag="Amber", action="New {{ x }} & more"),
        ],
        assessments={"1": ("Achieving", "Achieving")},
    )
    result = build(november, tmp_path, layout=layout, html=True, since=september)
    root = page(result.html)
    word = word_tables(result.docx)
    assert html_tables(root) == word
    captions = [c for c, _ in word]
    assert {"Changes in rating", "Newly complete", "Deadlines moved later", "New actions",
            "Actions removed since the last report",
            "Self-assessment levels at the two reports"} <= set(captions)  # fmt: skip
    main = root.find(".//main")
    levels = word_headings(result.docx)
    assert [h.text_content() for h in main.iter("h2")] == levels[1]
    assert "Progress since the last report (30\u00a0September\u00a02026)" in levels[1]
    assert [h.text_content() for h in main.iter("h3")] == levels[2]
    counts = next(p for p in word_paragraphs(result.docx) if p.startswith("Since the last report"))
    assert counts in [p.text_content() for p in main.iter("p")]
    links = [a.get("href")[1:] for a in root.findall(".//nav//a")]
    assert all(root.get_element_by_id(target) is not None for target in links)
    notes = [text_of(note) for note in root.iter("div") if note.get("class") == "since"]
    assert sorted(n.strip() for n in notes) == [
        "New since the last report", "Was: Amber", "Was: Green"
    ]  # fmt: skip
    assert "An action <b>dropped</b>" in text_of(main)  # removed, printed literally


def test_no_progress_section_without_since(built):
    root = page(built.html)
    assert "Progress since the last report" not in root.text_content()
    assert not [note for note in root.iter("div") if note.get("class") == "since"]


class _PlainText(HTMLParser):
    """The page's text as it reads with no style sheet: a line break at each block element."""

    BLOCKS = frozenset({"div", "p", "br", "tr", "li", "h1", "h2", "h3", "table", "caption"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_data(self, data):
        self.parts.append(data)


def test_each_update_starts_its_own_line_without_the_style_sheet(built):
    """Read without CSS (a text browser, copied text, some screen reader modes) an update ran
    on from the text before it: '...ward profile.Update (18 November 2026)...' (a
    councillor's review); the update, strand and owner lines are block elements now."""
    reader = _PlainText()
    reader.feed(built.html.read_text(encoding="utf-8"))
    lines = [line.strip() for line in "".join(reader.parts).splitlines()]
    updates = [line for line in lines if "Update (" in line]
    assert updates, "the example's actions have dated updates"
    assert all(line.startswith("Update (") for line in updates), updates[:3]
