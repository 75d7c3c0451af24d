"""The RAG-by-module chart: a PNG picture and the alt text that describes it.

Each bar segment carries its count and a hatch pattern, and the legend names
every rating, so the chart can be read without colour; the alt text states
the numbers for screen reader users. The chart is drawn with Pillow rather
than matplotlib: importing matplotlib alone took about a second, half of the
two-second budget for building a 100-action plan (bench/), and a stacked bar
chart needs only rectangles and text. Pillow itself is imported only where a
chart is drawn: the Word plan's is drawn in a process of its own (word_job.py),
or on a thread of the warm child that makes the plan (chart_slot.py), and the alt
text, which the plan's finishing needs, needs no Pillow.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import EqplanError
from pipeline.formats import format_number
from pipeline.i18n import _, ngettext
from pipeline.model import Rag
from pipeline.view import PlanView

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

WIDTH = 1500
DPI = 150
LABEL_WIDTH = 470
RIGHT_MARGIN = 60
BAR_HEIGHT = 64
ROW_HEIGHT = 110
TOP = 40
INK = (40, 40, 40)
GRID = (210, 210, 210)
_HATCH_STEP = 14
_FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
_HATCHES = {
    Rag.RED: "diagonal",
    Rag.AMBER: "dots",
    Rag.GREEN: "",
    Rag.COMPLETE: "cross",
    Rag.NOT_RATED: "horizontal",
}


def alt_text(view: PlanView, module_label: str = "module") -> str:
    """A sentence per module giving its RAG counts, for the picture's description."""
    parts = [
        _("Bar chart of actions by RAG rating for each %(section)s.")
        % {"section": _(module_label).lower()}
    ]
    for row in view.by_section:
        counts = ", ".join(
            f"{format_number(row.count(r))} {_(r.label).lower()}" for r in Rag if row.count(r)
        )
        actions = ngettext("%(count)s action", "%(count)s actions", row.total) % {
            "count": format_number(row.total)
        }
        parts.append(f"{row.label}: {actions} ({counts or _('none')}).")
    return " ".join(parts)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    for candidate in _FONT_FILES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def chart_size(view: PlanView) -> tuple[int, int]:
    """The chart's width and height in pixels (its resolution is DPI)."""
    return WIDTH, TOP + ROW_HEIGHT * max(len(view.by_section), 1) + 170


class ChartNotDrawn(EqplanError):
    """The chart could not be drawn (an unreadable font file, a broken Pillow): no document."""


def rag_chart_png(view: PlanView) -> bytes:
    """A horizontal stacked bar chart of RAG counts per module, as PNG bytes.

    What stops it being drawn is reported as ChartNotDrawn, a message and no traceback:
    it is never the workbook's fault, and a plan with a blank where its chart should be
    would say less than the council's figures.
    """
    try:
        return _drawn(view)
    except (MemoryError, EqplanError):
        raise  # running out of memory is no fault of the chart's: its callers say what ran out
    except Exception as exc:  # noqa: BLE001 - Pillow and font files fail in many ways
        raise ChartNotDrawn(
            f"The chart of RAG ratings could not be drawn ({type(exc).__name__}: {exc}), "
            "so no plan was written.",
            hint="Reinstall eqplan's packages (delete the .venv folder: the next 'make' "
            "command makes it afresh) and check that the computer's fonts can be read; if "
            "that does not help, report this message.",
        ) from None


