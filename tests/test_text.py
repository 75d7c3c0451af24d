"""Text tidying: squash's quick path for tidy text gives exactly what the full tidying gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text import (
    is_digits,
    joined_names,
    number_text,
    one_line,
    plural_noun,
    shortened,
    squash,
    squash_lines,
)

#: Every kind of character squash treats specially, and two it leaves alone.
_ALPHABET = list(" a\t\n\r\u00a0\u2003\u2028\u200b\u200c\u200d\u2060\ufeff\u00ad\x1c\x85é")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _tidied_in_full(text: str) -> str:
    """The definition: invisible characters out, every run of whitespace one space, ends trimmed."""
    text = _INVISIBLE.sub("", text.replace("\u00a0", " "))
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=3000)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=12))
def test_squash_agrees_with_the_full_tidying(text):
    assert squash(text) == _tidied_in_full(text)


def test_tidy_text_comes_back_as_it_is():
    text = "Review the workforce data, then report (2027)."
    assert squash(text) is text
    assert squash(" two  spaces\u00a0") == "two spaces"


@pytest.mark.parametrize(
    ("word", "words"),
    [("Theme", "Themes"), ("Priority", "Priorities"), ("Building block", "Building blocks"),
     ("Focus", "Focuses"), ("Key", "Keys"), ("Branch", "Branches"), ("AREA", "AREAS")],
)  # fmt: skip
def test_a_frameworks_own_label_gets_its_english_plural(word, words):
    assert plural_noun(word) == words


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e20, max_value=1e20))
@settings(max_examples=300)
def test_number_text_is_the_number_excel_holds(value):
    """Every one of Excel's 15 significant digits is kept, with no exponent (defect D4)."""
    text = number_text(value)
    assert not text.endswith(".0")
    assert "e" not in text or 0 < abs(value) < 1e-9  # only a vanishing number has an exponent
    assert float(text) == float(f"{value:.15g}")


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("ab \n\r\x0b\x0c\x1c\x85\u2028\u2029\u00a0\u200b\t")))
def test_squash_lines_one_line_fast_path_matches_splitting(text):
    """squash_lines answers a printable cell without splitting it: the same as splitting."""
    split = "\n".join(line for line in (squash(part) for part in text.splitlines()) if line)
    assert squash_lines(text) == split


def test_one_line_joins_a_cells_lines_as_joint_owners_are_joined():
    assert one_line("Housing Team\n  Insight Team\r\n\n") == "Housing Team; Insight Team"
    assert one_line("Nov 2026") == "Nov 2026"
    assert joined_names(["HR", "Finance"]) == "HR; Finance"


def test_shortened_keeps_text_up_to_the_limit_and_cuts_longer_text_to_it():
    assert shortened("x" * 120) == "x" * 120
    assert shortened("x" * 121) == "x" * 117 + "..."
    assert len(shortened("y" * 5000)) == 120
    assert shortened("abcdef", limit=5) == "ab..."


@pytest.mark.parametrize(
    ("text", "digits"), [("12", True), ("0", True), ("", False), ("²", False), ("1²", False)]
)
def test_is_digits_takes_only_ascii_digits(text, digits):
    assert is_digits(text) is digits
