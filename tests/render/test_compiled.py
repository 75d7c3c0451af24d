"""Template parts are compiled once and kept (render/compiled.py), and stay just as sandboxed."""

from __future__ import annotations

import os

import jinja2
import pytest

from pipeline.render import compiled
from pipeline.render.sandbox import PlanSandbox

SOURCE = "{% for a in actions %}{{ a.ref }};{% endfor %}{{ note ~ '!' }}"
CONTEXT = {"actions": [{"ref": "A1"}, {"ref": "<b>&"}], "note": "done"}
EXPECTED = "A1;&lt;b&gt;&amp;;done!"  # autoescaped, whether compiled now or kept


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    """A private cache folder for this test, and nothing kept from earlier tests."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(compiled.CACHE_VARIABLE, str(folder))
    compiled._folder.cache_clear()
    compiled._kept.clear()
    yield folder
    compiled._folder.cache_clear()
    compiled._kept.clear()


def _counting(monkeypatch) -> list[str]:
    calls: list[str] = []
    original = jinja2.Environment.compile

    def counted(self, source, *args, **kwargs):
        calls.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return calls


def _render(source: str = SOURCE) -> str:
    environment = PlanSandbox(5)
    environment.start_clock()
    return environment.from_string(source).render(CONTEXT)


def test_a_part_is_compiled_once_in_a_process(cache_folder, monkeypatch):
    calls = _counting(monkeypatch)
    assert _render() == _render() == EXPECTED
    assert calls == [SOURCE]


def test_a_new_process_takes_the_code_from_disk(cache_folder, monkeypatch):
    first = _render()
    compiled._kept.clear()  # as in a new process
    calls = _counting(monkeypatch)
    assert _render() == first
    assert calls == []
    assert any(name.startswith("eqplan-code-") for name in os.listdir(cache_folder))


def test_kept_code_is_as_sandboxed_as_new_code(cache_folder):
    unsafe = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    for _ in range(2):
        compiled._kept.clear()
        with pytest.raises(jinja2.exceptions.SecurityError):
            _render(unsafe)


def test_new_sandbox_rules_mean_compiling_again(cache_folder, monkeypatch):
    _render()
    compiled._kept.clear()
    monkeypatch.setattr(compiled, "_fingerprint", lambda: "other rules")
    calls = _counting(monkeypatch)
    _render()
    assert calls == [SOURCE]


def test_a_folder_others_can_write_to_is_not_used(cache_folder, monkeypatch):
    cache_folder.mkdir(mode=0o700)
    cache_folder.chmod(0o777)
    assert compiled._folder() is None
    calls = _counting(monkeypatch)
    assert _render() == EXPECTED
    assert calls == [SOURCE]
    assert os.listdir(cache_folder) == []


def test_a_damaged_entry_is_compiled_again(cache_folder, monkeypatch):
    _render()
    for name in os.listdir(cache_folder):
        (cache_folder / name).write_bytes(b"\x00not marshal")
    compiled._kept.clear()
    calls = _counting(monkeypatch)
    assert _render() == EXPECTED
    assert calls == [SOURCE]


def test_off_keeps_nothing_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv(compiled.CACHE_VARIABLE, "off")
    compiled._folder.cache_clear()
    try:
        assert compiled._folder() is None
    finally:
        compiled._folder.cache_clear()


def test_the_oldest_entries_go_when_the_folder_is_full(cache_folder, monkeypatch):
    monkeypatch.setattr(compiled, "MAX_ENTRIES", 3)
    sources = [f"{{{{ {number} }}}}" for number in range(5)]
    for source in sources:
        _render(source)
    assert len(os.listdir(cache_folder)) == 3
    compiled._kept.clear()
    calls = _counting(monkeypatch)
    _render(sources[-1])  # the newest is still on disk
    assert calls == []
