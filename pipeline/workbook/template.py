"""Write the blank Excel template officers fill in, for any framework.

The template is the first half of the workbook contract (`layout.py`): the
reader expects these sheet names and headings. Dropdowns, date checks and
RAG colours cover `TEMPLATE_ROWS` rows, and column styles carry wrapping to
any row an officer adds, in Excel and LibreOffice Calc alike.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline import headings as h
from pipeline.cells import list_formula, put, put_at
from pipeline.formats import FINANCIAL_YEAR_CHOICES
from pipeline.i18n import _, use_framework_words, use_language
from pipeline.io import Target, write_output
from pipeline.levels import level_list
from pipeline.model import Framework, Rag
from pipeline.rag import words_for
from pipeline.report_details import is_welsh
from pipeline.welsh_text import WELSH_KEY
from pipeline.workbook import layout
from pipeline.workbook.dropdowns import (
    date_validation,
    deadline_validation,
    list_validation,
    range_ref,
)
from pipeline.workbook.layout import SheetSpec
from pipeline.workbook.lists import write_lists_sheet
from pipeline.workbook.readme import write_readme
from pipeline.workbook.specs import (
    FINANCIAL_YEARS_PROMPT,
    shown_help,
    template_fields,
    template_spec,
)

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
PREFILLED_FILL = PatternFill("solid", fgColor="F2F2F2")
TITLE_FONT = Font(bold=True, size=16, color="1F4E79")
HEADING_FONT = Font(bold=True, size=12, color="1F4E79")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def write_template(
    framework: Framework, path: Target, welsh: bool | None = None, language: str = "en"
) -> Target:
    """Write a blank plan workbook for framework to path (atomically) or a binary stream.

    language `cy` writes its sheet names, headings, help and dropdown words in Welsh, with
    the (Cymraeg) columns (template_cy.py); the reader accepts either.
    """
    workbook = template_in(framework, language, welsh)
    return write_output(path, workbook.save, suffix=".xlsx")


def template_in(framework: Framework, language: str, welsh: bool | None = None) -> Workbook:
    """The blank template in language: `cy` is the Welsh one `eqplan template --language cy`
    writes (with the `(Cymraeg)` columns), for the commands that fill a template in Welsh."""
    if language == "cy":
        from pipeline.workbook.template_cy import translate_template

        # The Read me sheet's prose comes from the catalogue; a council's labels from its file.
        with use_language("cy"), use_framework_words(framework.welsh):
            return translate_template(build_template(framework, welsh=True))
    return build_template(framework, welsh)


def build_template(framework: Framework, welsh: bool | None = None) -> Workbook:
    """The template as an openpyxl Workbook, for callers that fill it in (the example plan).

    welsh adds the optional `(Cymraeg)` columns and Plan rows for the Welsh beside the
    English (issue 15); by default a template for the Welsh framework has them.
    """
    welsh = is_welsh(framework.id) if welsh is None else welsh
    wb = Workbook()
    readme = wb.active
    readme.title = layout.README_SHEET
    lists = write_lists_sheet(wb, framework)
    _plan_sheet(wb, framework, welsh)
    _report_sheet(wb, framework, welsh)
    _sections_sheet(wb, framework, welsh)
    _assessment_sheet(wb, framework, lists, welsh)
    _actions_sheet(wb, framework, lists, welsh)
    _owners_sheet(wb)
    _progress_log_sheet(wb, lists, welsh)
    _reference_sheet(wb, framework)
    write_readme(readme, framework)
    wb.move_sheet(layout.LISTS_SHEET, offset=len(wb.sheetnames))
    wb.active = 0
    return wb


# ---------------------------------------------------------------------- helpers


def _table_sheet(wb: Workbook, spec: SheetSpec, widths_only: bool = False) -> Worksheet:
    """A sheet with a styled, frozen header row and column widths and wrapping from spec."""
    ws = wb.create_sheet(spec.name)
    for index, column in enumerate(spec.columns, start=1):
        cell = put_at(ws, 1, index, column.heading)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if not widths_only:
            dimension.alignment = WRAP_TOP if column.wrap else TOP
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30
    _print_setup(ws)
    return ws


def _print_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddFooter.center.text = "&A - page &P of &N"


def _letter(spec: SheetSpec, key: str) -> str:
    return get_column_letter([c.key for c in spec.columns].index(key) + 1)


def _column_range(spec: SheetSpec, key: str, rows: int = layout.TEMPLATE_ROWS) -> str:
    letter = _letter(spec, key)
    return f"{letter}2:{letter}{rows + 1}"


# ----------------------------------------------------------------------- sheets


def _plan_sheet(wb: Workbook, framework: Framework, welsh: bool) -> None:
    ws = _table_sheet(wb, layout.PLAN)
    _field_rows(ws, template_fields(layout.PLAN_FIELDS, welsh), framework)


def _report_sheet(wb: Workbook, framework: Framework, welsh: bool) -> None:
    """The optional Report sheet: the committee cover report's own words, field by field."""
    ws = _table_sheet(wb, layout.REPORT)
    _field_rows(ws, template_fields(layout.REPORT_FIELDS, welsh), framework)


