"""The web page's own language, English or Welsh (issue 15), chosen per request.

An officer picks it with the language link on every page (`?lang=cy`,
`?lang=en`); the choice travels in each form's action address (posts) or a
hidden field (the blank workbook's GET form) and in the page's links. With
no choice made, the browser's Accept-Language header decides: the first of
Welsh and English it prefers wins, English when it names neither. The
language is set for the whole request with `use_language`, so the page's
fixed text, its form messages and the problems it lists all come from the
catalogue; the documents keep the language chosen for them on the form.
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlencode

from flask import Flask, g, request, url_for

from pipeline.i18n import LANGUAGES, _, current_language, ngettext, use_language

#: The query parameter (and hidden field) that carries the choice.
PARAMETER = "lang"
#: Each language's name in its own words, as the language link shows it.
OWN_NAMES = {"en": "English", "cy": "Cymraeg"}
#: The <html lang> of a page: English pages keep en-GB as before; Welsh pages are `cy`.
HTML_LANG = {"en": "en-GB", "cy": "cy"}
#: Where the language link of a page made by a form post leads: the form, in the other language.
_FORM_OF = {"compare.": "compare.form", "merge.": "merge.form"}


def chosen() -> str | None:
    """The language asked for in the address (`?lang=cy`), or None."""
    given = request.args.get(PARAMETER, "")
    return given if given in LANGUAGES else None


def from_header(header: str) -> str:
    """The language of Welsh and English that an Accept-Language header ranks first.

    Equal weights go to the one named first (`cy, en` is Welsh); neither named is English.
    """
    best, best_weight = "en", 0.0
    for part in header.split(","):
        tag, _sep, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and weight > best_weight:
            best, best_weight = primary, weight
    return best


def page_language() -> str:
    """This request's page language: the address's choice, else the browser's preference."""
    return chosen() or from_header(request.headers.get("Accept-Language", ""))


def carried() -> dict[str, str]:
    """What links and forms add to keep the language: nothing for an English page nobody chose."""
    language = current_language()
    return {PARAMETER: language} if chosen() or language != "en" else {}


def _switch_url(other: str) -> str:
    """This page in the other language; for a page made by a form post, that form's page."""
    endpoint = request.endpoint or ""
    if request.method == "GET" and endpoint and endpoint != "static":
        # The address's own query is copied, never passed to url_for as its arguments: a query
        # naming one of them (?endpoint=, ?_method=) ended the page in a 500, and ?_external=
        # or ?_anchor= made the link point elsewhere (an attacker's review).
        query = urlencode({**request.args.to_dict(), PARAMETER: other})
        return f"{url_for(endpoint, **(request.view_args or {}))}?{query}"
    form = next((f for prefix, f in _FORM_OF.items() if endpoint.startswith(prefix)), None)
    return url_for(form or "pages.start", **{PARAMETER: other})


def page_gettext(message: str) -> str:
    """The templates' `_()`: message in the page's language (jinja2.ext.i18n formats it)."""
    return _(message)


def page_ngettext(singular: str, plural: str, count: int) -> str:
    return ngettext(singular, plural, count)


def _template_context() -> dict[str, Any]:
    language = current_language()
    other = "cy" if language == "en" else "en"
    return {
        "page_language": language,
        "html_lang": HTML_LANG[language],
        "lang_args": carried(),
        "switch": {"language": other, "name": OWN_NAMES[other], "url": _switch_url(other)},
    }


def install(app: Flask) -> None:
    """Set each page request's language, and give the templates `_()` and the language link."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(page_gettext, page_ngettext, newstyle=True)
    app.context_processor(_template_context)

    @app.before_request
    def _set_language() -> None:
        if request.path.startswith("/api/") or request.endpoint == "static":
            return  # scripts choose their documents' language with a field, as before
        stack = contextlib.ExitStack()
        stack.enter_context(use_language(page_language()))
        g.eqplan_language = stack

    @app.teardown_request
    def _end_language(_error: BaseException | None) -> None:
        stack = g.pop("eqplan_language", None)
        if stack is not None:
            stack.close()
