"""PDF copies through LibreOffice, when it is installed.

LibreOffice exits 0 even when it could not load the file, so success is
judged by the PDF actually appearing (research/validation-anchors.md
section 4). Each conversion uses its own throwaway LibreOffice profile, so it
works beside an open LibreOffice window and in parallel test runs.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import EqplanError

TIMEOUT_SECONDS = 300


class PdfUnavailable(EqplanError):
    """LibreOffice is not installed, so no PDF can be made."""


def find_soffice() -> str | None:
    """The LibreOffice command, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, out_dir: Path, target_format: str = "pdf") -> Path:
    """Convert source with LibreOffice into out_dir and return the new file's path."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable(
            "LibreOffice is not installed, so no PDF was written.",
            hint="Install it (Debian/Ubuntu: apt install libreoffice-writer-nogui) or save as PDF from Word.",
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{source.stem}.{target_format.split(':')[0]}"
    with (
        tempfile.TemporaryDirectory(prefix="eqplan-lo-") as profile,
        tempfile.TemporaryDirectory(prefix="eqplan-out-") as scratch,
    ):
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target_format,
            "--outdir",
            scratch,
            str(source),
        ]
        try:
            completed = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise EqplanError(
                f"LibreOffice took over {TIMEOUT_SECONDS} s converting {source.name}."
            ) from None
        produced = Path(scratch) / target.name
        if not produced.is_file() or produced.stat().st_size == 0:
            detail = (completed.stderr or completed.stdout).strip().splitlines()
            raise EqplanError(
                f"LibreOffice could not convert {source.name}"
                + (f": {detail[-1]}" if detail else "."),
            )
        shutil.move(str(produced), target)
    return target
