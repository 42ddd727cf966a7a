"""Pure computations: rounding, comparison tables, windows, counting."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from builder.errors import DataError
from builder.figures.counting import Counter
from builder.figures.periods import index_of, last_complete_month, month_of, resolve_windows
from builder.figures.rounding import round_half_up
from builder.figures.tables import comparison_table


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (12.5, 0, 13),
        (-12.5, 0, -13),
        (0.5, 0, 1),
        (2.675, 2, 2.68),
        (-0.4, 0, 0),
        (99.49, 0, 99),
    ],
)
def test_round_half_up(value, digits, expected):
    assert round_half_up(value, digits) == expected


def test_round_half_up_never_gives_negative_zero():
    assert str(round_half_up(-0.04)) == "0.0"


def test_comparison_table_orders_by_unrounded_change_and_totals():
    table = comparison_table({"a": 105, "b": 1050, "c": 50, "d": 7}, {"a": 100, "b": 1000, "c": 60, "d": 0})
    # a and b both +5%; a is 5.0%, b 5.0% too: the label breaks the tie; d has no base and goes last.
    assert [r.label for r in table] == ["a", "b", "c", "d"]
    assert table.total.last_12 == 1212 and table.total.previous_12 == 1160
    assert table["c"].difference == -10 and table["c"].change_pct == pytest.approx(-100 / 6)
    assert table["d"].change_pct is None
    assert table["b"].share_pct == pytest.approx(100 * 1050 / 1212)


def test_share_of_increase_uses_only_rising_rows():
    table = comparison_table({"up1": 30, "up2": 110, "down": 50}, {"up1": 10, "up2": 100, "down": 80})
    assert table["up1"].increase_share_pct == pytest.approx(100 * 20 / 30)
    assert table["up2"].increase_share_pct == pytest.approx(100 * 10 / 30)
    assert table["down"].increase_share_pct is None
    assert table.count_increased == 2 and table.count_decreased == 1
    assert table.largest_rise.label == "up1" and table.largest_fall.label == "down"


def test_month_index_round_trip():
    assert month_of(index_of(dt.date(2018, 7, 19))) == dt.date(2018, 7, 1)


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        (dt.date(2018, 9, 30), dt.date(2018, 9, 1)),
        (dt.date(2018, 9, 29), dt.date(2018, 8, 1)),
    ],
)
def test_last_complete_month(latest, expected):
    assert month_of(last_complete_month(latest)) == expected


def test_windows_and_too_short_data():
    months = np.array([index_of(dt.date(2016, 10, 1)), index_of(dt.date(2018, 9, 1))])
    windows = resolve_windows(months, dt.date(2018, 9, 30), end=None, months=12, trend_months=36)
    assert (windows.last.start, windows.last.end) == (dt.date(2017, 10, 1), dt.date(2018, 9, 30))
    assert (windows.previous.start, windows.previous.end) == (dt.date(2016, 10, 1), dt.date(2017, 9, 30))
    assert windows.last.label == "October 2017 – September 2018"
    with pytest.raises(DataError, match="need data from October 2016"):
        resolve_windows(months[1:], dt.date(2018, 9, 30), end=None, months=12, trend_months=36)


@pytest.mark.parametrize(
    ("first", "says"),
    [
        # seven months to the last one: the windows can only be shorter
        (dt.date(2018, 3, 1), "; use --window-months 3 (the longest these data hold), or add the files of earlier"),
        # one month holds no pair of windows, and there is no later month
        (dt.date(2018, 9, 1), "need data from October 2016; add the files of earlier months"),
    ],
)
def test_too_short_data_name_the_window_that_fits(first, says):
    months = np.array([index_of(first), index_of(dt.date(2018, 9, 1))])
    with pytest.raises(DataError) as raised:
        resolve_windows(months, dt.date(2018, 9, 30), end=None, months=12, trend_months=36)
    assert says in str(raised.value)


def test_counter_counts_by_category_and_month():
    frame = pd.DataFrame({"kind": pd.Categorical(["x", "y", "x", "x"])})
    dates = pd.Series(pd.to_datetime(["2018-01-05", "2018-01-31", "2018-03-01", "2017-12-31"]))
    counter = Counter.of(frame, dates)
    first, last = index_of(dt.date(2018, 1, 1)), index_of(dt.date(2018, 3, 1))
    assert counter.by("kind", first, last) == {"x": 2, "y": 1}
    assert counter.monthly(first, last) == [2, 0, 1]
    assert counter.total(first, last, counter.mask("kind", ("x",))) == 2


def test_a_table_of_one_place_and_empty_non_places_compares_nothing():
    """A force's area table: one area, then 'No location' and 'Outside force area' with nothing in them."""
    from builder.figures.model import ComparisonTable, Row

    durham, empty = Row("Durham", 35, 28, share_pct=100.0), Row("No location", 0, 0)
    outside = Row("Outside force area", 2, 0)
    table = ComparisonTable((durham, empty, outside), Row("Total", 37, 28))
    assert not table.comparable  # one place: no table, no sentence comparing places
    assert [r.label for r in table.shown] == ["Durham", "Outside force area"]  # an empty non-place is not printed
    two = ComparisonTable((durham, Row("Darlington", 10, 12)), Row("Total", 45, 40))
    assert two.comparable and len(two.shown) == 2
