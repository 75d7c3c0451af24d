"""Build a plan: validate the workbook, then write the Word plan, summary workbook and PDF.

The one function behind `eqplan build` and `make plan`. Errors in the
workbook stop the build before anything is written; warnings go on into the
plan's appendix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import TemplateError
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
    template_timeout: float | None = None,
) -> BuildResult:
    """Validate workbook and, if it has no errors, write the plan's documents into out_dir.

    The template is checked first (an unusable one stops the build before the
    workbook is read); its warnings join the workbook's in the printed report
    but not the plan's appendix, which is about the data.
    """
    from pipeline.render import pdf as pdf_render
    from pipeline.render.sandbox import DEFAULT_TIMEOUT
    from pipeline.render.summary_xlsx import write_summary
    from pipeline.render.template_file import check_template
    from pipeline.render.word import default_template, render_word

    template = template or default_template(layout)
    template_warnings = check_template(template)
    validation = validate_workbook(workbook, framework=framework, strict=strict)
    workbook_warnings = validation.report.warnings
    validation.report.add(template_warnings)
    result = BuildResult(report=validation.report)
    plan = validation.plan
    if not validation.report.valid or plan is None:
        return result
    stem = safe_filename(name or workbook.stem)
    docx_path = output_path(out_dir, f"{stem}.docx")
    _keep_template(
        template, [docx_path, out_dir / f"{stem}-summary.xlsx", out_dir / f"{stem}-actions.csv"]
    )
    summary = summarise(plan)
    word = render_word(
        plan,
        summary,
        workbook_warnings,
        docx_path,
        template,
        timeout=template_timeout or DEFAULT_TIMEOUT,
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


def _keep_template(template: Path, outputs: list[Path]) -> None:
    """Refuse to write an output over the Word template it is made from."""
    for target in outputs:
        if target.exists() and target.resolve() == template.resolve():
            raise TemplateError(
                f"The plan would be written over its own Word template, {template}.",
                hint="Keep templates in another folder, or choose another --out-dir or --name.",
            )
