"""Rank the force among its Most Similar Forces by crimes per 1,000 population."""

from __future__ import annotations

from typing import TYPE_CHECKING

from builder.figures.model import PeerComparison, PeerRow, Window

if TYPE_CHECKING:  # pragma: no cover - the peers table arrives as a frame; this module needs no pandas itself
    import pandas as pd


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
    """Compare the force with each peer on the theme's crime types; None if no peer data."""
    chosen = peers[(peers["period_end"] == period_end) & peers["crime_type"].isin(crime_types)]
    if chosen.empty:
        return None
    rows = [PeerRow(force, *figures, False) for force, figures in _by_force(chosen).items() if force != home_force]
    rows.append(PeerRow(home_force, home_population, home_last, home_previous, True))
    rows.sort(key=lambda r: (r.rate, not r.is_home))
    rank = next(i for i, r in enumerate(rows, start=1) if r.is_home)
    group_last = sum(r.last_12 for r in rows)
    group_previous = sum(r.previous_12 for r in rows)
    group_change = 100.0 * (group_last - group_previous) / group_previous if group_previous else None
    home = rows[rank - 1]
    return PeerComparison(
        group_name=group_name,
        period=period,
        rows=tuple(rows),
        rank=rank,
        group_size=len(rows),
        group_change_pct=group_change,
        home_change_pct=home.change_pct,
    )


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
