"""Imports only flow downstream, and each library stays in its own layer (STYLE.md rule 1)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _where(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=_where)
def test_library_boundaries(path):
    imports = _imports(path)
    where = _where(path)
    roots = {name.split(".")[0] for name in imports}
    if "click" in roots:
        assert where in ("cli.py", "cli_options.py"), where
    if roots & {"docx", "docxtpl", "xlsxwriter", "PIL"}:
        assert where.startswith("render/"), where
    if "openpyxl" in roots or "python_calamine" in roots:
        assert where.startswith("workbook/") or where == "render/annotate.py", where
    assert "pipeline.cli" not in imports or where == "__main__.py"
    assert "pipeline.cli_options" not in imports or where == "cli.py"


@pytest.mark.parametrize(
    "name", ["model.py", "deadlines.py", "problems.py", "summaries.py", "text.py"]
)
def test_core_modules_do_no_io(name):
    roots = {n.split(".")[0] for n in _imports(PACKAGE / name)}
    assert not roots & {
        "openpyxl",
        "docx",
        "docxtpl",
        "click",
        "zipfile",
        "yaml",
        "xlsxwriter",
        "subprocess",
    }


def test_model_does_not_import_renderers_or_workbook():
    for name in ("model.py", "deadlines.py", "summaries.py"):
        imports = _imports(PACKAGE / name)
        assert not any(
            i.startswith(("pipeline.render", "pipeline.workbook", "pipeline.validate"))
            for i in imports
        )


def test_modules_stay_small():
    """About 400 lines a module; the problem catalogue is data and may run longer."""
    for path in MODULES:
        lines = path.read_text(encoding="utf-8").count("\n")
        limit = 500 if _where(path) == "problems.py" else 420
        assert lines <= limit, f"{_where(path)} has {lines} lines: split it"


# Writing spreadsheet cells: only pipeline/cells.py may set a value or call a write method,
# so text can never land as a formula (issue 9). Clearing a cell (`.value = None`) is allowed.
_XLSX_WRITES = {
    "write",
    "write_string",
    "write_row",
    "write_column",
    "write_rich_string",
    "write_formula",
    "write_array_formula",
    "write_dynamic_array_formula",
    "write_url",
}
_SHEET_NAMES = {"ws", "sheet", "worksheet"}


def _direct_cell_writes(source: str) -> list[str]:
    """Places in source that write a cell without pipeline.cells, as `line: what` strings."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            clearing = isinstance(node.value, ast.Constant) and node.value.value is None
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "data_type":
                    found.append(f"{node.lineno}: sets .data_type")
                if isinstance(target, ast.Attribute) and target.attr == "value" and not clearing:
                    found.append(f"{node.lineno}: assigns .value")
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id in _SHEET_NAMES
                ):
                    found.append(f"{node.lineno}: assigns {target.value.id}[...]")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name == "cell" and (
                len(node.args) >= 3 or any(k.arg == "value" for k in node.keywords)
            ):
                found.append(f"{node.lineno}: .cell(..., value)")
            elif name in _XLSX_WRITES:
                found.append(f"{node.lineno}: .{name}()")
            elif (
                name == "append"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in _SHEET_NAMES
            ):
                found.append(f"{node.lineno}: {node.func.value.id}.append()")
    return found


def test_cell_write_check_finds_direct_writes():
    source = (
        "ws.cell(row=1, column=1, value=title)\n"
        "cell.value = title\n"
        "cell.data_type = 's'\n"
        "ws['A1'] = title\n"
        "ws.append([title])\n"
        "ws.write(0, 0, title)\n"
        "ws.write_string(0, 0, title)\n"
        "ws.cell(1, 1, title)\n"
        "cell.value = None\n"  # clearing is fine
        "ws.cell(row=1, column=1).fill = fill\n"  # styling is fine
        "ws.write_number(0, 0, 1)\n"  # numbers cannot become formulas
    )
    lines = sorted(int(entry.split(":")[0]) for entry in _direct_cell_writes(source))
    assert lines == list(range(1, 9))


@pytest.mark.parametrize("path", MODULES, ids=_where)
def test_cells_are_written_only_through_the_cells_helpers(path):
    if _where(path) == "cells.py":
        return
    found = _direct_cell_writes(path.read_text(encoding="utf-8"))
    assert not found, f"{_where(path)}: use pipeline.cells (put, put_at, write_text): {found}"
