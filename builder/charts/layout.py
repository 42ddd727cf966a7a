"""Placing a chart's one plot area: fit the texts around it to the page, then fix the margins.

matplotlib's constrained layout measures every title, tick label and legend two or
three times over and was 40% of a chart's drawing time. A pack's charts have one plot
area each, with the title above, tick and axis labels beside and below, and any legend
along the bottom of the figure; a measurement or two of those is enough to place it.

Nothing may be drawn outside the figure, for any force's names: the title is wrapped
to the figure's width (measured, not guessed), and the margins are measured again when the new plot size brought new tick
labels (a "1,000" at the end of the axis). Work that needs the plot's final size, such
as room for the value labels or where to write the latest point's label, is given to
the engine as ``after`` steps and run before the margins are measured again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine, LayoutEngine
from matplotlib.text import Text

from builder.charts.fitting import PAD, TITLE_GID, wrap_to_width

PASSES = 3
"""Measurements at most: a second pass catches tick labels that appear with the new plot size."""

After = Callable[[RendererBase], None]
"""A step that needs the plot's final position, e.g. fitting the value labels."""


class Margins(NamedTuple):
    """Pixels around the plot area, as ``subplots_adjust`` takes them (fractions made later)."""

    left: float
    right: float
    bottom: float
    top: float

    def close_to(self, other: Margins | None) -> bool:
        """Within a pixel on every side: the layout has settled."""
        return other is not None and all(abs(a - b) <= 1 for a, b in zip(self, other))


class MarginLayout(LayoutEngine):
    """Size the margins around a figure's single axes to the texts around it.

    Figure legends are expected along the bottom edge ("lower center"), as the charts put
    them. The axes title starts at the figure's left edge, as the Analysis Function's
    charts place it ("plot"-aligned), so it has the whole width whatever the labels
    beside the plot. A figure with more than one axes is left to constrained layout.
    """

    _adjust_compatible = True
    _colorbar_gridspec = False

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.after: list[After] = []

    def execute(self, fig: Figure) -> None:
        """Fit the title and legends, then set the axes position so everything fits inside the figure."""
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # an Agg canvas: see style.new_figure
        if len(fig.axes) != 1:
            ConstrainedLayoutEngine().execute(fig)
            self._run_after(renderer)
            return
        (ax,) = fig.axes
        pad = PAD * fig.dpi
        usable = fig.bbox.width - 2 * pad
        title = chart_title(ax)
        if title is not None:
            wrap_to_width(title, renderer, usable)
        previous: Margins | None = None
        for _ in range(PASSES):
            margins = _margins(fig, ax, title, renderer, pad)
            if margins is None:
                ConstrainedLayoutEngine().execute(fig)  # which squeezes as best it can, with a warning
                break
            if margins.close_to(previous):
                break
            width, height = fig.bbox.width, fig.bbox.height
            fig.subplots_adjust(
                left=margins.left / width,
                right=1 - margins.right / width,
                bottom=margins.bottom / height,
                top=1 - margins.top / height,
            )
            self._run_after(renderer)
            previous = margins
        if title is not None:
            _align_title(ax, title, pad)

    def _run_after(self, renderer: RendererBase) -> None:
        for step in self.after:
            step(renderer)


def chart_title(ax: Axes) -> Text | None:
    """The chart's title artist (``common.set_title`` marks it), if it has one."""
    found = ax.findobj(lambda artist: isinstance(artist, Text) and artist.get_gid() == TITLE_GID, include_self=False)
    return found[0] if found else None  # type: ignore[return-value]


def _margins(fig: Figure, ax: Axes, title: Text | None, renderer: RendererBase, pad: float) -> Margins | None:
    """The margins the plot's decorations need, or None when they are wider or taller than the figure."""
    legend = sum(lg.get_window_extent(renderer).height + pad for lg in fig.legends)
    frame = ax.get_window_extent(renderer)
    above = 0.0
    if title is not None and title.get_visible():
        above = title.get_window_extent(renderer).y1 - frame.y1
        title.set_visible(False)  # measured on its own: it spans the figure, not the plot
    try:
        tight = ax.get_tightbbox(renderer)
    finally:
        if title is not None:
            title.set_visible(True)
    if tight is None:
        tight = frame
    above = max(tight.y1 - frame.y1, above)
    margins = Margins(
        left=pad + (frame.x0 - tight.x0),
        right=pad + (tight.x1 - frame.x1),
        bottom=pad + legend + (frame.y0 - tight.y0),
        top=pad + max(above, 0.0),
    )
    if margins.left + margins.right >= fig.bbox.width or margins.bottom + margins.top >= fig.bbox.height:
        return None
    return margins


def _align_title(ax: Axes, title: Text, pad: float) -> None:
    """Start the title at the figure's left edge (inside the pad), above the plot."""
    frame = ax.get_position()  # figure fraction: known without drawing
    fig_width = ax.get_figure(root=True).bbox.width  # type: ignore[union-attr]
    if frame.width <= 0:
        return
    title.set_x((pad / fig_width - frame.x0) / frame.width)


def after_layout(figure: Figure, step: After) -> None:
    """Run ``step`` each time the figure's plot is placed (nothing without a MarginLayout)."""
    engine = figure.get_layout_engine()
    if isinstance(engine, MarginLayout):
        engine.after.append(step)
