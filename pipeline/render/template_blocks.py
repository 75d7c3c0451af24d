"""Which loop or condition a template left open, or which end tag has nothing to close.

Jinja only says that "the innermost block that needs to be closed is 'for'" at the end
of the part, or at an end tag it did not expect: docxtpl has already turned `{%tr for a
in section.actions %}` into `{% for a in section.actions %}`, and the part's last line is
nowhere near the loop whose `{%tr endfor %}` was deleted. Here the part's text as typed in
Word is read again, its `{% %}` tags paired up as Jinja pairs them, with what Word's
structure adds: a `{%tr %}` tag's end is a `{%tr %}` tag in the same table, a `{%p %}`
tag's a `{%p %}` tag in the same table cell (or outside every table), a `{%tc %}` tag's
a `{%tc %}` tag in the same row. The first tag that breaks that is named, with where it
is (the table's first row, the text before it) and how to mend it in Word.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from pipeline.errors import TemplateError
from pipeline.render.isolation import safe_parser
from pipeline.text import shortened

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Jinja's messages for a block left open or an end tag it did not expect.
_ABOUT_BLOCKS = ("Unexpected end of template", "Encountered unknown tag 'end", "innermost block")
#: Tags that open a block Jinja needs to see closed (`set` only without `=`).
_OPENERS = frozenset("for if macro call filter with block autoescape set raw".split())
#: docxtpl's tags that stand for their whole row, cell, paragraph or run (`{%tr for %}`).
_KIND = re.compile(r"(tr|tc|p|r) ")
_WORD = re.compile(r"[-+]?\s*(\w*)")
_WHAT = {"for": "loop", "if": "condition"}
_FIX = {
    "tr": "add a row of its own to that table, below the rows the {what} covers, holding only "
    "{end} (docxtpl replaces the whole row with the tag)",
    "tc": "add a cell of its own to that row, after the cells the {what} covers, holding only "
    "{end}",
    "p": "add a paragraph of its own after the last one the {what} covers, holding only {end} "
    "(in the same table cell, if the {what} is in one)",
    "": "type {end} after the text the {what} covers, usually in the same paragraph",
}


@dataclass
class _Tag:
    typed: str  # as typed in Word, spaces run together
    kind: str  # "tr", "tc", "p", "r" or "" (a plain tag)
    word: str  # for, endfor, if, else...
    slot: Any  # the element a matching tag must share: the table of a {%tr %} tag...
    paragraph: Any
    where: str = ""
    dropped: list[tuple[_Tag, _Tag]] = field(default_factory=list)  # that may explain a fault

    def matches(self, end: _Tag) -> bool:
        """end is the end tag Jinja and Word's structure both pair with this tag."""
        return self.kind == end.kind and self.slot is end.slot


def block_error(name: str, exc: BaseException) -> TemplateError | None:
    """The error naming the loop or condition left open (or the stray end tag) exc is about.

    None if exc is not about blocks, or the part's text (engine.py puts it on exc as
    eqplan_typed: the part's XML as typed and its name) does not show which tag it is.
    """
    typed = getattr(exc, "eqplan_typed", None)
    if typed is None or not any(words in str(exc) for words in _ABOUT_BLOCKS):
        return None
    try:
        fault = _fault(*typed)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if fault is None:
        return None
    tag, end, left_open = fault
    where = f" ({tag.where})" if tag.where else ""
    also, alone = "", ""
    if tag.dropped:
        lost, taker = tag.dropped[0]
        place = {"tr": "row", "tc": "cell", "p": "paragraph"}[taker.kind]
        at = f" ({lost.where})" if lost.where and lost.where != tag.where else ""
        also = (
            f" docxtpl dropped {lost.typed}{at}: it was in the same {place} as "
            f"{taker.typed}, and docxtpl keeps only that tag of the {place}."
        )
        alone = f"Give each {{%{taker.kind} %}} tag a {place} of its own. "
    if left_open:
        what = _WHAT.get(tag.word, f"{{% {tag.word} %}} block")
        closing = _end_of(tag)
        return TemplateError(
            f"The Word template {name} has a {what} that is never closed: {tag.typed}{where} "
            f"has no matching {closing}"
            + (f" (the next end tag is {end.typed})." if end is not None else ".")
            + also,
            hint=f"{alone}In Word, {_mend(tag, end, what, closing)}; or start again from a copy "
            "of the template eqplan ships.",
        )
    opening = f"{{%{tag.kind or ''} {tag.word[3:]} … %}}"
    return TemplateError(
        f"The Word template {name} has an end tag with nothing to close: {tag.typed}{where}."
        + also,
        hint=f"{alone}In Word, delete that tag{' and its row' if tag.kind == 'tr' else ''}, or put "
        f"back the {opening} tag it should end, before it.",
    )


