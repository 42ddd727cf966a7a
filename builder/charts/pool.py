"""The chart workers: a fork server that imports matplotlib once, and the pool forked from it.

This module imports nothing heavy at the top, so the build can start its workers
before it imports pandas or loads the data: matplotlib is imported for the workers
while the main process is still reading files. ``PERFPACK_CHART_WORKERS=0`` draws every
chart in the build process instead (for a debugger or a profiler); another number sets
how many workers to start.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

MAX_WORKERS = 4
"""More workers than this gain nothing for a pack's 15–20 charts and cost memory."""

PRELOAD = [
    "builder.charts.server",
    "builder.charts.jobs",
    "builder.charts.bars",
    "builder.charts.trend",
    "builder.charts.save",
]
"""What the fork server imports once for every worker.

Not ``__main__``: a script that calls ``build()`` without an ``if __name__ == "__main__"``
guard would otherwise be run again inside the server; ``builder.charts.server`` also keeps
each worker from running it.
"""
WORKERS_ENV = "PERFPACK_CHART_WORKERS"
LONGEST_TEMP_BASE = 70
"""The longest temporary folder under which the fork server's socket path still fits.

A Unix socket path holds at most 107 bytes; multiprocessing puts the fork server's
socket at ``<temp>/pymp-XXXXXXXX/listener-XXXXXXXX`` (32 more bytes).
"""


def chart_pool(workers: int | None = None) -> Executor:
    """A process pool sized to the machine, whose workers are started in the background at once.

    Processes, not threads: matplotlib's style context is process-global and not
    thread-safe. Where the platform has it, workers are forked from a fork server that
    imported matplotlib and the chart code once, instead of each worker importing them
    (about a second of CPU each); the server is a fresh process, so nothing is
    forked from a parent already running pyarrow's threads. Starting the workers waits
    for that server, so it happens on a thread and the build goes on loading data.
    """
    count = workers or worker_count() or 1
    _socket_folder()
    pool = ProcessPoolExecutor(max_workers=count, mp_context=_context())
    threading.Thread(target=_start_workers, args=(pool, count), name="perfpack-chart-workers", daemon=True).start()
    return pool


def worker_count() -> int:
    """``$PERFPACK_CHART_WORKERS`` if set (0: draw in the build process), else one per core up to the cap."""
    setting = os.environ.get(WORKERS_ENV, "").strip()
    if setting.isdigit():
        return min(int(setting), MAX_WORKERS)
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def start_chart_server() -> None:
    """Start the fork server now, so it imports matplotlib while the caller loads the data.

    It is one process per build process, started once, by the first build that draws
    charts (``LazyPool.start``); it exits with the build process. Without a fork server
    (spawn platforms) there is nothing to start.
    """
    if worker_count() and isinstance(_context(), multiprocessing.context.ForkServerContext):
        from multiprocessing import forkserver

        from builder.charts.server import main_marker

        _socket_folder()
        marker = {**main_marker(), "PERFPACK_CHART_SERVER": "1"}
        saved = {name: os.environ.get(name) for name in marker}
        os.environ.update(marker)  # the server inherits the environment it is started with
        try:
            forkserver.ensure_running()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def _socket_folder() -> None:
    """Make multiprocessing's temporary folder now, under /tmp when ``$TMPDIR`` is too long.

    A scheduler or a CI runner may set a deep ``$TMPDIR``; the fork server's socket
    would then not fit in a Unix socket path and the build would fail with
    "AF_UNIX path too long". multiprocessing makes the folder once per process and
    removes it at exit, so it is enough to make it here with a short base.
    """
    from multiprocessing import util

    if len(tempfile.gettempdir()) <= LONGEST_TEMP_BASE or not os.path.isdir("/tmp"):
        return
    saved = tempfile.tempdir
    tempfile.tempdir = "/tmp"
    try:
        util.get_temp_dir()
    finally:
        tempfile.tempdir = saved


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

    from builder.charts import bars, trend

    del bars, trend  # imported for their side effect: the chart code is ready before the first job

    Figure(figsize=(1, 1)).savefig(os.devnull, format="png")
    gc.freeze()  # the imported modules never become garbage: keep the collector off them


class LazyPool:
    """The chart workers, started only by a build that will draw charts (not a cached rebuild).

    ``start()`` is called before the data load: it starts the chart server
    (``start_chart_server``), which imports matplotlib while the data load, and the workers
    forked from it, so they are ready by the time the figures are. ``release()`` lets the workers exit while
    the main process finishes the document.
    """

    def __init__(self) -> None:
        self._pool: Executor | None = None

    def start(self) -> Executor | None:
        """Start the chart server and its workers if they are not running yet, and return the pool.

        None: draw in this process. Called by a build that will draw charts, before it loads
        its data, so the server imports matplotlib meanwhile.
        """
        if self._pool is None and worker_count():
            start_chart_server()
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
