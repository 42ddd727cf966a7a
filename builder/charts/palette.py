"""The chart colours as plain data: the Analysis Function palette and the roles it plays.

Kept free of matplotlib so that the accessibility checker, which runs after every
build, can check the chart colours without paying for a matplotlib import. The
palette is read from ``afcharts`` (its colour module needs no matplotlib), so the
pack stays in step with the guidance when the package updates.
"""

from __future__ import annotations

from afcharts.af_colours import get_af_colours

PALETTE: tuple[str, ...] = tuple(get_af_colours("categorical"))
"""The AF categorical palette, in the order the guidance says to use it (6 colours)."""

DUO: tuple[str, str] = tuple(get_af_colours("duo"))
"""The AF palette for exactly two series: dark blue, orange."""

MAX_CATEGORIES = len(PALETTE)
"""AF guidance: no more colour-coded categories than the palette has colours."""

DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE = PALETTE

MAIN_COLOUR = DARK_BLUE
"""Single-series marks (bars, the trend line): the first palette colour."""

REFERENCE_COLOUR = DARK_GREY
"""Mean and control limits: dark grey, told apart from the data by line style."""

LABEL_COLOUR = "#1A1A1A"
"""Direct labels and annotations: near-black, matching afcharts' label colour."""

BACKGROUND = "#FFFFFF"
"""Figure and plot background: white, so contrast is judged against white."""
