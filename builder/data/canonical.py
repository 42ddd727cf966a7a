"""The one canonical table every reader produces.

Whatever the source (the bundled sample, a force extract, police.uk files), the
rest of perfpack only ever sees these columns, so figures are computed one way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from builder.config.yaml_text import CONTROL
from builder.data.categories import drop_unused
from builder.data.report import VALUES, Problems, more

if TYPE_CHECKING:  # pragma: no cover - imported for type checking only
    from builder.data.report import LoadReport

CRIME_COLUMNS = (
    "crime_ref",
    "crime_type",
    "committed_date",
    "recorded_date",
    "npt",
    "area",
    "drug_offence_type",
    "outcome",
    "outcome_date",
)
REQUIRED_CRIME_COLUMNS = ("crime_ref", "crime_type", "committed_date", "recorded_date", "npt", "area")
CRIME_DATE_COLUMNS = ("committed_date", "recorded_date", "outcome_date")
CATEGORY_COLUMNS = ("crime_type", "npt", "area", "drug_offence_type", "outcome")
OPTIONAL_CRIME_COLUMNS = ("crime_group", "force")
"""Kept when a reader fills them: a crime group from the mapping, the force from police.uk."""

ASB_COLUMNS = ("incident_ref", "incident_date", "npt", "area", "category")
PEER_COLUMNS = ("force", "population", "crime_type", "period_end", "last_12", "previous_12")
POSITIVE_OUTCOMES = ("Charge", "Caution", "Community resolution")


@dataclass(frozen=True)
class Converted:
    """One file's rows in canonical columns, before lookups and checks, and what to check them for.

    Every reader produces this, whatever the file was, so the loader can then give every
    file the same treatment in the same order: lookups, then checks, then the split into
    crimes and ASB incidents. ``source`` and ``rows`` line up with ``records`` row for row:
    lookups read their code columns from ``source``, messages name ``rows``.
    """

    records: pd.DataFrame
    """Canonical columns and ``_row``; a police.uk file's ASB rows are flagged in ``_asb``."""
    role: str
    """'crimes', 'asb', or 'mixed' (police.uk: crimes and ASB incidents in one file)."""
    source: pd.DataFrame
    rows: np.ndarray
    required: dict[str, str]
    """Columns that must not be blank (on crime rows), with the names the user knows them by."""
    dates: dict[str, str]
    """Date columns checked for impossible dates, with the names the user knows them by."""
    month_level: bool = False
    """Dates are whole months (police.uk): a date is in the future only after this month ends."""


@dataclass(frozen=True)
class Dataset:
    """Crimes (one row per crime), optional ASB incidents and peer figures, and how they were read.

    ``asb`` holds whatever ASB the source has: drug-related ASB in the sample, all
    anti-social behaviour from police.uk; its ``category`` column says which.
    """

    crimes: pd.DataFrame
    asb: pd.DataFrame | None = None
    peers: pd.DataFrame | None = None
    sources: tuple[Path, ...] = field(default_factory=tuple)
    report: LoadReport | None = None

    @property
    def rows(self) -> int:
        """Rows read across the crime and ASB tables, for the build summary."""
        return len(self.crimes) + (0 if self.asb is None else len(self.asb))


def split(records: pd.DataFrame, role: str) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """A file's checked records as (crimes, ASB incidents), each in its own canonical columns."""
    if role == "crimes":
        return records, None
    if role == "asb":
        return None, records
    is_asb = records.pop("_asb").to_numpy()
    asb = records[is_asb].rename(
        columns={"crime_ref": "incident_ref", "committed_date": "incident_date", "crime_type": "category"}
    )
    keep = ["incident_ref", "incident_date", "npt", "area", "category", *OPTIONAL_CRIME_COLUMNS, "_row"]
    return records[~is_asb].reset_index(drop=True), asb[[c for c in keep if c in asb]].reset_index(drop=True)


def finish_crimes(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical column order and types; optional columns kept only when some row has a value."""
    extra = [c for c in OPTIONAL_CRIME_COLUMNS if c in frame.columns and frame[c].notna().any()]
    out = _drop_unused(frame[[*CRIME_COLUMNS, *extra]].reset_index(drop=True))
    out["crime_ref"] = out["crime_ref"].astype("string")
    return out


def finish_asb(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical ASB columns, plus the force when the reader knows it."""
    extra = ["force"] if "force" in frame.columns and frame["force"].notna().any() else []
    return _drop_unused(frame[[*ASB_COLUMNS, *extra]].reset_index(drop=True))


def _drop_unused(frame: pd.DataFrame) -> pd.DataFrame:
    """Forget labels no row carries (police.uk's ASB category among crimes), so tables list only real ones."""
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = drop_unused(frame[column])
    return frame


LARGEST_PEER = 10**10
"""Larger than any force's population or count (England and Wales hold about 60 million people);
beyond it a figure is a typing slip, and past 2**63 it would not even fit the integer column."""


def validate_peers(frame: pd.DataFrame, rows: np.ndarray, path: Path, problems: Problems) -> pd.DataFrame | None:
    """Peer figures with their numbers checked row by row; None when any is not a count.

    A rate per 1,000 people divides by the population, so it must be a whole number above
    0; the crime counts whole numbers of 0 or more. '1.5', 'inf' and 'nan' are refused,
    never rounded or turned into an infinite rate.
    """
    out = frame[list(PEER_COLUMNS)].copy()
    ok = True
    for column, least in (("population", 1), ("last_12", 0), ("previous_12", 0)):
        numbers = pd.to_numeric(out[column].astype("string"), errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
        finite = np.isfinite(numbers)
        whole = np.zeros(len(numbers), dtype=bool)
        whole[finite] = (numbers[finite] % 1 == 0) & (numbers[finite] >= least) & (numbers[finite] <= LARGEST_PEER)
        bad = ~whole
        if bad.any():
            position = int(np.flatnonzero(bad)[0])
            kind = "a population; use a whole number above 0" if least else "a count; use a whole number of 0 or more"
            kind += f" and at most {LARGEST_PEER:,}"
            problems.add(
                VALUES,
                path,
                f"{column} '{out[column].iloc[position]}' is not {kind}{more(int(bad.sum()))}",
                row=int(rows[position]),
            )
            ok = False
            continue
        out[column] = numbers.astype("int64")
    for column in ("force", "crime_type"):
        labels = out[column].astype("string")
        found = np.array([isinstance(v, str) and CONTROL.search(v) is not None for v in labels], dtype=bool)
        if found.any():
            position = int(np.flatnonzero(found)[0])
            problems.add(
                VALUES,
                path,
                f"{column} holds a control character a document cannot hold; remove it",
                row=int(rows[position]),
            )
            ok = False
        out[column] = labels
    if not ok:
        return None
    out["period_end"] = out["period_end"].astype("string").str.slice(0, 7)
    return out
