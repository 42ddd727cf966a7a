"""Data completeness: a month of the windows far below what came before it is named, a complete one is not."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import replace

import numpy as np
import pytest
from conftest import CONFIG, SHARED

from builder.build.inputs import load_data, read_inputs
from builder.build.prepare import compute, prepare
from builder.figures.completeness import ALL_CRIME, Series, about, assess, low_months, months_phrase
from builder.figures.periods import parse_month as month_index
from builder.figures.periods import window

START = dt.date(2017, 1, 1)
STEADY = (7000, 6500, 7100, 6900, 7200, 7000, 7300, 7100, 6800, 7050, 6950, 7100)


def windows(last_end: str, months: int = 3) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date], int]:
    """(previous window, last window, months) ending with ``last_end``."""
    end = month_index(last_end)
    last, previous = window(end - months + 1, end), window(end - 2 * months + 1, end - months)
    return (previous.start, previous.end), (last.start, last.end), months


def daily(values: tuple[int, ...], start: dt.date = START) -> tuple[int, ...]:
    """Counts proportional to each month's days, so a steady daily rate looks steady."""
    months = [Series("x", "crimes", start, values).month(i) for i in range(len(values))]
    return tuple(round(v * calendar.monthrange(m.year, m.month)[1] / 30.4) for v, m in zip(values, months))


def test_a_steady_series_has_no_low_month():
    series = Series(ALL_CRIME, "crimes", START, daily(STEADY * 2), limits=True)
    assert low_months(series, dt.date(2018, 1, 1), dt.date(2018, 12, 1)) == []


def test_february_is_not_short_for_having_28_days():
    flat = tuple(7000 for _ in range(24))  # the same count every month: February's days are busier
    series = Series(ALL_CRIME, "crimes", START, daily(flat), limits=True)
    assert low_months(series, dt.date(2018, 1, 1), dt.date(2018, 12, 1)) == []


def test_a_month_cut_to_60_percent_is_named_with_its_count_and_the_level_expected():
    values = list(daily(STEADY * 2))
    values[20] = round(values[20] * 0.6)  # September 2018
    series = Series(ALL_CRIME, "crimes", START, tuple(values), limits=True)
    [low] = low_months(series, dt.date(2018, 1, 1), dt.date(2018, 12, 1))
    assert (low.month, low.count) == (dt.date(2018, 9, 1), values[20])
    assert 0.55 < low.count / low.expected < 0.65
    assert low.describe() == f"September 2018: {values[20]:,} crimes against about {about(low.expected)} expected"


def test_a_missing_month_is_named():
    values = list(daily(STEADY * 2))
    values[15] = 0
    series = Series(ALL_CRIME, "crimes", START, tuple(values), limits=True)
    [low] = low_months(series, dt.date(2018, 1, 1), dt.date(2018, 12, 1))
    assert low.missing and low.month == dt.date(2018, 4, 1)
    assert low.describe().startswith("April 2018: no crimes against about")


def test_all_crime_below_its_lower_control_limit_is_low_though_above_three_quarters():
    values = [7000 + (i % 2) * 40 for i in range(24)]  # very steady: the limit sits near 6,900
    values[18] = 6000  # 86%
    series = Series(ALL_CRIME, "crimes", START, tuple(values), limits=True)
    assert [m.month for m in low_months(series, dt.date(2018, 1, 1), dt.date(2018, 12, 1))] == [dt.date(2018, 7, 1)]
    theme = replace(series, label="Robbery", limits=False)  # a theme's fall can be real: no limits test
    assert low_months(theme, dt.date(2018, 1, 1), dt.date(2018, 12, 1)) == []


def test_a_small_series_is_not_low_by_chance():
    """Nine robberies against a usual twelve is 75%, and well within chance for counts this small."""
    values = [12, 11, 13, 12, 12, 10, 14, 12, 12, 11, 13, 12, 7, 12]
    series = Series("Robbery", "crimes", START, tuple(values))
    assert low_months(series, dt.date(2018, 1, 1), dt.date(2018, 2, 1)) == []


