"""Checking an input file before any parser sees it: kind, encryption, size, XML safety.

An input may be a path or a binary stream (pipeline/sources.py): a stream
is read into memory once, capped at MAX_STREAM_BYTES, and then gets every
check a file gets. Inputs are sniffed by their bytes, not their name, and a workbook's zip
directory is checked against size limits before it is opened, because
neither openpyxl nor calamine bounds decompression (research/validation-anchors.md
section 3). Word templates go through the same checks with their own limits
(render/template_file.py).
"""

from __future__ import annotations

import dataclasses
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath

from pipeline import problems
from pipeline.errors import WorkbookUnreadable
from pipeline.i18n import N_, _
from pipeline.problems import Problem
from pipeline.sources import UPLOAD_NAME, InputFile, Source, StreamTooLarge, as_input
from pipeline.text import shortened

# A decompression bomb is judged by how much it would unzip to, read from the
# zip directory before anything is inflated. The limits are far beyond any
# real action plan (the 10,000-action benchmark plan unzips to 11 MB) yet
# small enough that reading stays within memory. The ratio of unzipped to
# zipped size is no test: long repetitive text (the same sentence pasted down
# a column) legitimately squeezes 200 times or more. Keep these figures in
# step with FILE_TOO_LARGE's meaning in problems.py (tests/test_io.py checks).
MAX_ZIP_ENTRIES = 2_000
MAX_PART_BYTES = 100_000_000  # 100 MB unzipped, for any one part
MAX_TOTAL_BYTES = 200_000_000  # 200 MB unzipped, all parts together

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
#: How the name of Excel's lock file starts (`~$plan.xlsx` while plan.xlsx is open).
EXCEL_LOCK_PREFIX = "~$"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"


@dataclass
class CheckedInput:
    """A workbook that passed the byte-level checks, with any warnings about it."""

    source: InputFile
    macro_enabled: bool = False
    warnings: list[Problem] = field(default_factory=list)

    @property
    def path(self) -> Path | None:
        return self.source.path


#: The most read into memory from a stream: no workbook under the unzipped limit is larger.
MAX_STREAM_BYTES = MAX_TOTAL_BYTES


def open_workbook(source: Source, name: str | None = None) -> InputFile:
    """source (a path or a binary stream) as an InputFile; a stream is read once, size-capped.

    name is how messages name a stream ("the uploaded workbook" if none is given).
    """
    try:
        return as_input(source, name, limit=MAX_STREAM_BYTES)
    except StreamTooLarge as exc:
        raise _unreadable(
            problems.FILE_TOO_LARGE, path=name or UPLOAD_NAME, detail=str(exc)
        ) from None
    except OSError as exc:
        raise _unreadable(
            problems.FILE_DAMAGED,
            path=name or UPLOAD_NAME,
            detail=_("it could not be read: %(why)s") % {"why": exc},
        ) from None


def check_input(source: Source, name: str | None = None) -> CheckedInput:
    """Check that source is a readable, safe .xlsx workbook, or raise WorkbookUnreadable.

    source is a path or a binary stream (see open_workbook); a stream gets
    exactly the checks a file gets. Tells apart the things officers actually
    send: a CSV or old .xls renamed, an ODS or Word file, a password-protected
    workbook, a damaged download.
    """
    file = open_workbook(source, name)
    shown = file.shown
    if not file.exists():
        raise _unreadable(problems.FILE_NOT_FOUND, path=shown)
    if file.size() == 0:
        raise _unreadable(problems.FILE_EMPTY, path=shown)
    with file.open() as handle:
        head = handle.read(8)
    if head.startswith(_OLE_MAGIC):
        if is_encrypted(file):
            raise _unreadable(problems.FILE_ENCRYPTED, path=shown)
        raise _unreadable(
            problems.FILE_NOT_XLSX, path=shown, found=_("an old-style Excel 97-2003 file (.xls)")
        )
    if not (head.startswith(_ZIP_MAGIC) or head.startswith(_EMPTY_ZIP_MAGIC)):
        if PurePath(shown).name.startswith(EXCEL_LOCK_PREFIX):  # beside an open workbook
            raise _unreadable(problems.FILE_IS_LOCK, path=shown)
        raise _unreadable(problems.FILE_NOT_XLSX, path=shown, found=_(describe_non_zip(file)))
    try:
        with file.open() as handle, zipfile.ZipFile(handle) as archive:
            check_zip_entries(archive)
            infos = archive.infolist()
            _check_sizes(infos, shown)
            names = {info.filename for info in infos}
            _check_kind(archive, names, shown)
            _check_xml_safety(archive, infos, shown)
            macro = "xl/vbaProject.bin" in names or _content_types_say_macro(archive)
    except ZIP_ERRORS as exc:
        raise _unreadable(problems.FILE_DAMAGED, path=shown, detail=zip_damage(exc)) from None
    checked = CheckedInput(source=file, macro_enabled=macro)
    if macro:
        checked.warnings.append(as_sentence(problems.FILE_MACROS.at(path=shown)))
    suffix = file.suffix.lower()
    if (file.filename or not file.is_stream) and suffix not in (".xlsx", ".xlsm"):
        checked.warnings.append(
            as_sentence(problems.FILE_EXTENSION.at(path=shown, suffix=file.suffix or "(none)"))
        )
    return checked


