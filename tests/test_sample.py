"""Tests for the synthetic sample generator (builder.sample).

Every expectation is computed from the published golden tables in
tests/data/golden or from the generated files themselves, never copied from the
generator, so a mistake in the generator's constants cannot hide here.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from builder.sample import (
    GENERATOR_VERSION,
    SAMPLE_FORCE,
    SAMPLE_POPULATION,
    ensure_sample,
    generate,
)
from builder.sample.integerise import controlled_round, largest_remainder

REFERENCE = Path(__file__).resolve().parent / "data" / "golden"
END = pd.Timestamp("2018-09-30")
FIRST_MONTH = 2015 * 12 + 10 - 1  # October 2015 as months since year 0
MONTHS = 36
LAST = range(FIRST_MONTH + 24, FIRST_MONTH + 36)
PREVIOUS = range(FIRST_MONTH + 12, FIRST_MONTH + 24)
YEAR1 = range(FIRST_MONTH, FIRST_MONTH + 12)
PEER_LAST = range(2017 * 12 + 5, 2018 * 12 + 5)  # Jun 2017 - May 2018
PEER_PREVIOUS = range(2016 * 12 + 5, 2017 * 12 + 5)  # Jun 2016 - May 2017
AREAS = {
    "SOT North": "North",
    "SOT South": "North",
    "Newcastle": "North",
    "Moorlands": "North",
    "East Staffs": "East",
    "Lichfield": "East",
    "Tamworth": "East",
    "Stafford": "West",
    "Cannock": "West",
    "South Staffs": "West",
}
THEMES = ("Personal Robbery", "Theft Of Motor Vehicles", "Burglary Business and Community", "Drug Offences")
CRIME_COLUMNS = [
    "crime_ref",
    "crime_type",
    "committed_date",
    "recorded_date",
    "npt",
    "area",
    "drug_offence_type",
    "outcome",
    "outcome_date",
]


# ---------------------------------------------------------------- helpers


def month_number(dates: pd.Series) -> pd.Series:
    """Months since year 0, so windows are integer ranges."""
    return dates.dt.year * 12 + dates.dt.month - 1


def read_crimes(path: Path) -> pd.DataFrame:
    """Read a crimes file (CSV or Parquet) with real dates and a counting month."""
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    for column in ("committed_date", "recorded_date", "outcome_date"):
        frame[column] = pd.to_datetime(frame[column].astype("string").replace("", pd.NA), format="%Y-%m-%d")
    return frame


def with_basis_month(crimes: pd.DataFrame, golden_types: pd.DataFrame) -> pd.DataFrame:
    """Add ``month``: the month of the date each crime type is counted by."""
    by_recorded = crimes["crime_type"].astype(str).map(golden_types["date_basis"]).eq("recorded")
    basis_date = crimes["recorded_date"].where(by_recorded, crimes["committed_date"])
    return crimes.assign(month=month_number(basis_date))


def window_counts(frame: pd.DataFrame, key: str, window: range) -> pd.Series:
    """Count rows per ``key`` whose month lies in ``window``."""
    inside = frame[frame["month"].between(window.start, window.stop - 1)]
    return inside[key].astype(str).value_counts()


def month_counts(months: pd.Series) -> np.ndarray:
    """Counts for each of the 36 sample months (zeros where empty) from month numbers."""
    counts = months.value_counts()
    return np.array([int(counts.get(FIRST_MONTH + i, 0)) for i in range(MONTHS)])


def monthly(frame: pd.DataFrame) -> np.ndarray:
    """Counts per sample month of a frame with a ``month`` column."""
    return month_counts(frame["month"])


def xmr(values: np.ndarray, *, screened: bool) -> tuple[float, float, float]:
    """Mean and control limits of an XmR chart, optionally screening large moving ranges once."""
    mean = float(values.mean())
    ranges = np.abs(np.diff(values.astype(float)))
    mr_bar = float(ranges.mean())
    if screened:
        mr_bar = float(ranges[ranges < 3.267 * mr_bar].mean())
    return mean, mean + 2.66 * mr_bar, mean - 2.66 * mr_bar


def pct_change(last: pd.Series, previous: pd.Series) -> pd.Series:
    return (last - previous) / previous * 100


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def golden_types() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "crime_types_2018.csv").set_index("crime_type")


@pytest.fixture(scope="module")
def golden_npts() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "npt_2018.csv").set_index("npt")


@pytest.fixture(scope="module")
def sample_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate(tmp_path_factory.mktemp("scale1"), scale=1, fmt="csv")


@pytest.fixture(scope="module")
def crimes(sample_paths: dict[str, Path], golden_types: pd.DataFrame) -> pd.DataFrame:
    return with_basis_month(read_crimes(sample_paths["crimes"]), golden_types)


@pytest.fixture(scope="module")
def asb(sample_paths: dict[str, Path]) -> pd.DataFrame:
    frame = pd.read_csv(sample_paths["asb"], keep_default_na=False)
    frame["incident_date"] = pd.to_datetime(frame["incident_date"], format="%Y-%m-%d")
    return frame.assign(month=month_number(frame["incident_date"]))


@pytest.fixture(scope="module")
def peers(sample_paths: dict[str, Path]) -> pd.DataFrame:
    return pd.read_csv(sample_paths["peers"])


@pytest.fixture(scope="module")
def npt_by_theme(crimes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per theme, a frame of previous and last counts by NPT."""
    result = {}
    for theme in THEMES:
        rows = crimes[crimes["crime_type"] == theme]
        result[theme] = pd.DataFrame(
            {"previous": window_counts(rows, "npt", PREVIOUS), "last": window_counts(rows, "npt", LAST)}
        ).fillna(0)
    return result


