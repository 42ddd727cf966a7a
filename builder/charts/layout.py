"""Placing a chart's one plot area: measure what surrounds it once, then fix the margins.

matplotlib's constrained layout measures every title, tick label and legend two or
three times over and was 40% of a chart's drawing time. A pack's charts have one plot
area each, with the title above, tick and axis labels beside and below, and any legend
along the bottom of the figure; one measurement of those is enough to place it.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine, LayoutEngine

PAD = 3 / 72
"""Inches kept clear at each edge of the figure and between the legend and the plot's labels
(constrained layout's default)."""


class MarginLayout(LayoutEngine):
    """Size the margins around a figure's single axes to the texts around it, measured once.

    Figure legends are expected along the bottom edge ("lower center"), as the charts put
    them. A figure with more than one axes is left to constrained layout.
    """

    _adjust_compatible = True
    _colorbar_gridspec = False

    def execute(self, fig: Figure) -> None:
        """Set the axes position so its decorations and the legends fit inside the figure."""
        if len(fig.axes) != 1:
            ConstrainedLayoutEngine().execute(fig)
            return
        (ax,) = fig.axes
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # an Agg canvas: see style.new_figure
        width, height = fig.bbox.width, fig.bbox.height
        pad = PAD * fig.dpi
        legend = sum(lg.get_window_extent(renderer).height + pad for lg in fig.legends)
        frame = ax.get_window_extent(renderer)
        tight = ax.get_tightbbox(renderer)
        if tight is None:  # nothing drawn around the plot: constrained layout decides
            ConstrainedLayoutEngine().execute(fig)
            return
        left = pad + (frame.x0 - tight.x0)
        right = pad + (tight.x1 - frame.x1)
        bottom = pad + legend + (frame.y0 - tight.y0)
        top = pad + (tight.y1 - frame.y1)
        if left + right >= width or bottom + top >= height:  # labels wider than the page: nothing fits
            ConstrainedLayoutEngine().execute(fig)  # which squeezes as best it can, with a warning
            return
        fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)
