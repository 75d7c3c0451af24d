"""Template parts prepared once, not on every build: docxtpl's clean-up and Jinja's compiling.

Preparing the Word template's parts took about a quarter of a 100-action
build (issue 17): docxtpl's patch_xml regexes, then compiling each part to
Python code. Both depend only on the part's text, the sandbox's own rules
(sandbox.py routes every loop and `~` through its guards while compiling)
and the library versions, so the results are kept:

- in this process, for the web server and the cover report after the plan;
- on disk, in Jinja's own cache folder: `_jinja2-cache-<uid>` in the
  temporary folder, made as Jinja makes it, readable and writable by this
  user only, and refused if anyone else owns it or can write to it (found
  without importing Jinja: a build's own process never loads it). Loading
  code from a folder only this user can write is no more trust than running
  the Python files this user installed. EQPLAN_TEMPLATE_CACHE names another
  folder (it gets the same checks) or, set to `off`, keeps nothing on disk.

Each entry's name is a hash of the part's text and of everything else that
shapes the result (sandbox.py's source, the environment's settings, the
Python, Jinja and docxtpl versions; for the template check's verdict, which
uses neither Jinja nor docxtpl, the Python and the checking code), so a
changed template or a new eqplan never meets a stale entry. Any problem with
the disk just means doing the work as before.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import stat
import sys
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.errors import EqplanError
from pipeline.io import write_atomic

if TYPE_CHECKING:
    from jinja2 import Environment

T = TypeVar("T", CodeType, str)
#: Set to a folder to keep prepared parts there, or to "off" to keep none on disk.
CACHE_VARIABLE = "EQPLAN_TEMPLATE_CACHE"
_KEPT_IN_PROCESS = 32
#: Entries kept on disk; a template's parts take a few (about 100 KB for the plan's body).
MAX_ENTRIES = 400
_kept: OrderedDict[str, Any] = OrderedDict()
#: The web server builds several plans at once in threads: one of them at a time changes _kept.
_kept_lock = threading.Lock()


def compiled(environment: Environment, source: str) -> CodeType:
    """Jinja's code for source in environment (environment.compile), kept."""
    settings = (
        type(environment).__module__,
        type(environment).__qualname__,
        environment.autoescape,
        environment.finalize is not None,  # compiled into the code as a call per {{ }}
        environment.optimized,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        sorted(environment.extensions),
    )
    return kept("code", repr(settings), source, lambda: environment.compile(source), CodeType)


def kept(
    kind: str,
    settings: str,
    source: str,
    make: Callable[[], T],
    type_: type[T],
    *,
    depends_on_renderer: bool = True,
) -> T:
    """make()'s result for source: from this process, else from disk, else made now and kept.

    depends_on_renderer: whether the result depends on Jinja, docxtpl and the sandbox's
    rules, as prepared parts do. The template check's verdict does not (template_file.py),
    and loading them for it would cost `eqplan build` 0.08 s before the workbook is read
    (word_job.py).
    """
    fingerprint = _fingerprint() if depends_on_renderer else _python()
    digest = hashlib.sha256(f"{fingerprint}|{kind}|{settings}|".encode())
    digest.update(source.encode("utf-8", "surrogatepass"))
    key = f"eqplan-{kind}-{digest.hexdigest()}"
    on_disk = bool(fingerprint)  # without one, an entry could outlive the code that made it
    with _kept_lock:
        value = _kept.get(key)
    if value is None and on_disk:
        value = _load(key, type_)
    if value is None:
        value = make()
        if on_disk:
            _store(key, value)
    with _kept_lock:
        _kept[key] = value
        _kept.move_to_end(key)
        while len(_kept) > _KEPT_IN_PROCESS:
            _kept.popitem(last=False)
    return value


@cache
def _fingerprint() -> str:
    """The sandbox's and field_repair's rules and every version that shapes a prepared part;
    "" when their source cannot be read (an installation without its .py files keeps nothing
    on disk)."""
    import docxtpl
    import jinja2

    from pipeline.render import field_repair, sandbox

    try:  # the sandbox's rules, and field_repair's (which prepares the template's parts)
        rules = hashlib.sha256(
            b"".join(Path(m.__file__).read_bytes() for m in (sandbox, field_repair))
        ).hexdigest()
    except (OSError, TypeError):
        return ""
    return f"{_python()}|{jinja2.__version__}|{docxtpl.__version__}|{rules}"


@cache
def _python() -> str:
    """The Python that made an entry: every entry is code or text this Python made."""
    return f"{sys.version}|{importlib.util.MAGIC_NUMBER.hex()}"


def _load(key: str, type_: type) -> Any:
    folder = _usable_folder()
    if folder is None:
        return None
    try:
        value = marshal.loads((folder / key).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return value if isinstance(value, type_) else None


def _store(key: str, value: object) -> None:
    """Write the entry whole or not at all (pipeline.io's atomic write)."""
    folder = _usable_folder()
    if folder is None:
        return
    data = marshal.dumps(value)
    try:
        write_atomic(folder / key, lambda path: path.write_bytes(data))
        _prune(folder)
    except (EqplanError, OSError):
        return  # a full or read-only disk: prepared again next time


def _prune(folder: Path) -> None:
    """Keep at most MAX_ENTRIES entries (each template version adds a few): the oldest go."""
    entries = list(folder.glob("eqplan-*"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[: len(entries) - MAX_ENTRIES]:
        entry.unlink(missing_ok=True)


@cache
def _folder() -> Path | None:
    """The cache folder, or None if it is turned off or is not this user's alone."""
    chosen = os.environ.get(CACHE_VARIABLE, "")
    if chosen.lower() == "off" or not hasattr(os, "getuid"):
        return None
    try:
        if chosen:
            folder = Path(chosen)
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        else:  # Jinja's own folder for compiled templates, made private as Jinja makes it
            folder = Path(tempfile.gettempdir()) / f"_jinja2-cache-{os.getuid()}"
            folder.mkdir(mode=0o700, exist_ok=True)
            if _private(os.lstat(folder)):  # this user's own folder: no one else may read it
                os.chmod(folder, 0o700)
        status = os.lstat(folder)
    except OSError:  # no usable folder
        return None
    return folder if _private(status) else None


def _usable_folder() -> Path | None:
    """The cache folder, checked again at each use, with every folder above it.

    The first check is not enough for a long-running process (`eqplan serve`): where
    someone else can write to a folder above it, they could rename the cache folder
    and put one of their own in its place. So the folder must still be this user's
    alone, and each folder above it this user's or the system's, and not writable by
    others unless only owners may remove what is in it (the sticky bit, as on /tmp).
    """
    folder = _folder()
    if folder is None:
        return None
    try:
        if not _private(os.lstat(folder)):
            return None
        for parent in folder.absolute().parents:
            status = os.stat(parent)
            shared = status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            if status.st_uid not in (0, os.getuid()) or (
                shared and not status.st_mode & stat.S_ISVTX
            ):
                return None
    except OSError:
        return None
    return folder


def _private(status: os.stat_result) -> bool:
    """A folder (not a link to one) of this user's that no one else may write to."""
    return (
        stat.S_ISDIR(status.st_mode)
        and status.st_uid == os.getuid()
        and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )
