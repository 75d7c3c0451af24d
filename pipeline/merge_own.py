"""What a return holds of its own that `eqplan merge` does not take, as said beside it.

merge takes only the owners' fields from a return's Actions sheet. A column an owner added
there, or a sheet added to the return, is named beside the return (the text report and the
web page), so nothing is lost unsaid; merge_intake finds them (ReturnOutcome.own_columns and
own_sheets, the JSON's too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.i18n import N_, _
from pipeline.render.context_words import counted

if TYPE_CHECKING:  # merge_report says these lines: it imports this module
    from pipeline.merge_report import ReturnOutcome

#: A hidden own sheet, as named in its line: how to find it in Excel.
HIDDEN = N_("%(sheet)s (hidden: to see it in Excel, right-click a sheet tab > Unhide)")
#: One hidden so that Excel's Unhide does not list it ("very hidden", set by a macro).
VERY_HIDDEN = N_(
    "%(sheet)s (very hidden: Excel's Unhide does not list it; LibreOffice Calc's "
    "Sheet > Show Sheet does)"
)
#: An own sheet like one eqplan reads (a copy, `Actions (2)`), as named in its line.
LOOKS_LIKE = N_("%(sheet)s (like the %(like)s sheet, but only that one is read)")


def not_taken(columns: list[dict[str, object]]) -> list[str]:
    """Said of a return's own columns holding something (ReturnOutcome.own_columns): that
    what they hold is not in the merged plan, then one line a column, naming its cells with
    the Ref beside each (the first few; the JSON has them all). [] when there are none."""
    if not columns:
        return []
    lines = [
        _(
            "Columns of its own (not eqplan's): what they hold is not in the merged plan, as "
            "merge takes only the owners' fields from a return. Copy what is needed into the "
            "merged plan by hand."
        )
    ]
    for column in columns:
        heading, cells = column["column"], column["cells"]
        shown = [_cell_and_ref(c["cell"], c["ref"]) for c in cells[:_CELLS_SHOWN]]
        more = ", ..." if len(cells) > _CELLS_SHOWN else ""
        lines.append(
            _("%(column)s (%(cell)s): %(cells)s with something in: %(where)s")
            % {
                "column": f"'{heading}'" if heading else _("A column with no heading"),
                "cell": column["cell"],
                "cells": counted(len(cells), "%(count)s cell", "%(count)s cells", none=False),
                "where": ", ".join(shown) + more,
            }
        )
    return lines


def sheets_not_taken(sheets: list[dict[str, object]]) -> list[str]:
    """Said of a return's own sheets holding something (ReturnOutcome.own_sheets): that what
    they hold is not in the merged plan, then one line a sheet, with how many cells hold
    something, and for a hidden one how to show it (else the officer would not find it in
    Excel). [] when there are none."""
    if not sheets:
        return []
    lines = [
        _(
            "Sheets of its own (not eqplan's): what they hold is not in the merged plan, as "
            "merge takes only the owners' fields from a return. Copy what is needed into the "
            "merged plan by hand."
        )
    ]
    for sheet in sheets:
        cells, named = sheet["cells"], f"'{sheet['sheet']}'"
        if sheet.get("looks_like"):
            named = _(LOOKS_LIKE) % {"sheet": named, "like": sheet["looks_like"]}
        if sheet.get("very_hidden"):
            named = _(VERY_HIDDEN) % {"sheet": named}
        elif sheet.get("hidden"):
            named = _(HIDDEN) % {"sheet": named}
        lines.append(
            _("%(sheet)s: %(cells)s with something in")
            % {
                "sheet": named,
                "cells": counted(cells, "%(count)s cell", "%(count)s cells", none=False),
            }
        )
    return lines


def own_not_taken(outcome: ReturnOutcome) -> list[list[str]]:
    """What a return holds of its own that merge does not take, as said beside it (the text
    report and the web page): its columns' lines, then its sheets', each a heading line and
    one line a column or sheet; only those it has."""
    said = (not_taken(outcome.own_columns), sheets_not_taken(outcome.own_sheets))
    return [lines for lines in said if lines]


#: How many of an own column's cells the text names (the count says how many in all).
_CELLS_SHOWN = 5


def _cell_and_ref(cell: str, ref: str | None) -> str:
    """`T2 (EB46)`: a cell of a column already named by its sheet, and the Ref on its row."""
    at = cell.rsplit("!", 1)[-1]
    return f"{at} ({ref})" if ref else at


#: The title of the plan's own cells the merged plan has no place for (`own_not_copied`).
PLAN_NOT_COPIED = N_(
    "The plan's own cells with no place in the merged plan: not copied. Copy them across by "
    "hand if needed"
)


def plan_not_copied(lines: list[str]) -> tuple[str, list[str]]:
    """The report's section for the plan's own cells not copied (OwnData.not_copied)."""
    return _(PLAN_NOT_COPIED), lines
