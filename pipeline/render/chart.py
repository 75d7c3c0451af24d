"""The RAG-by-module chart: a PNG picture and the alt text that describes it.

Each bar segment carries its count as a label and a hatch pattern, and the
legend names every rating, so the chart can be read without colour. The alt
text states the numbers, so a screen reader user gets the same information.
"""

from __future__ import annotations

import io

from pipeline.model import Rag
from pipeline.summaries import Summary

_HATCHES = {
    Rag.RED: "///",
    Rag.AMBER: "...",
    Rag.GREEN: "",
    Rag.COMPLETE: "xx",
    Rag.NOT_RATED: "--",
}


def alt_text(summary: Summary, module_label: str = "module") -> str:
    """A sentence per module giving its RAG counts, for the picture's description."""
    parts = [f"Bar chart of actions by RAG rating for each {module_label.lower()}."]
    for row in summary.by_module:
        counts = ", ".join(f"{row.count(r)} {r.label.lower()}" for r in Rag if row.count(r))
        parts.append(f"{row.label}: {row.total} actions ({counts or 'none'}).")
    return " ".join(parts)


def rag_chart_png(summary: Summary) -> bytes:
    """A horizontal stacked bar chart of RAG counts per module, as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.figure import Figure

    labels = [_wrap(row.label) for row in summary.by_module]
    figure = Figure(figsize=(7.5, 0.9 + 0.75 * max(len(labels), 1)), dpi=150)
    axes = figure.add_subplot()
    left = [0] * len(labels)
    for rating in Rag:
        counts = [row.count(rating) for row in summary.by_module]
        bars = axes.barh(
            labels,
            counts,
            left=left,
            color=f"#{rating.fill}",
            edgecolor="#333333",
            linewidth=0.6,
            hatch=_HATCHES[rating],
            label=rating.label,
        )
        for bar, count in zip(bars, counts, strict=True):
            if count:
                axes.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(count),
                    ha="center",
                    va="center",
                    fontsize=9,
                    fontweight="bold",
                    bbox={
                        "boxstyle": "round,pad=0.15",
                        "facecolor": "white",
                        "edgecolor": "none",
                        "alpha": 0.85,
                    },
                )
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.invert_yaxis()
    axes.set_xlabel("Number of actions")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(
        ncols=5,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.25 if len(labels) > 2 else -0.4),
        frameon=False,
        fontsize=9,
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close("all")
    return buffer.getvalue()


def _wrap(text: str, width: int = 28) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
