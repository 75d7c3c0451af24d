"""Unusable files give one clear error and exit code 2, never a traceback (issue 6)."""

from __future__ import annotations

import errno
import io
import os
import zipfile
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from pipeline.cli import cli
from pipeline.errors import OutputLocked, WorkbookUnreadable
from pipeline.io import atomic_path, check_input, output_path, safe_filename
from pipeline.workbook import read_workbook


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _encrypted(source: Path, target: Path) -> Path:
    with source.open("rb") as handle:
        out = io.BytesIO()
        OOXMLFile(handle).encrypt("secret", out)
    target.write_bytes(out.getvalue())
    return target


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        # 6 MB of repeated XML squeezes to a few KB: the ratio check refuses it unread.
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 1_000_000)
    return path


CASES = {
    "missing": (lambda p, ok: p / "nope.xlsx", "FILE_NOT_FOUND", "does not exist"),
    "empty": (lambda p, ok: _write(p / "e.xlsx", b""), "FILE_EMPTY", "is empty"),
    "csv": (
        lambda p, ok: _write(p / "c.xlsx", b"Ref,RAG\nA1,Red\n"),
        "FILE_NOT_XLSX",
        "is a CSV or text file",
    ),
    "xls": (
        lambda p, ok: _write(p / "old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
        "FILE_NOT_XLSX",
        "Excel 97-2003",
    ),
    "ods": (
        lambda p, ok: _zip(
            p / "o.xlsx", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}
        ),
        "FILE_NOT_XLSX",
        "OpenDocument spreadsheet",
    ),
    "docx": (
        lambda p, ok: _zip(p / "d.xlsx", {"word/document.xml": b"<w/>"}),
        "FILE_NOT_XLSX",
        "Word document",
    ),
    "corrupt": (
        lambda p, ok: _write(p / "x.xlsx", ok.read_bytes()[:2000]),
        "FILE_DAMAGED",
        "damaged",
    ),
    "encrypted": (lambda p, ok: _encrypted(ok, p / "locked.xlsx"), "FILE_ENCRYPTED", "password"),
    "bomb": (lambda p, ok: _bomb(p / "bomb.xlsx"), "FILE_TOO_LARGE", "too large"),
    "doctype": (
        lambda p, ok: _zip(
            p / "dtd.xlsx",
            {
                "[Content_Types].xml": b"<Types/>",
                "xl/workbook.xml": b"<workbook/>",
                "xl/worksheets/sheet1.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
            },
        ),
        "FILE_UNSAFE",
        "unsafe XML",
    ),
    "not a workbook zip": (
        lambda p, ok: _zip(p / "z.xlsx", {"hello.txt": b"hi"}),
        "FILE_DAMAGED",
        "no workbook part",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_refused_with_a_code(tmp_path, make_workbook, case):
    make, code, words = CASES[case]
    path = make(tmp_path, make_workbook())
    with pytest.raises(WorkbookUnreadable) as raised:
        read_workbook(path)
    assert raised.value.code == code
    assert words in raised.value.message
    assert raised.value.hint


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_exits_2_without_traceback(runner, tmp_path, make_workbook, case):
    make, _code, words = CASES[case]
    path = make(tmp_path, make_workbook())
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.output.startswith("Error: ")
    assert words in result.output
    assert "Traceback" not in result.output


def test_password_hint_says_save_a_copy(tmp_path, make_workbook):
    path = _encrypted(make_workbook(), tmp_path / "locked.xlsx")
    with pytest.raises(WorkbookUnreadable) as raised:
        check_input(path)
    assert "Save a copy without a password" in raised.value.hint


def test_workbook_with_another_extension_is_read_with_a_warning(tmp_path, make_workbook):
    path = tmp_path / "plan.dat"
    path.write_bytes(make_workbook().read_bytes())
    checked = check_input(path)
    assert [p.code for p in checked.warnings] == ["FILE_EXTENSION"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Equality Action Plan 2026/27", "Equality-Action-Plan-2026-27"),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "action-plan"),
        ("a:b*c?", "a-b-c"),
        ("  ", "action-plan"),
        ("name. ", "name"),
    ],
)
def test_safe_filename(text, expected):
    assert safe_filename(text) == expected


def test_output_path_stays_in_folder(tmp_path):
    assert output_path(tmp_path, "plan.docx") == tmp_path / "plan.docx"
    with pytest.raises(OutputLocked):
        output_path(tmp_path, "../escape.docx")


def test_atomic_write_leaves_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_text("half")
        raise RuntimeError("crash while writing")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_openpyxl_uses_defusedxml():
    """defusedxml is a hard dependency, so openpyxl never expands XML entities (issue 6)."""
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def test_output_open_in_another_program_keeps_the_old_file(tmp_path, monkeypatch):
    """On Windows a document open in Word cannot be replaced: say so, keep the old file (issue 5)."""
    import os

    target = tmp_path / "plan.docx"
    target.write_text("old")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputLocked) as raised, atomic_path(target) as temp:
        temp.write_text("new")
    assert "Close plan.docx" in raised.value.hint
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.docx"]


def test_utf8_csv_with_welsh_letters_is_recognised(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("Ref,Cam gweithredu\n" + "A1,Cynllun ŵ ŷ\n" * 200, encoding="utf-8")
    with pytest.raises(WorkbookUnreadable) as raised:
        check_input(path)
    assert "CSV or text file" in raised.value.message


# ----------------------------------------------------- outputs never replace inputs (issue 9)


def test_refuse_overwriting_inputs_by_name_link_or_hard_link(tmp_path):
    from pipeline.errors import OutputClash
    from pipeline.io import refuse_overwriting_inputs

    workbook = tmp_path / "plan.xlsx"
    workbook.write_bytes(b"data")
    (tmp_path / "sub").mkdir()
    os.symlink(workbook, tmp_path / "link.docx")
    os.link(workbook, tmp_path / "hard.docx")
    same = [
        workbook,
        tmp_path / "sub" / ".." / "plan.xlsx",
        tmp_path / "link.docx",
        tmp_path / "hard.docx",
    ]
    for output in same:
        with pytest.raises(OutputClash) as raised:
            refuse_overwriting_inputs([output], [None, workbook])
        assert str(output) in raised.value.message and str(workbook) in raised.value.message
    refuse_overwriting_inputs([tmp_path / "plan.docx", tmp_path / "new" / "x.xlsx"], [workbook])


def test_temporaries_name_their_output(tmp_path):
    from pipeline.temporaries import public_path, temporary_beside

    temp = temporary_beside(tmp_path / "plan-summary.xlsx")
    assert temp.parent == tmp_path and temp.name.startswith(f".eqplan-tmp-{os.getpid()}-")
    assert public_path(temp) == tmp_path / "plan-summary.xlsx"
    assert public_path(temporary_beside(temp)) == tmp_path / "plan-summary.xlsx"


def test_wrapped_os_errors_are_found():
    from xlsxwriter.exceptions import FileCreateError

    from pipeline.output_errors import find_os_error

    full = OSError(errno.ENOSPC, "No space left on device")
    assert find_os_error(FileCreateError(full)) is full
    assert find_os_error(ValueError("no")) is None
