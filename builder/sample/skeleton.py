"""Scale-1 row skeletons: one row per planned crime or incident, with its labels but no dates.

Drug offence types and positive outcomes are decided here, by counts per month,
so that at scale N (the skeleton repeated N times) every breakdown the pack
shows is exactly N times the scale-1 figure. Only the day within the month is
left to chance, later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from builder.sample import reference as ref
from builder.sample.integerise import largest_remainder
from builder.sample.plan import Plan
from builder.sample.shapes import positive_outcome_series

SKELETON_SEED: Final[int] = 20181109
# Share of positive outcomes reached in the month recorded, the next month and the one after.
OUTCOME_DELAY_SHARES: Final[np.ndarray] = np.array([0.5, 0.3, 0.2])
OUTCOME_KIND_SHARES: Final[np.ndarray] = np.array([0.45, 0.20, 0.35])  # charge, caution, CR
NONE: Final[int] = -1


@dataclass(frozen=True)
class CrimeSkeleton:
    """Parallel integer arrays, one entry per crime; ``NONE`` marks a blank label."""

    crime_type: np.ndarray
    month: np.ndarray
    npt: np.ndarray
    drug_offence_type: np.ndarray
    outcome: np.ndarray
    outcome_delay: np.ndarray

    def tile(self, scale: int) -> CrimeSkeleton:
        """The skeleton repeated ``scale`` times: every count multiplies exactly."""
        return CrimeSkeleton(*(np.tile(getattr(self, f), scale) for f in self.__dataclass_fields__))

    def __len__(self) -> int:
        return len(self.crime_type)


@dataclass(frozen=True)
class AsbSkeleton:
    """One entry per drug-related ASB incident."""

    month: np.ndarray
    npt: np.ndarray

    def tile(self, scale: int) -> AsbSkeleton:
        """The skeleton repeated ``scale`` times."""
        return AsbSkeleton(np.tile(self.month, scale), np.tile(self.npt, scale))


def expand(counts: np.ndarray) -> tuple[np.ndarray, ...]:
    """Indices of each axis, one entry per unit counted in the integer array ``counts``."""
    flat = counts.ravel()
    cells = np.repeat(np.arange(flat.size), flat)
    return tuple(axis.astype(np.int16) for axis in np.unravel_index(cells, counts.shape))


def crime_skeleton(plan: Plan) -> CrimeSkeleton:
    """Rows for every planned crime, with drug offence types and outcomes assigned."""
    crime_type, month, npt = expand(plan.crimes)
    drug_kind = np.full(len(crime_type), NONE, dtype=np.int8)
    outcome = np.full(len(crime_type), NONE, dtype=np.int8)
    delay = np.full(len(crime_type), NONE, dtype=np.int8)
    rng = np.random.default_rng(SKELETON_SEED)
    drug_monthly = plan.monthly[ref.DRUG_TYPE]
    outcomes = positive_outcome_series(drug_monthly)
    for m in range(ref.N_MONTHS):
        rows = np.flatnonzero((crime_type == ref.DRUG_TYPE) & (month == m))
        drug_kind[rows] = _labels(ref.DRUG_OFFENCE_SHARES, len(rows), rng)
        chosen = rng.permutation(rows)[: outcomes[m]]
        outcome[chosen] = _labels(OUTCOME_KIND_SHARES, len(chosen), rng)
        delay[chosen] = _labels(OUTCOME_DELAY_SHARES, len(chosen), rng)
    pending = (delay != NONE) & (month + delay >= ref.N_MONTHS)
    outcome[pending] = NONE  # the outcome would fall after the extract: still under investigation
    delay[pending] = NONE
    return CrimeSkeleton(crime_type, month, npt, drug_kind, outcome, delay)


def _labels(shares: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` label codes in exact largest-remainder proportions, in random order."""
    if n == 0:
        return np.zeros(0, dtype=np.int8)
    counts = largest_remainder(shares, n)
    return rng.permutation(np.repeat(np.arange(len(shares), dtype=np.int8), counts))


def asb_skeleton(plan: Plan) -> AsbSkeleton:
    """Rows for every planned drug-related ASB incident."""
    month, npt = expand(plan.asb)
    return AsbSkeleton(month, npt)