def _field_rows(ws: Worksheet, fields: tuple[layout.PlanField, ...], framework: Framework) -> None:
    """Field/Value rows (the Plan and Report sheets): label, value cell with its checks, help."""
    dropdowns = {
        "status": (layout.STATUS_CHOICES, h.STATUS, _("Draft or Final.")),
        "financial_years": (
            FINANCIAL_YEAR_CHOICES,
            "Financial years",
            shown_help(FINANCIAL_YEARS_PROMPT, _),
        ),
    }
    validations = {}
    long_welsh = {f.key + WELSH_KEY for f in fields if f.kind in ("long", "lines")}
    for row, plan_field in enumerate(fields, start=2):
        label = put_at(ws, row, 1, plan_field.label)
        label.font = Font(bold=plan_field.required)
        label.fill = PREFILLED_FILL
        value = ws.cell(row=row, column=2)
        if plan_field.key == "framework_id":
            put(value, framework.id)
            value.fill = PREFILLED_FILL
        if plan_field.kind == "date":
            value.number_format = "dd/mm/yyyy"
            value.alignment = Alignment(horizontal="left", vertical="top")
            dv = date_validation(plan_field.label, shown_help(plan_field.help))
            ws.add_data_validation(dv)
            dv.add(value.coordinate)
        elif plan_field.kind in dropdowns:
            if plan_field.kind not in validations:
                choices, title, prompt = dropdowns[plan_field.kind]
                validations[plan_field.kind] = list_validation(
                    list_formula(choices), title, prompt, strict=False
                )
                ws.add_data_validation(validations[plan_field.kind])
            validations[plan_field.kind].add(value.coordinate)
        if plan_field.kind in ("long", "lines") or plan_field.key in long_welsh:
            ws.row_dimensions[row].height = 90
        if plan_field.help:
            put_at(ws, row, 3, shown_help(plan_field.help)).font = Font(italic=True, color="595959")
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["C"].alignment = WRAP_TOP
    ws.freeze_panes = None


def _sections_sheet(wb: Workbook, framework: Framework, welsh: bool) -> None:
    ws = _table_sheet(wb, template_spec(layout.SECTIONS, welsh))
    put_at(ws, 1, 1, layout.SECTIONS.column("module_ref").heading)
    for row, module in enumerate(framework.modules, start=2):
        for column, value in ((1, module.ref), (2, module.title)):
            put_at(ws, row, column, value).fill = PREFILLED_FILL
        ws.row_dimensions[row].height = 60


def _assessment_sheet(
    wb: Workbook, framework: Framework, lists: dict[str, str], welsh: bool
) -> None:
    spec = template_spec(layout.ASSESSMENT, welsh)
    ws = _table_sheet(wb, spec)
    for row, theme in enumerate(framework.themes, start=2):
        for column, value in ((1, theme.ref), (2, theme.title)):
            put_at(ws, row, column, value).fill = PREFILLED_FILL
    last = len(framework.themes) + 1
    prompt = f"{level_list(framework.assessment_levels)}."
    if len(prompt) > 250:  # Excel refuses longer prompts
        prompt = _("Choose a level from the list, lowest first.")
    levels = list_validation(lists["levels"], "Level", prompt, strict=True)
    ws.add_data_validation(levels)
    for key in ("current", "target"):
        letter = _letter(spec, key)
        levels.add(f"{letter}2:{letter}{last}")
    target_date = date_validation("Target date", _("When you aim to reach the target level."))
    ws.add_data_validation(target_date)
    letter = _letter(spec, "target_date")
    target_date.add(f"{letter}2:{letter}{last}")
    ws.column_dimensions[letter].number_format = "dd/mm/yyyy"


