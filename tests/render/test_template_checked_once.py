"""A template is read and checked once per build, and again whenever it changes on disk.

(Across processes, a template that passed is remembered on disk: tests/render/test_compiled.py.)
"""

from __future__ import annotations

import os
import shutil

import pytest

from pipeline.errors import TemplateError
from pipeline.render import compiled, template_file
from pipeline.render.template_file import default_template


@pytest.fixture
def nothing_remembered(monkeypatch):
    """No template checked by an earlier test or run counts: the disk cache is off."""
    monkeypatch.setenv(compiled.CACHE_VARIABLE, "off")
    compiled._folder.cache_clear()
    compiled._kept.clear()
    template_file._passed.clear()
    yield
    compiled._folder.cache_clear()
    compiled._kept.clear()


def test_an_unchanged_template_is_read_once_and_a_changed_one_again(
    tmp_path, monkeypatch, nothing_remembered
):
    template = tmp_path / "plan-template.docx"
    shutil.copy(default_template("rag"), template)
    reads = []
    check = template_file._check_template
    monkeypatch.setattr(template_file, "_check_template", lambda p: reads.append(p) or check(p))
    assert template_file.check_template(template) == template_file.check_template(template) == []
    assert len(reads) == 1
    template.write_bytes(b"not a Word document at all")
    os.utime(template, ns=(1, 1))
    with pytest.raises(TemplateError):
        template_file.check_template(template)
    with pytest.raises(TemplateError):  # a failure is never remembered as a pass
        template_file.check_template(template)
    assert len(reads) == 3


def test_a_template_rewritten_after_its_check_is_refused_not_opened(tmp_path, nothing_remembered):
    """Same size and date, other bytes: the remembered check must not vouch for them."""
    from pipeline.render.word import _load

    template = tmp_path / "plan-template.docx"
    shutil.copy(default_template("rag"), template)
    assert template_file.check_template(template) == []
    assert _load(template).docx is not None  # opened from the bytes that were checked
    status = template.stat()
    data = bytearray(template.read_bytes())
    data[-30:] = b"x" * 30  # damaged in place, as a second program saving over it might
    template.write_bytes(bytes(data))
    os.utime(template, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert template_file.check_template(template) == []  # the same state on disk: remembered
    with pytest.raises(TemplateError, match="changed while the plan was being made"):
        _load(template)
