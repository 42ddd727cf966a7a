"""Reuse computed figures, charts and annexes when only the narrative changed.

Authors rebuild many times while they write; the data and the counting rules do not
change between those builds. The key is a hash of everything figures and charts are
made from — every data file's bytes, the config less its narrative, the command-line
overrides and perfpack's own source — so a change to any of them is a new key and can
never be served stale.
"""

from __future__ import annotations

import functools
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

from builder.build.prepare import Computed
from builder.build.publish import lock, unlocked
from builder.config.schema import PackConfig
from builder.data.sniff import sha256_of
from builder.narrative.fields import without_narrative
from builder.pack.content import Figure

log = logging.getLogger(__name__)
KEEP = 8
PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Cached:
    """What a previous build computed for the same inputs: figures, chart files and annexes per pack."""

    computed: Computed
    charts: tuple[dict[str, Figure], ...]
    """Each pack's charts by key, in the order of ``computed.packs``."""
    annexes: tuple[Path | None, ...] = ()
    """Each pack's data annex: made from the figures and the non-narrative config only, so reused too."""


def cache_root() -> Path:
    """$PERFPACK_CACHE or ~/.cache/perfpack, where the sample data are cached too."""
    return Path(os.environ.get("PERFPACK_CACHE") or Path.home() / ".cache" / "perfpack")


def build_key(config: PackConfig, files: tuple[Path, ...], overrides: dict[str, Any]) -> str:
    """Hash of every input file (data, peers, lookups), the non-narrative config, the overrides and the code."""
    digest = hashlib.sha256()
    digest.update(json.dumps(without_narrative(config), sort_keys=True, default=str).encode())
    digest.update(json.dumps(overrides, sort_keys=True, default=str).encode())
    for path in sorted(files):
        digest.update(str(path.resolve()).encode())
        digest.update(file_sha256(path).encode())
    digest.update(_code_hash().encode())
    return digest.hexdigest()[:32]


_HELD: dict[str, Cached] = {}
"""The last entry loaded, kept in memory: ``preview`` and ``watch`` rebuild from it on every save."""


def load(key: str) -> Cached | None:
    """The cached figures, charts and annexes for a key, or None (a damaged entry counts as absent).

    The entry last loaded is held in memory, so a process that rebuilds on every save
    unpickles it once; its chart and annex files are still checked to be on disk.
    """
    held = _HELD.get(key)
    if held is not None and _on_disk(held):
        return held
    folder = cache_root() / "builds" / key
    try:
        with (folder / "figures.pickle").open("rb") as handle:
            cached: Cached = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    charts = tuple(
        {k: Figure(folder / f.path, f.title, f.alt, f.width_cm) for k, f in pack.items()} for pack in cached.charts
    )
    annexes = tuple(folder / a if a is not None and (folder / a).is_file() else None for a in cached.annexes)
    loaded = Cached(cached.computed, charts, annexes)
    if not _on_disk(loaded):
        return None
    os.utime(folder)
    _HELD.clear()
    _HELD[key] = loaded
    return loaded


def _on_disk(cached: Cached) -> bool:
    """Every chart and annex of the entry still exists (another process may have pruned it)."""
    charts = all(f.path.exists() for pack in cached.charts for f in pack.values())
    return charts and all(a is None or a.exists() for a in cached.annexes)


def store(key: str, computed: Computed, charts: list[dict[str, Figure]], annexes: list[Path]) -> None:
    """Save figures, chart images and annexes under the key, atomically, and prune old entries."""
    builds = cache_root() / "builds"
    staging: Path | None = None
    held: int | None = None
    try:
        builds.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=builds))
        held = lock(staging)  # a killed build's folder is unlocked: the next prune removes it
        kept_charts, kept_annexes = [], []
        for number, (pack, annex) in enumerate(zip(charts, annexes)):
            folder = Path("charts") / str(number)
            (staging / folder).mkdir(parents=True)
            kept: dict[str, Figure] = {}
            for name, figure in pack.items():
                shutil.copy2(figure.path, staging / folder / figure.path.name)
                kept[name] = Figure(folder / figure.path.name, figure.title, figure.alt, figure.width_cm)
            kept_charts.append(kept)
            shutil.copy2(annex, staging / f"annex-{number}.xlsx")
            kept_annexes.append(Path(f"annex-{number}.xlsx"))
        with (staging / "figures.pickle").open("wb") as handle:
            pickle.dump(
                Cached(computed, tuple(kept_charts), tuple(kept_annexes)), handle, protocol=pickle.HIGHEST_PROTOCOL
            )
        target = builds / key
        if target.exists():
            shutil.rmtree(staging)
        else:
            os.replace(staging, target)
    except OSError as exc:  # a cache that cannot be written only costs time
        log.warning("could not cache the build: %s", exc)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        return
    finally:
        if held is not None:
            os.close(held)
    _prune(builds)
    load(key)  # held in memory from now: the next save of a watch or preview reads nothing back


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (the same digest the load report records)."""
    return sha256_of(path)[0]


@functools.cache
def _code_hash() -> str:
    """perfpack's own source, hashed once per process: the code running is the code imported at its start."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _prune(builds: Path) -> None:
    """Keep the newest KEEP entries; remove the half-written entries of killed builds."""
    for partial in builds.glob(".tmp-*"):
        if partial.is_dir() and unlocked(partial):
            shutil.rmtree(partial, ignore_errors=True)
    entries = sorted(
        (p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
