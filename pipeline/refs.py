"""References for actions the officer left without one, so every row can be named in committee.

A generated reference is the action's framework point, a dash and a short
fingerprint of the action's own text: `1.2-7KQ3`. It depends on nothing
else, so adding, removing or moving other rows never changes it (an Excel
row number would). Editing the text does change it, which is why officers
who need fixed references type their own. The fingerprint uses Crockford's
base 32 (digits and capitals without I, L, O, U), so it reads aloud without
confusion. A clash with any other reference lengthens the fingerprint; two
rows with identical point and text (already a duplicate warning) are told
apart by `-2`, `-3` in row order.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from pipeline import problems
from pipeline.formats import format_number
from pipeline.i18n import _, and_more, ngettext
from pipeline.problems import Problem
from pipeline.text import is_digits, match_key

if TYPE_CHECKING:
    from pipeline.model import Action

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LENGTHS = (4, 6, 8)
MAX_CELLS_LISTED = 12


def fingerprint(text: str, length: int) -> str:
    """The first `length` base-32 characters of the text's SHA-256 digest."""
    number = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    chars = []
    for _position in range(length):
        number, digit = divmod(number, 32)
        chars.append(_ALPHABET[digit])
    return "".join(chars)


def _candidates(prefix: str, texts: tuple[str, ...]) -> list[str]:
    own = "\x1f".join(match_key(t) for t in texts)
    return [f"{prefix}-{fingerprint(own, n)}" for n in _LENGTHS]


def made_from(ref: str, prefix: str, texts: tuple[str, ...]) -> bool:
    """Whether ref is one generate_ref could have made for these texts (`1.1-7KQ3`, a longer
    fingerprint, or `1.1-7KQ3-2`): a row eqplan gave that Ref to before."""
    key = match_key(ref)
    candidates = [match_key(c) for c in _candidates(prefix, texts)]
    first, _, number = key.removeprefix(candidates[0]).partition("-")
    return key in candidates or (not first and key != candidates[0] and is_digits(number))


def generate_ref(prefix: str, texts: tuple[str, ...], taken: set[str]) -> str:
    """A reference `prefix-XXXX` not in taken (compared as match keys), which it then joins."""
    candidates = _candidates(prefix, texts)
    ref = next((c for c in candidates if match_key(c) not in taken), "")
    number = 2
    while not ref:
        candidate = f"{candidates[0]}-{number}"
        ref = candidate if match_key(candidate) not in taken else ""
        number += 1
    taken.add(match_key(ref))
    return ref


def describe_cells(cells: list[str]) -> str:
    """`A5, A9 to A12 and 3 more`: cells of one column, runs of rows joined, the list kept short."""
    runs: list[list[tuple[str, int]]] = []
    for cell in cells:
        letters = cell.rstrip("0123456789")
        row = int(cell[len(letters) :])
        last = runs[-1][-1] if runs else None
        if last is not None and last[0] == letters and last[1] + 1 == row:
            runs[-1].append((letters, row))
        else:
            runs.append([(letters, row)])
    shown = [
        _("%(first)s to %(last)s")
        % {"first": f"{run[0][0]}{run[0][1]}", "last": f"{run[-1][0]}{run[-1][1]}"}
        if len(run) > 1
        else f"{run[0][0]}{run[0][1]}"
        for run in runs[:MAX_CELLS_LISTED]
    ]
    return and_more(", ".join(shown), len(runs) - MAX_CELLS_LISTED)


def missing_refs(sheet: str, cells: list[str], has_column: bool, example: str) -> Problem:
    """The one REF_MISSING warning for all actions without a Ref, with their cells."""
    count = ngettext("%(count)s action", "%(count)s actions", len(cells)) % {
        "count": format_number(len(cells))
    }
    where = describe_cells(cells) if has_column else _("the sheet has no Ref column")
    first = cells[0] if has_column else ""
    return problems.REF_MISSING.at(sheet, first, count=count, cells=where, example=example)


def key_actions(actions: list[Action], workbook: str | None = None) -> None:
    """Set each action's workbook (when given) and number repeated Refs, so every key is unique.

    Refs are compared as officers type them (case and spacing ignored), as the
    duplicate check does. Safe to call again: the numbering starts afresh.
    """
    seen: dict[tuple[str, str], int] = {}
    for action in actions:
        if workbook is not None:
            action.workbook = workbook
        pair = (action.workbook, match_key(action.display_ref))
        seen[pair] = action.occurrence = seen.get(pair, 0) + 1
