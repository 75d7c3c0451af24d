"""PDF copies through LibreOffice, when it is installed.

LibreOffice exits 0 even when it could not load the file, so success is
judged by the file it leaves (research/validation-anchors.md section 4): a
PDF must open and have at least one page before it replaces an older one.
pypdf does that check: it is pure Python (no compiled parts to install on a
council laptop, unlike pikepdf) and, unlike poppler's pdfinfo, it is always
there, so the check never silently falls away.

Each conversion uses its own throwaway LibreOffice profile, so it works
beside an open LibreOffice window and in parallel test runs. LibreOffice
runs in a process group of its own: `soffice` starts `soffice.bin`, and on
a timeout the whole group is killed so neither is left running.

A Word plan becomes a tagged PDF that declares PDF/UA (LibreOffice's
writer_pdf_Export options in TAGGED_PDF). When LibreOffice's Python bridge
is installed (python3-uno on Debian and Ubuntu; built in on Windows and
macOS), render/uno_export.py first refreshes the contents list so it shows
page numbers; without it, `--convert-to` passes the same options as JSON
(LibreOffice 7.4 or later) and the contents list has no page numbers, which
the build says in a note.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import uuid
import warnings
from pathlib import Path
from typing import Any

from pipeline.errors import BuildIncomplete, EqplanError
from pipeline.io import public_path, write_atomic

TIMEOUT_SECONDS = 300.0
#: writer_pdf_Export options: tagged (structure for screen readers), PDF/UA declared, and the
#: document title, not the file name, in the reader's title bar.
TAGGED_PDF = {
    name: {"type": "boolean", "value": "true"}
    for name in ("UseTaggedPDF", "PDFUACompliance", "DisplayPDFDocumentTitle")
}
UNO_SCRIPT = Path(__file__).with_name("uno_export.py")
NO_PAGE_NUMBERS = (
    "The PDF's contents list has no page numbers: LibreOffice's Python bridge is not installed "
    "(Debian/Ubuntu: apt install python3-uno)."
)


class PdfUnavailable(EqplanError):
    """LibreOffice is not installed, so no PDF can be made."""


class PdfInvalid(BuildIncomplete):
    """LibreOffice produced a file that is not a usable PDF (exit code 3)."""


class PdfTimeout(EqplanError):
    """LibreOffice overran its time and was stopped."""


def find_soffice() -> str | None:
    """The LibreOffice command, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """The LibreOffice command; PdfUnavailable, with how to install it, when there is none."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable(
            "LibreOffice is not installed, so no PDF was written.",
            hint="Install it (Debian/Ubuntu: apt install libreoffice-writer-nogui) or save as PDF from Word.",
        )
    return soffice


def convert(
    source: Path,
    out_dir: Path,
    target_format: str = "pdf",
    *,
    target: Path | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> Path:
    """Convert source with LibreOffice and return the new file's path.

    The result goes to target, or to out_dir under source's name with the new
    extension; it replaces an older file only once it has been checked. A
    Word document (.docx) converted to "pdf" becomes a tagged PDF (see
    export_plan_pdf).
    """
    extension = target_format.split(":")[0]
    target = target or out_dir / f"{public_path(source).stem}.{extension}"
    if target_format == "pdf" and source.suffix.lower() == ".docx":
        export_plan_pdf(source, target, timeout=timeout)
    else:
        _convert(source, target, target_format, timeout)
    return target


def export_plan_pdf(source: Path, target: Path, *, timeout: float = TIMEOUT_SECONDS) -> str | None:
    """Write the Word plan at source to target as a tagged PDF that declares PDF/UA.

    Through UNO when LibreOffice's Python bridge is there, so the contents
    list is refreshed with page numbers; otherwise, or if that fails, through
    `--convert-to` with the same options. Returns a note for the officer when
    the contents list has no page numbers, else None.
    """
    python = uno_python(require_soffice())
    if python is not None:
        try:
            _convert(source, target, "pdf", timeout, uno=python, tagged=True)
            return None
        except (PdfInvalid, PdfTimeout):  # trying again would fail the same way, or as slowly
            raise
        except EqplanError:
            pass  # the bridge is broken: the plain conversion still makes a tagged PDF
    options = "pdf:writer_pdf_Export:" + json.dumps(TAGGED_PDF)
    _convert(source, target, options, timeout, tagged=True)
    return NO_PAGE_NUMBERS


@functools.cache
def uno_python(soffice: str) -> str | None:
    """A Python that can drive this LibreOffice through UNO, or None.

    Looked for only when LibreOffice's own folder has the bridge (pyuno): its
    bundled Python (Windows, macOS), else the system's python3 (Debian's
    python3-uno), each asked to import uno.
    """
    program = Path(soffice).resolve().parent
    if not any(program.glob("*pyuno*")):
        return None
    found = shutil.which("python3")
    candidates = [program / "python", program / "python.exe", Path("/usr/bin/python3")]
    candidates += [Path(found)] if found else []
    for candidate in candidates:
        if not candidate.is_file():
            continue
        try:
            probe = subprocess.run(
                [str(candidate), "-c", "import uno"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return str(candidate)
    return None


def _convert(
    source: Path,
    target: Path,
    target_format: str,
    timeout: float,
    *,
    uno: str | None = None,
    tagged: bool = False,
) -> None:
    """Convert source to target with LibreOffice (through the UNO script when uno names a Python).

    tagged: the PDF is tagged, so finish_tagging mends what LibreOffice gets wrong.
    """
    soffice = require_soffice()
    extension = target_format.split(":")[0]
    shown = public_path(source)
    with tempfile.TemporaryDirectory(prefix="eqplan-lo-") as scratch:
        folder = Path(scratch)
        profile, converted = folder / "profile", folder / "out"
        converted.mkdir()
        # LibreOffice names its output after its input: give it a copy under the public name.
        (folder / "in").mkdir()
        private = shutil.copyfile(source, folder / "in" / shown.name)
        produced = converted / f"{shown.stem}.{extension}"
        if uno is not None:
            pipe = f"eqplan-{os.getpid()}-{uuid.uuid4().hex[:12]}"
            options = json.dumps(TAGGED_PDF)
            command = [uno, str(UNO_SCRIPT), soffice, profile.as_uri(), pipe]
            command += [str(private), str(produced), options]
        else:
            command = [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target_format,
                "--outdir",
                str(converted),
                str(private),
            ]
        log = _run(command, timeout, folder / "log.txt", shown.name)
        if not produced.is_file() or produced.stat().st_size == 0:
            detail = log.strip().splitlines()
            raise EqplanError(
                f"LibreOffice could not convert {shown.name}"
                + (f": {detail[-1]}" if detail else "."),
            )
        if extension == "pdf":
            check_pdf(produced, public_path(target))
            if tagged:
                finish_tagging(produced)
        write_atomic(target, lambda temp: shutil.copyfile(produced, temp), inputs=[source])


def check_pdf(path: Path, shown: Path) -> int:
    """The page count of the PDF at path; PdfInvalid if it does not open or has no pages."""
    from pypdf import PdfReader

    hint = "Try again; if it keeps failing, build without --pdf and save the plan as PDF from Word."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pages = len(PdfReader(path).pages)
    except Exception as exc:  # noqa: BLE001 - any failure to read means an unusable PDF
        raise PdfInvalid(
            f"The PDF LibreOffice made for {shown} is not a readable PDF ({exc}), so it was "
            "not saved.",
            hint=hint,
        ) from None
    if pages == 0:
        raise PdfInvalid(
            f"The PDF LibreOffice made for {shown} has no pages, so it was not saved.", hint=hint
        )
    return pages


#: Operators that draw a line or fill a shape (ISO 32000-1, table 59).
PAINTING = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})


def finish_tagging(path: Path) -> None:
    """Mend two faults of LibreOffice 7.4's tagged PDF in place, as an incremental update.

    Pages with links get the tab order /Tabs /S as a name (LibreOffice writes
    the string "S", which PDF/UA validators do not accept), and lines and
    fills drawn outside any tag, such as a paragraph's border under a
    heading, are marked as decoration (/Artifact) so that no content is left
    untagged. Text and pictures are never touched: untagged ones would stay
    untagged and fail the tests. Only the changed objects are appended, so
    this takes a fraction of a second even for a 500-page plan.
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
    if changed or added:
        first_new = int(reader.trailer["/Size"])
        objects = sorted(changed.items()) + [(first_new + i, o) for i, o in enumerate(added)]
        with path.open("ab") as file:
            file.write(_incremental_update(reader, objects, len(data), int(previous[-1])))


