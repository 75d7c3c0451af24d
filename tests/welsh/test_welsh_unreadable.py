"""A file eqplan cannot read is refused in Welsh by every command asked for Welsh, details too."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.cli import cli


def _text_file(folder):
    path = folder / "plan.xlsx"
    path.write_text("Cynllun gweithredu cydraddoldeb\n", encoding="utf-8")
    return path


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("language", ["cy", "both"])
@pytest.mark.parametrize("command", ["build", "summary"])
def test_build_and_summary_refuse_an_unreadable_file_in_welsh_as_validate_does(
    tmp_path, command, language
):
    path = _text_file(tmp_path)
    extra = ["-o", str(tmp_path / "out")] if command == "build" else []
    result = _run(command, str(path), "--language", language, *extra)
    assert result.exit_code == 2
    assert "yn ffeil destun, nid yn llyfr gwaith Excel" in result.output
    assert "is a text file" not in result.output
    assert result.output == _run("validate", str(path), "--language", "cy").output


def test_an_english_build_refuses_it_in_english(tmp_path):
    result = _run("build", str(_text_file(tmp_path)), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "is a text file" in result.output
