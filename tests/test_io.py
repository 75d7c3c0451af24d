"""Unusable files give one clear error and exit code 2, never a traceback (issue 6)."""

from __future__ import annotations

import contextlib
import errno
import gc
import io
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from pipeline import input_checks as eqplan_io
from pipeline import problems
from pipeline.cli import cli
from pipeline.errors import OutputLocked, OutputUnwritable, WorkbookUnreadable
from pipeline.input_checks import check_input
from pipeline.io import atomic_path, output_path, safe_filename, write_atomic
from pipeline.workbook import engines, read_workbook
from tests.bad_inputs.catalogue import _rewrite
from tests.bad_inputs.hostile_xml import long_text_plan
from tests.conftest import action_row, write_bomb


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


CASES = {
    "missing": (lambda p, ok: p / "nope.xlsx", "FILE_NOT_FOUND", "does not exist"),
    "empty": (lambda p, ok: _write(p / "e.xlsx", b""), "FILE_EMPTY", "is empty"),
    "csv": (
        lambda p, ok: _write(p / "c.xlsx", b"Ref,RAG\nA1,Red\n"),
        "FILE_NOT_XLSX",
        "is a CSV or text file",
    ),
    "excel-lock": (  # known by its name: the web, which names uploads itself, never sees one
        lambda p, ok: _write(p / "~$an.xlsx", b"\x0bJane Smith" + b"\0" * 40 + b" " * 100),
        "FILE_IS_LOCK",
        "is the lock file Excel keeps",
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
    "bomb": (lambda p, ok: write_bomb(p / "bomb.xlsx"), "FILE_TOO_LARGE", "too large"),
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
        lambda p, ok: _zip(p / "z.xlsx", {"xl/styles.xml": b"<styleSheet/>"}),
        "FILE_DAMAGED",
        "no workbook part",
    ),
    # a zip of documents, such as the web page's download, given as the workbook: not
    # "damaged" (a review's finding), but what it is
    "a zip of other files": (
        lambda p, ok: _zip(
            p / "documents.zip",
            {f"plan{end}": b"x" for end in (".docx", "-summary.xlsx", ".html", ".csv")},
        ),
        "FILE_NOT_XLSX",
        "is a zip file of other files (plan-summary.xlsx, plan.csv, plan.docx, ...; unzip it "
        "and give the workbook it holds), not an Excel workbook",
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


#: What FILE_NOT_XLSX says a file was found to be, in Welsh (`Mae X yn ..., nid yn llyfr ...`).
WELSH_FOUND = {
    "csv": "yn ffeil CSV neu ffeil destun, nid yn llyfr gwaith Excel",
    "xls": "yn ffeil Excel 97-2003 o'r hen fath (.xls), nid",
    "ods": "yn daenlen OpenDocument (.ods), nid",
    "docx": "yn ddogfen Word, nid",
    "a zip of other files": "yn ffeil zip o ffeiliau eraill (plan-summary.xlsx, plan.csv, "
    "plan.docx, ...; dadsipiwch hi a rhowch y llyfr gwaith sydd ynddi), nid",
}


@pytest.mark.parametrize("case", sorted(WELSH_FOUND))
def test_what_a_file_that_is_not_a_workbook_was_found_to_be_is_said_in_welsh(
    tmp_path, make_workbook, case
):
    """FILE_NOT_XLSX's Welsh message said what the file was in English (`Mae c.xlsx yn a CSV
    or text file, nid yn llyfr gwaith Excel`): what it was found to be is translated too."""
    from pipeline.i18n import use_language

    make, code, _words = CASES[case]
    path = make(tmp_path, make_workbook())
    with use_language("cy"), pytest.raises(WorkbookUnreadable) as raised:
        read_workbook(path)
    assert raised.value.code == code == "FILE_NOT_XLSX"
    assert WELSH_FOUND[case] in raised.value.message


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


def test_bomb_is_refused_before_anything_is_inflated(tmp_path, monkeypatch):
    """The zip directory's sizes decide: no part of a 1 GB bomb is ever decompressed."""
    path = write_bomb(tmp_path / "bomb.xlsx")

    def no_inflating(*args, **kwargs):
        raise AssertionError("a part was opened for reading")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    with pytest.raises(WorkbookUnreadable) as raised:
        check_input(path)
    assert raised.value.code == "FILE_TOO_LARGE"
    assert "xl/worksheets/sheet1.xml unzips to 1,07" in raised.value.message
    assert "the limit is 100 MB a part" in raised.value.message


def test_parts_that_add_up_past_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(eqplan_io, "MAX_TOTAL_BYTES", 3_000_000)
    path = _zip(tmp_path / "big.xlsx", {f"xl/part{n}.xml": b"<x/>" * 250_000 for n in range(5)})
    with pytest.raises(WorkbookUnreadable) as raised:
        check_input(path)
    assert raised.value.code == "FILE_TOO_LARGE"
    assert "it unzips to 5 MB; the limit is 3 MB" in raised.value.message


def test_long_repetitive_text_is_not_mistaken_for_a_bomb(tmp_path):
    """100 cells of 32,767 repeated characters squeeze over 200 times; it is still a plan."""
    path = long_text_plan(tmp_path)
    with zipfile.ZipFile(path) as archive:
        sheet = max(archive.infolist(), key=lambda info: info.file_size)
    assert sheet.file_size > 200 * sheet.compress_size  # what the old ratio rule refused
    check_input(path)
    raw = read_workbook(path)
    assert len(raw.tables["Actions"].rows) == 25
    assert len(raw.tables["Actions"].rows[0].values["evidence"]) == 32_767


def test_too_large_meaning_states_the_limits():
    """The problem's documented limits are the ones io.py and the engines apply."""
    meaning = problems.FILE_TOO_LARGE.description
    assert f"{eqplan_io.MAX_PART_BYTES // 1_000_000} MB in one part" in meaning
    assert f"{eqplan_io.MAX_TOTAL_BYTES // 1_000_000} MB in all" in meaning
    assert f"{engines.MAX_FILLED_CELLS:,} filled cells in one sheet" in meaning


def test_sheet_with_more_filled_cells_than_any_plan_is_refused(make_workbook, monkeypatch):
    monkeypatch.setattr(engines, "MAX_FILLED_CELLS", 20)
    rows = [action_row(ref=f"A{n}") for n in range(1, 4)]  # 30 filled cells on Actions
    with pytest.raises(WorkbookUnreadable) as raised:
        read_workbook(make_workbook(actions=rows))
    assert raised.value.code == "FILE_TOO_LARGE"
    assert "filled cells; the limit is 20" in raised.value.message


def test_sheet_that_is_not_xml_is_damaged_and_named(tmp_path):
    path = _rewrite("sheet:Actions", lambda data: data.replace(b"</sheetData>", b"</row>", 1))(
        tmp_path
    )
    with pytest.raises(WorkbookUnreadable) as raised:
        read_workbook(path)
    assert raised.value.code == "FILE_DAMAGED"
    assert "sheet 'Actions'" in raised.value.message


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


@pytest.mark.parametrize("name", ["plan.xls", "plan.xlsb", "plan.dat", "PLAN.XLSX"])
def test_an_xlsx_saved_under_another_name_is_read_as_what_it_is(tmp_path, make_workbook, name):
    """Both engines choose a format by the name: an .xlsx named plan.xls was called damaged,
    with openpyxl's words about xlrd. It is read by its bytes, with a warning to rename it."""
    path = tmp_path / name
    path.write_bytes(make_workbook().read_bytes())
    raw = read_workbook(path)
    assert len(raw.tables["Actions"].rows) == 1
    warned = [p for p in raw.problems if p.code == "FILE_EXTENSION"]
    if name.lower().endswith(".xlsx"):
        assert warned == []
    else:
        [problem] = warned
        assert "is an Excel workbook named" in problem.message
        assert "Rename the file to end in .xlsx" in problem.hint


def test_an_old_xls_workbook_says_to_save_it_as_xlsx(tmp_path):
    path = _write(tmp_path / "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(WorkbookUnreadable) as raised:
        read_workbook(path)
    assert raised.value.code == "FILE_NOT_XLSX"
    assert "old-style Excel 97-2003 file (.xls)" in raised.value.message
    assert "Save As > Excel Workbook (.xlsx)" in raised.value.hint


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


#: A name of the form eqplan gives its own temporaries, chosen by a user for an output.
LOOKS_TEMPORARY = ".eqplan-tmp-1-abcdefgh-q4.xlsx"


def test_a_user_file_named_like_a_temporary_is_still_written_atomically(tmp_path):
    """Only a temporary an OutputSet staged is written in place; a name alone proves nothing."""
    target = tmp_path / LOOKS_TEMPORARY
    target.write_bytes(b"old")
    with pytest.raises(OutputUnwritable), atomic_path(target) as temp:
        assert temp != target
        temp.write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert target.read_bytes() == b"old"


def test_a_link_named_like_a_temporary_is_replaced_not_followed(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    victim = tmp_path / "elsewhere" / "victim.txt"
    victim.write_bytes(b"precious")
    link = tmp_path / LOOKS_TEMPORARY
    link.symlink_to(victim)
    write_atomic(link, lambda temp: temp.write_bytes(b"new"))
    assert victim.read_bytes() == b"precious"
    assert not link.is_symlink() and link.read_bytes() == b"new"


def test_a_missing_folder_is_made_for_a_file_named_like_a_temporary(tmp_path):
    target = tmp_path / "new" / LOOKS_TEMPORARY
    write_atomic(target, lambda temp: temp.write_bytes(b"new"))
    assert target.read_bytes() == b"new"


def test_openpyxl_refuses_xml_entities(tmp_path):
    """defusedxml is a hard dependency, so openpyxl itself never expands XML entities (issue 6).

    Loaded with openpyxl directly, past eqplan's own check of the sheet XML.
    """
    import openpyxl
    from defusedxml import DTDForbidden, EntitiesForbidden

    declare = b'<!DOCTYPE w [<!ENTITY a "expanded">]><worksheet'
    path = _rewrite("sheet:Actions", lambda data: data.replace(b"<worksheet", declare, 1))(tmp_path)
    # Without defusedxml it loads, with the entity expanded. (The handle is ours to close:
    # openpyxl leaves a file it opened itself open when it fails.)
    with path.open("rb") as handle, pytest.raises(ValueError, match="worksheets") as raised:
        openpyxl.load_workbook(handle)
    causes = []
    error: BaseException | None = raised.value
    while error is not None:
        causes.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(cause, EntitiesForbidden | DTDForbidden) for cause in causes), causes


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


def test_only_work_folders_of_ended_runs_are_removed(tmp_path):
    """LibreOffice's folder of a build killed mid-conversion goes on the next conversion."""
    from pipeline.temporaries import remove_stale_folders

    dead = _a_pid_no_process_has()
    killed = tmp_path / f"eqplan-lo-{dead}-abcd1234"
    (killed / "profile").mkdir(parents=True)
    (killed / "profile" / "registrymodifications.xcu").write_text("left by a killed run")
    running = tmp_path / f"eqplan-lo-{os.getpid()}-abcd1234"
    others = [running, tmp_path / "eqplan-lo-abcd1234", tmp_path / f"other-{dead}-x"]
    for folder in others:
        folder.mkdir()
    (tmp_path / f"eqplan-lo-{dead}-file").write_text("not a folder")
    assert remove_stale_folders(tmp_path, "eqplan-lo-") == [killed]
    assert not killed.exists() and all(folder.is_dir() for folder in others)
    assert (tmp_path / f"eqplan-lo-{dead}-file").is_file()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_another_users_work_folder_is_never_removed(tmp_path):
    from pipeline.temporaries import remove_stale_folders

    theirs = tmp_path / f"eqplan-lo-{_a_pid_no_process_has()}-abcd1234"
    theirs.mkdir()
    os.chown(theirs, 12345, 12345)
    assert remove_stale_folders(tmp_path, "eqplan-lo-") == []
    assert theirs.is_dir()


def _a_pid_no_process_has() -> int:
    """Above the kernel's largest process id where it says, so never reused mid-test; else
    the id of a process that has just ended."""
    with contextlib.suppress(OSError, ValueError):
        return int(Path("/proc/sys/kernel/pid_max").read_text()) + 1
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(ended.stdout)


def test_wrapped_os_errors_are_found():
    from xlsxwriter.exceptions import FileCreateError

    from pipeline.output_errors import find_os_error

    full = OSError(errno.ENOSPC, "No space left on device")
    assert find_os_error(FileCreateError(full)) is full
    assert find_os_error(ValueError("no")) is None


class _FullDisk(io.BytesIO):
    """A file on a disk with no space left: every write fails."""

    def write(self, data: bytes) -> int:  # type: ignore[override]
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_zip_writer_failing_on_a_full_disk_prints_nothing_after_the_error(tmp_path, monkeypatch):
    """ZipFile.__del__ must not retry the write and print 'Exception ignored' (issue 9)."""
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)

    def write(path: Path) -> None:
        archive = zipfile.ZipFile(_FullDisk(), "w")  # left open, as openpyxl's writer leaves it
        archive.writestr("xl/workbook.xml", b"<workbook/>" * 100)

    with pytest.raises(OutputUnwritable, match="the disk is full"):
        write_atomic(tmp_path / "plan.xlsx", write)
    gc.collect()
    assert unraisable == []


def test_an_output_folder_that_is_a_symlink_loop_is_an_error(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(OutputUnwritable, match="perhaps one leading to itself"):
        output_path(loop, "plan.docx")


def test_an_output_set_never_committed_leaves_no_new_folder(tmp_path):
    """A build stopped before its outputs are moved into place leaves the disk as it was."""
    from pipeline.io import OutputSet

    (tmp_path / "kept").mkdir()
    with OutputSet() as outputs:
        outputs.stage(tmp_path / "new" / "deeper" / "plan.docx").write_bytes(b"x")
        outputs.stage(tmp_path / "kept" / "plan.docx").write_bytes(b"x")
    assert not (tmp_path / "new").exists()
    assert (tmp_path / "kept").is_dir() and not list((tmp_path / "kept").iterdir())
    with OutputSet() as outputs:
        outputs.stage(tmp_path / "new" / "deeper" / "plan.docx").write_bytes(b"x")
        outputs.commit()
    assert (tmp_path / "new" / "deeper" / "plan.docx").read_bytes() == b"x"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize(
    "command",
    [
        ["template", "-o", "{pipe}", "--force"],
        ["next-period", "{example}", "-o", "{pipe}", "--force"],
        ["upgrade", "{example}", "-o", "{pipe}", "--force"],
        ["build", "{example}", "-o", "{folder}", "--name", "plan"],
    ],
)
def test_an_output_that_is_a_pipe_or_device_is_refused(runner, tmp_path, command):
    """Found by an attacker's review: `-o /dev/null --force`, run as root, replaced the
    system's /dev/null with a file (build did so even without --force). A named pipe
    stands in for the device here: the same check refuses both."""
    from tests.conftest import EXAMPLE

    folder = tmp_path / "out"
    folder.mkdir()
    pipe = folder / ("plan.docx" if command[0] == "build" else "out.xlsx")
    os.mkfifo(pipe)
    args = [a.format(pipe=pipe, example=EXAMPLE, folder=folder) for a in command]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "not a file but a device, pipe or socket" in result.output
    assert "Traceback" not in result.output
    assert stat.S_ISFIFO(pipe.lstat().st_mode)  # still the pipe it was
    assert sorted(p.name for p in folder.iterdir()) == [pipe.name]  # nothing else written
