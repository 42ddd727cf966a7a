"""``build()``: the entry point of a pack build, for the CLI, ``watch`` and a Python caller alike.

This module is kept light on purpose. ``build`` first starts the chart server, a
process that imports matplotlib and the chart code while this one imports the config,
the data libraries and the stages (``builder.build.stages``), so the two imports run
side by side on two cores instead of one after the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from builder.build.options import BuildOptions, BuildResult, Progress, silent
from builder.charts.pool import LazyPool, start_chart_server

if TYPE_CHECKING:
    from builder.render.pdf import Office

__all__ = ["BuildOptions", "BuildResult", "build"]


def build(options: BuildOptions, progress: Progress = silent, *, office: Office | None = None) -> BuildResult:
    """Build the pack(s) described by ``options``; raise PerfpackError on any user-fixable problem.

    ``office``: a LibreOffice kept running between builds (``watch --pdf``); without it a
    build with a PDF starts and stops its own.

    The chart server is started before anything else, even when the cache may make the
    charts unnecessary: it costs a cached rebuild nothing it waits for (it runs on the
    other core and exits with this process), and a cold build gains its whole import time.
    """
    start_chart_server()
    from builder.build.stages import run

    pool = LazyPool()
    try:
        return run(options, progress, pool, office)
    finally:
        pool.close()