def _actions_sheet(wb: Workbook, framework: Framework, lists: dict[str, str], welsh: bool) -> None:
    spec = template_spec(layout.ACTIONS, welsh)
    ws = _table_sheet(wb, spec)
    for row, theme in enumerate(framework.themes, start=2):
        put_at(ws, row, 2, theme.label)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(spec.columns))}1"

    point_dv = list_validation(
        lists["points"],
        framework.labels.point,
        _("Pick a %(point)s, or type its number (e.g. %(ref)s).")
        % {
            "point": _(framework.labels.point).lower(),
            "ref": framework.points[0].ref if framework.points else framework.themes[0].ref,
        },
    )
    owner_dv = list_validation(
        range_ref(layout.OWNERS_SHEET, "A", 2, 501),
        h.OWNER,
        _("Pick an owner. Add new owners on the Owners sheet first."),
    )
    rag_dv = list_validation(lists["rag"], h.RAG, _("Red, Amber, Green or Complete."))
    strand_dv = list_validation(
        lists["strands"],
        h.STRAND,
        _(
            "Optional tag such as Race equality (the list is editable). For several, put each "
            "on its own line or separate them with ;"
        ),
    )
    status_dv = _action_status_validation()
    deadline = _letter(spec, "deadline")
    deadline_dv = deadline_validation()
    for key, dv in (
        ("point", point_dv),
        ("owner", owner_dv),
        ("rag", rag_dv),
        ("strand", strand_dv),
        ("deadline", deadline_dv),
        ("status", status_dv),
    ):
        ws.add_data_validation(dv)
        dv.add(_column_range(spec, key))
    for key in layout.ACTION_DATE_KEYS:
        column = spec.column(key)
        _date_column(ws, spec, key, date_validation(column.heading, column.help))
    ws.column_dimensions[deadline].number_format = "dd/mm/yyyy"
    ws.column_dimensions[deadline].alignment = Alignment(horizontal="left", vertical="top")

    rag = _letter(spec, "rag")
    target = _column_range(spec, "rag")
    for rating in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE):
        words = words_for(rating)  # every word the reader accepts (Excel's = ignores case)
        formula = "OR(" + ",".join(f'TRIM(${rag}2)="{w}"' for w in words) + ")"
        fill = PatternFill("solid", fgColor=rating.fill, bgColor=rating.fill)
        ws.conditional_formatting.add(
            target, FormulaRule(formula=[formula], fill=fill, stopIfTrue=True)
        )


def _action_status_validation():
    """The Status dropdown: the six words, in the rule itself (fixed words, never user text)."""
    return list_validation(
        list_formula(layout.ACTION_STATUS_CHOICES),
        h.STATUS,
        _("Optional. Not started, In progress, Ongoing, Deferred, Complete or Withdrawn."),
    )


def _date_column(ws: Worksheet, spec: SheetSpec, key: str, dv) -> None:
    """A column of dates: the date check on every template row, shown day first."""
    ws.add_data_validation(dv)
    dv.add(_column_range(spec, key))
    letter = _letter(spec, key)
    ws.column_dimensions[letter].number_format = "dd/mm/yyyy"
    ws.column_dimensions[letter].alignment = Alignment(horizontal="left", vertical="top")


def _progress_log_sheet(wb: Workbook, lists: dict[str, str], welsh: bool) -> None:
    """Earlier updates, one row each (`eqplan next-period` moves each quarter's updates here)."""
    spec = template_spec(layout.PROGRESS_LOG, welsh)
    ws = _table_sheet(wb, spec)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(spec.columns))}1"
    _date_column(ws, spec, "date", date_validation(h.LOG_DATE, _("The date of the update.")))
    rag_dv = list_validation(lists["rag"], h.RAG, _("The rating at the time of the update."))
    status_dv = _action_status_validation()
    for key, dv in (("rag", rag_dv), ("status", status_dv)):
        ws.add_data_validation(dv)
        dv.add(_column_range(spec, key))


def _owners_sheet(wb: Workbook) -> None:
    _table_sheet(wb, layout.OWNERS)


def _reference_sheet(wb: Workbook, framework: Framework) -> None:
    labels = framework.labels
    headings = (labels.point, labels.module, labels.theme, "Level", "Descriptor", "Criteria")
    spec = layout.REFERENCE
    ws = _table_sheet(wb, spec, widths_only=True)
    for index, heading in enumerate(headings, start=1):
        put_at(ws, 1, index, heading)
    row = 2
    for module in framework.modules:
        for theme in module.themes:
            own = theme.descriptor or theme.criteria
            entries = (*((None,) if own or not theme.points else ()), *theme.points)
            for point in entries:
                source = point or theme
                title = theme.title + (h.derived_title_mark() if theme.title_derived else "")
                values = (
                    source.ref,
                    module.label,
                    f"{theme.ref} {title}",
                    point.level if point else "",
                    source.descriptor,
                    "\n".join(f"• {c}" for c in source.criteria),
                )
                for column, value in enumerate(values, start=1):
                    put_at(ws, row, column, value).alignment = WRAP_TOP
                row += 1
    source_row = row + 1
    put_at(ws, source_row, 1, f"Source: {framework.source}").font = Font(italic=True)
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
