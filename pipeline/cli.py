"""The `eqplan` command line: parse options, call one library function, print the result.

Exit codes: 0 no errors (warnings allowed), 1 the workbook has errors,
2 unusable input or arguments, 3 a generated document failed its own check.
Every `EqplanError` is shown as `Error: ...` with a hint, never a traceback.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cli_options import (
    NEW_WORKBOOK,
    Group,
    format_option,
    framework_file,
    framework_option,
    language_option,
    out_dir_option,
    since_option,
    warnings_pointer,
    workbook_argument,
)
from pipeline.errors import WorkbookInvalid
from pipeline.formats import format_number
from pipeline.model import Framework
from pipeline.render.limits import PDF_SECONDS, TEMPLATE_SECONDS

if TYPE_CHECKING:
    from pipeline.render.isolation import Warm

#: Where the group keeps the build's warm child (word_job.warm_word_child) for the command.
WARM_CHILD = "eqplan.warm_child"
#: Commands kept in their own modules, one per job, each imported only when it runs (or help
#: lists it); add new ones here.
_COMMANDS_ELSEWHERE = {
    "frameworks": "pipeline.cli_reference:frameworks_group",
    "problems": "pipeline.cli_reference:problems_command",
    "compare": "pipeline.cli_cycle:compare_command",
    "upgrade": "pipeline.cli_cycle:upgrade_command",
    "next-period": "pipeline.cli_cycle:next_period_command",
    "serve": "pipeline.cli_serve:serve_command",
    "combine": "pipeline.cli_combine:combine_command",
    "split": "pipeline.cli_returns:split_command",
    "merge": "pipeline.cli_returns:merge_command",
}


@click.group(cls=Group, lazy=_COMMANDS_ELSEWHERE)
@click.version_option(package_name="eqplan")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Turn a council's equality action plan workbook into Word documents.

    \b
    Typical use:
      eqplan template -o inputs/plan.xlsx     # blank workbook to fill in
      eqplan validate inputs/plan.xlsx        # list anything to fix, by cell
      eqplan build inputs/plan.xlsx -o outputs
    """
    if ctx.invoked_subcommand == "build":  # before its options are read: as early as can be
        # A child importing the Word libraries while the workbook is read (word_job.py): the
        # one launch.py forked as the process started, or none if it chose not to (main's
        # warm); else, run another way, one forked now.
        if isinstance(ctx.obj, dict) and WARM_CHILD in ctx.obj:
            ctx.meta[WARM_CHILD] = ctx.obj[WARM_CHILD]
        else:
            from pipeline.render.word_job import warm_word_child

            ctx.meta[WARM_CHILD] = ctx.with_resource(warm_word_child())


# ----------------------------------------------------------------------- template


@cli.command("template")
@framework_option(default="eflg-2021")
@click.option(
    "-o",
    "--output",
    type=NEW_WORKBOOK,
    default=Path("inputs/plan-template.xlsx"),
    show_default=True,
    help="Where to write the blank workbook.",
)
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@language_option(("en", "cy"), "cy: sheet names, headings, help and dropdowns in Welsh.")
def template_command(framework: Framework, output: Path, force: bool, language: str) -> None:
    """Write the blank Excel workbook that officers fill in.

    An existing file is never replaced without --force: it may be a plan
    someone has filled in.

    \b
    Example:
      eqplan template --framework eflg-2021 -o inputs/plan-template.xlsx
      eqplan template --framework eif-wales-2011 -o inputs/wales.xlsx
      eqplan template --framework eif-wales-2011 --language cy -o inputs/cymru.xlsx
    """
    from pipeline.io import refuse_overwriting_inputs, refuse_replacing
    from pipeline.workbook import write_template

    refuse_overwriting_inputs([output], [framework_file()], hint="Choose another name with -o.")
    if not force:
        refuse_replacing(output)
    write_template(framework, output, language=language)
    from pipeline.i18n import _, use_language

    with use_language(language):  # the Welsh template's word in Welsh
        wrote = _("Wrote %(path)s (%(framework)s).")
    click.echo(wrote % {"path": output, "framework": framework.short_title})


# ----------------------------------------------------------------------- validate


