"""XmR (individuals) control charts, as NHS England's "Making Data Count" reads them.

Police and NHS performance teams read a trend chart by its XmR limits and a
fixed set of special-cause rules, so the numbers here must match the method
they already trust. The reference is the NHS-R community's NHSRplotthedots
(R/ptd_spc_standard.R and R/ptd_calculate_point_type.R); where this module
makes a choice, the docstring says what the reference does and why.

Method, per baseline group (a group starts at the first period and at each
rebase period):

* mean of the baseline points (the first ``baseline`` points of the group,
  or all of them); moving ranges ``|y(i) - y(i-1)|`` between consecutive
  baseline points of the group only, never across a rebase;
* average moving range (AMR); when screening, ranges of 3.267 x AMR or more
  are dropped and the AMR recomputed once (the NHS Excel tools do not screen);
* limits ``mean +/- 2.66 x AMR``; "close to a limit" means beyond
  ``mean +/- (2/3 x 2.66) x AMR`` but not beyond the limit itself.

Rules, applied within a group, highest priority first (the ``rule`` of a
point is the first that applies):

1. ``beyond_limit``: strictly above the upper or below the lower limit;
2. ``trend``: part of 7 consecutive points each strictly higher (or each
   strictly lower) than the one before, i.e. 6 consecutive rises or falls; a
   tie breaks the run;
3. ``two_of_three``: a close-to-limit point in a window of 3 consecutive
   points of which at least 2 are close to a limit and all 3 are on the same
   side of the mean; points beyond a limit do not count towards the 2;
4. ``shift``: part of 7 or more consecutive points on the same side of the
   mean; a point exactly on the mean breaks the run.

This module does no I/O: it is a pure function over a series, so the pack,
the charts and the ``perfpack spc`` command all share one implementation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from builder.figures.spc_rules import (  # noqa: F401 - re-exported: the rules are part of this API
    _DIRECTION_SIGN,
    RUN_LENGTH,
    Direction,
    Limits,
    classify,
    point_type,
    shift_flags,
    sides,
    trend_flags,
    two_of_three_flags,
)

Side = Literal["upper", "lower"]

LIMIT_FACTOR = 2.66
"""Limits sit at mean +/- 2.66 x AMR (3 sigma for an individuals chart)."""

CLOSE_FACTOR = 2 * LIMIT_FACTOR / 3
"""'Close to a limit' starts at two thirds of the way to the limit (2 sigma)."""

SCREEN_FACTOR = 3.267
"""Moving ranges of 3.267 x AMR or more are outliers (the mR chart's upper limit)."""

"""Points needed for a shift or a trend, as in Making Data Count."""

MIN_BASELINE = 12
"""Fewest points a fixed baseline may use (NHSRplotthedots rejects fewer)."""

TRIAL_BELOW = 13
"""A group with fewer points than this has trial limits (NHSRplotthedots' threshold)."""

POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)

RULES = ("beyond_limit", "trend", "two_of_three", "shift")


@dataclass(frozen=True)
class SpcPoint:
    """One period of an XmR chart: its value, its group's limits and its signal.

    ``moving_range`` is the range to the previous point of the same group
    (``None`` for a group's first point); only the baseline's ranges feed
    ``amr``. ``rule`` is the highest-priority rule that flags the point, or
    ``None`` for common-cause variation.
    """

    period: date
    value: float
    mean: float
    lcl: float
    ucl: float
    amr: float
    moving_range: float | None
    point_type: str
    rule: str | None
    trial_limits: bool
    group: int

    @property
    def is_special(self) -> bool:
        """True when a special-cause rule flags this point."""
        return self.rule is not None


@dataclass(frozen=True)
class SpcResult:
    """A whole chart: the points in period order and the measure's direction."""

    points: tuple[SpcPoint, ...]
    direction: Direction

    @property
    def latest(self) -> SpcPoint:
        """The most recent point, which the pack's variation label describes."""
        return self.points[-1]

    @property
    def means(self) -> list[float]:
        """Mean line values, one per point, for plotting."""
        return [p.mean for p in self.points]

    @property
    def ucls(self) -> list[float]:
        """Upper control limit values, one per point, for plotting."""
        return [p.ucl for p in self.points]

    @property
    def lcls(self) -> list[float]:
        """Lower control limit values, one per point, for plotting."""
        return [p.lcl for p in self.points]

    def first_breach(self, side: Side = "upper") -> SpcPoint | None:
        """The earliest point strictly beyond the ``side`` limit, or ``None``.

        A narrative such as "breached the upper control limit in July" needs
        the first breach, not any breach.
        """
        if side == "upper":
            return next((p for p in self.points if p.value > p.ucl), None)
        if side == "lower":
            return next((p for p in self.points if p.value < p.lcl), None)
        raise ValueError(f"side must be 'upper' or 'lower', not {side!r}")

    def to_records(self) -> list[dict[str, Any]]:
        """JSON-ready dicts, one per point (period as an ISO date string)."""
        return [
            {
                "period": p.period.isoformat(),
                "value": p.value,
                "mean": p.mean,
                "lcl": p.lcl,
                "ucl": p.ucl,
                "amr": p.amr,
                "moving_range": p.moving_range,
                "point_type": p.point_type,
                "rule": p.rule,
                "trial_limits": p.trial_limits,
                "group": p.group,
            }
            for p in self.points
        ]


