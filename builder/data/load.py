"""Read a data folder (crimes, optional drug ASB and peers) into a validated ``Dataset``.

A data folder holds ``crimes.csv`` or ``crimes.parquet``, optionally ``asb.*`` and
``peers.csv``. A single crimes file may be given instead of a folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from builder.data.canonical import Dataset, validate_asb, validate_crimes, validate_peers
from builder.errors import DataError

log = logging.getLogger(__name__)
TABLE_SUFFIXES = (".parquet", ".csv")


def load_dataset(path: Path, *, peers_file: str | None = "peers.csv") -> Dataset:
    """Load and validate the crimes, ASB and peer tables found at ``path``."""
    if not path.exists():
        raise DataError(f"{path}: no such file or folder; check the --data path")
    folder = path if path.is_dir() else path.parent
    crimes_path = path if path.is_file() else _find_table(folder, "crimes", required=True)
    assert crimes_path is not None
    crimes = validate_crimes(read_table(crimes_path), crimes_path)
    if crimes.empty:
        raise DataError(f"{crimes_path}: the file has a header but no crimes; check the extract")
    asb_path = _find_table(folder, "asb", required=False)
    asb = validate_asb(read_table(asb_path), asb_path) if asb_path else None
    peers_path = folder / peers_file if peers_file else None
    peers = None
    if peers_path is not None and peers_path.exists():
        peers = validate_peers(read_table(peers_path), peers_path)
    sources = tuple(p for p in (crimes_path, asb_path, peers_path) if p is not None and p.exists())
    log.info("loaded %d crimes from %s", len(crimes), crimes_path)
    return Dataset(crimes=crimes, asb=asb, peers=peers, sources=sources)


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV (UTF-8, BOM tolerated) or Parquet file, turning read failures into DataError."""
    try:
        if path.suffix.lower() == ".parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path, dtype="string", encoding="utf-8-sig", keep_default_na=False)
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason}); save the file as UTF-8 CSV") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; export the data again") from None
    except (pd.errors.ParserError, ValueError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{path}: cannot be read as a table ({first})") from None


def _find_table(folder: Path, stem: str, *, required: bool) -> Path | None:
    """Find ``stem.parquet`` or ``stem.csv`` in a folder."""
    for suffix in TABLE_SUFFIXES:
        candidate = folder / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    if required:
        raise DataError(
            f"{folder}: no {stem}.csv or {stem}.parquet found; point --data at a folder holding the crimes file"
        )
    return None