#: What reading a zip can raise when the file is damaged or hostile: a bad directory
#: (BadZipFile), deflate data that does not inflate (zlib.error), an entry marked
#: encrypted (RuntimeError), a name that is not the UTF-8 it claims (UnicodeDecodeError).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    RuntimeError,
    UnicodeDecodeError,
    NotImplementedError,
    EOFError,
    OSError,
)
_ENCRYPTED_FLAG = 0x1


def check_zip_entries(archive: zipfile.ZipFile) -> None:
    """Raise zipfile.BadZipFile for an entry no reader could use safely, from its header alone.

    An entry marked encrypted cannot be read without a password; two entries
    whose names are the same ignoring case (or twice the same) are one part to
    Excel and calamine, so which one a reader takes is a matter of chance (Open
    Packaging Conventions: a package may not hold equivalent part names).
    Names that are not valid UTF-8 fail earlier, when the zip is opened.
    """
    seen: dict[str, str] = {}
    for info in archive.infolist():
        if info.flag_bits & _ENCRYPTED_FLAG:
            name = _shown_name(info.filename)
            raise zipfile.BadZipFile(_("the part %(name)s is encrypted") % {"name": name})
        key = part_key(info.filename)
        if key in seen:
            twice = (
                N_("it holds the part %(name)s twice")
                if seen[key] == info.filename
                else N_("it holds the part %(name)s twice (under names differing in capitals)")
            )
            raise zipfile.BadZipFile(_(twice) % {"name": _shown_name(info.filename)})
        seen[key] = info.filename


def part_key(name: str) -> str:
    """A zip entry's name as Excel and calamine compare it: `\\` as `/`, ASCII letters lower-cased."""
    return name.replace("\\", "/").translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _shown_name(name: str) -> str:
    return repr(name[:60])


#: What zipfile says of a file with no zip directory (cut short, or never a zip).
_NOT_A_ZIP = "File is not a zip file"


def zip_damage(exc: BaseException) -> str:
    """What a ZIP_ERRORS exception means, in plain words for FILE_DAMAGED."""
    if isinstance(exc, zlib.error):
        return _("the compressed data of one of its parts is corrupt")
    if isinstance(exc, UnicodeDecodeError):
        return _("the name of one of its parts is not readable text")
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        return _("one of its parts is encrypted")
    if str(exc) == _NOT_A_ZIP:  # zipfile's words for a file cut short or not a zip at all
        return _("its zip structure is broken; it may have been cut short while being copied")
    return str(exc) or type(exc).__name__


def _unreadable(kind: problems.Kind, **fields: object) -> WorkbookUnreadable:
    problem = as_sentence(kind.at(**fields))
    return WorkbookUnreadable(problem.message, hint=problem.hint, code=kind.code)


def as_sentence(problem: Problem) -> Problem:
    """The problem with "the uploaded workbook" capitalised where it starts the message."""
    if not problem.message.startswith(UPLOAD_NAME):
        return problem
    return dataclasses.replace(problem, message=problem.message[:1].upper() + problem.message[1:])


def is_encrypted(source: Path | InputFile) -> bool:
    """True for an OLE file holding an encrypted Office document (a password-protected .xlsx)."""
    file = source if isinstance(source, InputFile) else InputFile.from_path(source)
    try:
        import msoffcrypto

        with file.open() as handle:
            return bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:  # noqa: BLE001 - any failure here means "not an encrypted workbook"
        with file.open() as handle:
            data = handle.read(1_000_000)
        return "EncryptedPackage".encode("utf-16-le") in data


def describe_non_zip(source: Path | InputFile) -> str:
    """What a file that is not a zip (so not .xlsx or .docx) most likely is, in plain English
    words: a message of the catalogue, so FILE_NOT_XLSX says it in the language being
    written (`_(describe_non_zip(file))`)."""
    file = source if isinstance(source, InputFile) else InputFile.from_path(source)
    with file.open() as handle:
        head = handle.read(2048)
    if head.startswith(b"%PDF"):
        return N_("a PDF file")
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return N_("a web page (HTML)")
    if head.lstrip().startswith(b"<?xml"):
        return N_("an XML file (perhaps Excel 2003 XML)")
    if head.startswith(b"{\\rtf"):
        return N_("a rich text (RTF) file")
    text = head.decode("utf-8", errors="replace")
    if text.count("\ufffd") > len(text) // 10 or "\x00" in text:
        return N_("a file of unrecognised content")
    if "," in text or "\t" in text or ";" in text:
        return N_("a CSV or text file")
    return N_("a text file")