def _mend(tag: _Tag, end: _Tag | None, what: str, closing: str) -> str:
    """How to close tag: change the end tag of its kind and place that ends it with the wrong
    word, else add one."""
    if end is not None and tag.matches(end) and end.word != f"end{tag.word}":
        return f"change {end.typed} to {closing}"
    return _FIX.get(tag.kind, _FIX[""]).format(what=what, end=closing)


def as_typed(tag: str, exc: BaseException) -> str:
    """tag (`{% for a in section.action %}`, as Jinja got it) as typed in the template, if
    docxtpl made it from a row, cell or paragraph tag (`{%tr for a in section.action %}`)."""
    typed = getattr(exc, "eqplan_typed", ("", ""))[0]
    if tag.startswith("{% ") and typed:
        for kind in ("tr", "tc", "p"):
            candidate = f"{{%{kind} {tag[3:]}"
            if candidate in typed or html.escape(candidate, quote=False) in typed:
                return candidate
    return tag


def _end_of(tag: _Tag) -> str:
    return f"{{%{tag.kind or ''} end{tag.word} %}}"


def _fault(xml: str, part: str) -> tuple[_Tag, _Tag | None, bool] | None:
    """(the tag at fault, the end tag that showed it or None, whether it was left open)."""
    root = etree.fromstring(xml.encode("utf-8"), safe_parser())
    found = _found(root, part)
    if found is not None:
        tag = found[0]
        tag.dropped = [(d, k) for d, k in _tags(root)[1] if _explains(d, k, tag, found[2])]
        if tag.dropped:
            _placed(tag.dropped[0][0], root, part)
    return found


def _explains(dropped: _Tag, kept: _Tag, fault: _Tag, left_open: bool) -> bool:
    """Whether docxtpl dropping `dropped` (for `kept`) may be why fault is at fault."""
    if kept is fault:
        return True
    return dropped.word == (f"end{fault.word}" if left_open else fault.word[3:])


def _found(root: Any, part: str) -> tuple[_Tag, _Tag | None, bool] | None:
    open_tags: list[_Tag] = []
    loose: list[tuple[_Tag, _Tag]] = []  # (a tag, the end tag of another kind or place it took)
    for tag in _tags(root)[0]:
        if open_tags and open_tags[-1].word == "raw":
            if tag.word == "endraw":
                open_tags.pop()
            continue
        if tag.word in _OPENERS and not (tag.word == "set" and "=" in tag.typed):
            open_tags.append(tag)
            continue
        if not tag.word.startswith("end"):
            continue  # else, elif, a plain statement
        base = tag.word[3:]
        exact = [i for i, o in enumerate(open_tags) if o.word == base and o.matches(tag)]
        if open_tags and open_tags[-1].word == base and (open_tags[-1].matches(tag) or not exact):
            opener = open_tags.pop()  # Jinja's pairing, which Word's structure does not contradict
            if not opener.matches(tag):
                loose.append((opener, tag))
            continue
        if exact or (open_tags and open_tags[-1].matches(tag) and not took_by(loose, tag)):
            # a tag of its own kind and place is open further out, so the ones inside are not
            # closed; or the tag inside is ended by the wrong word ({%tr endif %} for endfor)
            return _placed(open_tags[-1], root, part), _placed(tag, root, part), True
        # Nothing open for it. If a tag it should end took another end tag, that one is extra.
        took = took_by(loose, tag)
        return _placed(took[-1] if took else tag, root, part), None, False
    if open_tags:
        return _placed(open_tags[-1], root, part), None, True
    return None


def took_by(loose: list[tuple[_Tag, _Tag]], end: _Tag) -> list[_Tag]:
    """The end tags of another kind or place taken by a tag end should have ended."""
    return [taken for opener, taken in loose if opener.word == end.word[3:] and opener.matches(end)]


