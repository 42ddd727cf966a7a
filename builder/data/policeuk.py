"""police.uk street-level files, recognised by their header, as canonical crimes and ASB.

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

from builder.data.categories import as_category, constant, fill_where, relabel
from builder.data.checks import check_blank, check_dates, first_row, report_bad_dates
from builder.data.context import NO_LOCATION, OTHER, LoadContext
from builder.data.dates import parse_months
from builder.data.lookup import apply_lookups, match_columns
from builder.data.readers import RawTable
from builder.data.report import DATES, SPAN, FileReport

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


def read_columns(header: list[str], ctx: LoadContext) -> tuple[list[str], set[str]]:
    """Columns to read (coordinates and the always-empty Context are skipped) and the plain-text one."""
    wanted = [*USED, *(m for m in match_columns(ctx) if m in header)]
    return list(dict.fromkeys(wanted)), {"Crime ID"}


def district(lsoa_name: str) -> str:
    """'Cannock Chase 001A' -> 'Cannock Chase': police.uk LSOA names end with a code."""
    return lsoa_name.rsplit(" ", 1)[0] if " " in lsoa_name else lsoa_name


def convert(
    raw: RawTable, path: Path, order: int, report: FileReport, ctx: LoadContext
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Crimes and ASB incidents from one street-level file, problems recorded in ``ctx``."""
    frame, rows = raw.frame, raw.rows
    dates = _months(frame, rows, path, order, ctx)
    types = _types(as_category(frame["Crime type"]), rows, path, order, ctx)
    npt, area = _places(frame)
    located = pd.DataFrame({"npt": npt, "area": area})
    located = apply_lookups(located, frame, rows, path, order, ctx) if ctx.lookups else located
    if not any(spec.area for spec in ctx.config.lookups):
        has_place = (located["npt"] != NO_LOCATION).to_numpy()
        located["area"] = fill_where(located["area"], has_place, as_category(frame["Falls within"]))
    common = {"npt": located["npt"], "area": located["area"], "force": as_category(frame["Falls within"])}
    is_asb = (types == ASB).to_numpy()
    crimes = _crimes(frame, types, dates, common, ~is_asb, rows)
    asb = _asb(frame, types, dates, common, is_asb, rows)
    check_blank(crimes, {"crime_ref": "Crime ID", "crime_type": "Crime type"}, rows[~is_asb], path, order, ctx)
    report.crimes, report.asb = len(crimes), len(asb)
    ctx.report.count(
        f"rows with no location (NPT and area '{NO_LOCATION}')", int((located["npt"] == NO_LOCATION).sum())
    )
    return crimes, asb


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
    check_dates(pd.DataFrame({"month": dates}), {"month": "Month"}, rows, path, order, ctx, month_level=True)
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


def _crimes(
    frame: pd.DataFrame,
    types: pd.Series,
    dates: pd.Series,
    common: dict[str, pd.Series],
    mask: np.ndarray,
    rows: np.ndarray,
) -> pd.DataFrame:
    nat = np.full(int(mask.sum()), np.datetime64("NaT"), dtype="datetime64[s]")
    out = pd.DataFrame(
        {
            "crime_ref": frame["Crime ID"][mask].astype("string").to_numpy(),
            "crime_type": types[mask].array,
            "committed_date": dates[mask].to_numpy(),
            "recorded_date": dates[mask].to_numpy(),
            "npt": common["npt"][mask].array,
            "area": common["area"][mask].array,
            "drug_offence_type": constant(None, int(mask.sum())).array,
            "outcome": as_category(frame["Last outcome category"])[mask].array,
            "outcome_date": nat,
            "force": common["force"][mask].array,
            "_row": rows[mask],
        }
    )
    out["crime_ref"] = out["crime_ref"].astype("string")
    return out


def _asb(
    frame: pd.DataFrame,
    types: pd.Series,
    dates: pd.Series,
    common: dict[str, pd.Series],
    mask: np.ndarray,
    rows: np.ndarray,
) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "incident_ref": frame["Crime ID"][mask].astype("string").to_numpy(),
            "incident_date": dates[mask].to_numpy(),
            "npt": common["npt"][mask].array,
            "area": common["area"][mask].array,
            "category": types[mask].array,
            "force": common["force"][mask].array,
            "_row": rows[mask],
        }
    )
    out["incident_ref"] = out["incident_ref"].astype("string")
    return out
