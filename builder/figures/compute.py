"""Compute every figure of the pack from the canonical data: pure, no I/O.

The stage takes the validated config and dataset and returns ``PackFigures``; tables,
charts and narrative all read from that one result, so a number can never differ
between the prose and the table that shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from builder.config.schema import PackConfig, Spc, Theme
from builder.data.canonical import POSITIVE_OUTCOMES, Dataset
from builder.errors import DataError
from builder.figures.completeness import ALL_CRIME, BASELINE_MONTHS, Completeness, Series, assess
from builder.figures.counting import Counter, label_mask, relabel_all
from builder.figures.model import (
    Breakdown,
    Change,
    ComparisonTable,
    PackFigures,
    PeerComparison,
    ThemeFigures,
    Trend,
    Windows,
)
from builder.figures.peers import peer_comparison
from builder.figures.periods import earliest_month, index_of, month_of, parse_month, resolve_windows, window
from builder.figures.spc import Direction, xmr
from builder.figures.spc_sentence import spc_sentence
from builder.figures.tables import comparison_table
from builder.narrative.grammar import is_plural

FILE_GROUP = "Most Similar Forces"
"""The peer group's name for a peers table when the config gives none."""
UNASSIGNED = "Unassigned"
"""The area of an NPT the config's ``areas`` do not list (and of a crime with no NPT)."""


def count_dates(crimes: pd.DataFrame, config: PackConfig) -> pd.Series:
    """Each crime's counting date: committed or recorded, by its type's date basis."""
    types = crimes["crime_type"].cat.categories
    recorded_types = [t for t in types if config.date_basis(str(t)) == "recorded"]
    use_recorded = label_mask(crimes["crime_type"], recorded_types)
    dates = np.where(use_recorded, crimes["recorded_date"].to_numpy(), crimes["committed_date"].to_numpy())
    return pd.Series(dates, index=crimes.index)


def compute_figures(
    config: PackConfig,
    data: Dataset,
    *,
    window_months: int | None = None,
    period_end: str | None = None,
    end_origin: str | None = None,
    windows: Windows | None = None,
) -> PackFigures:
    """Compute the windows, tables, trends and themes of the pack.

    ``end_origin`` says where the last month came from, for messages: by default
    '--period-end' when given, else the config's 'period.end'. ``windows``: the whole
    force's, for one NPT's or area's pack (``--by``). They were checked against the whole
    data; a place whose crimes end or start sooner (none last month, a new NPT) is counted
    in the same months, with zeros, not refused.
    """
    crimes = apply_areas(data.crimes, config.areas)
    dates = count_dates(crimes, config)
    counter = Counter.of(crimes, dates)
    if windows is None:
        windows = resolve_windows(
            counter.month,
            _latest_date(dates),
            end=period_end or config.period.end,
            months=window_months or config.period.months,
            trend_months=config.period.trend_months,
            end_origin=end_origin or ("--period-end" if period_end else "period.end"),
        )
    type_labels = [str(t) for t in counter.frame["crime_type"].cat.categories]
    crime_types = _display_names(_table(counter, "crime_type", windows, labels=type_labels), config)
    owns = {t.key: counter.only(counter.mask("crime_type", tuple(t.crime_types))) for t in config.themes}
    return PackFigures(
        windows=windows,
        all_crime=crime_types.total,
        all_crime_trend=_trend(counter, windows, "All crime", Spc()),
        crime_types=crime_types,
        npt=_table(counter, "npt", windows),
        themes={t.key: _theme(t, owns[t.key], counter, data, config, windows) for t in config.themes},
        completeness=_completeness(counter, owns, config, windows),
    )


def _completeness(counter: Counter, owns: dict[str, Counter], config: PackConfig, windows: Windows) -> Completeness:
    """Low or missing months in the windows, each month read against up to a year before the windows."""
    first = max(earliest_month(counter.month), index_of(windows.previous.start) - BASELINE_MONTHS)
    last = index_of(windows.last.end)
    start = month_of(first)
    series = [Series(ALL_CRIME, "crimes", start, tuple(counter.monthly(first, last)), limits=True)]
    series += [Series(t.title, "crimes", start, tuple(owns[t.key].monthly(first, last))) for t in config.themes]
    previous, last_window = windows.previous, windows.last
    return assess(series, (previous.start, previous.end), (last_window.start, last_window.end), windows.months)


def apply_areas(crimes: pd.DataFrame, areas: dict[str, list[str]]) -> pd.DataFrame:
    """Apply the config's NPT-to-area mapping when one is given (NPTs not listed: 'Unassigned')."""
    if not areas:
        return crimes
    lookup = {npt: area for area, npts in areas.items() for npt in npts}
    return crimes.assign(area=relabel_all(crimes["npt"], lambda npt: lookup.get(npt, UNASSIGNED), UNASSIGNED))


def _latest_date(dates: pd.Series) -> dt.date:
    """The latest counting date, which decides the default period end."""
    latest = dates.max()
    if pd.isna(latest):
        raise DataError("the data hold no dated crimes; check the date columns")
    return pd.Timestamp(latest).date()


def _months(windows: Windows) -> tuple[int, int, int, int]:
    return (
        index_of(windows.last.start),
        index_of(windows.last.end),
        index_of(windows.previous.start),
        index_of(windows.previous.end),
    )


