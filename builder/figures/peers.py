"""Rank a force among its peers: by crimes per 1,000 people when populations are known, else by change.

Peers are other forces over the same months. Their counts come from a peers table
(``peer_comparison``), from the other forces of the same run counted exactly like the
pack (``run_peers``), or from the ONS rolling-year totals by Police Force Area
(``ons_counts``); ``compare_group`` ranks any of them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from builder.figures.model import PackFigures, PeerComparison, PeerRow, Window

if TYPE_CHECKING:  # pragma: no cover - the peers table arrives as a frame; this module needs no pandas itself
    import pandas as pd

RUN_GROUP = "Forces in this run"
"""The peer group's name when every force of the run is compared with every other."""


def peer_comparison(
    peers: pd.DataFrame,
    *,
    crime_types: tuple[str, ...],
    period_end: str,
    period: Window,
    home_force: str,
    home_population: int,
    home_last: int,
    home_previous: int,
    group_name: str,
) -> PeerComparison | None:
    """Compare the force with each peer of a peers table on the theme's crime types; None if no peer data."""
    chosen = peers[(peers["period_end"] == period_end) & peers["crime_type"].isin(crime_types)]
    if chosen.empty:
        return None
    rows = [PeerRow(force, *figures, False) for force, figures in _by_force(chosen).items() if force != home_force]
    rows.append(PeerRow(home_force, home_population, home_last, home_previous, True))
    return _ranked(rows, group_name, period)


def compare_group(
    home: str,
    counts: Mapping[str, tuple[int, int]],
    populations: Mapping[str, int] | None,
    *,
    group_name: str,
    period: Window,
) -> PeerComparison | None:
    """``home`` among the forces of ``counts`` (force -> last, previous; home included); None alone.

    Rates, and the ranking by rate, need a population for every force of the group;
    without them the forces are ranked by percentage change.
    """
    if home not in counts or len(counts) < 2:
        return None
    rows = [
        PeerRow(force, (populations or {}).get(force), last, previous, force == home)
        for force, (last, previous) in counts.items()
    ]
    return _ranked(rows, group_name, period)


def run_peers(
    figures: Mapping[str, PackFigures],
    groups: Mapping[str, str] | None,
    populations: Mapping[str, int] | None,
    group_name: str | None = None,
) -> dict[str, PackFigures]:
    """Each force's figures with every theme compared with its peers in the same run.

    ``groups`` (force -> group) limits a force's peers to its group; without it every
    force of the run is a peer. A force outside every group gets no comparison.
    """
    out = {}
    for force, own in figures.items():
        group = groups.get(force) if groups is not None else RUN_GROUP
        members = [f for f in figures if groups is None or groups.get(f) == group]
        themes = {}
        for key, theme in own.themes.items():
            counts = {f: (figures[f].themes[key].last_12, figures[f].themes[key].previous_12) for f in members}
            name = group_name or str(group)
            comparison = compare_group(force, counts, populations, group_name=name, period=own.windows.last)
            themes[key] = replace(theme, peers=comparison) if group is not None else replace(theme, peers=None)
        out[force] = replace(own, themes=themes)
    return out


def _ranked(rows: list[PeerRow], group_name: str, period: Window) -> PeerComparison:
    """The rows in rank order (rate if every force has one, else change) with the home force's ranks.

    Ties put the home force first, so a force is never ranked below a peer with the same figure.
    """
    by_change = sorted(rows, key=_change_order)
    by_rate = all(r.rate is not None for r in rows)
    ordered = sorted(rows, key=lambda r: (r.rate, not r.is_home, r.force)) if by_rate else by_change
    rank = next(i for i, r in enumerate(ordered, start=1) if r.is_home)
    group_last = sum(r.last_12 for r in rows)
    group_previous = sum(r.previous_12 for r in rows)
    group_change = 100.0 * (group_last - group_previous) / group_previous if group_previous else None
    home = ordered[rank - 1]
    return PeerComparison(
        group_name=group_name,
        period=period,
        rows=tuple(ordered),
        rank=rank,
        group_size=len(rows),
        group_change_pct=group_change,
        home_change_pct=home.change_pct,
        ranked_by="rate" if by_rate else "change",
        change_rank=next(i for i, r in enumerate(by_change, start=1) if r.is_home),
    )


def _change_order(row: PeerRow) -> tuple[bool, float, bool, str]:
    """Lowest percentage change first (the largest fall); a force with no previous crimes last."""
    change = row.change_pct
    return (change is None, change if change is not None else 0.0, not row.is_home, row.force)


def ons_counts(ons: pd.DataFrame, offences: tuple[str, ...], period_end: str) -> dict[str, tuple[int, int]]:
    """Each force's (last year, year before) of ``offences`` from ONS rolling-year totals ending ``period_end``.

    ``ons`` has columns period_end (YYYY-MM), force, offence, count. A force needs both
    years to be compared.
    """
    year, month = int(period_end[:4]), period_end[5:]
    before = f"{year - 1}-{month}"
    chosen = ons[ons["offence"].isin(offences) & ons["period_end"].isin((period_end, before))]
    totals = chosen.groupby(["force", "period_end"], observed=True)["count"].sum()
    out = {}
    for force in sorted({f for f, _ in totals.index}):
        if (force, period_end) in totals.index and (force, before) in totals.index:
            out[str(force)] = (int(totals[(force, period_end)]), int(totals[(force, before)]))
    return out


def _by_force(chosen: pd.DataFrame) -> dict[str, tuple[int, int, int]]:
    """Each force's population (the largest given) and summed counts, in force order.

    What ``groupby("force").agg(...)`` gives, rows without a force left out, without
    pandas' milliseconds of overhead on a table of a few dozen rows (once per theme).
    """
    totals: dict[str, tuple[int, int, int]] = {}
    columns = (chosen[c].tolist() for c in ("force", "population", "last_12", "previous_12"))
    for force, population, last, previous in zip(*columns):
        if not isinstance(force, str):  # missing (pd.NA)
            continue
        known = totals.get(force)
        if known is not None:
            population, last, previous = max(known[0], population), known[1] + last, known[2] + previous
        totals[force] = (int(population), int(last), int(previous))
    return dict(sorted(totals.items()))
