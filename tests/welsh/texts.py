"""Text the Welsh tests treat as the council's or the framework's, never eqplan's fixed text."""

from __future__ import annotations

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
