"""Small files that say who a force's peers are and how many people each serves.

Three files a user may name in ``peers:``: a peer-group table (force, group), a
population table (force, population), and the ONS police recorded crime by Police
Force Area (rolling-year totals). Each is read with the csv module (they are small),
checked row by row, and keyed by the names the file uses; ``forces.match_force``
matches them to the data's force names, which are spelt differently.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from builder.config.schema import Peers
from builder.errors import DataError

ONS_COLUMNS = ("12 months ending", "PFA", "Offence", "Rolling year total number of offences")
NOT_FORCES = frozenset({"Action Fraud", "CIFAS", "UK Finance", "British Transport Police"})
"""ONS 'PFAs' that are not territorial forces: national fraud bodies and the transport police."""

POLICEUK_OFFENCES: dict[str, tuple[str, ...]] = {
    "Anti-social behaviour": (),
    "Bicycle theft": ("Bicycle theft",),
    "Burglary": ("Domestic burglary", "Non-domestic burglary", "Residential burglary", "Non-residential burglary"),
    "Criminal damage and arson": ("Criminal damage and arson",),
    "Drugs": ("Drug offences",),
    "Other crime": ("Miscellaneous crimes against society",),
    "Other theft": ("All other theft offences",),
    "Possession of weapons": ("Possession of weapons offences",),
    "Public order": ("Public order offences",),
    "Robbery": ("Robbery",),
    "Shoplifting": ("Shoplifting",),
    "Theft from the person": ("Theft from the person",),
    "Vehicle crime": ("Vehicle offences",),
    "Violence and sexual offences": (
        "Homicide",
        "Death or serious injury caused by illegal driving",
        "Violence with injury",
        "Violence without injury",
        "Stalking and harassment",
        "Sexual offences",
    ),
}
"""The ONS offences counted as each police.uk category. Burglary's ONS names changed in 2017
(the old ones read 0 afterwards), so both pairs are summed."""


@dataclass(frozen=True)
class PeerSources:
    """What the config's ``peers:`` files hold, keyed by the names each file uses."""

    groups: dict[str, str] | None = None
    populations: dict[str, int] | None = None
    ons: pd.DataFrame | None = None
    """period_end (YYYY-MM), force, offence, count: one row per ONS line kept."""


def read_peer_sources(peers: Peers | None, folder: Path) -> PeerSources:
    """Read the group, population and ONS files the config names; DataError on a missing or bad one."""
    if peers is None:
        return PeerSources()
    return PeerSources(
        groups=_groups(_path(folder, peers.groups, "peers.groups")) if peers.groups else None,
        populations=_populations(_path(folder, peers.populations, "peers.populations")) if peers.populations else None,
        ons=read_ons(_path(folder, peers.ons_file, "peers.ons_file"))
        if peers.source == "ons" and peers.ons_file
        else None,
    )


def _path(folder: Path, name: str | None, key: str) -> Path:
    path = (folder / (name or "")).resolve()
    if not path.is_file():
        raise DataError(f"{path}: no such file ({key}); fix the path in the config")
    return path


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row, row) for each non-blank row, after checking the header has ``columns``."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in columns if c not in header]
        if missing:
            raise DataError(
                f"{path}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"(found: {', '.join(header) or 'nothing'}); the file needs columns {', '.join(columns)}"
            )
        reader.fieldnames = header
        return [
            (number, {k: (v or "").strip() for k, v in row.items() if k})
            for number, row in enumerate(reader, start=2)
            if any((v or "").strip() for v in row.values() if isinstance(v, str))
        ]


def _groups(path: Path) -> dict[str, str]:
    """Force -> group name; a force listed in two groups is an error (its peers would be ambiguous)."""
    out: dict[str, str] = {}
    for number, row in _rows(path, ("force", "group")):
        force, group = row["force"], row["group"]
        if not force or not group:
            raise DataError(f"{path}: row {number}: force and group must both be filled in")
        if force in out and out[force] != group:
            raise DataError(
                f"{path}: row {number}: {force} is in two groups ({out[force]}, {group}); keep one row per force"
            )
        out[force] = group
    return out


def _populations(path: Path) -> dict[str, int]:
    """Force -> population, a whole number above 0."""
    out: dict[str, int] = {}
    for number, row in _rows(path, ("force", "population")):
        text = row["population"].replace(",", "")
        if not text.isdigit() or int(text) == 0:
            raise DataError(
                f"{path}: row {number}: population '{row['population']}' of {row['force']} is not a whole "
                "number above 0; write the number of people, e.g. 1138100"
            )
        out[row["force"]] = int(text)
    return out


def read_ons(path: Path) -> pd.DataFrame:
    """The ONS rolling-year totals by Police Force Area, territorial forces only, months as YYYY-MM.

    The file's dates are day/month/year quarter ends (one is written 30/12/2017), so only
    month and year are read. Counts may be negative (revisions); they are kept as published.
    """
    records = []
    for number, row in _rows(path, ONS_COLUMNS):
        if row["PFA"] in NOT_FORCES:
            continue
        try:
            ending = dt.datetime.strptime(row["12 months ending"], "%d/%m/%Y")
            count = int(row["Rolling year total number of offences"].replace(",", ""))
        except ValueError:
            raise DataError(
                f"{path}: row {number}: '12 months ending' should be DD/MM/YYYY and the rolling year total "
                f"a whole number (found '{row['12 months ending']}', "
                f"'{row['Rolling year total number of offences']}'); is this the ONS file by PFA?"
            ) from None
        records.append((f"{ending:%Y-%m}", row["PFA"], row["Offence"], count))
    return pd.DataFrame(records, columns=["period_end", "force", "offence", "count"])


def ons_offences(crime_types: tuple[str, ...], mapping: dict[str, list[str]]) -> tuple[str, ...]:
    """The ONS offences counted as a theme's crime types: the config's mapping, else police.uk's."""
    out: list[str] = []
    for crime_type in crime_types:
        out += mapping.get(crime_type) or list(POLICEUK_OFFENCES.get(crime_type, ()))
    return tuple(dict.fromkeys(out))
