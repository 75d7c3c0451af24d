"""A workbook's bytes with nothing left in them that reaches outside the workbook.

The checked copy (render/annotate.py) is the officer's workbook opened and saved
by openpyxl, so whatever formula it holds is live when the copy is opened. This
rewrites the workbook's XML before openpyxl sees it: a cell's formula reaching
outside (outside_formulas.py), filled down or not, loses its formula and keeps
the value it stored; defined names, data validation and conditional formatting
rules reaching outside are left out. Working on the XML means openpyxl never has
to read (or translate, for a filled-down formula) such a formula at all.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from pipeline.workbook.outside_formulas import names_reaching_outside, reaches_outside
from pipeline.workbook.parts import WORKBOOK, Parts

_PARSER = dict(resolve_entities=False, no_network=True, load_dtd=False)
#: Where rules keep their formulas: <formula1>, <formula2>, <formula>, and <xm:f> in extensions.
_RULE_FORMULAS = frozenset({"formula1", "formula2", "formula", "f"})


def without_outside(content: bytes) -> bytes:
    """content (a workbook's bytes) with every formula, name and rule reaching outside the
    workbook taken out; content itself when there was none. What was taken out is not
    counted: the reader reports each such cell, and the rules hold no value of the plan's."""
    changed: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = Parts(archive)
        names = names_reaching_outside(parts.defined_names())
        workbook = parts.find(WORKBOOK)
        if names and workbook:
            changed[workbook] = _without_names(archive.read(workbook), names)
        for part in parts.sheets().values():
            if part.entry and (sheet := _sheet_without(archive.read(part.entry), names)):
                changed[part.entry] = sheet
        if not changed:
            return content
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for item in archive.infolist():
                copy.writestr(item, changed.get(item.filename) or archive.read(item.filename))
    return out.getvalue()


def _without_names(xml: bytes, names: frozenset[str]) -> bytes:
    root = etree.fromstring(xml, etree.XMLParser(**_PARSER))
    for defined in list(root.iter("{*}definedName")):
        if (defined.get("name") or "").upper() in names:
            defined.getparent().remove(defined)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _sheet_without(xml: bytes, names: frozenset[str]) -> bytes:
    """The sheet's XML without formulas or rules reaching outside; b"" if it has none."""
    if b"<" not in xml:
        return b""
    root = etree.fromstring(xml, etree.XMLParser(**_PARSER))
    formulas = [f for f in root.iter("{*}f") if _local(f.getparent()) == "c"]
    shared = {  # a filled-down formula's text is in its first cell only
        f.get("si")
        for f in formulas
        if f.get("t") == "shared" and f.text and reaches_outside(f.text, names)
    }
    found = False
    for formula in formulas:
        text = formula.text or ""
        if (text.strip() and reaches_outside(text, names)) or (
            formula.get("t") == "shared" and not text.strip() and formula.get("si") in shared
        ):
            formula.getparent().remove(formula)  # the cell keeps the value it stored, if any
            found = True
    for kind, holder in (
        ("dataValidation", "dataValidations"),
        ("cfRule", "conditionalFormatting"),
    ):
        for rule in list(root.iter(f"{{*}}{kind}")):
            texts = [e.text or "" for e in rule.iter() if _local(e) in _RULE_FORMULAS]
            if any(reaches_outside(text, names) for text in texts if text.strip()):
                found = True
                parent = rule.getparent()
                parent.remove(rule)
                if _local(parent) == holder and not len(parent):
                    parent.getparent().remove(parent)
                elif parent.get("count") is not None:
                    parent.set("count", str(len(parent)))
    if not found:
        return b""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
