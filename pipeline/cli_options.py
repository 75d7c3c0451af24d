"""Pieces shared by the `eqplan` commands: error display, and the options several commands take.

Kept apart from cli.py so the command module stays a list of commands.
"""

from __future__ import annotations

import functools
import importlib
import shlex
from pathlib import Path

import click

from pipeline import frameworks
from pipeline.errors import EqplanError
from pipeline.i18n import LANGUAGE_CHOICES
from pipeline.model import Framework

DEFAULT_INPUT = Path("inputs/example-plan.xlsx")


class NewWorkbook(click.Path):
    """A workbook a command writes: its name must end in .xlsx.

    Excel and LibreOffice choose how to open a file by its ending, so a workbook
    written as plan.docx or plan (no ending) would not open where an officer
    double-clicks it, and Word would refuse it as a damaged document.
    """

    name = "workbook"

    def __init__(self) -> None:
        super().__init__(path_type=Path)  # a folder in its place: io.py's own message says so

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        if Path(path).suffix.lower() != ".xlsx":
            self.fail(
                f"{str(value)!r} would be an Excel workbook, so its name must end in .xlsx "
                f"(for example {Path(path).with_suffix('.xlsx').name}).",
                param,
                ctx,
            )
        return path


#: A workbook a command reads (the plan, a return, a previous report's).
WORKBOOK = click.Path(path_type=Path, dir_okay=False)
#: A workbook a command writes.
NEW_WORKBOOK = NewWorkbook()


class ShownError(click.ClickException):
    """An EqplanError in click's clothes, so click prints it and exits with its code."""

    def __init__(self, error: EqplanError) -> None:
        super().__init__(error.message)
        self.exit_code = error.exit_code
        self.hint = error.hint
        self.language = error.language

    def format_message(self) -> str:
        return f"{self.message}\n  {self.hint}" if self.hint else self.message

    def show(self, file=None) -> None:
        """`Error: ...` as click says it, but in the message's language: `Gwall: ...` before
        a Welsh message (`validate --language cy` on an unreadable file), not `Error:`."""
        from pipeline.i18n import _, use_language

        with use_language(self.language):
            said = _("Error: %(message)s") % {"message": self.format_message()}
        click.echo(said, file=file, err=file is None)


class Group(click.Group):
    """eqplan's command groups: EqplanErrors shown as ShownErrors.

    lazy names commands kept in other modules (name -> "module:attribute"), imported only
    when one of them runs or help lists them, so a command does not start by importing
    every other command's modules (issue 17).
    """

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except EqplanError as error:
            raise ShownError(error) from None
        except MemoryError:  # where no step said what ran out (a template's render does)
            raise ShownError(OUT_OF_MEMORY) from None


#: Said when the computer runs out of memory outside the steps that say what ran out.
OUT_OF_MEMORY = EqplanError(
    "eqplan ran out of memory, so the command stopped before it finished. Every file it "
    "writes is written whole or not at all, so nothing half-written was left.",
    hint="Close other programs and run it again; for a very large plan, build it in parts "
    "(eqplan split --by section) on a computer with more memory.",
)


def framework_option(required: bool = False, default: str | None = None):
    """The shared --framework option: a shipped id or the path of a framework .yaml file."""

    def decorator(func):
        @click.option(
            "--framework",
            "framework_name",
            default=default,
            required=required,
            metavar="ID|PATH",
            help=f"Framework id ({', '.join(frameworks.available())}) or a framework .yaml file.",
        )
        @functools.wraps(func)
        def wrapper(*args, framework_name: str | None = None, **kwargs):
            kwargs["framework"], file = frameworks.given(framework_name)
            click.get_current_context().meta[_FRAMEWORK_FILE] = file
            return func(*args, **kwargs)

        return wrapper

    return decorator


_FRAMEWORK_FILE = "eqplan.framework_file"


def framework_file() -> Path | None:
    """The framework file given with --framework (an input: never an output), if any."""
    return click.get_current_context().meta.get(_FRAMEWORK_FILE)


def check_command(
    output: Path, framework: Framework | None = None, language: str | None = None
) -> str:
    """`eqplan validate OUT --framework FILE`: the command that checks a workbook just written,
    quoted so it can be pasted (a path with spaces), naming the framework file when one was
    given, or the framework given with --framework (framework) by its id, and the report's
    language (`--language cy`, `both`): by default Welsh when said in Welsh (a Welsh plan's
    merge or combine), as the rest of the command's report is."""
    from pipeline.i18n import current_language

    own = framework_file() or (framework.id if framework is not None else None)
    given = f" --framework {shlex.quote(str(own))}" if own else ""
    language = language or current_language()
    asked = f" --language {language}" if language != "en" else ""
    return f"eqplan validate {shlex.quote(str(output))}{given}{asked}"


def warnings_pointer(
    count: int, workbook: Path | str, framework: Framework | None = None, language: str = "en"
) -> str:
    """`36 warnings: run 'eqplan validate plan.xlsx' to see them.`: a workbook's warnings
    counted where a command does not list them, in the language being written."""
    from pipeline.i18n import _
    from pipeline.render.context_words import counted

    command = check_command(Path(workbook), framework, language)
    warnings = counted(count, "%(count)s warning", "%(count)s warnings", none=False)
    return _("%(warnings)s: run '%(command)s' to see them.") % {
        "warnings": warnings,
        "command": command,
    }


def format_option(help_text: str):
    """The shared --format option: text for people, json for programs."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help_text,
    )


def out_dir_option(help_text: str):
    """The shared -o/--out-dir option: the folder outputs are written to."""
    return click.option(
        "-o",
        "--out-dir",
        type=click.Path(path_type=Path),
        default=Path("outputs"),
        show_default=True,
        help=help_text,
    )


def workbook_argument(func):
    return click.argument(
        "workbook",
        required=False,
        default=str(DEFAULT_INPUT),
        type=WORKBOOK,
    )(func)


def since_option(func):
    """The shared --since option: the previous report's workbook, to show progress since then."""
    return click.option(
        "--since",
        type=WORKBOOK,
        metavar="PREVIOUS.xlsx",
        help="The previous report's workbook: add progress since then (ratings, deadlines, "
        "new and removed actions).",
    )(func)


def language_option(
    choices: tuple[str, ...] = LANGUAGE_CHOICES, help_text: str = "", *, follows_workbook=False
):
    """The shared --language option: en (the default), cy, and for documents `both` (issue 15).

    follows_workbook: no default; the command writes in the language its plan was made in
    (upgrade.workbook_language), so a Welsh plan's copies stay Welsh unless asked otherwise.
    """
    return click.option(
        "--language",
        type=click.Choice(choices),
        default=None if follows_workbook else "en",
        show_default=not follows_workbook,
        help=help_text
        or "en: English; cy: Welsh (<name>-cy…); both: the matching Welsh and English documents "
        "(<name>-cy… and <name>-en…).",
    )
