"""A problem in a council's framework file names the line of the key it is about."""

from __future__ import annotations

import pytest

from pipeline import frameworks
from pipeline.errors import FrameworkFileError

MINIMAL = "id: x\ntitle: X\nmodules:\n  - ref: '1'\n    title: M\n    themes:\n      - {ref: '1', title: T}\n"


def _error(text: str) -> str:
    with pytest.raises(FrameworkFileError) as raised:
        frameworks.parse(text, "ours.yaml")
    return raised.value.message


@pytest.mark.parametrize("key", ["assessment_levels", "levels"])
def test_a_list_over_the_limit_is_named_at_its_own_line(key):
    """Line 8, where the list is, not line 1, where the file's keys start."""
    levels = ", ".join(f"L{i}" for i in range(5_000))
    message = _error(f"{MINIMAL}{key}: [{levels}]\n")
    assert message.startswith(f"ours.yaml: line 8: '{key}' has 5,000 items (the limit is 200)")


@pytest.mark.parametrize(
    ("typed", "found"),
    [("yes", "true or false"), ("Off", "true or false"), ("2026-03-31", "a date")],
)
def test_text_yaml_reads_as_something_else_is_named_with_its_fix(typed, found):
    """`title: Yes` or `title: 2026-03-31` is text to an officer; YAML reads it otherwise."""
    message = _error(MINIMAL.replace("title: M", f"title: {typed}"))
    assert message == (
        f"ours.yaml: line 5, module 1: 'title' must be text, but YAML reads what is written "
        f"here as {found}: put the text in quotes"
    )


def test_a_level_yaml_reads_as_true_or_false_is_named_with_its_fix():
    message = _error(f"{MINIMAL}assessment_levels: [No, Partly, Yes]\n")
    assert message == (
        "ours.yaml: line 8: 'assessment_levels' must be a list of text items, but YAML reads "
        "what is written here as true or false: put the text in quotes"
    )


@pytest.mark.parametrize("typed", ["yes", "5", "2026-03-31", "x"])
@pytest.mark.parametrize("key", ["assessment_levels", "aliases"])
def test_a_list_key_given_one_value_is_refused_as_not_a_list(key, typed):
    """`levels: yes` or `aliases: 5` was a TypeError (a traceback), looking for the item YAML
    read as true or false in a value that is not a list."""
    if key == "aliases":
        message = _error(MINIMAL.replace("title: T}", f"title: T, aliases: {typed}}}"))
    else:
        message = _error(f"{MINIMAL}{key}: {typed}\n")
    assert message.endswith(f"'{key}' must be a list of text items")


def test_a_list_where_text_belongs_is_still_named_plainly():
    message = _error(MINIMAL.replace("title: M", "title: [M]"))
    assert message == "ours.yaml: line 5, module 1: 'title' must be text"


@pytest.mark.parametrize("framework_id", ['"a\\nb"', "|\n  two\n  lines", "x" * 151])
def test_an_id_that_is_not_one_short_line_is_refused_at_its_line(framework_id):
    """The web page's template download is named after the id: a line break there was a
    server error, not a message."""
    message = _error(MINIMAL.replace("id: x", f"id: {framework_id}"))
    assert message.startswith("ours.yaml: line 1: 'id' must be one line of at most 150 characters")


@pytest.mark.parametrize("name", ["ours.yaml", "ours.json"])
def test_a_framework_file_not_found_is_named_as_a_file(tmp_path, name):
    """A JSON framework file (JSON is YAML) mistyped was 'Unknown framework', as if an id."""
    with pytest.raises(FrameworkFileError) as raised:
        frameworks.load(str(tmp_path / name))
    assert raised.value.message == f"Framework file not found: {tmp_path / name}"


def test_a_json_framework_file_loads(tmp_path):
    path = tmp_path / "ours.json"
    path.write_text(
        '{"id": "x", "title": "X", "modules": [{"ref": "1", "title": "M", '
        '"themes": [{"ref": "1.1", "title": "T"}]}]}',
        encoding="utf-8",
    )
    assert frameworks.load(str(path)).themes[0].ref == "1.1"
