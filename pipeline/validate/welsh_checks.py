"""Checks for a document built in Welsh: the officers' Welsh text is there (issue 15)."""

from __future__ import annotations

from collections.abc import Set

from pipeline import problems
from pipeline.i18n import _, and_more, in_welsh, ngettext
from pipeline.model import Plan
from pipeline.problems import Problem
from pipeline.text import plural_noun

#: Cells listed in one warning before "and N more".
CELLS_LISTED = 30
#: Framework titles listed in one warning before "and N more".
ITEMS_LISTED = 8


#: The codes only check_welsh gives: about a document built in Welsh, not an English one.
WELSH_CHECK_CODES = frozenset(
    {problems.WELSH_TEXT_MISSING.code, problems.FRAMEWORK_WELSH_MISSING.code}
)


def check_welsh(
    plan: Plan, unread: Set[tuple[str, str]] = frozenset(), *, history: bool = False
) -> list[Problem]:
    """WELSH_TEXT_MISSING for each sheet with English text that has no Welsh beside it, and
    FRAMEWORK_WELSH_MISSING when framework titles have no Welsh (printed in English).

    unread: (sheet, cell) of cells that could not be read (an Excel error, a formula never
    calculated), which have their own error; they are not listed as missing Welsh as well.
    history: the plan prints every Progress log entry (its history appendix), not only the
    latest of each action, so every entry's Welsh is checked.
    """
    found = []
    for sheet, listed in plan.welsh.missing(history=history).items():
        cells = [cell for cell in listed if (sheet, cell) not in unread]
        if cells:
            found.append(_welsh_missing(sheet, cells))
    framework = plan.framework
    missing = [framework.title] if "framework" not in framework.welsh else []
    missing += [m.label for m in framework.modules if f"module:{m.ref}" not in framework.welsh]
    missing += [t.label for t in framework.themes if f"theme:{t.ref}" not in framework.welsh]
    labels = framework.labels  # as the Welsh documents print them (a council's: labels_cy)
    words = (labels.module, labels.theme, plural_noun(labels.theme), labels.point)
    missing += [word for word in dict.fromkeys(words) if in_welsh(word) == word]
    if framework.source and "source" not in framework.welsh:
        missing.append(_("the note of its source (source_cy)"))
    if missing:
        items = and_more("; ".join(missing[:ITEMS_LISTED]), len(missing) - ITEMS_LISTED)
        found.append(
            problems.FRAMEWORK_WELSH_MISSING.at(
                count=ngettext("%(count)s text", "%(count)s texts", len(missing))
                % {"count": len(missing)},
                framework=plan.framework.short_title,
                items=items,
            )
        )
    return found


def check_report_welsh(plan: Plan) -> list[Problem]:
    """WELSH_TEXT_MISSING for the Report sheet's fields with no Welsh beside them: asked
    only when a cover report is built in Welsh, the one document that prints them."""
    cells = [welsh.cell for welsh in plan.welsh.report.values() if not welsh.text]
    return [_welsh_missing(plan.report.sheet, cells)] if cells else []


def _welsh_missing(sheet: str, cells: list[str]) -> Problem:
    """One WELSH_TEXT_MISSING for a sheet's cells: the first named, the list kept short."""
    shown = and_more(", ".join(cells[:CELLS_LISTED]), len(cells) - CELLS_LISTED)
    count = ngettext("%(count)s cell", "%(count)s cells", len(cells)) % {"count": len(cells)}
    return problems.WELSH_TEXT_MISSING.at(sheet, cells[0], count=count, cells=shown)
