"""How `eqplan merge` reads each return: once, and nothing an owner typed is lost unsaid."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from pipeline.merge import merge_workbooks
from pipeline.workbook import engines, reader
from tests.conftest import EXAMPLE

HR = "Human-Resources-and-OD.xlsx"
DS = "Democratic-Services.xlsx"


def _count_reads(monkeypatch) -> Counter:
    """Every parse of a workbook's sheets (engines.load_book, by the reader or anyone else),
    counted by the file read."""
    reads: Counter = Counter()
    real = engines.load_book

    def counted(content: Path | bytes):
        reads[content.name if isinstance(content, Path) else "<bytes>"] += 1
        return real(content)

    monkeypatch.setattr(engines, "load_book", counted)
    monkeypatch.setattr(reader, "load_book", counted)
    return reads


def test_each_return_is_read_once(sent, tmp_path, monkeypatch):
    """The record split hides in a return is one of the sheets the reader keeps aside as not
    read (RawWorkbook.unread_sheets): merge takes it from there. It used to read the whole
    workbook again (returns.read_record) for that one sheet."""
    returns = [shutil.copy(sent / name, tmp_path / name) for name in (HR, DS)]
    reads = _count_reads(monkeypatch)
    report = merge_workbooks(EXAMPLE, [Path(p) for p in returns], tmp_path / "merged.xlsx")
    assert [r.status for r in report.returns] == ["merged", "merged"]
    assert reads == {EXAMPLE.name: 1, HR: 1, DS: 1}