def xmr(
    periods: Sequence[date],
    values: Sequence[float],
    *,
    direction: Direction = "decrease",
    screen: bool = True,
    baseline: int | None = None,
    rebase: Sequence[date] = (),
) -> SpcResult:
    """Compute an XmR chart with Making Data Count special-cause rules.

    ``direction`` is the direction of improvement (crime counts: "decrease").
    ``screen`` drops moving-range outliers before setting limits.
    ``baseline`` fixes each group's limits on its first N points (N >= 12).
    ``rebase`` lists periods at which limits are recalculated; each starts a
    new group.

    Raises ValueError for input the method cannot be applied to: mismatched
    lengths, non-finite values, periods not strictly increasing, a baseline
    under 12, a rebase period that is not in the series, or a group of fewer
    than 2 points (no moving range exists).
    """
    ys = _validated_values(periods, values)
    _check_periods(periods)
    if direction not in _DIRECTION_SIGN:
        raise ValueError(f"direction must be 'increase', 'decrease' or 'neutral', not {direction!r}")
    _check_baseline(baseline)
    points: list[SpcPoint] = []
    for group, (start, stop) in enumerate(group_bounds(periods, rebase)):
        points.extend(
            _group_points(
                periods[start:stop],
                ys[start:stop],
                group=group,
                direction=direction,
                screen=screen,
                baseline=baseline,
            )
        )
    return SpcResult(points=tuple(points), direction=direction)


def _validated_values(periods: Sequence[date], values: Sequence[float]) -> list[float]:
    """Floats of ``values``; limits are meaningless with NaN or infinity in them."""
    if len(periods) != len(values):
        raise ValueError(f"periods and values differ in length ({len(periods)} and {len(values)})")
    ys = [float(v) for v in values]
    for period, y in zip(periods, ys):
        if not math.isfinite(y):
            raise ValueError(f"value for {period.isoformat()} is not a finite number ({y})")
    return ys


def _check_periods(periods: Sequence[date]) -> None:
    """Require strictly increasing periods: moving ranges assume series order."""
    for before, after in zip(periods, periods[1:]):
        if not after > before:
            raise ValueError(f"periods must be strictly increasing: {after.isoformat()} follows {before.isoformat()}")


def _check_baseline(baseline: int | None) -> None:
    """Reject baselines too short for stable limits, as NHSRplotthedots does."""
    if baseline is None:
        return
    if isinstance(baseline, bool) or not isinstance(baseline, int):
        raise ValueError(f"baseline must be a whole number of points, not {baseline!r}")
    if baseline < MIN_BASELINE:
        raise ValueError(
            f"baseline must be at least {MIN_BASELINE} points, not {baseline} "
            f"(fewer give unreliable limits); use {MIN_BASELINE} or more"
        )


def group_bounds(periods: Sequence[date], rebase: Sequence[date]) -> list[tuple[int, int]]:
    """Half-open index ranges of the baseline groups split at ``rebase`` periods.

    Unlike NHSRplotthedots, which silently ignores a rebase date that matches
    no row, an unmatched date is an error here: a mistyped date in the config
    would otherwise leave the limits unrebased without anyone noticing.
    """
    index = {period: i for i, period in enumerate(periods)}
    cuts: set[int] = set()
    for when in rebase:
        if when not in index:
            raise ValueError(
                f"rebase period {when.isoformat()} is not one of the series' periods; "
                "rebase at a period that has a value"
            )
        cuts.add(index[when])
    starts = sorted(cuts | {0})
    stops = starts[1:] + [len(periods)]
    bounds = list(zip(starts, stops))
    for start, stop in bounds:
        if stop - start < 2:
            raise ValueError(
                f"the group starting {periods[start].isoformat()} has "
                f"{stop - start} point(s), but at least 2 are needed for a moving range; "
                "add data or move the rebase"
            )
    return bounds


def moving_ranges(values: Sequence[float]) -> list[float]:
    """Absolute differences between consecutive values (one fewer than values)."""
    return [abs(after - before) for before, after in zip(values, values[1:])]


def average_moving_range(values: Sequence[float], *, screen: bool) -> float:
    """The AMR of ``values``, optionally screened once for outlying ranges.

    The reference keeps ranges strictly below 3.267 x AMR. For a flat
    baseline (AMR 0) it would then keep none and produce NaN limits; here the
    AMR stays 0, because a flat baseline genuinely has no variation.
    """
    ranges = moving_ranges(values)
    amr = math.fsum(ranges) / len(ranges)
    if not screen:
        return amr
    kept = [r for r in ranges if r < SCREEN_FACTOR * amr]
    if not kept:
        return amr
    return math.fsum(kept) / len(kept)


def limits(values: Sequence[float], *, screen: bool) -> Limits:
    """Mean, AMR and limits computed from baseline ``values``."""
    mean = math.fsum(values) / len(values)
    amr = average_moving_range(values, screen=screen)
    return Limits(
        mean=mean,
        amr=amr,
        lcl=mean - LIMIT_FACTOR * amr,
        ucl=mean + LIMIT_FACTOR * amr,
        close_low=mean - CLOSE_FACTOR * amr,
        close_high=mean + CLOSE_FACTOR * amr,
    )


def _group_points(
    periods: Sequence[date],
    ys: list[float],
    *,
    group: int,
    direction: Direction,
    screen: bool,
    baseline: int | None,
) -> list[SpcPoint]:
    """Points of one group: limits from its baseline, rules over all its points."""
    base = ys if baseline is None else ys[:baseline]
    lim = limits(base, screen=screen)
    signals = classify(ys, lim)
    trial = len(ys) < TRIAL_BELOW
    ranges: list[float | None] = [None, *moving_ranges(ys)]
    return [
        SpcPoint(
            period=period,
            value=y,
            mean=lim.mean,
            lcl=lim.lcl,
            ucl=lim.ucl,
            amr=lim.amr,
            moving_range=mr,
            point_type=point_type(sign, direction) if rule else "common_cause",
            rule=rule,
            trial_limits=trial,
            group=group,
        )
        for period, y, mr, (rule, sign) in zip(periods, ys, ranges, signals)
    ]
