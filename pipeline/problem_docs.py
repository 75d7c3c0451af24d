"""The problem catalogue (problems.py) as Markdown: README's table of codes and
docs/problems.md, both kept current by tests/test_docs.py (`make docs` writes them).
Kept apart from the catalogue so that it holds only the problems themselves.
"""

from __future__ import annotations

from pipeline.problems import CATALOGUE


def table() -> str:
    """The catalogue as a Markdown table, one row per code (used in README.md and docs/problems.md)."""
    out = ["| Code | Severity | What it means | How to fix it |", "| --- | --- | --- | --- |"]
    for kind in CATALOGUE.values():
        meaning = f"**{kind.title}.** {kind.description}"
        hint = kind.hint.replace("{", "").replace("}", "")
        out.append(f"| `{kind.code}` | {kind.severity.value} | {meaning} | {hint} |")
    return "\n".join(out) + "\n"


def markdown() -> str:
    """The catalogue as the Markdown page docs/problems.md (kept current by a test)."""
    return (
        "# Problem codes\n\nGenerated from `pipeline/problems.py` by `eqplan problems --markdown`;"
        " do not edit by hand.\n\nErrors stop the build; warnings are reported and listed in the"
        " plan's appendix. `--strict` treats warnings as errors. Codes are stable: a code is never"
        " reused for another meaning.\n"
    ) + table()
