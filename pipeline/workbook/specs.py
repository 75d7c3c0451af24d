"""The shapes of the workbook contract (pipeline/workbook/layout.py): columns, sheets, fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.formats import FinancialYears
from pipeline.i18n import N_, in_welsh
from pipeline.model import DUE_SOON_DAYS
from pipeline.welsh_text import WELSH_KEY, welsh_heading


@dataclass(frozen=True)
class Column:
    """A column: its field key in the model, its heading, and how the template shows it."""

    key: str
    heading: str
    required: bool = True
    width: float = 18
    wrap: bool = True
    help: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class SheetSpec:
    """A sheet of the template: its name and columns in order."""

    name: str
    columns: tuple[Column, ...]
    help: str = ""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class PlanField:
    """A row of the Plan sheet."""

    key: str
    label: str
    required: bool = False
    kind: str = "text"  # text, date, status, framework, long, lines, financial_years
    help: str = ""
    aliases: tuple[str, ...] = field(default=())

    def label_on(self, sheet: str, english_sheet: str) -> str:
        """The label as the workbook shows it: in Welsh on a sheet found by its Welsh name
        (a Welsh template's `Cynllun` for `Plan`), so a message names the row the officer sees."""
        if sheet == in_welsh(english_sheet) != english_sheet:
            return in_welsh(self.label)
        return self.label


def with_welsh(spec: SheetSpec, welsh_columns: dict[str, tuple[str, ...]]) -> SheetSpec:
    """spec with a `(Cymraeg)` column for each English one welsh_columns names, after them all.

    Last, so the English columns keep their letters; the reader finds them by heading.
    """
    added = tuple(
        Column(
            key + WELSH_KEY,
            welsh_heading(spec.column(key).heading),
            required=False,
            width=spec.column(key).width,
            help="Optional: the Welsh, printed in documents in Welsh.",
        )
        for key in welsh_columns[spec.name]
    )
    return SheetSpec(spec.name, spec.columns + added, spec.help)


def template_spec(spec: SheetSpec, welsh: bool) -> SheetSpec:
    """The columns a template shows: the Welsh ones only in a template for Welsh documents."""
    if welsh:
        return spec
    return SheetSpec(spec.name, tuple(c for c in spec.columns if not c.key.endswith(WELSH_KEY)))


def template_fields(fields: tuple[PlanField, ...], welsh: bool) -> tuple[PlanField, ...]:
    """The Plan sheet's rows in a template: the Welsh ones only in a template for Welsh documents."""
    return tuple(f for f in fields if welsh or f.kind != "welsh")


#: The figures help texts mention (`%(days)s`), put in as the help is written: one home each.
HELP_VALUES = {
    "days": DUE_SOON_DAYS,
    "to_style": FinancialYears.TO.value,
    "slash_style": FinancialYears.SLASH.value,
}
#: The prompt of the Plan sheet's Financial years dropdown, a help text with figures too.
FINANCIAL_YEARS_PROMPT = N_("How to write a financial year: %(to_style)s or %(slash_style)s.")


#: How a financial year is written `to` (`2026 to 2027`; in Welsh `2026 i 2027`, formats.py).
FINANCIAL_YEAR_TO = N_("%(start)s to %(end)s")


def to_style(translate: Callable[[str], str] = str) -> str:
    """The example of the `to` style of financial years in translate's language: the Welsh
    template offers `2026 i 2027`, as its Read me and messages write it (both are read)."""
    return translate(FINANCIAL_YEAR_TO) % {"start": 2026, "end": 2027}


def shown_help(text: str, translate: Callable[[str], str] = str) -> str:
    """A help text as the template writes it: translated (translate), its figures put in."""
    if "%(" not in text:
        return translate(text)
    return translate(text) % {**HELP_VALUES, "to_style": to_style(translate)}


def welsh_fields(
    fields: tuple[PlanField, ...], keys: tuple[str, ...], help_text: str
) -> tuple[PlanField, ...]:
    """The optional `(Cymraeg)` rows for fields' keys (`title` -> `title_cy`, `Plan title
    (Cymraeg)`): printed in documents built in Welsh (issue 15)."""
    labels = {f.key: f.label for f in fields}
    return tuple(
        PlanField(key + WELSH_KEY, welsh_heading(labels[key]), kind="welsh", help=help_text)
        for key in keys
    )
