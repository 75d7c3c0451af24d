"""Progress since the last report in Excel: the Changes sheet, and the `eqplan compare` workbook.

A plain copy of the changes view (pipeline.view_changes); every text goes
in through `pipeline.cells.write_text` (via the summary writer), so an
action's text can never become a formula. Its fixed text is in the language
being built (issue 15).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline import headings as h
from pipeline.i18n import N_, _
from pipeline.io import Target, write_output
from pipeline.render.summary_xlsx import _Writer, fit_row
from pipeline.view_changes import ChangesView

CHANGES_SHEET = N_("Changes")
LEVELS_SHEET = N_("Self-assessment changes")
COUNTS_SHEET = N_("Counts")
#: The Counts sheet's label for each count of Comparison.counts.
COUNT_LABELS = {
    "improved": N_("Improved"),
    "worsened": N_("Worsened"),
    "unchanged": N_("Unchanged"),
    "new": N_("New"),
    "removed": N_("Removed"),
    "completed": N_("Completed"),
    "slipped": N_("Slipped"),
    "withdrawn": N_("Withdrawn"),
}
#: The Changes sheet's columns: heading, ChangeRow field, width.
CHANGE_COLUMNS = [
    (h.REF, "ref", 12),
    (h.ACTION_OR_EVIDENCE, "action", 50),
    (N_("Change"), "change", 11),
    (N_("RAG movement"), "movement", 22),
    (N_("RAG was"), "rag_from", 11),
    (N_("RAG now"), "rag_to", 11),
    (N_("Status was"), "status_from", 13),
    (N_("Status now"), "status_to", 13),
    (N_("Deadline was"), "deadline_from", 18),
    (N_("Deadline now"), "deadline_to", 18),
    (N_("Days later"), "slipped_days", 10),
    (N_("Slipped"), "slipped", 9),  # later, or no longer dated: what the count counts
    (N_("Owner was"), "owner_from", 22),
    (N_("Owner now"), "owner_to", 22),
    (N_("Matched by"), "matched_by", 10),
    (N_("Ref was"), "ref_from", 12),
]


def changes_sheet(w: _Writer, changes: ChangesView) -> None:
    """One row per action: how its rating, status, deadline and owner moved."""
    widths = [width for _heading, _key, width in CHANGE_COLUMNS]
    headings = [_(heading) for heading, _key, _width in CHANGE_COLUMNS]
    ws = w.sheet(_(CHANGES_SHEET), headings, widths)
    for row, change in enumerate(changes.rows, start=1):
        values = [_shown(key, getattr(change, key)) for _heading, key, _width in CHANGE_COLUMNS]
        fit_row(ws, row, zip(values, widths, strict=True))
        formats = [
            (w.rag.get(value) if key in ("rag_from", "rag_to") else None)
            or (w.wrap if isinstance(value, str) else w.top)
            for (_heading, key, _width), value in zip(CHANGE_COLUMNS, values, strict=True)
        ]
        w.put_row(ws, row, zip(values, formats, strict=True))
    if changes.rows:
        ws.autofilter(0, 0, len(changes.rows), len(CHANGE_COLUMNS) - 1)
    note = _("Compared with the report as at %(date)s.") % {"date": changes.previous_report_date}
    w.put(ws, len(changes.rows) + 2, 0, note, w.italic)


def _shown(key: str, value: object) -> object:
    """A cell of the Changes sheet: the Change and Matched by words in the language being built."""
    return _(value) if key in ("change", "matched_by") and isinstance(value, str) else value


def write_changes_workbook(changes: ChangesView, out_path: Target) -> Target:
    """The workbook `eqplan compare -o` writes: counts, every action's change, level movements."""
    current = changes.comparison.current.details

    def write(temp: Path) -> None:
        w = _Writer(temp)
        ws = w.sheet(_(COUNTS_SHEET), [_("Since the last report"), _(h.ACTIONS)], [40, 10])
        for row, (key, count) in enumerate(changes.counts.items(), start=1):
            w.put(ws, row, 0, _(COUNT_LABELS.get(key, key.capitalize())), w.top)
            w.put(ws, row, 1, count)
        w.put(ws, len(changes.counts) + 2, 0, changes.counts_text, w.italic)
        changes_sheet(w, changes)
        ws = w.sheet(
            _(LEVELS_SHEET),
            [_(h.THEME), _("Level was"), _("Level now"), _("Movement")],
            [44, 16, 16, 30],
        )
        for row, level in enumerate(changes.levels, start=1):
            values = (level.theme, level.level_from, level.level_to, level.movement)
            fit_row(ws, row, [(level.theme, 44)])
            for column, value in enumerate(values):
                w.put(ws, row, column, value, w.wrap)
        w.book.set_properties(
            {
                "title": f"{changes.plan_title}: {changes.heading}",
                "author": current.author or current.council,
                "company": current.council,
                "created": dt.datetime.combine(
                    current.report_date or dt.date(2000, 1, 1), dt.time(12)
                ),
            }
        )
        w.book.close()

    return write_output(out_path, write, suffix=".xlsx")
