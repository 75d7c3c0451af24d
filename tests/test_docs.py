"""The documentation cannot drift from the code: codes, commands and template names (issues 2, 4, 5)."""

from __future__ import annotations

import re

from pipeline import problems
from pipeline.build import build
from pipeline.cli import cli
from pipeline.render.context import build_context
from pipeline.validate import validate_workbook
from pipeline.view import build_view
from tests.conftest import EXAMPLE, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_problem_docs_are_generated_from_the_catalogue():
    assert (ROOT / "docs" / "problems.md").read_text(encoding="utf-8") == problems.markdown(), (
        "run make docs"
    )
    block = re.search(r"<!-- problems:start -->\n(.*?)<!-- problems:end -->", README, re.S)
    assert block and block.group(1) == problems.table(), "run make docs"


def test_every_code_has_a_hint_and_description():
    for kind in problems.CATALOGUE.values():
        assert re.fullmatch(r"[A-Z][A-Z_]+", kind.code)
        assert kind.title and kind.description and kind.template and kind.hint


def test_every_command_is_documented():
    commands = set(cli.commands)
    assert commands == {"frameworks", "template", "validate", "build", "summary", "problems"}
    for name in commands:
        assert f"eqplan {name}" in README, name
        command = cli.commands[name]
        assert command.help and "Example:" in command.help


def test_every_context_name_is_documented(tmp_path):
    validation = validate_workbook(EXAMPLE)
    context = build_context(build_view(validation.plan, validation.report.warnings))
    section = README.split("### The Word template context", 1)[1].split("## Frameworks", 1)[0]
    for name in context:
        assert f"`{name}`" in section, name
    for name in vars(context["sections"][0]["actions"][0]):
        assert f"`{name}`" in section, name
    for name in context["plan"]:
        assert f"`{name}`" in section, name
    for name in context["summary"]:
        assert f"`{name}`" in section, name


def test_readme_commands_work(tmp_path):
    assert "make plan" in README and "make test" in README
    result = build(EXAMPLE, tmp_path)
    assert result.docx is not None and result.summary is not None
