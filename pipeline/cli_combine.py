"""`eqplan combine`: several departments' or partners' plans into one workbook (issue 13).

The merging rules are in pipeline/combine.py; this module reads the options
and reports what was done, in words or as JSON.
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
from pipeline.formats import format_number
from pipeline.i18n import _, ngettext
from pipeline.model import Framework


@click.command("combine")
@click.argument("plans", metavar="A.xlsx B.xlsx ...", nargs=-1, required=True, type=WORKBOOK)
@click.option(
    "-o", "--output", type=NEW_WORKBOOK, required=True, help="The combined workbook to write."
)
@click.option(
    "--plan-from",
    type=WORKBOOK,
    metavar="FILE",
    help="Take the Plan details (and Report sheet) from this workbook (default: the first plan).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@framework_option()
@format_option("What was combined, for people (text) or programs (json).")
@language_option(
    ("en", "cy"),
    "cy: the combined workbook (sheet names, headings, dropdowns) and the report in Welsh. "
    "Not both: the combined plan is one workbook. Default: the language of the plan the Plan "
    "details come from.",
    follows_workbook=True,
)
def combine_command(
    plans: tuple[Path, ...],
    output: Path,
    plan_from: Path | None,
    force: bool,
    framework: Framework | None,
    output_format: str,
    language: str | None,
) -> None:
    """Combine several plans that follow the same framework into one workbook.

    Every action of every plan is kept. A Ref used by more than one plan gets
    the file's name in front of it in each plan that uses it (housing.xlsx:
    A1 becomes HOUSING-A1), and each renaming is listed. Owners are listed once;
    sections' lead officers and aspirations are merged; where plans disagree
    (an owner's email, a section's title, a self-assessment level) the first
    plan's is kept and the difference is listed for you to check. The Plan
    details come from the first plan, or --plan-from. No plan is ever changed.
    Plans that follow your council's own framework need it given with --framework
    (it places every plan).

    \b
    Example:
      eqplan combine housing.xlsx adults.xlsx children.xlsx -o council-plan.xlsx
      eqplan combine housing.xlsx adults.xlsx -o council-plan.xlsx --plan-from corporate.xlsx
      eqplan combine tai.xlsx oedolion.xlsx -o cynllun-y-cyngor.xlsx --language cy
      eqplan combine housing.xlsx adults.xlsx -o council-plan.xlsx --framework ours.yaml
    """
    import json

    from pipeline.combine import combine_plans
    from pipeline.i18n import use_language

    with use_language(language or "en"):  # refusals, before the plans are read
        result = combine_plans(
            list(plans),
            output,
            plan_from=plan_from,
            force=force,
            language=language,
            framework=framework,
            framework_file=framework_file(),
        )
    with use_language(result.language):
        if output_format == "json":
            click.echo(
                json.dumps({**result.as_dict(), "output": str(output)}, indent=2, default=str)
            )
            return
        for line in combined_text(result):
            click.echo(line)
        click.echo(
            _("Wrote %(output)s. Check it with: %(command)s")
            % {"output": output, "command": check_command(output)}
        )


def _count(message: str, count: int) -> str:
    """A message from ngettext (`3 actions`) with its count put in."""
    return message % {"count": format_number(count)}


def combined_text(result) -> list[str]:
    """The command's report in words (current language): inputs, renamings, owners, differences."""
    data = result.data
    plans = _count(
        ngettext("%(count)s plan", "%(count)s plans", len(result.inputs)), len(result.inputs)
    )
    lines = [
        _("Combined %(plans)s (%(framework)s):") % {"plans": plans, "framework": data.framework.id}
    ]
    lines += [
        f"  {one.name}: "
        + _count(
            ngettext("%(count)s action", "%(count)s actions", len(one.data.actions)),
            len(one.data.actions),
        )
        for one in result.inputs
    ]
    lines.append(
        _(
            "%(actions)s, %(entries)s, %(owners)s (%(merged)s repeated Owners rows merged). "
            "Plan details from %(plan_from)s."
        )
        % {
            "actions": _count(
                ngettext("%(count)s action", "%(count)s actions", len(data.actions)),
                len(data.actions),
            ),
            "entries": _count(
                ngettext(
                    "%(count)s progress log entry",
                    "%(count)s progress log entries",
                    len(data.progress_log),
                ),
                len(data.progress_log),
            ),
            "owners": _count(
                ngettext("%(count)s owner", "%(count)s owners", len(data.owners)), len(data.owners)
            ),
            "merged": result.owners_merged,
            "plan_from": result.plan_from,
        }
    )
    if result.renamed:
        lines.append(
            _("Refs used by more than one plan, renamed (%(count)s):")
            % {"count": len(result.renamed)}
        )
        lines += [f"  {r.file}: {r.old} -> {r.new}" for r in result.renamed]
    else:
        lines.append(_("No Ref is used by more than one plan: every Ref is kept."))
    if result.refs_written:
        lines.append(
            _(
                "%(actions)s had no Ref: the ones eqplan made are now in their Ref cells "
                "(such as %(ref)s)."
            )
            % {
                "actions": _count(
                    ngettext("%(count)s action", "%(count)s actions", len(result.refs_written)),
                    len(result.refs_written),
                ),
                "ref": result.refs_written[0].new,
            }
        )
    if result.differences:
        lines.append(_("Differences to check (%(count)s):") % {"count": len(result.differences)})
        for diff in result.differences:
            said = "; ".join(f"{file}: {value!r}" for file, value in diff.values)
            lines.append(
                f"  {_(diff.sheet)} {diff.item}, {_(diff.field)}: {said}. "
                + _("Kept: %(kept)s") % {"kept": repr(diff.kept)}
            )
    for one in result.inputs:
        for place in one.data.left_out:
            lines.append(
                "  "
                + _("Not copied: %(file)s %(place)s (not part of the framework).")
                % {"file": one.name, "place": place}
            )
    lines += [
        "  "
        + _("Not copied: %(place)s (the plan's own: copy it across by hand if it is needed).")
        % {"place": place}
        for place in result.own_not_copied
    ]
    return lines
