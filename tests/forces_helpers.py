"""A small data set of several forces' police.uk street files, and counts taken straight from them.

Each force has two districts of its own (names from config/lookups/policeuk-districts.csv,
so the lookup knows which force area they are in) and one crime a month placed in
another force's district, as police.uk's location snapping does near borders.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from data_helpers import STREET_HEADER, write_csv

MONTHS = ("2018-10", "2018-11", "2018-12", "2019-01", "2019-02")
LAST, PREVIOUS = {"2019-01", "2019-02"}, {"2018-11", "2018-12"}
ASB = "Anti-social behaviour"
FORCES = {
    "Staffordshire Police": ("Stafford", "Cannock Chase"),
    "Durham Constabulary": ("County Durham", "Darlington"),
    "Kent Police": ("Ashford", "Dover"),
}
ROBBERIES = {"Staffordshire Police": (20, 10), "Durham Constabulary": (20, 30), "Kent Police": (15, 15)}
"""Robberies in the previous and the last two months: -50%, +50% and 0%."""


def slug(force: str) -> str:
    return force.split()[0].lower()


def multi_force_folder(folder: Path, robberies: dict[str, tuple[int, int]] | None = None) -> Path:
    """Monthly street files for every force of FORCES, each in its own sub-folder, as police.uk names them."""
    robberies = robberies or ROBBERIES
    forces = list(FORCES)
    for number, force in enumerate(forces):
        neighbour = FORCES[forces[(number + 1) % len(forces)]][0]
        previous, last = robberies[force]
        for m, month in enumerate(MONTHS):
            rows: list[list[str]] = []
            for d, district in enumerate(FORCES[force]):
                for i in range(5 + number + d):
                    rows.append(_row(force, month, "Burglary", district, f"{m}{d}{i}b"))
                for i in range(3 + m):
                    rows.append(_row(force, month, "Vehicle crime", district, f"{m}{d}{i}v"))
                for i in range(2):
                    rows.append(_row(force, month, "Drugs", district, f"{m}{d}{i}d"))
                    rows.append(_row(force, month, ASB, district, ""))
            in_window = {"2018-11": previous // 2, "2018-12": previous - previous // 2}
            in_window |= {"2019-01": last // 2, "2019-02": last - last // 2, "2018-10": 1}
            for i in range(in_window[month]):
                rows.append(_row(force, month, "Robbery", FORCES[force][i % 2], f"{m}{i}r"))
            rows.append(_row(force, month, "Burglary", neighbour, f"{m}out"))  # just over the border
            rows.append(_row(force, month, "Vehicle crime", "", f"{m}none"))  # no location
            write_csv(folder / slug(force) / f"{month}-{slug(force)}-street.csv", STREET_HEADER, rows)
    return folder


def _row(force: str, month: str, crime_type: str, district: str, ref: str) -> list[str]:
    crime_id = "" if crime_type == ASB else f"{slug(force)}-{month}-{ref}"
    lsoa = f"{district} 001A" if district else ""
    code = "E01000001" if district else ""
    location = "On or near High Street" if district else "No Location"
    return [crime_id, month, force, force, "", "", location, code, lsoa, crime_type, "", ""]


def street_rows(folder: Path) -> list[dict[str, str]]:
    """Every row of every street file under ``folder``, read with the csv module."""
    rows = []
    for path in sorted(folder.rglob("*-street.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def crimes_by_force(rows: list[dict[str, str]], months: set[str], crime_type: str | None = None) -> Counter:
    """Crimes (not ASB) of each force ('Reported by') in ``months``, of one type or all."""
    return Counter(
        r["Reported by"]
        for r in rows
        if r["Crime type"] != ASB and r["Month"] in months and (crime_type is None or r["Crime type"] == crime_type)
    )
