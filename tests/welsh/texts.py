"""Text the Welsh tests treat as the council's or the framework's, never eqplan's fixed text."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml


def yaml_strings(path: Path) -> set[str]:
    """Every string in a framework file (titles, descriptors, criteria), at any depth."""
    found: set[str] = set()

    def strings(node) -> None:
        if isinstance(node, str):
            found.add(node)
        elif isinstance(node, dict):
            for value in node.values():
                strings(value)
        elif isinstance(node, list):
            for value in node:
                strings(value)

    strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def council_texts(
    workbooks: Iterable[Path], framework: Path, *, sheet_names: bool = False
) -> set[str]:
    """Every text the council or the framework wrote, spaces evened: each cell of the
    workbooks and each line of one, their sheet names if asked, the framework's strings."""
    from tests.conftest import read_only_workbook

    texts: set[str] = set()
    for path in workbooks:
        with read_only_workbook(path) as book:
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    for value in row:
                        if value is not None:
                            texts.add(str(value))
                            texts.update(line.strip() for line in str(value).splitlines())
            if sheet_names:
                texts.update(book.sheetnames)
    texts.update(yaml_strings(framework))
    return {" ".join(t.split()) for t in texts}
