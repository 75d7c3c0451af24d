"""The template's Read me sheet: what to fill in and whom to send it to.

Part of the blank template (template.py); kept apart because it is prose.
It must print on portrait A4 in Excel and LibreOffice Calc (issue 10).
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.cells import put_at
from pipeline.deadlines import ACCEPTED_FORMS
from pipeline.formats import format_number
from pipeline.i18n import _, current_language
from pipeline.model import DUE_SOON_DAYS, Framework, Rag
from pipeline.text import plural_noun
from pipeline.workbook import layout

TITLE_FONT = Font(bold=True, size=16, color="1F4E79")
HEADING_FONT = Font(bold=True, size=12, color="1F4E79")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")

#: Characters of the default font: fits portrait A4 between 1.5 cm margins at 100%, so the
#: sheet prints whole even where fit-to-width is ignored (LibreOffice Calc 7.4 ignores it).
README_WIDTH = 80


def write_readme(ws: Worksheet, framework: Framework) -> None:
    """The Read me sheet: what to fill in and whom to send it to, printable on portrait A4.

    Written for the officer filling in the workbook, who may never run eqplan
    itself, so it names no commands. Every cell wraps, each row gets a height
    that fits its text (openpyxl cannot measure text, and Excel does not
    always grow rows for wrapped text it did not type), and printing fits the
    one column to the page width.
    """
    point = _(framework.labels.point).lower()
    labels = framework.labels  # the framework's own words: Objective, Outcome, Milestone
    words = {
        "module": _(labels.module).lower(),
        "theme": _(labels.theme).lower(),
        "points": _(plural_noun(labels.point)).lower(),
    }
    example_point = framework.points[0].label if framework.points else framework.themes[0].label
    levels = ", ".join(_(level) for level in framework.assessment_levels)
    rows: list[tuple[str, str]] = [
        ("title", _("Equality action plan workbook")),
        ("", _("Framework: %(title)s (%(id)s).") % {"title": framework.title, "id": framework.id}),
        ("", _("Fill in the sheets below, save the workbook and send the finished workbook to the officer who prepares the plan. They turn it into the Word action plan and summary tables, and send you back a list of any cells that need another look.")),
        ("heading", _("What to fill in, sheet by sheet")),
        ("", _("Plan: the council's name, plan title, period, status and the report date. Report date is the 'as at' date: actions due before it count as overdue, and actions due within %(days)s days of it count as due soon. Fields in bold are required. Financial years: how the documents write a financial year, 2026 to 2027 (the default) or 2026/27.") % {"days": DUE_SOON_DAYS}),
        ("", _("Report: optional. The words of the committee cover report that goes with the plan: who the report is from, its purpose, the recommendations (one per line, numbered for you), background and implications. Leave a field empty for standard wording.")),
        ("", _("Sections: one row per %(module)s. Add the lead officer and the aspirations, one per line (Alt+Enter). The plan prints its sections in the order of these rows, numbered from 1: move a whole row to change the order. Type your own title in 'Section title', or leave it empty to use the %(module)s's title.") % {"module": words["module"]}),
        ("", _("Self-assessment: one row per %(theme)s. Choose the current and target level from the dropdowns and add a target date and a short evidence summary.") % {"theme": words["theme"]}),
        ("", _("Actions: one row per action. Choose the %(point)s (for example '%(example)s'), describe the current position or evidence, the gap or action, the outcome sought, then a deadline, owner and RAG rating. Add as many rows as you need below the existing ones; the dropdowns and formatting continue for %(rows)s rows. Rows with only a %(point)s filled in are treated as unused and left out.") % {"point": point, "example": example_point, "rows": format_number(layout.TEMPLATE_ROWS)}),
        ("", _("Owners: everyone who owns an action, once each. The Owner dropdown on the Actions sheet reads this list.")),
        ("", _("Progress log: earlier updates, one row each (Ref, Date, Update, RAG, Status, By). When the next report's workbook is made, each progress update is moved here; you may add rows yourself. The plan prints the latest update with each action.")),
        ("", _("Reference: the %(points)s with their descriptors and criteria. It is read-only.") % {"points": words["points"]}),
        ("heading", _("Accepted values")),
        ("", _("RAG: Red, Amber, Green or Complete (R, A, G and C are accepted too). Leave it empty if not yet rated.")),
        ("", _("Levels, lowest first: %(levels)s.") % {"levels": levels}),
        ("", _("Deadline: %(forms)s. A month, quarter or year means the end of that period, and 'Nov 2026 & Ongoing' keeps both. The plan prints every deadline exactly as you type it. Repeating words such as Quarterly or Annual, and anything else, have no date, so they never count as overdue or due soon.") % {"forms": _(ACCEPTED_FORMS)}),
        ("", _("Strand: an optional tag such as Race equality or Gender pay gap. Tagged rows are shaded in the strand's colour and labelled in the plan. To change the list or the colours, unhide the 'Lists' sheet (right-click a sheet tab > Unhide) and edit the Strands and Strand colour columns. A colour is a light colour from its dropdown or a code such as #BDD7EE; a colour too dark for black text is lightened. An action may have several strands, one per line (Alt+Enter) or separated by ';': each is counted and labelled, and the row is shaded in the first one's colour.")),
        ("", _("Status (optional): Not started, In progress, Ongoing, Deferred, Complete or Withdrawn. A Complete action is counted as complete everywhere (add the date in 'Completed on'); a Withdrawn action is printed greyed, with its reason from the progress update, and never counts as overdue. Only actions In progress or Ongoing need a RAG rating. 'Completed on', 'Last updated' and 'Next review' take dates.")),
        ("heading", _("RAG ratings")),
        *((("rag:" + r.name), _("%(label)s: %(meaning)s.") % {"label": _(r.label), "meaning": _(r.meaning)}) for r in Rag),
        ("heading", _("Good to know")),
        ("", _("Keep the sheet names and column headings as they are: the plan is built by finding your data under them. You can add extra columns; they are ignored.")),
        ("", _("Text is copied into the plan exactly as typed, including line breaks.")),
        ("", _("Building the plan never changes this workbook.")),
        ("", _("Source of the framework text: %(source)s") % {"source": _source(framework)}),
    ]  # fmt: skip
    ws.column_dimensions["A"].width = README_WIDTH
    ws.column_dimensions["A"].alignment = WRAP_TOP
    for row, (style, text) in enumerate(rows, start=1):
        cell = put_at(ws, row, 1, text)
        cell.alignment = WRAP_TOP
        lines = sum(-(-max(len(part), 1) // (README_WIDTH - 8)) for part in text.split("\n"))
        if style == "title":
            cell.font = TITLE_FONT
            ws.row_dimensions[row].height = 24
            continue
        if style == "heading":
            cell.font = HEADING_FONT
        elif style.startswith("rag:"):
            rating = Rag[style.removeprefix("rag:")]
            cell.fill = PatternFill("solid", fgColor=rating.fill)
        ws.row_dimensions[row].height = 15 * lines + 3
    ws.page_margins.left = ws.page_margins.right = 0.6  # inches
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.column_dimensions["B"].width = 3  # room for a last letter Calc draws past the edge
    ws.print_area = f"A1:B{len(rows)}"
    ws.sheet_view.showGridLines = False


def _source(framework: Framework) -> str:
    """The note of where the framework's text comes from: in a Welsh workbook its Welsh one
    (`source_cy`) as the Welsh Word plan prints it, else the English as published."""
    welsh = framework.welsh.get("source") if current_language() == "cy" else None
    return welsh or framework.source
