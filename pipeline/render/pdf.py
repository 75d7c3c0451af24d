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
a timeout, Ctrl+C or SIGTERM the whole group is killed so neither is left
running, and its folder is removed. On Linux LibreOffice runs under a shell
that the kernel signals when eqplan dies, even by `kill -9`, and that then
kills the group: Debian's `soffice` execs oosplash, which starts soffice.bin
as its own child, so a signal to the first process alone would leave
soffice.bin running. The folder of a run killed that way is removed by the
next conversion.

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
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import BuildIncomplete, EqplanError
from pipeline.io import public_path, write_atomic
from pipeline.render.isolation import signalled_with_this_process
from pipeline.render.limits import PDF_SECONDS
from pipeline.render.pdf_tags import finish_tagging
from pipeline.temporaries import remove_stale_folders

TIMEOUT_SECONDS = PDF_SECONDS
#: writer_pdf_Export options: tagged (structure for screen readers), PDF/UA declared, and the
#: document title, not the file name, in the reader's title bar.
TAGGED_PDF = {
    name: {"type": "boolean", "value": "true"}
    for name in ("UseTaggedPDF", "PDFUACompliance", "DisplayPDFDocumentTitle")
}
UNO_SCRIPT = Path(__file__).with_name("uno_export.py")
#: Each conversion's folder in the system's temporary folder: `eqplan-lo-<process id>-...`.
WORK_PREFIX = "eqplan-lo-"
#: Linux: LibreOffice's command runs under this shell, its group's leader (module note). SIGTERM
#: is the death signal _run asks for: the shell, unlike LibreOffice, can act on it.
_GROUP_GUARD = ["/bin/sh", "-c", 'trap "kill -KILL 0" TERM; "$@" & wait $!', "eqplan-libreoffice"]
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
    remove_stale_folders(Path(tempfile.gettempdir()), WORK_PREFIX)
    # A LibreOffice that outlived its group (another user's, on Windows) may still be writing
    # its profile: the folder is then left for the system to clear, never a traceback.
    with (
        _sigterm_stops_in_order(),
        tempfile.TemporaryDirectory(
            prefix=f"{WORK_PREFIX}{os.getpid()}-", ignore_cleanup_errors=True
        ) as scratch,
    ):
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
                _mend_tags(produced)
                check_pdf(produced, public_path(target))
        write_atomic(target, lambda temp: shutil.copyfile(produced, temp), inputs=[source])


def _mend_tags(path: Path) -> None:
    """finish_tagging, as a repair that may fail: LibreOffice's PDF is then kept as it was."""
    original = path.read_bytes()
    try:
        finish_tagging(path)
    except Exception:  # noqa: BLE001 - a PDF without the mends is still a good, tagged PDF
        path.write_bytes(original)


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


@contextlib.contextmanager
def _sigterm_stops_in_order() -> Iterator[None]:
    """While LibreOffice converts, SIGTERM (a service manager stopping eqplan) ends eqplan as
    Ctrl+C does: LibreOffice's group is killed, its folder and the staged outputs removed,
    and eqplan exits with the status a death by SIGTERM gives (143).

    Only where SIGTERM would otherwise end the process on the spot: in the main thread,
    with no handler of its own (the web server has one).
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def stop(signal_number: int, _frame: object) -> None:
        raise SystemExit(128 + signal_number)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(command: list[str], timeout: float, log_path: Path, name: str) -> str:
    """Run LibreOffice in its own process group; kill the whole group if it overruns.

    Where the kernel can signal a program when eqplan dies, the command runs under
    _GROUP_GUARD, which kills the group then (module note).
    """
    guard = signalled_with_this_process(signal.SIGTERM)
    if guard is not None:
        command = [*_GROUP_GUARD, *command]
    # Output goes to a file, not a pipe, so a child still holding it cannot stall the wait.
    with log_path.open("w+", encoding="utf-8", errors="replace") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=guard,
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
        except BaseException:  # Ctrl+C or SIGTERM: leave nothing running
            _kill_group(process)
            raise
        _kill_group(process)  # what it started and left running (soffice.bin after a failure)
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
