"""Reference commands: the frameworks eqplan knows and the catalogue of problem codes."""

from __future__ import annotations

import functools
import textwrap

import click

from pipeline import frameworks, problem_docs, problems
from pipeline.cli_options import Group
from pipeline.headings import derived_title_mark
from pipeline.model import Framework
from pipeline.text import plural, plural_noun

# --------------------------------------------------------------------- frameworks


@click.group("frameworks", cls=Group, invoke_without_command=True)
@click.pass_context
def frameworks_group(ctx: click.Context) -> None:
    """List the frameworks eqplan knows, or show one.

    \b
    Example:
      eqplan frameworks
      eqplan frameworks show eflg-2021
    """
    if ctx.invoked_subcommand is None:
        for framework_id in frameworks.available():
            framework = frameworks.load(framework_id)
            click.echo(f"{framework.id:<16} {framework.title} ({_counts(framework)})")


@frameworks_group.command("show")
@click.argument("name", metavar="ID|PATH")
@click.option("--criteria", is_flag=True, help="Also print every criterion.")
def frameworks_show(name: str, criteria: bool) -> None:
    """Print a framework's modules, themes and points.

    \b
    Example:
      eqplan frameworks show eflg-2021 --criteria
      eqplan frameworks show my-objectives.yaml
    """
    framework = frameworks.load(name)
    click.echo(f"{framework.title} ({framework.id})")
    if framework.source:
        click.echo(f"Source: {framework.source}")
    wrap = functools.partial(textwrap.fill, width=100, subsequent_indent=" " * 10)
    for module in framework.modules:
        click.echo(f"\n{framework.labels.module} {module.label}")
        for theme in module.themes:
            derived = derived_title_mark() if theme.title_derived else ""
            click.echo(f"  {framework.labels.theme} {theme.label}{derived}")
            if theme.descriptor:
                click.echo(wrap(f"      Aim: {theme.descriptor}"))
            if criteria:
                for criterion in theme.criteria:
                    click.echo(wrap(f"          - {criterion}"))
            for point in theme.points:
                click.echo(wrap(f"    {point.ref:<5} {point.level}: {point.descriptor}"))
                if criteria:
                    for criterion in point.criteria:
                        click.echo(wrap(f"          - {criterion}"))
    click.echo(f"\n{_counts(framework)}.")


def _counts(framework: Framework) -> str:
    """`4 modules, 17 themes, 51 framework points`, in the framework's own words (no points
    when its themes have none)."""
    labels = framework.labels
    parts = [(framework.modules, labels.module), (framework.themes, labels.theme)]
    if framework.points:
        parts.append((framework.points, labels.point))
    return ", ".join(
        plural(len(items), label.lower(), plural_noun(label).lower()) for items, label in parts
    )


# ----------------------------------------------------------------------- problems


@click.command("problems")
@click.option(
    "--markdown", is_flag=True, help="Print the catalogue as Markdown (docs/problems.md)."
)
def problems_command(markdown: bool) -> None:
    """List every problem code eqplan can report, with its meaning and fix.

    \b
    Example:
      eqplan problems
      eqplan problems --markdown > docs/problems.md
    """
    if markdown:
        click.echo(problem_docs.markdown(), nl=False)
        return
    for kind in problems.CATALOGUE.values():
        click.echo(f"{kind.code:<22} {kind.severity.value:<8} {kind.title}")
