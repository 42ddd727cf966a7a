"""``perfpack watch``: rebuild the pack every time an author saves, and say how each build went.

The watching itself (``watch_loop``: which files, which saves, one build per save) is in
``builder.build.watcher``, shared with ``perfpack preview``; this command prints each
build for the author: what changed, warnings, and the files written or the error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path

import click

from builder.build.watcher import Change, WatchEvent, watch_loop, watched_folders
from builder.commands.options import output_option, source_options
from builder.lifetime import Stopped


@click.command("watch")
@source_options
@output_option
@click.option(
    "--pdf",
    is_flag=True,
    help="Also refresh the PDF on every save (needs LibreOffice, which is kept running between saves).",
)
def watch(config_path: Path, data: Path | None, output_dir: Path, pdf: bool) -> None:
    """Build the pack, then rebuild it every time you save the config, narrative or template.

    Watches the config's folder and the template's folder. Each rebuild prints what
    changed, any warnings and how long it took; when only narrative changed, figures
    and charts are reused and the Word document is ready in a second or two. A save
    that breaks the YAML prints one error line and leaves the last good pack; fix it
    and save again. Press Ctrl+C to stop.

    \b
    Example:
        perfpack watch
        perfpack watch --pdf --output-dir /tmp/pack
    """
    from builder.build.options import BuildOptions

    # Never strict while authoring: warnings are shown after each build, and the pack still refreshes.
    options = BuildOptions(config=config_path, data=data, output_dir=output_dir, pdf=pdf, strict=False)
    click.echo(f"Building from {shown(config_path)} …")

    def watching() -> None:
        folders = " and ".join(shown(f) + "/" for f in watched_folders(options))
        click.echo(f"Watching {folders} for changes; press Ctrl+C to stop.")

    try:
        watch_loop(options, threading.Event(), report, ready=watching)
    except KeyboardInterrupt as stop:
        click.echo("Stopped watching.")
        if isinstance(stop, Stopped):  # a scheduler's stop: its signal's exit code
            click.get_current_context().exit(stop.exit_code)


def report(event: WatchEvent) -> None:
    """Print a build as the author needs it: what changed, warnings, and the result or the error."""
    if event.changes:
        click.echo(f"[{clock(event.started)}] {describe_changes(event.changes)}")
    stamp = clock(time.time())
    if event.error is not None:
        click.echo(f"[{stamp}] error: {event.error} (the last good pack is kept)", err=True)
        return
    assert event.result is not None
    for warning in event.result.warnings:
        click.echo(f"warning: {warning}", err=True)
    written = ", ".join(shown(p) for p in [*event.result.docx, *event.result.html, *event.result.pdf])
    reused = " (figures and charts reused)" if event.result.cached else ""
    click.echo(f"[{stamp}] built {written} in {event.seconds:.1f} s{reused}")


def describe_changes(changes: Iterable[Change]) -> str:
    """'saved config/pack.yaml', 'deleted notes.md; saved templates/pack.docx'."""
    verbs = {"added": "saved", "modified": "saved", "deleted": "deleted"}
    grouped: dict[str, list[str]] = {}
    for change in sorted(changes, key=lambda c: str(c.path)):
        grouped.setdefault(verbs.get(change.kind, change.kind), []).append(shown(change.path))
    return "; ".join(f"{verb} {', '.join(dict.fromkeys(paths))}" for verb, paths in grouped.items())


def clock(moment: float) -> str:
    """'14:03:25', the local time of day (``watch`` and ``preview`` stamp each build with it)."""
    return time.strftime("%H:%M:%S", time.localtime(moment))


def shown(path: Path) -> str:
    """A path relative to the current folder when it is inside it, as the author typed it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
