"""A preview session: serve the page, build it, and rebuild it on every save until asked to stop.

The builds are the ordinary build path (``pipeline.build`` through ``watch_loop``), asked
for the web page alone: no Word document, no PDF, no accessibility report. They write
into a private folder the server reads from, so the output folder is never touched.
Figures and charts come from the build cache, held in memory after the first save, so
a narrative edit costs reading the YAML, filling the narrative and writing the page.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from builder.build.options import BuildOptions
from builder.build.watcher import OnBuild, WatchEvent, watch_loop
from builder.preview.server import PreviewServer
from builder.preview.state import PreviewState

PREVIEW_EDITIONS = frozenset({"html"})


def run_preview(
    options: BuildOptions,
    port: int,
    stop: threading.Event,
    *,
    on_ready: Callable[[str], None] = lambda url: None,
    on_build: OnBuild = lambda event: None,
) -> None:
    """Serve on 127.0.0.1:``port`` and rebuild on every save until ``stop`` is set (or Ctrl+C).

    ``on_ready`` gets the page's address as soon as the server listens (before the first
    build, which the page waits for by itself); ``on_build`` gets every build, good or bad.
    Everything started here is stopped and removed on the way out, however it ends.
    """
    state = PreviewState()
    with tempfile.TemporaryDirectory(prefix="perfpack-preview-") as folder:
        build_options = preview_options(options, Path(folder))
        server = PreviewServer(state, Path(folder), port).start()
        try:
            on_ready(server.url)

            def served(event: WatchEvent) -> None:
                publish(state, event)
                on_build(event)

            watch_loop(build_options, stop, served)
        finally:
            server.stop()


def preview_options(options: BuildOptions, folder: Path) -> BuildOptions:
    """The build a preview asks for: the web page alone, into its private folder, figures from the cache."""
    return replace(
        options,
        output_dir=folder,
        pdf=False,
        check=False,
        preview=True,
        strict=False,  # never strict while authoring, as in watch: the page still refreshes
        by=None,
        cache=True,
        editions=PREVIEW_EDITIONS,
    )


def publish(state: PreviewState, event: WatchEvent) -> None:
    """Serve a good build's page, or show a failed build's error over the last good one."""
    if event.result is not None and event.result.html:
        state.built(event.result.html[0].read_bytes())
    else:
        state.failed(event.error or "the build wrote no web page")
