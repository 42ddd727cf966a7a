"""build(): the one entry point of a pack build, and what it takes and returns.

This module is kept light on purpose. ``build`` first starts the chart server, a
process that imports matplotlib and the chart code while this one imports the config,
the data libraries and the stages (``builder.stages``), so the two imports run side by
side on two cores instead of one after the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.charts.pool import LazyPool, start_chart_server

if TYPE_CHECKING:
    from builder.figures.model import PackFigures

Progress = Callable[[str], None]


@dataclass
class BuildOptions:
    """What the user asked for on the command line (None: take the config's value)."""

    config: Path
    data: Path | None = None
    output_dir: Path = Path("output")
    pdf: bool = True
    window_months: int | None = None
    period_end: str | None = None
    pdf_timeout: float = 300.0
    cache: bool = True
    by: str | None = None
    check: bool = True


@dataclass
class BuildResult:
    """What a build wrote and how long each stage took."""

    docx: list[Path] = field(default_factory=list)
    pdf: list[Path] = field(default_factory=list)
    rows: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    figures: PackFigures | None = None
    cached: bool = False
    warnings: list[Any] = field(default_factory=list)
    annex: list[Path] = field(default_factory=list)
    reports: list[Any] = field(default_factory=list)
    load_report: Any = None
    manifest: Path | None = None


def build(options: BuildOptions, progress: Progress = lambda _: None) -> BuildResult:
    """Build the pack(s) described by ``options``; raise PerfpackError on any user-fixable problem.

    The chart server is started before anything else, even when the cache may make the
    charts unnecessary: it costs a cached rebuild nothing it waits for (it runs on the
    other core and exits with this process), and a cold build gains its whole import time.
    """
    start_chart_server()
    from builder import stages

    pool = LazyPool()
    try:
        return stages.run(options, progress, pool)
    finally:
        pool.close()