# ---------------------------------------------------------------- files and columns


def test_api_constants() -> None:
    assert SAMPLE_POPULATION == 1_131_100
    assert SAMPLE_FORCE == "Staffordshire Police"


def test_files_and_columns(sample_paths: dict[str, Path], crimes: pd.DataFrame, asb: pd.DataFrame) -> None:
    assert {k: p.name for k, p in sample_paths.items()} == {
        "crimes": "crimes.csv",
        "asb": "asb.csv",
        "peers": "peers.csv",
    }
    assert list(crimes.columns[:9]) == CRIME_COLUMNS
    assert list(asb.columns[:5]) == ["incident_ref", "incident_date", "npt", "area", "category"]
    assert crimes["crime_ref"].is_unique and asb["incident_ref"].is_unique
    assert crimes["crime_ref"].str.fullmatch(r"SP/\d{2}/\d{7}").all()


def test_vocabularies(crimes: pd.DataFrame, golden_types: pd.DataFrame, golden_npts: pd.DataFrame) -> None:
    assert set(crimes["crime_type"]) == set(golden_types.index)
    assert set(crimes["npt"]) == set(golden_npts.index)
    assert (crimes["area"] == crimes["npt"].map(AREAS)).all()
    drugs = crimes["crime_type"] == "Drug Offences"
    assert set(crimes.loc[drugs, "drug_offence_type"]) == {
        "Possession of cannabis",
        "Possession of other drugs",
        "Supply",
        "Production",
        "Other drug offences",
    }
    assert (crimes.loc[~drugs, "drug_offence_type"] == "").all()
    assert set(crimes.loc[drugs, "outcome"]) == {"", "Charge", "Caution", "Community resolution"}
    assert (crimes.loc[~drugs, "outcome"] == "").all()
    assert ((crimes["outcome"] == "") == crimes["outcome_date"].isna()).all()


def test_dates(crimes: pd.DataFrame, asb: pd.DataFrame) -> None:
    assert (crimes["recorded_date"] >= crimes["committed_date"]).all()
    lag = (crimes["recorded_date"] - crimes["committed_date"]).dt.days
    assert lag.max() <= 30 and lag.median() <= 3
    for column in ("committed_date", "recorded_date", "outcome_date"):
        assert crimes[column].max() <= END
    assert crimes["month"].between(FIRST_MONTH, FIRST_MONTH + MONTHS - 1).all()
    has_outcome = crimes["outcome_date"].notna()
    assert (crimes.loc[has_outcome, "outcome_date"] >= crimes.loc[has_outcome, "recorded_date"]).all()
    assert asb["incident_date"].min() >= pd.Timestamp("2015-10-01") and asb["incident_date"].max() <= END


# ---------------------------------------------------------------- golden tables


@pytest.mark.parametrize(("window", "column"), [(LAST, "last_12_months"), (PREVIOUS, "previous_12_months")])
def test_crime_type_counts_match_golden(
    crimes: pd.DataFrame, golden_types: pd.DataFrame, window: range, column: str
) -> None:
    counts = window_counts(crimes, "crime_type", window)
    pd.testing.assert_series_equal(
        counts.reindex(golden_types.index), golden_types[column], check_names=False, check_dtype=False
    )


