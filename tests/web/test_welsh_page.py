"""The web page in Welsh (issue 15): every page's own wording from the catalogue, lang="cy".

Like tests/welsh/test_welsh_outputs.py does for documents, the page's English fixed
text is collected from where it is written (the templates and pipeline/web/*.py, as
`make translations` finds it) and a Welsh page must hold none of it.
"""

from __future__ import annotations

import datetime as dt
import functools
import html as html_text
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from pipeline.i18n import LOCALE_DIR, _, use_language
from pipeline.problems import CATALOGUE
from pipeline.validate import validate_workbook
from pipeline.web import create_app
from pipeline.web.language import from_header
from tests.conftest import EXAMPLE, action_row, write_plan_workbook
from tests.web.conftest import accessible, downloads_in, form_token, owners_returns
from tests.welsh.test_catalogue import KEYWORDS

ROOT = Path(__file__).resolve().parents[2]
#: Where the page's own wording is written: its templates, and the messages its code builds.
WEB_TEXT = [("pipeline/web/templates/**.html", "jinja2"), ("pipeline/web/**.py", "python")]
_PLACEHOLDER_OR_TAG = re.compile(r"%\(\w+\)s|<[^>]+>")
WELSH_TITLE = "Gwneud dogfennau eich cynllun gweithredu cydraddoldeb"


@functools.cache
def english_fixed_text() -> tuple[str, ...]:
    """Each piece of the page's English wording (between placeholders and tags) that Welsh
    words differently: a piece the Welsh keeps as it is (`eqplan split`, `Cell`) is left out."""
    with (LOCALE_DIR / "cy" / "LC_MESSAGES" / "eqplan.po").open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    pieces = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), WEB_TEXT, keywords=KEYWORDS
    ):
        entry = catalogue.get(message[0] if isinstance(message, tuple) else message)
        assert entry is not None, message
        welsh = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for english in message if isinstance(message, tuple) else (message,):
            parts = _PLACEHOLDER_OR_TAG.split(english)
            for piece in (part.strip(" .,:;()") for part in parts):
                # a lone word between placeholders (`of`, `more`) is not wording on its own
                wording = len(parts) == 1 or len(piece.split()) > 1
                kept_in_welsh = any(piece in w for w in welsh)
                if wording and re.search(r"[A-Za-z]{2}", piece) and not kept_in_welsh:
                    pieces.add(piece)
    assert len(pieces) > 140  # the collection really found the page's wording
    return tuple(sorted(pieces))


class _Text(HTMLParser):
    """The words a reader meets, leaving out what is marked English (`lang="en"`: the language
    link, the name English) and the framework list (titles of published frameworks)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.words: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link", "input", "br", "img"):
            return
        given = dict(attrs)
        english = (given.get("lang") or "").startswith("en") or tag == "option"
        self.stack.append(english or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag not in ("meta", "link", "input", "br", "img"):
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.words.append(data)


@functools.cache
def _sheet_names() -> str:
    """The workbook's own sheet names (English in an English workbook), as a pattern."""
    return "|".join(re.escape(name) for name in openpyxl.load_workbook(EXAMPLE).sheetnames)


def _without_data(page: str) -> str:
    """The page less the workbook's words it quotes: sheet names over and beside the problems
    found on them and in cell references (`Actions!H25`, `on Actions: O7, P7`), and Excel's menu paths (`File > Save As`)."""
    names = _sheet_names()
    page = re.sub(rf'<caption class="table-caption">(?:{names})</caption>', "", page)
    page = re.sub(rf"<td>(?:{names})</td>", "", page)  # a problem about a whole sheet
    page = re.sub(rf"(?:'|&#39;)?(?:{names})(?:'|&#39;)?(?=!\$?[A-Z]+\$?\d|: [A-Z]+\d)", "", page)
    return re.sub(r"\w+ &gt; ", "", page)


def english_left(page: str) -> list[str]:
    """The English fixed text still on a page (as whole words, case as written)."""
    text = "\n".join(_Text(_without_data(page)).words)
    return [
        piece
        for piece in english_fixed_text()
        if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text)
    ]


def welsh_page(page: str) -> None:
    """A Welsh page: lang="cy", the English link marked English, no English fixed text."""
    accessible(page, lang="cy")
    assert re.search(
        r'<a class="header-language" href="[^"]*lang=en" lang="en" hreflang="en">English</a>', page
    )
    assert english_left(page) == []


def _broken(folder: Path) -> Path:
    return write_plan_workbook(
        folder / "plan-with-errors.xlsx",
        actions=[action_row(ref="A1", rag="Purple"), action_row(ref="A2", point="9.9")],
    )


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("web-welsh")
    return create_app({"TESTING": True, "DOWNLOAD_DIR": str(root / "downloads"), "PDF": False})


