"""Strand colours: understood as officers type them, readable, and fixed per strand (issue 10)."""

from __future__ import annotations

import pytest

from pipeline.strands import (
    NAMED_COLOURS,
    colour_words,
    contrast_with_black,
    default_colour,
    parse_colour,
    readable,
    strand_names,
)


@pytest.mark.parametrize(
    ("typed", "fill"),
    [
        ("#BDD7EE", "BDD7EE"),
        ("bdd7ee", "BDD7EE"),
        ("#abc", "AABBCC"),
        ("Light Blue", "DDEBF7"),
        ("lightgreen", "E2EFDA"),
        ("light gray", "EDEDED"),
        ("add", None),  # a word, not a colour code
        ("blueish", None),
        ("#12345", None),
    ],
)
def test_colours_as_officers_type_them(typed, fill):
    assert parse_colour(typed) == fill


def test_named_colours_are_readable_with_black_text():
    assert all(contrast_with_black(fill) >= 4.5 for fill in NAMED_COLOURS.values())


@pytest.mark.parametrize("dark", ["000000", "1F4E79", "C00000", "7030A0"])
def test_dark_colours_are_lightened_just_enough(dark):
    lighter = readable(dark)
    assert contrast_with_black(lighter) >= 4.5
    assert contrast_with_black(dark) < 4.5


def test_contrast_matches_wcag_examples():
    assert contrast_with_black("FFFFFF") == pytest.approx(21)
    assert contrast_with_black("000000") == pytest.approx(1)


def test_default_colour_depends_only_on_the_name():
    assert default_colour("Care leavers") == default_colour("  care LEAVERS ")
    assert default_colour("Race equality").words == "light blue"
    assert default_colour("Gender pay gap").words == "light green"
    assert colour_words("C6E0B4") == "light green"


def test_the_complete_rating_stands_apart_from_light_blue_strands():
    """A Race equality row (light blue by default, #BDD7EE in the example) holding a complete
    action must not look blue from end to end: its rating cell is clearly darker."""
    from pipeline.model import Rag

    def lightness_ratio(one: str, other: str) -> float:
        """The WCAG contrast between two fills: the ratio of their contrasts with black."""
        light, dark = sorted((contrast_with_black(one), contrast_with_black(other)), reverse=True)
        return light / dark

    for strand in (NAMED_COLOURS["light blue"], "BDD7EE"):
        assert lightness_ratio(Rag.COMPLETE.fill, strand) >= 1.8
    assert all(contrast_with_black(rating.fill) >= 4.5 for rating in Rag)


def test_one_strand_in_several_cases_has_one_name_the_one_spelt_most():
    """Found by a review of the figures: `race equality` in one row and `Race equality` in
    eleven were counted as two strands and listed twice in the legend, though one colour."""
    cells = ["race equality", "Race equality", "Gender pay gap;RACE EQUALITY", "Race  equality"]
    assert strand_names(cells) == {
        "race equality": "Race equality",
        "gender pay gap": "Gender pay gap",
    }
    assert strand_names(["Age", "age"]) == {"age": "Age"}  # equals: the first met
