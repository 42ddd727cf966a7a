"""XmR statistics and the sentence written from them.

Hand-built series use a baseline whose limits are easy to check by hand:
``BASE = [12, 10] * 6`` has mean 11 and every moving range 2, so with
``baseline=12`` the limits are 11 +/- 5.32 (5.68 to 16.32) and the
close-to-limit lines 11 +/- 3.5467 (7.4533 to 14.5467) for every point after
it. It ends below the mean, so nothing after it joins a run by accident.

Reference series (tests/data/spc/) were decoded from NHSRplotthedots' own
test snapshots; each file names its source.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest

from builder.figures.spc import (
    SCREEN_FACTOR,
    SpcResult,
    average_moving_range,
    point_type,
    shift_flags,
    sides,
    trend_flags,
    two_of_three_flags,
    xmr,
)
from builder.figures.spc_sentence import month_year, spc_sentence

DATA = Path(__file__).parent / "data" / "spc"
BASE = [12.0, 10.0] * 6


def months(count: int, start: date = date(2017, 1, 1)) -> list[date]:
    """``count`` consecutive month starts from ``start``."""
    out = []
    year, month = start.year, start.month
    for _ in range(count):
        out.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def chart(values: list[float], **options) -> SpcResult:
    """xmr over monthly periods starting January 2017."""
    return xmr(months(len(values)), values, **options)


def after_base(tail: list[float], **options) -> SpcResult:
    """BASE followed by ``tail``, limits fixed on BASE."""
    return chart(BASE + tail, baseline=12, **options)


def rules(result: SpcResult) -> list[str | None]:
    return [p.rule for p in result.points]


def types(result: SpcResult) -> list[str]:
    return [p.point_type for p in result.points]


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# --- limits -----------------------------------------------------------------


def test_limits_match_a_hand_calculation():
    result = chart([10.0, 12.0] * 10)
    first = result.points[0]
    assert first.mean == pytest.approx(11.0)
    assert first.amr == pytest.approx(2.0)
    assert first.ucl == pytest.approx(16.32)
    assert first.lcl == pytest.approx(5.68)
    assert [p.moving_range for p in result.points[:3]] == [None, 2.0, 2.0]
    assert set(types(result)) == {"common_cause"}


def test_screening_drops_outlying_moving_ranges_and_changes_point_types():
    # Ranges: 1,1,4,0,5,8,12,5,4,1,0,35,35,3,3,1,0,2,2 (sum 122, AMR 122/19 = 6.42).
    # 3.267 x 6.42 = 20.98 screens out both 35s: AMR 52/17 = 3.06.
    values = [13, 12, 13, 9, 9, 14, 22, 10, 15, 11, 10, 10, 45, 10, 13, 10, 11, 11, 13, 15]
    screened = chart(values)
    unscreened = chart(values, screen=False)
    assert screened.points[0].mean == pytest.approx(13.8)
    assert screened.points[0].amr == pytest.approx(52 / 17)
    assert unscreened.points[0].amr == pytest.approx(122 / 19)
    # 22 is above 13.8 + 2.66 x 52/17 = 21.94 but below 13.8 + 2.66 x 122/19 = 30.88.
    assert screened.points[6].rule == "beyond_limit"
    assert unscreened.points[6].rule is None
    assert screened.points[12].rule == unscreened.points[12].rule == "beyond_limit"


def test_screening_happens_once_only():
    # 16 ranges of 1, one of 99 and one of 10: AMR 125/18 = 6.94 screens out 99.
    # The new AMR 26/17 = 1.53 would screen the 10 too, but the method screens once.
    values = [0, 1, 0, 1, 0, 1, 0, 1, 100, 101, 100, 101, 100, 101, 100, 110, 111, 110, 111]
    assert chart(values).points[0].amr == pytest.approx(26 / 17)
    assert chart(values, screen=False).points[0].amr == pytest.approx(125 / 18)


def test_screening_keeps_ranges_just_below_the_cut():
    # The cut is "3.267 x AMR or more". With ranges [1] * 9 + [x], the AMR is
    # (9 + x) / 10, and x = 3.267 (9 + x) / 10 solves to x = 4.367.
    below = [0, 1] * 5  # nine ranges of 1
    kept = chart(below + [1 + 4.3])  # range 4.3, under the cut
    cut = chart(below + [1 + 4.4])  # range 4.4, over the cut
    assert kept.points[0].amr == pytest.approx((9 + 4.3) / 10)
    assert cut.points[0].amr == pytest.approx(1.0)


def test_a_range_of_exactly_the_cut_is_screened_out():
    # Ranges 1, 1, 1 and r, where r == 3.267 x mean(1, 1, 1, r) holds exactly in
    # floating point: the reference keeps only ranges strictly below the cut.
    r = 13.371077762619372
    values = [0.0, 1.0, 0.0, 1.0, 1.0 + r]
    assert average_moving_range(values, screen=False) * SCREEN_FACTOR == r
    assert average_moving_range(values, screen=True) == 1.0


def test_flat_baseline_has_zero_width_limits_not_nan():
    result = chart([5.0] * 12 + [6.0], baseline=12)
    assert result.points[0].amr == 0.0
    assert result.points[0].ucl == result.points[0].lcl == 5.0
    assert rules(result)[:12] == [None] * 12  # on the mean: no run, no breach
    assert result.points[-1].rule == "beyond_limit"


# --- baseline ---------------------------------------------------------------


def test_baseline_fixes_limits_on_the_first_n_points():
    values = BASE + [30.0, 32.0] * 6
    fixed = chart(values, baseline=12)
    free = chart(values)
    assert all(p.mean == pytest.approx(11.0) for p in fixed.points)
    assert fixed.points[-1].amr == pytest.approx(2.0)  # the 10 -> 30 jump is outside it
    assert fixed.points[-1].ucl == pytest.approx(16.32)
    assert rules(fixed)[12:] == ["beyond_limit"] * 12
    assert free.points[0].mean == pytest.approx(21.0)
    assert fixed.points[12].moving_range == pytest.approx(20.0)  # reported, not used


@pytest.mark.parametrize("bad", [0, 5, 11])
def test_baseline_under_twelve_is_rejected(bad):
    with pytest.raises(ValueError, match="at least 12"):
        chart(BASE * 2, baseline=bad)


def test_baseline_of_twelve_is_allowed_and_must_be_whole():
    assert chart(BASE * 2, baseline=12).points[0].mean == pytest.approx(11.0)
    with pytest.raises(ValueError, match="whole number"):
        chart(BASE * 2, baseline=12.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="whole number"):
        chart(BASE * 2, baseline=True)  # type: ignore[arg-type]


def test_baseline_longer_than_the_series_uses_every_point():
    values = [10.0, 13.0, 11.0, 12.0] * 4
    assert chart(values, baseline=40).points[0] == chart(values).points[0]


# --- trial limits and groups --------------------------------------------------


def test_a_group_under_thirteen_points_has_trial_limits():
    assert {p.trial_limits for p in chart(BASE).points} == {True}
    assert {p.trial_limits for p in chart(BASE + [12.0]).points} == {False}


def test_rebase_computes_each_group_separately():
    periods = months(25)
    values = BASE + [30.0, 34.0] * 6 + [32.0]  # second group: mean 32, ranges of 4 and 2
    result = xmr(periods, values, rebase=[periods[12]])
    first, second = result.points[:12], result.points[12:]
    assert {p.group for p in first} == {0} and {p.group for p in second} == {1}
    assert first[0].mean == pytest.approx(11.0) and first[0].amr == pytest.approx(2.0)
    assert second[0].mean == pytest.approx(32.0)
    assert second[0].amr == pytest.approx((4 * 11 + 2) / 12)
    assert second[0].moving_range is None  # no range across the boundary
    assert [p.trial_limits for p in (first[0], second[0])] == [True, False]
    assert set(types(result)) == {"common_cause"}
    assert set(types(xmr(periods, values))) != {"common_cause"}  # unrebased, it signals


def test_rules_do_not_run_across_a_rebase():
    # Group 0 ends with 10, 11, 12, 13 and group 1 starts 14, 15, 16: seven
    # rising points, but only across the boundary.
    group0 = [20.0, 4.0, 19.0, 5.0, 18.0, 6.0, 17.0, 7.0, 16.0, 10.0, 11.0, 12.0, 13.0]
    group1 = [14.0, 15.0, 16.0, 3.0, 21.0, 2.0, 22.0, 1.0, 23.0, 0.0, 24.0, 12.0, 13.0]
    periods = months(len(group0) + len(group1))
    together = xmr(periods, group0 + group1)
    apart = xmr(periods, group0 + group1, rebase=[periods[len(group0)]])
    assert "trend" in rules(together)
    assert "trend" not in rules(apart)


def test_rebase_at_the_first_period_changes_nothing():
    periods = months(20)
    values = [10.0, 12.0, 11.0, 13.0] * 5
    assert xmr(periods, values, rebase=[periods[0]]) == xmr(periods, values)


def test_rebase_period_must_be_in_the_series():
    with pytest.raises(ValueError, match="2030-01-01"):
        chart(BASE * 2, rebase=[date(2030, 1, 1)])


def test_a_group_of_one_point_is_rejected():
    periods = months(14)
    with pytest.raises(ValueError, match="at least 2"):
        xmr(periods, BASE + [1.0, 2.0], rebase=[periods[13]])


# --- beyond a limit -------------------------------------------------------------


def test_a_point_exactly_on_a_limit_is_not_beyond_it():
    # Baseline [0, 100] * 6: mean 50, AMR 100, limits 50 +/- 266 exactly.
    base = [100.0, 0.0] * 6
    result = chart(base + [316.0, 316.5, -216.0, -216.5], baseline=12)
    assert result.points[12].ucl == 316.0
    assert rules(result)[12:] == [None, "beyond_limit", None, "beyond_limit"]


# --- shift ------------------------------------------------------------------------


def test_seven_points_on_one_side_make_a_shift_and_all_are_flagged():
    result = after_base([12.0] * 7 + [10.0])
    assert rules(result)[12:] == ["shift"] * 7 + [None]


def test_six_points_on_one_side_are_not_a_shift():
    assert rules(after_base([12.0] * 6 + [10.0])) == [None] * 19


def test_a_point_on_the_mean_breaks_a_shift():
    assert rules(after_base([12.0] * 6 + [11.0] + [12.0] * 6)) == [None] * 25
    # one side of the on-mean point still makes a shift on its own
    assert rules(after_base([12.0] * 6 + [11.0] + [12.0] * 7))[-7:] == ["shift"] * 7


def test_shift_flags_reference_cases():
    # NHSRplotthedots test-ptd_calculate_point_type.R, ptd_seven_point_one_side_mean
    # combined with ptd_part_of_seven_trend: c(rep(1, 8), -1) flags the 8.
    assert shift_flags([1] * 8 + [-1]) == [True] * 8 + [False]
    assert shift_flags([-1] * 8 + [1]) == [True] * 8 + [False]
    assert shift_flags([1] * 6 + [-1]) == [False] * 7
    assert shift_flags([]) == []


# --- trend ------------------------------------------------------------------------


RISE_BASE = [0.0, 20.0] * 6
"""Mean 10, AMR 20, limits 10 +/- 53.2; ends high, so a rise after it starts afresh."""

FALL_BASE = [20.0, 0.0] * 6
"""The same limits; ends low, so a fall after it starts afresh."""


def test_seven_points_with_six_rises_make_a_trend_and_all_are_flagged():
    # The trend straddles the mean within wide limits, so no other rule applies.
    base = RISE_BASE
    result = chart(base + [7.0, 8.0, 9.0, 10.5, 11.0, 12.0, 13.0, 4.0], baseline=12)
    assert rules(result)[12:] == ["trend"] * 7 + [None]


def test_six_points_with_five_rises_are_not_a_trend():
    base = RISE_BASE
    result = chart(base + [8.0, 9.0, 10.5, 11.0, 12.0, 13.0, 4.0], baseline=12)
    assert rules(result) == [None] * 19


def test_a_tie_breaks_a_trend():
    base = RISE_BASE
    result = chart(base + [7.0, 8.0, 9.0, 9.0, 10.5, 11.0, 12.0, 13.0], baseline=12)
    assert "trend" not in rules(result)


def test_trend_flags_reference_cases():
    # NHSRplotthedots test-ptd_calculate_point_type.R, ptd_seven_point_trend:
    # 1:7 is a trend, 1:6 is not, c(1:3, 3:6) is not, c(2, 1:7, 3) flags 1:7,
    # and 7:1 is a (falling) trend.
    assert trend_flags([1, 2, 3, 4, 5, 6, 7]) == [True] * 7
    assert trend_flags([1, 2, 3, 4, 5, 6]) == [False] * 6
    assert trend_flags([1, 2, 3, 3, 4, 5, 6]) == [False] * 7
    assert trend_flags([2, 1, 2, 3, 4, 5, 6, 7, 3]) == [False] + [True] * 7 + [False]
    assert trend_flags([7, 6, 5, 4, 3, 2, 1]) == [True] * 7
    assert trend_flags([]) == []


def test_a_falling_trend_of_eight_is_flagged_issue_167():
    # NHSRplotthedots issue #167: y = 0:-7 was not flagged before the fix.
    result = chart([0.0, -1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0])
    assert all(p.rule is not None for p in result.points)
    assert "trend" in rules(result)


def test_trend_type_follows_direction_of_travel_not_side_of_mean():
    # A falling trend entirely above the mean: for a "decrease" measure it is
    # an improvement (NHSRplotthedots PR #180), although a shift above the
    # mean alone would be a concern.
    falling = after_base([14.0, 13.5, 13.0, 12.5, 12.2, 12.1, 12.0], direction="decrease")
    assert rules(falling)[12:] == ["trend"] * 7
    assert set(types(falling)[12:]) == {"special_cause_improvement"}
    flat_above = after_base([12.0, 13.0] * 3 + [12.0], direction="decrease")
    assert set(types(flat_above)[12:]) == {"special_cause_concern"}


def test_the_turning_point_between_two_trends_takes_the_following_step():
    # As in NHSRplotthedots: a point in a trend whose successor is also in a
    # trend takes the direction of the step to the successor.
    ys = [5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 10.0, 9.0, 8.0, 7.0, 6.0, 5.0]
    result = chart(RISE_BASE + ys, direction="increase", baseline=12)
    assert rules(result)[12:] == ["trend"] * 13
    assert types(result)[12:18] == ["special_cause_improvement"] * 6
    assert types(result)[18] == "special_cause_concern"  # the peak, 11
    assert types(result)[19:] == ["special_cause_concern"] * 6


# --- two of three close to a limit -------------------------------------------------


def test_two_of_three_flags_only_the_close_points():
    result = after_base([15.0, 12.0, 16.0, 10.0])
    assert rules(result)[12:] == ["two_of_three", None, "two_of_three", None]


def test_two_of_three_needs_all_three_on_the_same_side():
    assert rules(after_base([15.0, 10.0, 16.0, 10.0]))[12:] == [None] * 4


def test_two_of_three_ignores_close_points_on_opposite_sides():
    # NHSRplotthedots test-ptd_spc_standard.R (issue #143): symmetric data with
    # the last two points close to opposite limits stay common cause.
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    result = chart(values, direction="increase")
    assert types(result)[-2:] == ["common_cause", "common_cause"]
    lim = result.points[0]
    assert lim.mean + 2 / 3 * 2.66 * lim.amr < 5.5 < lim.ucl  # really close, not beyond
    assert lim.lcl < -5.5 < lim.mean - 2 / 3 * 2.66 * lim.amr


def test_two_of_three_does_not_count_points_beyond_a_limit():
    # NHSRplotthedots issue #153: 17 is beyond the limit (flagged for that),
    # so 15 is the only close point and is not flagged.
    result = after_base([17.0, 15.0, 12.0, 10.0])
    assert rules(result)[12:] == ["beyond_limit", None, None, None]


def test_two_close_points_four_apart_are_not_two_of_three():
    assert rules(after_base([15.0, 12.0, 12.0, 16.0, 10.0]))[12:] == [None] * 5


def test_two_of_three_flags_reference_cases():
    # NHSRplotthedots test-ptd_calculate_point_type.R, ptd_part_of_two_in_three
    # (all points on one side): c(0,0,1,0,1,0,0) -> same; c(1,0,0,1) -> none;
    # c(1,0,0,1,1) -> c(0,0,0,1,1).
    def flags(close):
        return [int(f) for f in two_of_three_flags([bool(c) for c in close], [1] * len(close))]

    assert flags([0, 0, 1, 0, 1, 0, 0]) == [0, 0, 1, 0, 1, 0, 0]
    assert flags([1, 0, 0, 1]) == [0, 0, 0, 0]
    assert flags([1, 0, 0, 1, 1]) == [0, 0, 0, 1, 1]
    assert two_of_three_flags([True, True, False], [1, 1, 0]) == [False] * 3


# --- priority ---------------------------------------------------------------------


def test_beyond_limit_outranks_trend_which_outranks_two_of_three_and_shift():
    # A rise of 8 points, all above the mean (a shift), with 15 and 16 close
    # (two of three) and 17 beyond the limit.
    result = after_base([11.5, 12.0, 12.5, 13.0, 13.5, 15.0, 16.0, 17.0])
    assert rules(result)[12:] == ["trend"] * 7 + ["beyond_limit"]


def test_two_of_three_outranks_shift():
    result = after_base([12.0, 13.0, 12.0, 15.0, 12.0, 16.0, 12.0])
    assert rules(result)[12:] == ["shift", "shift", "shift", "two_of_three", "shift", "two_of_three", "shift"]


# --- directions -------------------------------------------------------------------

UPPER_AND_LOWER = [20.0, 12.0, 10.0, 2.0]  # above UCL, common, common, below LCL


@pytest.mark.parametrize(
    ("direction", "high", "low"),
    [
        ("increase", "special_cause_improvement", "special_cause_concern"),
        ("decrease", "special_cause_concern", "special_cause_improvement"),
        ("neutral", "special_cause_neutral_high", "special_cause_neutral_low"),
    ],
)
def test_each_direction_maps_high_and_low_signals(direction, high, low):
    result = after_base(UPPER_AND_LOWER, direction=direction)
    assert types(result)[12:] == [high, "common_cause", "common_cause", low]
    assert result.direction == direction


def test_default_direction_is_decrease_for_crime_counts():
    assert types(after_base(UPPER_AND_LOWER))[12] == "special_cause_concern"


def test_point_type_mapping():
    assert point_type(1, "increase") == "special_cause_improvement"
    assert point_type(-1, "increase") == "special_cause_concern"
    assert point_type(-1, "decrease") == "special_cause_improvement"
    assert point_type(-1, "neutral") == "special_cause_neutral_low"


def test_unknown_direction_is_rejected():
    with pytest.raises(ValueError, match="direction"):
        chart(BASE, direction="up")  # type: ignore[arg-type]


# --- input checks -------------------------------------------------------------------


def test_input_errors_are_value_errors():
    with pytest.raises(ValueError, match="length"):
        xmr(months(3), [1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        chart([1.0, math.nan, 2.0])
    with pytest.raises(ValueError, match="increasing"):
        xmr([date(2018, 2, 1), date(2018, 1, 1)], [1.0, 2.0])
    with pytest.raises(ValueError, match="increasing"):
        xmr([date(2018, 1, 1), date(2018, 1, 1)], [1.0, 2.0])
    with pytest.raises(ValueError, match="at least 2"):
        chart([1.0])


def test_sides_treat_the_mean_as_neither():
    assert sides([1.0, 2.0, 3.0], 2.0) == [-1, 0, 1]


# --- result helpers -------------------------------------------------------------------


def test_result_helpers():
    result = after_base([20.0, 12.0, 21.0, 2.0])
    assert result.latest.value == 2.0
    assert result.means == [pytest.approx(11.0)] * 16
    assert result.ucls[0] == pytest.approx(16.32) and result.lcls[0] == pytest.approx(5.68)
    assert result.first_breach("upper").period == date(2018, 1, 1)
    assert result.first_breach("lower").period == date(2018, 4, 1)
    assert chart([10.0, 12.0] * 8).first_breach() is None
    with pytest.raises(ValueError, match="side"):
        result.first_breach("middle")  # type: ignore[arg-type]


def test_to_records_is_json_ready():
    records = after_base([20.0]).to_records()
    text = json.dumps(records)
    last = json.loads(text)[-1]
    assert last["period"] == "2018-01-01"
    assert last["point_type"] == "special_cause_concern"
    assert last["rule"] == "beyond_limit"
    assert last["ucl"] == pytest.approx(16.32)
    assert {"value", "mean", "lcl", "amr", "moving_range", "trial_limits", "group"} <= set(last)
    assert records[0]["moving_range"] is None


# --- reference series from NHSRplotthedots ---------------------------------------------


def _reference_chart(fixture: dict, options: dict) -> SpcResult:
    periods = [date.fromisoformat(p["period"]) for p in fixture["points"]]
    values = [p["value"] for p in fixture["points"]]
    return xmr(
        periods,
        values,
        direction=options["direction"],
        screen=options["screen"],
        baseline=options["baseline"],
        rebase=[date.fromisoformat(d) for d in options["rebase"]],
    )


def test_reference_ae_performance_limits_and_point_types():
    fixture = load("ae_all_performance_fix12.json")
    result = _reference_chart(fixture, fixture["options"])
    expected = fixture["expected_groups"][0]
    for point in result.points:
        assert point.mean == pytest.approx(expected["mean"], rel=1e-12)
        assert point.lcl == pytest.approx(expected["lcl"], rel=1e-12)
        assert point.ucl == pytest.approx(expected["ucl"], rel=1e-12)
    assert types(result) == [p["point_type"] for p in fixture["points"]]
    assert "common_cause" in types(result) and "special_cause_improvement" in types(result)


@pytest.mark.parametrize("direction", ["decrease", "neutral"])
def test_reference_ae_performance_other_directions(direction):
    # The series has no trend, so every signal is judged by its side of the
    # mean; flipping the direction swaps improvement and concern, and
    # "neutral" names the side (NHSRplotthedots' ptd_point_type).
    fixture = load("ae_all_performance_fix12.json")
    options = {**fixture["options"], "direction": direction}
    result = _reference_chart(fixture, options)
    mean = fixture["expected_groups"][0]["mean"]
    swap = {
        "decrease": {
            "special_cause_improvement": "special_cause_concern",
            "special_cause_concern": "special_cause_improvement",
        },
    }
    for point, ref in zip(result.points, fixture["points"]):
        if ref["point_type"] == "common_cause":
            assert point.point_type == "common_cause"
        elif direction == "decrease":
            assert point.point_type == swap["decrease"][ref["point_type"]]
        else:
            high = ref["value"] > mean
            assert point.point_type == ("special_cause_neutral_high" if high else "special_cause_neutral_low")


@pytest.mark.parametrize("case", ["no_rebase", "rebase_2017_04"])
def test_reference_ae_attendances_limits_with_and_without_rebase(case):
    fixture = load("ae_all_attendances.json")
    spec = next(c for c in fixture["cases"] if c["name"] == case)
    result = _reference_chart(fixture, spec["options"])
    start = 0
    for group, expected in enumerate(spec["expected_groups"]):
        points = result.points[start : start + expected["size"]]
        assert {p.group for p in points} == {group}
        for point in points:
            assert point.mean == pytest.approx(expected["mean"], rel=1e-12)
            assert point.lcl == pytest.approx(expected["lcl"], rel=1e-12)
            assert point.ucl == pytest.approx(expected["ucl"], rel=1e-12)
        start += expected["size"]
    assert start == len(result.points)
    assert set(types(result)) == {"common_cause"}


def test_reference_rnorm_series_with_and_without_screening():
    fixture = load("rnorm_seed123.json")
    values = list(fixture["values"])
    periods = months(len(values), date.fromisoformat(fixture["first_period"]))
    outlier = list(values)
    outlier[fixture["outlier_index"]] = fixture["outlier_value"]
    runs = {
        "r1_screened": xmr(periods, values, direction="increase"),
        "r2_outlier_screened": xmr(periods, outlier, direction="increase"),
        "r3_outlier_unscreened": xmr(periods, outlier, direction="increase", screen=False),
    }
    for name, result in runs.items():
        expected = fixture["expected"][name]
        first = result.points[0]
        # the snapshot prints 7 significant figures
        assert first.mean == pytest.approx(expected["mean"], rel=1e-6), name
        assert first.lcl == pytest.approx(expected["lcl"], rel=1e-6), name
        assert first.ucl == pytest.approx(expected["ucl"], rel=1e-6), name
    r1 = runs["r1_screened"]
    assert (
        sides([p.value for p in r1.points], r1.points[0].mean)[:15] == fixture["expected_r1_relative_to_mean_first_15"]
    )
    assert set(types(r1)) == {"common_cause"}  # the ptd_spc summary snapshot: 20 common cause


# --- sentences -------------------------------------------------------------------------


def test_month_year_is_english_month_and_year():
    assert month_year(date(2018, 7, 1)) == "July 2018"
    assert month_year(date(2019, 12, 31)) == "December 2019"


def test_sentence_for_common_cause_only():
    result = chart([10.0, 12.0] * 10)
    assert (
        spc_sentence(result, "personal robbery")
        == "Personal robbery has shown only common-cause variation over the period."
    )


def test_sentence_for_a_breach_that_has_stayed_above_average():
    # Limits on 2017; Jan-Jun 2018 common cause; July 2018 above the UCL;
    # every later point above the mean.
    result = after_base([12.0, 10.0] * 3 + [20.0, 12.0, 13.0, 12.0, 13.0, 12.0])
    assert result.points[18].period == date(2018, 7, 1)
    assert (
        spc_sentence(result, "personal robbery") == "Personal robbery rose above its upper control limit in July 2018 "
        "and has stayed above its average since."
    )


def test_sentence_names_the_first_breach_of_the_current_run():
    result = after_base([12.0, 10.0] * 3 + [20.0, 12.0, 21.0, 12.0])
    assert "in July 2018 and has stayed above its average since." in spc_sentence(result, "x")


def test_sentence_does_not_claim_above_average_once_a_point_fell_below():
    result = after_base([12.0, 10.0] * 3 + [20.0, 12.0, 10.0, 12.0])
    sentence = spc_sentence(result, "personal robbery")
    assert "stayed above" not in sentence
    assert sentence == (
        "Personal robbery rose above its upper control limit in July 2018 "
        "and has shown only common-cause variation since."
    )


def test_sentence_when_the_breach_is_the_latest_point():
    result = after_base([12.0, 10.0] * 3 + [20.0])
    assert spc_sentence(result, "burglary") == (
        "Burglary rose above its upper control limit in July 2018, the latest period."
    )


def test_sentence_for_a_lower_breach():
    result = after_base([12.0, 10.0] * 3 + [3.0, 10.0, 9.0])
    assert spc_sentence(result, "vehicle crime") == (
        "Vehicle crime fell below its lower control limit in July 2018 and has stayed below its average since."
    )


def test_sentence_for_a_breach_run_that_has_ended():
    result = after_base([12.0, 10.0] * 3 + [20.0, 21.0, 10.0, 12.0])
    assert spc_sentence(result, "theft") == (
        "Theft was above its upper control limit from July 2018 to August 2018 "
        "and has shown only common-cause variation since."
    )


def test_sentence_for_a_current_shift_below_average():
    # Limits on 2017; from February 2018 every point is below the mean (8 points).
    result = after_base([12.0, 10.0, 9.0, 10.0, 9.5, 10.0, 9.0, 10.0, 9.5])
    assert result.latest.rule == "shift"
    assert spc_sentence(result, "anti-social behaviour") == (
        "Anti-social behaviour has been below its average since February 2018."
    )


def test_sentence_for_a_current_falling_trend():
    base = FALL_BASE
    result = chart(base + [14.0, 13.0, 12.0, 11.0, 9.0, 8.0, 7.0], baseline=12)
    assert result.latest.rule == "trend"
    assert spc_sentence(result, "shoplifting") == (
        "Shoplifting has been on a falling trend since January 2018, with each value lower than the one before."
    )


def test_sentence_for_a_current_rising_trend():
    base = RISE_BASE
    result = chart(base + [4.0, 7.0, 8.0, 9.0, 11.0, 12.0, 13.0], baseline=12)
    assert "has been on a rising trend since January 2018" in spc_sentence(result, "x")


def test_sentence_for_current_two_of_three():
    result = after_base([15.0, 12.0, 16.0])
    assert spc_sentence(result, "knife crime") == (
        "Knife crime has come close to its upper control limit in two of the last three periods."
    )


def test_sentence_for_a_past_shift():
    result = after_base([12.0] * 7 + [10.0, 12.0])
    assert spc_sentence(result, "drug possession") == (
        "Drug possession was above its average from January 2018 to July 2018 "
        "and has shown only common-cause variation since."
    )


def test_sentence_for_a_past_trend():
    base = RISE_BASE
    result = chart(base + [7.0, 8.0, 9.0, 10.5, 11.0, 12.0, 13.0, 4.0], baseline=12)
    assert spc_sentence(result, "x").endswith(
        "showed a rising trend from January 2018 to July 2018 and has shown only common-cause variation since."
    )


def test_sentence_after_a_rebase_with_no_new_signal():
    periods = months(26)
    values = BASE + [20.0] + [12.0, 10.0] * 6 + [11.5]
    result = xmr(periods, values, baseline=12, rebase=[periods[13]])
    assert result.points[12].rule == "beyond_limit"
    assert spc_sentence(result, "robbery") == (
        "Robbery has shown only common-cause variation since its limits were recalculated in February 2018."
    )


def test_sentence_keeps_the_subject_as_given_apart_from_the_first_letter():
    sentence = spc_sentence(chart([10.0, 12.0] * 8), "ASB incidents in the Town Centre")
    assert sentence.startswith("ASB incidents in the Town Centre has shown")


def test_sentence_never_mentions_a_signal_on_common_cause_data():
    fixture = load("rnorm_seed123.json")
    result = chart(list(fixture["values"]))
    sentence = spc_sentence(result, "x")
    for word in ("limit", "trend", "since"):
        assert word not in sentence.replace("common-cause variation over", "")


def test_sentence_for_the_reference_performance_series():
    fixture = load("ae_all_performance_fix12.json")
    result = _reference_chart(fixture, fixture["options"])
    # The last run below the mean starts September 2018; its first breach of
    # the lower limit is January 2019.
    assert spc_sentence(result, "four-hour A&E performance") == (
        "Four-hour A&E performance fell below its lower control limit in January 2019 "
        "and has stayed below its average since."
    )


def test_sentence_requires_a_subject():
    with pytest.raises(ValueError, match="subject"):
        spc_sentence(chart(BASE), "  ")
