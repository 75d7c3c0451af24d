"""Files in and out: checking an input before any parser sees it, and writing outputs safely.

Inputs are sniffed by their bytes, not their name, and a workbook's zip
directory is checked against size limits before it is opened, because
neither openpyxl nor calamine bounds decompression (research/validation-anchors.md
section 3). Outputs are written to a temporary file in the same folder and
then renamed over the target, so a crash, a full disk or a file open in
Word never leaves half a document behind; a command's outputs are moved
into place together (OutputSet), and no output may be one of its inputs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import problems
from pipeline.errors import EqplanError, OutputClash, OutputLocked, WorkbookUnreadable
from pipeline.output_errors import cannot_write, find_os_error
from pipeline.problems import Problem
from pipeline.temporaries import (
    hard_link_copy,
    public_path,
    remove_stale_temporaries,
    same_file,
    temporary_beside,
)

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
        if _is_encrypted(path):
            raise _unreadable(problems.FILE_ENCRYPTED, path=shown)
        raise _unreadable(
            problems.FILE_NOT_XLSX, path=shown, found="an old-style Excel 97-2003 file (.xls)"
        )
    if not (head.startswith(_ZIP_MAGIC) or head.startswith(_EMPTY_ZIP_MAGIC)):
        raise _unreadable(problems.FILE_NOT_XLSX, path=shown, found=_describe_non_zip(path))
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


def _is_encrypted(path: Path) -> bool:
    """True for an OLE file holding an encrypted Office document (a password-protected .xlsx)."""
    try:
        import msoffcrypto

        with path.open("rb") as handle:
            return bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:  # noqa: BLE001 - any failure here means "not an encrypted workbook"
        with path.open("rb") as handle:
            data = handle.read(1_000_000)
        return "EncryptedPackage".encode("utf-16-le") in data


def _describe_non_zip(path: Path) -> str:
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
        return "not a workbook (unrecognised content)"
    if "," in text or "\t" in text or ";" in text:
        return "a CSV or text file"
    return "a text file"


def _check_sizes(infos: list[zipfile.ZipInfo], shown: str) -> None:
    """Refuse a workbook whose parts would unzip to more than the limits, before inflating any."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _unreadable(problems.FILE_TOO_LARGE, path=shown, detail=f"{len(infos):,} parts")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            raise _unreadable(
                problems.FILE_TOO_LARGE,
                path=shown,
                detail=f"{info.filename} unzips to {_megabytes(info.file_size)}; "
                f"the limit is {_megabytes(MAX_PART_BYTES)} a part",
            )
    if total > MAX_TOTAL_BYTES:
        raise _unreadable(
            problems.FILE_TOO_LARGE,
            path=shown,
            detail=f"it unzips to {_megabytes(total)}; the limit is {_megabytes(MAX_TOTAL_BYTES)}",
        )


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


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
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as part:
            head = part.read(4096)
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
            raise _unreadable(problems.FILE_UNSAFE, path=shown, part=info.filename)


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


def refuse_overwriting_inputs(
    outputs: Iterable[Path], inputs: Iterable[Path | None], *, hint: str = ""
) -> None:
    """Stop before anything is written when an output path leads to one of the command's inputs.

    Every command calls this with each output it will write and each file it
    reads (workbook, --template, --framework): a workbook named plan.docx, or
    a summary passed back in as the workbook, must never be replaced.
    """
    sources = [source for source in inputs if source is not None]
    for output in outputs:
        for source in sources:
            if same_file(output, source):
                raise OutputClash(
                    f"Refusing to write {output}: it is the same file as the input {source}, "
                    "and eqplan never changes its input files.",
                    hint=hint
                    or "Choose another output folder (-o) or name (--name), or rename the input.",
                )


def refuse_replacing(target: Path) -> None:
    """Stop when target already exists as a file: it may be a plan someone has filled in."""
    if target.is_file():
        raise OutputClash(
            f"{target} already exists, so it was not replaced: it may be a plan someone has "
            "filled in.",
            hint="Choose another name with -o, or add --force to replace it.",
        )


