"""Synthetic "Most Similar Forces" figures for the 12 months to May 2018.

Peer counts are derived from the home force's own planned counts: each peer's
rate per 1,000 population is a fixed multiple of the home rate, and its
previous year follows from a fixed growth. Deriving rather than typing them in
keeps the pack's rankings (4th, 7th, 4th, 1st) and "higher rate of increase
than the group" statements true whatever the home counts turn out to be.

At scale N the home force has N times the crimes but the same population, so
peer counts are also multiplied by N (populations unchanged): every rate
scales alike and every rank and percentage change is the same as at scale 1.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pyarrow as pa

from builder.sample import reference as ref
from builder.sample.plan import Plan

PERIOD_END: Final[str] = "2018-05"
# Sample months of Jun 2016 - May 2017 and Jun 2017 - May 2018 (month 0 = Oct 2015).
PEER_PREVIOUS: Final[slice] = slice(8, 20)
PEER_LAST: Final[slice] = slice(20, 32)

PEER_POPULATIONS: Final[dict[str, int]] = {
    "Peer Force A": 1_052_000,
    "Peer Force B": 1_418_600,
    "Peer Force C": 934_300,
    "Peer Force D": 1_706_900,
    "Peer Force E": 1_262_400,
    "Peer Force F": 1_968_200,
    "Peer Force G": 1_143_700,
}
PEERS: Final[tuple[str, ...]] = tuple(PEER_POPULATIONS)

# Per theme: (peer rate / home rate, peer growth previous -> last) for peers A..G.
PEER_DESIGN: Final[dict[str, tuple[tuple[float, float], ...]]] = {
    "Personal Robbery": (
        (0.62, 0.08),
        (0.81, 0.12),
        (0.90, 0.05),
        (1.12, 0.15),
        (1.30, 0.10),
        (1.55, 0.09),
        (1.21, 0.02),
    ),
    "Theft Of Motor Vehicles": (
        (0.55, 0.11),
        (0.72, 0.18),
        (0.80, 0.06),
        (0.66, 0.14),
        (0.91, 0.09),
        (1.24, 0.20),
        (0.86, 0.04),
    ),
    "Burglary Business and Community": (
        (1.18, 0.01),
        (0.74, -0.02),
        (0.88, 0.03),
        (1.35, -0.01),
        (0.93, 0.02),
        (1.10, 0.00),
        (1.46, -0.03),
    ),
    "Drug Offences": (
        (1.25, -0.04),
        (1.60, 0.02),
        (1.12, -0.06),
        (1.85, -0.01),
        (1.40, 0.03),
        (1.30, -0.05),
        (2.10, -0.02),
    ),
}
# Home rank among the 8 forces, lowest rate first, that the design must give.
EXPECTED_RANK: Final[dict[str, int]] = {
    "Personal Robbery": 4,
    "Theft Of Motor Vehicles": 7,
    "Burglary Business and Community": 4,
    "Drug Offences": 1,
}


def home_counts(plan: Plan, theme: str) -> tuple[int, int]:
    """Home force (previous, last) counts for the peer period, on the type's date basis."""
    monthly = plan.monthly[ref.CRIME_TYPES.index(theme)]
    return int(monthly[PEER_PREVIOUS].sum()), int(monthly[PEER_LAST].sum())


def peer_rows(plan: Plan) -> list[tuple[str, int, str, int, int]]:
    """Scale-1 rows (force, population, crime_type, last_12, previous_12), peers only."""
    rows = []
    for theme in ref.THEMES:
        _, home_last = home_counts(plan, theme)
        home_rate = home_last / ref.SAMPLE_POPULATION
        for force, (ratio, growth) in zip(PEERS, PEER_DESIGN[theme]):
            population = PEER_POPULATIONS[force]
            last = round(home_rate * ratio * population)
            rows.append((force, population, theme, last, round(last / (1 + growth))))
    check_peer_story(plan, rows)
    return rows


def check_peer_story(plan: Plan, rows: list[tuple[str, int, str, int, int]]) -> None:
    """Fail loudly if rounding or a changed home series broke the peer story."""
    for theme in ref.THEMES:
        home_previous, home_last = home_counts(plan, theme)
        theme_rows = [r for r in rows if r[2] == theme]
        rates = [home_last / ref.SAMPLE_POPULATION] + [r[3] / r[1] for r in theme_rows]
        rank = 1 + sum(rate < rates[0] for rate in rates[1:])
        if rank != EXPECTED_RANK[theme] or len(set(rates)) != len(rates):
            raise AssertionError(f"{theme}: home rank {rank}, expected {EXPECTED_RANK[theme]}")
        home_change = home_last / home_previous - 1
        group_change = (home_last + sum(r[3] for r in theme_rows)) / (home_previous + sum(r[4] for r in theme_rows)) - 1
        rising = home_change > 0
        if (rising and home_change <= group_change) or (not rising and home_change >= group_change):
            raise AssertionError(f"{theme}: home change {home_change:.3f} vs group {group_change:.3f}")


def peer_table(plan: Plan, scale: int) -> pa.Table:
    """The peers table: each scale-1 peer count times ``scale`` (see module docstring)."""
    rows = peer_rows(plan)
    return pa.table(
        {
            "force": [r[0] for r in rows],
            "population": np.array([r[1] for r in rows], dtype=np.int64),
            "crime_type": [r[2] for r in rows],
            "period_end": [PERIOD_END] * len(rows),
            "last_12": np.array([r[3] * scale for r in rows], dtype=np.int64),
            "previous_12": np.array([r[4] * scale for r in rows], dtype=np.int64),
        }
    )
