"""A council's framework file: every ref it may hold is one its own dropdown entries resolve to.

Officers pick a Framework point from the template's dropdown (`A1 Accessible front door`) or
type its ref; the workbook reads the first word as the ref. A ref the loader accepts must be
found again that way, or every action filed under it is POINT_UNKNOWN with no way to fix it.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline import frameworks
from pipeline.errors import FrameworkFileError
from pipeline.validate import validate_workbook
from pipeline.workbook.template import write_template
from tests.frameworks.northvale import OURS


def _parse(text: str):
    return frameworks.parse(text, "ours.yaml")


@pytest.mark.parametrize("ref", ["A–1", "Ａ1", "a‑1"])
def test_a_ref_with_a_dash_or_wide_letter_is_found_from_its_dropdown_entry(ref):
    """The loader checks refs unique as match_key folds them (a dash as a hyphen, wide
    letters as narrow), so the workbook finds them the same way."""
    framework = _parse(OURS.replace('"A1"', f'"{ref}"'))
    theme = framework.themes[0]
    assert theme.ref == ref
    assert framework.resolve(theme.label) is theme
    assert framework.resolve(ref) is theme
    assert framework.theme(ref) is theme


@pytest.mark.parametrize(
    ("ref", "found"),
    [("A 1", "has a space in it"), ("A1.", "ends in '.' or ':'"), ("A1:", "ends in '.'")],
)
def test_a_ref_the_dropdown_could_not_name_is_refused_at_its_line(ref, found):
    with pytest.raises(FrameworkFileError) as raised:
        _parse(OURS.replace('"A1"', f'"{ref}"'))
    message = raised.value.message
    assert message.startswith(f"ours.yaml: line 9, module 1, theme 1: this theme's ref '{ref}' ")
    assert found in message and "(for example ref: 'A1')" in message


def test_a_point_ref_with_template_text_is_refused_not_left_unfindable():
    with pytest.raises(FrameworkFileError) as raised:
        _parse(OURS.replace('"A1.1"', '"{{ x }}"'))
    assert "line 12, module 1, theme 1, point 1: this point's ref '{{ x }}' has a space" in (
        raised.value.message
    )


def test_every_dropdown_entry_of_an_accepted_framework_is_read_back(tmp_path: Path):
    """End to end: the template's own dropdown entries, picked on the Actions sheet, validate."""
    framework = _parse(OURS.replace('"A1"', '"A–1"'))
    book = tmp_path / "plan.xlsx"
    write_template(framework, book)
    workbook = openpyxl.load_workbook(book)
    choices = [c.value for c in workbook["Lists"]["A"][1:] if c.value]
    assert choices == framework.choices()
    actions = workbook["Actions"]
    for row, choice in enumerate(choices, start=2):
        actions.cell(row, 2, choice)
        actions.cell(row, 4, f"Action {row}")
    workbook.save(book)
    report = validate_workbook(book, framework).report
    unknown = [p.message for p in report.problems if p.code == "POINT_UNKNOWN"]
    assert unknown == []


def test_an_unknown_point_is_named_in_the_frameworks_own_words_and_refs(tmp_path: Path):
    """Not 'a point or theme', with EFLG's 1.2 and 6 to copy, for a framework of A1.1 and A1."""
    framework = _parse(OURS)
    book = tmp_path / "plan.xlsx"
    write_template(framework, book)
    workbook = openpyxl.load_workbook(book)
    workbook["Actions"].cell(2, 2, "E1")
    workbook["Actions"].cell(2, 4, "Review cohesion grants")
    workbook.save(book)
    (problem,) = [
        p for p in validate_workbook(book, framework).report.problems if p.code == "POINT_UNKNOWN"
    ]
    assert problem.message == '"E1" is not a milestone or outcome of Northvale equality objectives.'
    assert (
        problem.hint
        == "Pick the milestone from the dropdown, or type its number, such as A1.1 or A1."
    )


@pytest.mark.parametrize(
    ("framework_id", "what", "hint"),
    [
        (
            "eflg-2021",
            "framework point or theme",
            "the framework point from the dropdown, or type its number, such as 1.1 or 1.",
        ),
        (
            "eif-wales-2011",
            "building block",
            "the building block from the dropdown, or type its number, such as 1.1.",
        ),
    ],
)
def test_an_unknown_point_is_named_in_a_shipped_frameworks_words(framework_id, what, hint):
    words = frameworks.point_words(frameworks.load(framework_id))
    assert words["what"] == what
    assert (
        f"Pick {hint}"
        == f"Pick the {words['point']} from the dropdown, or type its number, such as {words['example']}."
    )
