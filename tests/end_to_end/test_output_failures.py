"""A write that fails says why in plain words, exits 2 and keeps every earlier output (issue 9).

Each output (Word plan, summary, CSV, PDF, checked copy, template) is made
to fail half-way through writing; the old bytes of every output must remain
and no temporary may be left. The reasons are checked for real where this
machine allows (a file in the way, a folder in the way, a tiny full disk, a
read-only disk) and by simulation otherwise.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas
import pytest

from pipeline.cli import cli
from tests.bad_inputs.hostile_outputs import OLD, fake_soffice
from tests.conftest import ROOT, write_plan_workbook

BUILD_OUTPUTS = ("plan.docx", "plan-summary.xlsx", "plan-actions.csv", "plan.pdf")
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def one_page_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A folder with plan.xlsx, old versions of every output in out/, and a working fake soffice."""
    monkeypatch.chdir(tmp_path)
    write_plan_workbook(tmp_path / "plan.xlsx")
    (tmp_path / "out").mkdir()
    for name in (*BUILD_OUTPUTS, "plan-checked.xlsx"):
        (tmp_path / "out" / name).write_bytes(OLD)
    (tmp_path / "good.pdf").write_bytes(one_page_pdf())
    bin_dir = fake_soffice(tmp_path, f"cat '{tmp_path / 'good.pdf'}' > \"$out/$stem.pdf\"\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return tmp_path


def _half_then_fail(path: object) -> None:
    Path(str(path)).write_bytes(b"PK\x03\x04 half a file")
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _fail_docx(monkeypatch) -> None:
    """The plan is made in memory (render/isolation.py); the disk fills as its bytes are written."""
    import pipeline.render.word_job as word_job

    monkeypatch.setattr(word_job, "write_bytes", lambda data, path: _half_then_fail(path))


def _fail_summary(monkeypatch) -> None:
    """The disk fills while XlsxWriter zips the parts; it re-raises that as FileCreateError.

    The zip XlsxWriter opens is xlsx_rows' fast one (swapped in for its ZipFile)."""
    import pipeline.render.xlsx_rows as xlsx_rows

    class FullDisk(xlsx_rows._FastZip):
        def write(self, *args, **kwargs):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(xlsx_rows, "_FastZip", FullDisk)


def _fail_csv(monkeypatch) -> None:
    monkeypatch.setattr(pandas.DataFrame, "to_csv", lambda self, path, **k: _half_then_fail(path))


def _fail_pdf(monkeypatch) -> None:
    import pipeline.render.pdf as pdf_module

    real_copy = shutil.copyfile

    def copyfile(source, target):
        if Path(target).name.endswith(".pdf") and Path(target).parent.name == "out":
            _half_then_fail(target)
        return real_copy(source, target)

    monkeypatch.setattr(pdf_module.shutil, "copyfile", copyfile)


@pytest.mark.parametrize(
    ("kind", "fail"),
    [
        ("plan.docx", _fail_docx),
        ("plan-summary.xlsx", _fail_summary),
        ("plan-actions.csv", _fail_csv),
        ("plan.pdf", _fail_pdf),
    ],
)
def test_build_output_failing_mid_write_keeps_every_old_output(
    folder, runner, monkeypatch, kind, fail
):
    fail(monkeypatch)
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out", "--csv", "--pdf"])
    assert result.exit_code == 2, result.output
    assert f"Error: cannot write out/{kind}: the disk is full." in result.output
    assert "Free some space" in result.output
    assert "Traceback" not in result.output and "Wrote" not in result.output
    for name in BUILD_OUTPUTS:
        assert (folder / "out" / name).read_bytes() == OLD, name
    assert not [p.name for p in (folder / "out").iterdir() if p.name.startswith(".")]


def test_outputs_still_being_written_when_another_fails_leave_no_temporary(
    folder, runner, monkeypatch
):
    """The CSV, written in a second process, is stopped half-written when the Word plan fails."""
    started = folder / "csv-started"

    def slow_csv(self, path, **kwargs):
        Path(str(path)).write_bytes(b"half a table")
        started.touch()
        time.sleep(30)

    monkeypatch.setattr(pandas.DataFrame, "to_csv", slow_csv)
    monkeypatch.setattr(
        "pipeline.render.word_job.write_bytes",
        lambda data, path: (_wait_for(started), _half_then_fail(path)),
    )
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out", "--csv"])
    assert result.exit_code == 2, result.output
    assert "Error: cannot write out/plan.docx: the disk is full." in result.output
    for name in BUILD_OUTPUTS:
        assert (folder / "out" / name).read_bytes() == OLD, name
    assert not [p.name for p in (folder / "out").iterdir() if p.name.startswith(".")]


def _wait_for(path: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert path.exists(), "the CSV was never started"


def test_annotated_copy_failing_mid_write_keeps_the_old_copy(folder, runner, monkeypatch):
    monkeypatch.setattr(openpyxl.Workbook, "save", lambda self, path: _half_then_fail(path))
    result = runner.invoke(cli, ["validate", "plan.xlsx", "--annotate", "-o", "out"])
    assert result.exit_code == 2, result.output
    assert "Error: cannot write out/plan-checked.xlsx: the disk is full." in result.output
    assert (folder / "out" / "plan-checked.xlsx").read_bytes() == OLD
    assert not [p.name for p in (folder / "out").iterdir() if p.name.startswith(".")]


def test_template_failing_mid_write_keeps_the_old_file(folder, runner, monkeypatch):
    monkeypatch.setattr(openpyxl.Workbook, "save", lambda self, path: _half_then_fail(path))
    result = runner.invoke(cli, ["template", "-o", "out/plan-summary.xlsx", "--force"])
    assert result.exit_code == 2, result.output
    assert "Error: cannot write out/plan-summary.xlsx: the disk is full." in result.output
    assert (folder / "out" / "plan-summary.xlsx").read_bytes() == OLD


def test_second_output_failing_leaves_no_new_plan_beside_nothing(tmp_path, runner, monkeypatch):
    """With no earlier run, a failing summary must not leave a lone new plan.docx either."""
    monkeypatch.chdir(tmp_path)
    write_plan_workbook(tmp_path / "plan.xlsx")
    _fail_summary(monkeypatch)
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out"])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()  # not even the folder it made


@pytest.mark.parametrize(
    ("code", "says"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EDQUOT, "your storage quota is full"),
        (errno.EACCES, "permission denied: the folder is read-only or you cannot write there"),
        (errno.EPERM, "permission denied: the folder is read-only or you cannot write there"),
        (errno.EROFS, "the disk is read-only"),
        (errno.ENAMETOOLONG, "the file name is too long"),
        (errno.EIO, "the disk reported a read or write failure"),
        (
            errno.ELOOP,
            "the path goes through too many shortcuts (symbolic links), perhaps one leading to itself",
        ),
    ],
)
def test_every_reason_is_in_plain_words(tmp_path, runner, monkeypatch, code, says):
    import pipeline.io

    def refuse(target):
        raise OSError(code, os.strerror(code))

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(pipeline.io, "temporary_beside", refuse)
    result = runner.invoke(cli, ["template", "-o", "new/blank.xlsx"])
    assert result.exit_code == 2, result.output
    assert f"Error: cannot write new/blank.xlsx: {says}." in result.output
    assert "Errno" not in result.output and "Traceback" not in result.output


@pytest.mark.skipif(AS_ROOT, reason="root writes into read-only folders anyway")
def test_read_only_folder_for_real(tmp_path, runner):
    write_plan_workbook(tmp_path / "plan.xlsx")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = runner.invoke(cli, ["build", str(tmp_path / "plan.xlsx"), "-o", str(locked)])
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 2, result.output
    assert "permission denied: the folder is read-only" in result.output


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KB tmpfs (too small for a plan); skipped where this user may not mount."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if not AS_ROOT or shutil.which("mount") is None:
        pytest.skip("mounting a small disk needs root and mount")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_full_disk_for_real(small_disk, tmp_path, runner):
    write_plan_workbook(tmp_path / "plan.xlsx")
    (small_disk / "plan.docx").write_bytes(OLD)
    result = runner.invoke(cli, ["build", str(tmp_path / "plan.xlsx"), "-o", str(small_disk)])
    assert result.exit_code == 2, result.output
    assert f"Error: cannot write {small_disk / 'plan.docx'}: the disk is full." in result.output
    assert [p.name for p in small_disk.iterdir()] == ["plan.docx"]
    assert (small_disk / "plan.docx").read_bytes() == OLD


def test_read_only_disk_for_real(small_disk, tmp_path, runner):
    write_plan_workbook(tmp_path / "plan.xlsx")
    (small_disk / "plan-checked.xlsx").write_bytes(OLD)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = runner.invoke(
        cli, ["validate", str(tmp_path / "plan.xlsx"), "--annotate", "-o", str(small_disk)]
    )
    assert result.exit_code == 2, result.output
    assert "plan-checked.xlsx: the disk is read-only." in result.output
    assert (small_disk / "plan-checked.xlsx").read_bytes() == OLD


# ------------------------------------------------------- outputs moved into place together


def test_failed_rename_of_second_output_puts_the_first_back(folder, runner, monkeypatch):
    import pipeline.io

    real_replace = os.replace

    def replace(source, target):
        if str(target) == "out/plan-summary.xlsx":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_replace(source, target)

    monkeypatch.setattr(pipeline.io.os, "replace", replace)
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out"])
    assert result.exit_code == 2, result.output
    assert "cannot write out/plan-summary.xlsx" in result.output
    assert "No file was changed." in result.output
    assert (folder / "out" / "plan.docx").read_bytes() == OLD
    assert not [p.name for p in (folder / "out").iterdir() if p.name.startswith(".")]


def test_without_hard_links_the_error_says_which_outputs_are_new(folder, runner, monkeypatch):
    import pipeline.io

    real_replace = os.replace

    def replace(source, target):
        if str(target) == "out/plan-summary.xlsx":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_replace(source, target)

    monkeypatch.setattr(pipeline.io.os, "replace", replace)
    monkeypatch.setattr(pipeline.io, "hard_link_copy", lambda target: None)
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out"])
    assert result.exit_code == 2, result.output
    assert "Already replaced by this run: out/plan.docx" in " ".join(result.output.split())
    assert "earlier run" in result.output
    assert (folder / "out" / "plan-summary.xlsx").read_bytes() == OLD


def test_outputs_not_asked_for_are_reported_as_stale(folder, runner):
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "out/plan.pdf is from an earlier run and was not made again" in output
    assert "Add --pdf to rebuild it." in output and "Add --csv to rebuild it." in output


# ------------------------------------------------------------------ stale temporaries


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_next_run_removes_temporaries_of_killed_runs_only(tmp_path, runner):
    write_plan_workbook(tmp_path / "plan.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    alive = subprocess.Popen(["sleep", "60"])
    try:
        dead = out / f".eqplan-tmp-{_dead_pid()}-abcdefgh-plan-summary.xlsx"
        running = out / f".eqplan-tmp-{alive.pid}-abcdefgh-plan.docx"
        ancient = out / f".eqplan-tmp-{alive.pid}-zyxwvuts-plan.docx"
        someone_elses = out / ".plan-summary-abcdefgh.xlsx"
        for path in (dead, running, ancient, someone_elses):
            path.write_bytes(b"half")
        os.utime(ancient, (0, 1_000_000_000))  # 2001: over a day old
        result = runner.invoke(cli, ["build", str(tmp_path / "plan.xlsx"), "-o", str(out)])
    finally:
        alive.kill()
        alive.wait()
    assert result.exit_code == 0, result.output
    assert not dead.exists() and not ancient.exists()
    assert running.exists() and someone_elses.exists()


def test_kill_9_mid_write_is_cleaned_up_by_the_next_run(tmp_path, runner):
    write_plan_workbook(tmp_path / "plan.xlsx")
    out = tmp_path / "out"
    script = (
        "import sys, time\nfrom pathlib import Path\nfrom pipeline.io import OutputSet\n"
        "temp = OutputSet().stage(Path(sys.argv[1]) / 'plan-summary.xlsx')\n"
        "temp.write_bytes(b'half'); print(temp, flush=True); time.sleep(60)\n"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", script, str(out)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    left = Path(writer.stdout.readline().strip())
    writer.kill()  # SIGKILL: no clean-up runs
    writer.wait()
    writer.stdout.close()
    assert left.exists() and left.name.startswith(".eqplan-tmp-")
    result = runner.invoke(cli, ["build", str(tmp_path / "plan.xlsx"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["plan-summary.xlsx", "plan.docx"]
