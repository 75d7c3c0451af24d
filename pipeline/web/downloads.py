"""Documents kept for a short while so the results page can offer them as separate downloads.

Each upload's documents go into a folder of their own, named by a random
token (256 bits, so a link cannot be guessed) under the app's download
folder. A folder is served only while it is younger than the expiry
(15 minutes by default); an expired one is removed when its link is used and
by a sweep that runs at most once a minute on any request and in the
background while the server runs. Nothing is kept anywhere else.

Why a folder rather than sending the documents back with the upload: one
upload gives up to five files (plan, summary, PDF, zip, checked copy), and a
browser form can only receive one file per response; keeping them on disk
for a few minutes bounds the server's memory when several officers upload
large plans at once.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.io import safe_filename

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
SWEEP_EVERY_SECONDS = 60.0
_NAME_LENGTH = 80  # safe_filename's, with the ending


@dataclass
class Stored:
    """The documents of one upload: their token and file names, in the order they are offered."""

    token: str
    names: list[str]


def stored_name(name: str, taken: list[str]) -> str:
    """name made safe to store and offer, keeping its ending (`.docx`) and unlike the taken.

    Cut whole at safe_filename's length, a long name lost its ending, and the names
    of one upload's documents became one name, each document replacing the last (an
    attacker's review: an upload named with 80 letters offered seven links to one file).
    """
    stem, dot, ending = name.rpartition(".")
    if not dot or not ending.isalnum() or len(ending) > 5:
        stem, ending = name, ""
    ending = f".{ending}" if ending else ""
    room = _NAME_LENGTH - len(ending)
    safe = safe_filename(stem, fallback="document", max_length=room) + ending
    number = 2
    while safe.casefold() in {t.casefold() for t in taken}:
        suffix = f"-{number}"
        safe = safe_filename(stem, fallback="document", max_length=room - len(suffix))
        safe += suffix + ending
        number += 1
    return safe


class DownloadStore:
    """Folders of documents under root, each named by a random token and kept for expiry seconds."""

    def __init__(self, root: Path, expiry_seconds: float) -> None:
        self.root = root
        self.expiry = expiry_seconds
        self._lock = threading.Lock()
        self._last_sweep = 0.0
        root.mkdir(mode=0o700, parents=True, exist_ok=True)

    def keep(self, files: dict[str, bytes]) -> Stored:
        """Write files into a new token folder and return the token and their (safe) names."""
        token = secrets.token_urlsafe(32)
        folder = self.root / token
        folder.mkdir(mode=0o700)
        names: list[str] = []
        for name, content in files.items():
            safe = stored_name(name, names)
            (folder / safe).write_bytes(content)
            names.append(safe)
        now = time.time()
        os.utime(folder, (now, now))  # the folder's age is the documents' age
        return Stored(token=token, names=names)

    def find(self, token: str, name: str) -> Path | None:
        """The stored file, or None when the token or name is unknown or the folder has expired.

        name must be a file the folder holds, listed by the store itself, so a
        name such as ../../etc/passwd can never reach outside the folder.
        """
        if not _TOKEN.match(token):
            return None
        folder = self.root / token
        if not folder.is_dir():
            return None
        if self._expired(folder):
            shutil.rmtree(folder, ignore_errors=True)
            return None
        held = {entry.name: entry for entry in folder.iterdir() if entry.is_file()}
        return held.get(name)

    def sweep(self, force: bool = False) -> int:
        """Remove every expired folder (at most once a minute unless force); returns how many."""
        with self._lock:
            now = time.monotonic()
            if not force and now - self._last_sweep < SWEEP_EVERY_SECONDS:
                return 0
            self._last_sweep = now
        removed = 0
        for folder in list(self.root.iterdir()) if self.root.is_dir() else []:
            if folder.is_dir() and self._expired(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed

    def _expired(self, folder: Path) -> bool:
        try:
            return time.time() - folder.stat().st_mtime > self.expiry
        except OSError:
            return True

    def start_sweeper(self) -> threading.Thread:
        """A background thread sweeping every minute, so an idle server drops old documents too."""

        def run() -> None:
            while True:
                time.sleep(SWEEP_EVERY_SECONDS)
                self.sweep(force=True)

        thread = threading.Thread(target=run, name="eqplan-download-sweeper", daemon=True)
        thread.start()
        return thread