@dataclass(frozen=True)
class ZipLimits:
    """How large an Office zip file may be once unpacked (workbooks, Word templates).

    Workbooks are judged by absolute size only: long repetitive text squeezes
    hundreds of times and is still a plan. A Word template has no such text, so
    it may also set `ratio`, refusing any part over 1 MB that expands more.
    """

    entries: int
    part_bytes: int
    total_bytes: int
    ratio: int | None = None


def zip_too_large(infos: list[zipfile.ZipInfo], limits: ZipLimits | None = None) -> str:
    """Why the zip directory infos is too large to unpack safely, or '' if it is not.

    Only the directory is read, so a decompression bomb is refused before it is inflated.
    """
    limits = limits or ZipLimits(MAX_ZIP_ENTRIES, MAX_PART_BYTES, MAX_TOTAL_BYTES)
    if len(infos) > limits.entries:
        return f"{len(infos):,} parts"
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.part_bytes:
            return (
                f"{info.filename} unzips to {_megabytes(info.file_size)}; "
                f"the limit is {_megabytes(limits.part_bytes)} a part"
            )
        squeezed = info.file_size // max(info.compress_size, 1)
        if limits.ratio and info.file_size > 1_000_000 and squeezed > limits.ratio:
            return f"{info.filename} expands {squeezed:,} times"
    if total > limits.total_bytes:
        return f"it unzips to {_megabytes(total)}; the limit is {_megabytes(limits.total_bytes)}"
    return ""


def _check_sizes(infos: list[zipfile.ZipInfo], shown: str) -> None:
    """Refuse a workbook whose parts would unzip to more than the limits, before inflating any."""
    detail = zip_too_large(infos)
    if detail:
        raise _unreadable(problems.FILE_TOO_LARGE, path=shown, detail=detail)


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def _zip_of(names: set[str]) -> str:
    """A plain zip of files (eqplan's own documents, say), named by what it holds, in the
    language being written."""
    files = sorted(PurePosixPath(name).name for name in names if not name.endswith("/"))
    shown = ", ".join(files[:3]) + (", ..." if len(files) > 3 else "")
    if any(name.lower().endswith(".xlsx") for name in files):  # Excel cannot open the zip
        shown += _("; unzip it and give the workbook it holds")
    if not files:
        return _("an empty zip file")
    return _("a zip file of other files (%(files)s)") % {"files": shown}


def _check_kind(archive: zipfile.ZipFile, names: set[str], shown: str) -> None:
    if "word/document.xml" in names:
        raise _unreadable(problems.FILE_NOT_XLSX, path=shown, found=_("a Word document"))
    if "ppt/presentation.xml" in names:
        found = _("a PowerPoint presentation")
        raise _unreadable(problems.FILE_NOT_XLSX, path=shown, found=found)
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100]
        if b"opendocument.spreadsheet" in mimetype:
            found = _("an OpenDocument spreadsheet (.ods)")
        else:
            found = _("an OpenDocument file")
        raise _unreadable(problems.FILE_NOT_XLSX, path=shown, found=found)
    if "xl/workbook.bin" in names:
        raise _unreadable(
            problems.FILE_NOT_XLSX, path=shown, found=_("an Excel binary workbook (.xlsb)")
        )
    if "[Content_Types].xml" not in names and not any(n.startswith("xl/") for n in names):
        raise _unreadable(problems.FILE_NOT_XLSX, path=shown, found=_zip_of(names))
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _unreadable(
            problems.FILE_DAMAGED,
            path=shown,
            detail=_("it has no workbook part; it may not be an Excel file"),
        )
    workbook_head = archive.read("xl/workbook.xml")[:2000]
    if b"purl.oclc.org/ooxml/spreadsheetml" in workbook_head:
        raise _unreadable(
            problems.FILE_NOT_XLSX,
            path=shown,
            found=_("saved as 'Strict Open XML Spreadsheet'"),
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


def damaged_zip_entry(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str:
    """Why some entry of archive cannot be read ('' if every one can), in plain words.

    The headers are checked first (check_zip_entries), then every entry is
    inflated in pieces and its checksum checked, so call it only after
    zip_too_large said the sizes are sensible. Opening the zip itself can
    raise UnicodeDecodeError for a badly named entry: catch ZIP_ERRORS around
    ZipFile() too.
    """
    try:
        check_zip_entries(archive)
    except zipfile.BadZipFile as exc:
        return str(exc)
    for info in infos:
        name = printable_name(info.filename)
        if info.flag_bits & _ENCRYPTED_FLAG:
            return _("the part %(name)s is encrypted") % {"name": name}
        try:
            with archive.open(info) as part:
                while part.read(1 << 20):
                    pass
        except ZIP_ERRORS as exc:
            return _("the part %(name)s is damaged (%(why)s)") % {
                "name": name,
                "why": zip_damage(exc),
            }
    return ""


def printable_name(name: str, limit: int = 80) -> str:
    """A zip entry's name safe to print: control characters as '?', cut to limit characters."""
    return shortened("".join(c if c.isprintable() else "?" for c in name), limit)


def _content_types_say_macro(archive: zipfile.ZipFile) -> bool:
    return b"macroEnabled" in archive.read("[Content_Types].xml")
