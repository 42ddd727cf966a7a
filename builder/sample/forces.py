"""Synthetic police.uk street-level files for many forces: national scale on one machine.

England and Wales record about 20 million crimes over three years across 43 forces;
police.uk publishes them as one street-level file per force and month. This writes
files of that shape, in police.uk's own folder layout and header, so ``perfpack build
--by force`` can be tried and benchmarked at that scale without downloading anything.

The forces, their police.uk names and their districts (as police.uk spells them in LSOA
names) are real (``forces.csv``, from the ONS lookups in config/lookups); every row is
synthetic. A force's share of the crimes is its share of the districts, so the
Metropolitan Police Service is the largest and the City of London the smallest. About
one row in ten has no location and one in a hundred falls in a district of another
force (police.uk's location snapping near borders), as in the real files. The same
arguments always write the same files.
"""

from __future__ import annotations

import csv
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from builder.data.policeuk import STREET
from builder.sample.writer import write_table

log = logging.getLogger(__name__)

FORCES_FILE: Final = Path(__file__).resolve().parent / "forces.csv"
NATIONAL_CRIMES: Final = 20_000_000
"""Crimes in England and Wales over 36 months, roughly: the default volume for 43 forces."""
LAST_MONTH: Final = "2019-02"
HEADER: Final = STREET
"""police.uk's street-level columns, as the reader expects them (one list for both)."""
CRIME_TYPES: Final = {
    "Violence and sexual offences": 0.33,
    "Criminal damage and arson": 0.10,
    "Other theft": 0.10,
    "Public order": 0.08,
    "Vehicle crime": 0.07,
    "Burglary": 0.07,
    "Shoplifting": 0.06,
    "Drugs": 0.03,
    "Other crime": 0.025,
    "Theft from the person": 0.02,
    "Robbery": 0.015,
    "Bicycle theft": 0.015,
    "Possession of weapons": 0.01,
}
"""Rough shares of police.uk's categories nationally."""
ASB_PER_CRIME: Final = 0.28
"""Anti-social behaviour incidents published alongside each crime, roughly."""
OUTCOMES: Final = (
    "Under investigation",
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Awaiting court outcome",
    "Offender given a caution",
    "Local resolution",
)
NO_LOCATION_SHARE: Final = 0.10
OUTSIDE_SHARE: Final = 0.01
CSV_OPTIONS: Final = pacsv.WriteOptions(quoting_style="none", quoting_header="none")
"""police.uk's files quote nothing; no value written here needs quotes (Arrow would refuse one that did)."""


@dataclass(frozen=True)
class Force:
    """A force as police.uk names it, its Police Force Area and its districts."""

    name: str
    area: str
    districts: tuple[str, ...]

    @property
    def slug(self) -> str:
        """police.uk's folder and file name for the force: 'Kent Police' -> 'kent'."""
        words = re.sub(r"\b(police|constabulary|service)\b", "", self.name.lower().replace("&", "and"))
        return re.sub(r"[^a-z0-9]+", "-", words).strip("-")


def all_forces() -> list[Force]:
    """The 43 territorial forces of England and Wales, by name."""
    districts: dict[tuple[str, str], list[str]] = {}
    with FORCES_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            districts.setdefault((row["force"], row["police_force_area"]), []).append(row["lsoa_district"])
    return [Force(name, area, tuple(names)) for (name, area), names in sorted(districts.items())]


def months(count: int, last: str = LAST_MONTH) -> list[str]:
    """``count`` months as YYYY-MM ending with ``last``."""
    end = np.datetime64(last, "M")
    return [str(m) for m in np.arange(end - count + 1, end + 1)]


def generate_forces(
    out_dir: Path, forces: int = 43, *, month_count: int = 36, crimes: int | None = None, fmt: str = "csv"
) -> list[Path]:
    """Write each force's monthly street files under ``out_dir/<force>/``; return every path written.

    ``crimes`` is the total over all forces and months (default: the national volume
    scaled to the number of forces). Anti-social behaviour rows come on top, as on police.uk.
    """
    if not 1 <= forces <= 43:
        raise ValueError(f"forces must be between 1 and 43, not {forces}")
    if month_count < 1:
        raise ValueError(f"months must be 1 or more, not {month_count}")
    started = time.perf_counter()
    chosen = _spread(all_forces(), forces)
    total = crimes if crimes is not None else round(NATIONAL_CRIMES * sum(len(f.districts) for f in chosen) / 357)
    weights = np.array([len(f.districts) for f in chosen], dtype=float)
    per_force = np.round(total * weights / weights.sum()).astype(int)
    every_district = [d for f in chosen for d in f.districts]
    places = _places(tuple(every_district))
    paths = []
    suffix = ".csv" if fmt == "csv" else ".parquet"
    for number, (force, volume) in enumerate(zip(chosen, per_force)):
        rng = np.random.default_rng([20190228, number])
        first = every_district.index(force.districts[0])
        own = np.arange(first, first + len(force.districts))
        for month, table in _force_months(force, int(volume), month_count, own, places, rng):
            folder = out_dir / force.slug
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{month}-{force.slug}-street{suffix}"
            paths.append(write_table(table, path) if fmt != "csv" else _write_csv(table, path))
    log.info("wrote %d files for %d forces in %.1f s", len(paths), len(chosen), time.perf_counter() - started)
    return paths


def _spread(forces: list[Force], count: int) -> list[Force]:
    """``count`` forces spread over the alphabet (all 43 for 43), so a few forces are not all 'A'."""
    if count >= len(forces):
        return forces
    picks = np.linspace(0, len(forces) - 1, count).round().astype(int)
    return [forces[i] for i in dict.fromkeys(picks.tolist())]


