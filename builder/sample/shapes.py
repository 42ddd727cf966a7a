"""Monthly series (36 months) for every crime type, drug-related ASB and positive outcomes.

Each series is designed as a smooth level curve times gentle seasonality, then
scaled and rounded (largest remainder) window by window so every 12-month total
is exact. The level curves are fitted to the window totals rather than typed in,
so the themes' stories (stable-then-rising, decline from August 2017) follow
from the golden totals. Personal Robbery alone is written out month by month:
its control-chart story (first breach of the upper limit in July 2018) depends
on the exact month-to-month ranges, which a formula would not pin down.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

from builder.sample import reference as ref
from builder.sample.integerise import largest_remainder

T: Final[np.ndarray] = np.arange(ref.N_MONTHS, dtype=float)
MARCH_2018: Final[int] = 29
AUGUST_2017: Final[int] = 22
OCTOBER_2017: Final[int] = 24

# Oct 2015 .. Sep 2018. Rising with month-to-month noise; the July 2018 jump is the
# special cause. Sums: 571 (year 1), 634 (previous 12), 799 (last 12).
ROBBERY_MONTHS: Final[tuple[int, ...]] = (
    45,
    48,
    46,
    45,
    49,
    47,
    50,
    45,
    48,
    51,
    47,
    50,
    45,
    52,
    49,
    55,
    47,
    53,
    50,
    57,
    51,
    58,
    54,
    63,
    60,
    63,
    58,
    66,
    59,
    64,
    62,
    65,
    64,
    86,
    77,
    75,
)

# Seasonal peak month (1-12) and amplitude by type; anything unlisted gets a mild summer peak.
SEASONALITY: Final[dict[str, tuple[int, float]]] = {
    "Theft Of Motor Vehicles": (12, 0.04),
    "Burglary Business and Community": (1, 0.03),
    "Drug Offences": (6, 0.02),
    "Other Violence against the person": (7, 0.06),
    "Less Serious Violent Crime with Injury": (7, 0.07),
    "More Serious Violent Crime with Injury": (7, 0.06),
    "Public Order": (7, 0.07),
    "Criminal Damage (exc Arson)": (10, 0.05),
    "Arson": (4, 0.10),
    "Burglary Residential": (12, 0.09),
    "Theft From Motor Vehicles": (11, 0.07),
    "Vehicle interference": (11, 0.06),
    "Other Theft": (8, 0.04),
}
DEFAULT_SEASON: Final[tuple[int, float]] = (7, 0.03)
ASB_SEASON: Final[tuple[int, float]] = (7, 0.05)
ASB_TOTALS: Final[tuple[int, int, int]] = (200, 219, 1060)
NOISE_SEED: Final[int] = 20181109
# Relative to Poisson noise: real monthly counts wobble; themes stay smooth so their stories hold.
NOISE_SCALE: Final[float] = 0.6


def calendar_months() -> np.ndarray:
    """Calendar month (1-12) of each sample month."""
    return (ref.FIRST_MONTH.month - 1 + np.arange(ref.N_MONTHS)) % 12 + 1


def seasonal_factor(peak: int, amplitude: float) -> np.ndarray:
    """A one-peak-a-year cosine around 1, so a year's factors average to one."""
    angle = 2 * np.pi * (calendar_months() - peak) / 12
    return 1 + amplitude * np.cos(angle)


def ramp(start: int) -> np.ndarray:
    """0 before month ``start``, then 1, 2, 3 ... so a level can bend at a known month."""
    return np.maximum(0.0, T - start + 1)


def fit_level(basis: Sequence[np.ndarray], totals: dict[int, float]) -> np.ndarray:
    """The combination of ``basis`` curves whose window sums equal ``totals`` exactly.

    ``totals`` maps window number (0, 1, 2) to its total; there must be one per
    basis curve. Solving the small linear system makes a kink or a curvature land
    where the story needs it without hand-tuning coefficients.
    """
    windows = sorted(totals)
    matrix = np.array([[curve[ref.WINDOWS[w]].sum() for curve in basis] for w in windows])
    coefficients = np.linalg.solve(matrix, np.array([totals[w] for w in windows], dtype=float))
    return np.sum([c * curve for c, curve in zip(coefficients, basis)], axis=0)


