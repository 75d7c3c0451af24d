"""Read a filled workbook into raw rows with positions, noting structural problems.

This is the only place that opens an officer's workbook. It finds sheets and
columns by name (tolerant of case, spacing and added columns), keeps every
value with its Excel row, and turns what Excel hides (error values,
formulas never calculated, control characters, merged and hidden cells) into
problems with a cell address. It reads with openpyxl, not calamine, because
calamine hides formula errors and uncalculated formulas
(research/validation-anchors.md section 2). The file is opened read-only and
never written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline import problems
from pipeline.errors import WorkbookUnreadable
from pipeline.io import check_input
from pipeline.problems import Problem
from pipeline.text import clean_text, match_key
from pipeline.workbook import layout
from pipeline.workbook.layout import SheetSpec

# openpyxl uses defusedxml when it is installed; eqplan depends on it so that
# XML entities in a workbook are never expanded.
if not openpyxl.DEFUSEDXML:  # pragma: no cover - guarded by the dependency
    raise ImportError("eqplan needs defusedxml installed so that openpyxl reads XML safely")

LONG_TEXT = 5_000
HEADER_SEARCH_ROWS = 10
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


@dataclass
class RawRow:
    """One data row: values by field key, with its real Excel row number."""

    number: int
    values: dict[str, object]
    hidden: bool = False


@dataclass
class RawTable:
    """A table-shaped sheet as found: its title, header row, column letters and rows."""

    spec: SheetSpec
    title: str
    header_row: int
    columns: dict[str, str]
    rows: list[RawRow] = field(default_factory=list)

    def cell(self, key: str, row: int) -> str:
        letter = self.columns.get(key, "A")
        return f"{letter}{row}"


@dataclass
class PlanValue:
    """A value from the Plan sheet with its cell."""

    value: object
    cell: str


@dataclass
class RawWorkbook:
    """Everything read from a workbook, before any meaning is given to the values."""

    path: Path
    sheet_names: list[str]
    plan_sheet: str = layout.PLAN_SHEET
    plan: dict[str, PlanValue] = field(default_factory=dict)
    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_workbook(path: Path) -> RawWorkbook:
    """Read the plan workbook at path; raise WorkbookUnreadable if it cannot be opened at all.

    Problems that do not stop reading (a missing sheet, an error value) are
    collected in `RawWorkbook.problems` so the officer sees them all at once.
    """
    checked = check_input(path)
    formulas = _formula_cells(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's "extension not supported" noise
            wb = openpyxl.load_workbook(path, data_only=True, keep_links=False, keep_vba=False)
    except WorkbookUnreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means a damaged file
        problem = problems.FILE_DAMAGED.at(path=str(path), detail=_short(exc))
        raise WorkbookUnreadable(problem.message, hint=problem.hint, code=problem.code) from None
    if not wb.sheetnames:
        problem = problems.FILE_DAMAGED.at(path=str(path), detail="it contains no sheets")
        raise WorkbookUnreadable(problem.message, hint=problem.hint, code=problem.code)
    raw = RawWorkbook(path=path, sheet_names=list(wb.sheetnames))
    raw.problems.extend(checked.warnings)
    reader = _SheetReader(raw, formulas)
    by_key = {match_key(name): name for name in wb.sheetnames}

    plan_title = by_key.get(match_key(layout.PLAN_SHEET))
    if plan_title is None:
        raw.problems.append(_sheet_missing(layout.PLAN_SHEET, wb.sheetnames))
    else:
        raw.plan_sheet = plan_title
        reader.read_plan(wb[plan_title])
    for spec in layout.DATA_SHEETS:
        title = by_key.get(match_key(spec.name))
        if title is None:
            raw.problems.append(_sheet_missing(spec.name, wb.sheetnames))
            continue
        table = reader.read_table(wb[title], spec)
        if table is not None:
            raw.tables[spec.name] = table
    wb.close()
    return raw


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 120 else text[:117] + "..."


def _sheet_missing(name: str, found: list[str]) -> Problem:
    return problems.SHEET_MISSING.at(name, sheet_name=name, found=", ".join(repr(s) for s in found))


def _formula_cells(path: Path) -> dict[str, set[str]]:
    """Coordinates of formula cells per sheet, looked up only when the file has formulas.

    openpyxl's data_only mode shows an uncalculated formula as an empty cell,
    so a second, streaming pass with formulas is needed to tell them apart.
    Most plans have no formulas, and a byte scan keeps them from paying for it.
    """
    with zipfile.ZipFile(path) as archive:
        has_formulas = False
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as part:
                    if _FORMULA_TAG.search(part.read()):
                        has_formulas = True
                        break
    if not has_formulas:
        return {}
    found: dict[str, set[str]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    try:
        for ws in wb.worksheets:
            cells = set()
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        cells.add(cell.coordinate)
            if cells:
                found[ws.title] = cells
    finally:
        wb.close()
    return found


class _SheetReader:
    """Reads cells, turning what Excel hides into problems with an address."""

    def __init__(self, raw: RawWorkbook, formulas: dict[str, set[str]]) -> None:
        self.raw = raw
        self.formulas = formulas

    def value(self, ws: Worksheet, cell, column_name: str = "") -> object:
        """The cleaned value of a cell, reporting error values, uncached formulas and controls."""
        value = cell.value
        ref = cell.coordinate
        sheet = ws.title
        if cell.data_type == "e":
            self.raw.problems.append(
                problems.CELL_ERROR_VALUE.at(
                    sheet, ref, row=cell.row, column=column_name, value=value
                )
            )
            return None
        if value is None:
            if ref in self.formulas.get(sheet, ()):
                self.raw.problems.append(
                    problems.FORMULA_NO_VALUE.at(
                        sheet, ref, row=cell.row, column=column_name, value="formula"
                    )
                )
            return None
        if isinstance(value, str):
            text, changed = clean_text(value)
            if changed:
                self.raw.problems.append(
                    problems.TEXT_CONTROL_CHARS.at(sheet, ref, row=cell.row, column=column_name)
                )
            if len(text) > LONG_TEXT:
                self.raw.problems.append(
                    problems.TEXT_LONG.at(
                        sheet, ref, row=cell.row, column=column_name, length=len(text)
                    )
                )
            return text if text.strip() else None
        if isinstance(value, dt.time):
            return str(value)
        return value

    def read_plan(self, ws: Worksheet) -> None:
        """Read Field/Value pairs: labels in column A, values in column B, any row order."""
        labels = {match_key(f.label): f for f in layout.PLAN_FIELDS}
        for (row, column), cell in sorted(ws._cells.items()):
            if column != 1 or row > 200 or not isinstance(cell.value, str):
                continue
            plan_field = labels.get(match_key(cell.value))
            if plan_field is None or plan_field.key in self.raw.plan:
                continue
            value_cell = ws.cell(row=row, column=2)
            value = self.value(ws, value_cell, plan_field.label)
            self.raw.plan[plan_field.key] = PlanValue(value, value_cell.coordinate)
        self._warn_hidden_sheet(ws, bool(self.raw.plan))

    def read_table(self, ws: Worksheet, spec: SheetSpec) -> RawTable | None:
        header_row, found = _find_header(ws, spec)
        if header_row is None:
            expected = ", ".join(f"'{c.heading}'" for c in spec.columns if c.required)
            self.raw.problems.append(
                problems.SHEET_NO_HEADER.at(ws.title, sheet_name=ws.title, expected=expected)
            )
            return None
        columns = self._map_columns(ws, spec, header_row, found)
        table = RawTable(spec=spec, title=ws.title, header_row=header_row, columns=columns)
        index_to_key = {column_index_from_string(letter): key for key, letter in columns.items()}
        hidden = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
        headings = {c.key: c.heading for c in spec.columns}

        rows: dict[int, dict[str, object]] = {}
        for (row, column), cell in ws._cells.items():
            # ws._cells holds only cells present in the file. Iterating it, rather than
            # ws.iter_rows(), avoids allocating millions of empty cells when formatting
            # or a stray value reaches row 1,048,576.
            if row <= header_row or column not in index_to_key:
                continue
            key = index_to_key[column]
            value = self.value(ws, cell, headings[key])
            if value is not None:
                rows.setdefault(row, {})[key] = value
        self._fill_merged(ws, header_row, index_to_key, headings, rows)
        for number in sorted(rows):
            is_hidden = number in hidden
            if is_hidden:
                self.raw.problems.append(
                    problems.HIDDEN_ROWS.at(ws.title, f"A{number}", row=number)
                )
            table.rows.append(RawRow(number, rows[number], is_hidden))
        self._warn_hidden_sheet(ws, bool(table.rows))
        return table

    def _warn_hidden_sheet(self, ws: Worksheet, has_data: bool) -> None:
        if ws.sheet_state != "visible" and has_data:
            self.raw.problems.append(problems.HIDDEN_SHEET.at(ws.title, sheet_name=ws.title))

    def _map_columns(
        self, ws: Worksheet, spec: SheetSpec, header_row: int, found: dict[int, str]
    ) -> dict[str, str]:
        columns: dict[str, str] = {}
        for column in spec.columns:
            names = {match_key(column.heading), *(match_key(a) for a in column.aliases)}
            hits = [index for index, text in found.items() if match_key(text) in names]
            # The exact heading wins over an alias when both are present.
            hits.sort(key=lambda i: (match_key(found[i]) != match_key(column.heading), i))
            if hits:
                columns[column.key] = get_column_letter(hits[0])
                if len(hits) > 1 and match_key(found[hits[1]]) == match_key(found[hits[0]]):
                    self.raw.problems.append(
                        problems.COLUMN_DUPLICATE.at(
                            ws.title,
                            f"{get_column_letter(hits[1])}{header_row}",
                            expected=column.heading,
                            sheet_name=ws.title,
                            first=f"{get_column_letter(hits[0])}{header_row}",
                            second=f"{get_column_letter(hits[1])}{header_row}",
                        )
                    )
            elif column.required:
                self.raw.problems.append(
                    self._column_missing(ws, spec, column.heading, header_row, found)
                )
        return columns

    def _column_missing(
        self, ws: Worksheet, spec: SheetSpec, heading: str, header_row: int, found: dict[int, str]
    ) -> Problem:
        known = {match_key(c.heading) for c in spec.columns} | {
            match_key(a) for c in spec.columns for a in c.aliases
        }
        unclaimed = {i: t for i, t in found.items() if match_key(t) not in known}
        candidates = {_loose(t): i for i, t in unclaimed.items()}
        close = difflib.get_close_matches(_loose(heading), list(candidates), n=1, cutoff=0.5)
        hint = ""
        cell = ""
        if close:
            index = candidates[close[0]]
            cell = f"{get_column_letter(index)}{header_row}"
            hint = f" (found '{unclaimed[index]}' in {cell})"
        return problems.COLUMN_MISSING.at(
            ws.title, cell, row=header_row, expected=heading, sheet_name=ws.title, found=hint
        )

    def _fill_merged(
        self,
        ws: Worksheet,
        header_row: int,
        index_to_key: dict[int, str],
        headings: dict[str, str],
        rows: dict[int, dict[str, object]],
    ) -> None:
        """Copy each merged range's top-left value down the rows it covers, with a warning.

        Council plans often merge a framework point over several action rows;
        the officer means it for every row, but Excel stores it only once.
        """
        for merged in ws.merged_cells.ranges:
            if merged.max_row <= header_row:
                continue
            keys = [
                index_to_key[c]
                for c in range(merged.min_col, merged.max_col + 1)
                if c in index_to_key
            ]
            value = rows.get(merged.min_row, {}).get(keys[0]) if keys else None
            if value is None:
                continue
            for row in range(merged.min_row + 1, merged.max_row + 1):
                rows.setdefault(row, {}).setdefault(keys[0], value)
            self.raw.problems.append(
                problems.MERGED_CELLS.at(
                    ws.title,
                    f"{get_column_letter(merged.min_col)}{merged.min_row}",
                    row=merged.min_row,
                    range=merged.coord,
                    column=headings[keys[0]],
                    rows=f"{merged.min_row} to {merged.max_row}",
                )
            )


def _loose(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", match_key(text))


def _find_header(ws: Worksheet, spec: SheetSpec) -> tuple[int | None, dict[int, str]]:
    """The row (within the first ten) whose cells best match the expected headings."""
    names = set()
    for column in spec.columns:
        names.add(match_key(column.heading))
        names.update(match_key(a) for a in column.aliases)
    by_row: dict[int, dict[int, str]] = {}
    for (row, column), cell in ws._cells.items():
        if row <= HEADER_SEARCH_ROWS and isinstance(cell.value, str) and cell.value.strip():
            by_row.setdefault(row, {})[column] = cell.value
    best_row, best_score = None, 0
    for row in sorted(by_row):
        score = sum(1 for text in by_row[row].values() if match_key(text) in names)
        if score > best_score:
            best_row, best_score = row, score
    if best_row is None:
        return None, {}
    return best_row, by_row[best_row]
