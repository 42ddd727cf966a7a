"""The stages of a build, top to bottom: ``run`` is what ``pipeline.build`` calls.

inputs → figures → charts → narrative → documents → PDF → publish → check. Every
output is written into a staging folder first and published as one set only when every
stage has succeeded (``publish``), so a failed or stopped build leaves the previous pack
as it was, and a killed one is finished or undone by the next.

Data flow one way, but the stages overlap in time: the chart server has been importing
matplotlib since ``build`` began, its workers are forked before the data load, and the
charts are drawn while the narrative, the annex and the document are written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from builder.build import cache
from builder.build.documents import Pack, convert_pdfs, write_documents, write_figures
from builder.build.inputs import Inputs, load_data, read_inputs, template_path
from builder.build.options import BuildOptions, BuildResult, Progress, Timer
from builder.build.prepare import Computed, compute, narrate
from builder.build.publish import (
    MANIFEST,
    Published,
    publish_set,
    recover,
    staged_files,
    staged_files_named,
    staging,
    writing,
)
from builder.charts.drawing import draw_charts, drawn
from builder.charts.plan import plan_charts
from builder.charts.pool import LazyPool
from builder.checkpoints import checkpoint
from builder.cycle.stale import stale_warnings
from builder.errors import StrictError

if TYPE_CHECKING:
    from builder.render.pdf import Office

log = logging.getLogger(__name__)

Store = Callable[[list[Path]], None]
"""Stores a cold build's figures, charts and (given once written) annexes in the cache."""


def run(options: BuildOptions, progress: Progress, pool: LazyPool, office: Office | None = None) -> BuildResult:
    """Every stage of the build, in the staging folder; outputs are published as one set only when all succeed.

    ``office`` is a LibreOffice the caller keeps running between builds (``watch --pdf``).
    """
    result = BuildResult()
    timer = Timer(result.timings, progress)
    result.recovered = recover(options.output_dir)  # a killed build's journal and staging folder, first
    with timer("config"):
        inputs = read_inputs(options.config, options.data)
        template_path(inputs.loaded)  # a template that is missing or not a Word file: say so now
        if options.pdf:
            from builder.render.pdf import require_tools

            require_tools()  # no LibreOffice: say so now, not after the document is written
    with staging(options.output_dir) as stage, pool.closed_on_error(), writing(options.output_dir, stage):
        computed, packs, store = figures_and_charts(inputs, options, result, timer, pool, stage)
        checkpoint("charts")
        with timer("narrative"):
            narrated = narrate(inputs.loaded, computed, warnings=not options.preview)
            result.warnings = narrated.warnings
            if not options.preview:
                result.warnings += stale_warnings(inputs.loaded, computed.force)
        result.local = narrated.local
        refuse_if_strict(options, inputs, result)
        for pack, narrative in zip(packs, narrated.texts):
            pack.narrative = narrative
        progress("charts" if any(p.charts.pending for p in packs) else "document")
        with timer("document"):
            documents, pages, annexes = write_documents(inputs, packs, stage, options, result, timer)
        figure_files = [] if options.preview else [write_figures(inputs, pack, stage) for pack in packs]
        charts_finished(packs, result, pool)
        checkpoint("document")
        if store is not None:
            store(annexes)
        pdfs = []
        if options.pdf:
            with timer("pdf"):
                pdfs = convert_pdfs(documents, packs, options, progress, office)
        result.docx, result.pdf, result.html, result.annex, result.figure_files = (
            [options.output_dir / p.name for p in ps] for ps in (documents, pdfs, pages, annexes, figure_files)
        )
        if options.by == "force":  # written into the set, so published and listed with it
            result.summary = options.output_dir / forces_summary(inputs, computed, stage).name
        with timer("publish"):
            published = publish_outputs(stage, inputs, options, result)
    result.manifest, result.removed = options.output_dir / MANIFEST, published.removed
    if options.check and options.pdf:
        from builder.check import check_pack

        with timer("check"):
            web: list[Path | None] = [*result.html] or [None] * len(result.docx)
            result.reports = [check_pack(d, pdf, html) for d, pdf, html in zip(result.docx, result.pdf, web)]
    return result


