"""build-manifest.json: what went into a pack and what came out, so nothing is lost unseen.

An analyst (or an auditor) can see from this one file which inputs were read, their
SHA-256, how many rows were used, dropped or re-classified and why, which config and
options made the pack, which versions of the tools built it, and every file published
with it and its SHA-256, so a reader can tell the set is whole.

Paths are written relative to the project (the folder holding ``config/``), or to the
home folder as ``~/…``, so a manifest shared with the pack names no user.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from builder import __version__
from builder.data.sniff import sha256_of

PACKAGES = ("pandas", "numpy", "pyarrow", "matplotlib", "python-docx", "docxtpl", "jinja2", "pydantic")


def write_manifest(path: Path, loaded: Any, options: Any, result: Any, inputs: list[Path], outputs: list[Any]) -> Path:
    """Write the manifest atomically and return its path; ``outputs`` are the files published with it."""
    figures = result.figures
    root = project_root(loaded.path)

    def shown(where: Path) -> str:
        return shown_path(where, root)

    report = result.load_report
    known = {f.path: f.sha256 for f in report.files} if report is not None else {}
    manifest: dict[str, Any] = {
        "perfpack": __version__,
        "built_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "config": {"path": shown(loaded.path), "sha256": sha256_of(loaded.path)[0]},
        "options": {
            "window_months": options.window_months,
            "period_end": options.period_end,
            "by": options.by,
            "pdf": options.pdf,
            "cache": options.cache,
        },
        "reused_cached_figures": result.cached,
        "inputs": [{"path": shown(p), "sha256": _sha256(p, known), "bytes": p.stat().st_size} for p in inputs],
        "rows": result.rows,
        "load": result.load_report.to_dict(shown) if result.load_report is not None else None,
        "windows": _windows(figures),
        "outputs": [{"name": o.name, "sha256": o.sha256, "bytes": o.bytes} for o in outputs],
        "figures": [p.name for p in result.figure_files],
        "warnings": [str(w) for w in result.warnings],
        "versions": {"python": platform.python_version(), **_versions()},
    }
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def project_root(config: Path) -> Path:
    """The project a config belongs to: the folder holding ``config/``, else the config's own folder."""
    folder = config.resolve().parent
    return folder.parent if folder.name == "config" else folder


def shown_path(path: Path, root: Path) -> str:
    """A path as the manifest shows it: relative to the project, else under ``~``, else as it is."""
    resolved = Path(os.path.abspath(path))
    for base, prefix in ((root, ""), (Path.home(), "~/")):
        if resolved.is_relative_to(base):
            return prefix + resolved.relative_to(base).as_posix()
    return resolved.as_posix()


def _sha256(path: Path, known: dict[Path, str]) -> str:
    """The file's SHA-256: as the load computed it when it read the file, else computed now.

    A national run reads gigabytes; hashing them a second time would add a pass over every byte.
    """
    return known.get(path) or sha256_of(path)[0]


def _windows(figures: Any) -> dict[str, str] | None:
    if figures is None:
        return None
    w = figures.windows
    return {
        "last": f"{w.last.start}/{w.last.end}",
        "previous": f"{w.previous.start}/{w.previous.end}",
        "trend": f"{w.trend.start}/{w.trend.end}",
    }


@functools.cache
def _versions() -> dict[str, str]:
    """The libraries' versions; looked up once per process (a preview writes a manifest on every save)."""
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found
