"""Generate the synthetic sample (crimes, drug-related ASB, peers) and cache it.

The sample reproduces the published 2018 pack's tables exactly and is shaped so
its charts and narrative tell the same story. Generation is deterministic: the
same scale and format give byte-identical files, so a cached or committed
sample can be compared with a fresh one.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Final

from builder.sample.peers import peer_table
from builder.sample.plan import Plan, build_plan
from builder.sample.skeleton import AsbSkeleton, CrimeSkeleton, asb_skeleton, crime_skeleton
from builder.sample.tables import asb_table, crime_table
from builder.sample.writer import FORMATS, write_table

log = logging.getLogger(__name__)

# Bump whenever the generated data changes: cached samples are keyed by it.
GENERATOR_VERSION: Final[str] = "2"
CACHE_ENV: Final[str] = "PERFPACK_CACHE"
OUTPUT_NAMES: Final[tuple[str, ...]] = ("crimes", "asb", "peers")


@functools.lru_cache(maxsize=1)
def _skeletons() -> tuple[Plan, CrimeSkeleton, AsbSkeleton]:
    """The scale-1 plan and skeletons, built once per process (they never vary)."""
    plan = build_plan()
    return plan, crime_skeleton(plan), asb_skeleton(plan)


def generate(out_dir: Path, scale: int = 1, fmt: str = "csv") -> dict[str, Path]:
    """Write crimes.<ext>, asb.<ext> and peers.csv into ``out_dir``; return their paths.

    ``scale`` multiplies every count exactly (each planned crime appears
    ``scale`` times, with its own random day); ``fmt`` is 'csv' or 'parquet'.
    Peers are always CSV because the file is tiny and meant to be edited by hand.
    """
    _check_arguments(scale, fmt)
    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plan, crimes, asb = _skeletons()
    suffix = FORMATS[fmt]
    paths = {
        "crimes": write_table(crime_table(crimes.tile(scale), scale), out_dir / f"crimes{suffix}"),
        "asb": write_table(asb_table(asb.tile(scale), scale), out_dir / f"asb{suffix}"),
        "peers": write_table(peer_table(plan, scale), out_dir / "peers.csv"),
    }
    log.info(
        "wrote sample (scale %d, %s, %d crimes) to %s in %.1fs",
        scale,
        fmt,
        len(crimes) * scale,
        out_dir,
        time.perf_counter() - started,
    )
    return paths


def _check_arguments(scale: int, fmt: str) -> None:
    """Reject bad arguments before touching the filesystem."""
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a whole number of 1 or more, not {scale!r}")
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def default_cache_dir() -> Path:
    """``$PERFPACK_CACHE`` if set, else ``~/.cache/perfpack``."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else Path.home() / ".cache" / "perfpack"


def sample_dir_name(scale: int) -> str:
    """Cache folder name: version, source fingerprint and scale, so stale samples are unreachable.

    The version constant marks deliberate changes; the fingerprint catches an
    edit made without bumping it (easy to forget while developing).
    """
    return f"sample-v{GENERATOR_VERSION}-{source_fingerprint()}-scale{scale}"


@functools.lru_cache(maxsize=1)
def source_fingerprint() -> str:
    """Short hash of this package's source files, which fully determine the data."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def ensure_sample(scale: int = 1, cache_dir: Path | None = None) -> Path:
    """Return a folder holding the Parquet sample at ``scale``, generating it on first use.

    The sample is generated into a private temporary folder and renamed into
    place, so a folder under the final name is always complete; if another
    process wins the race, its (identical) folder is kept and ours discarded.
    """
    _check_arguments(scale, "parquet")
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    final = root / sample_dir_name(scale)
    if _is_complete(final):
        return final
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=root))
    try:
        generate(staging, scale, "parquet")
        _publish(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _publish(staging: Path, final: Path) -> None:
    """Rename ``staging`` to ``final`` unless a complete ``final`` already exists."""
    if final.exists() and not _is_complete(final):
        log.warning("removing incomplete sample cache %s", final)
        shutil.rmtree(final, ignore_errors=True)
    try:
        os.rename(staging, final)
    except OSError:
        if not _is_complete(final):
            raise
        log.debug("sample cache %s was created by another process", final)


def _is_complete(folder: Path) -> bool:
    """True if ``folder`` holds every file of a Parquet sample."""
    return all((folder / name).is_file() for name in ("crimes.parquet", "asb.parquet", "peers.csv"))
