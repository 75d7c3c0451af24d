"""The chart drawn while the plan is filled in around a blank of its size (chart_slot.py).

The saved plan must hold the chart itself, drawn in the plan's language, exactly where
and as large as placing it directly would put it.
"""

from __future__ import annotations

import io
import threading
import zipfile
from types import SimpleNamespace

import docx
import pytest
from docx.image.image import Image as DocxImage
from PIL import Image

from pipeline.build import build
from pipeline.cli import cli
from pipeline.i18n import use_language
from pipeline.render import chart, isolation, word_job
from pipeline.render.chart import DPI, ChartNotDrawn, chart_size, rag_chart_png
from pipeline.render.chart_slot import ChartSlot, blank_png
from pipeline.render.html import render_html
from pipeline.render.template_file import default_template
from pipeline.validate import validate_workbook
from pipeline.view import build_view
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def view():
    return build_view(validate_workbook(EXAMPLE).plan)


def _placed(png: bytes) -> tuple:
    """What docxtpl places a picture by: its size in pixels and its resolution."""
    image = DocxImage.from_blob(png)
    return image.px_width, image.px_height, image.horz_dpi, image.vert_dpi


@pytest.mark.parametrize("modules", [1, 4, 17])
def test_the_blank_is_placed_as_the_chart_is(view, modules, monkeypatch):
    monkeypatch.setattr(type(view), "by_section", view.by_section[:1] * modules)
    assert chart_size(view)[1] == 210 + 110 * modules
    blank = blank_png(*chart_size(view), DPI)
    assert _placed(blank) == _placed(rag_chart_png(view))
    with Image.open(io.BytesIO(blank)) as opened:  # a PNG any reader opens
        opened.load()
        assert opened.size == chart_size(view)


def test_the_saved_plan_holds_the_chart_not_the_blank(tmp_path, view):
    result = build(EXAMPLE, tmp_path)
    with zipfile.ZipFile(result.docx) as package:
        pictures = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert pictures == [rag_chart_png(view)]


def test_the_chart_is_drawn_in_the_language_of_the_plan(view):
    """The thread drawing it starts in the plan's language (a new thread would not)."""
    with use_language("cy"):
        drawn = ChartSlot(view)._drawing.result()
        welsh = rag_chart_png(view)
    assert drawn == welsh != rag_chart_png(view)


def _saved_with(*blobs: bytes):
    """A stand-in for python-docx's document whose package holds pictures with blobs."""
    parts = [
        SimpleNamespace(partname=f"/word/media/image{number}.png", blob=blob)
        for number, blob in enumerate(blobs, start=1)
    ]
    return SimpleNamespace(part=SimpleNamespace(package=SimpleNamespace(image_parts=parts)))


def _broken(view):
    raise OSError("no fonts")


def test_a_chart_that_fails_to_draw_fails_as_the_plan_is_saved(view, monkeypatch):
    monkeypatch.setattr("pipeline.render.chart_slot.rag_chart_png", _broken)
    slot = ChartSlot(view)
    with pytest.raises(OSError, match="no fonts"):
        slot.replacing(_saved_with(b"logo", slot.blank))


def test_a_template_without_the_chart_does_not_wait_for_it(view, monkeypatch):
    monkeypatch.setattr("pipeline.render.chart_slot.rag_chart_png", _broken)
    assert ChartSlot(view).replacing(_saved_with(b"logo")) == {}


def test_a_templates_own_pictures_are_kept_and_the_chart_has_its_own_part(tmp_path, view):
    logo = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(logo, format="PNG")
    template = docx.Document(str(default_template("rag")))
    template.add_picture(io.BytesIO(logo.getvalue()))
    template.save(tmp_path / "logo.docx")
    result = build(EXAMPLE, tmp_path / "out", template=tmp_path / "logo.docx")
    with zipfile.ZipFile(result.docx) as package:
        pictures = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert sorted(pictures, key=len) == [logo.getvalue(), rag_chart_png(view)]


def test_without_a_thread_the_chart_is_drawn_when_it_is_needed(view, monkeypatch):
    def refused(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refused)
    assert ChartSlot(view)._drawing.result() == rag_chart_png(view)


def _unreadable_font(size):
    raise OSError("cannot open resource")


def test_a_chart_that_cannot_be_drawn_says_so_plainly(tmp_path, view, monkeypatch):
    monkeypatch.setattr(chart, "_font", _unreadable_font)
    with pytest.raises(ChartNotDrawn) as raised:
        rag_chart_png(view)
    assert "could not be drawn (OSError: cannot open resource)" in str(raised.value)
    assert "no plan was written" in str(raised.value)
    with pytest.raises(ChartNotDrawn):  # the web page draws it too
        render_html(view, tmp_path / "plan.html")
    assert not (tmp_path / "plan.html").exists()


def test_running_out_of_memory_drawing_the_chart_is_left_to_the_memory_cap(view, monkeypatch):
    def exhausted(size):
        raise MemoryError

    monkeypatch.setattr(chart, "_font", exhausted)
    with pytest.raises(MemoryError):
        rag_chart_png(view)


@pytest.mark.skipif(not isolation.can_isolate(), reason="needs fork")
@pytest.mark.parametrize(
    "warm_actions",
    [None, 61],  # on a thread; in a process of its own
    ids=["warm-child", "forked"],
)
def test_a_build_whose_chart_cannot_be_drawn_ends_with_a_message_and_writes_nothing(
    tmp_path, runner, monkeypatch, warm_actions, handed
):
    monkeypatch.setattr(chart, "_font", _unreadable_font)
    # A warm child is started even where this process has the Word libraries loaded already.
    monkeypatch.setattr(word_job, "WORD_MODULES", ("tabnanny",))  # a module nothing loads
    if warm_actions is not None:  # the example's 62 actions are then forked, chart and all
        monkeypatch.setattr(word_job, "WARM_ACTIONS", warm_actions)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(EXAMPLE), "-o", str(out), "--html"])
    assert result.exit_code == 2, result.output
    assert "The chart of RAG ratings could not be drawn" in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert not out.exists() or not any(out.iterdir())
    assert handed == ([True] if warm_actions is None else [])
