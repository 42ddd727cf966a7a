"""The stages of a build, top to bottom: ``run`` is what ``pipeline.build`` calls.

config + data -> figures -> narrative -> charts -> layout -> .docx -> PDF. Every
output is written into a staging folder first and moved into place only when the
stage that makes it has succeeded, so a failed build leaves the previous pack as it was.

Data still flow one way, but the stages overlap in time: the chart server has been
importing matplotlib since ``build`` began, its workers are forked before the data load,
and the charts are drawn while the narrative, the annex and the document are written;
the document waits for each picture only when it reaches it.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder import cache
from builder.charts.pool import LazyPool
from builder.config.load import LoadedConfig, load_config
from builder.errors import ConversionError, DataError
from builder.figures.model import PackFigures
from builder.narrative.helpers import date
from builder.pack.charts import PackCharts, draw_charts, drawn, plan_charts
from builder.pack.content import Element, Figure
from builder.pipeline import BuildOptions, BuildResult, Progress
from builder.sources import check_theme_types, data_path, files_of, load, template_path

if TYPE_CHECKING:  # the data modules import pandas: only a build that reads data pays for it
    from builder.data.canonical import Dataset

# Modules needed only once the charts are being drawn (the narrative's jinja2, the layout,
# the checker, the manifest) are imported where they are used, so that the time before the
# first chart is submitted, which nothing else can overlap, is spent on the data alone.

log = logging.getLogger(__name__)
BY_COLUMNS = {"npt": "npt", "area": "area", "force": "force"}


@dataclass(frozen=True)
class _Pack:
    """One document to write: its file stem, title and computed content."""

    stem: str
    title: str
    figures: PackFigures
    narrative: dict[Any, str]
    charts: PackCharts
    area: str = ""
    annex: Path | None = None


def run(options: BuildOptions, progress: Progress, pool: LazyPool) -> BuildResult:
    """Every stage of the build, in the staging folder; outputs are published only when all succeed."""
    result = BuildResult()
    timer = _Timer(result.timings, progress)
    with timer("config"):
        loaded = load_config(options.config)
        source = data_path(loaded, options.data)
        if not options.cache:
            pool.start()  # nothing to look up: every chart will be drawn
        files = files_of(loaded, source)
    options.output_dir.mkdir(parents=True, exist_ok=True)
    with _staging(options.output_dir) as stage, pool.closed_on_error():
        if options.by:
            packs, store = _area_packs(loaded, source, options, timer, result, pool, stage), None
        else:
            pack, store = _single_pack(loaded, source, files, options, timer, result, pool, stage)
            packs = [pack]
        progress("charts" if any(p.charts.pending for p in packs) else "document")
        with timer("document"):
            documents, annexes = _write_packs(loaded, packs, stage, options, result, progress)
        _charts_finished(packs, result, pool)
        if store is not None:
            store(annexes[0])
        pdfs = _convert(documents, [p.title for p in packs], options, timer, progress) if options.pdf else []
        result.docx = [_publish(d, options.output_dir) for d in documents]
        result.pdf = [_publish(p, options.output_dir) for p in pdfs]
        result.annex = [_publish(a, options.output_dir) for a in annexes]
        from builder.render.manifest import write_manifest

        manifest = write_manifest(stage / "build-manifest.json", loaded, options, result, files)
        result.manifest = _publish(manifest, options.output_dir)
    if options.check and options.pdf:
        from builder.check import check_pack

        with timer("check"):
            result.reports = [check_pack(docx, pdf) for docx, pdf in zip(result.docx, result.pdf)]
    return result


def _write_packs(loaded: LoadedConfig, packs: list[_Pack], stage: Path, options: BuildOptions,
                 result: BuildResult, progress: Progress) -> tuple[list[Path], list[Path]]:
    """Each pack's annex and Word document, in the staging folder, as their charts are drawn.

    Without a PDF to wait for, each document is checked as soon as it is written, so the
    checks of the first packs overlap the drawing of the last packs' charts.
    """
    from builder.check import check_pack

    documents, annexes = [], []
    for number, pack in enumerate(packs, start=1):
        if len(packs) > 1:
            progress(f"document {number}/{len(packs)}")
        annex = stage / f"{pack.stem}-data.xlsx"
        if pack.annex is not None:  # a cached build's annex: the same figures give the same bytes
            annexes.append(Path(shutil.copyfile(pack.annex, annex)))
        else:
            from builder.render.annex import write_annex  # xlsxwriter: imported while charts are drawn

            annexes.append(write_annex(pack.figures, loaded.config, annex))
        documents.append(_render(loaded, pack, stage / f"{pack.stem}.docx"))
        if options.check and not options.pdf:
            started = time.perf_counter()
            report = check_pack(documents[-1])  # in the staging folder: no stale PDF beside it
            result.reports.append(replace(report, docx=options.output_dir / documents[-1].name))
            result.timings["check"] = result.timings.get("check", 0.0) + time.perf_counter() - started
    return documents, annexes


def _charts_finished(packs: list[_Pack], result: BuildResult, pool: LazyPool) -> None:
    """Wait for any chart the documents did not need, record the drawing time, free the workers."""
    for pack in packs:
        pack.charts.wait()
    drawn_here = [p.charts for p in packs if p.charts.pending]
    if drawn_here:  # from the first chart submitted to the last one written, across all packs
        result.timings["charts"] = max(c.finished or c.started for c in drawn_here) - min(c.started for c in drawn_here)
    pool.release()


def _single_pack(loaded: LoadedConfig, source: Path, files: list[Path], options: BuildOptions, timer: _Timer,
                 result: BuildResult, pool: LazyPool, stage: Path) -> tuple[_Pack, Callable[[Path], None] | None]:
    """Figures and charts for the whole force, from the cache when only narrative changed.

    The charts are submitted to the pool before the narrative is rendered and are still
    being drawn when this returns; the second value stores the build (with its annex) in
    the cache once they are all on disk (None when there is nothing to store).
    """
    overrides = {"window_months": options.window_months, "period_end": options.period_end}
    key = cache.build_key(loaded.config, files, overrides) if options.cache else None
    hit = cache.load(key) if key else None
    if hit is not None:
        figures, charts, result.rows, result.cached = hit.figures, drawn(hit.charts), hit.rows, True
        result.load_report = hit.report
        with timer("compute"):
            narrative = _narrate(loaded, figures, result)
        store = None
    else:
        workers = pool.start()
        with timer("load"):
            data = load(loaded, source)
            result.rows, result.load_report = data.rows, data.report
            check_theme_types(loaded, data)
        with timer("compute"):
            from builder.figures.compute import compute_figures

            figures = compute_figures(loaded.config, data, window_months=options.window_months,
                                      period_end=options.period_end)
            charts = draw_charts(plan_charts(loaded.config, figures), stage / "charts",
                                 loaded.config.charts.dpi, workers)
            narrative = _narrate(loaded, figures, result)
        rows, report = result.rows, data.report
        store = (lambda annex: cache.store(key, figures, charts.figures, rows, report, annex)) if key else None
    result.figures = figures
    cached_annex = hit.annex if hit is not None else None
    return _Pack(loaded.config.name, _title(loaded), figures, narrative, charts, annex=cached_annex), store


def _narrate(loaded: LoadedConfig, figures: PackFigures, result: BuildResult) -> dict[Any, str]:
    """Render the narrative and fact-check it against the same placeholder context."""
    from builder.narrative.context import build_context
    from builder.narrative.factcheck import fact_check_warnings
    from builder.narrative.render import render_narrative

    context = build_context(loaded.config, figures)
    narrative = render_narrative(loaded, context)
    result.warnings.extend(fact_check_warnings(loaded, context))
    return narrative


def _area_packs(loaded: LoadedConfig, source: Path, options: BuildOptions, timer: _Timer,
                result: BuildResult, pool: LazyPool, stage: Path) -> list[_Pack]:
    """One pack per NPT, area or force, sharing one data load; peers stay force-wide."""
    from builder.figures.compute import apply_areas, compute_figures
    from builder.narrative.context import build_context
    from builder.narrative.factcheck import fact_check_warnings
    from builder.narrative.render import render_narrative

    column = BY_COLUMNS[options.by or ""]
    workers = pool.start()
    with timer("load"):
        data = load(loaded, source)
        result.rows, result.load_report = data.rows, data.report
        check_theme_types(loaded, data)
        crimes = apply_areas(data.crimes, loaded.config.areas)
        asb = apply_areas(data.asb, loaded.config.areas) if data.asb is not None else None
        if column not in crimes.columns:
            raise DataError(f"{source}: the data have no '{column}' column, so --by {options.by} cannot split them")
    with timer("compute"):
        force = compute_figures(loaded.config, data, window_months=options.window_months,
                                period_end=options.period_end)
        end = f"{force.windows.last.end:%Y-%m}"
        areas = []
        keys = _Keys(crimes, asb, column)
        for value in sorted(str(v) for v in crimes[column].dropna().unique()):
            subset = _subset(data, crimes, asb, keys, value)
            figures = compute_figures(loaded.config, subset, window_months=options.window_months, period_end=end)
            figures = _with_force_peers(figures, force)
            charts = draw_charts(plan_charts(loaded.config, figures), stage / "charts" / _slug(value),
                                 loaded.config.charts.dpi, workers)
            areas.append((value, figures, charts))
        packs = [_Pack(f"{loaded.config.name}-{_slug(v)}", f"{_title(loaded)}: {v}", f,
                       render_narrative(loaded, build_context(loaded.config, f)), c, area=v) for v, f, c in areas]
        result.figures = force
        result.warnings.extend(fact_check_warnings(loaded, build_context(loaded.config, force)))
    return packs


class _Keys:
    """Each crime's and ASB incident's area as text, worked out once for every area's subset."""

    def __init__(self, crimes: Any, asb: Any, column: str) -> None:
        self.crimes = crimes[column].astype("string")
        self.asb = asb[column].astype("string") if asb is not None and column in asb.columns else None


