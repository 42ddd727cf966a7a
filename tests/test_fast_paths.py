"""Each vectorised helper gives exactly what the plainer pandas or numpy call it replaces gives."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from builder.data.assemble import repeated
from builder.data.categories import drop_unused
from builder.data.checks import month_span_gaps
from builder.data.dates import NO_MONTH, month_numbers, parse_dates
from builder.figures.compute import apply_areas
from builder.figures.counting import Counter, label_mask
from builder.figures.model import Window
from builder.figures.peers import peer_comparison

DATES = np.array(
    ["2018-01-31T23:59:59", "NaT", "1969-12-31T12:00", "1900-02-28", "2400-02-29", "2018-02-01"], dtype="datetime64[s]"
)


@pytest.mark.parametrize(
    "values", [DATES, DATES[:0], DATES[1:2], np.array(["0001-01-01", "9999-12-31", "NaT"], dtype="datetime64[s]")]
)
def test_month_numbers_match_numpy(values):
    expected = np.where(np.isnat(values), NO_MONTH, values.astype("datetime64[M]").astype(np.int64))
    assert np.array_equal(month_numbers(values), expected)


def test_dates_keep_their_values_and_lose_their_times():
    midnight = pd.Series(pd.to_datetime(["2018-01-02", None]))
    timed = pd.Series(pd.to_datetime(["2018-01-02 10:30", None]))
    assert parse_dates(midnight)[0].equals(midnight.astype("datetime64[s]"))
    assert parse_dates(timed)[0].equals(timed.astype("datetime64[s]").dt.normalize())


def test_drop_unused_matches_pandas():
    series = pd.Series(pd.Categorical(["b", None, "d", "b"], categories=["a", "b", "c", "d"]))
    assert drop_unused(series).equals(series.cat.remove_unused_categories())
    assert list(drop_unused(series).cat.categories) == ["b", "d"]
    assert drop_unused(series.iloc[:0]).equals(series.iloc[:0].cat.remove_unused_categories())


@pytest.mark.parametrize("refs", [["A1", "A2", "A3"], ["A1", "A1", "A2"], ["A2", "A1", "A2", None, None], ["A1"]])
def test_repeated_references_whether_sorted_or_not(refs):
    series = pd.Series(refs, dtype="string")
    expected = (series.duplicated() & series.notna()).to_numpy()
    assert np.array_equal(repeated(series), expected)


def test_month_gaps_counted_or_sorted_alike():
    months = np.array([600, 603, 600, 605])
    assert month_span_gaps(months) == [601, 602, 604]
    assert month_span_gaps(np.array([0, 12 * 2000])) == list(range(1, 12 * 2000))


@pytest.mark.parametrize("values", [(), ("b",), ("a", "zz"), tuple("abcdefghijk")])
def test_label_mask_matches_isin(values):
    series = pd.Series(pd.Categorical(list("abcdefghijkl") + [None]))
    assert np.array_equal(label_mask(series, values), series.isin(values).to_numpy())


def test_apply_areas_matches_mapping_each_row():
    crimes = pd.DataFrame({"npt": pd.Series(["Cannock", "Leek", None, "Stone", "Leek"], dtype="category")})
    areas = {"West": ["Cannock", "Stone"], "North": ["Leek", "Nowhere"]}
    lookup = {npt: area for area, npts in areas.items() for npt in npts}
    expected = crimes["npt"].astype("string").map(lookup).fillna("Unassigned").astype("category")
    result = apply_areas(crimes, areas)["area"]
    assert result.equals(expected) and result.cat.categories.equals(expected.cat.categories)


def test_a_counter_narrowed_to_some_rows_counts_as_a_mask_does():
    frame = pd.DataFrame(
        {
            "kind": pd.Categorical(list("xyxzx")),
            "when": pd.to_datetime(["2018-01-05", "2018-02-01", "2018-03-01", "2018-01-09", None]),
        }
    )
    counter = Counter.of(frame, pd.Series(pd.to_datetime(["2018-01-01"] * 3 + ["2018-02-01"] * 2)))
    mask = counter.mask("kind", ("x", "z"))
    own = counter.only(mask)
    first, last = 576, 578
    assert own.by("kind", first, last) == counter.by("kind", first, last, mask)
    assert own.monthly(first, last) == counter.monthly(first, last, mask)
    assert np.array_equal(own.mask("kind", ("x",)), counter.mask("kind", ("x",))[mask])
    by_when = own.dated_by(frame["when"])
    assert by_when.monthly(first, last) == Counter.of(frame, frame["when"]).monthly(first, last, mask) == [2, 0, 1]


def test_peer_rows_sum_each_force_and_skip_rows_without_one():
    peers = pd.DataFrame(
        {
            "force": pd.array(["B", "A", "B", None, "Home"], dtype="string"),
            "population": [100, 200, 150, 50, 999],
            "crime_type": pd.array(["X"] * 5, dtype="string"),
            "period_end": pd.array(["2018-05"] * 5, dtype="string"),
            "last_12": [1, 2, 3, 4, 5],
            "previous_12": [1, 1, 1, 1, 1],
        }
    )
    result = peer_comparison(
        peers,
        crime_types=("X",),
        period_end="2018-05",
        period=Window(dt.date(2017, 6, 1), dt.date(2018, 5, 31)),
        home_force="Home",
        home_population=1000,
        home_last=10,
        home_previous=5,
        group_name="G",
    )
    rows = {r.force: (r.population, r.last_12, r.previous_12) for r in result.rows}
    assert rows == {"A": (200, 2, 1), "B": (150, 4, 2), "Home": (1000, 10, 5)}
