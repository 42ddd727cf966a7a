"""Rank the force among its Most Similar Forces by crimes per 1,000 population."""

from __future__ import annotations

import pandas as pd

from builder.figures.model import PeerComparison, PeerRow, Window


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
    summed = chosen.groupby("force", sort=True).agg(
        population=("population", "max"), last_12=("last_12", "sum"), previous_12=("previous_12", "sum")
    )
    rows = [
        PeerRow(str(force), int(r.population), int(r.last_12), int(r.previous_12), False)
        for force, r in summed.iterrows()
        if str(force) != home_force
    ]
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