def refuse_if_strict(options: BuildOptions, inputs: Inputs, result: BuildResult) -> None:
    """A strict build (``--strict`` or ``strict: true``) stops here, before any document is written, on any warning."""
    strict = inputs.config.strict if options.strict is None else options.strict
    if strict and result.warning_count:
        count = result.warning_count
        load = result.load_report.warnings if result.load_report is not None else []
        why = "--strict" if options.strict else "strict: true in the config"
        raise StrictError(
            f"{count} warning{'s' if count != 1 else ''} and {why} (cover.status: {inputs.config.cover.status}): "
            "nothing was published; run `perfpack check` to list them, fix each or mark narrative reviewed, "
            "then build again",
            [*result.warnings, *(f"data: {w}" for w in load)],
        )


def publish_outputs(stage: Path, inputs: Inputs, options: BuildOptions, result: BuildResult) -> Published:
    """The manifest, listing every file written to the staging folder, then the whole set published.

    Any output a stage writes at the top of the staging folder is part of the set: it is
    listed in the manifest with its SHA-256 and published with the others, or not at all.
    """
    from builder.render.manifest import write_manifest

    outputs = staged_files(stage)
    write_manifest(stage / MANIFEST, inputs.loaded, options, result, list(inputs.files), outputs)
    return publish_set(stage, options.output_dir, [*outputs, *staged_files_named(stage, MANIFEST)])


def figures_and_charts(
    inputs: Inputs, options: BuildOptions, result: BuildResult, timer: Timer, pool: LazyPool, stage: Path
) -> tuple[Computed, list[Pack], Store | None]:
    """Every pack's figures, with its charts submitted to the workers; from the cache when only narrative changed.

    The charts are still being drawn when this returns. The second value stores the build
    in the cache once its annexes are written (None on a cache hit or with ``--no-cache``).
    """
    overrides = {"window_months": options.window_months, "period_end": options.period_end, "by": options.by}
    key = cache.build_key(inputs.config, inputs.files, overrides) if options.cache else None
    hit = cache.load(key) if key else None
    if hit is not None:
        result.cached, result.figures = True, hit.computed.force
        result.rows, result.load_report = hit.computed.rows, hit.computed.report
        return (
            hit.computed,
            [
                Pack(p.scope, p.figures, drawn(charts), annex=annex)
                for p, charts, annex in zip(hit.computed.packs, hit.charts, hit.annexes)
            ],
            None,
        )
    workers = pool.start()  # forked from the chart server while the data load
    with timer("load"):
        data = load_data(inputs, options.by)
    with timer("compute"):
        computed = compute(
            inputs, data, window_months=options.window_months, period_end=options.period_end, by=options.by
        )
    result.figures, result.rows, result.load_report = computed.force, computed.rows, computed.report
    dpi = inputs.config.charts.dpi
    packs = [
        Pack(
            p.scope,
            p.figures,
            draw_charts(plan_charts(inputs.config, p.figures), stage / "charts" / p.scope.folder, dpi, workers),
        )
        for p in computed.packs
    ]
    if key is None:
        return computed, packs, None
    return computed, packs, lambda annexes: cache.store(key, computed, [p.charts.figures for p in packs], annexes)


def forces_summary(inputs: Inputs, computed: Computed, stage: Path) -> Path:
    """The CSV (returned) and the web page of every force's headline figures, published with a --by force run."""
    from builder.render.summary import write_forces_page, write_forces_summary

    packs = [(p.scope.name, p.scope.stem, p.figures) for p in computed.packs]
    keys = [t.key for t in inputs.config.themes]
    name = f"{inputs.config.name}-forces-summary"
    themes = [(t.key, t.title) for t in inputs.config.themes]
    write_forces_page(
        stage / f"{name}.html", packs, computed.force, themes, f"{inputs.config.cover.title}: every force"
    )
    return write_forces_summary(stage / f"{name}.csv", packs, computed.force, keys)


def charts_finished(packs: list[Pack], result: BuildResult, pool: LazyPool) -> None:
    """Wait for any chart the documents did not need, record the drawing time, free the workers."""
    for pack in packs:
        pack.charts.wait()
    drawn_here = [p.charts for p in packs if p.charts.pending]
    if drawn_here:  # from the first chart submitted to the last one written, across all packs
        result.timings["charts"] = max(c.finished or c.started for c in drawn_here) - min(c.started for c in drawn_here)
        log.debug("charts took %.2f s", result.timings["charts"])
    pool.release()
