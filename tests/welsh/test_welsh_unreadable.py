"""A file eqplan cannot read is refused in Welsh by every command asked for Welsh, details too."""

from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import EXAMPLE


def _text_file(folder):
    path = folder / "plan.xlsx"
    path.write_text("Cynllun gweithredu cydraddoldeb\n", encoding="utf-8")
    return path


def _without_workbook_part(folder):
    path = folder / "plan.xlsx"
    with zipfile.ZipFile(EXAMPLE) as source, zipfile.ZipFile(path, "w") as target:
        for entry in source.infolist():
            if entry.filename != "xl/workbook.xml":
                target.writestr(entry, source.read(entry))
    return path


def _cut_short(folder):
    path = folder / "plan.xlsx"
    data = EXAMPLE.read_bytes()
    path.write_bytes(data[: len(data) // 2])
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


@pytest.mark.parametrize(
    ("make", "welsh", "english"),
    [
        (
            _without_workbook_part,
            "(nid oes ganddo ran llyfr gwaith; efallai nad yw'n ffeil Excel)",
            "no workbook part",
        ),
        (_cut_short, "(mae ei strwythur zip wedi torri;", "File is not a zip file"),
    ],
)
def test_a_damaged_workbook_is_described_in_welsh(tmp_path, make, welsh, english):
    path = make(tmp_path)
    for command in (["validate"], ["build", "-o", str(tmp_path / "out")]):
        result = _run(*command, str(path), "--language", "cy")
        assert result.exit_code == 2
        assert "wedi'i ddifrodi ac ni ellir ei ddarllen" in result.output
        assert welsh in result.output and english not in result.output
    english_build = _run("validate", str(path))
    assert "is damaged and cannot be read" in english_build.output


def test_a_welsh_refusal_starts_gwall_and_an_english_one_error(tmp_path):
    """click's own `Error:` stood before the Welsh message; it is said in the message's language."""
    path = _text_file(tmp_path)
    welsh = _run("validate", str(path), "--language", "cy").output
    assert welsh.startswith("Gwall: Mae ") and "Error" not in welsh
    built = _run("build", str(path), "--language", "cy", "-o", str(tmp_path / "out")).output
    assert built.startswith("Gwall: Mae ")
    assert _run("validate", str(path)).output.startswith("Error: ")