@pytest.mark.parametrize(("window", "column"), [(LAST, "last_12_months"), (PREVIOUS, "previous_12_months")])
def test_npt_counts_match_golden(crimes: pd.DataFrame, golden_npts: pd.DataFrame, window: range, column: str) -> None:
    counts = window_counts(crimes, "npt", window)
    pd.testing.assert_series_equal(
        counts.reindex(golden_npts.index), golden_npts[column], check_names=False, check_dtype=False
    )


def test_theme_rows_sum_to_golden(npt_by_theme: dict[str, pd.DataFrame], golden_types: pd.DataFrame) -> None:
    for theme, table in npt_by_theme.items():
        assert table["last"].sum() == golden_types.loc[theme, "last_12_months"]
        assert table["previous"].sum() == golden_types.loc[theme, "previous_12_months"]


# ---------------------------------------------------------------- theme NPT stories


def test_robbery_npt_story(npt_by_theme: dict[str, pd.DataFrame]) -> None:
    table = npt_by_theme["Personal Robbery"]
    change = pct_change(table["last"], table["previous"])
    assert (change > 0).sum() == 8
    assert change.idxmax() == "SOT North" and round(change.max()) == 53
    assert table.loc["Moorlands", "last"] == 14 and table.loc["Moorlands", "previous"] == 28
    by_area = table.groupby(table.index.map(AREAS)).sum()
    area_change = pct_change(by_area["last"], by_area["previous"]).round()
    assert area_change["North"] == 35 and area_change["East"] == 20


def test_tomv_npt_story(npt_by_theme: dict[str, pd.DataFrame]) -> None:
    table = npt_by_theme["Theft Of Motor Vehicles"]
    change = pct_change(table["last"], table["previous"]).sort_values(ascending=False)
    assert (change > 0).all()
    assert list(change.index[:2]) == ["South Staffs", "Lichfield"]
    assert list(change.round()[:2]) == [88, 83]


def test_bbc_npt_story(npt_by_theme: dict[str, pd.DataFrame]) -> None:
    table = npt_by_theme["Burglary Business and Community"]
    difference = table["last"] - table["previous"]
    assert (difference > 0).sum() == 7 and (difference < 0).sum() == 3
    by_area = difference.groupby(difference.index.map(AREAS)).sum()
    assert by_area["North"] > by_area["East"] and by_area["West"] > by_area["East"]
    top_four = set(pct_change(table["last"], table["previous"]).nlargest(4).index)
    assert top_four == {"Newcastle", "South Staffs", "Lichfield", "Cannock"}


def test_drugs_npt_story(npt_by_theme: dict[str, pd.DataFrame]) -> None:
    table = npt_by_theme["Drug Offences"]
    change = pct_change(table["last"], table["previous"])
    assert (change < 0).all()
    assert change.idxmin() == "Stafford" and round(change.min()) == -36
    assert table.loc["Stafford", "last"] - table.loc["Stafford", "previous"] == -90


# ---------------------------------------------------------------- monthly shapes


@pytest.mark.parametrize("screened", [False, True])
def test_robbery_spc_breach_in_july_2018(crimes: pd.DataFrame, screened: bool) -> None:
    robbery = crimes[crimes["crime_type"] == "Personal Robbery"]
    series = month_counts(month_number(robbery["committed_date"]))
    mean, ucl, lcl = xmr(series, screened=screened)
    above = np.flatnonzero(series > ucl)
    july_2018 = 2018 * 12 + 6 - FIRST_MONTH
    assert above.size and above[0] == july_2018
    assert not (series < lcl).any()
    assert (series[july_2018 + 1 :] > mean).all()


def test_robbery_has_no_long_rising_run_before_july_2018(crimes: pd.DataFrame) -> None:
    series = monthly(crimes[crimes["crime_type"] == "Personal Robbery"])[:33]
    run = longest = 1
    for before, after in zip(series, series[1:]):
        run = run + 1 if after > before else 1
        longest = max(longest, run)
    assert longest < 7


def test_yearly_totals_rise_for_all_crime_robbery_and_tomv(crimes: pd.DataFrame) -> None:
    for frame in (crimes, *(crimes[crimes["crime_type"] == t] for t in THEMES[:2])):
        years = [frame["month"].between(w.start, w.stop - 1).sum() for w in (YEAR1, PREVIOUS, LAST)]
        assert years[0] < years[1] < years[2]
    slope = np.polyfit(np.arange(MONTHS), monthly(crimes), 1)[0]
    assert slope > 0


