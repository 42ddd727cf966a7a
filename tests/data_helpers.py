"""Small, valid data files for the reader tests, to corrupt one thing at a time."""

from __future__ import annotations

import csv
from pathlib import Path

STREET_HEADER = [
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
]
CRIME_HEADER = [
    "crime_ref",
    "crime_type",
    "committed_date",
    "recorded_date",
    "npt",
    "area",
    "drug_offence_type",
    "outcome",
    "outcome_date",
]
MONTHS = ("2018-10", "2018-11", "2018-12", "2019-01", "2019-02")
FORCE = "Testshire Police"
PLACES = (("E01029368", "Cannock Chase 001A"), ("E01029513", "Stafford 002B"), ("", ""))
TYPES = ("Burglary", "Robbery", "Vehicle crime", "Anti-social behaviour")


def street_row(month: str, index: int, crime_type: str | None = None) -> list[str]:
    """One police.uk street-level row; ASB rows have no Crime ID, as on police.uk."""
    kind = crime_type or TYPES[index % len(TYPES)]
    code, name = PLACES[index % len(PLACES)]
    ref = "" if kind == "Anti-social behaviour" else f"{month}-{index:05d}"
    location = "On or near High Street" if code else "No Location"
    lon, lat = ("-2.0", "52.8") if code else ("", "")
    outcome = "" if kind == "Anti-social behaviour" else "Under investigation"
    return [ref, month, FORCE, FORCE, lon, lat, location, code, name, kind, outcome, ""]


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    """Write rows under a header, creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def street_folder(folder: Path, months: tuple[str, ...] = MONTHS, rows: int = 24) -> Path:
    """A folder of monthly police.uk files, ``rows`` rows each."""
    for month in months:
        write_csv(folder / f"{month}-testshire-street.csv", STREET_HEADER, [street_row(month, i) for i in range(rows)])
    return folder


def crime_row(index: int, month: str = "2018-10", crime_type: str = "Burglary", npt: str = "North") -> list[str]:
    """One row in perfpack's own columns."""
    day = f"{month}-{(index % 27) + 1:02d}"
    return [f"CR/{index:06d}", crime_type, day, day, npt, "Area 1", "", "", ""]


def crimes_file(path: Path, months: tuple[str, ...] = MONTHS, per_month: int = 10) -> Path:
    """A crimes.csv in perfpack's own columns covering ``months``."""
    rows = [
        crime_row(m * 1000 + i, month, ("Burglary", "Robbery")[i % 2], ("North", "South")[i % 3 == 0])
        for m, month in enumerate(months)
        for i in range(per_month)
    ]
    return write_csv(path, CRIME_HEADER, rows)
