"""``perfpack preview``: the pack as a web page on this computer, refreshed by itself on every save."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from types import FrameType

import click

from builder.build.watcher import WatchEvent
from builder.commands.options import source_options
from builder.commands.watch import clock, describe_changes, shown

DEFAULT_PORT = 8000


@click.command("preview")
@source_options
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to serve on, on 127.0.0.1 only; 0 picks a free one.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in your web browser.")
def preview(config_path: Path, data: Path | None, port: int, open_browser: bool) -> None:
    """Show the pack as a web page that refreshes itself every time you save.

    Builds the HTML edition and serves it at http://127.0.0.1:PORT/ (this computer
    only). Every save of the config, narrative or a template rebuilds it, and the page
    in your browser reloads by itself; a narrative edit shows in well under a second,
    because figures and charts are kept from the first build. A save that breaks
    something shows the file, the line and what is wrong over the last good page,
    until you fix it. Nothing is written into the output folder: run `perfpack build`
    to make the pack. Press Ctrl+C to stop.

    \b
    Example:
        perfpack preview --open
        perfpack preview --port 8001 --config config/pack.yaml
    """
    from builder.build.options import BuildOptions
    from builder.preview.session import run_preview

    def ready(url: str) -> None:
        click.echo(f"Previewing {shown(config_path)} at {url} (press Ctrl+C to stop)")
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop ends it as Ctrl+C does
    try:
        run_preview(
            BuildOptions(config=config_path, data=data), port, threading.Event(), on_ready=ready, on_build=report
        )
    except KeyboardInterrupt:
        click.echo("Stopped the preview.")


def report(event: WatchEvent) -> None:
    """One line per save: what changed, then how the build went."""
    if event.changes:
        click.echo(f"[{clock(event.started)}] {describe_changes(event.changes)}")
    if event.error is not None:
        click.echo(f"[{clock(time.time())}] error: {event.error} (shown in the page over the last good one)", err=True)
        return
    assert event.result is not None
    for warning in event.result.warnings:
        click.echo(f"warning: {warning}", err=True)
    reused = " (figures and charts reused)" if event.result.cached else ""
    click.echo(f"[{clock(time.time())}] page updated in {event.seconds:.2f} s{reused}")


def _interrupt(_signal: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt
