"""`eqplan combine`: several departments' or partners' plans into one workbook (issue 13).

The merging rules are in pipeline/combine.py; this module reads the options
and reports what was done, in words or as JSON.
"""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli_options import format_option

_WORKBOOK = click.Path(path_type=Path, dir_okay=False)


@click.command("combine")
@click.argument("plans", metavar="A.xlsx B.xlsx ...", nargs=-1, required=True, type=_WORKBOOK)
@click.option(
    "-o", "--output", type=_WORKBOOK, required=True, help="The combined workbook to write."
)
@click.option(
    "--plan-from",
    type=_WORKBOOK,
    metavar="FILE",
    help="Take the Plan details (and Report sheet) from this workbook (default: the first plan).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@format_option("What was combined, for people (text) or programs (json).")
def combine_command(
    plans: tuple[Path, ...],
    output: Path,
    plan_from: Path | None,
    force: bool,
    output_format: str,
) -> None:
    """Combine several plans that follow the same framework into one workbook.

    Every action of every plan is kept. A Ref used by more than one plan gets
    the file's name in front of it in each plan that uses it (housing.xlsx:
    A1 becomes HOUSING-A1), and each renaming is listed. Owners are listed once;
    sections' lead officers and aspirations are merged; where plans disagree
    (an owner's email, a section's title, a self-assessment level) the first
    plan's is kept and the difference is listed for you to check. The Plan
    details come from the first plan, or --plan-from. No plan is ever changed.

    \b
    Example:
      eqplan combine housing.xlsx adults.xlsx children.xlsx -o council-plan.xlsx
      eqplan combine housing.xlsx adults.xlsx -o council-plan.xlsx --plan-from corporate.xlsx
    """
    import json

    from pipeline.combine import combine_plans

    result = combine_plans(list(plans), output, plan_from=plan_from, force=force)
    if output_format == "json":
        click.echo(json.dumps({**result.as_dict(), "output": str(output)}, indent=2, default=str))
        return
    for line in combined_text(result):
        click.echo(line)
    click.echo(f"Wrote {output}. Check it with: eqplan validate {output}")


def combined_text(result) -> list[str]:
    """The command's report in words: inputs, renamings, merged owners, differences."""
    from pipeline.text import plural

    data = result.data
    lines = [f"Combined {plural(len(result.inputs), 'plan')} ({data.framework.id}):"]
    lines += [f"  {one.name}: {plural(len(one.data.actions), 'action')}" for one in result.inputs]
    lines.append(
        f"{plural(len(data.actions), 'action')}, "
        f"{plural(len(data.progress_log), 'progress log entry', 'progress log entries')}, "
        f"{plural(len(data.owners), 'owner')} ({result.owners_merged} repeated Owners rows merged). "
        f"Plan details from {result.plan_from}."
    )
    if result.renamed:
        lines.append(f"Refs used by more than one plan, renamed ({len(result.renamed)}):")
        lines += [f"  {r.file}: {r.old} -> {r.new}" for r in result.renamed]
    else:
        lines.append("No Ref is used by more than one plan: every Ref is kept.")
    if result.refs_written:
        lines.append(
            f"{plural(len(result.refs_written), 'action')} had no Ref: the ones eqplan made are "
            f"now in their Ref cells (such as {result.refs_written[0].new})."
        )
    if result.differences:
        lines.append(f"Differences to check ({len(result.differences)}):")
        for diff in result.differences:
            said = "; ".join(f"{file}: {value!r}" for file, value in diff.values)
            lines.append(f"  {diff.sheet} {diff.item}, {diff.field}: {said}. Kept: {diff.kept!r}")
    for one in result.inputs:
        for place in one.data.left_out:
            lines.append(f"  Not copied: {one.name} {place} (not part of the framework).")
    return lines
