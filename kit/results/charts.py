"""The reports' charts, drawn with matplotlib as vector PDF (for the PDFs) or SVG (for the
HTML page), in the kit's font and readable in black and white: « avant » is hatched,
« après » solid, and every bar carries its share and its counts as text, so no meaning
rests on colour. Each chart comes with a text alternative saying what it shows.

Identical input gives identical bytes: no creation date, a fixed SVG id salt, and
matplotlib's own defaults never read from a user's matplotlibrc (rc_context over the
library's defaults).
"""
from __future__ import annotations

import functools
import io
from dataclasses import dataclass

from ..styledata import font_files
from .aggregate import Spread, Tally

INK, AFTER_FILL, RULE = "#111111", "#4d4d4d", "#8c8c8c"
BEFORE_HATCH = "///"
BAR = 0.34  # height of one bar, in the axis' units
STEP = 1.25  # from one item to the next: its name, then its two bars


@dataclass(frozen=True)
class Chart:
    """A drawing at its printed size (points) and what it says in words."""

    pdf: bytes
    width: float
    height: float
    alt: str
    figure: object = None  # kept only to write the SVG for the HTML page

    def svg(self) -> bytes:
        from matplotlib import rc_context
        buffer = io.BytesIO()
        with rc_context(_setup()):
            self.figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        return buffer.getvalue()


@functools.cache
def _setup() -> dict:
    """matplotlib off screen (Agg), the kit's font registered once; the rc settings."""
    import matplotlib
    matplotlib.use("Agg", force=False)
    from matplotlib import font_manager
    files = font_files("sans")
    for face in ("regular", "bold"):
        font_manager.fontManager.addfont(str(files[face]))
    family = font_manager.FontProperties(fname=str(files["regular"])).get_name()
    return {"font.family": family, "font.size": 8.5, "pdf.fonttype": 42, "svg.hashsalt": "kit3018",
            "axes.unicode_minus": False, "hatch.linewidth": 0.6, "hatch.color": INK,
            "axes.edgecolor": INK, "axes.linewidth": 0.6, "xtick.color": INK,
            "ytick.color": INK, "text.color": INK, "axes.labelcolor": INK,
            "pdf.compression": 6, "path.simplify": False}


def percent(share: float | None) -> str:
    """`52 %` (a narrow no-break space before %, as French prints it)."""
    return "–" if share is None else f"{round(100 * share)}\u202f%"


def points(change: float | None) -> str:
    """`+12 points`, `−3 points`, `0 point`."""
    if change is None:
        return "–"
    value = round(change)
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{abs(value)}\u00a0point{'s' if abs(value) > 1 else ''}"


def share_label(right: int, answered: int) -> str:
    return f"{percent(right / answered if answered else None)} ({right}/{answered})"


def _figure(width: float, height: float):
    from matplotlib.figure import Figure
    return Figure(figsize=(width / 72, height / 72), dpi=72)


def _chart(figure, width: float, height: float, alt: str) -> Chart:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf",
                   metadata={"CreationDate": None, "Producer": None, "Creator": None})
    return Chart(buffer.getvalue(), width, height, alt, figure)


