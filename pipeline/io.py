"""Files in and out: checking an input before any parser sees it, and writing outputs safely.

Inputs are sniffed by their bytes, not their name, and a workbook's zip
directory is checked against size limits before it is opened, because
neither openpyxl nor calamine bounds decompression (research/validation-anchors.md
section 3). Outputs are written to a temporary file in the same folder and
then renamed over the target, so a crash or a file open in Word never
leaves half a document behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import problems
from pipeline.errors import OutputLocked, WorkbookUnreadable
from pipeline.problems import Problem

# Far beyond any real action plan (a 10,000-action plan is about 2 MB unzipped)
# yet small enough to refuse a decompression bomb before it is inflated.
MAX_ZIP_ENTRIES = 2_000
MAX_PART_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for any part over 1 MB

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"


@dataclass
class CheckedInput:
    """A workbook that passed the byte-level checks, with any warnings about it."""

    path: Path
    macro_enabled: bool = False
    warnings: list[Problem] = field(default_factory=list)


def check_input(path: Path) -> CheckedInput:
    """Check that path is a readable, safe .xlsx workbook, or raise WorkbookUnreadable.

    Tells apart the things officers actually send: a CSV or old .xls renamed,
    an ODS or Word file, a password-protected workbook, a damaged download.
    """
    shown = str(path)
    if not path.is_file():
        raise _unreadable(problems.FILE_NOT_FOUND, path=shown)
    size = path.stat().st_size
    if size == 0:
        raise _unreadable(problems.FILE_EMPTY, path=shown)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_OLE_MAGIC):
        if is_encrypted(path):
            raise _unreadable(problems.FILE_ENCRYPTED, path=shown)
        raise _unreadable(
            problems.FILE_NOT_XLSX, path=shown, found="an old-style Excel 97-2003 file (.xls)"
        )
    if not (head.startswith(_ZIP_MAGIC) or head.startswith(_EMPTY_ZIP_MAGIC)):
        raise _unreadable(problems.FILE_NOT_XLSX, path=shown, found=describe_non_zip(path))
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_sizes(infos, shown)
            names = {info.filename for info in infos}
            _check_kind(archive, names, shown)
            _check_xml_safety(archive, infos, shown)
            macro = "xl/vbaProject.bin" in names or _content_types_say_macro(archive)
    except zipfile.BadZipFile as exc:
        raise _unreadable(problems.FILE_DAMAGED, path=shown, detail=str(exc) or "bad zip") from None
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise _unreadable(problems.FILE_DAMAGED, path=shown, detail=str(exc)) from None
    checked = CheckedInput(path=path, macro_enabled=macro)
    if macro:
        checked.warnings.append(problems.FILE_MACROS.at(path=shown))
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        checked.warnings.append(
            problems.FILE_EXTENSION.at(path=shown, suffix=path.suffix or "(none)")
        )
    return checked


def _unreadable(kind: problems.Kind, **fields: object) -> WorkbookUnreadable:
    problem = kind.at(**fields)
    return WorkbookUnreadable(problem.message, hint=problem.hint, code=kind.code)


def is_encrypted(path: Path) -> bool:
    """True for an OLE file holding an encrypted Office document (a password-protected .xlsx)."""
    try:
        import msoffcrypto

        with path.open("rb") as handle:
            return bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:  # noqa: BLE001 - any failure here means "not an encrypted workbook"
        with path.open("rb") as handle:
            data = handle.read(1_000_000)
        return "EncryptedPackage".encode("utf-16-le") in data


def describe_non_zip(path: Path) -> str:
    """What a file that is not a zip (so not .xlsx or .docx) most likely is, in plain words."""
    with path.open("rb") as handle:
        head = handle.read(2048)
    if head.startswith(b"%PDF"):
        return "a PDF file"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "a web page (HTML)"
    if head.lstrip().startswith(b"<?xml"):
        return "an XML file (perhaps Excel 2003 XML)"
    if head.startswith(b"{\\rtf"):
        return "a rich text (RTF) file"
    text = head.decode("utf-8", errors="replace")
    if text.count("\ufffd") > len(text) // 10 or "\x00" in text:
        return "a file of unrecognised content"
    if "," in text or "\t" in text or ";" in text:
        return "a CSV or text file"
    return "a text file"


@dataclass(frozen=True)
class ZipLimits:
    """How large an Office zip file may be once unpacked (workbooks, Word templates)."""

    entries: int = MAX_ZIP_ENTRIES
    part_bytes: int = MAX_PART_BYTES
    total_bytes: int = MAX_TOTAL_BYTES
    ratio: int = MAX_RATIO


def zip_too_large(infos: list[zipfile.ZipInfo], limits: ZipLimits = ZipLimits()) -> str:
    """Why the zip directory infos is too large to unpack safely, or '' if it is not.

    Only the directory is read, so a decompression bomb is refused before it is inflated.
    """
    if len(infos) > limits.entries:
        return f"{len(infos):,} parts"
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.part_bytes:
            return f"{info.filename} expands to {info.file_size / 1e6:,.0f} MB"
        if info.file_size > 1_000_000 and info.file_size > limits.ratio * max(
            info.compress_size, 1
        ):
            return f"{info.filename} expands {info.file_size // max(info.compress_size, 1):,} times"
    if total > limits.total_bytes:
        return f"expands to {total / 1e6:,.0f} MB"
    return ""


def _check_sizes(infos: list[zipfile.ZipInfo], shown: str) -> None:
    detail = zip_too_large(infos)
    if detail:
        raise _unreadable(problems.FILE_TOO_LARGE, path=shown, detail=detail)


def _check_kind(archive: zipfile.ZipFile, names: set[str], shown: str) -> None:
    if "word/document.xml" in names:
        raise _unreadable(problems.FILE_NOT_XLSX, path=shown, found="a Word document")
    if "ppt/presentation.xml" in names:
        raise _unreadable(problems.FILE_NOT_XLSX, path=shown, found="a PowerPoint presentation")
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100]
        if b"opendocument.spreadsheet" in mimetype:
            found = "an OpenDocument spreadsheet (.ods)"
        else:
            found = "an OpenDocument file"
        raise _unreadable(problems.FILE_NOT_XLSX, path=shown, found=found)
    if "xl/workbook.bin" in names:
        raise _unreadable(
            problems.FILE_NOT_XLSX, path=shown, found="an Excel binary workbook (.xlsb)"
        )
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _unreadable(
            problems.FILE_DAMAGED,
            path=shown,
            detail="it has no workbook part; it may not be an Excel file",
        )
    workbook_head = archive.read("xl/workbook.xml")[:2000]
    if b"purl.oclc.org/ooxml/spreadsheetml" in workbook_head:
        raise _unreadable(
            problems.FILE_NOT_XLSX,
            path=shown,
            found="saved as 'Strict Open XML Spreadsheet'",
        )


def _check_xml_safety(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], shown: str) -> None:
    """Refuse any XML part with a DOCTYPE: Excel never writes one, entity attacks need one."""
    part = unsafe_xml_part(archive, infos)
    if part:
        raise _unreadable(problems.FILE_UNSAFE, path=shown, part=part)


def unsafe_xml_part(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str:
    """The first XML part declaring a DOCTYPE or entity (Office never writes one), or ''."""
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as part:
            head = part.read(4096)
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
            return info.filename
    return ""


def _content_types_say_macro(archive: zipfile.ZipFile) -> bool:
    return b"macroEnabled" in archive.read("[Content_Types].xml")


# ---------------------------------------------------------------------------- outputs

_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def safe_filename(text: str, fallback: str = "action-plan", max_length: int = 80) -> str:
    """A file name made from plan text: no path parts, no reserved or Windows-illegal names."""
    name = _UNSAFE_NAME.sub("-", text)
    name = re.sub(r"\s+", "-", name.strip())
    name = re.sub(r"-{2,}", "-", name).strip("-. ")
    name = name.replace("..", ".")[:max_length].rstrip("-. ")
    if not name or name.lower().split(".")[0] in _RESERVED:
        return fallback
    return name


def output_path(out_dir: Path, name: str) -> Path:
    """`out_dir/name`, checked to stay inside out_dir whatever the name held."""
    target = out_dir / name
    if target.resolve().parent != out_dir.resolve():
        raise OutputLocked(f"Refusing to write outside {out_dir}: {name}")
    return target


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside target; on success, rename it over target.

    The temporary file lives in the same folder so the rename is atomic. If
    the target is open in Word or Excel on Windows the rename fails, the old
    file is left intact and the user is told to close it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent
    )
    os.close(handle)
    temp = Path(temp_name)
    # mkstemp creates the file private (0600); give it the usual permissions instead.
    umask = os.umask(0)
    os.umask(umask)
    temp.chmod(0o666 & ~umask)
    try:
        yield temp
        with temp.open("rb") as written:
            os.fsync(written.fileno())
        try:
            os.replace(temp, target)
        except PermissionError:
            raise OutputLocked(
                f"Cannot replace {target}: it is open in another program.",
                hint=f"Close {target.name} (in Word or Excel) and run the command again.",
            ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Call write(temp_path), then move the result into place atomically."""
    with atomic_path(target) as temp:
        write(temp)
    return target