def _tags(root: Any) -> tuple[list[_Tag], list[tuple[_Tag, _Tag]]]:
    """Each `{% %}` tag Jinja gets from the part, in order, as docxtpl joins Word's runs; and
    (dropped, kept) for each tag docxtpl drops: it puts the last `{%tr %}` tag of a row in
    place of the whole row, so the row's other tags go, and so on for a `{%tc %}` tag's
    cell, a `{%p %}` tag's paragraph."""
    tags = []
    for paragraph in root.iter(f"{_W}p"):
        text = "".join(
            t.text or "" for t in paragraph.iter(f"{_W}t") if _nearest(t, "p") is paragraph
        )
        for found in statements(text):
            inner = found[2:-2]
            kind_match = _KIND.match(inner)
            kind = kind_match.group(1) if kind_match else ""
            word = _WORD.match(inner[len(kind) :]).group(1)  # type: ignore[union-attr]
            slot_kind = {"tr": "tbl", "tc": "tr", "p": "tc"}.get(kind)
            slot = _nearest(paragraph, slot_kind) if slot_kind else None
            typed = html.unescape(shortened(" ".join(found.split())))
            tags.append(_Tag(typed, kind, word, slot, paragraph))
    dropped: list[tuple[_Tag, _Tag]] = []
    for kind, holder in (("tr", "tr"), ("tc", "tc"), ("p", "p")):
        last: dict[Any, _Tag] = {}  # docxtpl's pattern finds the last one (greedily)
        for tag in tags:
            element = _holder(tag, holder)
            if tag.kind == kind and element is not None:
                last[element] = tag
        kept = []
        for tag in tags:
            taking = last.get(_holder(tag, holder))
            if taking is None or taking is tag:
                kept.append(tag)
            else:
                dropped.append((tag, taking))
        tags = kept
    return tags, dropped


def _spans(text: str) -> list[tuple[int, int]]:
    """Where each `{% ... %}` in text is, as re.finditer(r"{%.*?%}", text, re.DOTALL) finds
    them, in linear time: that regex tried every `{%` against the rest of the text, so a
    paragraph of 16,000 `{%` with no `%}` (in a string a tag prints) took 13 s to name a
    broken tag."""
    spans, start = [], text.find("{%")
    while start != -1:
        end = text.find("%}", start + 2)
        if end == -1:
            break  # no `{%` further on has an end either
        spans.append((start, end + 2))
        start = text.find("{%", end + 2)
    return spans


def statements(text: str) -> list[str]:
    """Each `{% ... %}` in text (_spans)."""
    return [text[start:end] for start, end in _spans(text)]


def _outside_statements(text: str) -> str:
    """text without its `{% ... %}` tags (_spans)."""
    ends = [0, *(edge for span in _spans(text) for edge in span), len(text)]
    return "".join(text[ends[i] : ends[i + 1]] for i in range(0, len(ends), 2))


def _holder(tag: _Tag, name: str) -> Any:
    return tag.paragraph if name == "p" else _nearest(tag.paragraph, name)


def _nearest(element: Any, name: str) -> Any:
    """element's nearest ancestor named w:name, or None."""
    for ancestor in element.iterancestors(f"{_W}{name}"):
        return ancestor
    return None


# ------------------------------------------------------------------- where a tag is


def _placed(tag: _Tag, root: Any, part: str) -> _Tag:
    """tag, with where it is in words a Word user can find."""
    places = []
    if part and not part.endswith("document.xml"):
        places.append(f"in {_part_name(part)}")
    table = _nearest(tag.paragraph, "tbl")
    if table is not None:
        first_row = table.find(f"{_W}tr")
        cells = [] if first_row is None else first_row.findall(f"{_W}tc")
        heading = " | ".join(filter(None, (_text(cell) for cell in cells)))
        places.append(f"in the table whose first row reads “{shortened(heading, 60)}”")
        before = _text_before(table)
    else:
        before = _text_before(tag.paragraph)
    own = _text(tag.paragraph)
    if tag.kind in ("", "r") and own != tag.typed:
        places.append(f"in the paragraph “{shortened(own, 60)}”")
    if before:
        places.append(f"after “{shortened(before, 60)}”")
    tag.where = ", ".join(places)
    return tag


def _part_name(part: str) -> str:
    for kind in ("header", "footer", "footnotes"):
        if kind in part.rsplit("/", 1)[-1]:
            return f"the {kind} ({part})" if kind != "footnotes" else f"the footnotes ({part})"
    return part


def _text(element: Any) -> str:
    return " ".join("".join(t.text or "" for t in element.iter(f"{_W}t")).split())


def _text_before(element: Any) -> str:
    """The text of the nearest paragraph with any before element (its own table's, if in one)."""
    for earlier in element.itersiblings(preceding=True):
        text = _text(earlier)
        if _outside_statements(text).strip():  # not a paragraph of a `{%p %}` tag alone
            return text
    parent = element.getparent()
    if parent is not None and parent.tag in (f"{_W}tc", f"{_W}tr", f"{_W}tbl"):
        return _text_before(parent)
    return ""