@cli.command("validate")
@workbook_argument
@framework_option()
@format_option("Report for people (text) or programs (json).")
@click.option(
    "--annotate", is_flag=True, help="Also write a copy of the workbook with problem cells marked."
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@out_dir_option("Folder for the --annotate copy.")
@language_option(
    help_text="cy or both: the report (and the --annotate copy) in Welsh, with the checks of the "
    "Welsh text."
)
def validate_command(
    workbook: Path,
    framework: Framework | None,
    output_format: str,
    annotate: bool,
    strict: bool,
    out_dir: Path,
    language: str,
) -> None:
    """Check a filled workbook and list every problem with its cell. The workbook is never changed.

    \b
    Example:
      eqplan validate inputs/plan.xlsx
      eqplan validate inputs/plan.xlsx --annotate --strict
      eqplan validate inputs/plan.xlsx --format json > report.json
      eqplan validate inputs/plan.xlsx --language cy
    """
    from pipeline.i18n import _, use_language
    from pipeline.validate import validate_workbook

    with use_language("en" if language == "en" else "cy"):
        result = validate_workbook(workbook, framework=framework, strict=strict, language=language)
        report = result.report
        click.echo(report.to_json() if output_format == "json" else report.to_text())
    if annotate:  # in Welsh for cy and both, as the report's messages in it are
        from pipeline.render.annotate import write_annotated

        with use_language("en" if language == "en" else "cy"):
            target = write_annotated(workbook, report, out_dir, inputs=[framework_file()])
            written = _("Marked copy written to %(path)s") % {"path": target}
        click.echo(written, err=output_format == "json")
    if not report.valid:
        sys.exit(WorkbookInvalid.exit_code)


# -------------------------------------------------------------------------- build


@cli.command("build")
@workbook_argument
@out_dir_option("Folder for the documents.")
@click.option(
    "--layout",
    type=click.Choice(["rag", "outcomes"]),
    default="rag",
    show_default=True,
    help="rag: evidence, action, deadline, owner and RAG columns; outcomes: where we are now "
    "and what we want to achieve.",
)
@click.option(
    "--template",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Your own Word template (default: templates/action-plan-<layout>.docx).",
)
@framework_option()
@click.option("--pdf", is_flag=True, help="Also write a PDF (needs LibreOffice).")
@click.option(
    "--pdf-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=PDF_SECONDS,
    show_default=True,
    metavar="SECONDS",
    help="Stop LibreOffice if making the PDF takes longer than this.",
)
@click.option("--csv", is_flag=True, help="Also write every action to a CSV file for dashboards.")
@click.option(
    "--html",
    is_flag=True,
    help="Also write the plan as one accessible web page (NAME.html) for the council's website.",
)
@click.option(
    "--strict", is_flag=True, help="Treat warnings as errors: build only a clean workbook."
)
@click.option("--name", help="Base name of the output files (default: the workbook's name).")
@click.option(
    "--template-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=TEMPLATE_SECONDS,
    show_default=True,
    metavar="SECONDS",
    help="Stop filling in (and finishing) the Word template after this many seconds.",
)
@click.option(
    "--include-checks",
    is_flag=True,
    help="Add an appendix listing the data checks by cell (for officers, not for committee).",
)
@click.option(
    "--history",
    is_flag=True,
    help="Add an appendix with each action's earlier updates from the Progress log sheet.",
)
@since_option
@click.option(
    "--cover",
    is_flag=True,
    help="Also write the committee cover report (<name>-cover-report.docx) from the Report sheet.",
)
@click.option(
    "--pack",
    is_flag=True,
    help="Write the committee pack: cover report, plan (Word, and PDF with LibreOffice), web "
    "page, summary workbook and a zip of them (<name>-committee-pack.zip).",
)
@language_option()
def build_command(
    workbook: Path,
    out_dir: Path,
    layout: str,
    template: Path | None,
    framework: Framework | None,
    pdf: bool,
    pdf_timeout: float,
    csv: bool,
    html: bool,
    strict: bool,
    name: str | None,
    template_timeout: float,
    include_checks: bool,
    history: bool,
    since: Path | None,
    cover: bool,
    pack: bool,
    language: str,
) -> None:
    """Check the workbook, then write the Word action plan and the summary workbook.

    Errors in the workbook stop the build (exit code 1) and are listed by cell;
    warnings are printed here. With --include-checks they are also listed in
    an appendix of the plan; by default the plan is written for committee.

    \b
    Example:
      eqplan build inputs/plan.xlsx -o outputs
      eqplan build inputs/plan.xlsx --layout outcomes --pdf --csv
      eqplan build inputs/plan.xlsx --html
      eqplan build inputs/plan.xlsx --template templates/our-branding.docx
      eqplan build inputs/plan.xlsx --include-checks
      eqplan build inputs/plan.xlsx --history
      eqplan build inputs/plan.xlsx --since inputs/plan-last-quarter.xlsx
      eqplan build inputs/plan.xlsx --cover
      eqplan build inputs/plan.xlsx --pack
      eqplan build inputs/plan.xlsx --language both
    """
    from pipeline.build import build

    result = build(
        workbook,
        out_dir,
        layout=layout,
        template=template,
        framework=framework,
        pdf=pdf,
        pdf_timeout=pdf_timeout,
        csv=csv,
        strict=strict,
        name=name,
        framework_file=framework_file(),
        template_timeout=template_timeout,
        include_checks=include_checks,
        html=html,
        history=history,
        since=since,
        cover=cover,
        pack=pack,
        language=language,
        warm=click.get_current_context().meta.get(WARM_CHILD),
    )
    click.echo(result.report.to_text())
    if result.previous is not None:  # checked too: counted here, listed by validate
        click.echo(f"Previous report (--since): {result.previous.summary_line()}")
        if result.previous.warnings:
            click.echo("  " + warnings_pointer(len(result.previous.warnings), since, framework))
    if result.docx is None:
        click.echo("\nNo plan was built: fix the errors above and run the command again.", err=True)
        sys.exit(WorkbookInvalid.exit_code)
    found = result.actions
    click.echo(
        "\nThe one action is in the plan."
        if found == 1
        else f"\nAll {format_number(found)} actions are in the plan."
    )
    for path in result.written:
        click.echo(f"Wrote {path}")
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)


