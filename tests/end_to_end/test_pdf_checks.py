"""A PDF is only saved once it opens and has pages; a LibreOffice that hangs is stopped, children too.

Fake `soffice` scripts, put first on PATH, stand in for LibreOffice: one
writes rubbish, one a PDF with no pages, one a good one-page PDF, and one
sleeps after starting a child process of its own (issue 9).
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from pipeline.cli import cli
from pipeline.render.pdf import PdfInvalid, check_pdf
from tests.bad_inputs.hostile_outputs import OLD, fake_soffice
from tests.conftest import write_plan_workbook
from tests.end_to_end.test_output_failures import one_page_pdf


def _zero_page_pdf() -> bytes:
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    return buffer.getvalue()


@pytest.fixture
def plan(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_plan_workbook(tmp_path / "plan.xlsx")


def _use_soffice(tmp_path: Path, monkeypatch, body: str) -> None:
    bin_dir = fake_soffice(tmp_path, body)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def _copying(tmp_path: Path, monkeypatch, data: bytes) -> None:
    (tmp_path / "made.pdf").write_bytes(data)
    _use_soffice(tmp_path, monkeypatch, f"cat '{tmp_path / 'made.pdf'}' > \"$out/$stem.pdf\"\n")


def test_garbage_pdf_is_refused(plan, tmp_path, runner, monkeypatch):
    _use_soffice(tmp_path, monkeypatch, "printf '%%PDF-garbage' > \"$out/$stem.pdf\"\n")
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out", "--pdf"])
    assert result.exit_code == 3, result.output
    assert "Error: The PDF LibreOffice made for out/plan.pdf is not a readable PDF" in result.output
    assert "Wrote" not in result.output
    assert not (tmp_path / "out" / "plan.pdf").exists()
    assert not (tmp_path / "out" / "plan.docx").exists()  # all outputs or none


def test_pdf_with_no_pages_is_refused(plan, tmp_path, runner, monkeypatch):
    _copying(tmp_path, monkeypatch, _zero_page_pdf())
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "plan.pdf").write_bytes(OLD)
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out", "--pdf"])
    assert result.exit_code == 3, result.output
    assert "has no pages, so it was not saved" in result.output
    assert (tmp_path / "out" / "plan.pdf").read_bytes() == OLD


def test_good_pdf_is_moved_into_place_from_the_output_folder(plan, tmp_path, runner, monkeypatch):
    import pipeline.io

    good = one_page_pdf()
    _copying(tmp_path, monkeypatch, good)
    moves: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def replace(source, target):
        moves.append((Path(source), Path(target)))
        return real_replace(source, target)

    monkeypatch.setattr(pipeline.io.os, "replace", replace)
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out", "--pdf"])
    assert result.exit_code == 0, result.output
    assert "Wrote out/plan.pdf" in result.output
    assert (tmp_path / "out" / "plan.pdf").read_bytes() == good
    final = [source for source, target in moves if target == Path("out/plan.pdf")]
    assert len(final) == 1 and final[0].parent == Path("out")  # same folder: an atomic rename
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "plan-summary.xlsx",
        "plan.docx",
        "plan.pdf",
    ]


def _gone(pid: int) -> bool:
    """True when pid no longer runs (a zombie awaiting its reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_timeout_kills_libreoffice_and_its_children(plan, tmp_path, runner, monkeypatch):
    pids = tmp_path / "pids"
    _use_soffice(
        tmp_path,
        monkeypatch,
        f"sleep 300 &\necho $! > '{pids}'\necho $$ >> '{pids}'\nsleep 300\n",
    )
    started = time.monotonic()
    result = runner.invoke(cli, ["build", "plan.xlsx", "-o", "out", "--pdf", "--pdf-timeout", "1"])
    elapsed = time.monotonic() - started
    assert result.exit_code == 2, result.output
    assert "LibreOffice took over 1 s converting plan.docx, so it was stopped" in result.output
    assert "--pdf-timeout" in result.output
    assert elapsed < 60
    child, script = (int(line) for line in pids.read_text().split())
    deadline = time.monotonic() + 10
    while not (_gone(child) and _gone(script)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(script), "the soffice script is still running"
    assert _gone(child), "the child soffice started is still running"


def test_pdf_timeout_option(runner):
    shown = runner.invoke(cli, ["build", "--help"])
    assert "--pdf-timeout SECONDS" in shown.output and "300" in shown.output
    refused = runner.invoke(cli, ["build", "--pdf-timeout", "0"])
    assert refused.exit_code == 2


def test_check_pdf_counts_pages(tmp_path):
    good = tmp_path / "good.pdf"
    good.write_bytes(one_page_pdf())
    assert check_pdf(good, good) == 1
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n%%EOF\n")
    with pytest.raises(PdfInvalid):
        check_pdf(bad, bad)
