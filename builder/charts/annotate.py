"""Writing a label beside a chart's latest point where it crosses no line of the chart.

The trend chart names its latest month beside the point. Written at a fixed place, the
label (or its leader line) ran across the series or a control limit whenever the series
ended high or low. Here the candidate places are tried in order, once the plot has its
final size, and the first whose text box and leader line touch no drawn line is kept;
the last resort is the empty band the chart keeps above its highest value, with no
leader line, where the label names the month it describes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.path import Path
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

CLEARANCE = 3.0
"""Points kept between the label and any line."""


@dataclass(frozen=True)
class Spot:
    """One place to try: an offset from the point (or a place in the axes) and the text's alignment."""

    offset: tuple[float, float]
    ha: Literal["left", "center", "right"]
    va: Literal["bottom", "top"]
    coords: str = "offset points"
    leader: bool = False


SPOTS = (
    Spot((-8, 6), "right", "bottom"),
    Spot((-8, -6), "right", "top"),
    Spot((-8, 16), "right", "bottom"),
    Spot((-8, -16), "right", "top"),
    Spot((1.0, 0.99), "right", "top", "axes fraction", leader=True),
)
LAST_RESORT = Spot((1.0, 0.99), "right", "top", "axes fraction")
"""The band above the highest value, which ``trend.HEADROOM`` keeps free of data."""


def step_path(positions: Sequence[float], values: Sequence[float]) -> list[np.ndarray]:
    """A "steps-mid" line as drawn: flat across each month, vertical half-way between months."""
    runs: list[np.ndarray] = []
    current: list[tuple[float, float]] = []
    for x, y in zip(positions, values):
        if not math.isfinite(y):
            if current:
                runs.append(np.array(current))
            current = []
            continue
        current += [(x - 0.5, y), (x + 0.5, y)]
    if current:
        runs.append(np.array(current))
    return runs


def polyline(positions: Sequence[float], values: Sequence[float]) -> list[np.ndarray]:
    """A line through the points, split at gaps (NaN), as matplotlib draws it."""
    runs: list[np.ndarray] = []
    current: list[tuple[float, float]] = []
    for x, y in zip(positions, values):
        if math.isfinite(y):
            current.append((x, y))
        elif current:
            runs.append(np.array(current))
            current = []
    if current:
        runs.append(np.array(current))
    return runs


def place_label(
    ax: Axes, label: Annotation, renderer: RendererBase, lines: Sequence[np.ndarray], marker_points: float
) -> None:
    """Move ``label`` to the first spot where it and its leader cross none of ``lines`` (data coordinates).

    ``marker_points`` is the radius of the point markers, kept clear as well as the lines.
    """
    to_pixels = ax.figure.dpi / 72
    paths = [Path(ax.transData.transform(run)) for run in lines if len(run)]
    frame = ax.get_window_extent(renderer)
    point = ax.transData.transform(label.xy)
    for spot in (*SPOTS, LAST_RESORT):
        _apply(label, spot)
        label.update_positions(renderer)  # place the text for the new spot before measuring it
        box = Text.get_window_extent(label, renderer)  # the text alone: an Annotation's own box includes its leader
        clear = (CLEARANCE + (0 if spot.leader or spot is LAST_RESORT else marker_points)) * to_pixels
        padded = Bbox.from_extents(box.x0 - clear, box.y0 - clear, box.x1 + clear, box.y1 + clear)
        inside = frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1 and frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1
        if spot is LAST_RESORT:
            return
        if not inside or any(path.intersects_bbox(padded, filled=False) for path in paths):
            continue
        if spot.leader and not _leader_clear(box, point, paths, marker_points * to_pixels):
            continue
        return


def _apply(label: Annotation, spot: Spot) -> None:
    label.set_anncoords(spot.coords)
    label.xyann = spot.offset
    label.set_horizontalalignment(spot.ha)
    label.set_verticalalignment(spot.va)
    if label.arrow_patch is not None:
        label.arrow_patch.set_visible(spot.leader)


def _leader_clear(box: Bbox, point: np.ndarray, paths: Sequence[Path], shrink: float) -> bool:
    """Whether the leader from the text's lower right corner to the point crosses no line."""
    start = np.array([box.x1, box.y0])
    direction = point - start
    length = float(np.hypot(*direction))
    if length <= shrink:
        return True
    end = point - direction / length * shrink
    leader = Path(np.array([start, end]))
    return not any(path.intersects_path(leader, filled=False) for path in paths)
