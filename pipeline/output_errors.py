"""Why an output could not be written, in words a council officer can act on.

Python reports a failed write as an OSError with an errno; a traceback with
`[Errno 28] No space left on device` helps nobody. `cannot_write` turns it
into one `Error: cannot write <path>: <reason>` line with a fix, used by
every writer through pipeline/io.py.
"""

from __future__ import annotations

import contextlib
import errno
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from pipeline.errors import OutputUnwritable

_REASONS = {
    errno.ENOSPC: ("the disk is full", "Free some space (or choose another folder with -o)"),
    errno.EDQUOT: (
        "your storage quota is full",
        "Delete some files or ask IT for more space (or choose another folder with -o)",
    ),
    errno.EACCES: (
        "permission denied: the folder is read-only or you cannot write there",
        "Choose a folder you can write to with -o, or ask IT for access",
    ),
    errno.EPERM: (
        "permission denied: the folder is read-only or you cannot write there",
        "Choose a folder you can write to with -o, or ask IT for access",
    ),
    errno.EROFS: (
        "the disk is read-only",
        "Choose a folder on another disk with -o",
    ),
    errno.ELOOP: (
        "the path goes through too many shortcuts (symbolic links), perhaps one leading to itself",
        "Choose another folder with -o, or remove the looping link",
    ),
    errno.ENAMETOOLONG: (
        "the file name is too long",
        "Choose a shorter name or a folder nearer the top of the disk",
    ),
    errno.EIO: (
        "the disk reported a read or write failure",
        "Check the disk or network drive, then",
    ),
}


def find_os_error(error: BaseException) -> OSError | None:
    """The OSError behind error, also when a library wrapped it (XlsxWriter's FileCreateError)."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError):
            return current
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return None


def close_abandoned_zips(error: BaseException) -> None:
    """Close, quietly, every zip a writer left open when it failed with error.

    A writer that fails half-way (a full disk) leaves its ZipFile open; when
    Python later frees it, ZipFile.__del__ tries to finish the file, fails
    again and prints "Exception ignored in ZipFile.__del__" after the Error:
    line. The open zips are found in the failed calls' variables (openpyxl,
    python-docx and XlsxWriter keep them there or one attribute away) and
    closed here, where a second failure is expected.
    """
    for frame in _failed_frames(error):
        for value in list(frame.f_locals.values()):
            inner = getattr(value, "__dict__", None)
            for candidate in (value, *(inner.values() if isinstance(inner, dict) else ())):
                if isinstance(candidate, zipfile.ZipFile) and candidate.fp is not None:
                    with contextlib.suppress(Exception):
                        candidate.close()


def _failed_frames(error: BaseException) -> Iterator[FrameType]:
    """The frames of error's traceback and of every exception it was raised from or during."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        trace = current.__traceback__
        while trace is not None:
            yield trace.tb_frame
            trace = trace.tb_next
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def cannot_write(target: Path, error: OSError) -> OutputUnwritable:
    """The error to show when target could not be written because of error."""
    reason, fix = _reason(target, error)
    return OutputUnwritable(
        f"cannot write {target}: {reason}.", hint=f"{fix} and run the command again."
    )


def _reason(target: Path, error: OSError) -> tuple[str, str]:
    code = error.errno
    if code in (errno.ENOTDIR, errno.EEXIST) or isinstance(error, NotADirectoryError):
        blocker = _file_in_the_way(target)
        if blocker is not None:
            return (
                f"a file is in the way: {blocker} is a file, not a folder",
                f"Choose another folder with -o, or move {blocker.name} away",
            )
    if code == errno.EISDIR or target.is_dir():
        return (
            f"{target} is a folder",
            "Give the output another name or folder, or move that folder away",
        )
    if code in _REASONS:
        return _REASONS[code]
    words = (error.strerror or str(error) or type(error).__name__).rstrip(".")
    return words[:1].lower() + words[1:], "Check the folder given with -o"


def _file_in_the_way(target: Path) -> Path | None:
    """The nearest folder of target's path that is really a file, if any."""
    for folder in reversed(target.parents):
        if folder.exists() and not folder.is_dir():
            return folder
    return None