@pytest.fixture(scope="module")
def files(returns_made, tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("web-welsh-files")
    previous = write_plan_workbook(
        folder / "plan-september.xlsx",
        actions=[action_row(ref="Q1", rag="Amber"), action_row(ref="Q5", rag="Amber")],
        plan={"report_date": dt.date(2026, 9, 30)},
    )
    current = write_plan_workbook(
        folder / "plan-november.xlsx",
        actions=[action_row(ref="Q1", rag="Green"), action_row(ref="Q9", rag="Amber")],
    )
    return {
        "broken": _broken(folder),
        "previous": previous,
        "current": current,
        **owners_returns(folder / "returns", returns_made),
    }


def _upload(path: Path) -> tuple[io.BytesIO, str]:
    return io.BytesIO(path.read_bytes()), path.name


def _post(client, address: str, **form):
    form.setdefault("csrf_token", form_token(client))
    return client.post(address, data=form, content_type="multipart/form-data")


@pytest.fixture(scope="module")
def pages(app, files) -> dict[str, tuple[int, str]]:
    """Every page the web app shows, asked for in Welsh (`?lang=cy`), with its status."""
    client = app.test_client()
    found = {}

    def keep(name: str, response) -> None:
        found[name] = (response.status_code, response.get_data(as_text=True))

    keep("start", client.get("/?lang=cy"))
    keep("template-refused", client.get("/template?framework=nope&language=fr&lang=cy"))
    keep("form-refused", _post(client, "/plan?lang=cy", layout="nope", language="fr"))
    keep("results", _post(client, "/plan?lang=cy", workbook=_upload(EXAMPLE), language="cy"))
    keep("results-both", _post(client, "/plan?lang=cy", workbook=_upload(EXAMPLE), language="both"))
    keep("problems", _post(client, "/plan?lang=cy", workbook=_upload(files["broken"])))
    keep("compare", client.get("/compare?lang=cy"))
    keep("compare-refused", _post(client, "/compare?lang=cy"))
    for name, current in (("compare-problems", "broken"), ("compare-results", "current")):
        previous = _upload(files["previous"])
        keep(
            name,
            _post(client, "/compare?lang=cy", previous=previous, current=_upload(files[current])),
        )
    keep("merge", client.get("/merge?lang=cy"))
    keep("merge-refused", _post(client, "/merge?lang=cy"))
    keep(
        "merge-problems",
        _post(client, "/merge?lang=cy", plan=_upload(files["broken"]), returns=[_upload(EXAMPLE)]),
    )
    keep(
        "merge-results",
        _post(
            client,
            "/merge?lang=cy",
            plan=_upload(files["plan"]),
            returns=[_upload(path) for path in files["returns"]],
        ),
    )
    keep("not-found", client.get("/nowhere?lang=cy"))
    keep("expired", client.get("/download/gone/plan.docx?lang=cy"))
    keep("not-allowed", client.get("/plan?lang=cy"))
    keep("form-expired", _post(client, "/plan?lang=cy", csrf_token="stale"))
    small = create_app({"TESTING": True, "PDF": False, "MAX_UPLOAD_MB": 0.01}).test_client()
    keep("too-large", _post(small, "/plan?lang=cy", workbook=_upload(EXAMPLE)))
    return found


PAGES = {
    "start": 200,
    "template-refused": 400,
    "form-refused": 400,
    "results": 200,
    "results-both": 200,
    "problems": 200,
    "compare": 200,
    "compare-refused": 400,
    "compare-problems": 422,
    "compare-results": 200,
    "merge": 200,
    "merge-refused": 400,
    "merge-problems": 422,
    "merge-results": 200,
    "not-found": 404,
    "expired": 404,
    "not-allowed": 405,
    "form-expired": 400,
    "too-large": 413,
}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_in_welsh_has_lang_cy_and_none_of_the_english_wording(pages, name):
    status, page = pages[name]
    assert status == PAGES[name], page
    welsh_page(page)


def test_the_english_pages_keep_their_wording_and_offer_cymraeg(app):
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    accessible(page)
    assert "<title>Make your equality action plan documents - eqplan</title>" in page
    assert '<a class="header-language" href="/?lang=cy" lang="cy" hreflang="cy">Cymraeg</a>' in page
    assert 'action="/plan"' in page and 'name="lang"' not in page  # no choice made: as before
    # the check of Welsh pages finds English where it is (lang="en-GB" taken off, as it skips it)
    assert len(english_left(page.replace('lang="en-GB"', "", 1))) > 20


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("cy", "cy"),
        ("cy-GB,cy;q=0.9,en-GB;q=0.8,en;q=0.7", "cy"),
        ("en-GB,en;q=0.9,cy;q=0.8", "en"),
        ("cy, en", "cy"),
        ("en, cy", "en"),
        ("fr-FR,cy;q=0.5,en;q=0.4", "cy"),
        ("en;q=0.5, cy;q=0.6", "cy"),
        ("fr", "en"),
        ("cy;q=0", "en"),
        ("", "en"),
    ],
)
def test_the_browsers_first_choice_of_welsh_or_english_wins(header, language):
    assert from_header(header) == language


