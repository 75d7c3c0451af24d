"""Messages end each sentence with one full stop, even where a library's words end with one."""

from __future__ import annotations

import re
import zipfile

import pytest

from pipeline import problems
from pipeline.cli import cli
from pipeline.errors import TemplateError, one_stop
from tests.bad_inputs.crafted_docx import SHIPPED, crafted_template
from tests.conftest import write_plan_workbook


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        ("The innermost block that needs to be closed is 'if'..", "closed is 'if'."),
        ("Did you mean 'title'?.", "Did you mean 'title'?"),
        ("Ends here.. Then more.", "Ends here. Then more."),
        ("Cut short....", "Cut short..."),
    ],
)
def test_a_stop_after_a_stop_is_one(said, shown):
    assert one_stop(said).endswith(shown)
    assert TemplateError(said, hint=said).message.endswith(shown)
    assert str(TemplateError("x", hint=said)).endswith(shown)


@pytest.mark.parametrize(
    "kept", ["Wait... then go.", "Not found: ../plans/a.xlsx.", "In folder .. today.", "a..b.docx"]
)
def test_ellipses_and_file_names_are_left_alone(kept):
    assert one_stop(kept) == kept


def test_a_problems_detail_ending_with_a_stop_is_not_stopped_twice():
    found = problems.TEMPLATE_UNSAFE.at(path="t.docx", tag="", detail="it asked too much.")
    assert ".." not in found.message


def test_a_broken_tag_in_a_template_is_reported_with_one_stop(tmp_path, runner):
    plan = write_plan_workbook(tmp_path / "plan.xlsx")
    template = crafted_template(tmp_path / "broken.docx", "{% if plan.title %}never closed")
    args = ["build", str(plan), "-o", str(tmp_path / "out"), "--template", str(template)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "has a condition that is never closed: {% if plan.title %}" in result.output
    assert re.search(r"[^.]\.\.(\s|$)", result.output) is None, result.output  # no stop twice


def test_a_misspelt_name_in_a_template_is_named_with_its_tag(tmp_path, runner):
    """'dict object' has no attribute 'titel' did not say where: the tag is named as typed."""
    plan = write_plan_workbook(tmp_path / "plan.xlsx")
    template = crafted_template(tmp_path / "typo.docx", "Our plan: {{ plan.titel }}")
    args = ["build", str(plan), "-o", str(tmp_path / "out"), "--template", str(template)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "does not provide at {{ plan.titel }}: " in result.output


def test_a_misspelt_field_of_an_action_row_is_named_as_a_name_eqplan_does_not_provide(
    tmp_path, runner
):
    """An attacker's review of templates: `{{ a.ownr }}` on the action row said
    "AttributeError: 'Row' object has no attribute 'ownr'", with a hint about arithmetic."""
    plan = write_plan_workbook(tmp_path / "plan.xlsx")
    with zipfile.ZipFile(SHIPPED) as source:
        body = source.read("word/document.xml").decode()
    assert "{{ a.owner }}" in body
    typo = body.replace("{{ a.owner }}", "{{ a.ownr }}")
    template = crafted_template(tmp_path / "t.docx", replace={"word/document.xml": typo.encode()})
    args = ["build", str(plan), "-o", str(tmp_path / "out"), "--template", str(template)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "uses a name eqplan does not provide at {{ a.ownr }}: " in result.output
    assert "AttributeError" not in result.output and "arithmetic" not in result.output
