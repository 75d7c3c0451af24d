"""Commands load only the libraries their job needs, so they start quickly (issue 17).

Each check runs the command in a fresh interpreter and lists the heavy
libraries it left in sys.modules: an import at the top of a shared module
(the reader, pipeline/workbook/__init__.py) would bring them all back.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.render.isolation import can_isolate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "example-plan.xlsx"
HEAVY = ("openpyxl", "numpy", "pandas", "matplotlib", "docx", "docxtpl", "xlsxwriter", "PIL")
#: What only making documents needs: templates (Jinja) and LibreOffice (subprocess, for the PDF).
RENDERING = ("jinja2", "subprocess")

_RUN = """
import sys
from click.testing import CliRunner
from pipeline.cli import cli
result = CliRunner().invoke(cli, sys.argv[1:])
assert result.exit_code in (0, 1), result.output
print(" ".join(sorted(sys.modules)))
"""


def loaded_modules_after(*arguments: str) -> set[str]:
    """Every module imported by the time `eqplan ARGUMENTS` is done."""
    completed = subprocess.run(
        [sys.executable, "-c", _RUN, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(completed.stdout.split())


def loaded_after(*arguments: str) -> set[str]:
    """The top-level packages imported by the time `eqplan ARGUMENTS` is done."""
    return {name.partition(".")[0] for name in loaded_modules_after(*arguments)}


def test_validate_imports_no_writer_or_document_library():
    loaded = loaded_after("validate", str(EXAMPLE))
    assert "python_calamine" in loaded  # the workbook really was read
    assert loaded.isdisjoint(HEAVY), sorted(loaded.intersection(HEAVY))
    assert loaded.isdisjoint(RENDERING), sorted(loaded.intersection(RENDERING))


def test_validate_reads_the_shipped_framework_without_pyyaml():
    """The shipped framework comes from its compiled JSON twin (pipeline/compiled_data.py):
    importing PyYAML alone costs about 25 ms."""
    assert "yaml" not in loaded_after("validate", str(EXAMPLE))


#: The modules of the commands kept outside cli.py (cli._COMMANDS_ELSEWHERE).
OTHER_COMMANDS = ("cli_combine", "cli_cycle", "cli_reference", "cli_returns", "cli_serve")


def test_a_command_imports_no_other_commands_modules():
    loaded = loaded_modules_after("validate", str(EXAMPLE))
    assert not {f"pipeline.{name}" for name in OTHER_COMMANDS} & loaded


def test_help_lists_every_command_the_commands_run():
    from click.testing import CliRunner

    from pipeline.cli import cli

    listed = CliRunner().invoke(cli, ["--help"]).output
    for name in ("frameworks", "problems", "compare", "upgrade", "next-period", "serve"):
        assert f"  {name} " in listed, name
    for name in ("combine", "split", "merge", "template", "validate", "build", "summary"):
        assert f"  {name} " in listed, name


def test_summary_imports_no_writer_or_document_library():
    loaded = loaded_after("summary", "--format", "json", str(EXAMPLE))
    assert loaded.isdisjoint(HEAVY), sorted(loaded.intersection(HEAVY))


def test_reading_a_workbook_in_the_library_does_not_import_openpyxl():
    code = (
        "import sys; from pipeline.workbook import read_workbook; "
        f"read_workbook({str(EXAMPLE)!r}); print('openpyxl' in sys.modules)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "False"


def test_the_readers_column_letters_agree_with_openpyxl():
    from openpyxl.utils import column_index_from_string, get_column_letter

    from pipeline.workbook.sheet_scan import column_letter, column_number

    for number in (*range(1, 800), 16_384):
        assert column_letter(number) == get_column_letter(number)
        assert column_number(column_letter(number)) == column_index_from_string(
            get_column_letter(number)
        )


def test_the_chart_loads_only_the_picture_format_it_writes():
    """The chart is a PNG: Pillow's readers and writers of other formats stay unloaded (they
    took ~40 ms of a 100-action build)."""
    code = (
        "import sys; from pipeline.render.chart import rag_chart_png; "
        "from pipeline.validate import validate_workbook; from pipeline.view import build_view; "
        f"rag_chart_png(build_view(validate_workbook({str(EXAMPLE)!r}).plan)); "
        "print(' '.join(sys.modules))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(completed.stdout.split())
    assert "PIL.PngImagePlugin" in loaded
    others = {
        "PIL.BmpImagePlugin",
        "PIL.GifImagePlugin",
        "PIL.JpegImagePlugin",
        "PIL.PpmImagePlugin",
    }
    assert not loaded & others


@pytest.mark.skipif(not can_isolate(), reason="needs fork")
def test_a_build_makes_its_documents_in_processes_of_their_own(tmp_path):
    """The build's own process loads neither Pillow nor XlsxWriter, nor the Word libraries:
    the plan is made (its chart drawn) in the warm child, which imported python-docx,
    docxtpl and Jinja while this process read the workbook (word_job.py), and the summary
    workbook is written beside it. A module of theirs imported on the build's own path (a
    type, a constant) would undo the warm child's work."""
    loaded = loaded_after("build", str(EXAMPLE), "-o", str(tmp_path))
    assert "python_calamine" in loaded and (tmp_path / "example-plan.docx").is_file()
    assert not {"PIL", "xlsxwriter", "docx", "docxtpl", "jinja2"} & loaded


def test_a_build_without_a_pdf_loads_no_pdf_code(tmp_path):
    """LibreOffice's driver (and its PDF tagging) is imported only when a PDF is asked for."""
    loaded = loaded_modules_after("build", str(EXAMPLE), "-o", str(tmp_path))
    assert "pipeline.render.word_job" in loaded  # the plan's job was sent from here
    assert not {"pipeline.render.pdf", "pipeline.render.pdf_tags"} & loaded