def test_accept_language_picks_welsh_and_the_link_overrides_it(app):
    client = app.test_client()
    welsh = client.get("/", headers={"Accept-Language": "cy-GB,en;q=0.8"}).get_data(as_text=True)
    welsh_page(welsh)
    assert f"<h1>{WELSH_TITLE}</h1>" in welsh
    english = client.get("/?lang=en", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    accessible(english)
    assert 'action="/plan?lang=en"' in english  # the English choice is kept across the form


def test_the_welsh_choice_survives_the_forms(app):
    client = app.test_client()
    start = client.get("/?lang=cy").get_data(as_text=True)
    assert 'action="/plan?lang=cy"' in start
    assert '<input type="hidden" name="lang" value="cy">' in start  # the blank workbook's GET form
    action = re.search(r'<form method="post" action="([^"]+)"', start).group(1)
    results = _post(client, html_text.unescape(action), workbook=_upload(EXAMPLE))
    page = results.get_data(as_text=True)
    welsh_page(page)
    assert "Mae eich dogfennau&#39;n barod" in page or "Mae eich dogfennau'n barod" in page
    assert 'href="/?lang=cy"' in page  # "Check another workbook" stays Welsh
    refused = client.get("/template?framework=nope&lang=cy").get_data(as_text=True)
    welsh_page(refused)
    for form_page in ("/compare?lang=cy", "/merge?lang=cy"):
        assert re.search(r'action="/(compare|merge)\?lang=cy"', client.get(form_page).text)


def test_a_welsh_page_chooses_welsh_documents_first(app):
    page = app.test_client().get("/?lang=cy").get_data(as_text=True)
    assert re.search(r'id="language-cy" name="language" value="cy" checked', page)
    assert re.search(r'id="template-language-cy" name="language" value="cy" checked', page)
    english = app.test_client().get("/").get_data(as_text=True)
    assert re.search(r'id="language-en" name="language" value="en" checked', english)


def test_english_documents_from_a_welsh_page_stay_english(app):
    client = app.test_client()
    response = _post(client, "/plan?lang=cy", workbook=_upload(EXAMPLE), language="en")
    page = response.get_data(as_text=True)
    welsh_page(page)
    links = downloads_in(page)
    plan = docx.Document(io.BytesIO(client.get(links["example-plan.docx"]).data))
    headings = {p.text for p in plan.paragraphs}
    assert "Document control" in headings and "Rheoli'r ddogfen" not in headings


def test_the_problems_are_listed_in_welsh_as_validate_language_cy_words_them(pages, files):
    _status, page = pages["problems"]
    text = html_text.unescape(page)
    with use_language("cy"):
        report = validate_workbook(files["broken"]).report
        welsh_title = _(CATALOGUE["RAG_INVALID"].title)
    (problem,) = [p for p in report.problems if p.code == "RAG_INVALID"]
    english = validate_workbook(files["broken"]).report
    (english_problem,) = [p for p in english.problems if p.code == "RAG_INVALID"]
    assert welsh_title in text and problem.message in text and problem.hint in text
    assert CATALOGUE["RAG_INVALID"].title not in text
    assert english_problem.message not in text and english_problem.hint not in text
    for name in ("compare-problems", "merge-problems"):  # the other pages' problem tables too
        assert welsh_title in html_text.unescape(pages[name][1]), name


def _document_text(client, page: str, ending: str) -> list[str]:
    (link,) = [link for name, link in downloads_in(page).items() if name.endswith(ending)]
    data = client.get(link).data
    if ending == ".docx":
        return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [f"{sheet.title}:{cell.value}" for sheet in book for row in sheet for cell in row]


def test_the_changes_and_the_merged_plan_from_a_welsh_page_are_the_english_ones(app, files):
    """`eqplan compare` and `eqplan merge` write English: the Welsh page changes only its own words."""
    client = app.test_client()
    for address, form, ending in (
        ("/compare", {"previous": files["previous"], "current": files["current"]}, ".docx"),
        ("/compare", {"previous": files["previous"], "current": files["current"]}, ".xlsx"),
        ("/merge", {"plan": files["plan"], "returns": files["returns"]}, ".xlsx"),
    ):
        made = []
        for query in ("", "?lang=cy"):
            fields = {
                role: [_upload(p) for p in given] if isinstance(given, list) else _upload(given)
                for role, given in form.items()
            }
            page = _post(client, address + query, **fields).get_data(as_text=True)
            made.append(_document_text(client, page, ending))
        assert made[0] == made[1], (address, ending)
        assert made[0]
