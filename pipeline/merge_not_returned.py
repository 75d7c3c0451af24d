"""Whom to chase after `eqplan merge`: the groups sent actions with no return in this merge.

Each return's record says how its split grouped the plan (`by`: owner or section) and
which group it was made for. The groups are the plan's own, grouped as split groups them
(pipeline.split.groups_of), so merging the returns a few at a time lists, each time, the
groups whose returns were not given in that run; the report words it so ("in this
merge"), never as if they had not replied. A return refused as another plan's or another
report's is not one of this report's, so its group is still listed.

Nothing is listed when it cannot be told for sure: no return of this plan and report
was given (all refused, say), the returns come from a split by owner and one by section,
or a return's group is not one the plan has now (an owner renamed, a section retitled or
moved since the split), so the plan's groups may not be the ones that were sent.
"""

from __future__ import annotations

from pipeline.merge_report import ReturnOutcome
from pipeline.model import Plan
from pipeline.split import BY_OWNER, BY_SECTION, groups_of
from pipeline.text import match_key


def not_returned(plan: Plan, returns: list[ReturnOutcome]) -> list[dict[str, object]]:
    """The report's `not_returned`: by, group, actions (how many of the plan's) and refs,
    for each group of the plan with no return given (owners by name, sections in the plan's
    order); [] when the groups cannot be told."""
    ours = [r for r in returns if r.by]  # this plan's and report's (refused later or not)
    ways = {r.by for r in ours}
    if len(ways) != 1 or not ways <= {BY_OWNER, BY_SECTION}:
        return []
    by = ways.pop()
    groups = groups_of(plan, by)
    given = {match_key(r.group) for r in ours}
    if not given <= {match_key(group) for group in groups}:
        return []
    waiting = [
        {
            "by": by,
            "group": group,
            "actions": len(actions),
            "refs": [action.display_ref for action in actions],
        }
        for group, actions in groups.items()
        if match_key(group) not in given
    ]
    if by == BY_OWNER:  # as the sent folder lists them; sections keep the plan's order
        waiting.sort(key=lambda entry: match_key(str(entry["group"])))
    return waiting
