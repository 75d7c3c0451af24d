"""Build the default committee cover report template: templates/cover-report.docx.

`eqplan build --cover` (and `--pack`) fills it in from the Report sheet and
the plan's figures. Like the plan templates it is an ordinary Word document
with docxtpl tags, so a council can restyle it or reword it in Word; the
names its tags may use are listed in README.md ("The cover report
context"). It shares the plan templates' styles and helpers
(make_templates.py), so both documents look alike. Run it with
`make templates`.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_templates as base  # noqa: E402
from docx import Document  # noqa: E402

from pipeline import headings as h  # noqa: E402

NAME = "cover-report.docx"
WIDTH_CM = 17.2  # portrait A4 between the plan templates' margins


def main() -> None:
    path = HERE / NAME
    build().save(path)
    print(f"Wrote {path.relative_to(HERE.parent)}")


def build():
    doc = Document()
    base._styles(doc)
    base._page(doc.sections[0], landscape=False)
    _footer(doc.sections[0])
    _front(doc)
    _recommendations(doc)
    _background(doc)
    _progress(doc)
    _implications(doc)
    _appendices(doc)
    base._settings(doc)
    doc.core_properties.title = "{{ report.title }}"
    doc.core_properties.author = "{{ plan.council }}"
    doc.core_properties.language = "en-GB"
    doc.core_properties.comments = "Template for eqplan (committee cover report)."
    return doc


def _footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.add_run("{{ report.title }}, {{ plan.council }}. Page ")
    base._field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    base._field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = base.Pt(10)
        run.font.name = base.FONT


def _paragraphs(doc, loop: str, style: str | None = None) -> None:
    """One paragraph per item of a list in the context."""
    base._tag(doc, f"{{%p for text in {loop} %}}")
    base._p(doc, "{{ text }}", style)
    base._tag(doc, "{%p endfor %}")


def _front(doc) -> None:
    base._p(doc, "{{ plan.council }}", "Subtitle")
    base._p(doc, "{{ report.title }}", "Title")
    base._static_table(
        doc,
        [("Item", 5.0), ("Detail", WIDTH_CM - 5.0)],
        [
            [h.COMMITTEE, "{{ report.committee }}"],
            [h.MEETING_DATE, "{{ report.meeting_date }}"],
            [h.REPORT_OF, "{{ report.report_of }}"],
            [h.CONTACT_OFFICER, "{{ report.contact }}"],
            [h.WARDS, "{{ report.wards }}"],
        ],
        "Report details",
    )
    base._p(doc, h.PURPOSE, "Heading 1")
    _paragraphs(doc, "report.purpose")


def _recommendations(doc) -> None:
    base._p(doc, h.RECOMMENDATIONS, "Heading 1")
    _paragraphs(doc, "report.recommendations", "List Number")


def _background(doc) -> None:
    base._p(doc, h.BACKGROUND, "Heading 1")
    _paragraphs(doc, "report.background")


def _progress(doc) -> None:
    base._p(doc, h.SUMMARY_OF_PROGRESS, "Heading 1")
    base._p(
        doc,
        "The plan holds {{ summary.actions_text }}, of which {{ summary.complete_text }}. "
        "As at {{ plan.report_date }}, {{ summary.overdue_text }} and {{ summary.due_soon_text }}. "
        "Each action has a reference (Ref) in Appendix 1 that members can quote.",
    )
    base._tag(doc, "{%p if plan.financial_year %}")
    base._p(doc, "The figures are for the financial year {{ plan.financial_year }}.")
    base._tag(doc, "{%p endif %}")
    base._p(doc, "Actions by rating", "Heading 2")
    table = base._loop_table(
        doc,
        [
            base.Col(h.RATING, 6.0, ("{{ r.label }}",)),
            base.Col(h.ACTIONS, 3.0, ("{{ r.count }}",)),
        ],
        "r in summary.ratings",
        "Actions by rating",
    )
    row = table.add_row()
    for index, text in enumerate(("Total", "{{ summary.total_actions }}")):
        paragraph = row.cells[index].paragraphs[0]
        paragraph.style = "Table Text"
        paragraph.add_run(text).bold = True
    base._keep_rows_whole(table)
    base._p(doc, "Actions by {{ plan.labels.module | lower }}", "Heading 2")
    base._count_table(
        doc,
        "{{ plan.labels.module }}",
        "row in summary.modules",
        "summary.total",
        "Actions by rating for each section of the plan",
    )
    # Filled in when a previous plan is given (`--since`, the quarterly cycle); empty otherwise.
    base._tag(doc, "{%p if report.since %}")
    base._p(doc, "{{ report.since_heading }}", "Heading 2")
    base._p(doc, "{{ report.since_counts }}")
    base._tag(doc, "{%p if report.movements %}")
    base._loop_table(
        doc,
        [
            base.Col(h.REF, 2.0, ("{{ m.ref }}",)),
            base.Col(h.ACTION_OR_EVIDENCE, 9.2, ("{{ m.action }}",)),
            base.Col("Was", 3.0, ("{{ m.was }}",)),
            base.Col("Now", 3.0, ("{{ m.now }}",)),
        ],
        "m in report.movements",
        "Changes in rating since the last report",
    )
    base._tag(doc, "{%p else %}")
    base._p(doc, "No action's rating went up or down.")
    base._tag(doc, "{%p endif %}")
    base._p(
        doc,
        "Appendix 1 lists every change, with each action's rating at the last report.",
    )
    base._tag(doc, "{%p endif %}")


def _implications(doc) -> None:
    base._p(doc, h.IMPLICATIONS, "Heading 1")
    base._p(doc, h.FINANCIAL_IMPLICATIONS, "Heading 2")
    _paragraphs(doc, "report.financial")
    base._p(doc, h.LEGAL_IMPLICATIONS, "Heading 2")
    _paragraphs(doc, "report.legal")
    # The statute's words come from pipeline/data/statutory.yaml, as in the plan.
    base._p(doc, "{{ statutory.psed.citation }} says:")
    base._p(doc, "{{ statutory.psed.introduction }}", "Quote")
    base._tag(doc, "{%p for aim in statutory.psed.aims %}")
    base._p(doc, "{{ aim }}", "Quote")
    base._tag(doc, "{%p endfor %}")
    base._p(doc, "Source: {{ statutory.psed.source }}", "Caption")
    base._p(doc, h.EQUALITY_IMPLICATIONS, "Heading 2")
    _paragraphs(doc, "report.equality")
    base._tag(doc, "{%p if report.welsh %}")
    base._p(doc, h.WELSH_LANGUAGE_IMPLICATIONS, "Heading 2")
    _paragraphs(doc, "report.welsh_language")
    base._tag(doc, "{%p endif %}")


def _appendices(doc) -> None:
    base._p(doc, h.APPENDICES, "Heading 1")
    _paragraphs(doc, "report.appendices")


if __name__ == "__main__":
    sys.exit(main())