def _force_months(
    force: Force,
    volume: int,
    month_count: int,
    own: np.ndarray,
    places: tuple[pa.Array, pa.Array],
    rng: np.random.Generator,
) -> Iterator[tuple[str, pa.Table]]:
    """One table per month: a seasonal, gently trending series whose months add up to ``volume``."""
    index = np.arange(month_count)
    shape = (1 + 0.08 * np.sin(2 * np.pi * (index - 3) / 12)) * (1 + rng.uniform(-0.15, 0.15) * index / month_count)
    counts = np.floor(volume * shape / shape.sum()).astype(int)
    counts[-1] += volume - counts.sum()
    districts = (len(places[0]) - 1) // LSOAS
    others = np.setdiff1d(np.arange(districts), own) if districts > len(own) else own
    for i, month in enumerate(months(month_count)):
        yield month, _month_table(force, month, int(counts[i]), own, others, places, rng)


def _places(districts: tuple[str, ...]) -> tuple[pa.Array, pa.Array]:
    """Every LSOA name and code of ``districts``, plus '' for no location: made once for every force."""
    names = [f"{d} {n // 4 + 1:03d}{'ABCD'[n % 4]}" for d in districts for n in range(LSOAS)]
    codes = [f"E0{1000000 + i:07d}" for i in range(len(names))]
    return pa.array([*names, ""], type=pa.string()), pa.array([*codes, ""], type=pa.string())


def _month_table(
    force: Force,
    month: str,
    crimes: int,
    own: np.ndarray,
    others: np.ndarray,
    places: tuple[pa.Array, pa.Array],
    rng: np.random.Generator,
) -> pa.Table:
    """One month of one force: crimes then ASB incidents, in police.uk's columns.

    Built from small tables of distinct strings indexed by random integers (Arrow's
    ``take``), so millions of rows cost array operations, not Python string formatting.
    """
    asb = round(crimes * ASB_PER_CRIME)
    rows = crimes + asb
    types = np.concatenate([rng.choice(len(CRIME_TYPES), size=crimes, p=_shares()), np.full(asb, len(CRIME_TYPES))])
    is_crime = types < len(CRIME_TYPES)
    place = rng.random(rows)
    outside, located = place < OUTSIDE_SHARE, place >= OUTSIDE_SHARE + NO_LOCATION_SHARE
    district = np.where(outside, rng.choice(others, rows), rng.choice(own, rows))
    place_index = np.where(located | outside, district * LSOAS + rng.integers(0, LSOAS, rows), -1)
    no_place = len(places[0]) - 1
    place_take = pa.array(np.where(place_index >= 0, place_index, no_place))
    coordinates = [f"{x:.6f}" for x in rng.uniform(-5.5, 1.7, 512)], [f"{y:.6f}" for y in rng.uniform(50.0, 55.8, 512)]
    columns = {
        "Crime ID": _where(is_crime, _crime_ids(rows, rng)),
        "Month": _repeat(month, rows),
        "Reported by": _repeat(force.name, rows),
        "Falls within": _repeat(force.name, rows),
        "Longitude": _pick(coordinates[0], np.where(place_index >= 0, rng.integers(0, 512, rows), -1)),
        "Latitude": _pick(coordinates[1], np.where(place_index >= 0, rng.integers(0, 512, rows), -1)),
        "Location": _pick(["No Location", "On or near High Street"], (place_index >= 0).astype(int)),
        "LSOA code": places[1].take(place_take),
        "LSOA name": places[0].take(place_take),
        "Crime type": _pick([*CRIME_TYPES, "Anti-social behaviour"], types),
        "Last outcome category": _pick(OUTCOMES, np.where(is_crime, rng.integers(0, len(OUTCOMES), rows), -1)),
        "Context": _repeat("", rows),
    }
    return pa.table({name: columns[name] for name in HEADER})


LSOAS: Final = 240
"""LSOAs per district (police.uk's names run 001A, 001B, …)."""


def _pick(values: list[str] | tuple[str, ...], index: np.ndarray) -> pa.Array:
    """``values[index]`` as text, '' where the index is -1."""
    table = pa.array([*values, ""], type=pa.string())
    return table.take(pa.array(np.where(index >= 0, index, len(values))))


def _repeat(value: str, count: int) -> pa.Array:
    return pa.array([value], type=pa.string()).take(pa.array(np.zeros(count, dtype=np.int64)))


def _where(mask: np.ndarray, values: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(mask), values, pa.scalar("", pa.string()))


def _shares() -> np.ndarray:
    shares = np.array(list(CRIME_TYPES.values()))
    return shares / shares.sum()


HEX: Final = np.array([f"{b:02x}" for b in range(256)], dtype="S2")


def _crime_ids(count: int, rng: np.random.Generator) -> pa.Array:
    """64-character hexadecimal IDs, like police.uk's, from random bytes (no hashing: fast for millions)."""
    raw = rng.integers(0, 256, size=(count, 32), dtype=np.uint8)
    text = np.ascontiguousarray(HEX[raw]).view(np.uint8).ravel()
    offsets = np.arange(0, 64 * count + 1, 64, dtype=np.int32)
    return pa.StringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(text))


def _write_csv(table: pa.Table, path: Path) -> Path:
    """police.uk's CSV, written beside the target and moved into place."""
    temp = path.with_name(f".{path.name}.tmp")
    pacsv.write_csv(table, temp, write_options=CSV_OPTIONS)
    temp.replace(path)
    return path
