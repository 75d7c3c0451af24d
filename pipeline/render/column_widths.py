"""Widths of the table columns whose words must never break mid-word: refs, dates, owners, ratings.

One home for the shipped templates (templates/make_templates.py) and the changes
document (render/changes_docx.py). A word wider than its column is cut wherever the
line runs out: "EB0" above "1", "30 Septem" above "ber 2027". Each width is the word's
width in 12 pt Arial (Liberation Sans has the same metrics, in Word and LibreOffice
alike) plus the 0.38 cm of a cell's left and right margins, rounded up, and no more:
every centimetre these columns take comes out of the evidence and action columns, and
a realistic council plan must still print in 35 pages (tests/end_to_end/
test_council_plan.py). tests/render/test_column_widths.py measures every word of the
example's documents against its column, in English and in Welsh.
"""

from __future__ import annotations

#: The longest date on one line: "30 September 2027" (4.10 cm; the Welsh "30 Gorffennaf
#: 2027", 4.02). Dates carry non-breaking spaces, so a narrower column cuts them mid-word.
DATE_WIDTH_CM = 4.2
#: A reference of four characters, such as "EB01" (1.42 cm) or "1.2.3"; a longer one wraps.
REF_WIDTH_CM = 1.6
#: An owner's longest word, such as "Communications" (3.53 cm).
OWNER_WIDTH_CM = 3.6
#: A rating in bold: "Complete" (2.31 cm), and the Welsh "Cwblhawyd" (2.71 cm).
RAG_WIDTH_CM = 2.8
#: Count tables: a column per rating, headed by its name in bold (the Welsh "Gwyrdd" is
#: 1.96 cm); "Not rated" wraps between its words.
RATING_WIDTHS_CM = {
    "red": 1.6,
    "amber": 1.9,
    "green": 2.1,
    "complete": RAG_WIDTH_CM,
    "not_rated": 1.7,
}
#: A count table's total, headed "Total" (the Welsh "Cyfanswm", 2.50 cm in bold).
TOTAL_WIDTH_CM = 2.7
