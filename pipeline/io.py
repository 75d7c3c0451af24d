"""Writing outputs safely (inputs are checked in pipeline/input_checks.py).

Outputs are written to a temporary file in the same folder and
then renamed over the target, so a crash, a full disk or a file open in
Word never leaves half a document behind; a command's outputs are moved
into place together (OutputSet), and no output may be one of its inputs.

Every writer also accepts a binary stream instead of a path (a web
handler's response, an io.BytesIO): the document is made whole in a private
temporary folder first and only then copied into the stream, so an error
never leaves half a document in it (write_output).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from pipeline.errors import EqplanError, OutputClash, OutputLocked, OutputUnwritable
from pipeline.output_errors import cannot_write, close_abandoned_zips, find_os_error
from pipeline.sources import is_stream
from pipeline.temporaries import (
    hard_link_copy,
    public_path,
    remove_stale_temporaries,
    same_file,
    temporary_beside,
)

#: The zlib level the .docx and .xlsx outputs are compressed at: the fastest. zlib's default (6)
#: took three to five times as long on a 10,000-action plan for files a fifth to a quarter
#: smaller (render/docx_save.py, render/xlsx_rows.py; issue 17).
ZIP_LEVEL = 1
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
    """A file name made from plan text: no path parts, no reserved or Windows-illegal names,
    and nothing invisible (zero-width or right-to-left marks can make `report.exe.xlsx` look
    like something else); accents in one form (NFC), as macOS stores them."""
    text = "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c) != "Cf")
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
    leads_to = resolved(target)
    if leads_to.parent != resolved(out_dir):
        link = " is a link to a file in another folder" if target.is_symlink() else ""
        raise OutputLocked(
            f"Refusing to write outside {out_dir}: {name}{link} ({leads_to}).",
            hint=f"Delete or rename {name} in {out_dir}, or choose another output folder (-o).",
        )
    return target


def resolved(path: Path) -> Path:
    """path with every link followed, or `Error: cannot write` if that is impossible.

    A symbolic link that leads to itself makes Python 3.11 raise RuntimeError
    (later versions OSError with ELOOP); either way the user is told in words.
    """
    try:
        return path.resolve()
    except RuntimeError:
        raise cannot_write(path, OSError(errno.ELOOP, os.strerror(errno.ELOOP))) from None
    except OSError as exc:
        raise cannot_write(path, exc) from None


def refuse_overwriting_inputs(
    outputs: Iterable[Path], inputs: Iterable[Path | None], *, hint: str = ""
) -> None:
    """Stop before anything is written when an output path leads to one of the command's
    inputs, or to something that is not a file.

    Every command calls this with each output it will write and each file it
    reads (workbook, --template, --framework): a workbook named plan.docx, or
    a summary passed back in as the workbook, must never be replaced. Nor may
    a device, pipe or socket (`-o /dev/null`, run as root, would replace the
    system's /dev/null with a file).
    """
    # An input that does not exist cannot be overwritten; reading it says it is missing.
    sources = [source for source in inputs if source is not None and source.exists()]
    for output in outputs:
        refuse_special_file(output)
        for source in sources:
            if same_file(output, source):
                raise OutputClash(
                    f"Refusing to write {output}: it is the same file as the input {source}, "
                    "and eqplan never changes its input files.",
                    hint=hint or "Give the output another name or folder, or rename the input.",
                )


def refuse_special_file(target: Path) -> None:
    """Stop when target is a device, pipe or socket: only files (and links) are replaced."""
    try:
        mode = target.lstat().st_mode
    except OSError:
        return  # not there (or not reachable): writing it says what is wrong
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode):
        return  # a folder in the way is reported when the output is moved into place
    raise OutputClash(
        f"Refusing to write {target}: it is not a file but a device, pipe or socket, "
        "and replacing it could break the computer.",
        hint="Give an ordinary file name or folder for the output (-o). To check a workbook "
        "without keeping anything, use eqplan validate.",
    )


def refuse_replacing(target: Path) -> None:
    """Stop when target already exists as a file: it may be a plan someone has filled in."""
    if target.is_file():
        raise OutputClash(
            f"{target} already exists, so it was not replaced: it may be a plan someone has "
            "filled in.",
            hint="Choose another name with -o, or add --force to replace it.",
        )


#: The temporaries OutputSets of this process have staged and not yet moved or removed (by
#: absolute path): a writer handed one fills it in place (atomic_path). Known by this record,
#: never by the name alone, which a user's own file could share. A forked child inherits it.
_STAGED: set[str] = set()


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
        self._made: list[Path] = []  # folders made for the outputs, deepest last
        self._committed = False

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()
        if not self._committed:  # nothing was written: leave no new empty folder behind
            for folder in reversed(self._made):
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only if still empty

    def stage(self, target: Path) -> Path:
        """A new empty temporary beside target, to be written and then committed."""
        refuse_overwriting_inputs([target], self.inputs)
        try:
            missing, folder = [], target.parent
            while not folder.exists():  # up to the nearest folder that is there already
                missing.insert(0, folder)
                folder = folder.parent
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made += [f for f in missing if f not in self._made]
            remove_stale_temporaries(target.parent, keep=self.inputs)
            temp = temporary_beside(target)
        except OSError as exc:
            raise cannot_write(public_path(target), exc) from None
        self._staged.append((temp, target))
        _STAGED.add(os.path.abspath(temp))
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
            self._committed = True
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
            _STAGED.discard(os.path.abspath(temp))
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
    if os.path.abspath(target) in _STAGED:
        # A temporary an outer OutputSet staged (build's outputs): write it in place. A second
        # temporary inside it would be left behind if this process were stopped mid-write
        # (build stops the one writing the tables when the plan fails).
        with _plain_write_errors(target):
            yield target
        return
    with OutputSet(inputs) as outputs:
        temp = outputs.stage(target)
        with _plain_write_errors(target):
            yield temp
        outputs.commit()


@contextlib.contextmanager
def _plain_write_errors(target: Path) -> Iterator[None]:
    """Turn an OSError while writing target (a full disk, say) into `Error: cannot write`."""
    try:
        yield
    except Exception as exc:
        close_abandoned_zips(exc)
        if isinstance(exc, EqplanError):
            raise
        os_error = find_os_error(exc)
        if os_error is None:
            raise
        raise cannot_write(public_path(target), os_error) from None


def write_atomic(
    target: Path, write: Callable[[Path], object], inputs: Iterable[Path | None] = ()
) -> Path:
    """Call write(temp_path), then move the result into place atomically."""
    with atomic_path(target, inputs) as temp:
        write(temp)
    return target


#: Where a writer puts its document: a path (written atomically) or a binary stream.
Target = Path | BinaryIO


def write_output(
    target: Target,
    write: Callable[[Path], object],
    inputs: Iterable[Path | None] = (),
    *,
    suffix: str = "",
) -> Target:
    """Call write(path) and put the result at target: a path (atomically) or a binary stream.

    For a stream, write gets a path in a private temporary folder (named
    with suffix, as some writers look at it), so the bytes are exactly those
    a path would get; they are copied into the stream only once the document
    is whole, and the folder is removed. Returns target.
    """
    if not is_stream(target):
        return write_atomic(Path(target), write, inputs)
    with tempfile.TemporaryDirectory(prefix="eqplan-") as folder:
        temp = Path(folder) / f"document{suffix}"
        with _plain_write_errors(Path(folder)):
            write(temp)
            data = temp.read_bytes()
    try:
        shutil.copyfileobj(io.BytesIO(data), target)
        if hasattr(target, "flush"):
            target.flush()
    except OSError as exc:
        raise OutputUnwritable(
            f"cannot write the document to its stream: {exc}.",
            hint="Check where the output goes, and run the command again.",
        ) from None
    return target
