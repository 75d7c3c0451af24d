"""The chart's place in the Word plan, held by a blank picture while the chart is drawn.

Drawing the chart (chart.py) takes 0.04 to 0.07 s of a 100-action plan, most of it
Pillow's PNG encoder, and until the document is saved only the picture's size matters:
docxtpl places a picture by its pixel size and resolution. So the plan is filled in around
a blank picture of the chart's very size and resolution while the chart is drawn alongside,
on a thread of its own (the encoder lets go of Python's lock, so the two overlap) or in a
process of its own (isolation.Pending, beside a forked plan), and the drawn picture takes
the blank one's place as the document is saved (docx_save.py). The saved document is the
one the chart placed directly would make, byte for byte (issue 17), but for one case: a
template already holding the very chart picture (made from an earlier plan with the same
figures) used to share that picture's part with the chart, and now has a part of its own.

Waiting for the drawing now comes after the template is filled in, so a slow chart counts
against the finishing's generous limit (isolation.FINISH_SECONDS), not the template's
time budget (--template-timeout), which it used to be blamed under.
"""

from __future__ import annotations

import contextvars
import functools
import struct
import threading
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from pipeline.render.chart import DPI, chart_size, rag_chart_png

if TYPE_CHECKING:
    from pipeline.view import PlanView

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_METRES_PER_INCH = 0.0254


class Drawing(Protocol):
    """The chart being drawn (isolation.Pending, _OnThread): result() waits for its PNG."""

    def result(self) -> bytes: ...


class ChartSlot:
    """The chart being drawn and the blank picture standing in for it meanwhile."""

    def __init__(self, view: PlanView, drawing: Drawing | None = None) -> None:
        """drawing: the chart already being drawn elsewhere; else it is drawn on a thread."""
        self.blank = blank_png(*chart_size(view), DPI)
        if drawing is None:
            drawing = _OnThread(functools.partial(rag_chart_png, view))
        self._drawing = drawing

    def replacing(self, docx: Any) -> dict[str, bytes]:
        """The drawn chart, by the name of the part that holds the blank picture: what
        docx_bytes writes in its place. Waits for the drawing, unless the template placed
        no chart (then nothing is replaced, and the drawing is left to end by itself)."""
        blanks = [str(p.partname) for p in docx.part.package.image_parts if p.blob == self.blank]
        if not blanks:
            return {}
        chart = self._drawing.result()
        return dict.fromkeys(blanks, chart)


def blank_png(width: int, height: int, dpi: int) -> bytes:
    """A blank black-and-white PNG of width x height pixels at dpi: a few hundred bytes."""
    per_metre = int(dpi / _METRES_PER_INCH + 0.5)  # as Pillow writes a resolution
    row = b"\0" * (1 + (width + 7) // 8)  # no filter, then the row's bits
    return b"".join(
        (
            _PNG_SIGNATURE,
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"IDAT", zlib.compress(row * height, 9)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)


class _OnThread:
    """work() running on a thread of its own, in the context (language, framework's words)
    it was started in; result() waits for it and gives what it returned, or raises what it
    raised. Where no thread can be started, work runs in result()."""

    def __init__(self, work: Callable[[], bytes]) -> None:
        self._work = work
        self._outcome: tuple[bool, Any] | None = None
        # In this thread's language and framework's words (a new thread starts without them).
        context = contextvars.copy_context()
        self._thread: threading.Thread | None = threading.Thread(
            target=self._run, args=(context,), name="eqplan-chart", daemon=True
        )
        try:
            self._thread.start()
        except RuntimeError:  # no thread to be had (a memory cap): drawn when asked for
            self._thread = None

    def _run(self, context: contextvars.Context) -> None:
        try:
            self._outcome = (True, context.run(self._work))
        except BaseException as exc:  # noqa: BLE001 - raised again by result()
            self._outcome = (False, exc)

    def result(self) -> bytes:
        if self._thread is None:
            return self._work()
        self._thread.join()
        assert self._outcome is not None
        succeeded, value = self._outcome
        if not succeeded:
            raise value
        return value
