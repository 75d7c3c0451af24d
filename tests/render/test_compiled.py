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


# ------------------------------------------------- a template's check, remembered (issue 17)


def _checks_counted(monkeypatch) -> list[str]:
    from pipeline.render import template_file

    calls: list[str] = []
    original = template_file._check_template

    def counted(path):
        calls.append(path.name)
        return original(path)

    monkeypatch.setattr(template_file, "_check_template", counted)
    template_file._passed.clear()
    return calls


def test_a_template_that_passed_is_not_parsed_again_in_a_new_process(
    cache_folder, monkeypatch, tmp_path
):
    from pipeline.render import template_file
    from tests.bad_inputs.crafted_docx import linked_template

    template = linked_template(tmp_path / "linked.docx")
    calls = _checks_counted(monkeypatch)
    first = template_file.check_template(template)
    assert calls == ["linked.docx"] and first  # it has outside links: warned of
    template_file._passed.clear()  # as in a new process
    compiled._kept.clear()
    assert template_file.check_template(template) == first
    assert calls == ["linked.docx"]  # the verdict and its warnings came from disk
    assert any(name.startswith("eqplan-template-links-") for name in os.listdir(cache_folder))


def test_a_changed_or_refused_template_is_checked_every_time(cache_folder, monkeypatch, tmp_path):
    from pipeline.errors import TemplateError
    from pipeline.render import template_file
    from tests.bad_inputs.crafted_docx import crafted_template

    calls = _checks_counted(monkeypatch)
    template = crafted_template(tmp_path / "t.docx", "{{ plan.title }}")
    template_file.check_template(template)
    crafted_template(template, "{{ plan.council }}")  # edited in Word: other bytes
    template_file._passed.clear()
    template_file.check_template(template)
    assert calls == ["t.docx", "t.docx"]
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    for _ in range(2):
        template_file._passed.clear()
        with pytest.raises(TemplateError, match="damaged"):
            template_file.check_template(broken)
    assert calls.count("broken.docx") == 2


def test_a_pipe_named_as_the_template_is_refused_not_read(cache_folder, tmp_path):
    from pipeline.errors import TemplateError
    from pipeline.render import template_file

    pipe = tmp_path / "pipe.docx"
    os.mkfifo(pipe)
    with pytest.raises(TemplateError, match="is not a file"):
        template_file.check_template(pipe)


def test_a_template_replaced_while_it_is_checked_is_not_remembered(
    cache_folder, monkeypatch, tmp_path
):
    """The verdict belongs to the bytes that were checked: a swap mid-check keeps nothing."""
    from pipeline.render import template_file
    from tests.bad_inputs.crafted_docx import crafted_template

    template = crafted_template(tmp_path / "t.docx", "{{ plan.title }}")
    original = template_file._check_template

    def swapped_during(path):
        links = original(path)
        crafted_template(path, "{{ plan.council }}")  # another file by the time it is done
        return links

    monkeypatch.setattr(template_file, "_check_template", swapped_during)
    template_file._passed.clear()
    assert template_file.check_template(template) == []
    assert not any(n.startswith("eqplan-template-links-") for n in os.listdir(cache_folder))


def test_without_the_checking_code_to_hash_nothing_is_remembered(
    cache_folder, monkeypatch, tmp_path
):
    """An installation without its .py files still checks templates, every time."""
    from pipeline.render import template_file
    from tests.bad_inputs.crafted_docx import crafted_template

    monkeypatch.setattr(template_file, "_checking_code", lambda: "")
    calls = _checks_counted(monkeypatch)
    template = crafted_template(tmp_path / "t.docx", "{{ plan.title }}")
    for _ in range(2):
        template_file._passed.clear()
        assert template_file.check_template(template) == []
    assert calls == ["t.docx", "t.docx"]
    assert not cache_folder.exists() or not list(cache_folder.glob("eqplan-template-links-*"))


def test_without_the_sandbox_source_nothing_is_kept_on_disk(cache_folder, monkeypatch):
    """The disk entries are keyed by the sandbox's rules: with no source to hash, none is used."""
    monkeypatch.setattr(compiled, "_fingerprint", lambda: "")
    calls = _counting(monkeypatch)
    assert _render() == EXPECTED
    compiled._kept.clear()  # as in a new process
    assert _render() == EXPECTED
    assert calls == [SOURCE, SOURCE]
    assert not cache_folder.exists() or not list(cache_folder.glob("eqplan-*"))


# ------------------------------------------------- the cache folder, checked at each use


def test_a_folder_others_can_write_above_the_cache_keeps_nothing(tmp_path, monkeypatch):
    """Whoever can write to a folder above it could swap the cache folder for their own."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # writable by everyone, and no sticky bit
    monkeypatch.setenv(compiled.CACHE_VARIABLE, str(shared / "cache"))
    compiled._folder.cache_clear()
    compiled._kept.clear()
    try:
        assert compiled._folder() == shared / "cache"  # private itself
        assert compiled._usable_folder() is None  # but not safe where it is
        assert _render() == EXPECTED
        assert not list((shared / "cache").glob("eqplan-*"))
        shared.chmod(0o1777)  # as /tmp: only owners may remove or rename what is in it
        assert compiled._usable_folder() == shared / "cache"
    finally:
        compiled._folder.cache_clear()
        compiled._kept.clear()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_a_cache_folder_swapped_after_it_was_checked_is_not_read(cache_folder, monkeypatch):
    """A long-running server checked the folder once; a look-alike folder of someone else's
    put in its place later must not hand over its entries."""
    first = _render()
    compiled._kept.clear()
    cache_folder.rename(cache_folder.with_name("old"))
    cache_folder.mkdir(mode=0o700)
    for entry in cache_folder.with_name("old").glob("eqplan-*"):  # planted copies
        (cache_folder / entry.name).write_bytes(entry.read_bytes())
    os.chown(cache_folder, 65534, 65534)  # someone else's
    calls = _counting(monkeypatch)
    assert _render() == first
    assert calls == [SOURCE]  # compiled again, not taken from the look-alike


def test_the_default_folder_is_made_private_as_jinja_makes_it(tmp_path, monkeypatch):
    """Found without importing Jinja (the build's own process never loads it), the folder
    is still this user's alone: no one else may read the prepared templates."""
    import stat
    import tempfile

    monkeypatch.delenv(compiled.CACHE_VARIABLE, raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = tmp_path / f"_jinja2-cache-{os.getuid()}"
    folder.mkdir()
    folder.chmod(0o755)
    compiled._folder.cache_clear()
    try:
        assert compiled._folder() == folder
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    finally:
        compiled._folder.cache_clear()
