"""Submitting a pack's charts to the worker pool, and waiting for each one only when it is needed.

The document is written while the workers still draw: ``PackCharts.wait`` blocks for one
picture just before the document reaches it, by which time most are on disk.
"""

from __future__ import annotations

import time
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import dataclass, field
from pathlib import Path

from builder.charts.jobs import ChartJob, draw_chart
from builder.errors import PerfpackError
from builder.pack.content import Figure


@dataclass
class PackCharts:
    """A pack's charts as document figures by key; their files may still be being drawn.

    Every chart is submitted to the pool before the narrative, annex and document are
    written, so the workers draw while the main process works on; the document waits for
    a picture only when it reaches it (``wait``). ``started`` and ``finished`` are the
    times of the first submission and of the last chart written.
    """

    figures: dict[str, Figure]
    pending: dict[Path, Future[Path]] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    finished: float | None = None

    def wait(self, path: Path | None = None) -> None:
        """Block until the chart at ``path`` (or, with no path, every chart) is on disk."""
        if path is None:
            futures = list(self.pending.values())
        else:
            futures = [self.pending[path]] if path in self.pending else []  # a cached chart is on disk already
        for future in futures:
            try:
                future.result()  # re-raises a worker's error here, in the build
            except BrokenExecutor:
                raise PerfpackError(
                    "a chart worker stopped unexpectedly (out of memory, or killed); build again, "
                    "or set PERFPACK_CHART_WORKERS=0 to draw the charts in the build itself"
                ) from None

    def _done(self, _future: Future[Path]) -> None:
        self.finished = time.perf_counter()


def draw_charts(jobs: list[ChartJob], out_dir: Path, dpi: int, pool: Executor | None = None) -> PackCharts:
    """Submit every chart to the pool (or, with no pool, draw them here) and return at once."""
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = PackCharts(
        {job.key: Figure(path=out_dir / f"{job.key}.png", title=job.title, alt=job.alt) for job in jobs}
    )
    for job in jobs:
        path = charts.figures[job.key].path
        if pool is None:
            draw_chart(job, path, dpi)
            charts.finished = time.perf_counter()
            continue
        future = pool.submit(draw_chart, job, path, dpi)
        future.add_done_callback(charts._done)
        charts.pending[path] = future
    return charts


def drawn(figures: dict[str, Figure]) -> PackCharts:
    """Charts whose files already exist (a cached build)."""
    now = time.perf_counter()
    return PackCharts(figures, started=now, finished=now)
