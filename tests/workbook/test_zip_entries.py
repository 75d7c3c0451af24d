"""Damaged or hostile zip entries give FILE_DAMAGED from every command, never a traceback.

The attacker's recipes (issue 9, finding 5): an entry flagged encrypted
(zipfile raises RuntimeError), deflate data overwritten (zlib.error) and a
name flagged UTF-8 that is not (UnicodeDecodeError, raised as the zip opens).
"""

from __future__ import annotations

import zipfile

import pytest

from pipeline.cli import cli
from pipeline.errors import WorkbookUnreadable
from pipeline.input_checks import check_zip_entries, part_key
from pipeline.workbook import read_workbook
from tests.bad_inputs.hostile_zip import damaged, repackaged, twin_entries

SAYS = {
    "encrypted": "one of its parts is encrypted",
    "corrupt": "the compressed data of one of its parts is corrupt",
    "name": "the name of one of its parts is not readable text",
}
COMMANDS = {
    "validate": lambda path, out: ["validate", str(path)],
    "build": lambda path, out: ["build", str(path), "-o", str(out)],
    "summary": lambda path, out: ["summary", str(path)],
}


@pytest.mark.parametrize("how", sorted(SAYS))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_damaged_entry_is_file_damaged(how, command, tmp_path, runner):
    source = tmp_path / "in"
    source.mkdir()
    path = damaged(how)(source)
    before = path.read_bytes()
    out = tmp_path / "out"
    result = runner.invoke(cli, COMMANDS[command](path, out))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.output.startswith(f"Error: {path} is damaged and cannot be read"), result.output
    if how != "encrypted":  # the encrypted entry is named: "the part '...' is encrypted"
        assert SAYS[how] in result.output
    else:
        assert "is encrypted" in result.output
    assert not out.exists()
    assert path.read_bytes() == before


def test_read_workbook_raises_file_damaged_for_a_stream(tmp_path):
    path = damaged("corrupt")(tmp_path)
    with path.open("rb") as handle, pytest.raises(WorkbookUnreadable) as raised:
        read_workbook(handle)
    assert raised.value.code == "FILE_DAMAGED"


def test_twin_entries_are_refused_by_their_headers(tmp_path):
    path = repackaged(twin_entries, tmp_path)
    with zipfile.ZipFile(path) as archive, pytest.raises(zipfile.BadZipFile, match="twice"):
        check_zip_entries(archive)


def test_part_key_folds_only_ascii_capitals_and_backslashes():
    assert part_key("XL\\Worksheets/SHEET1.xml") == "xl/worksheets/sheet1.xml"
    assert part_key("xl/Ŵ.xml") == "xl/Ŵ.xml"  # calamine lower-cases ASCII letters only