class OutputSet:
    """The outputs of one command, written to temporaries and moved into place together.

    Each output is written to a temporary in its own folder (so the final
    rename is atomic); commit() then replaces every target. If one rename
    fails, the ones already done are put back, so the folder never holds a
    new plan beside an old summary without the error saying so.
    """

    def __init__(self, inputs: Iterable[Path | None] = ()) -> None:
        self.inputs = [source for source in inputs if source is not None]
        self._staged: list[tuple[Path, Path]] = []  # (temporary, target)

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()

    def stage(self, target: Path) -> Path:
        """A new empty temporary beside target, to be written and then committed."""
        refuse_overwriting_inputs([target], self.inputs)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if public_path(target) == target:  # not a writer filling an outer set's temporary
                remove_stale_temporaries(target.parent, keep=self.inputs)
            temp = temporary_beside(target)
        except OSError as exc:
            raise cannot_write(public_path(target), exc) from None
        self._staged.append((temp, target))
        return temp

    def commit(self) -> None:
        """Move every temporary over its target; on a failure, put back what was replaced."""
        for temp, target in self._staged:
            if target.is_dir():
                raise cannot_write(public_path(target), IsADirectoryError(errno.EISDIR, "folder"))
            try:
                with temp.open("rb") as written:
                    os.fsync(written.fileno())
            except OSError as exc:
                raise cannot_write(public_path(target), exc) from None
        done: list[tuple[Path, Path | None, bool]] = []  # (target, backup, existed before)
        backups: list[Path] = []
        try:
            for temp, target in self._staged:
                existed = target.exists()
                backup = hard_link_copy(target) if existed and len(self._staged) > 1 else None
                if backup is not None:
                    backups.append(backup)
                _replace(temp, target)
                done.append((target, backup, existed))
        except EqplanError as error:
            if len(self._staged) > 1:
                _roll_back(done, error)
            raise
        finally:
            for backup in backups:
                with contextlib.suppress(OSError):
                    backup.unlink()
            self.discard()

    def discard(self) -> None:
        """Remove every temporary not yet moved into place."""
        for temp, _target in self._staged:
            with contextlib.suppress(OSError):
                temp.unlink()
        self._staged.clear()


def _replace(temp: Path, target: Path) -> None:
    try:
        os.replace(temp, target)
    except PermissionError:
        raise OutputLocked(
            f"cannot write {public_path(target)}: it is open in another program, "
            "or the folder is read-only.",
            hint=f"Close {public_path(target).name} (in Word or Excel) and run the command again.",
        ) from None
    except OSError as exc:
        raise cannot_write(public_path(target), exc) from None


def _roll_back(done: list[tuple[Path, Path | None, bool]], error: EqplanError) -> None:
    """Put back the outputs already replaced, and say in error which could not be."""
    new = []
    for target, backup, existed in reversed(done):
        try:
            if backup is not None:
                os.replace(backup, target)
            elif not existed:
                target.unlink()
            else:
                new.append(target)
        except OSError:
            new.append(target)
    if new:
        error.message += (
            f" Already replaced by this run: {', '.join(str(p) for p in reversed(new))}; "
            "the other files in the folder are from an earlier run and do not match it."
        )
    else:
        error.message += " No file was changed."


@contextlib.contextmanager
def atomic_path(target: Path, inputs: Iterable[Path | None] = ()) -> Iterator[Path]:
    """Yield a temporary path beside target; on success, rename it over target.

    inputs are the command's input files, which target must not be. Any
    OSError while writing (a full disk, a read-only folder) becomes an
    `Error: cannot write` message and the old target is left as it was. If
    the target is open in Word or Excel on Windows the rename fails, the old
    file is left intact and the user is told to close it.
    """
    with OutputSet(inputs) as outputs:
        temp = outputs.stage(target)
        try:
            yield temp
        except EqplanError:
            raise
        except Exception as exc:
            os_error = find_os_error(exc)
            if os_error is None:
                raise
            raise cannot_write(public_path(target), os_error) from None
        outputs.commit()


def write_atomic(
    target: Path, write: Callable[[Path], object], inputs: Iterable[Path | None] = ()
) -> Path:
    """Call write(temp_path), then move the result into place atomically."""
    with atomic_path(target, inputs) as temp:
        write(temp)
    return target
