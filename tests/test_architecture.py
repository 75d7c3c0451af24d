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
        assert where.startswith("cli"), where
    if roots & {"docx", "docxtpl", "xlsxwriter", "PIL"}:
        assert where.startswith("render/"), where
    if "openpyxl" in roots or "python_calamine" in roots:
        assert where.startswith("workbook/") or where == "render/annotate.py", where
    if roots & {"flask", "werkzeug", "waitress", "itsdangerous"}:
        assert where.startswith("web/"), where  # only `eqplan serve` needs a web framework
    if any(name.startswith("pipeline.web") for name in imports):
        assert where.startswith("web/") or where == "cli_serve.py", where
    assert "pipeline.cli" not in imports or where == "launch.py"  # the entry point
    assert "pipeline.cli_options" not in imports or where.startswith("cli"), where


@pytest.mark.parametrize(
    "name",
    [
        "model.py",
        "deadlines.py",
        "problems.py",
        "summaries.py",
        "text.py",
        "view.py",
        "view_parts.py",
    ],
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
    for name in ("model.py", "deadlines.py", "summaries.py", "view.py", "view_parts.py"):
        imports = _imports(PACKAGE / name)
        assert not any(
            i.startswith(("pipeline.render", "pipeline.workbook", "pipeline.validate"))
            for i in imports
        )


def test_modules_stay_small():
    """About 400 lines a module; the problem catalogue is data and may run longer."""
    for path in MODULES:
        lines = path.read_text(encoding="utf-8").count("\n")
        limit = 600 if _where(path) == "problems.py" else 420
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


# -------------------------------------------------------- one home per idea (issue 11)


def _literals(path: Path) -> list[tuple[int, object]]:
    """Every constant in a module, with its line, docstrings and `__all__` names excepted.

    `__all__` lists Python names (the class `Report`), never words printed
    anywhere (the Report sheet).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    exported = {
        id(item)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        for item in ast.walk(node.value)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and id(node) not in docstrings | exported
    ]


def test_sheet_names_are_typed_only_in_layout():
    from pipeline.workbook import layout

    names = {v for k, v in vars(layout).items() if k.endswith("_SHEET")}
    found = [
        f"{_where(path)}:{line} {value!r}"
        for path in MODULES
        if _where(path) not in ("workbook/layout.py", "headings.py")
        for line, value in _literals(path)
        if value in names
    ]
    assert not found, f"use the layout's sheet-name constants: {found}"


def test_action_column_headings_are_typed_only_in_headings():
    from pipeline.workbook import layout

    headings = {column.heading for column in layout.ACTIONS.columns} | {"By when"}
    sources = [*MODULES, PACKAGE.parent / "templates" / "make_templates.py"]
    found = [
        f"{path.name}:{line} {value!r}"
        for path in sources
        if path.name != "headings.py"
        for line, value in _literals(path)
        if value in headings
    ]
    assert not found, f"import the heading from pipeline/headings.py: {found}"


def test_the_due_soon_window_has_one_home():
    """No literal day count beside a date window: the window is model.DUE_SOON_DAYS."""
    found = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            keyword = isinstance(node, ast.keyword) and node.arg in ("days", "due_soon_days")
            if keyword and isinstance(node.value, ast.Constant):
                found.append(f"{_where(path)}:{node.value.lineno}")
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if names and node.value.value == 90 and names != ["DUE_SOON_DAYS"]:
                    found.append(f"{_where(path)}:{node.lineno} {names}")
        found += [
            f"{_where(path)}:{line}"
            for line, value in _literals(path)
            if isinstance(value, str) and "90 days" in value
        ]
    assert not found, f"use model.DUE_SOON_DAYS: {found}"


def _string_code_comparisons(source: str) -> list[int]:
    """Lines comparing a `.code` with a typed string, or listing problem codes as strings."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "code" for s in sides) and any(
                isinstance(s, ast.Constant | ast.Tuple | ast.Set | ast.List) for s in sides
            ):
                found.append(node.lineno)
    return found


def test_code_comparison_check_finds_typed_codes():
    source = 'p.code == "SHEET_MISSING"\nif w.code in ("OVERDUE",): pass\np.is_kind(problems.X)\n'
    assert _string_code_comparisons(source) == [1, 2]


@pytest.mark.parametrize("path", MODULES, ids=_where)
def test_problem_kinds_are_compared_never_typed_codes(path):
    found = _string_code_comparisons(path.read_text(encoding="utf-8"))
    assert not found, f"{_where(path)}: compare with the catalogue (p.is_kind(problems.X)): {found}"


def test_checks_list_catalogue_kinds():
    from pipeline.problems import CATALOGUE, Kind
    from pipeline.validate.checks import CHECKS

    for kinds in CHECKS.values():
        assert all(isinstance(k, Kind) and CATALOGUE[k.code] is k for k in kinds), kinds


# render/word.py is left out: it counts the bookmarks in the written document (its own check).
_RENDERERS = ["render/context.py", "render/summary_xlsx.py", "render/csv_export.py",
              "render/chart.py", "render/html.py", "view_text.py"]  # fmt: skip
_COUNTING = {"is_overdue", "is_due_soon", "actions_for", "timedelta", "Counter", "summarise",
             "OwnerNames", "is_complete", "strand_colour"}  # fmt: skip


@pytest.mark.parametrize("name", _RENDERERS)
def test_renderers_copy_the_view_and_never_count(name):
    """Counts, groups, filters and date windows are worked out once, in pipeline/view.py."""
    tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
    used = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    used |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not used & _COUNTING, f"{name} computes {sorted(used & _COUNTING)}: use the view"
    assert "pipeline.owners" not in _imports(PACKAGE / name)


def test_tests_open_read_only_workbooks_only_through_the_closing_helper():
    """openpyxl keeps a read-only workbook's file open until closed; one left open fails
    whichever test later runs garbage collection (ResourceWarning is an error here), not its
    own. tests/conftest.py's read_only_workbook closes it however the `with` block ends."""
    tests = Path(__file__).resolve().parent
    found = []
    for path in sorted(tests.rglob("*.py")):
        if path.name == "conftest.py" and path.parent == tests:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "read_only":
                found.append(f"{path.relative_to(tests)}:{node.value.lineno}")
    assert not found, f"open it with `with read_only_workbook(path)` (tests/conftest.py): {found}"