def _drawn(view: PlanView) -> bytes:
    from PIL import Image, ImageDraw

    rows = view.by_section
    image = Image.new("RGB", chart_size(view), "white")
    draw = ImageDraw.Draw(image)
    label_font, count_font, small = _font(26), _font(24), _font(24)
    plot_left, plot_right = LABEL_WIDTH, WIDTH - RIGHT_MARGIN
    plot_bottom = TOP + ROW_HEIGHT * max(len(rows), 1)
    largest = max((row.total for row in rows), default=0)
    step = _tick_step(largest)
    scale_max = max(step * -(-largest // step), step)
    scale = (plot_right - plot_left) / scale_max

    for tick in range(0, scale_max + 1, step):
        x = plot_left + tick * scale
        draw.line([(x, TOP - 10), (x, plot_bottom)], fill=GRID, width=2)
        _centred(draw, (x, plot_bottom + 24), str(tick), small)
    _centred(draw, ((plot_left + plot_right) / 2, plot_bottom + 66), _("Number of actions"), small)

    for index, row in enumerate(rows):
        top = TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        _label(draw, row.label, plot_left - 20, top + BAR_HEIGHT / 2, label_font)
        left = plot_left
        for rating in Rag:
            count = row.count(rating)
            if not count:
                continue
            box = (round(left), round(top), round(left + count * scale), round(top + BAR_HEIGHT))
            _segment(image, draw, box, rating)
            text_width = draw.textlength(str(count), font=count_font)
            if box[2] - box[0] >= text_width + 12:
                centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
                pad = 6
                draw.rounded_rectangle(
                    (
                        centre[0] - text_width / 2 - pad,
                        centre[1] - 17,
                        centre[0] + text_width / 2 + pad,
                        centre[1] + 17,
                    ),
                    radius=6,
                    fill="white",
                )
                _centred(draw, centre, str(count), count_font)
            left += count * scale
    draw.line([(plot_left, TOP - 10), (plot_left, plot_bottom)], fill=INK, width=3)
    _legend(image, draw, plot_bottom + 120, small)
    buffer = io.BytesIO()
    # Named, not told format="PNG": Pillow then loads only its PNG writer, where a format loads
    # five (BMP, GIF, JPEG, PPM, PNG: ~40 ms of a 100-action build, issue 17).
    buffer.name = "chart.png"
    image.save(buffer, dpi=(DPI, DPI), compress_level=1)  # fast; a little larger
    return buffer.getvalue()


def _tick_step(largest: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000):
        if largest / step <= 8:
            return step
    return 10_000


def _centred(draw: ImageDraw.ImageDraw, centre: tuple[float, float], text: str, font) -> None:
    draw.text(centre, text, fill=INK, font=font, anchor="mm")


def _label(draw: ImageDraw.ImageDraw, text: str, right: float, middle: float, font) -> None:
    """A module name, wrapped onto up to three lines and right-aligned beside its bar."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= LABEL_WIDTH - 40:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > 3:
        lines = [*lines[:2], " ".join(lines[2:])]
    line_height = 30
    first = middle - line_height * (len(lines) - 1) / 2
    for number, line in enumerate(lines):
        draw.text((right, first + number * line_height), line, fill=INK, font=font, anchor="rm")


def _segment(
    image: Image.Image, draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rating: Rag
) -> None:
    """A filled, hatched, outlined rectangle for one rating."""
    draw.rectangle(box, fill=f"#{rating.fill}")
    pattern = _HATCHES[rating]
    if pattern and box[2] - box[0] > 2:
        tile = _hatch(pattern, box[2] - box[0], box[3] - box[1])
        image.paste((60, 60, 60), box[:2], mask=tile)
    draw.rectangle(box, outline=INK, width=2)


def _hatch(pattern: str, width: int, height: int) -> Image.Image:
    """A mask with the hatch lines or dots for a rating."""
    from PIL import Image, ImageDraw

    mask = Image.new("L", (width, height), 0)
    pen = ImageDraw.Draw(mask)
    step = _HATCH_STEP
    if pattern in ("diagonal", "cross"):
        for offset in range(-height, width + height, step):
            pen.line([(offset, height), (offset + height, 0)], fill=170, width=2)
    if pattern == "cross":
        for offset in range(-height, width + height, step):
            pen.line([(offset, 0), (offset + height, height)], fill=170, width=2)
    if pattern == "horizontal":
        for y in range(step // 2, height, step // 2 + 2):
            pen.line([(0, y), (width, y)], fill=150, width=2)
    if pattern == "dots":
        for y in range(step // 2, height, step):
            for x in range(step // 2 + (y // step % 2) * step // 2, width, step):
                pen.ellipse((x - 2, y - 2, x + 2, y + 2), fill=200)
    return mask


def _legend(image: Image.Image, draw: ImageDraw.ImageDraw, middle: float, font) -> None:
    entries = list(Rag)
    swatch = 40
    widths = [swatch + 12 + draw.textlength(_(r.label), font=font) for r in entries]
    gap = 44
    x = (WIDTH - (sum(widths) + gap * (len(entries) - 1))) / 2
    for rating, width in zip(entries, widths, strict=True):
        box = (round(x), round(middle - swatch / 2), round(x + swatch), round(middle + swatch / 2))
        _segment(image, draw, box, rating)
        draw.text((x + swatch + 12, middle), _(rating.label), fill=INK, font=font, anchor="lm")
        x += width + gap