def _table(counter: Counter, column: str, windows: Windows, labels: list[str] | None = None) -> ComparisonTable:
    last_first, last_end, prev_first, prev_end = _months(windows)
    last = counter.by(column, last_first, last_end)
    previous = counter.by(column, prev_first, prev_end)
    names = labels if labels is not None else [n for n in last if last[n] or previous.get(n)]
    return comparison_table(last, previous, names)


def _display_names(table: ComparisonTable, config: PackConfig) -> ComparisonTable:
    """The crime-type table with each type under the one name the pack prints (``PackConfig.display_name``).

    The data's own names stay usable in placeholders as aliases, so narrative written
    before a display name was set still finds its row.
    """
    names = {row.label: config.display_name(row.label) for row in table.rows}
    if all(old == new for old, new in names.items()):
        return table
    rows = tuple(replace(row, label=names[row.label]) for row in table.rows)
    return ComparisonTable(rows, table.total, {old: new for old, new in names.items() if old != new})


DIRECTIONS: dict[str, Direction] = {
    "lower_is_better": "decrease",
    "higher_is_better": "increase",
    "neutral": "neutral",
}
"""The config's ``spc.direction`` as the SPC rules name the direction of improvement."""


def _trend(
    counter: Counter, windows: Windows, subject: str, spc: Spc, direction: Direction | None = None, plural: bool = False
) -> Trend:
    first, last = index_of(windows.trend.start), index_of(windows.trend.end)
    values = counter.monthly(first, last)
    periods = [month_of(m) for m in range(first, last + 1)]
    rebase = [month_of(parse_month(r)) for r in spc.rebase]
    result = xmr(
        periods,
        values,
        direction=direction or DIRECTIONS[spc.direction],
        screen=spc.screen,
        baseline=spc.baseline,
        rebase=rebase,
    )
    return Trend(tuple(periods), tuple(values), result, spc_sentence(result, subject, plural=plural))


def _theme(
    theme: Theme, own: Counter, counter: Counter, data: Dataset, config: PackConfig, windows: Windows
) -> ThemeFigures:
    """A theme's figures, counted over the theme's own crimes (``own``, the counter narrowed to them)."""
    types = tuple(theme.crime_types)
    last_first, last_end, prev_first, prev_end = _months(windows)
    npt_labels = [str(n) for n in counter.frame["npt"].cat.categories]
    area_labels = [str(a) for a in counter.frame["area"].dropna().cat.categories]
    plural = is_plural(theme.title) if theme.plural is None else theme.plural
    figures = ThemeFigures(
        key=theme.key,
        title=theme.title,
        plural=plural,
        crime_types=types,
        last_12=own.total(last_first, last_end),
        previous_12=own.total(prev_first, prev_end),
        spc=_trend(own, windows, theme.title, theme.spc, plural=plural),
        npt=_table(own, "npt", windows, npt_labels),
        area=_table(own, "area", windows, area_labels),
        peers=_peers(theme, own, data, config),
    )
    return _with_extras(figures, theme, own, data, windows)


def _peers(theme: Theme, own: Counter, data: Dataset, config: PackConfig) -> PeerComparison | None:
    """The comparison with a peers table (source 'file'); other sources compare forces after this."""
    peers = config.peers
    if peers is None or peers.source != "file" or data.peers is None:
        return None
    if peers.period_end is None or peers.population is None:  # the config's validation ensures both
        return None
    end = parse_month(peers.period_end)
    return peer_comparison(
        data.peers,
        crime_types=tuple(theme.crime_types),
        period_end=peers.period_end,
        period=window(end - 11, end),
        home_force=config.cover.force,
        home_population=peers.population,
        home_last=own.total(end - 11, end),
        home_previous=own.total(end - 23, end - 12),
        group_name=peers.group_name or FILE_GROUP,
    )


def _asb_label(asb: pd.DataFrame) -> str:
    """What the ASB table holds, from its category column (drug-related ASB, or all ASB)."""
    categories = asb["category"].dropna().unique() if "category" in asb.columns else []
    if len(categories) == 1:
        text = str(categories[0])
        return "Drug-related anti-social behaviour" if text == "Drug-related ASB" else text
    return "Anti-social behaviour"


def _with_extras(figures: ThemeFigures, theme: Theme, own: Counter, data: Dataset, windows: Windows) -> ThemeFigures:
    """Add the drugs analysis a theme asks for: offence types, drug ASB, positive outcomes."""
    last_first, last_end, prev_first, prev_end = _months(windows)
    extras: dict[str, Any] = {}
    if "drug_offence_types" in theme.extras:
        counts = own.by("drug_offence_type", last_first, last_end)
        rows = tuple(sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: -kv[1]))
        extras["offence_types"] = Breakdown(rows)
    if "drug_asb" in theme.extras and data.asb is not None:
        asb = Counter.of(data.asb, data.asb["incident_date"])
        label = _asb_label(data.asb)
        extras["asb"] = _trend(asb, windows, label, Spc())
        extras["asb_change"] = Change(label, asb.total(last_first, last_end), asb.total(prev_first, prev_end))
    if "positive_outcomes" in theme.extras:
        positive = own.only(own.mask("outcome", POSITIVE_OUTCOMES))
        outcomes = positive.dated_by(own.frame["outcome_date"])
        extras["outcomes"] = _trend(outcomes, windows, "Positive outcomes", Spc(), direction="increase", plural=True)
        extras["outcomes_change"] = Change(
            "Positive outcomes", outcomes.total(last_first, last_end), outcomes.total(prev_first, prev_end)
        )
    return replace(figures, **extras)
