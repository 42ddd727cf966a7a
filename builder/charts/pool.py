"""Drawing charts in worker processes: the job a worker receives and the pool that runs it.

This module imports nothing heavy at the top, so the build can start its workers
before it imports pandas or loads the data: matplotlib is imported for the workers
while the main process is still reading files. Workers receive plain
``ChartJob`` values and write PNG files, so the same jobs always give the same bytes.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_WORKERS = 4
"""More workers than this gain nothing for a pack's 15–20 charts and cost memory."""

PRELOAD = ["__main__", "builder.charts.bars", "builder.charts.trend", "builder.charts.save"]
"""What the fork server imports once for every worker ("__main__" as spawn would import it)."""


@dataclass(frozen=True)
class ChartJob:
    """One chart to draw: the chart function's kind and keyword arguments, its title and alt text."""

    key: str
    kind: str
    title: str
    alt: str
    kwargs: dict[str, Any] = field(default_factory=dict)


def draw_chart(job: ChartJob, path: Path, dpi: int) -> Path:
    """Draw one chart and save it as PNG at ``path``; safe to run in a worker process."""
    from builder.charts import bars, trend
    from builder.charts.save import save_png

    functions = {
        "trend": trend.trend_chart,
        "share": bars.share_chart,
        "comparison": bars.comparison_chart,
        "category": bars.category_chart,
        "monthly": bars.monthly_chart,
    }
    figure = functions[job.kind](title=job.title, **job.kwargs)
    return save_png(figure, path, dpi=dpi)


def chart_pool(workers: int | None = None) -> Executor:
    """A process pool sized to the machine, whose workers are started in the background at once.

    Processes, not threads: matplotlib's style context is process-global and not
    thread-safe. Where the platform has it, workers are forked from a fork server that
    imported matplotlib and the chart code once, instead of each worker importing them
    (about a second of CPU each); the server is a fresh process, so nothing is
    forked from a parent already running pyarrow's threads. Starting the workers waits
    for that server, so it happens on a thread and the build goes on loading data.
    """
    count = workers or max(1, min(os.cpu_count() or 1, MAX_WORKERS))
    pool = ProcessPoolExecutor(max_workers=count, mp_context=_context())
    threading.Thread(target=_start_workers, args=(pool, count), name="perfpack-chart-workers", daemon=True).start()
    return pool


def start_chart_server() -> None:
    """Start the fork server now, so it imports matplotlib while the caller imports the rest.

    It is one process per build process, started once; workers are forked from it only when
    charts are drawn (``LazyPool.start``). A build that needs no chart leaves it idle, and it
    exits with the build. Without a fork server (spawn platforms) there is nothing to start.
    """
    if isinstance(_context(), multiprocessing.context.ForkServerContext):
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _start_workers(pool: Executor, count: int) -> None:
    """Submit one warm-up per worker, which makes the pool start them all now."""
    try:
        for _ in range(count):
            pool.submit(warm_up)
    except RuntimeError:  # the build failed and shut the pool down first
        pass


def warm_up() -> None:
    """Import the chart code and draw one tiny chart, so fonts and caches are ready."""
    from matplotlib.figure import Figure

    from builder.charts import bars, trend  # noqa: F401

    Figure(figsize=(1, 1)).savefig(os.devnull, format="png")
    gc.freeze()  # the imported modules never become garbage: keep the collector off them


class LazyPool:
    """The chart workers, started only by a build that will draw charts (not a cached rebuild).

    ``start()`` is called before the data load; the workers are forked from the chart server
    (``start_chart_server``), which has been importing matplotlib since the build began, so
    they are ready by the time the figures are. ``release()`` lets the workers exit while
    the main process finishes the document.
    """

    def __init__(self) -> None:
        self._pool: Executor | None = None

    def start(self) -> Executor:
        """Start the workers if they are not running yet, and return the pool."""
        if self._pool is None:
            self._pool = chart_pool()
        return self._pool

    def release(self) -> None:
        """Let the workers exit without waiting for them (every chart is drawn by now)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False)

    def close(self) -> None:
        """Stop the workers, if any were started, cancelling charts not yet begun."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    @contextmanager
    def closed_on_error(self) -> Iterator[None]:
        """On a failed build, stop the workers before the staging folder they write into is removed."""
        try:
            yield
        except BaseException:
            self.close()
            raise
