"""The record a merged plan keeps of the returns merged into it, so none is merged twice.

`eqplan merge` compares a return with what was sent (split's record), so once the
officer has changed a cell back to the value sent (a RAG set back to Amber after
talking to the owner), merging that return again would take the owner's value for a
fresh change and silently undo the officer's decision. So the merged plan holds a
very hidden sheet listing each return merged into it: which return (split's record:
report date, split date, how it was split, whose), which file (a fingerprint of its
bytes, as owners rename files) and when. merge skips a return whose bytes are listed,
and says when an earlier version of a return was merged.

The sheet is eqplan's, not the council's: the commands that write a plan afresh
(upgrade, next-period, combine) leave it behind, as a new quarter's returns are other
returns; merge writes it again with the returns it has just merged added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields

from openpyxl import Workbook

from pipeline.cells import put_at
from pipeline.workbook import layout
from pipeline.workbook.engines import SheetData

#: The record's first cell: a merge ignores a record it does not know (nothing is then
#: known to be merged before, as with a plan merged by an earlier eqplan).
_FORMAT = "eqplan-merged-1"


@dataclass(frozen=True)
class MergedReturn:
    """One return merged into the plan: split's identity of it, its bytes' and its name."""

    digest: str  # sha256 of the file's bytes: the same file, whatever it is called now
    report_date: str  # split's record, as it holds them (ISO dates)
    split_on: str
    by: str
    group: str
    file: str  # as the report named it
    merged_on: str  # ISO date of the merge

    def same_return(self, other: MergedReturn) -> bool:
        """Whether other is a version of this return: split made both for one group, from
        the same plan version on the same day (the owner corrected it and sent it again)."""
        return (self.report_date, self.split_on, self.by, self.group) == (
            other.report_date,
            other.split_on,
            other.by,
            other.group,
        )


_COLUMNS = tuple(f.name for f in fields(MergedReturn))


def merged_returns(sheets: Iterable[SheetData]) -> list[MergedReturn]:
    """The returns a plan records as merged into it, from its sheets the reader did not read
    (`RawWorkbook.unread_sheets`); [] when it has no record, or one changed by hand."""
    sheet = next((s for s in sheets if s.title == layout.MERGED_SHEET), None)
    if sheet is None or sheet.cells.get((1, 1)) != _FORMAT:
        return []
    cells = {where: "" if value is None else str(value) for where, value in sheet.cells.items()}
    if tuple(cells.get((2, column), "") for column in range(1, len(_COLUMNS) + 1)) != _COLUMNS:
        return []
    last = max(row for row, _column in cells)
    found = []
    for row in range(3, last + 1):
        values = [cells.get((row, column), "") for column in range(1, len(_COLUMNS) + 1)]
        if values[0]:
            found.append(MergedReturn(*values))
    return found


def write_merged_returns(wb: Workbook, merged: list[MergedReturn]) -> None:
    """Add the record of the returns merged into the plan, very hidden: not in Excel's Unhide
    list, so it is not changed by mistake (nor printed)."""
    if not merged:
        return
    ws = wb.create_sheet(layout.MERGED_SHEET)
    ws.sheet_state = "veryHidden"
    put_at(ws, 1, 1, _FORMAT)
    for column, name in enumerate(_COLUMNS, start=1):
        put_at(ws, 2, column, name)
    for row, entry in enumerate(merged, start=3):
        for column, value in enumerate(astuple(entry), start=1):
            put_at(ws, row, column, value)