def _subset(data: Dataset, crimes: Any, asb: Any, keys: _Keys, value: str) -> Dataset:
    """The crimes (and ASB incidents) of one area, with only its own categories left."""
    chosen = crimes[keys.crimes == value].copy()
    for name in ("npt", "area"):
        chosen[name] = chosen[name].cat.remove_unused_categories()
    if asb is not None:
        asb = asb[keys.asb == value] if keys.asb is not None else asb.iloc[0:0]
    return replace(data, crimes=chosen.reset_index(drop=True), asb=asb)


def _with_force_peers(figures: PackFigures, force: PackFigures) -> PackFigures:
    """Peer comparisons are between forces, so an area's pack shows the force's."""
    themes = {k: replace(t, peers=force.themes[k].peers) for k, t in figures.themes.items()}
    return replace(figures, themes=themes)


def _convert(documents: list[Path], titles: list[str], options: BuildOptions, timer: _Timer,
             progress: Progress) -> list[Path]:
    """All PDFs with one LibreOffice start; on failure the Word packs are still delivered."""
    from builder.render.pdf import convert_many

    jobs = [(d, d.with_suffix(".pdf")) for d in documents]
    try:
        with timer("pdf"):
            return convert_many(jobs, titles=titles, timeout=options.pdf_timeout,
                                progress=lambda done, total: progress(f"pdf {done}/{total}"))
    except ConversionError:
        for document in documents:
            _publish(document, options.output_dir)
        raise


