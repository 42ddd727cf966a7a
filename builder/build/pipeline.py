"""``build()``: the entry point of a pack build, for the CLI, ``watch`` and a Python caller alike.

This module is kept light on purpose: a narrative-only rebuild, served from the cache,
imports neither pandas nor matplotlib. A build that draws charts starts the chart server
(a process that imports matplotlib and the chart code) as soon as it knows it needs it,
before it loads the data, so the two run side by side (``LazyPool.start``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from builder.build.options import BuildOptions, BuildResult, Progress, silent
from builder.charts.pool import LazyPool

if TYPE_CHECKING:
    from builder.render.pdf import Office

__all__ = ["BuildOptions", "BuildResult", "build"]


def build(options: BuildOptions, progress: Progress = silent, *, office: Office | None = None) -> BuildResult:
    """Build the pack(s) described by ``options``; raise PerfpackError on any user-fixable problem.

    ``office``: a LibreOffice kept running between builds (``watch --pdf``); without it a
    build with a PDF starts and stops its own.

    The chart server is started only once the cache has missed. Started before anything
    else, it took half a second of CPU from every cached rebuild (a third of it), which on
    a busy machine came out of the rebuild's own share; started after the config is read,
    it still finishes importing matplotlib while the data load, on the other core.
    """
    from builder.build.stages import run

    pool = LazyPool()
    try:
        return run(options, progress, pool, office)
    finally:
        pool.close()
