"""Bar charts: shares of a total, two-period comparisons, counts by category, counts by month.

AF guidance prefers bars to pies (lengths are compared more accurately than
angles), bars sorted by size unless the categories have a natural order, and
values written on the bars so the reader need not read them off an axis. A pie
stays available because some authors want the look of earlier packs; it is
labelled directly too, so no wedge is identified by colour alone.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from datetime import date
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from builder.charts.common import (
    as_floats,
    check_lengths,
    format_count,
    format_share,
    limit_categories,
    month_ticks,
    no_data_figure,
    set_title,
    thousands_axis,
    wrap_label,
)
from builder.charts.fitting import VALUE_GID, bottom_legend, fit_value_labels
from builder.charts.layout import after_layout
from builder.charts.palette import DUO, LABEL_COLOUR, MAIN_COLOUR, MAX_CATEGORIES, PALETTE
from builder.charts.style import FIGURE_HEIGHT, SMALL_FONT_SIZE, chart_style, new_figure

logger = logging.getLogger(__name__)

HORIZONTAL_STYLE = {"axes.grid.axis": "x", "axes.spines.left": True, "axes.spines.bottom": False}
"""afcharts' horizontal-bar variant: gridlines along the values, an axis line at the base."""

MAX_HEIGHT = 8.5
"""Inches: the tallest chart that fits an A4 page under its heading."""

LABEL_PAD = 3
"""Points between the end of a bar and its value label."""

CHAR_WIDTH = 0.075
"""Approximate inches per character of a 9pt label, to judge whether labels fit."""

MIN_PLOT_WIDTH = 3.5
"""Inches: the narrowest plot area of a page-width bar chart, after its wrapped category labels."""


def share_chart(
    labels: Sequence[str],
    shares: Sequence[float],
    *,
    title: str,
    kind: Literal["bar", "pie"] = "bar",
    max_categories: int = MAX_CATEGORIES,
) -> Figure:
    """Show each category's share of a total (fractions 0..1), largest first.

    Negative or missing shares (e.g. crime types that fell, when showing shares
    of an increase) cannot be part of a whole and are left out. Beyond
    ``max_categories`` the smallest are summed into "Other".
    """
    check_lengths(labels, shares)
    kept = [(label, share) for label, share in zip(labels, as_floats(shares)) if share >= 0]
    if len(kept) < len(labels):
        logger.debug("share chart %r: left out %d negative or missing shares", title, len(labels) - len(kept))
    names, values = limit_categories([k[0] for k in kept], [k[1] for k in kept], max_categories)
    if kind == "pie":
        return _pie(names, values, title)
    if kind != "bar":
        raise ValueError(f"kind must be 'bar' or 'pie', not {kind!r}")
    with chart_style(HORIZONTAL_STYLE):
        if not names:
            return no_data_figure(title)
        figure, ax = _bar_figure(len(names))
        _horizontal_bars(figure, ax, names, values, [format_share(v) for v in values])
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
        set_title(ax, title)
        return figure


def comparison_chart(
    labels: Sequence[str],
    previous: Sequence[float],
    last: Sequence[float],
    *,
    title: str,
    previous_label: str = "Previous 12 months",
    last_label: str = "Last 12 months",
    x_label: str = "Offences",
    sort: bool = True,
) -> Figure:
    """Compare two periods for each category, as pairs of horizontal bars.

    The earlier period is drawn first in each pair and hatched, the later one
    solid, and every bar carries its count, so the periods are told apart by
    position, pattern and label as well as colour. With ``sort`` the pairs are
    ordered by the latest period, largest first.
    """
    check_lengths(labels, previous, last)
    rows = list(zip(labels, as_floats(previous), as_floats(last)))
    if sort:
        rows.sort(key=lambda row: -_sort_key(row[2]))
    with chart_style(HORIZONTAL_STYLE):
        if not rows:
            return no_data_figure(title)
        figure, ax = _bar_figure(len(rows), per_row=0.42)
        names = [row[0] for row in rows]
        _paired_bars(ax, [row[1] for row in rows], [row[2] for row in rows], previous_label, last_label)
        after_layout(figure, lambda renderer: fit_value_labels(ax, renderer, "x"))
        _category_axis(ax, names)
        ax.set_xlabel(x_label)
        thousands_axis(ax, "x")
        set_title(ax, title)
        bottom_legend(figure, *ax.get_legend_handles_labels(), columns=2)
        return figure


