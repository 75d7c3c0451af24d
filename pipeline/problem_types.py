"""What a problem is: its kind (code, severity, words) and one occurrence at a cell.

The catalogue of kinds is pipeline/problems.py, which re-exports these names.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from pipeline.errors import one_stop
from pipeline.i18n import _
from pipeline.text import shortened


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Kind:
    """One kind of problem: what it is, why it matters and how to fix it."""

    code: str
    severity: Severity
    title: str
    description: str
    template: str
    hint: str
    retired: bool = False

    def at(
        self,
        sheet: str = "",
        cell: str = "",
        *,
        row: int | None = None,
        column: str = "",
        item: str = "",
        value: object = None,
        **fields: object,
    ) -> Problem:
        """A problem of this kind at a cell; `fields` fill the message template."""
        if row is None and cell:
            digits = "".join(ch for ch in cell if ch.isdigit())
            row = int(digits) if digits else None
        if value is not None and "value" not in fields:
            fields["value"] = _show(value)
        for name, given in (
            ("sheet", sheet),
            ("cell", cell),
            ("row", row),
            ("column", column),
            ("item", item),
        ):
            fields.setdefault(name, given)
        # In the language being written (validate --language cy): the catalogue's words for
        # this kind where it has them, else the English.
        message = one_stop(_(self.template).format(**fields))  # a detail's own stop, once
        hint = one_stop(_(self.hint).format(**fields))
        return Problem(
            code=self.code,
            severity=self.severity,
            message=message,
            hint=hint,
            sheet=sheet,
            cell=cell,
            row=row,
            column=column,
            item=item,
            value=_show(value) if value is not None else "",
        )


@dataclass(frozen=True)
class Problem:
    """A problem found in a workbook, with its position and a fix hint."""

    code: str
    severity: Severity
    message: str
    hint: str
    sheet: str = ""
    cell: str = ""
    row: int | None = None
    column: str = ""
    item: str = ""
    value: str = ""
    source: str = ""  # the workbook's file name, set by validation (a plan may read several)

    def is_kind(self, kind: Kind) -> bool:
        """True when this problem is of kind: compare with the catalogue, never a typed code."""
        return self.code == kind.code

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def where(self) -> str:
        """`Actions!H14`, `Actions` or `workbook`: the place to look."""
        if self.sheet and self.cell:
            return cell_address(self.sheet, self.cell)
        return self.sheet or "workbook"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "where": self.where,
            "row": self.row,
            "column": self.column,
            "item": self.item,
            "value": self.value,
            "message": self.message,
            "hint": self.hint,
            "source": self.source,
        }


def cell_address(sheet: str, cell: str) -> str:
    """A cell as Excel names it: `Actions!H14`, `'Progress log'!B7` (a space needs quotes)."""
    quoted = f"'{sheet}'" if not sheet.replace("_", "").isalnum() else sheet
    return f"{quoted}!{cell}"


def _show(value: object) -> str:
    """A value as the officer would recognise it, with hidden characters made visible: text
    of visible characters only is shown as typed (a path's \\ stays one \\), any other
    in Python's escapes, so a line break and a typed `\\n` are told apart."""
    text = shortened(str(value), 60)
    return f'"{text}"' if text.isprintable() else repr(text)
