"""An input given as a path or as a binary stream (an upload), so both are read the same way.

The command line passes paths; a web handler passes the uploaded file object
(or an `io.BytesIO`). A stream is read into memory once, up to a size limit,
and from then on is just bytes: every check in pipeline/input_checks.py
(kind, encryption, zip sizes, XML safety) runs on those bytes exactly as on
a file's, and nothing is written to disk. A path is left on disk and opened
when needed, as before.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

#: How messages name a stream given without a name.
UPLOAD_NAME = "the uploaded workbook"

_CHUNK = 1024 * 1024


class StreamTooLarge(Exception):
    """A stream holds more than the limit given to `as_input`."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"it is over {limit / 1e6:,.0f} MB, the most eqplan reads from a stream")
        self.limit = limit


@dataclass(frozen=True)
class InputFile:
    """One input as eqplan reads it: a file on disk, or the bytes of a stream read once.

    shown is how messages name it (the path, the name given, or "the uploaded
    workbook"); filename is the file's own name when one is known (it gives
    the outputs their names and is checked for a .xlsx extension), else "".
    """

    shown: str
    filename: str = ""
    path: Path | None = None
    data: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_path(cls, path: Path, name: str | None = None) -> InputFile:
        return cls(shown=name or str(path), filename=path.name, path=path)

    @property
    def is_stream(self) -> bool:
        return self.path is None

    @property
    def stem(self) -> str:
        """The file name without its extension ('' for a stream given no name)."""
        return Path(self.filename).stem if self.filename else ""

    @property
    def suffix(self) -> str:
        return Path(self.filename).suffix if self.filename else ""

    @property
    def content(self) -> Path | bytes:
        """What the workbook readers take: the path, or the stream's bytes."""
        return self.path if self.path is not None else (self.data or b"")

    def exists(self) -> bool:
        return self.path.is_file() if self.path is not None else True

    def size(self) -> int:
        return self.path.stat().st_size if self.path is not None else len(self.data or b"")

    def open(self) -> BinaryIO:
        """A fresh binary handle at the start of the content (close it after use)."""
        if self.path is not None:
            return self.path.open("rb")
        return io.BytesIO(self.data or b"")


#: What eqplan accepts as an input file: a path, a binary stream, or an InputFile already read.
Source = str | os.PathLike | BinaryIO | InputFile


def is_stream(value: object) -> bool:
    """True for a file-like object (has read or write), False for a path."""
    if isinstance(value, str | os.PathLike | bytes | bytearray):
        return False
    return hasattr(value, "read") or hasattr(value, "write")


def as_input(source: object, name: str | None = None, *, limit: int) -> InputFile:
    """source as an InputFile: a path is kept as a path; a stream is read now, up to limit bytes.

    name is how messages name the input (for a stream: the uploaded file's
    name, such as "our-plan.xlsx"); without it an open file is named by its
    own name, any other stream "the uploaded workbook". Raises
    StreamTooLarge past limit, OSError if the stream cannot be read, and
    TypeError for anything that is neither a path nor a binary stream.
    """
    if isinstance(source, InputFile):
        return source
    if isinstance(source, str | os.PathLike):
        return InputFile.from_path(Path(source), name)
    if not hasattr(source, "read"):
        raise TypeError(
            f"eqplan reads a workbook from a path or a binary stream, not {type(source).__name__}; "
            "wrap bytes in io.BytesIO."
        )
    data = _read_limited(source, limit)
    # Only a real file's own name is trusted: a web framework's upload object may
    # hold the form field's name there (werkzeug's FileStorage does).
    own = getattr(source, "name", None) if isinstance(source, io.IOBase) else None
    filename = Path(name or (own if isinstance(own, str) else "")).name
    return InputFile(shown=name or filename or UPLOAD_NAME, filename=filename, data=data)


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    """Read stream to its end, refusing more than limit bytes (never holding much more)."""
    buffer = bytearray()
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - len(buffer)))
        if not chunk:
            return bytes(buffer)
        if isinstance(chunk, str):
            raise TypeError("eqplan needs a binary stream: open the file with 'rb', not 'r'.")
        buffer += chunk
        if len(buffer) > limit:
            raise StreamTooLarge(limit)


def shown_names(paths: list[Path]) -> list[str]:
    """How a report names each of several input files: its file name, or, where two
    files share a name (returns/q1/plan.xlsx, returns/q2/plan.xlsx), as much of the
    path as tells them apart (q1/plan.xlsx, q2/plan.xlsx), so no finding is put to
    the wrong file."""
    shown = [path.name for path in paths]
    for index, path in enumerate(paths):
        rivals = [
            other
            for other in paths
            if other.name.casefold() == path.name.casefold() and str(other) != str(path)
        ]
        if not rivals:
            continue
        parts = path.absolute().parts
        for depth in range(2, len(parts) + 1):
            tail = parts[-depth:]
            if all(other.absolute().parts[-depth:] != tail for other in rivals):
                shown[index] = str(Path(*tail))
                break
        else:
            shown[index] = str(path)
    return shown


def file_digest(path: Path) -> str:
    """A fingerprint of a file's bytes, read in chunks, to tell one file saved twice under two
    names; the path itself if it cannot be read (the reader then says why)."""
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return str(path)


def as_path(value: str | Path | None) -> Path | None:
    """A path a script gave as text, as the command line gives it: a Path (None stays None)."""
    return Path(value) if isinstance(value, str) else value
