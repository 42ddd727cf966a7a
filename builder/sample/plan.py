"""The count plan: how many crimes of each type, in each month, in each NPT.

Everything that must be exact is decided here, as integers, before a single row
or date exists: per window a type x NPT matrix whose margins are the golden
tables, then per type and window a month x NPT matrix whose margins are the
monthly series and that window's NPT row. Rows are later produced by repeating
each cell, so every count the pack shows is fixed by this plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from builder.sample import reference as ref
from builder.sample import shapes
from builder.sample.integerise import controlled_round, ipf, largest_remainder

# How urban each NPT is (Stoke-on-Trent 1, rural Moorlands 0) and how strongly each
# type concentrates in towns; together they make the IPF seed plausible.
NPT_URBANITY: Final[dict[str, float]] = {
    "SOT South": 1.0,
    "SOT North": 1.0,
    "Newcastle": 0.6,
    "Tamworth": 0.5,
    "East Staffs": 0.5,
    "Cannock": 0.5,
    "Stafford": 0.4,
    "Lichfield": 0.2,
    "South Staffs": 0.1,
    "Moorlands": 0.0,
}
URBAN_AFFINITY: Final[dict[str, float]] = {
    "Possession of weapons": 0.5,
    "Business Robbery": 0.4,
    "Public Order": 0.3,
    "Handling stolen goods": 0.3,
    "Other Violence against the person": 0.2,
    "Less Serious Violent Crime with Injury": 0.2,
    "More Serious Violent Crime with Injury": 0.3,
    "Other Theft": 0.2,
    "Burglary Residential": 0.2,
    "Vehicle interference": 0.2,
    "Criminal Damage (exc Arson)": 0.1,
    "Theft From Motor Vehicles": 0.0,
    "Other Offences": 0.1,
    "Arson": 0.0,
    "Rape": 0.1,
    "Other Serious Sexual Offences": 0.1,
    "Other Sexual Offences": 0.0,
}


@dataclass(frozen=True)
class Plan:
    """Scale-1 integer counts from which every sample row is produced.

    ``crimes[type, month, npt]`` counts crimes by each type's date basis;
    ``asb[month, npt]`` counts drug-related ASB incidents by incident date.
    """

    crimes: np.ndarray
    asb: np.ndarray

    @property
    def monthly(self) -> np.ndarray:
        """Types x months, the designed monthly series."""
        return self.crimes.sum(axis=2)


def build_plan() -> Plan:
    """Build the full count plan (deterministic; no randomness beyond fixed seeds)."""
    totals = [ref.golden_type_totals(w) for w in range(3)]
    monthly = shapes.all_type_series(totals)
    previous = window_matrix(ref.TYPE_PREVIOUS, ref.NPT_PREVIOUS, window=1)
    last = window_matrix(ref.TYPE_LAST, ref.NPT_LAST, window=2)
    year1 = year1_matrix(totals[0], previous)
    crimes = np.zeros((len(ref.CRIME_TYPES), ref.N_MONTHS, len(ref.NPTS)), dtype=np.int64)
    for window, matrix in zip(ref.WINDOWS, (year1, previous, last)):
        for t in range(len(ref.CRIME_TYPES)):
            crimes[t, window, :] = split_months(monthly[t, window], matrix[t])
    return Plan(crimes=crimes, asb=asb_plan(previous, last))


def window_matrix(type_totals: np.ndarray, npt_totals: np.ndarray, *, window: int) -> np.ndarray:
    """Type x NPT counts for one golden window, with both margins exact.

    Theme rows are fixed by hand; the other rows share out what is left of each
    NPT's total by IPF on an urban/rural seed, then controlled rounding.
    """
    matrix = np.zeros((len(ref.CRIME_TYPES), len(ref.NPTS)), dtype=np.int64)
    theme_index = [ref.CRIME_TYPES.index(theme) for theme in ref.THEMES]
    for theme, t in zip(ref.THEMES, theme_index):
        matrix[t] = ref.theme_row(theme, window)
    others = [t for t in range(len(ref.CRIME_TYPES)) if t not in theme_index]
    rows = type_totals[others]
    cols = npt_totals - matrix.sum(axis=0)
    if (cols <= 0).any():
        raise AssertionError("theme rows exceed an NPT's total")
    fitted = ipf(urban_seed([ref.CRIME_TYPES[t] for t in others]), rows, cols)
    matrix[others] = controlled_round(fitted, rows, cols)
    return matrix


def urban_seed(types: list[str]) -> np.ndarray:
    """Relative likelihood of each type in each NPT before fitting to the margins."""
    urbanity = np.array([NPT_URBANITY[n] for n in ref.NPTS]) - 0.5
    affinity = np.array([URBAN_AFFINITY[t] for t in types])
    return np.exp(2.0 * np.outer(affinity, urbanity))


def year1_matrix(type_totals: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """Year-1 type x NPT counts: no golden NPT table exists, so reuse the previous year's mix."""
    return np.stack([largest_remainder(previous[t], int(total)) for t, total in enumerate(type_totals)])


def split_months(months: np.ndarray, npt_row: np.ndarray) -> np.ndarray:
    """Month x NPT counts whose row sums are ``months`` and column sums ``npt_row``."""
    total = int(months.sum())
    if total != int(npt_row.sum()):
        raise AssertionError(f"monthly total {total} differs from NPT total {int(npt_row.sum())}")
    if total == 0:
        return np.zeros((len(months), len(npt_row)), dtype=np.int64)
    exact = np.outer(months, npt_row) / total
    return controlled_round(exact, months, npt_row)


def asb_plan(previous: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Month x NPT drug-related ASB, spread across NPTs like drug offences."""
    monthly = shapes.asb_series()
    drug_rows = (previous[ref.DRUG_TYPE], previous[ref.DRUG_TYPE], last[ref.DRUG_TYPE])
    asb = np.zeros((ref.N_MONTHS, len(ref.NPTS)), dtype=np.int64)
    for window, drug_row in zip(ref.WINDOWS, drug_rows):
        npt_row = largest_remainder(drug_row, int(monthly[window].sum()))
        asb[window] = split_months(monthly[window], npt_row)
    return asb