def test_a_low_month_does_not_lower_what_the_next_is_expected_to_be():
    values = [17000, 11500, 6000, 15500, 14000]  # Kent's police.uk months, Oct 2018 - Feb 2019
    series = Series(ALL_CRIME, "crimes", dt.date(2018, 10, 1), tuple(values), limits=True)
    lows = low_months(series, dt.date(2018, 11, 1), dt.date(2019, 2, 1))
    assert [m.month for m in lows] == [dt.date(2018, 11, 1), dt.date(2018, 12, 1)]
    assert lows[1].expected == pytest.approx(17000)  # from October alone, November being low


def test_warnings_one_per_month_all_crime_first():
    values = list(daily(STEADY * 2))
    values[20] = round(values[20] * 0.5)
    theme = [round(v / 10) for v in values]
    completeness = assess(
        [
            Series(ALL_CRIME, "crimes", START, tuple(values), limits=True),
            Series("Drug Offences", "crimes", START, tuple(theme)),
        ],
        *windows("2018-12", 6),
    )
    [warning] = completeness.warnings()
    assert str(warning).startswith(f"data: September 2018: {values[20]:,} crimes against about")
    assert str(warning).endswith("— is the extract complete? (also low: Drug Offences)")
    assert completeness.sentence.startswith("The data for September 2018 look incomplete (")


def test_short_windows_have_a_caveat_and_long_ones_none():
    steady = assess([Series(ALL_CRIME, "crimes", START, daily(STEADY * 2), limits=True)], *windows("2018-12", 2))
    assert steady.complete and steady.sentence == ""
    assert "2 months long (61 days against 61)" in steady.caveat
    year = assess([Series(ALL_CRIME, "crimes", START, daily(STEADY * 2), limits=True)], *windows("2018-12", 12))
    assert year.caveat == ""


def test_month_lists_read_naturally():
    assert months_phrase([dt.date(2018, 11, 1), dt.date(2018, 12, 1)]) == "November and December 2018"
    assert months_phrase([dt.date(2018, 12, 1), dt.date(2019, 1, 1)]) == "December 2018 and January 2019"
    assert (about(7134), about(83), about(16787)) == ("7,100", "83", "17,000")


# --- the sample and a generated incomplete extract ------------------------------------------


@pytest.mark.parametrize(
    ("window_months", "period_end"), [(None, None), (None, "2018-03"), (None, "2017-12"), (2, "2018-06")]
)
def test_the_complete_sample_is_not_flagged(window_months, period_end):
    prepared = prepare(read_inputs(CONFIG), window_months=window_months, period_end=period_end)
    assert prepared.figures.completeness is not None
    assert prepared.figures.completeness.low == ()
    assert prepared.context["data_quality"].sentence == ""


def test_the_sample_with_one_month_cut_to_60_percent_is_flagged_by_month():
    inputs = read_inputs(CONFIG)
    data = load_data(inputs)
    crimes = data.crimes
    month = crimes["committed_date"].dt.to_period("M") == "2018-02"
    rng = np.random.default_rng(17)
    dropped = month.to_numpy() & (rng.random(len(crimes)) < 0.4)
    cut = replace(data, crimes=crimes[~dropped].reset_index(drop=True))
    computed = compute(inputs, cut)
    warnings = [str(w) for w in computed.force.completeness.warnings()]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("data: February 2018: ")
    assert "— is the extract complete?" in warnings[0]


@pytest.mark.skipif(not (SHARED / "data" / "policeuk" / "kent").is_dir(), reason="../shared police.uk files absent")
def test_kents_short_police_uk_december_is_named():
    """Kent's December 2018 file holds under half the rows of the months around it."""
    policeuk = CONFIG.parent / "policeuk.yaml"
    prepared = prepare(read_inputs(policeuk, SHARED / "data" / "policeuk" / "kent"), window_months=2)
    months = [w.low.month for w in prepared.figures.completeness.warnings()]
    assert dt.date(2018, 12, 1) in months
    assert "December 2018" in prepared.context["data_quality"].sentence
