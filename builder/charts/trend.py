"""The statistical process control (XmR) trend chart of a monthly series.

Readers of the pack judge a theme from this chart: is the latest month
unusual, and has the level shifted? So the chart shows the series, its mean
and control limits (which may step where the limits were recalculated) and the
special-cause points the SPC rules found. Every signal is told apart by marker
shape as well as colour, and the reference lines by line style, so nothing
depends on seeing colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from builder.charts.annotate import place_label, polyline, step_path
from builder.charts.common import (
    as_floats,
    check_lengths,
    month_ticks,
    no_data_figure,
    set_title,
    thousands_axis,
)
from builder.charts.fitting import bottom_legend
from builder.charts.layout import after_layout
from builder.charts.palette import (
    DARK_PINK,
    LABEL_COLOUR,
    LIGHT_PURPLE,
    MAIN_COLOUR,
    ORANGE,
    REFERENCE_COLOUR,
    TURQUOISE,
)
from builder.charts.style import SMALL_FONT_SIZE, chart_style, new_figure

COMMON_CAUSE = "common_cause"


@dataclass(frozen=True)
class PointStyle:
    """How one kind of special-cause point is drawn and named in the legend."""

    label: str
    marker: str
    colour: str


SPECIAL_CAUSE_STYLES: dict[str, PointStyle] = {
    # Square and diamond carry no direction: a concern is high for crime counts
    # but low for, say, positive outcomes. Neutral signals are high or low by
    # definition, so triangles pointing that way say it without colour.
    "special_cause_concern": PointStyle("Special cause: concern", "D", ORANGE),
    "special_cause_improvement": PointStyle("Special cause: improvement", "s", TURQUOISE),
    "special_cause_neutral_high": PointStyle("Special cause: high", "^", DARK_PINK),
    "special_cause_neutral_low": PointStyle("Special cause: low", "v", LIGHT_PURPLE),
}
POINT_TYPES = frozenset({COMMON_CAUSE, *SPECIAL_CAUSE_STYLES})

SPECIAL_MARKER_SIZE = 7.5
HEADROOM = 1.3
"""Top of the y axis over the highest point or limit: a free band for the latest-point label."""


def trend_chart(
    periods: Sequence[date],
    values: Sequence[float],
    *,
    mean: Sequence[float],
    ucl: Sequence[float],
    lcl: Sequence[float],
    point_types: Sequence[str] | None = None,
    title: str,
    y_label: str = "Crimes",
    latest_label: str | None = None,
) -> Figure:
    """Draw a monthly series with its mean, control limits and special-cause points.

    ``mean``, ``ucl`` and ``lcl`` have one value per period (None or NaN where
    there is none) so limits can step at a rebase. ``point_types`` holds the
    SPC type of each point; only the types present get a legend entry.
    ``latest_label`` (e.g. "Sep 2018: 85, special cause (concern)") is written
    beside the latest point. With no periods, a "No data" figure is returned.
    """
    check_lengths(periods, values, mean, ucl, lcl)
    if point_types is not None:
        check_lengths(periods, point_types)
        _check_point_types(point_types)
    series = as_floats(values)
    with chart_style():
        if not any(math.isfinite(v) for v in series):
            return no_data_figure(title)
        figure = new_figure()
        ax = figure.add_subplot()
        positions = list(range(len(series)))
        # Drawing order is legend order: the series first, then the lines, then signals.
        ax.plot(positions, series, color=MAIN_COLOUR, marker="o", label=y_label, gid="series", zorder=3)
        _draw_reference_lines(ax, positions, as_floats(mean), as_floats(ucl), as_floats(lcl))
        _draw_special_causes(ax, positions, series, point_types or [])
        lines = [
            *polyline(positions, series),
            *(run for limit in (mean, ucl, lcl) for run in step_path(positions, as_floats(limit))),
        ]
        _label_latest(figure, ax, positions, series, lines, latest_label)
        _format_axes(ax, periods, [*series, *as_floats(ucl)], y_label)
        set_title(ax, title)
        _add_legend(figure, ax)
        return figure


def _check_point_types(point_types: Sequence[str]) -> None:
    """Refuse unknown point types: a typo would otherwise hide a signal."""
    unknown = sorted(set(point_types) - POINT_TYPES)
    if unknown:
        raise ValueError(f"unknown point types {unknown}; expected one of {sorted(POINT_TYPES)}")


def _draw_reference_lines(
    ax: Axes, positions: list[int], mean: list[float], ucl: list[float], lcl: list[float]
) -> None:
    """Draw the mean solid and both limits dashed, stepping half-way between months.

    The "steps-mid" style shows a rebase as a clean step rather than a slope
    that would suggest the limits drifted.
    """
    common: dict[str, Any] = {"color": REFERENCE_COLOUR, "drawstyle": "steps-mid", "zorder": 2}
    ax.plot(positions, mean, linestyle="-", linewidth=1.5, label="Mean", gid="mean", **common)
    ax.plot(positions, ucl, linestyle="--", linewidth=1.2, label="Control limits", gid="ucl", **common)
    ax.plot(positions, lcl, linestyle="--", linewidth=1.2, label="_nolegend_", gid="lcl", **common)


def _draw_special_causes(ax: Axes, positions: list[int], series: list[float], point_types: Sequence[str]) -> None:
    """Overlay each kind of special-cause point with its own marker and colour."""
    for point_type, style in SPECIAL_CAUSE_STYLES.items():
        chosen = [i for i, kind in enumerate(point_types) if kind == point_type]
        if not chosen:
            continue
        ax.plot(
            [positions[i] for i in chosen],
            [series[i] for i in chosen],
            linestyle="none",
            marker=style.marker,
            markersize=SPECIAL_MARKER_SIZE,
            color=style.colour,
            label=style.label,
            gid=point_type,
            zorder=4,
        )


def _label_latest(
    figure: Figure, ax: Axes, positions: list[int], series: list[float], lines: list[Any], text: str | None
) -> None:
    """Write ``text`` beside the latest point, where it crosses none of the chart's lines.

    Where it goes is decided once the plot has its final size (``annotate.place_label``):
    beside the point if there is room, else in the band kept free at the top (``HEADROOM``)
    with a leader line that crosses nothing, else in that band alone.
    """
    if not text:
        return
    latest = max(i for i, v in enumerate(series) if math.isfinite(v))
    label = ax.annotate(
        text,
        xy=(positions[latest], series[latest]),
        xytext=(1.0, 0.99),
        textcoords="axes fraction",
        ha="right",
        va="top",
        color=LABEL_COLOUR,
        fontsize=SMALL_FONT_SIZE,
        arrowprops={
            "arrowstyle": "-",
            "color": LABEL_COLOUR,
            "linewidth": 0.8,
            "relpos": (1.0, 0.0),  # from the end of the text, not its middle
            "shrinkB": 5,
        },
        gid="latest-label",
        zorder=5,
        in_layout=False,  # inside the axes by construction: nothing for the layout to make room for
    )
    radius = SPECIAL_MARKER_SIZE / 2
    after_layout(figure, lambda renderer: place_label(ax, label, renderer, lines, radius))


def _format_axes(ax: Axes, periods: Sequence[date], drawn: list[float], y_label: str) -> None:
    """Start the y axis at zero (or below the lowest value) and label months, e.g. "Oct 2015"."""
    finite = [v for v in drawn if math.isfinite(v)]
    top = max(max(finite), 0.0)
    bottom = min(min(finite), 0.0)
    ax.set_ylim(bottom * HEADROOM, top * HEADROOM if top > 0 else 1.0)
    ax.set_xlim(-0.5, len(periods) - 0.5)
    ticks, labels = month_ticks(periods)
    ax.set_xticks(ticks, labels)
    ax.set_ylabel(y_label)
    thousands_axis(ax, "y")


def _add_legend(figure: Figure, ax: Axes) -> None:
    """Put the legend under the chart, where it does not cover recent months.

    The series comes first, then the reference lines, then the signals; with
    three columns filled top to bottom, signals sit apart from the lines.
    """
    handles, labels = ax.get_legend_handles_labels()
    bottom_legend(figure, handles, labels, columns=3)
