"""The workbook contract: sheet names, column headings and Plan fields.

The template writer lays these out and the reader finds them again, so
officers' filled workbooks keep working across eqplan versions. Headings may
gain new columns but are never renamed; `aliases` let the reader accept the
headings councils already use (seed 004 uses `By when`, `Responsible officer`).
"""

from __future__ import annotations

from pipeline import headings as h
from pipeline import rag
from pipeline.i18n import N_
from pipeline.status import ActionStatus
from pipeline.welsh_text import WELSH_KEY
from pipeline.workbook.specs import Column, PlanField, SheetSpec, welsh_fields, with_welsh

README_SHEET = N_("Read me")
PLAN_SHEET = N_("Plan")
PROGRESS_LOG_SHEET = N_("Progress log")
REPORT_SHEET = N_("Report")
SECTIONS_SHEET = N_("Sections")
ASSESSMENT_SHEET = N_("Self-assessment")
ACTIONS_SHEET = N_("Actions")
OWNERS_SHEET = N_("Owners")
REFERENCE_SHEET = N_("Reference")
LISTS_SHEET = N_("Lists")
#: Very hidden sheets: what `eqplan split` sent (issue 13); the returns merged into a plan.
RECORD_SHEET, MERGED_SHEET = "eqplan split record", "eqplan merge record"

PLAN = SheetSpec(
    PLAN_SHEET,
    (
        Column("field", N_("Field"), width=24, wrap=False),
        Column("value", N_("Value"), width=90),
    ),
)


WELSH_HELP = N_("The Welsh for the row above it with the same name, in the same order.")
PLAN_FIELDS: tuple[PlanField, ...] = (
    PlanField(
        "council",
        N_("Council name"),
        True,
        help=N_("The council's name as it should appear on the cover."),
    ),
    PlanField(
        "title", N_("Plan title"), True, help=N_("For example: Equality Action Plan 2026 to 2029.")
    ),
    PlanField(
        "framework_id",
        N_("Framework"),
        True,
        "framework",
        help=N_("Filled in by the template; change it only when the framework's own id changes."),
    ),
    PlanField(
        "period_start", N_("Period start"), kind="date", help=N_("First day the plan covers.")
    ),
    PlanField("period_end", N_("Period end"), kind="date", help=N_("Last day the plan covers.")),
    PlanField(
        "target_year", N_("Target year"), help=N_("The year the outcomes are aimed at, e.g. 2029.")
    ),
    PlanField("version", N_("Version"), help=N_("For example 1.0.")),
    PlanField("status", h.STATUS, kind="status", help=N_("Draft or Final.")),
    PlanField(
        "report_date",
        N_("Report date"),
        True,
        "date",
        help=N_(
            "The 'as at' date: actions due before it are overdue, and due soon means within %(days)s days of it."
        ),
    ),
    PlanField("committee", N_("Committee"), help=N_("The committee or board the plan goes to.")),
    PlanField("meeting_date", N_("Meeting date"), kind="date", help=N_("Date of that meeting.")),
    PlanField("author", N_("Author"), help=N_("Officer or team who prepared the plan.")),
    PlanField(
        "lead_member",
        N_("Lead member"),
        help=N_("The councillor or portfolio holder who leads on equality (optional)."),
    ),
    PlanField("approved_by", N_("Approved by"), help=N_("Who approved this version (optional).")),
    PlanField(
        "approved_on", N_("Approved on"), kind="date", help=N_("When it was approved (optional).")
    ),
    PlanField(
        "introduction",
        N_("Introduction"),
        kind="long",
        help=N_("A few paragraphs; press Alt+Enter for a new paragraph."),
    ),
    PlanField(
        "objectives",
        N_("Equality objectives"),
        kind="lines",
        help=N_("One objective per line (Alt+Enter between them)."),
    ),
    PlanField(
        "financial_years",
        N_("Financial years"),
        kind="financial_years",
        help=N_(
            "How eqplan writes a financial year: %(to_style)s or %(slash_style)s. Empty means "
            "the first. "
            "Deadlines are printed as you type them."
        ),
    ),
)
PLAN_FIELDS += welsh_fields(PLAN_FIELDS, ("title", "introduction", "objectives"), WELSH_HELP)

#: The optional Report sheet: the committee cover report's own words (`eqplan build --cover`).
#: Laid out like the Plan sheet (Field, Value); a workbook without it still builds.
REPORT = SheetSpec(REPORT_SHEET, PLAN.columns)

