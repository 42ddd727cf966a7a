"""police.uk street-level files, recognised by their header, as canonical records (crimes and ASB).

What these public files are like decides the rules here: dates are months, not days;
'Anti-social behaviour' rows are incidents, not crimes, have no Crime ID and may repeat
exactly (each is a separate incident, so none is removed); about one row in ten has no
location; and the district is the LSOA name less its last token ('Cannock Chase 001A').
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from builder.data.canonical import Converted
from builder.data.categories import as_category, constant, fill_where, relabel
from builder.data.context import NO_LOCATION, OTHER, LoadContext
from builder.data.dates import parse_months, report_bad_dates
from builder.data.readers import RawTable
from builder.data.report import DATES, SPAN, first_row

STREET = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
REPORTED_BY = "Reported by"
"""The force that recorded the crime: whose figures a row is. 'Falls within' is where it happened;
the two differ only for British Transport Police, whose crimes 'fall within' territorial forces."""
USED = ("Crime ID", "Month", "Falls within", "LSOA code", "LSOA name", "Crime type", "Last outcome category")
OTHER_FILES = {
    "Outcome type": "a police.uk outcomes file",
    "Part of a policing operation": "a police.uk stop and search file",
}
ASB = "Anti-social behaviour"
CATEGORIES = (
    ASB,
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
FILE_MONTH = re.compile(r"^(\d{4}-\d{2})-")


def kind_of(header: list[str]) -> str | None:
    """'street' for a street-level file, a description for other police.uk files, else None."""
    if all(column in header for column in USED):
        return "street"
    return next((what for column, what in OTHER_FILES.items() if column in header), None)


def missing_street_columns(header: list[str]) -> list[str]:
    """Columns a street-level file lacks when the header is plainly one (Crime ID, Month and more)."""
    present = [c for c in USED if c in header]
    if {"Crime ID", "Month"} <= set(present) and len(present) >= 4:
        return [c for c in USED if c not in header]
    return []


def read_columns(header: list[str], lookup_columns: list[str]) -> tuple[list[str], set[str]]:
    """Columns to read (coordinates and the always-empty Context are skipped) and the plain-text one."""
    wanted = [*USED, *([REPORTED_BY] if REPORTED_BY in header else []), *(m for m in lookup_columns if m in header)]
    return list(dict.fromkeys(wanted)), {"Crime ID"}


def district(lsoa_name: str) -> str:
    """'Cannock Chase 001A' -> 'Cannock Chase': police.uk LSOA names end with a code."""
    return lsoa_name.rsplit(" ", 1)[0] if " " in lsoa_name else lsoa_name


def convert(raw: RawTable, path: Path, order: int, ctx: LoadContext) -> Converted:
    """Every row of one street-level file in canonical columns: crimes and ASB incidents together."""
    frame, rows = raw.frame, raw.rows
    dates = _months(frame, rows, path, order, ctx)
    types = _types(as_category(frame["Crime type"]), rows, path, order, ctx)
    npt, area = _places(frame)
    records = pd.DataFrame(
        {
            "crime_ref": frame["Crime ID"].astype("string").to_numpy(),
            "crime_type": types.array,
            "committed_date": dates.to_numpy(),
            "recorded_date": dates.to_numpy(),
            "npt": npt.array,
            "area": area.array,
            "drug_offence_type": constant(None, len(frame)).array,
            "outcome": as_category(frame["Last outcome category"]).array,
            "outcome_date": np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[s]"),
            "force": as_category(frame[REPORTED_BY if REPORTED_BY in frame else "Falls within"]).array,
            "_row": rows,
            "_asb": (types == ASB).to_numpy(),
        }
    )
    records["crime_ref"] = records["crime_ref"].astype("string")
    return Converted(
        records,
        "mixed",
        frame,
        rows,
        required={"crime_ref": "Crime ID", "crime_type": "Crime type"},
        dates={"committed_date": "Month"},
        month_level=True,
    )


def _months(frame: pd.DataFrame, rows: np.ndarray, path: Path, order: int, ctx: LoadContext) -> pd.Series:
    """Month ends; unreadable months, months outside the file's own month, future months."""
    dates, bad = parse_months(frame["Month"])
    report_bad_dates(bad, frame["Month"], "Month", rows, path, order, ctx, "police.uk months are YYYY-MM")
    blank = frame["Month"].isna().to_numpy()
    if blank.any():
        row, count = first_row(blank, rows)
        ctx.problems.add(
            DATES, path, f"Month is empty ({count:,} rows); police.uk months are YYYY-MM", row=row, order=order
        )
    named = FILE_MONTH.match(path.name)
    if named:
        month = pd.Timestamp(f"{named.group(1)}-01") + pd.offsets.MonthEnd(0)
        outside = (dates.notna() & (dates != month)).to_numpy()
        if outside.any():
            row, count = first_row(outside, rows)
            ctx.problems.add(
                SPAN,
                path,
                f"Month {dates.iloc[int(np.flatnonzero(outside)[0])]:%Y-%m} is outside "
                f"the file's month {named.group(1)} ({count:,} rows); was a file renamed?",
                row=row,
                order=order,
            )
    return dates


def _types(types: pd.Series, rows: np.ndarray, path: Path, order: int, ctx: LoadContext) -> pd.Series:
    """police.uk categories, renamed by data.mapping.crime_types if given; others are unknowns."""
    mapping = ctx.config.mapping
    known = {c: c for c in CATEGORIES}
    where = "the 14 police.uk categories"
    if mapping and mapping.crime_types:
        known.update({v: k for k, values in mapping.crime_types.items() for v in values})
        where = "the police.uk categories or data.mapping.crime_types"
    mapped = relabel(types, known.get)
    unknown = (mapped.isna() & types.notna()).to_numpy()
    ctx.unknowns.record("crime type", where, types, unknown, rows, path, order)
    return fill_where(mapped, unknown, constant(OTHER, len(types))) if unknown.any() else mapped


def _places(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """NPT as the district in the LSOA name, 'No location' without one; area 'No location' or blank."""
    names = as_category(frame["LSOA name"])
    npt = relabel(names, district)
    missing = npt.isna().to_numpy()
    npt = fill_where(npt, missing, constant(NO_LOCATION, len(frame)))
    area = fill_where(constant(None, len(frame)), missing, constant(NO_LOCATION, len(frame)))
    return npt, area