def _title(loaded: LoadedConfig) -> str:
    cover = loaded.config.cover
    return f"{cover.force}: {cover.title}, {date(cover.meeting_date)}"


def _render(loaded: LoadedConfig, pack: _Pack, out: Path) -> Path:
    from builder.pack.layout import Layout
    from builder.render.docx import render_docx

    cover = loaded.config.cover
    elements = Layout(loaded.config, pack.figures, pack.narrative, pack.charts.figures).elements()
    context = {
        "cover": cover,
        "marking": cover.protective_marking.upper(),
        "meeting_date": date(cover.meeting_date),
        "report_date": date(cover.report_date),
        "author": cover.authors,
        "subject": f"{cover.title} performance pack",
        "area": pack.area,
    }
    return render_docx(template_path(loaded), out, context, _when_drawn(elements, pack.charts), title=pack.title)


def _when_drawn(elements: list[Element], charts: PackCharts) -> Iterator[Element]:
    """The elements in order, each chart only once its file is written.

    The document is written while the workers still draw: it waits for a picture
    only when it reaches it, by which time most are done.
    """
    for element in elements:
        if isinstance(element, Figure):
            charts.wait(element.path)
        yield element


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "blank"


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
    """Times named stages into a dict (adding up repeats) and reports each start."""

    def __init__(self, timings: dict[str, float], progress: Progress) -> None:
        self.timings, self.progress = timings, progress

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        self.progress(stage)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start
            log.debug("%s took %.2f s", stage, self.timings[stage])
