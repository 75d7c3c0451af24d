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