REPORT_FIELDS: tuple[PlanField, ...] = (
    PlanField(
        "title", h.REPORT_TITLE, help=N_("The cover report's title; empty: the plan's title.")
    ),
    PlanField("report_of", h.REPORT_OF, help=N_("The director or officer presenting the report.")),
    PlanField("contact_officer", h.CONTACT_OFFICER, help=N_("Who members can ask about it.")),
    PlanField(
        "contact_details", h.CONTACT_DETAILS, help=N_("Their email address or phone number.")
    ),
    PlanField("wards", h.WARDS, help=N_("For example: All wards.")),
    PlanField(
        "purpose",
        h.PURPOSE,
        kind="long",
        help=N_("One or two sentences: why it comes to committee."),
    ),
    PlanField(
        "recommendations",
        h.RECOMMENDATIONS,
        kind="lines",
        help=N_(
            "One per line (Alt+Enter between them), e.g. 'That the committee notes ...'. They are numbered for you."
        ),
    ),
    PlanField(
        "background",
        h.BACKGROUND,
        kind="long",
        help=N_("A few paragraphs; Alt+Enter for a new one."),
    ),
    PlanField("financial", h.FINANCIAL_IMPLICATIONS, kind="long"),
    PlanField(
        "legal",
        h.LEGAL_IMPLICATIONS,
        kind="long",
        help=N_("The Public Sector Equality Duty is quoted after your text."),
    ),
    PlanField("equality", h.EQUALITY_IMPLICATIONS, kind="long"),
    PlanField(
        "welsh_language",
        h.WELSH_LANGUAGE_IMPLICATIONS,
        kind="long",
        help=N_("Printed for plans under the Welsh framework (eif-wales-2011)."),
    ),
)
#: The cover report's own words in Welsh, for a cover report built in Welsh (names are names).
REPORT_WELSH_KEYS = ("title", "wards", "purpose", "recommendations", "background", "financial")
REPORT_WELSH_KEYS += ("legal", "equality", "welsh_language")
REPORT_FIELDS += welsh_fields(REPORT_FIELDS, REPORT_WELSH_KEYS, WELSH_HELP)

#: The plan's sections follow the order of the Sections rows: the first row is section 1.
SECTIONS = SheetSpec(
    SECTIONS_SHEET,
    (
        Column("module_ref", N_("Module ref"), width=11, wrap=False),
        Column("module", N_("Module"), width=42),
        Column(
            "section_title",
            N_("Section title"),
            required=False,
            width=42,
            help=N_("Optional: your own title for the section; empty uses the module's title."),
        ),
        Column("lead_officer", N_("Lead officer"), required=False, width=30),
        Column(
            "aspirations",
            N_("Aspirations"),
            required=False,
            width=90,
            help=N_("One aspiration per line."),
        ),
    ),
)

ASSESSMENT = SheetSpec(
    ASSESSMENT_SHEET,
    (
        Column("theme_ref", N_("Theme ref"), width=10, wrap=False),
        Column("theme", N_("Theme"), width=42),
        Column("current", N_("Current level"), required=False, width=16, wrap=False),
        Column("target", N_("Target level"), required=False, width=16, wrap=False),
        Column("target_date", N_("Target date"), required=False, width=16, wrap=False),
        Column("evidence", N_("Evidence summary"), required=False, width=70),
    ),
)

ACTIONS = SheetSpec(
    ACTIONS_SHEET,
    (
        Column(
            "ref",
            h.REF,
            required=False,
            width=9,
            wrap=False,
            help=N_("Your own reference, e.g. L-12; left empty, eqplan makes one."),
        ),
        Column(
            "point",
            h.POINT,
            width=34,
            help=N_("Pick from the list, or type a point number such as 1.2."),
            aliases=(
                "framework point",
                "lga framework point",
                "framework points",
                "theme",
                "building block",
            ),
        ),
        Column(
            "evidence",
            h.EVIDENCE,
            width=48,
            help=N_("What the council can already show."),
            aliases=(
                "current position",
                "evidence",
                "what can the council already evidence?",
                "where we are now",
            ),
        ),
        Column(
            "action",
            h.ACTION,
            width=48,
            help=N_("What still needs to be done."),
            aliases=(
                "gap / actions",
                "gaps / actions",
                "action",
                "actions",
                "what are the gaps/what needs to be done?",
            ),
        ),
        Column(
            "outcome",
            h.OUTCOME,
            required=False,
            width=36,
            help=N_("What will be different when this is done."),
            aliases=("outcome", "what we want to have achieved"),
        ),
        Column(
            "deadline",
            h.DEADLINE,
            width=14,
            wrap=False,
            help=N_("A date, month, quarter or year, or Ongoing, TBC or Complete."),
            aliases=("by when", "target date", "due date", "due"),
        ),
        Column(
            "owner",
            h.OWNER,
            width=24,
            help=N_("Pick from the Owners sheet."),
            aliases=("responsible officer", "responsible", "lead officer", "lead"),
        ),
        Column(
            "rag",
            h.RAG,
            width=10,
            wrap=False,
            help=N_("Red, Amber, Green or Complete."),
            aliases=("rag status", "rag rating"),
        ),
        Column(
            "strand",
            h.STRAND,
            required=False,
            width=18,
            help=N_("Optional tag, e.g. Race equality."),
        ),
        Column(
            "progress",
            h.PROGRESS,
            required=False,
            width=40,
            help=N_("Latest progress, especially for Red actions."),
            aliases=("progress", "update", "latest update"),
        ),
        Column(
            "status",
            h.STATUS,
            required=False,
            width=13,
            wrap=False,
            help=N_(
                "Optional: Not started, In progress, Ongoing, Deferred, Complete or Withdrawn."
            ),
            aliases=("action status",),
        ),
        Column(
            "completed_on",
            h.COMPLETED_ON,
            required=False,
            width=13,
            wrap=False,
            help=N_("Optional: the date a Complete action was finished."),
            aliases=("date completed", "completion date"),
        ),
        Column(
            "last_updated",
            h.LAST_UPDATED,
            required=False,
            width=13,
            wrap=False,
            help=N_("Optional: the date of the progress update."),
            aliases=("updated", "date updated"),
        ),
        Column(
            "next_review",
            h.NEXT_REVIEW,
            required=False,
            width=13,
            wrap=False,
            help=N_("Optional: when the action is next looked at."),
            aliases=("review date",),
        ),
    ),
)