def test_tomv_last_12_months_above_mean(crimes: pd.DataFrame) -> None:
    series = monthly(crimes[crimes["crime_type"] == "Theft Of Motor Vehicles"])
    assert (series[24:] > series.mean()).all()


def test_bbc_stable_then_rising_from_march_2018(crimes: pd.DataFrame) -> None:
    series = monthly(crimes[crimes["crime_type"] == "Burglary Business and Community"])
    march_2018 = 2018 * 12 + 2 - FIRST_MONTH
    stable, rising = series[:march_2018], series[march_2018:]
    assert stable.max() / stable.min() < 1.1
    assert rising.min() > stable.max() and (np.diff(rising) > 0).all()


def test_drugs_stable_then_declining(crimes: pd.DataFrame) -> None:
    series = monthly(crimes[crimes["crime_type"] == "Drug Offences"])
    august_2017 = 2017 * 12 + 7 - FIRST_MONTH
    stable, falling = series[:august_2017], series[august_2017 - 1 :]
    assert stable.max() / stable.min() < 1.05
    assert (np.diff(falling) < 0).all()
    assert set(np.argsort(series, kind="stable")[:3]) == {33, 34, 35}


def test_drug_offence_types_mostly_cannabis(crimes: pd.DataFrame) -> None:
    drugs = crimes.loc[crimes["crime_type"] == "Drug Offences", "drug_offence_type"]
    share = drugs.value_counts(normalize=True)
    assert 0.45 <= share["Possession of cannabis"] <= 0.55
    assert share.idxmax() == "Possession of cannabis"


def test_positive_outcomes_rise(crimes: pd.DataFrame) -> None:
    outcomes = crimes[crimes["outcome"] != ""]
    series = month_counts(month_number(outcomes["outcome_date"]))
    year1, previous, last = series[:12].sum(), series[12:24].sum(), series[24:].sum()
    assert year1 < previous < last
    assert np.polyfit(np.arange(MONTHS), series, 1)[0] > 0
    offences = monthly(crimes[crimes["crime_type"] == "Drug Offences"])
    assert offences[24:].sum() < offences[12:24].sum()  # rising even though offences fall


def test_asb_totals_and_rise(asb: pd.DataFrame) -> None:
    series = monthly(asb)
    assert series[12:24].sum() == 219 and series[24:].sum() == 1060
    assert 180 <= series[:12].sum() <= 220
    assert series[24:].min() > series[:24].max()
    assert (np.diff(series[24:]) > 0).all()
    assert set(asb["category"]) == {"Drug-related ASB"}
    assert (asb["area"] == asb["npt"].map(AREAS)).all()


# ---------------------------------------------------------------- peers


def test_peer_rows(peers: pd.DataFrame) -> None:
    assert list(peers.columns) == [
        "force",
        "population",
        "crime_type",
        "period_end",
        "last_12",
        "previous_12",
    ]
    assert sorted(set(peers["force"])) == [f"Peer Force {c}" for c in "ABCDEFG"]
    assert len(peers) == 7 * 4 and set(peers["crime_type"]) == set(THEMES)
    assert peers["population"].between(900_000, 2_000_000).all()
    assert (peers["period_end"] == "2018-05").all()
    assert (peers[["last_12", "previous_12"]] > 0).all().all()


@pytest.mark.parametrize(
    ("theme", "rank"),
    [
        ("Personal Robbery", 4),
        ("Theft Of Motor Vehicles", 7),
        ("Burglary Business and Community", 4),
        ("Drug Offences", 1),
    ],
)
def test_peer_rank_and_group_change(crimes: pd.DataFrame, peers: pd.DataFrame, theme: str, rank: int) -> None:
    rows = crimes[crimes["crime_type"] == theme]
    home_last = rows["month"].between(PEER_LAST.start, PEER_LAST.stop - 1).sum()
    home_previous = rows["month"].between(PEER_PREVIOUS.start, PEER_PREVIOUS.stop - 1).sum()
    group = peers[peers["crime_type"] == theme]
    home_rate = home_last / SAMPLE_POPULATION * 1000
    rates = group["last_12"] / group["population"] * 1000
    assert 1 + (rates < home_rate).sum() == rank and not (rates == home_rate).any()
    home_change = home_last / home_previous - 1
    group_change = (home_last + group["last_12"].sum()) / (home_previous + group["previous_12"].sum()) - 1
    if theme == "Drug Offences":
        assert home_change < 0 and home_change < group_change
    else:
        assert home_change > group_change


