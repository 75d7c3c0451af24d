"""Column headings shared by the workbook, the summary workbook, the CSV and the Word tables,
and the few fixed words printed beside the officers' own (the mark on a descriptive title).

One heading per idea (STYLE: one home per idea): the workbook template's
Actions sheet, the reader that finds its columns, the summary workbook, the
CSV and the default Word templates all import these, so an officer sees the
same word for the same thing everywhere.
"""

from __future__ import annotations

from pipeline.i18n import N_, _

ROW = N_("Row")
REF = N_("Ref")
MODULE = N_("Module")
THEME = N_("Theme")
POINT = N_("Framework point")
EVIDENCE = N_("Current position / evidence")
ACTION = N_("Gap / action")
OUTCOME = N_("Outcome sought")
DEADLINE = N_("Deadline")
OWNER = N_("Owner")
RAG = N_("RAG")
STRAND = N_("Strand")
PROGRESS = N_("Progress update")
DUE_DATE = N_("Due date")
STATUS = N_("Status")  # an action's status (pipeline.status), not the plan's Draft or Final
COMPLETED_ON = N_("Completed on")
LAST_UPDATED = N_("Last updated")
NEXT_REVIEW = N_("Next review")
LOG_DATE = N_("Date")  # the Progress log sheet's columns: Ref, Date, Update, RAG, Status, By
LOG_UPDATE = N_("Update")
LOG_BY = N_("By")
ACTION_OR_EVIDENCE = N_("Action")  # lists of actions that print the action, else the evidence
ACTIONS = N_("Actions")  # a count of actions

#: The fields of each action record (All actions sheet, CSV) with their column headings.
ACTION_FIELDS = {
    "row": ROW,
    "ref": REF,
    "module": MODULE,
    "theme": THEME,
    "point": POINT,
    "evidence": EVIDENCE,
    "action": ACTION,
    "outcome": OUTCOME,
    "deadline_text": N_("Deadline as written"),
    "deadline": DEADLINE,
    "due": DUE_DATE,
    "deadline_kind": N_("Deadline kind"),
    "owner": OWNER,
    "owners": N_("Owners (one each)"),
    "rag": RAG,
    "rag_given": N_("RAG as given"),
    "strand": STRAND,
    "progress": PROGRESS,
    "overdue": N_("Overdue"),
    "due_soon": N_("Due soon"),
    "status": STATUS,  # as given ('' when none); issue 12
}

# The Report sheet's fields, which are also the committee cover report's headings, so the
# officer filling in "Purpose" reads the same word above that text in the cover report.
REPORT_TITLE = N_("Report title")
REPORT_OF = N_("Report of")
CONTACT_OFFICER = N_("Contact officer")
CONTACT_DETAILS = N_("Contact details")
WARDS = N_("Wards affected")
PURPOSE = N_("Purpose")
RECOMMENDATIONS = N_("Recommendations")
BACKGROUND = N_("Background")
FINANCIAL_IMPLICATIONS = N_("Financial implications")
LEGAL_IMPLICATIONS = N_("Legal implications")
EQUALITY_IMPLICATIONS = N_("Equality implications")
WELSH_LANGUAGE_IMPLICATIONS = N_("Welsh language implications")
# Headings of the cover report that are not Report sheet fields.
COMMITTEE = N_("Committee")
MEETING_DATE = N_("Date of meeting")
SUMMARY_OF_PROGRESS = N_("Summary of progress")
IMPLICATIONS = N_("Implications")
APPENDICES = N_("Appendices")
RATING = N_("Rating")

#: Written after a title_derived theme's title (eqplan made it from the theme's aim).
DERIVED_TITLE = N_("descriptive title, not official")


def derived_title_mark() -> str:
    """` (descriptive title, not official)`, in the language being written."""
    return f" ({_(DERIVED_TITLE)})"
