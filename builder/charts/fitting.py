"""Making a chart's text fit its canvas, measured with the renderer that will draw it.

Guessing how many characters fit across a chart fails for bold titles, wide letters and
other forces' place names: titles were cut off at the image edge. Each helper here
measures the text as drawn and wraps it, shrinks it within limits or moves the limits of
an axis, so nothing is drawn outside the figure whatever the labels say.
"""

from __future__ import annotations

import math
import textwrap

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

PAD = 3 / 72
"""Inches kept clear at each edge of the figure and between the legend and the plot's labels
(constrained layout's default)."""

MIN_TITLE_SIZE = 9.0
"""Points: a title that cannot wrap to fit (one very long word) shrinks no further than this."""

TITLE_GID = "chart-title"
"""gid of the chart's title, which the layout wraps to the figure's width."""

VALUE_GID = "value-label"
"""gid of the number written at the end of each bar: what ``fit_value_labels`` keeps inside the axes."""


def text_width(text: Text, renderer: RendererBase) -> float:
    """Width in pixels of ``text`` as it would be drawn now."""
    return float(text.get_window_extent(renderer).width)


def wrap_to_width(text: Text, renderer: RendererBase, width: float) -> None:
    """Re-wrap ``text`` at word boundaries into the fewest lines no wider than ``width`` pixels.

    The widest wrap that fits is found by bisection on the characters per line, a handful
    of measurements. A single word wider than ``width`` shrinks the font down to
    ``MIN_TITLE_SIZE``; beyond that the word itself is broken.
    """
    words = " ".join(text.get_text().split())
    if not words:
        return
    text.set_text(words)
    if text_width(text, renderer) <= width:
        return
    while True:
        best = _widest_wrap(text, renderer, words, width, break_words=False)
        if best is not None:
            text.set_text(best)
            return
        size = float(text.get_fontsize())
        if size <= MIN_TITLE_SIZE:
            break
        text.set_fontsize(max(MIN_TITLE_SIZE, size - 1))
    text.set_text(_widest_wrap(text, renderer, words, width, break_words=True) or textwrap.fill(words, 1))


def _widest_wrap(text: Text, renderer: RendererBase, words: str, width: float, *, break_words: bool) -> str | None:
    """The wrap of ``words`` with the most characters per line that fits ``width``, or None."""
    low, high, best = 1, len(words), None
    while low <= high:
        middle = (low + high) // 2
        candidate = textwrap.fill(words, width=middle, break_long_words=break_words, break_on_hyphens=False)
        text.set_text(candidate)
        if text_width(text, renderer) <= width:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best


def bottom_legend(figure: Figure, handles: list[Artist], labels: list[str], columns: int) -> Legend:
    """A legend along the bottom of ``figure`` in at most ``columns`` columns, fewer if that is too wide.

    A legend's columns are fixed when it is made, so one too wide for the page is made
    again with fewer (more rows) rather than left to run off the edges. Widths are
    measured at the figure's current resolution; text and figure scale alike with it.
    """
    usable = figure.bbox.width - 2 * PAD * figure.dpi
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]  # an Agg canvas: see style.new_figure
    while True:
        legend = figure.legend(handles, labels, loc="outside lower center", ncols=columns)
        if columns == 1 or legend.get_window_extent(renderer).width <= usable:
            return legend
        legend.remove()
        columns -= 1


def fit_value_labels(ax: Axes, renderer: RendererBase, axis: str) -> None:
    """Extend the value axis just enough that every bar's value label ends inside the plot.

    The labels are written a few points beyond each bar's end, so moving the axis limit
    moves them too: for a bar ending at ``v`` whose label needs ``w`` pixels beyond it in a
    plot ``W`` pixels long, the limit must reach ``low + (v - low) * W / (W - w)``. Solving
    that exactly, rather than guessing a margin, keeps the bars as long as the labels allow.
    """
    labels = [t for t in ax.texts if t.get_gid() == VALUE_GID and t.get_text() and t.get_visible()]
    if not labels:
        return
    horizontal = axis == "x"
    low, high = ax.get_xlim() if horizontal else ax.get_ylim()
    frame = ax.get_window_extent(renderer)
    length = frame.width if horizontal else frame.height
    needed = high
    for label in labels:
        anchor = ax.transData.transform(label.xy)  # type: ignore[attr-defined]  # bar labels are Annotations
        box = _text_box(label, renderer)
        beyond = (box.x1 - anchor[0]) if horizontal else (box.y1 - anchor[1])
        value = label.xy[0] if horizontal else label.xy[1]  # type: ignore[attr-defined]
        if beyond >= length * 0.9 or not math.isfinite(value):
            continue  # a label as long as the plot cannot be helped by moving the limit
        needed = max(needed, low + (value - low) * length / (length - beyond - 1))
    if needed > high:
        if horizontal:
            ax.set_xlim(low, needed)
        else:
            ax.set_ylim(low, needed)


def drawn_texts(figure: Figure, renderer: RendererBase) -> list[tuple[str, Bbox]]:
    """Every text the figure draws, with its box in pixels (origin at the bottom left).

    Tick labels are made for ticks outside the view too; only those matplotlib draws
    (within the axis' view limits) are listed.
    """
    ticks = {id(t) for ax in figure.axes for axis in (ax.xaxis, ax.yaxis) for t in axis.get_ticklabels(which="both")}
    out = [
        (t.get_text(), _text_box(t, renderer))
        for t in figure.findobj(Text)
        if id(t) not in ticks and t.get_visible() and t.get_text().strip()
    ]
    for ax in figure.axes:
        if not ax.get_visible() or not ax.axison:
            continue
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            slack = (high - low) * 1e-9
            for tick, location in zip(axis.get_major_ticks(), axis.get_majorticklocs()):
                label = tick.label1
                if low - slack <= location <= high + slack and label.get_visible() and label.get_text().strip():
                    out.append((label.get_text(), label.get_window_extent(renderer)))
    return out


def _text_box(text: Text, renderer: RendererBase) -> Bbox:
    """The box of the text alone: an Annotation's own box would include its leader line."""
    if isinstance(text, Annotation):
        text.update_positions(renderer)
    return Text.get_window_extent(text, renderer)
