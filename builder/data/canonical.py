"""The one canonical table every reader produces, and its validation.

Whatever the source (the bundled sample, a force extract, police.uk files), the
rest of perfpack only ever sees these columns, so figures are computed one way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from builder.errors import DataError

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

ASB_COLUMNS = ("incident_ref", "incident_date", "npt", "area", "category")
PEER_COLUMNS = ("force", "population", "crime_type", "period_end", "last_12", "previous_12")
POSITIVE_OUTCOMES = ("Charge", "Caution", "Community resolution")


@dataclass(frozen=True)
class Dataset:
    """Crimes (one row per crime), optional drug-related ASB incidents and peer figures."""

    crimes: pd.DataFrame
    asb: pd.DataFrame | None = None
    peers: pd.DataFrame | None = None
    sources: tuple[Path, ...] = field(default_factory=tuple)

    @property
    def rows(self) -> int:
        """Rows read across the crime and ASB tables, for the build summary."""
        return len(self.crimes) + (0 if self.asb is None else len(self.asb))


def require_columns(frame: pd.DataFrame, required: tuple[str, ...], path: Path) -> None:
    """Stop with the missing columns named and the columns found shown."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "none"
        raise DataError(
            f"{path}: missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (found: {found}); rename the columns or add a column mapping"
        )


def parse_dates(frame: pd.DataFrame, column: str, path: Path, *, required: bool) -> pd.Series:
    """Parse an ISO date column, naming the first unreadable row and value if any."""
    series = frame[column]
    if pd.api.types.is_datetime64_any_dtype(series):
        parsed = series.astype("datetime64[s]")
    else:
        text = series.astype("string").str.strip()
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[s]")
        bad = parsed.isna() & text.notna() & (text != "")
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise DataError(
                f"{path}: row {row + 2}: {column} '{text.iloc[row]}' is not a date; "
                "write dates as YYYY-MM-DD"
            )
    if required and parsed.isna().any():
        row = int(parsed.isna().to_numpy().nonzero()[0][0])
        raise DataError(f"{path}: row {row + 2}: {column} is empty; every crime needs a {column}")
    return parsed


def validate_crimes(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Return the crimes in canonical form, or raise DataError naming file, row and problem."""
    require_columns(frame, REQUIRED_CRIME_COLUMNS, path)
    out = pd.DataFrame(index=frame.index)
    out["crime_ref"] = frame["crime_ref"].astype("string")
    for column in CRIME_DATE_COLUMNS:
        if column in frame.columns:
            out[column] = parse_dates(frame, column, path, required=column != "outcome_date")
        else:
            out[column] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[s]")
    for column in CATEGORY_COLUMNS:
        values = frame[column] if column in frame.columns else pd.Series(pd.NA, index=frame.index)
        out[column] = values.astype("string").str.strip().replace("", pd.NA).astype("category")
    _check_not_blank(out, ("crime_ref", "crime_type", "npt"), path)
    _check_order(out, path)
    _check_unique(out, path)
    return out[list(CRIME_COLUMNS)].reset_index(drop=True)


def _check_not_blank(frame: pd.DataFrame, columns: tuple[str, ...], path: Path) -> None:
    for column in columns:
        blank = frame[column].isna()
        if blank.any():
            row = int(blank.to_numpy().nonzero()[0][0])
            raise DataError(f"{path}: row {row + 2}: {column} is empty; fill it in or remove the row")


def _check_order(frame: pd.DataFrame, path: Path) -> None:
    """A crime cannot be recorded before it was committed: that signals swapped columns."""
    early = frame["recorded_date"] < frame["committed_date"]
    if early.any():
        row = int(early.to_numpy().nonzero()[0][0])
        raise DataError(
            f"{path}: row {row + 2}: recorded_date {frame['recorded_date'].iloc[row]:%Y-%m-%d} is before "
            f"committed_date {frame['committed_date'].iloc[row]:%Y-%m-%d}; check the two date columns"
        )


def _check_unique(frame: pd.DataFrame, path: Path) -> None:
    duplicated = frame["crime_ref"].duplicated()
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0])
        raise DataError(
            f"{path}: row {row + 2}: crime_ref '{frame['crime_ref'].iloc[row]}' appears more than once "
            f"({int(duplicated.sum())} duplicate rows); remove the duplicates"
        )


def validate_asb(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Return ASB incidents in canonical form."""
    require_columns(frame, ("incident_date", "npt"), path)
    out = pd.DataFrame(index=frame.index)
    out["incident_date"] = parse_dates(frame, "incident_date", path, required=True)
    for column in ("npt", "area", "category"):
        values = frame[column] if column in frame.columns else pd.Series(pd.NA, index=frame.index)
        out[column] = values.astype("string").astype("category")
    return out.reset_index(drop=True)


def validate_peers(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Return peer figures with numeric columns checked row by row."""
    require_columns(frame, PEER_COLUMNS, path)
    out = frame[list(PEER_COLUMNS)].copy()
    for column in ("population", "last_12", "previous_12"):
        numbers = pd.to_numeric(out[column], errors="coerce")
        bad = numbers.isna() | (numbers < 0)
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise DataError(
                f"{path}: row {row + 2}: {column} '{out[column].iloc[row]}' is not a count; "
                "use a whole number of 0 or more"
            )
        out[column] = numbers.astype("int64")
    out["period_end"] = out["period_end"].astype(str).str.slice(0, 7)
    return out
