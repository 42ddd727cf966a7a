"""Dates and Arrow tables: turn skeleton rows into the crimes and ASB files.

All dates are whole days since 1970-01-01 held in numpy integer arrays, so
millions of rows are dated with a few vectorised operations and handed to Arrow
as ``date32`` (written as YYYY-MM-DD in CSV) with no string parsing.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from builder.sample import reference as ref
from builder.sample.skeleton import NONE, AsbSkeleton, CrimeSkeleton

DATE_SEED: Final[int] = 20181109
MAX_LAG_DAYS: Final[int] = 30
EPOCH_LAST_DAY: Final[int] = int(np.datetime64(ref.LAST_DAY, "D").astype(np.int64))


def lag_probabilities() -> np.ndarray:
    """Days between offence and record: mostly the same day or the next few, rarely weeks."""
    head = np.array([0.40, 0.22, 0.12, 0.08])
    tail = 0.85 ** np.arange(MAX_LAG_DAYS + 1 - len(head))
    tail *= (1 - head.sum()) / tail.sum()
    return np.concatenate([head, tail])


def day_in_month(month: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A uniformly random day (epoch days) within each sample month."""
    starts = ref.month_starts_days()
    lengths = starts[month + 1] - starts[month]
    return starts[month] + np.floor(rng.random(len(month)) * lengths).astype(np.int64)


def crime_dates(skel: CrimeSkeleton, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Committed, recorded and outcome dates (epoch days; outcome NONE-masked later).

    The planned month is the month of the date each type is counted by; the
    other date is shifted by a small lag, never past the end of the extract.
    """
    month = skel.month.astype(np.int64)
    base = day_in_month(month, rng)
    lag = rng.choice(MAX_LAG_DAYS + 1, size=len(month), p=lag_probabilities())
    by_recorded = ref.RECORDED_BASIS[skel.crime_type]
    committed = np.where(by_recorded, base - lag, base)
    recorded = np.where(by_recorded, base, np.minimum(base + lag, EPOCH_LAST_DAY))
    return committed, recorded, outcome_dates(skel, recorded, rng)


def outcome_dates(skel: CrimeSkeleton, recorded: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Outcome dates in the planned month (recorded month + delay), never before recording."""
    has = skel.outcome_delay != NONE
    target = np.where(has, skel.month + skel.outcome_delay, 0).astype(np.int64)
    starts = ref.month_starts_days()
    first = np.where(skel.outcome_delay == 0, recorded, starts[target])
    span = starts[target + 1] - first
    return np.where(has, first + np.floor(rng.random(len(target)) * span).astype(np.int64), 0)


def crime_table(skel: CrimeSkeleton, scale: int) -> pa.Table:
    """The crimes table, one row per crime, ordered by recorded date like a force extract."""
    rng = np.random.default_rng([DATE_SEED, scale])
    committed, recorded, outcome_date = crime_dates(skel, rng)
    order = recording_order(recorded, rng)
    has_outcome = skel.outcome[order] != NONE
    return pa.table(
        {
            "crime_ref": references("SP", recorded[order], 7),
            "crime_type": categorical(skel.crime_type[order], ref.CRIME_TYPES),
            "committed_date": dates(committed[order]),
            "recorded_date": dates(recorded[order]),
            "npt": categorical(skel.npt[order], ref.NPTS),
            "area": categorical(ref.NPT_AREA[skel.npt[order]], ref.AREAS),
            "drug_offence_type": categorical(skel.drug_offence_type[order], ref.DRUG_OFFENCE_TYPES),
            "outcome": categorical(skel.outcome[order], ref.POSITIVE_OUTCOMES),
            "outcome_date": dates(outcome_date[order], valid=has_outcome),
        }
    )


def asb_table(skel: AsbSkeleton, scale: int) -> pa.Table:
    """The drug-related ASB incidents table, ordered by incident date."""
    rng = np.random.default_rng([DATE_SEED, scale, 1])
    day = day_in_month(skel.month.astype(np.int64), rng)
    order = recording_order(day, rng)
    return pa.table(
        {
            "incident_ref": references("ASB", day[order], 6),
            "incident_date": dates(day[order]),
            "npt": categorical(skel.npt[order], ref.NPTS),
            "area": categorical(ref.NPT_AREA[skel.npt[order]], ref.AREAS),
            "category": categorical(np.zeros(len(order), dtype=np.int8), (ref.ASB_CATEGORY,)),
        }
    )


def recording_order(days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Row order by date, shuffled within a day so types and NPTs interleave."""
    shuffled = rng.permutation(len(days))
    return shuffled[np.argsort(days[shuffled], kind="stable")]


def references(prefix: str, days_sorted: np.ndarray, width: int) -> pa.Array:
    """References like ``SP/18/0012345``: year of record, then a sequence within that year.

    ``days_sorted`` must be in ascending order so each year's rows are contiguous.
    """
    years = days_sorted.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    first_of_year = np.searchsorted(years, years, side="left")
    sequence = np.arange(len(years)) - first_of_year + 1
    yy = pc.utf8_lpad(pa.array(years % 100).cast(pa.string()), width=2, padding="0")
    number = pc.utf8_lpad(pa.array(sequence).cast(pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, yy, number, "/")


def categorical(codes: np.ndarray, labels: tuple[str, ...]) -> pa.DictionaryArray:
    """A dictionary-encoded column (category in pandas); code ``NONE`` becomes null (blank)."""
    codes = np.asarray(codes)
    indices = pa.array(codes.astype(np.int8), mask=codes == NONE, type=pa.int8())
    return pa.DictionaryArray.from_arrays(indices, pa.array(labels, type=pa.string()))


def dates(days: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Epoch days as an Arrow ``date32`` column; rows not ``valid`` become null (blank)."""
    mask = None if valid is None else ~valid
    return pa.array(days.astype("datetime64[D]"), type=pa.date32(), mask=mask)
