"""The quarterly cycle's commands (issue 12): `eqplan compare`, `upgrade` and `next-period`.

Each reads a workbook, never changes it, and writes a new one through the
current template (pipeline/workbook/upgrade.py, next_period.py). Like
`eqplan template`, they never replace an existing file without --force.
"""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli_options import (
    NEW_WORKBOOK,
    WORKBOOK,
    check_command,
    format_option,
    framework_file,
    framework_option,
    language_option,
)
from pipeline.model import Framework

_FORCE = click.option("--force", is_flag=True, help="Replace the output file if it already exists.")


@click.command("upgrade")
@click.argument("old", metavar="OLD.xlsx", type=WORKBOOK)
@click.option("-o", "--output", type=NEW_WORKBOOK, required=True, help="The new workbook to write.")
@_FORCE
@framework_option()
def upgrade_command(old: Path, output: Path, force: bool, framework: Framework | None) -> None:
    """Copy a workbook made by an older template into the current template.

    The Plan, Report, Sections, Self-assessment, Actions, Owners and Progress log
    sheets and the strands and their colours are copied as typed, and so are
    your own columns (after eqplan's) and sheets; the new workbook has the
    current columns, dropdowns and date checks. The old workbook is never changed.

    \b
    Example:
      eqplan upgrade inputs/plan-2025.xlsx -o inputs/plan-2026.xlsx
    """
    from pipeline.io import refuse_overwriting_inputs
    from pipeline.workbook.upgrade import upgrade_workbook

    refuse_overwriting_inputs([output], [framework_file()], hint="Choose another name with -o.")
    from pipeline.i18n import _, use_language

    data = upgrade_workbook(old, output, force=force, framework=framework)
    with use_language(data.language):  # a Welsh workbook's report in Welsh
        click.echo(_("Copied from %(old)s:") % {"old": old})
        for line in [*data.copied(), *data.own.copied()]:
            click.echo(f"  {line}")
        for place in data.left_out:
            not_part = _("Not copied: %(place)s (not part of %(framework)s).")
            click.echo("  " + not_part % {"place": place, "framework": data.framework.short_title})
        for line in data.own.not_copied():
            click.echo("  " + _("Not copied: %(line)s.") % {"line": line})
        click.echo(
            _("Wrote %(output)s. Check it with: %(command)s")
            % {"output": output, "command": check_command(output)}
        )


@click.command("next-period")
@click.argument("current", metavar="CURRENT.xlsx", type=WORKBOOK)
@click.option("-o", "--output", type=NEW_WORKBOOK, required=True, help="The new workbook to write.")
@click.option(
    "--report-date",
    metavar="DATE",
    help="The next report's date (default: three months after the current one).",
)
@_FORCE
@framework_option()
def next_period_command(
    current: Path,
    output: Path,
    report_date: str | None,
    force: bool,
    framework: Framework | None,
) -> None:
    """Write the workbook officers fill in for the next report.

    Same actions and Refs; each progress update moves to the Progress log
    sheet, dated the current report date, and its cell is cleared for the
    new update; RAG and Status are kept; the report date moves on three
    months (or to --report-date). Complete actions are kept as they are and
    noted once in the log as carried forward. The current workbook is never
    changed.

    \b
    Example:
      eqplan next-period inputs/plan-q3.xlsx -o inputs/plan-q4.xlsx
      eqplan next-period inputs/plan-q3.xlsx -o inputs/plan-q4.xlsx --report-date 31/03/2027
    """
    from pipeline.io import refuse_overwriting_inputs
    from pipeline.workbook.next_period import (
        next_period_workbook,
        parse_report_date,
        summary_lines,
    )

    refuse_overwriting_inputs([output], [framework_file()], hint="Choose another name with -o.")
    when = parse_report_date(report_date) if report_date else None
    result = next_period_workbook(
        current, output, report_date=when, force=force, framework=framework
    )
    from pipeline.i18n import _, use_language

    with use_language(result.language):  # a Welsh plan's report in Welsh, as merge's is
        for line in summary_lines(result):
            click.echo(line)
        click.echo(_("Wrote %(output)s.") % {"output": output})


@click.command("compare")
@click.argument("previous", type=WORKBOOK)
@click.argument("current", type=WORKBOOK)
@framework_option()
@format_option("Changes for people (text) or programs (json).")
@click.option(
    "-o",
    "--out-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Also write a Word document and a workbook of the changes into this folder.",
)
@language_option(
    help_text="cy: the report and the changes files in Welsh (<name>-cy-changes…); both: Welsh "
    "then English (<name>-cy-changes… and <name>-en-changes…). JSON is the same in every language."
)
def compare_command(
    previous: Path,
    current: Path,
    framework: Framework | None,
    output_format: str,
    out_dir: Path | None,
    language: str,
) -> None:
    """Show what changed between the previous report's workbook and the current one.

    Actions are matched by Ref; one with no Ref of your own is matched by its
    framework point and similar wording, and the report says so. Both workbooks
    are checked first: errors stop the comparison (exit code 1).

    \b
    Example:
      eqplan compare inputs/plan-september.xlsx inputs/plan-november.xlsx
      eqplan compare inputs/plan-september.xlsx inputs/plan-november.xlsx --format json -o outputs
      eqplan compare inputs/plan-september.xlsx inputs/plan-november.xlsx --language both -o outputs
    """
    import json

    from pipeline.compare_files import compare_workbooks, write_changes
    from pipeline.i18n import _, languages_for, use_language
    from pipeline.validate.report import problem_lines
    from pipeline.view_changes import build_changes_view
    from pipeline.view_text import changes_text

    worded = "en" if output_format == "json" else languages_for(language)[0]  # JSON: English
    comparison = compare_workbooks(previous, current, framework, worded)
    if output_format == "json":  # for programs: the same keys and words in every language
        click.echo(json.dumps(comparison.as_dict(), indent=2, ensure_ascii=False))
    else:
        reports = []
        for lang in languages_for(language):
            with use_language(lang):
                changes = build_changes_view(comparison)
                reports.append(changes_text(changes, str(previous), str(current)))
        click.echo("\n\n".join(reports))
    for problem in comparison.problems:  # given the wrong way round? (also in the JSON)
        click.echo("\n" + "\n".join(problem_lines(problem)), err=True)
    if out_dir is not None:
        inputs = [previous, current, framework_file()]
        written = write_changes(comparison, out_dir, current.stem, inputs, language=language)
        with use_language(worded):  # in the report's language (English beside JSON)
            for files in written:
                for path in (files.docx, files.xlsx):
                    click.echo(_("Wrote %(path)s") % {"path": path}, err=output_format == "json")
