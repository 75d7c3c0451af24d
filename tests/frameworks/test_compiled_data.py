"""The shipped YAML data files' JSON twins: current, the same data, and never used once stale.

A run reads a shipped framework or the statutory text from its compiled twin
(pipeline/compiled_data.py) only while the twin was made from the YAML's bytes as
they are; otherwise the YAML is parsed as before. Each test here would fail if the
fast path gave another answer than parsing the YAML.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline import compiled_data, frameworks, statutory
from pipeline.compiled_data import twin_data, twin_of, write_twin
from pipeline.errors import FrameworkFileError
from pipeline.frameworks import safe_yaml

PACKAGE = Path(compiled_data.__file__).resolve().parent
SOURCES = compiled_data.shipped_sources()


def _no_yaml_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any parse of YAML fail, so only a twin can give the data."""

    def never(*args, **kwargs):
        raise AssertionError("the YAML was parsed")

    monkeypatch.setattr(safe_yaml, "load_yaml", never)
    monkeypatch.setattr(statutory, "yaml_data", never)


def test_every_shipped_yaml_file_is_compiled():
    assert set(PACKAGE.rglob("*.yaml")) == set(SOURCES)


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_each_twin_was_made_from_its_yaml_as_it_is(source: Path):
    yaml_bytes = source.read_bytes()
    assert twin_data(source, yaml_bytes) is not None, (
        f"{twin_of(source).relative_to(PACKAGE.parent)} is missing or was made from an older "
        f"{source.name}: run `make data` and commit the JSON it writes"
    )
    parse = SOURCES[source]
    assert twin_data(source, yaml_bytes) == parse(yaml_bytes.decode("utf-8"))


@pytest.mark.parametrize("framework_id", frameworks.available())
def test_a_framework_from_its_twin_is_the_one_its_yaml_gives(framework_id, monkeypatch):
    text = (frameworks._FOLDER / f"{framework_id}.yaml").read_text(encoding="utf-8")
    parsed = frameworks.parse(text, f"{framework_id}.yaml")
    _no_yaml_parse(monkeypatch)
    from_twin = frameworks._load_shipped.__wrapped__(framework_id)
    assert from_twin == parsed
    assert from_twin.welsh == parsed.welsh


def test_the_statutory_text_from_its_twin_is_what_its_yaml_gives(monkeypatch):
    parsed = yaml.safe_load(statutory.STATUTORY_FILE.read_text(encoding="utf-8"))
    _no_yaml_parse(monkeypatch)
    assert statutory.load_statutory.__wrapped__() == parsed


def _copied(source: Path, folder: Path) -> Path:
    """A copy of source and its twin in folder, as the package has them."""
    copy = folder / source.name
    shutil.copyfile(source, copy)
    twin_of(copy).parent.mkdir()
    shutil.copyfile(twin_of(source), twin_of(copy))
    return copy


def _make_stale(copy: Path) -> None:
    """Edit the copy's YAML after its twin was made (the twin's data stays the old)."""
    copy.write_text(copy.read_text(encoding="utf-8").replace("title:", "title: EDITED", 1))


def test_a_stale_or_missing_framework_twin_gives_way_to_the_yaml(tmp_path, monkeypatch):
    copy = _copied(frameworks._FOLDER / "eflg-2014.yaml", tmp_path)
    monkeypatch.setattr(frameworks, "_FOLDER", tmp_path)
    _make_stale(copy)
    expected = frameworks.parse(copy.read_text(encoding="utf-8"), copy.name)
    assert expected.title.startswith("EDITED")
    assert frameworks._load_shipped.__wrapped__("eflg-2014") == expected
    twin_of(copy).unlink()
    assert frameworks._load_shipped.__wrapped__("eflg-2014") == expected


def test_a_stale_or_missing_statutory_twin_gives_way_to_the_yaml(tmp_path, monkeypatch):
    copy = _copied(statutory.STATUTORY_FILE, tmp_path)
    monkeypatch.setattr(statutory, "STATUTORY_FILE", copy)
    _make_stale(copy)
    expected = yaml.safe_load(copy.read_text(encoding="utf-8"))
    assert expected["psed"]["title"].startswith("EDITED")
    assert statutory.load_statutory.__wrapped__() == expected
    twin_of(copy).unlink()
    assert statutory.load_statutory.__wrapped__() == expected


def test_an_unreadable_twin_gives_way_to_the_yaml(tmp_path):
    copy = _copied(statutory.STATUTORY_FILE, tmp_path)
    twin_of(copy).write_text("{not json", encoding="utf-8")
    assert twin_data(copy, copy.read_bytes()) is None
    expected = yaml.safe_load(copy.read_text(encoding="utf-8"))
    assert compiled_data.load(copy, statutory.yaml_data) == expected


def test_a_shipped_framework_the_builder_refuses_names_its_line(tmp_path, monkeypatch):
    """A twin holds no line numbers: a refusal of its data is made again from the YAML."""
    source = tmp_path / "refused.yaml"
    source.write_text(
        "id: x\ntitle: X\nmodules:\n  - ref: '1'\n    themes: [{ref: '1', title: T}]\n"
    )
    write_twin(source, lambda text: frameworks.yaml_data(text, source.name))
    assert twin_data(source, source.read_bytes()) is not None
    monkeypatch.setattr(frameworks, "_FOLDER", tmp_path)
    with pytest.raises(FrameworkFileError) as raised:
        frameworks._load_shipped.__wrapped__("refused")
    assert raised.value.message == "refused.yaml: line 4, module 1: missing 'title'"


def test_a_twin_is_refused_for_data_json_would_change(tmp_path):
    source = tmp_path / "dated.yaml"
    source.write_text("checked: 2026-11-26\n")
    for parse in (statutory.yaml_data, lambda _text: {1: "one"}):  # a date; a number as a key
        with pytest.raises(ValueError, match="cannot be written as JSON unchanged"):
            write_twin(source, parse)
    assert not twin_of(source).exists()


def test_a_twin_says_it_is_generated_and_from_what():
    twin = json.loads(twin_of(statutory.STATUTORY_FILE).read_text(encoding="utf-8"))
    assert "make data" in twin["generated"] and "statutory.yaml" in twin["generated"]


_NO_YAML = """
import sys
from pipeline import frameworks
from pipeline.statutory import load_statutory
for framework_id in frameworks.available():
    frameworks.load(framework_id)
load_statutory()
print(sorted(name for name in sys.modules if name.split(".")[0] == "yaml"))
"""


def test_the_shipped_data_loads_without_importing_pyyaml():
    """PyYAML's import alone costs about 25 ms a run (tests/test_startup.py: validate)."""
    loaded = subprocess.run(
        [sys.executable, "-c", _NO_YAML],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
