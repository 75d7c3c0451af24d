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

T_ = base.T_  # fixed text in the report's language (issue 15)

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
    base._trim(doc)
    doc.core_properties.title = "{{ report.title }}"
    doc.core_properties.author = "{{ plan.council }}"
    doc.core_properties.language = "en-GB"
    doc.core_properties.comments = "Template for eqplan (committee cover report)."
    return doc


def _footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.add_run("{{ report.title }}, {{ plan.council }}. " + T_("Page") + " ")
    base._field(paragraph, "PAGE", "1")
    paragraph.add_run(" " + T_("of") + " ")
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
        [(T_("Item"), 5.0), (T_("Detail"), WIDTH_CM - 5.0)],
        [
            [T_(h.COMMITTEE), "{{ report.committee }}"],
            [T_(h.MEETING_DATE), "{{ report.meeting_date }}"],
            [T_(h.REPORT_OF), "{{ report.report_of }}"],
            [T_(h.CONTACT_OFFICER), "{{ report.contact }}"],
            [T_(h.WARDS), "{{ report.wards }}"],
        ],
        T_("Report details"),
    )
    base._p(doc, T_(h.PURPOSE), "Heading 1")
    _paragraphs(doc, "report.purpose")


def _recommendations(doc) -> None:
    base._p(doc, T_(h.RECOMMENDATIONS), "Heading 1")
    _paragraphs(doc, "report.recommendations", "List Number")


def _background(doc) -> None:
    base._p(doc, T_(h.BACKGROUND), "Heading 1")
    _paragraphs(doc, "report.background")


def _progress(doc) -> None:
    base._p(doc, T_(h.SUMMARY_OF_PROGRESS), "Heading 1")
    base._p(doc, "{{ summary.cover_summary_text }}")
    base._tag(doc, "{%p if plan.financial_year %}")
    base._p(
        doc,
        T_(
            "The figures are as at %(date)s, in the financial year %(year)s.",
            date="plan.report_date",
            year="plan.financial_year",
        ),
    )
    base._tag(doc, "{%p endif %}")
    base._p(doc, T_("Actions by rating"), "Heading 2")
    table = base._loop_table(
        doc,
        [
            base.Col(T_(h.RATING), 6.0, ("{{ r.label }}",)),
            base.Col(T_(h.ACTIONS), 3.0, ("{{ r.count }}",)),
        ],
        "r in summary.ratings",
        T_("Actions by rating"),
    )
    row = table.add_row()
    for index, text in enumerate((T_("Total"), "{{ summary.total_actions }}")):
        paragraph = row.cells[index].paragraphs[0]
        paragraph.style = "Table Text"
        paragraph.add_run(text).bold = True
    base._keep_rows_whole(table)
    base._p(doc, T_("Actions by %(module)s", module="plan.labels.section | lower"), "Heading 2")
    base._count_table(
        doc,
        "{{ plan.labels.section }}",
        "row in summary.modules",
        "summary.total",
        T_("Actions by rating for each section of the plan"),
    )
    # Filled in when a previous plan is given (`--since`, the quarterly cycle); empty otherwise.
    base._tag(doc, "{%p if report.since %}")
    base._p(doc, "{{ report.since_heading }}", "Heading 2")
    base._p(doc, "{{ report.since_counts }}")
    base._tag(doc, "{%p if report.movements %}")
    base._loop_table(
        doc,
        [
            base.Col(T_(h.REF), 2.0, ("{{ m.ref }}",)),
            base.Col(T_(h.ACTION_OR_EVIDENCE), 9.2, ("{{ m.action }}",)),
            base.Col(T_("Was"), 3.0, ("{{ m.was }}",)),
            base.Col(T_("Now"), 3.0, ("{{ m.now }}",)),
        ],
        "m in report.movements",
        T_("Changes in rating since the last report"),
    )
    base._tag(doc, "{%p else %}")
    base._p(doc, T_("No action's rating went up or down."))
    base._tag(doc, "{%p endif %}")
    base._p(
        doc,
        T_("Appendix 1 lists every change, with each action's rating at the last report."),
    )
    base._tag(doc, "{%p endif %}")


def _implications(doc) -> None:
    base._p(doc, T_(h.IMPLICATIONS), "Heading 1")
    base._p(doc, T_(h.FINANCIAL_IMPLICATIONS), "Heading 2")
    _paragraphs(doc, "report.financial")
    base._p(doc, T_(h.LEGAL_IMPLICATIONS), "Heading 2")
    _paragraphs(doc, "report.legal")
    # The statute's words come from pipeline/data/statutory.yaml, as in the plan.
    base._p(doc, T_("%(citation)s says:", citation="statutory.psed.citation"))
    base._p(doc, "{{ statutory.psed.introduction }}", "Quote")
    base._tag(doc, "{%p for aim in statutory.psed.aims %}")
    base._p(doc, "{{ aim }}", "Quote")
    base._tag(doc, "{%p endfor %}")
    base._p(doc, T_("Source: %(source)s", source="statutory.psed.source"), "Caption")
    base._p(doc, T_(h.EQUALITY_IMPLICATIONS), "Heading 2")
    _paragraphs(doc, "report.equality")
    base._tag(doc, "{%p if report.welsh %}")
    base._p(doc, T_(h.WELSH_LANGUAGE_IMPLICATIONS), "Heading 2")
    _paragraphs(doc, "report.welsh_language")
    base._tag(doc, "{%p endif %}")


def _appendices(doc) -> None:
    base._p(doc, T_(h.APPENDICES), "Heading 1")
    _paragraphs(doc, "report.appendices")


if __name__ == "__main__":
    sys.exit(main())
