"""Find the files a load reads (data, peers, lookups) without reading any of them.

Kept apart from the readers, and free of pandas and Arrow, so that a build served from
the cache can list and fingerprint its inputs without paying for the data libraries.
"""

from __future__ import annotations

import os
from pathlib import Path

from builder.config.schema import Data, Peers
from builder.errors import DataError

DATA_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".parquet", ".pq")


def input_files(
    path: Path,
    *,
    peers_file: str | None = "peers.csv",
    data_config: Data | None = None,
    config_folder: Path | None = None,
) -> list[Path]:
    """Every file a load of ``path`` would read (data, peers, lookups), without reading them.

    For cache keys: a build's figures depend on the lookups as much as on the data.
    """
    path = Path(path)
    require_exists(path)
    lookups = lookup_paths(data_config or Data(), config_folder)
    files = find_data_files(path, peers_file, lookups, warnings=[])
    folder = path if path.is_dir() else path.parent
    peers = [folder / peers_file] if peers_file and (folder / peers_file).is_file() else []
    return [*files, *peers, *sorted(p for p in lookups if p.is_file())]


def find_data_files(path: Path, peers_file: str | None, lookups: set[Path], warnings: list[str]) -> list[Path]:
    """The file itself, or every data file under a folder and its sub-folders (sorted; peers and lookups left out).

    Nothing is skipped without a word: sub-folders are read, links to files and folders
    are followed (a link back to a folder already read is refused, as is a broken link or
    anything that is not a file, such as a pipe), and files that are not data are listed
    in ``warnings``. Hidden files and Office's owner files (``~$…``) are left alone.
    """
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise DataError(f"{path}: not a file or a folder (a pipe or a device?); point --data at the data")
    skip = lookups | ({(path / peers_file).resolve()} if peers_file else set())
    found: list[Path] = []
    ignored: list[Path] = []
    _walk(path, skip, found, ignored, seen={path.resolve()})
    if ignored:
        warnings.append(
            f"ignored {len(ignored)} file{'s' if len(ignored) > 1 else ''} that are not "
            f"data files: {', '.join(p.name for p in ignored[:5])}"
        )
    if not found:
        raise DataError(
            f"{path}: no data files (.csv, .xlsx or .parquet) in this folder; point --data at the "
            "folder holding the crimes file(s)"
        )
    return found


def _walk(folder: Path, skip: set[Path], found: list[Path], ignored: list[Path], seen: set[Path]) -> None:
    """Sort one folder's entries into data files and others, going into its sub-folders and links."""
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "~$")):
            continue
        if entry.is_symlink() and not entry.exists():
            raise DataError(f"{entry}: a link to {os.readlink(entry)}, which does not exist; fix or remove the link")
        if entry.is_dir():
            target = entry.resolve()
            if target in seen:
                raise DataError(f"{entry}: a link back to a folder already read ({target}); remove the link")
            _walk(entry, skip, found, ignored, seen | {target})
        elif not entry.is_file():
            raise DataError(f"{entry}: not a file (a pipe, socket or device); remove it from the data folder")
        elif entry.resolve() not in skip:
            (found if entry.suffix.lower() in DATA_SUFFIXES and not is_peer_file(entry) else ignored).append(entry)


PEER_HEADER = frozenset({"force", "population", "crime_type", "period_end", "last_12", "previous_12"})
"""The columns of a peer figures file (``data.canonical.PEER_COLUMNS``)."""


def is_peer_file(path: Path) -> bool:
    """A CSV whose header is a peer file's: last cycle's peers.csv left in the data folder is not crime data.

    ``perfpack new --from --peers`` points the config at a newer peer file and leaves the
    old one where it was; read as crimes it would stop the build.
    """
    if path.suffix.lower() != ".csv":
        return False
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline(4096)
    except OSError:
        return False
    return {name.strip().strip('"').casefold() for name in header.split(",")} >= PEER_HEADER


def lookup_paths(config: Data, config_folder: Path | None) -> set[Path]:
    """Lookup files, so a lookup kept inside the data folder is not read as data."""
    folder = config_folder or Path.cwd()
    return {(folder / spec.file).resolve() for spec in config.lookups}


def peer_source_paths(peers: Peers | None, folder: Path) -> list[Path]:
    """The peer group, population and ONS files the config names, relative to its folder."""
    if peers is None:
        return []
    names = [peers.groups, peers.populations, peers.ons_file if peers.source == "ons" else None]
    return [(folder / name).resolve() for name in names if name]


def require_exists(path: Path) -> None:
    """A missing --data path is the commonest slip; say so plainly before anything else."""
    if not path.exists():
        raise DataError(f"{path}: no such file or folder; check the --data path")