# ------------------------------------------------------------------------ summary


@cli.command("summary")
@workbook_argument
@framework_option()
@format_option("Figures for people (text) or programs (json).")
@since_option
@language_option(
    help_text="cy: the figures in Welsh; both: in Welsh, then in English. JSON is the same in "
    "every language."
)
def summary_command(
    workbook: Path,
    framework: Framework | None,
    output_format: str,
    since: Path | None,
    language: str,
) -> None:
    """Print the plan's figures: the same numbers the Word plan and summary workbook print.

    The workbook is checked first, as for build: with errors, they are listed and
    no figures are printed (exit code 1).

    \b
    Example:
      eqplan summary inputs/plan.xlsx
      eqplan summary inputs/plan.xlsx --format json > figures.json
      eqplan summary inputs/plan.xlsx --language cy
    """
    import json

    from pipeline.compare_files import since_previous
    from pipeline.i18n import languages_for, use_language
    from pipeline.validate import validate_workbook
    from pipeline.validate.report import problem_lines
    from pipeline.view import build_view
    from pipeline.view_text import figures_text, plan_heading

    # Checked as validate --language checks it, so the two count the same warnings.
    validation = validate_workbook(workbook, framework=framework, language=language)
    report, plan = validation.report, validation.plan
    if not report.valid or plan is None:
        click.echo(report.to_text(), err=True)
        click.echo("\nNo figures: fix the errors above and run the command again.", err=True)
        sys.exit(WorkbookInvalid.exit_code)
    worded = "en" if output_format == "json" else languages_for(language)[0]  # JSON: English
    comparison, previous = since_previous(since, validation, framework, worded)
    if output_format == "json":  # for programs: the same keys and words in every language
        view = build_view(plan, report.warnings, since=comparison)
        click.echo(json.dumps(view.as_dict(), indent=2, ensure_ascii=False))
    else:
        shown = []
        for lang in languages_for(language):
            with use_language(lang):
                view = build_view(plan, report.warnings, since=comparison)
                shown.append(figures_text(view, plan_heading(plan)))
        click.echo("\n\n".join(shown))
    for problem in comparison.problems if comparison else []:  # not validate's: said here
        click.echo("\n" + "\n".join(problem_lines(problem)), err=True)
    with use_language(languages_for(language)[0]):
        for checked, path in ((report, workbook), (previous, since)):
            if checked is not None and checked.warnings:
                pointer = warnings_pointer(len(checked.warnings), path, framework, language)
                click.echo("\n" + pointer, err=True)


def main(warm: Warm | None = None, launched: bool = False) -> None:
    """Run the command line (`eqplan`, by way of launch.py). With launched, launch.py has
    chosen the build's warm child as the process started: warm, used by the build and
    stopped by launch.py, or None for none (no build, its help only, or no fork to be
    had). Without, a build forks its own, as when the click command is called.

    The process ends right after the command: nothing is gained by Python's garbage
    collector walking every object of every module on the way out, which took 0.1 to
    0.3 s of a 100-action build (issue 17). Frozen, they are left to the end of the process
    (exit handlers still run, files are still flushed and closed).
    """
    try:
        cli(prog_name="eqplan", obj={WARM_CHILD: warm} if launched else None)
    finally:
        gc.freeze()
