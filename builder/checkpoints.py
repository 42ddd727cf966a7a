"""Named points in a build where the kill tests can hold it, to stop it there for real.

A test that must kill a build "while LibreOffice converts" or "between two renames of the
publish" cannot hit those moments by timing. With ``PERFPACK_PAUSE_AT`` naming a
checkpoint, the build prints ``perfpack: paused at <name>`` on stderr when it gets there
and waits; the test then sends a real SIGTERM or SIGKILL to the real process. Unset (as
always outside the tests), a checkpoint costs one dictionary lookup.
"""

from __future__ import annotations

import os
import sys
import time

PAUSE_ENV = "PERFPACK_PAUSE_AT"
"""Environment variable naming the checkpoint to wait at."""

NAMES = ("charts", "document", "pdf", "publish")
"""The checkpoints: charts being drawn; the document written; LibreOffice converting; half the set moved."""


def checkpoint(name: str) -> None:
    """Wait here for ever (until a signal) when ``$PERFPACK_PAUSE_AT`` names this checkpoint."""
    if os.environ.get(PAUSE_ENV) != name:
        return
    print(f"perfpack: paused at {name}", file=sys.stderr, flush=True)
    while True:
        time.sleep(0.1)
