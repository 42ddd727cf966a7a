"""Where a build writes before it succeeds, and moving its finished files into the output folder.

Every output is written into a private staging folder beside the outputs and moved into
place only once the whole build has succeeded, so a failed build leaves the previous
pack as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING_PREFIX = ".perfpack-build-"


@contextmanager
def staging(output_dir: Path) -> Iterator[Path]:
    """A private folder beside the outputs, removed whatever happens."""
    output_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=output_dir))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish(path: Path, output_dir: Path) -> Path:
    """Move a finished file into the output folder in one step (same filesystem)."""
    target = output_dir / path.name
    os.replace(path, target)
    return target
