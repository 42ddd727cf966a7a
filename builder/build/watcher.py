"""Rebuilding on every save: the file watcher that ``watch`` and ``preview`` share.

Authors want to see the pack as they write, as ``mkdocs serve`` and ``quarto preview``
let them. ``watch_loop`` builds once, then waits for a config, narrative or template file
to be saved and builds again, reloading the config every time. Figures and charts come
from the build cache when only narrative changed (held in memory after the first
rebuild). A save that breaks something becomes the event's one-line error and leaves the
last good pack in place (a build only replaces files once it has succeeded); the next
good save recovers. What to do with each build (print it, serve it) is the caller's.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.errors import ConfigError, PerfpackError

if TYPE_CHECKING:  # pragma: no cover - imported when watching, so `perfpack --help` starts fast
    from builder.build.options import BuildOptions, BuildResult
    from builder.render.pdf import Office

log = logging.getLogger(__name__)
WATCHED_SUFFIXES = frozenset({".yaml", ".yml", ".docx", ".dotx", ".md", ".txt", ".j2", ".jinja"})
LOCK_PREFIXES = ("~$", ".~lock.", "~")  # Word's and LibreOffice's owner files, editors' temp copies
READY_MS = 200  # the watcher's idle tick: the first build starts on the first one


@dataclass(frozen=True)
class Change:
    """A file saved (or deleted) since the last build."""

    kind: str  # 'added', 'modified' or 'deleted'
    path: Path


@dataclass(frozen=True)
class WatchEvent:
    """One build made by the watcher: what triggered it and how it went."""

    changes: tuple[Change, ...]
    result: BuildResult | None
    error: str | None
    seconds: float
    started: float = 0.0  # time.time() when the build began, to date the changes


OnBuild = Callable[[WatchEvent], None]


def watch_loop(
    options: BuildOptions, stop: threading.Event, on_build: OnBuild, ready: Callable[[], None] | None = None
) -> None:
    """Build, then rebuild after every relevant save until ``stop`` is set.

    The file watcher starts before the first build, so a save made while that build
    runs is not lost. ``on_build`` receives every build, good or bad; ``ready`` is
    called after the first one, when every later save is sure to be seen. With
    ``options.pdf`` one LibreOffice serves every build's PDF, so a refresh costs the
    conversion alone.
    """
    if not options.config.is_file():  # nothing to watch, and no save would ever make it build
        raise ConfigError(f"{options.config}: config file not found; pass --config with the path of your pack's YAML")
    with _office(options) as office:
        _watch(options, stop, on_build, ready, office)


def _watch(
    options: BuildOptions,
    stop: threading.Event,
    on_build: OnBuild,
    ready: Callable[[], None] | None,
    office: Office | None,
) -> None:
    """The loop itself: build on the first tick, then on every relevant save."""
    import watchfiles

    first = True
    while not stop.is_set():
        folders = watched_folders(options)
        for raw in watchfiles.watch(
            *folders,
            watch_filter=PackFilter(options.output_dir),
            stop_event=stop,
            rust_timeout=READY_MS,
            yield_on_timeout=True,
        ):
            if not (first or raw):
                continue  # the watcher's idle tick
            on_build(rebuild(options, () if first else _changes(raw), office))
            if first and ready is not None:
                ready()
            first = False
            if watched_folders(options) != folders:
                break  # the config now names a template elsewhere: watch its folder instead


def rebuild(options: BuildOptions, changes: tuple[Change, ...], office: Office | None = None) -> WatchEvent:
    """One build; a problem becomes the event's one-line error instead of ending the watch."""
    from builder.build.pipeline import build

    started, clock = time.time(), time.perf_counter()
    try:
        result = build(options, office=office)
    except PerfpackError as error:
        return WatchEvent(changes, None, str(error), time.perf_counter() - clock, started)
    except Exception as error:  # a bug in one build must not end an author's session
        log.debug("build failed", exc_info=True)
        message = f"unexpected {type(error).__name__}: {error} (run perfpack -v build for details)"
        return WatchEvent(changes, None, message, time.perf_counter() - clock, started)
    return WatchEvent(changes, result, None, time.perf_counter() - clock, started)


def watched_folders(options: BuildOptions) -> list[Path]:
    """The config's folder and the template's, outermost only (watching is recursive)."""
    config_folder = options.config.parent.resolve()
    folders = [config_folder, *_template_folders(options)]
    folders = sorted({f for f in folders if f.is_dir()})
    return [f for f in folders if not any(f != other and f.is_relative_to(other) for other in folders)]


def _template_folders(options: BuildOptions) -> list[Path]:
    """Where the Word and HTML templates the build will use live; the usual place when the config is broken."""
    from builder.build.inputs import html_template_path, template_path
    from builder.config.load import load_config

    try:
        loaded = load_config(options.config)
        return [template_path(loaded).parent.resolve(), html_template_path(loaded).parent.resolve()]
    except PerfpackError:
        return [(options.config.parent.parent / "templates").resolve()]


class PackFilter:
    """Let through saves of config, narrative and template files; ignore outputs and lock files."""

    def __init__(self, output_dir: Path) -> None:
        from watchfiles import DefaultFilter

        self.default = DefaultFilter()
        self.output_dir = output_dir.resolve()

    def __call__(self, change: object, path: str) -> bool:
        """True for a change that should trigger a rebuild."""
        file = Path(path)
        return (
            self.default(change, path)  # type: ignore[arg-type]
            and file.suffix.lower() in WATCHED_SUFFIXES
            and not file.name.startswith(LOCK_PREFIXES)
            and not file.is_relative_to(self.output_dir)
        )


def _changes(raw: set[tuple[Any, str]]) -> tuple[Change, ...]:
    """watchfiles' (Change, path) pairs as our own small records."""
    return tuple(Change(getattr(kind, "name", str(kind)), Path(path)) for kind, path in raw)


@contextmanager
def _office(options: BuildOptions) -> Iterator[Office | None]:
    """With ``--pdf``, one LibreOffice for the whole watch, started at the first PDF and stopped at the end."""
    if not options.pdf:
        yield None
        return
    from builder.render.pdf import Office

    with Office() as office:
        yield office