#: What the optional Welsh columns hold, by sheet: the English columns they stand beside.
WELSH_COLUMNS = {
    SECTIONS_SHEET: ("section_title", "aspirations"),
    ASSESSMENT_SHEET: ("evidence",),
    ACTIONS_SHEET: ("evidence", "action", "outcome", "progress"),
    PROGRESS_LOG_SHEET: ("update",),
}
#: The Actions field of the progress update's Welsh: it moves with the English (next-period, merge).
PROGRESS_CY = "progress" + WELSH_KEY

SECTIONS = with_welsh(SECTIONS, WELSH_COLUMNS)
ASSESSMENT = with_welsh(ASSESSMENT, WELSH_COLUMNS)
ACTIONS = with_welsh(ACTIONS, WELSH_COLUMNS)

#: The Actions columns that hold dates (the template checks them; the reader reports non-dates).
ACTION_DATE_KEYS = ("completed_on", "last_updated", "next_review")
#: Every column of dates, on any sheet: the Deadline (which takes words too) and these.
DATE_COLUMNS = frozenset({"deadline", *ACTION_DATE_KEYS, "date", "target_date"})

#: Earlier updates, one row per update: optional, so workbooks made before issue 12 still read.
#: `Update (Cymraeg)` keeps the Welsh of an update moved there (next-period).
PROGRESS_LOG = SheetSpec(
    PROGRESS_LOG_SHEET,
    (
        Column(
            "ref", h.REF, width=10, wrap=False, help=N_("The action's Ref on the Actions sheet.")
        ),
        Column("date", h.LOG_DATE, width=12, wrap=False, help=N_("The date of the update.")),
        Column("update", h.LOG_UPDATE, width=70, help=N_("What was reported.")),
        Column("rag", h.RAG, required=False, width=10, wrap=False),
        Column("status", h.STATUS, required=False, width=13, wrap=False),
        Column("by", h.LOG_BY, required=False, width=28, help=N_("Who gave the update.")),
    ),
)
PROGRESS_LOG = with_welsh(PROGRESS_LOG, WELSH_COLUMNS)

OWNERS = SheetSpec(
    OWNERS_SHEET,
    (
        Column("name", h.OWNER, width=30, wrap=False),
        Column("role", N_("Role or team"), required=False, width=40),
        Column("email", N_("Email"), required=False, width=34, wrap=False),
    ),
)

REFERENCE = SheetSpec(
    REFERENCE_SHEET,
    (
        Column("point_ref", N_("Point"), width=9, wrap=False),
        Column("module", N_("Module"), width=30),
        Column("theme", N_("Theme"), width=30),
        Column("level", N_("Level"), width=12, wrap=False),
        Column("descriptor", N_("Descriptor"), width=60),
        Column("criteria", N_("Criteria"), width=90),
    ),
)

#: The strand columns of the hidden Lists sheet (its other columns only feed dropdowns).
#: Optional: a workbook without them uses each strand's default colour.
LISTS = SheetSpec(
    LISTS_SHEET,
    (
        Column("strand", N_("Strands (edit this list)"), required=False, aliases=("strands",)),
        Column(
            "strand_colour",
            N_("Strand colour"),
            required=False,
            help=N_("A colour such as #BDD7EE, or light blue, light green ..."),
            aliases=("strand color", "strand colours", "strand colors", "colour", "color"),
        ),
    ),
)

#: The sheets read from a filled workbook, in template order.
DATA_SHEETS: tuple[SheetSpec, ...] = (SECTIONS, ASSESSMENT, ACTIONS, OWNERS)

#: Choices offered in dropdowns; the reader accepts more forms than these.
RAG_CHOICES = rag.CHOICES
STATUS_CHOICES = ("Draft", "Final")
ACTION_STATUS_CHOICES = tuple(status.label for status in ActionStatus)
STRAND_CHOICES = ("Race equality", "Gender pay gap", "Disability", "Workforce", "LGBTQ+", "Age")
TEMPLATE_ROWS = 2000  # rows that keep dropdowns and formatting on the Actions sheet
