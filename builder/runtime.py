"""How a perfpack process runs: the garbage collector's pace, and ending without the teardown.

Both are settings of the whole process, so only what owns the process applies them: the
console script (``cli.main``) and the chart server the workers are forked from. A notebook
that calls ``builder.build.pipeline.build`` keeps its own.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import logging
import os
import sys

COLLECTOR_THRESHOLDS = (5000, 100, 100)
"""Allocations before a young collection, and young (then middle) collections before an older one.

At Python's defaults (700, 10, 10) a build ran 266 young collections, 24 middle and 2
full ones, mostly re-scanning the objects of the modules it had just imported: 0.15 s of
the build process's 1.3 s of CPU, 0.3 s with ``--by npt``. At these thresholds it runs
about 40 young ones and no other (0.05 s), and its peak memory is the same at 1× and 10×
the sample and with ``--by npt``: the garbage a build leaves in cycles dies young.
"""


def pace_collector() -> None:
    """Collect garbage less often (``COLLECTOR_THRESHOLDS``)."""
    gc.set_threshold(*COLLECTOR_THRESHOLDS)


def end_at_exit(status: list[int]) -> None:
    """End the process with ``status[0]`` once every other exit handler has run, skipping the teardown.

    Call it first thing, so its handler is registered first and runs last. Freeing pandas,
    pyarrow, matplotlib and every other module one object at a time took 0.3–0.8 s after
    a build had finished, a fifth of the time an analyst waits for the prompt. Standard
    output and error are flushed first; under coverage measurement, whose exit handler is
    registered before this one and must still save its data, the interpreter ends as usual.
    """
    atexit.register(_end, status)


def _end(status: list[int]) -> None:
    if "coverage" in sys.modules:
        return
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (``perfpack figures | head``)
            stream.flush()
    os._exit(status[0])
