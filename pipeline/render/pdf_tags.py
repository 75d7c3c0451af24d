"""Mend what LibreOffice 7.4 gets wrong in a tagged PDF, without rewriting the file.

Three faults make PDF/UA validators (veraPDF, PAC) fail a plan that is
otherwise well tagged: the tab order of pages with links is written as the
string "S" where PDF wants the name /S, a paragraph's border (the rule
under the council's name on the cover) is drawn outside any tag, and each
entry of the contents list is tagged as two Link elements (its heading and
its page number) that both claim the same link annotation. All are mended
in an incremental update (ISO 32000-1, 7.5.6): only the changed objects
are appended, so LibreOffice's bytes stay as they were and even a 500-page
plan takes well under a second.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from pipeline.render.pdf_links import merge_doubled_links

#: Operators that draw a line or fill a shape (ISO 32000-1, table 59).
PAINTING = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})


def finish_tagging(path: Path) -> None:
    """Mend three faults of LibreOffice 7.4's tagged PDF in place, as an incremental update.

    Pages with links get the tab order /Tabs /S as a name (LibreOffice writes
    the string "S", which PDF/UA validators do not accept), and lines and
    fills drawn outside any tag, such as a paragraph's border under a
    heading, are marked as decoration (/Artifact) so that no content is left
    untagged. Text and pictures are never touched: untagged ones would stay
    untagged and fail the tests. A link tagged as two Link elements is made
    one (see pdf_links). Only the changed objects are appended, so this takes
    a fraction of a second even for a 500-page plan.
    """
    from pypdf import PdfReader
    from pypdf.generic import ContentStream, DecodedStreamObject, IndirectObject, NameObject

    data = path.read_bytes()
    previous = re.findall(rb"startxref\s+(\d+)", data[-1024:])
    if not previous or not data[int(previous[-1]) :].startswith(b"xref"):
        return  # not a classic cross-reference table: leave the file as LibreOffice wrote it
    reader = PdfReader(path)
    changed: dict[int, Any] = {}
    added: list[Any] = []
    for page in reader.pages:
        reference = page.indirect_reference
        if "/Annots" in page and page.get("/Tabs") != "/S":
            page[NameObject("/Tabs")] = NameObject("/S")
            changed[reference.idnum] = page
        contents = page.get_contents()
        if contents is None or not _paints_untagged(contents.get_data()):
            continue
        operations = _decorations_as_artifacts(ContentStream(contents, reader).operations)
        if operations is not None:
            stream = ContentStream(None, reader)
            stream.operations = operations
            plain = DecodedStreamObject()
            plain.set_data(stream.get_data())
            added.append(plain.flate_encode())
            number = int(reader.trailer["/Size"]) + len(added) - 1
            page[NameObject("/Contents")] = IndirectObject(number, 0, reader)
            changed[reference.idnum] = page
    changed.update(merge_doubled_links(reader))
    if changed or added:
        first_new = int(reader.trailer["/Size"])
        objects = sorted(changed.items()) + [(first_new + i, o) for i, o in enumerate(added)]
        update = _incremental_update(reader, objects, len(data), int(previous[-1]))
        with path.open("ab") as file:
            file.writelines([update])


def _incremental_update(
    reader: Any, objects: list[tuple[int, Any]], offset: int, prev: int
) -> bytes:
    """The bytes of an update section (ISO 32000-1, 7.5.6) replacing or adding objects."""
    from pypdf.generic import DictionaryObject, NameObject, NumberObject

    parts = [b"\n"]
    offsets: dict[int, int] = {}
    for number, obj in objects:
        offsets[number] = offset + sum(map(len, parts))
        parts += [f"{number} 0 obj\n".encode(), _serialized(obj), b"\nendobj\n"]
    table = offset + sum(map(len, parts))
    parts.append(b"xref\n0 1\n0000000000 65535 f \n")
    parts += [f"{n} 1\n{offsets[n]:010d} 00000 n \n".encode() for n in sorted(offsets)]
    trailer = DictionaryObject()
    for key in ("/Root", "/Info", "/ID"):
        if key in reader.trailer:
            trailer[NameObject(key)] = reader.trailer.raw_get(key)
    size = max([int(reader.trailer["/Size"]), *(n + 1 for n in offsets)])
    trailer[NameObject("/Size")] = NumberObject(size)
    trailer[NameObject("/Prev")] = NumberObject(prev)
    parts += [b"trailer\n", _serialized(trailer), f"\nstartxref\n{table}\n%%EOF\n".encode()]
    return b"".join(parts)


def _serialized(obj: Any) -> bytes:
    """A pypdf object as PDF bytes."""
    buffer = io.BytesIO()
    obj.write_to_stream(buffer)
    return buffer.getvalue()


_STRINGS = re.compile(rb"<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)", re.S)
_MARKS_AND_PAINTING = re.compile(
    rb"(?<![A-Za-z0-9/*'\"])(BDC|BMC|EMC|S|s|f\*?|F|B\*?|b\*?)(?![A-Za-z0-9*])"
)


def _paints_untagged(content: bytes) -> bool:
    """A quick look, before pypdf's slow parse: is any line or fill drawn outside marked content?

    Strings are blanked first so their letters are not read as operators; a
    wrong guess only costs a full parse, or leaves a line as LibreOffice drew it.
    """
    depth = 0
    for match in _MARKS_AND_PAINTING.finditer(_STRINGS.sub(b" ", content)):
        operator = match.group(1)
        if operator in (b"BDC", b"BMC"):
            depth += 1
        elif operator == b"EMC":
            depth -= 1
        elif depth <= 0:
            return True
    return False


def _decorations_as_artifacts(operations: list) -> list | None:
    """operations with each untagged q ... Q block that paints wrapped in /Artifact BMC ... EMC.

    None when nothing needs wrapping. Only blocks at the top level of marked
    content and holding no marked content of their own are wrapped.
    """
    from pypdf.generic import NameObject

    result: list = []
    marked = 0  # depth of BMC/BDC
    block: list | None = None  # the q ... Q block being collected at marked depth 0
    nested = 0  # q depth inside that block
    wrapped = False
    for operands, operator in operations:
        name = operator.decode("latin-1") if isinstance(operator, bytes) else str(operator)
        if block is not None:
            block.append((operands, operator))
            if name == "q":
                nested += 1
            elif name == "Q":
                nested -= 1
                if nested == 0:
                    names = {
                        o.decode("latin-1") if isinstance(o, bytes) else str(o) for _, o in block
                    }
                    if names & PAINTING and not names & {"BMC", "BDC", "EMC"}:
                        result.append(([NameObject("/Artifact")], b"BMC"))
                        result.extend(block)
                        result.append(([], b"EMC"))
                        wrapped = True
                    else:
                        result.extend(block)
                    block = None
            continue
        if name in ("BMC", "BDC"):
            marked += 1
        elif name == "EMC":
            marked -= 1
        elif name == "q" and marked == 0:
            block, nested = [(operands, operator)], 1
            continue
        result.append((operands, operator))
    if block is not None:
        result.extend(block)
    return result if wrapped else None
