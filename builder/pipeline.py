"""build(): the stages of a pack, top to bottom.

config + data -> figures -> narrative -> charts -> layout -> .docx -> PDF. Every
output is written into a staging folder first and moved into place only when the
stage that makes it has succeeded, so a failed build leaves the previous pack as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.config.load import LoadedConfig, load_config
from builder.data.canonical import Dataset
from builder.data.load import load_dataset
from builder.errors import ConfigError, ConversionError
from builder.figures.compute import compute_figures
from builder.figures.model import PackFigures
from builder.narrative.context import build_context
from builder.narrative.helpers import date
from builder.narrative.render import render_narrative
from builder.pack.charts import chart_pool, plan_charts, render_charts
from builder.pack.layout import Layout

log = logging.getLogger(__name__)
REPO_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "pack.docx"


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


@dataclass
class BuildResult:
    """What a build wrote and how long each stage took."""

    docx: Path | None = None
    pdf: Path | None = None
    rows: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    figures: PackFigures | None = None


def build(options: BuildOptions, progress: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Build the pack described by ``options``; raise PerfpackError on any user-fixable problem."""
    with chart_pool() as pool:
        return _build(options, progress, pool)


def _build(options: BuildOptions, progress: Callable[[str], None], pool: Executor) -> BuildResult:
    result = BuildResult()
    timer = _Timer(result.timings, progress)
    with timer("config"):
        loaded = load_config(options.config)
    with timer("load"):
        data = load_data(loaded, options.data)
        result.rows = data.rows
    with timer("compute"):
        figures = compute_figures(loaded.config, data, window_months=options.window_months,
                                  period_end=options.period_end)
        narrative = render_narrative(loaded, build_context(loaded.config, figures))
        result.figures = figures
    options.output_dir.mkdir(parents=True, exist_ok=True)
    with _staging(options.output_dir) as stage:
        with timer("charts"):
            charts = render_charts(plan_charts(loaded.config, figures), stage / "charts",
                                   loaded.config.charts.dpi, pool)
        with timer("document"):
            elements = Layout(loaded.config, figures, narrative, charts).elements()
            docx = _render(loaded, elements, stage / f"{loaded.config.name}.docx")
        if options.pdf:
            from builder.render.pdf import convert_to_pdf

            try:
                with timer("pdf"):
                    pdf = convert_to_pdf(docx, stage / f"{loaded.config.name}.pdf",
                                         title=_title(loaded), timeout=options.pdf_timeout)
            except ConversionError:
                result.docx = _publish(docx, options.output_dir)
                raise
            result.pdf = _publish(pdf, options.output_dir)
        result.docx = _publish(docx, options.output_dir)
    return result


def load_data(loaded: LoadedConfig, data: Path | None) -> Dataset:
    """Load the data the user named, the config names, or else the bundled sample."""
    peers_file = loaded.config.peers.file if loaded.config.peers else None
    if data is not None:
        return load_dataset(data, peers_file=peers_file)
    if loaded.config.data.path:
        return load_dataset((loaded.folder / loaded.config.data.path).resolve(), peers_file=peers_file)
    from builder.sample import ensure_sample

    return load_dataset(ensure_sample(), peers_file=peers_file)


def template_path(loaded: LoadedConfig) -> Path:
    """The config's template, or the project's, or the bundled one."""
    if loaded.config.template:
        path = (loaded.folder / loaded.config.template).resolve()
        if not path.exists():
            line = loaded.line_of(("template",))
            raise ConfigError(f"{loaded.path}:{line}: template: {path} does not exist; fix the path or remove the key")
        return path
    beside = loaded.folder.parent / "templates" / "pack.docx"
    return beside if beside.exists() else REPO_TEMPLATE


def _title(loaded: LoadedConfig) -> str:
    cover = loaded.config.cover
    return f"{cover.force}: {cover.title}, {date(cover.meeting_date)}"


def _render(loaded: LoadedConfig, elements: list[Any], out: Path) -> Path:
    from builder.render.docx import render_docx

    cover = loaded.config.cover
    context = {
        "cover": cover,
        "marking": cover.protective_marking.upper(),
        "meeting_date": date(cover.meeting_date),
        "report_date": date(cover.report_date),
        "author": cover.authors,
        "subject": f"{cover.title} performance pack",
    }
    return render_docx(template_path(loaded), out, context, elements, title=_title(loaded))


def _publish(path: Path, output_dir: Path) -> Path:
    """Move a finished file into the output folder in one step (same filesystem)."""
    target = output_dir / path.name
    os.replace(path, target)
    return target


@contextmanager
def _staging(output_dir: Path) -> Iterator[Path]:
    """A private folder beside the outputs, removed whatever happens."""
    stage = Path(tempfile.mkdtemp(prefix=".perfpack-build-", dir=output_dir))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


class _Timer:
    """Times named stages into a dict and reports each start."""

    def __init__(self, timings: dict[str, float], progress: Callable[[str], None]) -> None:
        self.timings, self.progress = timings, progress

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        self.progress(stage)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = time.perf_counter() - start
            log.debug("%s took %.2f s", stage, self.timings[stage])
