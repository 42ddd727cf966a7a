"""The chart style as data: afcharts' rcParams scaled to an A4 page (the colours are in ``palette``).

The Government Analysis Function (AF) publishes both the palette and a
matplotlib style through the ``afcharts`` package. Reading them from there,
rather than copying hex codes, keeps the pack in step with the guidance when
the package updates. afcharts sizes text for full-screen charts (14pt); the
pack's charts are printed about 16 cm wide, so the sizes are scaled down, never
below 9pt, which stays legible on paper and when the PDF is zoomed.

Every chart function wraps its drawing in ``chart_style()`` so nothing leaks
into the global rcParams of whoever imports perfpack (a notebook, the tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import afcharts
from matplotlib import rc_context, rc_params_from_file
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from builder.charts.layout import MarginLayout
from builder.charts.palette import BACKGROUND

AFCHARTS_STYLE = Path(afcharts.__file__).with_name("afcharts.mplstyle")

FIGURE_WIDTH = 6.3
"""Inches: the text width of an A4 portrait page with 2.5 cm margins (16 cm)."""

FIGURE_HEIGHT = 3.4
"""Inches: leaves room for two charts and some text on one page."""

BASE_FONT_SIZE = 10.0
SMALL_FONT_SIZE = 9.0
TITLE_FONT_SIZE = 11.0

_OVERRIDES: dict[str, Any] = {
    "font.size": BASE_FONT_SIZE,
    "axes.titlesize": TITLE_FONT_SIZE,
    "axes.titleweight": "bold",
    "axes.titlepad": 10.0,
    "axes.labelsize": BASE_FONT_SIZE,
    "xtick.labelsize": SMALL_FONT_SIZE,
    "ytick.labelsize": SMALL_FONT_SIZE,
    "legend.fontsize": SMALL_FONT_SIZE,
    "figure.figsize": (FIGURE_WIDTH, FIGURE_HEIGHT),
    "figure.facecolor": BACKGROUND,
    "axes.facecolor": BACKGROUND,
    "savefig.facecolor": BACKGROUND,
    "lines.markersize": 4.0,
    "hatch.linewidth": 1.0,
    # Font hinting snaps glyphs to a screen's pixel grid; at 200 dpi it changes nothing
    # a reader can see, and it was a tenth of each chart's drawing time.
    "text.hinting": "no_hinting",
}


def _afcharts_rc() -> dict[str, Any]:
    """Read afcharts' mplstyle without matplotlib's defaults mixed in."""
    return {str(k): v for k, v in rc_params_from_file(AFCHARTS_STYLE, use_default_template=False).items()}


RC: dict[str, Any] = {**_afcharts_rc(), **_OVERRIDES}
"""rcParams for every perfpack chart: afcharts' style, resized for the page."""


@contextmanager
def chart_style(extra: dict[str, Any] | None = None) -> Iterator[None]:
    """Apply ``RC`` (plus any ``extra`` keys) for the drawing of one chart only."""
    with rc_context({**RC, **(extra or {})}):  # type: ignore[dict-item]  # RcParams keys are typed as literals
        yield


def new_figure(height: float = FIGURE_HEIGHT) -> Figure:
    """Create a page-width figure rendered by Agg, whatever backend is active.

    ``Figure()`` is used instead of ``pyplot.figure()`` so that pyplot keeps no
    reference (nothing to close, no leak in a long build), and the
    Agg canvas is attached explicitly so rendering never touches a GUI backend.
    ``MarginLayout`` keeps long labels, titles and legends inside the figure.
    Call it inside ``chart_style()`` so the figure picks up the style.
    """
    figure = Figure(figsize=(FIGURE_WIDTH, height), layout=MarginLayout())
    FigureCanvasAgg(figure)
    return figure