def _incremental_update(
    reader: Any, objects: list[tuple[int, Any]], offset: int, prev: int
) -> bytes:
    """The bytes of an update section (ISO 32000-1, 7.5.6) replacing or adding objects."""
    from pypdf.generic import DictionaryObject, NameObject, NumberObject

    out = io.BytesIO()
    out.write(b"\n")
    offsets: dict[int, int] = {}
    for number, obj in objects:
        offsets[number] = offset + out.tell()
        out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(out)
        out.write(b"\nendobj\n")
    table = offset + out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f \n")
    for number in sorted(offsets):
        out.write(f"{number} 1\n{offsets[number]:010d} 00000 n \n".encode())
    trailer = DictionaryObject()
    for key in ("/Root", "/Info", "/ID"):
        if key in reader.trailer:
            trailer[NameObject(key)] = reader.trailer.raw_get(key)
    size = max([int(reader.trailer["/Size"]), *(n + 1 for n in offsets)])
    trailer[NameObject("/Size")] = NumberObject(size)
    trailer[NameObject("/Prev")] = NumberObject(prev)
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{table}\n%%EOF\n".encode())
    return out.getvalue()


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


def _run(command: list[str], timeout: float, log_path: Path, name: str) -> str:
    """Run LibreOffice in its own process group; kill the whole group if it overruns."""
    # Output goes to a file, not a pipe, so a child still holding it cannot stall the wait.
    with log_path.open("w+", encoding="utf-8", errors="replace") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise PdfTimeout(
                f"LibreOffice took over {timeout:g} s converting {name}, so it was stopped "
                "and no PDF was written.",
                hint="Try again with a longer --pdf-timeout, or build without --pdf and save the "
                "plan as PDF from Word.",
            ) from None
        except BaseException:  # Ctrl+C: leave nothing running
            _kill_group(process)
            raise
        log.seek(0)
        return log.read()


def _kill_group(process: subprocess.Popen) -> None:
    """Kill process and every child it started (its process group), then reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    process.wait()
