"""A template is read and checked once per build, and again whenever it changes on disk.

(Across processes, a template that passed is remembered on disk: tests/render/test_compiled.py.)
"""

from __future__ import annotations

import os
import shutil

import pytest

from pipeline.errors import TemplateError
from pipeline.render import compiled, template_file
from pipeline.render.word import default_template


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
