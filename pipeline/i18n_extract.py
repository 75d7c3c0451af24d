"""Babel extraction for the problem catalogue (babel.cfg, `make translations`; not used at run time).

Each `_kind(code, severity, title, description, template, hint)` call in pipeline/problems.py
gives the catalogue its title, message template and hint, which `validate --language cy`
prints in Welsh (problem_types.Kind.at). The description is the docs' and stays English.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import IO, Any

#: The arguments of `_kind` that are printed to officers: title, message template, hint.
PRINTED_ARGUMENTS = (2, 4, 5)


def extract_problems(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """(line, function, message, comments) for each printed text of each `_kind(...)` call."""
    tree = ast.parse(fileobj.read().decode("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_kind":
            for index in PRINTED_ARGUMENTS:
                argument = node.args[index] if index < len(node.args) else None
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    yield argument.lineno, None, argument.value, []
