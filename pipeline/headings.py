"""Column headings shared by the workbook, the summary workbook, the CSV and the Word tables.

One heading per idea (STYLE: one home per idea): the workbook template's
Actions sheet, the reader that finds its columns, the summary workbook, the
CSV and the default Word templates all import these, so an officer sees the
same word for the same thing everywhere.
"""

from __future__ import annotations

ROW = "Row"
REF = "Ref"
MODULE = "Module"
THEME = "Theme"
POINT = "Framework point"
EVIDENCE = "Current position / evidence"
ACTION = "Gap / action"
OUTCOME = "Outcome sought"
DEADLINE = "Deadline"
OWNER = "Owner"
RAG = "RAG"
STRAND = "Strand"
PROGRESS = "Progress update"
DUE_DATE = "Due date"
STATUS = "Status"  # an action's status (pipeline.status), not the plan's Draft or Final
COMPLETED_ON = "Completed on"
LAST_UPDATED = "Last updated"
NEXT_REVIEW = "Next review"
LOG_DATE = "Date"  # the Progress log sheet's columns: Ref, Date, Update, RAG, Status, By
LOG_UPDATE = "Update"
LOG_BY = "By"
ACTION_OR_EVIDENCE = "Action"  # lists of actions that print the action, else the evidence
ACTIONS = "Actions"  # a count of actions

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
    "deadline_text": "Deadline as written",
    "deadline": DEADLINE,
    "due": DUE_DATE,
    "deadline_kind": "Deadline kind",
    "owner": OWNER,
    "owners": "Owners (one each)",
    "rag": RAG,
    "rag_given": "RAG as given",
    "strand": STRAND,
    "progress": PROGRESS,
    "overdue": "Overdue",
    "due_soon": "Due soon",
    "status": STATUS,  # as given ('' when none); issue 12
}

# The Report sheet's fields, which are also the committee cover report's headings, so the
# officer filling in "Purpose" reads the same word above that text in the cover report.
REPORT_TITLE = "Report title"
REPORT_OF = "Report of"
CONTACT_OFFICER = "Contact officer"
CONTACT_DETAILS = "Contact details"
WARDS = "Wards affected"
PURPOSE = "Purpose"
RECOMMENDATIONS = "Recommendations"
BACKGROUND = "Background"
FINANCIAL_IMPLICATIONS = "Financial implications"
LEGAL_IMPLICATIONS = "Legal implications"
EQUALITY_IMPLICATIONS = "Equality implications"
WELSH_LANGUAGE_IMPLICATIONS = "Welsh language implications"
# Headings of the cover report that are not Report sheet fields.
COMMITTEE = "Committee"
MEETING_DATE = "Date of meeting"
SUMMARY_OF_PROGRESS = "Summary of progress"
IMPLICATIONS = "Implications"
APPENDICES = "Appendices"
RATING = "Rating"
