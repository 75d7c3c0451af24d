"""Hostile cases: outputs (see hostile.py for the contract).

Output paths that lead back to an input (by name, symlink or hard link), a
blank template over a filled plan, output folders that cannot exist, and a
LibreOffice that writes rubbish. Each must stop with exit code 2 (3 for a
PDF that fails its check) and leave every file that was there unchanged.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.bad_inputs.hostile import HostileCase
from tests.conftest import ROOT, write_plan_workbook

OLD = b"an earlier run's output, which must survive"
FRAMEWORK_YAML = (
    "id: our-objectives\ntitle: Our objectives\nmodules:\n"
    "  - ref: 'A'\n    title: People\n    themes:\n      - {ref: 'A1', title: Fair pay}\n"
)
# Parses LibreOffice's arguments as eqplan passes them: sets $out (folder) and $stem.
_SOFFICE_ARGS = """#!/bin/sh
out=""; src=""
while [ $# -gt 0 ]; do
  case "$1" in --outdir) out="$2"; shift ;; *) src="$1" ;; esac
  shift
done
name="${src##*/}"; stem="${name%.*}"
"""


def fake_soffice(folder: Path, body: str) -> Path:
    """Write a fake `soffice` into folder/bin running body after the argument parsing; return bin."""
    bin_dir = folder / "bin"
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "soffice"
    script.write_text(_SOFFICE_ARGS + body, encoding="utf-8")
    script.chmod(0o755)
    return bin_dir


def _plan(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_plan_workbook(path)


def _old(*paths: Path) -> None:
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(OLD)


def _missing_input_named_like_an_output(folder: Path) -> list[str]:
    (folder / "out").mkdir()
    return ["build", "out/x-summary.xlsx", "-o", "out", "--name", "x"]


def _output_is_a_link_elsewhere(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    _old(folder / "elsewhere" / "kept.docx")
    (folder / "out").mkdir()
    (folder / "out" / "plan.docx").symlink_to(folder / "elsewhere" / "kept.docx")
    return ["build", "plan.xlsx", "-o", "out"]


def _output_folder_is_symlink_loop(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    (folder / "loop").symlink_to("loop")
    return ["build", "plan.xlsx", "-o", "loop/sub"]


def _workbook_named_docx(folder: Path) -> list[str]:
    _plan(folder / "c4" / "plan.docx")
    return ["build", "c4/plan.docx", "-o", "c4"]


def _summary_given_as_workbook(folder: Path) -> list[str]:
    _plan(folder / "x" / "plan-summary.xlsx")
    return ["build", "x/plan-summary.xlsx", "-o", "x", "--name", "plan"]


def _csv_name_as_workbook(folder: Path) -> list[str]:
    _plan(folder / "x" / "plan-actions.csv")
    return ["build", "x/plan-actions.csv", "-o", "x", "--name", "plan", "--csv"]


def _pdf_name_as_workbook(folder: Path) -> list[str]:
    _plan(folder / "x" / "plan.pdf")
    return ["build", "x/plan.pdf", "-o", "x", "--pdf"]


def _cover_name_as_workbook(folder: Path) -> list[str]:
    _plan(folder / "x" / "plan-cover-report.docx")
    return ["build", "x/plan-cover-report.docx", "-o", "x", "--name", "plan", "--cover"]


def _pack_name_as_workbook(folder: Path) -> list[str]:
    _plan(folder / "x" / "plan-committee-pack.zip")
    return ["build", "x/plan-committee-pack.zip", "-o", "x", "--name", "plan", "--pack"]


def _older_workbook_cover(folder: Path) -> list[str]:
    path = folder / "older.xlsx"
    write_plan_workbook(path, edit=lambda wb: wb.remove(wb["Report"]))
    return ["build", "older.xlsx", "-o", "out", "--cover"]


def _annotated_copy_is_hard_link(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    (folder / "out").mkdir()
    os.link(folder / "plan.xlsx", folder / "out" / "plan-checked.xlsx")
    return ["validate", "plan.xlsx", "--annotate", "-o", "out"]


def _workbook_is_symlink_to_output(folder: Path) -> list[str]:
    _plan(folder / "out" / "plan-summary.xlsx")
    (folder / "link.xlsx").symlink_to(folder / "out" / "plan-summary.xlsx")
    return ["build", "link.xlsx", "-o", "out", "--name", "plan"]


def _output_through_symlinked_folder(folder: Path) -> list[str]:
    _plan(folder / "work" / "plan.docx")
    (folder / "mirror").symlink_to(folder / "work", target_is_directory=True)
    return ["build", "work/plan.docx", "-o", "mirror"]


def _word_template_is_output(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    (folder / "out").mkdir()
    shutil.copyfile(ROOT / "templates" / "action-plan-rag.docx", folder / "out" / "plan.docx")
    return ["build", "plan.xlsx", "--template", "out/plan.docx", "-o", "out"]


def _framework_file_is_output(folder: Path) -> list[str]:
    # Named as a workbook: any other name is refused before this check (cli_options.NewWorkbook).
    (folder / "ours.xlsx").write_text(FRAMEWORK_YAML, encoding="utf-8")
    return ["template", "--framework", "ours.xlsx", "-o", "ours.xlsx", "--force"]


def _framework_file_is_annotated_copy(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    (folder / "out").mkdir()
    (folder / "out" / "plan-checked.xlsx").write_text(FRAMEWORK_YAML, encoding="utf-8")
    framework = "out/plan-checked.xlsx"
    return ["validate", "plan.xlsx", "--annotate", "-o", "out", "--framework", framework]


def _template_over_filled_plan(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    return ["template", "-o", "plan.xlsx"]


def _out_dir_under_a_file(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    (folder / "somefile.txt").write_text("notes")
    return ["build", "plan.xlsx", "-o", "somefile.txt/out"]


def _out_dir_is_a_file(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    (folder / "outputs").write_text("not a folder")
    return ["build", "plan.xlsx", "-o", "outputs"]


def _annotate_under_a_file(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    (folder / "somefile.txt").write_text("notes")
    return ["validate", "plan.xlsx", "--annotate", "-o", "somefile.txt/out"]


def _output_name_is_a_folder(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    (folder / "out" / "plan.docx").mkdir(parents=True)
    _old(folder / "out" / "plan-summary.xlsx", folder / "out" / "plan-actions.csv")
    return ["build", "plan.xlsx", "-o", "out", "--csv"]


def _template_output_is_a_folder(folder: Path) -> list[str]:
    (folder / "blank.xlsx").mkdir()
    return ["template", "-o", "blank.xlsx", "--force"]


def _garbage_pdf(folder: Path) -> list[str]:
    _plan(folder / "plan.xlsx")
    _old(*(folder / "out" / name for name in ("plan.docx", "plan-summary.xlsx", "plan.pdf")))
    fake_soffice(folder, "printf '%%PDF-garbage' > \"$out/$stem.pdf\"\n")
    return ["build", "plan.xlsx", "-o", "out", "--pdf"]


def _input_named_like_a_temporary(folder: Path) -> list[str]:
    # A dead process id (above any pid_max) makes the name look like a stale temporary.
    _plan(folder / "out" / ".eqplan-tmp-999999999-abcdefgh-plan.xlsx")
    return ["build", "out/.eqplan-tmp-999999999-abcdefgh-plan.xlsx", "-o", "out", "--name", "p"]


_REFUSED = ("Refusing to write", "never changes its input files")

CASES: list[HostileCase] = [
    HostileCase(
        "output-workbook-named-docx",
        "a workbook saved as plan.docx, built into its own folder, would be replaced by the plan",
        _workbook_named_docx,
        2,
        says=(*_REFUSED, "c4/plan.docx"),
    ),
    HostileCase(
        "output-summary-given-as-workbook",
        "the workbook is called plan-summary.xlsx and --name plan would overwrite it",
        _summary_given_as_workbook,
        2,
        says=(*_REFUSED, "x/plan-summary.xlsx"),
    ),
    HostileCase(
        "output-csv-name-as-workbook",
        "with --csv the actions file would replace a workbook named plan-actions.csv",
        _csv_name_as_workbook,
        2,
        says=(*_REFUSED, "x/plan-actions.csv"),
    ),
    HostileCase(
        "output-pdf-name-as-workbook",
        "with --pdf the PDF would replace a workbook named plan.pdf (refused before LibreOffice)",
        _pdf_name_as_workbook,
        2,
        says=(*_REFUSED, "x/plan.pdf"),
    ),
    HostileCase(
        "output-cover-name-as-workbook",
        "with --cover the cover report would replace a workbook named plan-cover-report.docx",
        _cover_name_as_workbook,
        2,
        says=(*_REFUSED, "x/plan-cover-report.docx"),
    ),
    HostileCase(
        "output-pack-name-as-workbook",
        "with --pack the zip would replace a workbook named plan-committee-pack.zip",
        _pack_name_as_workbook,
        2,
        says=(*_REFUSED, "x/plan-committee-pack.zip"),
    ),
    HostileCase(
        "output-cover-from-older-workbook",
        "a workbook from before the Report sheet still gets its cover report, with a warning",
        _older_workbook_cover,
        0,
        says=(
            "REPORT_FIELDS_MISSING",
            "The workbook has no Report sheet",
            "Wrote out/older-cover-report.docx",
        ),
    ),
    HostileCase(
        "output-annotated-copy-is-hard-link",
        "the checked copy's name is a hard link to the workbook",
        _annotated_copy_is_hard_link,
        2,
        says=(*_REFUSED, "out/plan-checked.xlsx", "plan.xlsx"),
    ),
    HostileCase(
        "output-workbook-is-symlink-to-output",
        "the workbook given is a symlink to the summary the build would write",
        _workbook_is_symlink_to_output,
        2,
        says=(*_REFUSED, "link.xlsx"),
    ),
    HostileCase(
        "output-folder-is-symlink-to-input-folder",
        "-o names a symlink to the workbook's folder, and the workbook is called plan.docx",
        _output_through_symlinked_folder,
        2,
        says=(*_REFUSED, "mirror/plan.docx", "work/plan.docx"),
    ),
    HostileCase(
        "output-word-template-is-output",
        "--template names the very .docx the build would write",
        _word_template_is_output,
        2,
        says=(*_REFUSED, "out/plan.docx"),
    ),
    HostileCase(
        "output-framework-file-is-template-output",
        "template -o names the --framework file itself, even with --force",
        _framework_file_is_output,
        2,
        says=(*_REFUSED, "ours.xlsx"),
    ),
    HostileCase(
        "output-framework-file-is-annotated-copy",
        "validate --annotate would write its checked copy over the --framework file",
        _framework_file_is_annotated_copy,
        2,
        says=(*_REFUSED, "out/plan-checked.xlsx"),
    ),
    HostileCase(
        "output-template-over-filled-plan",
        "eqplan template -o plan.xlsx where plan.xlsx is a filled-in plan",
        _template_over_filled_plan,
        2,
        says=("already exists", "--force"),
    ),
    HostileCase(
        "output-folder-under-a-file",
        "-o somefile.txt/out: a file where a folder must be",
        _out_dir_under_a_file,
        2,
        says=("cannot write somefile.txt/out/plan.docx", "a file is in the way"),
    ),
    HostileCase(
        "output-folder-is-a-file",
        "-o names an existing file",
        _out_dir_is_a_file,
        2,
        says=("cannot write outputs/plan.docx", "outputs is a file, not a folder"),
    ),
    HostileCase(
        "output-annotate-under-a-file",
        "validate --annotate -o somefile.txt/out",
        _annotate_under_a_file,
        2,
        says=("cannot write somefile.txt/out/plan-checked.xlsx", "a file is in the way"),
    ),
    HostileCase(
        "output-name-is-a-folder",
        "out/plan.docx is a folder: nothing is replaced, the old summary and CSV stay",
        _output_name_is_a_folder,
        2,
        says=("cannot write out/plan.docx", "is a folder"),
    ),
    HostileCase(
        "output-template-name-is-a-folder",
        "template -o names an existing folder",
        _template_output_is_a_folder,
        2,
        says=("cannot write blank.xlsx", "is a folder"),
    ),
    HostileCase(
        "output-garbage-pdf",
        "a LibreOffice that writes %PDF-garbage: refused, every earlier output kept",
        _garbage_pdf,
        3,
        says=("not a readable PDF",),
        never_says=("Wrote",),
        env={"PATH": f"bin{os.pathsep}/usr/bin{os.pathsep}/bin"},
    ),
    HostileCase(
        "output-input-named-like-a-temporary",
        "a workbook whose name looks like a stale eqplan temporary is never cleaned away",
        _input_named_like_a_temporary,
        0,
        says=("Wrote out/p.docx",),
    ),
    HostileCase(
        "output-folder-is-symlink-loop",
        "-o through a symbolic link that points at itself: Python raises RuntimeError",
        _output_folder_is_symlink_loop,
        2,
        says=("Error: cannot write loop/sub/plan.docx", "perhaps one leading to itself"),
        never_says=("RuntimeError",),
    ),
    HostileCase(
        "output-missing-input-named-like-an-output",
        "the workbook named does not exist, and its name is one the build would write",
        _missing_input_named_like_an_output,
        2,
        says=("out/x-summary.xlsx does not exist",),
        never_says=("same file",),
    ),
    HostileCase(
        "output-is-a-link-to-another-folder",
        "an output's name in -o is a symbolic link to a file in another folder",
        _output_is_a_link_elsewhere,
        2,
        says=(
            "Refusing to write outside out",
            "is a link to a file in another folder",
            "Delete or rename",
        ),
        never_says=("Wrote",),
    ),
]