# ---------------------------------------------------------------- determinism, scale, cache


def test_same_arguments_give_identical_bytes(sample_paths: dict[str, Path], tmp_path: Path) -> None:
    again = generate(tmp_path / "again", scale=1, fmt="csv")
    for key, path in sample_paths.items():
        assert again[key].read_bytes() == path.read_bytes(), key
    first = generate(tmp_path / "p1", fmt="parquet")
    second = generate(tmp_path / "p2", scale=1, fmt="parquet")
    for key in first:
        assert first[key].read_bytes() == second[key].read_bytes(), key
    assert not list((tmp_path / "p1").glob(".*")), "temporary files left behind"


def test_scale_2_doubles_every_count(
    crimes: pd.DataFrame, asb: pd.DataFrame, peers: pd.DataFrame, golden_types: pd.DataFrame, tmp_path: Path
) -> None:
    paths = generate(tmp_path, scale=2, fmt="parquet")
    double = with_basis_month(read_crimes(paths["crimes"]), golden_types)
    for key in ("crime_type", "npt", "drug_offence_type", "outcome"):
        one = crimes.groupby([key, "month"]).size()
        two = double.assign(**{key: double[key].astype("string").fillna("")}).groupby([key, "month"]).size()
        pd.testing.assert_series_equal(two.reindex(one.index), one * 2, check_names=False)
    outcomes_one = month_counts(month_number(crimes["outcome_date"].dropna()))
    outcomes_two = month_counts(month_number(double["outcome_date"].dropna()))
    assert (outcomes_two == 2 * outcomes_one).all()
    asb_two = pd.read_parquet(paths["asb"])
    assert (month_counts(month_number(pd.to_datetime(asb_two["incident_date"]))) == 2 * monthly(asb)).all()
    peers_two = pd.read_csv(paths["peers"])
    assert (peers_two[["last_12", "previous_12"]] == 2 * peers[["last_12", "previous_12"]]).all().all()
    assert (peers_two["population"] == peers["population"]).all()


def test_ensure_sample_caches_and_survives_a_race(tmp_path: Path) -> None:
    results: list[Path] = []
    threads = [threading.Thread(target=lambda: results.append(ensure_sample(1, tmp_path))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and results[0] == results[1]
    folder = results[0]
    assert GENERATOR_VERSION in folder.name
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name], "staging folders left behind"
    assert {p.name for p in folder.iterdir()} == {"crimes.parquet", "asb.parquet", "peers.csv"}
    stamp = (folder / "crimes.parquet").stat().st_mtime_ns
    assert ensure_sample(1, tmp_path) == folder
    assert (folder / "crimes.parquet").stat().st_mtime_ns == stamp


def test_ensure_sample_uses_cache_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFPACK_CACHE", str(tmp_path / "cache"))
    folder = ensure_sample(2)
    assert folder.parent == tmp_path / "cache"
    assert GENERATOR_VERSION in folder.name and "2" in folder.name
    assert folder != ensure_sample(1)


@pytest.mark.parametrize(("scale", "fmt"), [(0, "csv"), (-1, "csv"), (1.5, "csv"), (1, "xlsx")])
def test_bad_arguments_rejected(tmp_path: Path, scale: object, fmt: str) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, scale=scale, fmt=fmt)  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------- integer rounding


def test_largest_remainder_is_exact_and_proportional() -> None:
    rng = np.random.default_rng(1)
    for _ in range(50):
        weights = rng.random(12) + 0.01
        total = int(rng.integers(0, 500))
        counts = largest_remainder(weights, total)
        exact = weights / weights.sum() * total
        assert counts.sum() == total and (np.abs(counts - exact) < 1).all()


def test_controlled_round_keeps_margins_and_stays_within_one() -> None:
    rng = np.random.default_rng(2)
    for _ in range(50):
        rows = rng.integers(0, 60, size=int(rng.integers(1, 20)))
        cols = largest_remainder(rng.random(int(rng.integers(1, 12))) + 0.01, int(rows.sum()))
        exact = np.outer(rows, cols) / max(rows.sum(), 1)
        result = controlled_round(exact, rows, cols)
        assert (result.sum(axis=1) == rows).all() and (result.sum(axis=0) == cols).all()
        assert (result >= np.floor(exact + 1e-9)).all() and (result <= np.ceil(exact - 1e-9)).all()
