"""The committee pack: the cover report, the plan, its PDF and the summary in one zip.

Committee services usually want one file per agenda item. The zip holds the
documents this build wrote, under their own file names (made safe by
`io.safe_filename`, so no path parts and no names Windows refuses), in
reading order. It is written to the build's temporary and moved into place
with the other outputs (io.OutputSet), so it never holds documents from
different runs. Its entries carry the report date as their time stamp, so
the same workbook gives the same pack.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from pipeline.view import PlanView

#: Zip entries cannot be dated before 1980; a plan with no report date gets this time stamp.
_EARLIEST = (1980, 1, 1, 0, 0, 0)


def write_pack(target: Path, members: Iterable[tuple[str, Path]], view: PlanView) -> Path:
    """Write the zip of members (name inside the zip, file written) to target; return target."""
    when = _stamp(view.report_date)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in members:
            archive.writestr(_entry(name, when), path.read_bytes())
    return target


def _entry(name: str, when: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    """A zip entry for a plain file name: never a folder, an absolute path or `..`."""
    pure = PurePosixPath(name.replace("\\", "/"))
    if len(pure.parts) != 1 or pure.name in ("", ".", ".."):
        raise ValueError(f"unsafe name for a committee pack entry: {name!r}")
    info = zipfile.ZipInfo(pure.name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _stamp(report_date: dt.date | None) -> tuple[int, int, int, int, int, int]:
    if report_date is None or report_date.year < 1980:
        return _EARLIEST
    return (report_date.year, report_date.month, report_date.day, 12, 0, 0)
