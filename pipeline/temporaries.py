"""Temporary files beside the outputs: recognisable by name, removed when a run left them behind.

Every output is first written to `.eqplan-tmp-<process id>-<random>-<name>`
in its own folder, so the final rename is atomic. A run killed mid-write
(`kill -9`, a power cut) cannot clean up after itself; the next run that
writes to the folder removes any temporary whose process has ended or that
is over a day old, and never touches a file without the prefix. Work folders
in the system's temporary folder (LibreOffice's, render/pdf.py) carry the
process id too, and are cleared the same way (remove_stale_folders).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

TEMP_PREFIX = ".eqplan-tmp-"
# The writing process's id, a random part of eight characters, then the target's name.
_TEMP_NAME = re.compile(r"^\.eqplan-tmp-(\d+)-[A-Za-z0-9_]{8}-(.+)$")
STALE_AFTER_SECONDS = 24 * 60 * 60
#: This user (work folders of others are left alone); -1 where there are no user ids.
_OWNER = os.getuid() if hasattr(os, "getuid") else -1


def temporary_beside(target: Path) -> Path:
    """Create an empty temporary in target's folder, readable like any other output."""
    handle, name = tempfile.mkstemp(
        prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=f"-{target.name}", dir=target.parent
    )
    os.close(handle)
    # mkstemp makes the file private (0600); give it the usual permissions instead.
    umask = os.umask(0)
    os.umask(umask)
    Path(name).chmod(0o666 & ~umask)
    return target.with_name(Path(name).name)  # mkstemp's path is absolute; keep the user's form


def hard_link_copy(target: Path) -> Path | None:
    """A temporary hard link to target's current version (to restore it), or None if impossible."""
    link = target.with_name(f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}-{target.name}")
    try:
        os.link(target, link)
    except OSError:
        return None  # e.g. a file system without hard links
    return link


def public_path(path: Path) -> Path:
    """The output a temporary stands for (`.eqplan-tmp-12-abcd1234-plan.docx` -> `plan.docx`)."""
    name = path.name
    while match := _TEMP_NAME.match(name):
        name = match.group(2)
    return path.with_name(name)


def remove_stale_temporaries(folder: Path, keep: Iterable[Path] = ()) -> list[Path]:
    """Delete the temporaries in folder left by eqplan runs that were killed; return them.

    A temporary is stale when the process named in it has ended, or it is
    over a day old; a build running beside this one keeps its files. Files
    in keep (the command's inputs) are never removed, whatever their name.
    """
    kept = list(keep)

    def is_candidate(entry: os.DirEntry) -> bool:
        path = Path(entry.path)
        return entry.is_file(follow_symlinks=False) and not any(same_file(path, s) for s in kept)

    removed = []
    for path in _stale(folder, _TEMP_NAME, is_candidate):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def remove_stale_folders(parent: Path, prefix: str) -> list[Path]:
    """Delete the folders in parent named `<prefix><process id>-...` that eqplan runs killed
    mid-way left behind (stale as remove_stale_temporaries judges); return them."""

    def is_candidate(entry: os.DirEntry) -> bool:
        # Another user's folder (a shared temporary folder) is never judged here.
        return entry.is_dir(follow_symlinks=False) and (
            _OWNER < 0 or entry.stat(follow_symlinks=False).st_uid == _OWNER
        )

    removed = []
    for path in _stale(parent, re.compile(rf"^{re.escape(prefix)}(\d+)-"), is_candidate):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed.append(path)
    return removed


def _stale(
    folder: Path, name: re.Pattern[str], is_candidate: Callable[[os.DirEntry], bool]
) -> list[Path]:
    """The entries of folder whose name matches name (its first group the writing process's
    id), that is_candidate accepts and that are stale (_is_stale); [] if folder is unreadable."""
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = name.match(entry.name)
            if match and is_candidate(entry) and _is_stale(Path(entry.path), int(match.group(1))):
                found.append(Path(entry.path))
    return found


def same_file(first: Path, second: Path) -> bool:
    """True when two paths lead to one file: the same name, a symlink or a hard link."""
    with contextlib.suppress(OSError):
        if os.path.samefile(first, second):
            return True
    try:
        return first.resolve() == second.resolve()
    except (OSError, RuntimeError):
        return os.path.abspath(first) == os.path.abspath(second)


def _is_stale(path: Path, pid: int) -> bool:
    try:
        if time.time() - path.lstat().st_mtime > STALE_AFTER_SECONDS:
            return True
    except OSError:
        return False
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill would end the process
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # the process exists but belongs to someone else
    return False