def to_counts(design: np.ndarray, totals: Sequence[int]) -> np.ndarray:
    """Round a positive design to integers with each window's total exact."""
    if (design <= 0).any():
        raise ValueError("a monthly design went non-positive; the level curve is implausible")
    counts = np.zeros(ref.N_MONTHS, dtype=np.int64)
    for window, total in zip(ref.WINDOWS, totals):
        counts[window] = largest_remainder(design[window], int(total))
    return counts


def type_level(crime_type: str, totals: Sequence[int]) -> np.ndarray:
    """The smooth level of a crime type before seasonality."""
    ones = np.ones_like(T)
    if crime_type == "Burglary Business and Community":
        # Flat for two years, then a steady climb from March 2018.
        return fit_level([ones, ramp(MARCH_2018)], {1: totals[1], 2: totals[2]})
    if crime_type == "Drug Offences":
        # Flat until July 2017, then a gradual decline from August 2017.
        return fit_level([ones, -ramp(AUGUST_2017)], {1: totals[1], 2: totals[2]})
    # A quadratic through the three yearly totals: steady rises, falls or a gentle bend.
    return fit_level([ones, T, T**2], dict(enumerate(totals)))


def type_series(crime_type: str, totals: Sequence[int]) -> np.ndarray:
    """36 integer monthly counts for a crime type with exact window totals."""
    if crime_type == "Personal Robbery":
        counts = np.array(ROBBERY_MONTHS, dtype=np.int64)
        _check_totals(crime_type, counts, totals)
        return counts
    peak, amplitude = SEASONALITY.get(crime_type, DEFAULT_SEASON)
    design = type_level(crime_type, totals) * seasonal_factor(peak, amplitude)
    if crime_type not in ref.THEMES:
        design = with_noise(design, ref.CRIME_TYPES.index(crime_type))
    return to_counts(design, totals)


def with_noise(design: np.ndarray, stream: int) -> np.ndarray:
    """Add seeded, Poisson-sized wobble so the non-theme charts look like real data.

    Each type has its own stream, so changing one type's design leaves the
    others' noise untouched.
    """
    rng = np.random.default_rng([NOISE_SEED, stream])
    wobble = rng.standard_normal(design.shape) * NOISE_SCALE * np.sqrt(design)
    return np.maximum(design + wobble, 0.5)


def all_type_series(totals_by_window: Sequence[np.ndarray]) -> np.ndarray:
    """A (types x 36) matrix of monthly counts, one row per crime type in table order."""
    return np.stack(
        [type_series(name, [int(w[i]) for w in totals_by_window]) for i, name in enumerate(ref.CRIME_TYPES)]
    )


def asb_series() -> np.ndarray:
    """Drug-related ASB: low and flat, then a sustained climb from October 2017.

    The climb is a ramp on top of a slight underlying trend; recording practice
    changed, so the step is steep (219 -> 1,060).
    """
    level = fit_level([np.ones_like(T), T, ramp(OCTOBER_2017)], dict(enumerate(ASB_TOTALS)))
    return to_counts(level * seasonal_factor(*ASB_SEASON), ASB_TOTALS)


def positive_outcome_series(drug_counts: np.ndarray) -> np.ndarray:
    """Positive outcomes per recorded month: rising steadily while offences fall.

    A straight climb from a fifth of the first month's offences to three fifths
    of the last month's, capped by the offences available to carry an outcome:
    enforcement focus raises the yield per offence faster than offences fall.
    """
    target = np.linspace(0.2 * drug_counts[0], 0.6 * drug_counts[-1], ref.N_MONTHS)
    return np.minimum(np.floor(target + 0.5).astype(np.int64), drug_counts)


def _check_totals(name: str, counts: np.ndarray, totals: Sequence[int]) -> None:
    """Hand-written series must still honour the golden window totals."""
    for window, total in zip(ref.WINDOWS, totals):
        if int(counts[window].sum()) != int(total):
            raise AssertionError(f"{name}: window sums {int(counts[window].sum())}, expected {total}")
