"""The special-cause rules of an XmR chart, applied within one baseline group.

Split from ``spc`` so the limits and the rules can each be read on one screen; the
rules are documented, with the reference implementation's choices, in ``spc``'s
module docstring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Direction = Literal["increase", "decrease", "neutral"]

RUN_LENGTH = 7

_DIRECTION_SIGN = {"increase": 1, "decrease": -1, "neutral": 0}


@dataclass(frozen=True)
class Limits:
    """The process limits of one baseline group."""

    mean: float
    amr: float
    lcl: float
    ucl: float
    close_low: float
    close_high: float


def sides(values: Sequence[float], mean: float) -> list[int]:
    """+1 above, -1 below, 0 exactly on the mean."""
    return [(y > mean) - (y < mean) for y in values]


def shift_flags(point_sides: Sequence[int]) -> list[bool]:
    """Points in a run of RUN_LENGTH or more on one side of the mean.

    A point on the mean (side 0) belongs to no run, so it breaks a shift.
    """
    flags = [False] * len(point_sides)
    for start, stop in _runs(point_sides):
        if point_sides[start] != 0 and stop - start >= RUN_LENGTH:
            flags[start:stop] = [True] * (stop - start)
    return flags


def trend_flags(values: Sequence[float]) -> list[bool]:
    """Points in a run of RUN_LENGTH or more, each strictly above (or below) the last.

    NHSRplotthedots checks windows of 7 points with 6 differences
    (ptd_seven_point_trend: ``sign(diff(y[i - 0:6]))``), so 7 points with 6
    rises is a trend; any tie breaks it.
    """
    steps = [(b > a) - (b < a) for a, b in zip(values, values[1:])]
    flags = [False] * len(values)
    for start, stop in _runs(steps):
        if steps[start] != 0 and stop - start >= RUN_LENGTH - 1:
            flags[start : stop + 1] = [True] * (stop - start + 1)
    return flags


def two_of_three_flags(close: Sequence[bool], point_sides: Sequence[int]) -> list[bool]:
    """Close-to-limit points in a window of 3 with >= 2 close, all on one side.

    Only points between the close line and the limit count, matching the
    reference (issue #153: a point beyond the limit is flagged by that rule,
    not counted towards 2 of 3). Windows never extend beyond the group.
    """
    flags = [False] * len(close)
    for start in range(len(close) - 2):
        window = range(start, start + 3)
        window_sides = {point_sides[i] for i in window}
        if sum(close[i] for i in window) >= 2 and len(window_sides) == 1 and 0 not in window_sides:
            for i in window:
                flags[i] = flags[i] or close[i]
    return flags


def classify(ys: Sequence[float], lim: Limits) -> list[tuple[str | None, int]]:
    """(rule, signal sign) per point of one group; sign +1 high, -1 low, 0 none.

    The sign says which way the signal points: the side of the limit or the
    mean for most rules, but the direction of travel for a trend, so that a
    falling trend above the mean is still a fall (NHSRplotthedots PR #180).
    """
    point_sides = sides(ys, lim.mean)
    beyond = [y > lim.ucl or y < lim.lcl for y in ys]
    close = [not out and (y < lim.close_low or y > lim.close_high) for y, out in zip(ys, beyond)]
    trend = trend_flags(ys)
    two_of_three = two_of_three_flags(close, point_sides)
    shift = shift_flags(point_sides)
    out: list[tuple[str | None, int]] = []
    for i, side in enumerate(point_sides):
        side_sign = 1 if side > 0 else -1
        if beyond[i]:
            out.append(("beyond_limit", side_sign))
        elif trend[i]:
            out.append(("trend", _trend_sign(ys, trend, i)))
        elif two_of_three[i]:
            out.append(("two_of_three", side_sign))
        elif shift[i]:
            out.append(("shift", side_sign))
        else:
            out.append((None, 0))
    return out


def _trend_sign(ys: Sequence[float], trend: Sequence[bool], i: int) -> int:
    """Direction of the trend through point ``i``: +1 rising, -1 falling.

    As in the reference, a point whose successor is also in a trend takes the
    step to its successor, otherwise the step from its predecessor; this
    decides the turning point between a rising and a falling trend.
    """
    if i + 1 < len(ys) and trend[i + 1]:
        step = ys[i + 1] - ys[i]
    else:
        step = ys[i] - ys[i - 1]
    return 1 if step > 0 else -1


def point_type(sign: int, direction: Direction) -> str:
    """Map a signal's sign to a point type for the measure's direction."""
    wanted = _DIRECTION_SIGN[direction]
    if wanted == 0:
        return "special_cause_neutral_high" if sign > 0 else "special_cause_neutral_low"
    return "special_cause_improvement" if sign == wanted else "special_cause_concern"


def _runs(items: Sequence[int]) -> list[tuple[int, int]]:
    """Half-open ranges of maximal runs of equal consecutive items."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(items) + 1):
        if i == len(items) or items[i] != items[start]:
            runs.append((start, i))
            start = i
    return runs
