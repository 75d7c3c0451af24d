"""A council's framework file checked before any parser sees it: size, kind and encoding.

A framework file is untrusted input. PyYAML on its own reads a file of any size (5 MB took
41 s and 530 MB), so a file is refused here if it is too big, not a regular file, binary or
not UTF-8; safe_yaml.py then refuses the YAML features a framework may not use. Every
refusal names the file and, where there is one, the line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.errors import FrameworkFileError
from pipeline.input_checks import printable_name

#: The largest framework file accepted (1 MB). The shipped ones are 2 to 57 KB.
MAX_FILE_BYTES = 1_000_000

#: A file's name or path is shown whole (only its unprintable characters replaced).
UNCUT = sys.maxsize
_SAVE_AS_UTF8 = "Open it in a text editor and save it again with the encoding UTF-8."


def read_text(path: Path) -> str:
    """The text of a framework file, refused before parsing if it cannot be a framework."""
    name = printable_name(path.name or str(path), UNCUT)
    if not path.exists():
        raise FrameworkFileError(f"Framework file not found: {printable_name(str(path), UNCUT)}")
    if path.is_dir():
        raise FrameworkFileError(
            f"{name} is a folder, not a framework file.",
            hint="Give the path of the framework's .yaml file.",
        )
    if not path.is_file():
        raise FrameworkFileError(
            f"{name} is not a regular file (it may be a device or a pipe).",
            hint="Give the path of the framework's .yaml file.",
        )
    too_big = FrameworkFileError(
        f"{name} is larger than {MAX_FILE_BYTES // 1_000_000} MB, the limit for a framework file.",
        hint="A framework file holds titles and short texts: the shipped ones are under "
        "60 KB. Check that this is the right file.",
    )
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise too_big
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FrameworkFileError(
            f"Cannot read framework file {name}: {exc.strerror or exc}.",
            hint="Check that the file exists and that you may read it.",
        ) from None
    if len(data) > MAX_FILE_BYTES:  # the file grew after the size check
        raise too_big
    return decode(data, name)


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is allowed), or a clear refusal."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FrameworkFileError(
            f"{name} is saved as UTF-16 ('Unicode'), not UTF-8.", hint=_SAVE_AS_UTF8
        )
    if b"\x00" in data:
        raise FrameworkFileError(
            f"{name} is not a text file (it contains binary data).",
            hint="A framework file is a YAML text file, written in a text editor.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FrameworkFileError(
            f"{name}: line {line}: this file is not UTF-8 text "
            f"(byte 0x{data[exc.start]:02x} is not valid UTF-8; it may be saved as ANSI or Latin-1).",
            hint=_SAVE_AS_UTF8,
        ) from None
