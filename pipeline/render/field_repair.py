"""Keep a template's fields whole where docxtpl removes a paragraph, cell or row with its tag.

docxtpl deletes the whole paragraph that holds a `{%p ... %}` tag (the table
cell for `{%tc`, the row for `{%tr`), with everything else in it. A complex
field (a contents list) is written as marks in runs: a begin, its
instruction, a separate, its shown text, an end. LibreOffice Writer, saving
the shipped templates, moves the contents list's end into the `{%p endfor %}`
paragraph before it; docxtpl then deleted that end with the tag, and the plan
had a field begun and never ended, which Word and LibreOffice read as
swallowing everything after it (a plan of one page).

So before docxtpl's own clean-up (engine.py, PlanTemplate.patch_xml) every
field mark in what docxtpl will delete is moved to where it is kept, on the
same side of the tag as it was (which undoes LibreOffice's moving it):

- a mark after the tag (the end after `{%p endfor %}`, LibreOffice's case)
  goes to the start of the paragraph after, outside the loop the tag closes,
  so the field is ended once, after all its entries;
- a mark before the tag (a field begun just before `{%p for %}`) goes to the
  end of the paragraph before, outside the loop the tag opens, so the field
  is begun once.

A tag's paragraph gives its marks to the paragraph beside it in the same
body, cell or content control (a field never crosses into another); where
there is none, or it is deleted with a tag too, the marks get a paragraph of
their own in the same place. A cell's or row's marks go to the paragraph
before or after it. What this cannot mend (a field begun inside a loop and
ended after it) is caught after rendering: a part whose fields do not balance
is never written (fields.FieldCount, engine.py).
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree

from pipeline.render.isolation import safe_parser

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _R, _T, _RPR, _PPR = (f"{_W}{name}" for name in ("p", "r", "t", "rPr", "pPr"))
_TR, _TC, _TBL = f"{_W}tr", f"{_W}tc", f"{_W}tbl"
#: What may stand beside a paragraph in a body, cell or content control, as a block.
_BLOCKS = (_P, _TBL, f"{_W}sdt", f"{_W}sectPr", f"{_W}customXml", f"{_W}altChunk")
_MARKS = (f"{_W}fldChar", f"{_W}instrText", f"{_W}delInstrText")
_FLD_CHAR, _FLD_CHAR_TYPE = f"{_W}fldChar", f"{_W}fldCharType"
_SECT_PR = f"{_W}sectPr"
#: A tag that closes a block, or a paragraph docxtpl replaces (`{{p x }}`): what follows its
#: paragraph is after it; and a tag between two branches (`else`, `elif`).
_CLOSING = re.compile(r"\{%p\s*end\w*\b|\{\{p\s")
_BETWEEN = re.compile(r"\{%p\s*(?:else|elif)\b")
#: docxtpl's tags that take their paragraph, cell or row with them (template.py, patch_xml).
_TAG = re.compile(r"\{[%{#](tr|tc|p) ")
_CONTAINERS = {"p": _P, "tc": _TC, "tr": _TR}
_DECLARATION = re.compile(r"\s*<\?xml[^?]*\?>\s*")


def keep_fields_whole(xml: str) -> str:
    """xml (a part's text, as docxtpl reads it) with field marks moved out of what docxtpl
    deletes; the very text given when there is nothing to move."""
    if "fldChar" not in xml and "instrText" not in xml and "sectPr" not in xml:
        return xml  # a header or footer: no field and no section break
    declaration = _DECLARATION.match(xml)
    start = declaration.end() if declaration else 0
    try:
        root = etree.fromstring(xml[start:].encode("utf-8"), safe_parser())
    except (etree.XMLSyntaxError, ValueError):
        return xml  # docxtpl's own steps report what is wrong with it
    if not move_marks(root):
        return xml
    return xml[:start] + etree.tostring(root, encoding="unicode")


def move_marks(root: etree._Element) -> bool:
    """Move the field marks out of every paragraph, cell or row docxtpl deletes; True if any."""
    doomed = _doomed(root)
    paragraphs = list(root.iter(_P))
    number = {id(p): n for n, p in enumerate(paragraphs)}
    moved = False
    for container in doomed:
        moved = _keep_section_break(container) or moved
        marks = _crossing(list(container.iter(*_MARKS)))
        if not marks:
            continue
        moved = True
        split = _tag_start(container)
        order = {id(element): n for n, element in enumerate(container.iter())}
        cut = order[id(split)] if split is not None else -1
        before = [mark for mark in marks if order[id(mark)] < cut]
        after = [mark for mark in marks if order[id(mark)] >= cut]
        for side, forward in ((before, False), (after, True)):
            if side:
                neighbour = _neighbour(container, paragraphs, number, forward=forward)
                if neighbour is not None and _deleted(neighbour, doomed):
                    neighbour = None
                _put(_runs(side), neighbour, container, forward=forward)
    return moved


def _keep_section_break(container: etree._Element) -> bool:
    """A section break (its page size, orientation, headers) in a paragraph docxtpl deletes
    gets an empty paragraph of its own where the tag stood: after a closing tag (`endif`,
    `endfor`) or a `{{p x }}` docxtpl replaces, before an opening one, so it is outside the
    block and kept once; between two branches (`else`, `elif`), at the end of the one before
    and the start of the one after, so whichever is rendered keeps it.
    LibreOffice Writer moves the shipped template's portrait-to-landscape break into the
    `{%p endif %}` after the cover's last optional paragraph; deleted, the whole plan was
    landscape. True if one was moved."""
    properties = container.find(_PPR) if container.tag == _P else None
    section = properties.find(_SECT_PR) if properties is not None else None
    if section is None:
        return False
    text = "".join(t.text or "" for t in _own(container, _T))
    between = _BETWEEN.search(text) is not None
    for after in (False, True) if between else (_CLOSING.search(text) is not None,):
        holder = etree.Element(_P)
        etree.SubElement(holder, _PPR).append(deepcopy(section))
        (container.addnext if after else container.addprevious)(holder)
    properties.remove(section)
    return True


def _crossing(marks: list[etree._Element]) -> list[etree._Element]:
    """The marks of fields that cross the container's edge, in order: a field begun and
    ended within it (a page number beside the tag) goes with it, as docxtpl always did."""
    crossing: list[etree._Element] = []
    open_fields: list[list[etree._Element]] = []  # the marks of each field begun here, inner last
    for mark in marks:
        kind = mark.get(_FLD_CHAR_TYPE) if mark.tag == _FLD_CHAR else None
        if kind == "begin":
            open_fields.append([mark])
        elif not open_fields:
            crossing.append(mark)  # a field begun before the container
        elif kind == "end":
            whole = [*open_fields.pop(), mark]
            if open_fields:  # a field inside a field still open: it goes where that one goes
                open_fields[-1] += whole
        else:
            open_fields[-1].append(mark)
    for field_marks in open_fields:  # begun here and ended after the container
        crossing += field_marks
    order = {id(mark): index for index, mark in enumerate(marks)}
    return sorted(crossing, key=lambda mark: order[id(mark)])


def _neighbour(
    container: etree._Element, paragraphs: list[etree._Element], number: dict[int, int], *, forward
) -> etree._Element | None:
    """The paragraph just before (or after) the container: for a paragraph, beside it in the
    same body, cell or content control, so a field never crosses into another; for a cell
    or row, the paragraph before or after it in the document."""
    if container.tag == _P:
        sibling = container.getnext() if forward else container.getprevious()
        while sibling is not None and sibling.tag not in _BLOCKS:
            sibling = sibling.getnext() if forward else sibling.getprevious()  # bookmarks
        return sibling if sibling is not None and sibling.tag == _P else None
    inside = [number[id(p)] for p in container.iter(_P)]
    if not inside:
        return None
    at = max(inside) + 1 if forward else min(inside) - 1
    return paragraphs[at] if 0 <= at < len(paragraphs) else None


def _deleted(paragraph: etree._Element, doomed: list[etree._Element]) -> bool:
    return any(c is paragraph or c in paragraph.iterancestors() for c in doomed)


def _doomed(root: etree._Element) -> list[etree._Element]:
    """The paragraphs, cells and rows docxtpl deletes for their tags, outermost only, in order."""
    found: dict[etree._Element, None] = {}  # in order, each once (a list's `in` was quadratic)
    for paragraph in root.iter(_P):
        text = "".join(t.text or "" for t in _own(paragraph, _T))
        for kind in _TAG.findall(text):
            container = paragraph if kind == "p" else _ancestor(paragraph, _CONTAINERS[kind])
            if container is not None:
                found.setdefault(container)
    return [c for c in found if not any(a in found for a in c.iterancestors())]


def _own(paragraph: etree._Element, tag: str) -> list[etree._Element]:
    """paragraph's descendants of tag that are not in a paragraph inside it (a text box's)."""
    return [e for e in paragraph.iter(tag) if _ancestor(e, _P) is paragraph]


def _ancestor(element: etree._Element, tag: str) -> etree._Element | None:
    return next(element.iterancestors(tag), None)


def _tag_start(container: etree._Element) -> etree._Element | None:
    """The text element in which the container's first deleting tag begins."""
    texts = [t for t in container.iter(_T)]
    joined, owners = "", []
    for text in texts:
        joined += text.text or ""
        owners += [text] * len(text.text or "")
    match = _TAG.search(joined)
    return owners[match.start()] if match else None


