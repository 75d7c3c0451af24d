"""Build a plan: validate the workbook, then write the Word plan, summary workbook and PDF.

The one function behind `eqplan build` and `make plan`. Errors in the
workbook stop the build before anything is written; warnings go on into the
plan's appendix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.io import output_path, safe_filename
from pipeline.model import Framework
from pipeline.summaries import summarise
from pipeline.validate import Report, validate_workbook


@dataclass
class BuildResult:
    """The validation report and the files written (none when the workbook has errors)."""

    report: Report
    docx: Path | None = None
    summary: Path | None = None
    csv: Path | None = None
    pdf: Path | None = None
    notes: list[str] = field(default_factory=list)
    actions: int = 0


def build(
    workbook: Path,
    out_dir: Path,
    *,
    layout: str = "rag",
    template: Path | None = None,
    framework: Framework | None = None,
    pdf: bool = False,
    csv: bool = False,
    strict: bool = False,
    name: str | None = None,
    include_checks: bool = False,
) -> BuildResult:
    """Validate workbook and, if it has no errors, write the plan's documents into out_dir.

    include_checks adds the appendix of data checks to the plan; by default
    they stay in the validation report, out of the committee's document.
    """
    from pipeline.render import pdf as pdf_render
    from pipeline.render.summary_xlsx import write_summary
    from pipeline.render.word import default_template, render_word

    template = template or default_template(layout)
    validation = validate_workbook(workbook, framework=framework, strict=strict)
    result = BuildResult(report=validation.report)
    plan = validation.plan
    if not validation.report.valid or plan is None:
        return result
    stem = safe_filename(name or workbook.stem)
    summary = summarise(plan)
    word = render_word(
        plan,
        summary,
        validation.report.warnings,
        output_path(out_dir, f"{stem}.docx"),
        template,
        include_checks=include_checks,
    )
    result.docx = word.path
    result.actions = word.actions_found
    result.summary = write_summary(plan, summary, output_path(out_dir, f"{stem}-summary.xlsx"))
    if csv:
        from pipeline.render.csv_export import write_actions_csv

        result.csv = write_actions_csv(summary, output_path(out_dir, f"{stem}-actions.csv"))
    if pdf:
        try:
            result.pdf = pdf_render.convert(word.path, out_dir)
        except pdf_render.PdfUnavailable as exc:
            result.notes.append(f"{exc.message} {exc.hint}")
    return result
