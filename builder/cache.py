"""Reuse computed figures and charts when only the narrative changed.

Authors rebuild many times while they write; the data and the counting rules do not
change between those builds. The key is a hash of everything figures and charts are
made from — every data file's bytes, the config less its narrative, the command-line
overrides and perfpack's own source — so a change to any of them is a new key and can
never be served stale.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.config.schema import PackConfig
from builder.data.sniff import sha256_of
from builder.figures.model import PackFigures
from builder.pack.content import Figure

log = logging.getLogger(__name__)
KEEP = 8
ANNEX = "annex.xlsx"
PACKAGE = Path(__file__).resolve().parent
NARRATIVE_KEYS = ("foreword", "executive_summary", "all_crime")
THEME_NARRATIVE_KEYS = ("definition", "examples", "narrative")


@dataclass(frozen=True)
class Cached:
    """What a previous build computed for the same inputs."""

    figures: PackFigures
    charts: dict[str, Figure]
    rows: int
    report: Any = None
    annex: Path | None = None
    """The data annex: made from the figures and the non-narrative config only, so it is reused too."""


def cache_root() -> Path:
    """$PERFPACK_CACHE or ~/.cache/perfpack, where the sample data are cached too."""
    return Path(os.environ.get("PERFPACK_CACHE") or Path.home() / ".cache" / "perfpack")


def build_key(config: PackConfig, files: list[Path], overrides: dict[str, Any]) -> str:
    """Hash of every input file (data, peers, lookups), the non-narrative config, the overrides and the code."""
    digest = hashlib.sha256()
    digest.update(json.dumps(_figure_config(config), sort_keys=True, default=str).encode())
    digest.update(json.dumps(overrides, sort_keys=True, default=str).encode())
    for path in sorted(files):
        digest.update(str(path.resolve()).encode())
        digest.update(file_sha256(path).encode())
    digest.update(_code_hash().encode())
    return digest.hexdigest()[:32]


def load(key: str) -> Cached | None:
    """The cached figures and charts for a key, or None (a damaged entry counts as absent)."""
    folder = cache_root() / "builds" / key
    try:
        with (folder / "figures.pickle").open("rb") as handle:
            cached: Cached = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    charts = {k: Figure(folder / "charts" / f.path.name, f.title, f.alt, f.width_cm) for k, f in cached.charts.items()}
    if not all(f.path.exists() for f in charts.values()):
        return None
    os.utime(folder)
    annex = folder / ANNEX
    return Cached(cached.figures, charts, cached.rows, cached.report, annex if annex.is_file() else None)


def store(key: str, figures: PackFigures, charts: dict[str, Figure], rows: int, report: Any = None,
          annex: Path | None = None) -> None:
    """Save figures, chart images and the annex under the key, atomically, and prune old entries."""
    builds = cache_root() / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=builds))
    try:
        (staging / "charts").mkdir()
        for figure in charts.values():
            shutil.copy2(figure.path, staging / "charts" / figure.path.name)
        if annex is not None:
            shutil.copy2(annex, staging / ANNEX)
        with (staging / "figures.pickle").open("wb") as handle:
            pickle.dump(Cached(figures, charts, rows, report), handle, protocol=pickle.HIGHEST_PROTOCOL)
        target = builds / key
        if target.exists():
            shutil.rmtree(staging)
        else:
            os.replace(staging, target)
    except OSError as exc:  # a cache that cannot be written only costs time
        log.warning("could not cache the build: %s", exc)
        shutil.rmtree(staging, ignore_errors=True)
    _prune(builds)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (the same digest the load report records)."""
    return sha256_of(path)[0]


def _figure_config(config: PackConfig) -> dict[str, Any]:
    """The config without the narrative, which figures and charts never read."""
    dumped = config.model_dump(mode="json")
    for key in NARRATIVE_KEYS:
        dumped.pop(key, None)
    for theme in dumped.get("themes", []):
        for key in THEME_NARRATIVE_KEYS:
            theme.pop(key, None)
    return dumped


def _code_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _prune(builds: Path) -> None:
    entries = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