def _before_after(axis, labels: list[str], tallies: list[Tally]) -> None:
    """Per item, its name above two bars: « avant » hatched, « après » solid, each with
    its share and counts written beside it."""
    rows = [STEP * r for r in range(len(labels))]
    before = [100 * (t.share_before or 0) for t in tallies]
    after = [100 * (t.share_after or 0) for t in tallies]
    top = axis.barh([r for r in rows], before, BAR, color="white", edgecolor=INK,
                    hatch=BEFORE_HATCH, linewidth=0.6, label="avant la séance")
    low = axis.barh([r + BAR for r in rows], after, BAR, color=AFTER_FILL, edgecolor=INK,
                    linewidth=0.6, label="après la séance")
    axis.bar_label(top, [f"avant : {share_label(t.before, t.answered)}" for t in tallies],
                   padding=3, fontsize=7.5)
    axis.bar_label(low, [f"après : {share_label(t.after, t.answered)}" for t in tallies],
                   padding=3, fontsize=7.5)
    for row, label in zip(rows, labels):
        axis.text(0, row - BAR / 2 - 0.12, label, fontsize=8.5, fontweight="bold", va="bottom",
                  bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
    axis.set_yticks([])
    axis.set_ylim(rows[-1] + BAR * 1.6 if rows else 1, -0.75)
    axis.set_xlim(0, 125)  # room for the labels right of a full bar
    axis.set_xticks([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100 %"])
    axis.grid(axis="x", color=RULE, linewidth=0.4, linestyle=":")
    axis.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axis.spines[side].set_visible(False)
    axis.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=7.5,
                frameon=False, borderaxespad=0.2)


def before_after_chart(labels: list[str], tallies: list[Tally], width: float, title: str,
                       alt_names: list[str], row_height: float = 40) -> Chart:
    """Share of right answers before and after, one pair of bars per item (a question of
    a class, a lesson of the district)."""
    from matplotlib import rc_context
    with rc_context(_setup()):
        height = 44 + row_height * len(labels)
        figure = _figure(width, height)
        axis = figure.add_axes((0.01, 18 / height, 0.98, 1 - 40 / height))
        _before_after(axis, labels, tallies)
        figure.text(0.01, 1 - 10 / height, title, fontsize=9, fontweight="bold", va="top")
        alt = title + " : " + " ; ".join(
            f"{name} : {share_label(t.before, t.answered)} avant, "
            f"{share_label(t.after, t.answered)} après" for name, t in zip(alt_names, tallies)) + "."
        return _chart(figure, width, height, alt)


def spread_chart(labels: list[str], spreads: list[Spread | None], width: float, title: str,
                 alt_names: list[str]) -> Chart:
    """Each lesson's change across classes: a box from the first to the third quartile,
    the median as a thick line, whiskers to the lowest and highest class."""
    from matplotlib import rc_context
    with rc_context(_setup()):
        height = 40 + 24 * len(labels)
        figure = _figure(width, height)
        axis = figure.add_axes((0.3, 26 / height, 0.68, 1 - 40 / height))
        stats = [{"med": s.median, "q1": s.q1, "q3": s.q3, "whislo": s.low, "whishi": s.high,
                  "fliers": [], "label": label}
                 for label, s in zip(labels, spreads) if s is not None]
        if stats:
            axis.bxp(stats, orientation="horizontal", widths=0.5, showfliers=False,
                     boxprops={"color": INK, "linewidth": 0.7},
                     medianprops={"color": INK, "linewidth": 2.2},
                     whiskerprops={"color": INK, "linewidth": 0.7},
                     capprops={"color": INK, "linewidth": 0.7})
        axis.axvline(0, color=INK, linewidth=0.6, linestyle="--")
        axis.invert_yaxis()
        axis.set_xlabel("évolution de la part de bonnes réponses (points), classe par classe",
                        fontsize=7.5)
        axis.grid(axis="x", color=RULE, linewidth=0.4, linestyle=":")
        for side in ("top", "right"):
            axis.spines[side].set_visible(False)
        axis.set_title(title, fontsize=9, loc="left", fontweight="bold")
        alt = title + " : " + " ; ".join(
            f"{name} : médiane {points(s.median)}, la moitié des classes entre "
            f"{points(s.q1)} et {points(s.q3)}, de {points(s.low)} à {points(s.high)} "
            f"({s.count} classe(s))" for name, s in zip(alt_names, spreads) if s) + "."
        return _chart(figure, width, height, alt)


def count_chart(labels: list[str], counts: list[int], width: float, title: str) -> Chart:
    """How many sessions in each period: bars with their count written on them."""
    from matplotlib import rc_context
    with rc_context(_setup()):
        height = 150.0
        figure = _figure(width, height)
        axis = figure.add_axes((0.08, 0.2, 0.9, 0.66))
        bars = axis.bar(range(len(labels)), counts, 0.6, color="white", edgecolor=INK,
                        hatch="..", linewidth=0.6)
        axis.bar_label(bars, [str(c) for c in counts], padding=2, fontsize=7.5)
        axis.set_xticks(list(range(len(labels))), labels, fontsize=7,
                        rotation=45 if len(labels) > 8 else 0)
        axis.set_ylim(0, max(counts, default=1) * 1.2 + 1)
        for side in ("top", "right"):
            axis.spines[side].set_visible(False)
        axis.set_title(title, fontsize=9, loc="left", fontweight="bold")
        alt = title + " : " + " ; ".join(f"{l} : {c}" for l, c in zip(labels, counts)) + "."
        return _chart(figure, width, height, alt)