def category_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    x_label: str = "Offences",
    max_categories: int | None = MAX_CATEGORIES,
) -> Figure:
    """Show a count for each category as horizontal bars, largest first, each labelled.

    Beyond ``max_categories`` (None for no limit) the smallest are summed into
    "Other", as AF guidance asks.
    """
    check_lengths(labels, values)
    pairs = [(label, value) for label, value in zip(labels, as_floats(values)) if not math.isnan(value)]
    limit = max(len(pairs), 1) if max_categories is None else max_categories
    names, counts = limit_categories([p[0] for p in pairs], [p[1] for p in pairs], limit)
    with chart_style(HORIZONTAL_STYLE):
        if not names:
            return no_data_figure(title)
        figure, ax = _bar_figure(len(names))
        _horizontal_bars(figure, ax, names, counts, [format_count(v) for v in counts])
        ax.set_xlabel(x_label)
        thousands_axis(ax, "x")
        set_title(ax, title)
        return figure


def monthly_chart(
    periods: Sequence[date],
    values: Sequence[float],
    *,
    title: str,
    y_label: str,
    series_label: str | None = None,
) -> Figure:
    """Show a count per month as columns, in time order, labelled when the labels fit.

    Columns rather than a line suit counts that are small or lumpy (positive
    outcomes, drug-related ASB); months with no value are left as gaps, not 0.
    ``series_label``, when given, names the series in a legend.
    """
    check_lengths(periods, values)
    counts = as_floats(values)
    with chart_style():
        if not any(math.isfinite(v) for v in counts):
            return no_data_figure(title)
        figure = new_figure()
        ax = figure.add_subplot()
        positions = list(range(len(counts)))
        label = series_label or "_nolegend_"
        bars = ax.bar(positions, counts, width=0.7, color=MAIN_COLOUR, label=label, gid="bar")
        texts = ["" if math.isnan(v) else format_count(v) for v in counts]
        if _column_labels_fit(texts, figure.get_figwidth()):
            _label_bars(ax, bars, texts)
            after_layout(figure, lambda renderer: fit_value_labels(ax, renderer, "y"))
        ticks, tick_labels = month_ticks(periods)
        ax.set_xticks(ticks, tick_labels)
        ax.set_xlim(-0.6, len(counts) - 0.4)
        finite = [v for v in counts if math.isfinite(v)]
        # Headroom keeps the column labels clear of the title.
        ax.set_ylim(min(0.0, *finite), max(max(finite), 0.0) * 1.12 or 1.0)
        ax.set_ylabel(y_label)
        thousands_axis(ax, "y")
        set_title(ax, title)
        if series_label:
            bottom_legend(figure, *ax.get_legend_handles_labels(), columns=1)
        return figure


def _sort_key(value: float) -> float:
    """Sort missing values last."""
    return -math.inf if math.isnan(value) else value


def _bar_figure(rows: int, per_row: float = 0.3) -> tuple[Figure, Axes]:
    """Create a figure tall enough for ``rows`` horizontal bars (or pairs) of wrapped labels."""
    height = min(MAX_HEIGHT, max(FIGURE_HEIGHT, 1.3 + per_row * rows))
    figure = new_figure(height)
    return figure, figure.add_subplot()


def _horizontal_bars(figure: Figure, ax: Axes, names: list[str], values: list[float], texts: list[str]) -> BarContainer:
    """Draw one bar per category in a single colour, top to bottom, with value labels.

    One colour is enough because each bar is named on the axis; colour-coding
    categories that are already labelled would add nothing.
    """
    bars = ax.barh(range(len(values)), values, height=0.65, color=MAIN_COLOUR, gid="bar")
    _label_bars(ax, bars, texts)
    _category_axis(ax, names)
    _value_room(ax, values, texts)
    after_layout(figure, lambda renderer: fit_value_labels(ax, renderer, "x"))
    return bars


