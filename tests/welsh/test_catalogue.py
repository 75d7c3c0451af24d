"""The Welsh catalogue is complete, compiled and agrees with the code (issue 15)."""

from __future__ import annotations

import datetime as dt
import gettext
import re
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from pipeline.formats import format_date, format_date_range, format_number
from pipeline.i18n import LOCALE_DIR, _, ngettext, use_language

ROOT = Path(__file__).resolve().parents[2]
PO = LOCALE_DIR / "cy" / "LC_MESSAGES" / "eqplan.po"
MO = LOCALE_DIR / "cy" / "LC_MESSAGES" / "eqplan.mo"
#: The same as `make translations` (Makefile): where fixed text is marked, and how.
KEYWORDS = {"_": None, "N_": None, "T_": None, "ngettext": (1, 2), "counted": (2, 3)}
METHODS = [
    ("pipeline/problems.py", "pipeline.i18n_extract.extract_problems"),
    ("pipeline/**.py", "python"),
    ("templates/**.py", "python"),
    ("pipeline/render/html_templates/**.j2", "jinja2"),
    ("pipeline/web/templates/**.html", "jinja2"),
]
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _format_fields(text: str) -> set[str]:
    """The `{name}` fields of a problem message (pipeline/problems.py), with their formats."""
    return {f"{name}:{spec}" for _lit, name, spec, _conv in Formatter().parse(text) if name}


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="cy")


def _code_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


def test_every_message_in_the_code_has_a_welsh_entry():
    catalogue = _catalogue()
    missing = sorted(m for m in _code_messages() if catalogue.get(m) is None)
    assert not missing, f"run 'make translations' and translate: {missing}"


def test_every_entry_has_welsh_text_with_the_same_placeholders():
    catalogue = _catalogue()
    entries = [m for m in catalogue if m.id]
    assert len(entries) > 150
    for message in entries:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"no Welsh for {ids[0]!r}"
        assert "fuzzy" not in message.flags, f"{ids[0]!r} is marked fuzzy: check it"
        wanted = set(_PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            # Welsh may leave a value out (the sentence reads without it), never invent one.
            assert set(_PLACEHOLDER.findall(text)) <= wanted, (ids[0], text)
            # A problem's message and hint are filled with str.format: the same {fields}.
            assert _format_fields(text) == _format_fields(ids[0]), (ids[0], text)


def test_the_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _catalogue():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            for count, index in ((1, 1), (5, 5)):
                assert compiled.ngettext(*message.id, count) == message.string[index]
        else:
            assert compiled.gettext(message.id) == message.string, message.id


def test_english_is_the_message_itself_and_welsh_comes_from_the_catalogue():
    assert _("Document control") == "Document control"
    with use_language("cy"):
        assert _("Document control") == "Rheoli'r ddogfen"
        assert ngettext("%(count)s action", "%(count)s actions", 5) % {"count": 5} == (
            "5 cam gweithredu"
        )
    assert _("Document control") == "Document control"  # the language ends with the block


def test_dates_stay_govuk_in_english_and_come_from_cldr_in_welsh():
    day = dt.date(2026, 11, 30)
    assert format_date(day) == "30 November 2026"
    assert format_date_range(dt.date(2026, 4, 1), dt.date(2029, 3, 31)) == (
        "1 April 2026 to 31 March 2029"
    )
    assert format_number(1250) == "1,250"
    with use_language("cy"):
        assert format_date(day) == "30 Tachwedd 2026"
        assert format_date(dt.date(2027, 7, 1)) == "1 Gorffennaf 2027"
        assert format_date_range(dt.date(2026, 4, 1), dt.date(2029, 3, 31)) == (
            "1 Ebrill 2026 i 31 Mawrth 2029"
        )
        assert format_number(1250) == "1,250"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError), use_language("fr"):
        pass
