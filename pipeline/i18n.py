"""The language documents are written in: the one home for translation (issue 15).

Fixed text is English in the code, wrapped in `_()` (or marked with `N_()` where it is a
constant translated later), and looked up at the moment it is printed in the Welsh
catalogue `pipeline/locale/cy/LC_MESSAGES/eqplan.po` (compiled to eqplan.mo by
`make translations`). The language is set for a stretch of work with `use_language("cy")`;
everything printed inside it, dates included, comes out in Welsh. English needs no
catalogue: the English text is the message itself, so English documents stay exactly as
they were. A council's framework gives the Welsh of its own labels itself (`labels_cy`):
they are used likewise only inside `use_framework_words(plan.framework.welsh)`, the work on
a plan of that framework, so another framework's plan never prints them.

Dates and numbers come from CLDR through Babel for Welsh ("30 Tachwedd 2026"); English
keeps the GOV.UK style of pipeline/formats.py.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import gettext
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

#: The languages eqplan writes documents in, English first (the default).
LANGUAGES = ("en", "cy")
#: What `--language` accepts: a language, or `both` for a matching pair (Welsh first).
LANGUAGE_CHOICES = (*LANGUAGES, "both")
#: The BCP 47 tag of each language, as Word, HTML and PDF want it.
LANGUAGE_TAGS = {"en": "en-GB", "cy": "cy-GB"}
#: The catalogue's domain and folder: pipeline/locale/<language>/LC_MESSAGES/eqplan.mo.
DOMAIN = "eqplan"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_language: contextvars.ContextVar[str] = contextvars.ContextVar("eqplan_language", default="en")
#: How a framework file's Welsh for one of its own words is kept in Framework.welsh
#: (`word:Priority`): a council's labels are not in the catalogue (`labels_cy`).
WORD = "word:"
#: The Framework.welsh of the plan being worked on (use_framework_words), scoped as the
#: language is: never another framework's, in this thread or any other.
_framework_welsh: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "eqplan_framework_welsh", default=MappingProxyType({})
)


def languages_for(choice: str) -> tuple[str, ...]:
    """The languages a `--language` choice builds, Welsh first for `both` (Welsh Language Standards)."""
    return ("cy", "en") if choice == "both" else (choice,)


def language_stem(stem: str, language: str, choice: str) -> str:
    """An output's name in one language of a `--language` choice: `plan` for English alone,
    `plan-cy` for Welsh, and `plan-cy` and `plan-en` for `both`, so a pair never clashes."""
    return stem if language == "en" and choice != "both" else f"{stem}-{language}"


def current_language() -> str:
    """The language being written now: `en` unless inside use_language()."""
    return _language.get()


def language_tag(language: str | None = None) -> str:
    """`en-GB` or `cy-GB`: the tag for documents in language (default: the current one)."""
    return LANGUAGE_TAGS[language or current_language()]


@contextlib.contextmanager
def use_language(language: str) -> Iterator[None]:
    """Write everything inside the block in language (`en` or `cy`)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue for language; English (or a missing catalogue) translates to itself."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


@contextlib.contextmanager
def use_framework_words(welsh: Mapping[str, str]) -> Iterator[None]:
    """Inside the block, let `_()` give the Welsh a framework file gives for its own words
    (welsh is its Framework.welsh; the `word:` keys): a council's label (`Priority`) then
    prints in Welsh wherever a shipped one would. Only inside: a plan of a framework
    without them, built later or in another thread, prints its labels in English."""
    token = _framework_welsh.set(welsh)
    try:
        yield
    finally:
        _framework_welsh.reset(token)


def framework_words() -> Mapping[str, str]:
    """The Framework.welsh in use now (use_framework_words), to carry into other work."""
    return _framework_welsh.get()


def _(message: str) -> str:
    """message in the current language."""
    if not message:
        return message
    language = current_language()
    return _translated(translations(language), language, message)


def _translated(catalogue: gettext.NullTranslations, language: str, message: str) -> str:
    """message from catalogue; in Welsh, else from the own words of the framework in use."""
    text = catalogue.gettext(message)
    if language == "cy" and text == message:
        return _framework_welsh.get().get(WORD + message, message)
    return text


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that agrees with count, in the current language."""
    return translations(current_language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a constant for the catalogue without translating it yet (it is translated when printed)."""
    return message


def template_gettext(language: str) -> Any:
    """The `_()` a Word or HTML template calls: `{{ _("Version %(v)s", v=plan.version) }}`.

    Bound to one language (the template may be filled in another process). Values are
    put in with `%(name)s` only, never str.format, so a template cannot reach attributes
    through the message; the result is plain text, escaped by autoescape when printed
    (text marked as partly English, welsh_text.filled, when a value is English in a Welsh
    plan: `Actions for Modiwl 2: Leadership...`).
    """
    catalogue = translations(language)

    def gettext_(message: Any, **values: Any) -> str:
        text = _translated(catalogue, language, str(message)) if message else ""
        if not values:
            return text
        from pipeline.welsh_text import EnglishText, MixedText, filled  # it builds on this

        if any(type(value) in (EnglishText, MixedText) for value in values.values()):
            return filled(text, values)  # its English parts still tagged in a Welsh plan
        return text % values

    gettext_.__name__ = "gettext"
    return gettext_


def localised_date(value: dt.date, language: str) -> str:
    """A date as CLDR writes it in language, day first with the month in words: `30 Tachwedd 2026`."""
    from babel.dates import format_date

    return format_date(value, "d MMMM y", locale=language)


def localised_number(count: int, language: str) -> str:
    """A whole number as CLDR writes it in language (Welsh, like English, `1,250`)."""
    from babel.numbers import format_decimal

    return format_decimal(int(count), locale=language)  # int: Count prints through here


def and_more(shown: str, more: int) -> str:
    """`A, B and 3 more`: a shortened list in the language being written (shown if none more)."""
    if more <= 0:
        return shown
    return _("%(items)s and %(count)s more") % {
        "items": shown,
        "count": localised_number(more, current_language()),
    }


def in_welsh(message: str) -> str:
    """message as the Welsh catalogue gives it, whatever the language being built.

    For reading: a workbook from `eqplan template --language cy` uses Welsh sheet names,
    headings and dropdown words, and the reader accepts them beside the English.
    """
    return _translated(translations("cy"), "cy", message) if message else message