def _paired_bars(ax: Axes, previous: list[float], last: list[float], previous_label: str, last_label: str) -> None:
    """Draw the earlier period (hatched) above the later one (solid) in each row."""
    rows = range(len(last))
    height = 0.38
    earlier = ax.barh(
        [i - height / 2 for i in rows],
        previous,
        height=height,
        color=DUO[0],
        hatch="//",
        hatchcolor="white",
        edgecolor=DUO[0],
        linewidth=0,
        label=previous_label,
        gid="previous",
    )
    later = ax.barh(
        [i + height / 2 for i in rows],
        last,
        height=height,
        color=DUO[1],
        label=last_label,
        gid="last",
    )
    texts = ["" if math.isnan(v) else format_count(v) for v in previous + last]
    _label_bars(ax, earlier, texts[: len(previous)])
    _label_bars(ax, later, texts[len(previous) :])
    _value_room(ax, previous + last, texts)


def _label_bars(ax: Axes, bars: BarContainer, texts: list[str]) -> None:
    """Write each value just beyond its bar's end, in near-black, which reads on white.

    The value axis leaves room for the labels (``_value_room``, the column headroom), so
    they stay inside the axes and the layout need not measure them: a third of its work.
    """
    for label in ax.bar_label(bars, labels=texts, padding=LABEL_PAD, color=LABEL_COLOUR, fontsize=SMALL_FONT_SIZE):
        label.set_in_layout(False)
        label.set_gid(VALUE_GID)


def _category_axis(ax: Axes, names: list[str]) -> None:
    """Name the categories on the y axis, wrapped, with the first at the top."""
    ax.set_yticks(range(len(names)), [wrap_label(name) for name in names])
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(len(names) - 0.5, -0.5)


def _value_room(ax: Axes, values: list[float], texts: list[str]) -> None:
    """Extend the value axis so the longest bar's label stays inside the plot.

    At least 15% of the span, more when the longest label needs it: its width (from
    ``CHAR_WIDTH``) taken against the narrowest plot a page-width chart has. The labels
    are left out of the layout (``_label_bars``), so this room is all they get.
    """
    finite = [v for v in values if math.isfinite(v)] or [0.0]
    high, low = max(max(finite), 0.0), min(min(finite), 0.0)
    span = (high - low) or 1.0
    label = (max((len(t) for t in texts), default=0) * CHAR_WIDTH + LABEL_PAD / 72) / MIN_PLOT_WIDTH
    room = max(0.15, label / (1 - min(label, 0.5)))
    ax.set_xlim(low - (room * span if low < 0 else 0), high + room * span)


def _column_labels_fit(texts: list[str], figure_width: float) -> bool:
    """Judge whether the longest value label fits across one column's slot."""
    slot = 0.88 * figure_width / max(len(texts), 1)
    longest = max((len(t) for t in texts), default=0)
    return longest * CHAR_WIDTH <= slot * 0.9


def _pie(names: list[str], values: list[float], title: str) -> Figure:
    """Draw a pie in palette order, clockwise from 12 o'clock, each wedge labelled with its share.

    Wedges are separated by white edges and named beside the pie, so no wedge
    depends on its colour being seen.
    """
    with chart_style():
        if not names or sum(values) <= 0:
            return no_data_figure(title)
        figure = new_figure()
        ax = figure.add_subplot()
        ax.pie(
            values,
            labels=[f"{wrap_label(n)}: {format_share(v)}" for n, v in zip(names, values)],
            colors=PALETTE[: len(values)],
            startangle=90,
            counterclock=False,
            normalize=True,
            wedgeprops={"edgecolor": "white", "linewidth": 1.5},
            textprops={"color": LABEL_COLOUR, "fontsize": SMALL_FONT_SIZE},
        )
        # "datalim" keeps the circle round while the axes spans the page, so the
        # left-aligned title starts at the left edge as on the other charts; the
        # limits pie() fixed must be freed for that, or matplotlib warns.
        ax.set_autoscale_on(True)
        ax.set_aspect("equal", adjustable="datalim")
        set_title(ax, title)
        return figure