def _runs(marks: list[etree._Element]) -> list[etree._Element]:
    """New runs holding the marks (taken out of their own runs), each with its run's format."""
    runs: list[etree._Element] = []
    last_source = None
    for mark in marks:
        source = mark.getparent()
        if source is not last_source or not runs:
            run = etree.Element(_R)
            properties = source.find(_RPR) if source is not None and source.tag == _R else None
            if properties is not None:
                run.append(deepcopy(properties))
            runs.append(run)
            last_source = source
        runs[-1].append(mark)  # moves it (lxml keeps one parent)
    return runs


def _put(
    runs: list[etree._Element],
    neighbour: etree._Element | None,
    container: etree._Element,
    *,
    forward: bool,
) -> None:
    """The runs at the start of the paragraph after (forward) or the end of the one before,
    or, with no such paragraph kept, in a paragraph of their own beside the container."""
    if neighbour is not None:
        if not forward:
            neighbour.extend(runs)
        else:
            properties = neighbour.find(_PPR)
            index = neighbour.index(properties) + 1 if properties is not None else 0
            for offset, run in enumerate(runs):
                neighbour.insert(index + offset, run)
        return
    paragraph = etree.Element(_P)
    properties = container.find(_PPR) if container.tag == _P else None
    if properties is not None:
        paragraph.append(deepcopy(properties))
    paragraph.extend(runs)
    anchor = container if container.tag == _P else _ancestor(container, _TBL)
    if anchor is None:
        return
    if forward:
        anchor.addnext(paragraph)
    else:
        anchor.addprevious(paragraph)
