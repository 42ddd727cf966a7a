"""Helpers shared by the chart families: categories, labels, titles, the "No data" figure.

They hold the AF rules that apply to every chart (a title that says what the
chart shows, aligned left; at most six colour-coded categories; readable
labels) so that each chart module only says what is particular to it.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from datetime import date

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from builder.charts.fitting import TITLE_GID
from builder.charts.palette import LABEL_COLOUR, MAX_CATEGORIES
from builder.charts.style import new_figure

OTHER = "Other"
LABEL_WIDTH = 25
"""Characters per line of a category label before it wraps."""

TITLE_WIDTH = 58
"""Characters per line of a bold 11pt title that fit across a 6.3 inch figure."""


def limit_categories(
    labels: Sequence[str], values: Sequence[float], max_n: int = MAX_CATEGORIES
) -> tuple[list[str], list[float]]:
    """Keep the largest categories and sum the rest into "Other", at most ``max_n`` in all.

    AF guidance allows no more colour-coded categories than its palette has
    colours. The result is sorted largest first with "Other" last, because
    "Other" is a remainder, not a category to rank. A category already called
    "Other" is folded into the remainder rather than shown twice.
    """
    if max_n < 1:
        raise ValueError("max_n must be at least 1")
    check_lengths(labels, values)
    pairs = [(str(label), float(value)) for label, value in zip(labels, values)]
    other_total = sum(value for label, value in pairs if label == OTHER)
    has_other = any(label == OTHER for label, _ in pairs)
    named = sorted((p for p in pairs if p[0] != OTHER), key=lambda p: -p[1])
    if len(named) + has_other > max_n:
        keep = max_n - 1
        other_total += sum(value for _, value in named[keep:])
        named, has_other = named[:keep], True
    kept_labels = [label for label, _ in named] + ([OTHER] if has_other else [])
    kept_values = [value for _, value in named] + ([other_total] if has_other else [])
    return kept_labels, kept_values


def check_lengths(*sequences: Sequence[object]) -> None:
    """Refuse mismatched inputs: silently zipping them would drop data."""
    lengths = {len(s) for s in sequences}
    if len(lengths) > 1:
        raise ValueError(f"sequences differ in length: {sorted(lengths)}")


LABEL_LINES = 3
"""Lines of a category label at most; a longer one ends with an ellipsis (the table beside it has it whole)."""


def wrap_label(label: str, width: int = LABEL_WIDTH, max_lines: int = LABEL_LINES) -> str:
    """Wrap a long category label onto a few lines so bars keep their width and the label its place.

    Words longer than a line are broken rather than left to run into the plot, and a label
    longer than ``max_lines`` lines is cut short with an ellipsis, so no force's names can
    push the plot off the page.
    """
    lines = textwrap.wrap(str(label), width=width, break_on_hyphens=False) or [str(label)]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return "\n".join(lines)


def format_count(value: float) -> str:
    """Format a count with thousands separators: 15932 -> "15,932"."""
    return f"{value:,.0f}"


def format_share(share: float) -> str:
    """Format a fraction as a whole percentage; a non-zero share under 0.5% reads "<1%"."""
    if 0 < share < 0.005:
        return "<1%"
    return f"{share * 100:.0f}%"


def month_label(period: date) -> str:
    """Format a month as the pack writes it: "Oct 2015"."""
    return period.strftime("%b %Y")


def is_missing(value: float | None) -> bool:
    """Say whether a value is absent (None or NaN), so it is left out, not drawn as 0."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def as_floats(values: Sequence[float | None]) -> list[float]:
    """Convert to floats with missing values as NaN, which matplotlib leaves as gaps."""
    return [math.nan if is_missing(v) else float(v) for v in values]  # type: ignore[arg-type]


def month_ticks(periods: Sequence[date], max_ticks: int = 8) -> tuple[list[int], list[str]]:
    """Choose month tick positions every 1, 3, 6 or 12 months, counted back from the latest.

    Counting back from the latest period means the month the pack reports on is
    always labelled; at most ``max_ticks`` labels fit across the page at 9pt.
    """
    count = len(periods)
    step = next((s for s in (1, 3, 6, 12) if math.ceil(count / s) <= max_ticks), 12)
    positions = list(range(count - 1, -1, -step))[::-1]
    return positions, [month_label(periods[i]) for i in positions]


def set_title(ax: Axes, title: str) -> None:
    """Put the title on the axes, left-aligned as AF guidance says.

    Placed at the top of the plot area (``y=1``, the style's pad above it) rather than
    left for matplotlib to place: nothing is drawn above a chart's axes, and its
    automatic placement measured the whole value axis again at every layout and draw.
    The layout (``MarginLayout``) wraps it to the figure's measured width and starts it
    at the figure's left edge; it is wrapped here by a guess only for a figure never laid out.
    """
    text = ax.set_title(textwrap.fill(title, width=TITLE_WIDTH), loc="left", y=1.0)
    text.set_gid(TITLE_GID)


def thousands_axis(ax: Axes, axis: str = "y") -> None:
    """Show an axis's counts with thousands separators, like the pack's tables."""
    formatter = FuncFormatter(lambda value, _pos: format_count(value))
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(formatter)


def no_data_figure(title: str, note: str = "No data") -> Figure:
    """Return a figure that says there is nothing to show, instead of raising.

    A theme with no records in the period must not stop the whole pack from
    building; the reader sees the chart's title and an explicit note. Call it
    inside ``chart_style()``.
    """
    figure = new_figure()
    ax = figure.add_subplot()
    set_title(ax, title)
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        note,
        ha="center",
        va="center",
        color=LABEL_COLOUR,
        transform=ax.transAxes,
        gid="no-data",
        in_layout=False,
    )
    return figure
