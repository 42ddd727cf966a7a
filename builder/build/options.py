"""What a build is asked to do, what it returns, and how it reports progress and time."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from builder.figures.model import PackFigures

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
"""Called with a stage's name as it starts ('load', 'charts', 'document 3/10', 'pdf 7/10')."""

BY_CHOICES = ("npt", "area", "force")
EDITIONS = frozenset({"docx", "html"})
"""The documents a build can write besides the annex: the Word document (which the PDF is made from) and the web page."""


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
    strict: bool | None = None
    """Fail, publishing nothing, on any warning (for a pack about to be signed off); None: the config's ``strict``."""
    editions: frozenset[str] = EDITIONS
    """Which of ``EDITIONS`` to write; the preview asks for 'html' alone (and no PDF)."""
    preview: bool = False
    """A build for ``perfpack preview``: only what the page needs, so a save reaches the browser fast.

    No fact-check or stale-narrative warnings (``perfpack check`` and ``watch`` give them) and
    no figures file; the editions, PDF and accessibility report are set by the caller."""


@dataclass
class BuildResult:
    """What a build wrote and how long each stage took."""

    docx: list[Path] = field(default_factory=list)
    pdf: list[Path] = field(default_factory=list)
    html: list[Path] = field(default_factory=list)
    rows: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    figures: PackFigures | None = None
    cached: bool = False
    warnings: list[Any] = field(default_factory=list)
    annex: list[Path] = field(default_factory=list)
    reports: list[Any] = field(default_factory=list)
    load_report: Any = None
    manifest: Path | None = None
    figure_files: list[Path] = field(default_factory=list)
    """Each pack's ``<name>-figures.json``, the figures ``perfpack diff`` compares."""
    removed: list[str] = field(default_factory=list)
    """Files of the previous set this build did not make, removed when its set was published."""
    recovered: list[str] = field(default_factory=list)
    """What was finished of a killed build's publish before this one began."""
    summary: Path | None = None
    """The summary across forces of a --by force run."""
    local: list[Any] = field(default_factory=list)
    """Each local pack's scope and how its narrative was chosen (its own text, neutral sentences)."""

    @property
    def warning_count(self) -> int:
        """Warnings of the pack and of the data load, as the summary line and a strict build count them."""
        return len(self.warnings) + (len(self.load_report.warnings) if self.load_report is not None else 0)


def silent(_: str) -> None:
    """A progress callback that says nothing (library calls, tests)."""


class Timer:
    """Times named stages into a dict (adding up repeats) and reports each start.

    ``perfpack -v`` logs each stage's wall time and the build process's CPU time in it:
    on a shared machine the CPU time says what the stage costs, the wall time what it took.
    """

    def __init__(self, timings: dict[str, float], progress: Progress) -> None:
        self.timings, self.progress = timings, progress
        self.cpu: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        """Time the block as ``stage``, announcing it first."""
        self.progress(stage)
        start, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - start, time.process_time() - cpu)

    def add(self, stage: str, seconds: float, cpu: float = 0.0) -> None:
        """Add time spent on ``stage`` outside a ``with`` block."""
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds
        self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu
        log.debug("%s took %.2f s (%.2f s CPU)", stage, self.timings[stage], self.cpu[stage])
