"""Sending actions out and collecting the returns (issue 13): `eqplan split` and `eqplan merge`.

split writes one workbook per owner or section (pipeline/split.py); merge
applies the owners' returns to the plan and reports every change and every
disagreement (pipeline/merge.py). Neither changes its input files.
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

#: A returned workbook is filled in by its owner in one language: no `both` (issue 15).
RETURN_LANGUAGES = ("en", "cy")


@click.command("split")
@click.argument("plan", metavar="PLAN.xlsx", type=WORKBOOK)
@click.option(
    "--by",
    type=click.Choice(["owner", "section"]),
    required=True,
    help="One workbook per owner (joint actions go to each owner) or per section.",
)
@click.option(
    "-o",
    "--out-dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="The folder to write the workbooks into.",
)
@click.option("--return-by", metavar="DATE", help="The date owners should send them back by.")
@click.option("--force", is_flag=True, help="Replace workbooks already in the folder.")
@framework_option()
@language_option(
    RETURN_LANGUAGES,
    "cy: the workbooks in Welsh (sheet names, headings, dropdowns, the Read me). Not both: "
    "an owner fills in one workbook. Default: the language the plan was made in.",
    follows_workbook=True,
)
def split_command(
    plan: Path,
    by: str,
    out_dir: Path,
    return_by: str | None,
    force: bool,
    framework: Framework | None,
    language: str | None,
) -> None:
    """Write one workbook per owner or section, to send out for updates.

    Each holds only that owner's (or section's) actions. The cells an owner
    updates (Progress update, RAG, Status, Completed on, Next review,
    Deadline) are open; the rest are locked, without a password. Each
    workbook remembers what it held when sent, so 'eqplan merge' can tell
    what the owner changed. The plan is checked first and never changed.

    \b
    Example:
      eqplan split inputs/plan.xlsx --by owner -o outputs/send --return-by 15/01/2027
      eqplan split inputs/plan.xlsx --by owner -o outputs/anfon --language cy
    """
    from pipeline.formats import format_date
    from pipeline.i18n import _, ngettext, use_language
    from pipeline.split import parse_date, split_workbook
    from pipeline.uk_clock import uk_today

    when = parse_date(return_by, "--return-by") if return_by else None
    result = split_workbook(
        plan,
        out_dir,
        by=by,
        return_by=when,
        force=force,
        framework=framework,
        inputs=(framework_file(),),
        language=language,
    )
    with use_language(result.language):
        for written in result.files:
            count = len(written.refs)
            click.echo(  # the group named: a name like CON cannot be a file name, so it is changed
                ngettext(
                    "Wrote %(path)s for %(group)s (%(count)s action).",
                    "Wrote %(path)s for %(group)s (%(count)s actions).",
                    count,
                )
                % {"path": written.path, "group": written.group, "count": count}
            )
        if result.unowned:
            click.echo(
                ngettext(
                    "Not sent: %(count)s action has no owner (%(refs)s). "
                    "Give it an owner in the plan to send it out.",
                    "Not sent: %(count)s actions have no owner (%(refs)s). "
                    "Give them an owner in the plan to send them out.",
                    len(result.unowned),
                )
                % {"count": len(result.unowned), "refs": ", ".join(result.unowned)},
                err=True,
            )
        if when is not None and when < uk_today():  # a typed year (2020 for 2027), most likely
            click.echo(
                _(
                    "Warning: the date to send them back by, %(date)s, has already passed. "
                    "If --return-by was mistyped, split again with the right date and --force."
                )
                % {"date": format_date(when)},
                err=True,
            )


@click.command("merge")
@click.argument("plan", metavar="PLAN.xlsx", type=WORKBOOK)
@click.argument("returns", metavar="RETURN.xlsx...", type=WORKBOOK, nargs=-1, required=True)
@click.option("-o", "--output", type=NEW_WORKBOOK, required=True, help="The merged plan to write.")
@format_option("The report for people (text) or programs (json).")
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@framework_option()
@language_option(
    RETURN_LANGUAGES,
    "cy: the merged plan and the report in Welsh (the JSON keeps its keys). Returns from a "
    "Welsh or an English split are merged alike. Not both: the merged plan is one workbook. "
    "Default: the language the plan was made in.",
    follows_workbook=True,
)
def merge_command(
    plan: Path,
    returns: tuple[Path, ...],
    output: Path,
    output_format: str,
    force: bool,
    framework: Framework | None,
    language: str | None,
) -> None:
    """Apply the owners' returned workbooks to the plan, and say what changed.

    Only the cells owners update are applied; a progress update also goes
    into the Progress log with the date the return was saved. Two returns
    disagreeing, a locked cell changed, rows added or deleted, the owners
    with no return in this merge, and returns from another plan or period
    are all listed; refused returns are left out, a copy of a return given is
    skipped, and the rest are merged. The plan and the returns are never changed.

    Exit code 1 when a return was refused or has errors (the merged plan is
    still written), 2 when the plan cannot be read.

    \b
    Example:
      eqplan merge inputs/plan.xlsx returns/*.xlsx -o inputs/plan-merged.xlsx
      eqplan merge inputs/plan.xlsx returns/*.xlsx -o inputs/plan-merged.xlsx --format json
      eqplan merge inputs/cynllun.xlsx atebion/*.xlsx -o inputs/cynllun-cyfun.xlsx --language cy
    """
    import json
    import sys

    from pipeline.errors import WorkbookInvalid
    from pipeline.i18n import _, use_language
    from pipeline.merge import merge_workbooks

    report = merge_workbooks(
        plan,
        list(returns),
        output,
        force=force,
        framework=framework,
        inputs=(framework_file(),),
        language=language,
    )
    with use_language(report.language):
        if output_format == "json":
            click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False, default=str))
        else:
            click.echo(report.text())
            click.echo("\n" + _("Check it with: %(command)s") % {"command": check_command(output)})
        if report.has_errors:
            click.echo(_("Error: %(message)s") % {"message": report.error_summary()}, err=True)
            sys.exit(WorkbookInvalid.exit_code)
