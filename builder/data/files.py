"""Find the files a load reads (data, peers, lookups) without reading any of them.

Kept apart from the readers, and free of pandas and Arrow, so that a build served from
the cache can list and fingerprint its inputs without paying for the data libraries.
"""

from __future__ import annotations

from pathlib import Path

from builder.config.schema import Data
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
    """The file itself, or every data file under a folder (sorted; hidden, peers and lookups left out).

    Files that are not data are listed in ``warnings``.
    """
    if path.is_file():
        return [path]
    skip = lookups | ({(path / peers_file).resolve()} if peers_file else set())
    found: list[Path] = []
    ignored: list[Path] = []
    for candidate in sorted(path.rglob("*")):
        relative = candidate.relative_to(path).parts
        if not candidate.is_file() or any(part.startswith((".", "~$")) for part in relative):
            continue
        if candidate.resolve() in skip:
            continue
        (found if candidate.suffix.lower() in DATA_SUFFIXES else ignored).append(candidate)
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


def lookup_paths(config: Data, config_folder: Path | None) -> set[Path]:
    """Lookup files, so a lookup kept inside the data folder is not read as data."""
    folder = config_folder or Path.cwd()
    return {(folder / spec.file).resolve() for spec in config.lookups}


def require_exists(path: Path) -> None:
    """A missing --data path is the commonest slip; say so plainly before anything else."""
    if not path.exists():
        raise DataError(f"{path}: no such file or folder; check the --data path")
