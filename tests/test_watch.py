"""`perfpack watch`: rebuilds on save, survives a broken save, recovers on the next good one.

The loop runs in a thread on a real project with real file edits; every wait has a
deadline (a cold first build, then narrative-only rebuilds from the cache).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import ctrl_c_as_at_a_terminal, perfpack_command
from docx import Document
from watchfiles import Change as Kind

from builder.build.pipeline import BuildOptions
from builder.build.watcher import Change, PackFilter, WatchEvent, watch_loop, watched_folders
from builder.commands.new import create_project
from builder.commands.watch import describe_changes

COLD = 180.0  # first build: data, figures and charts unless the cache has them
WARM = 60.0  # a narrative-only rebuild; seconds in practice, generous for a loaded machine
SENTENCE = "The chart below shows all recorded crime per month over three years."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project made by `perfpack new`, as an author would have."""
    return create_project(tmp_path / "pack").folder


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def save(path: Path, text: str) -> None:
    """Write in place, as VS Code and Notepad do."""
    path.write_text(text, encoding="utf-8")


class Watcher:
    """watch_loop in a thread; its builds (or its crash) arrive on a queue."""

    def __init__(self, options: BuildOptions) -> None:
        self.events: queue.Queue[WatchEvent | BaseException] = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(options,), daemon=True)

    def _run(self, options: BuildOptions) -> None:
        try:
            watch_loop(options, self.stop, self.events.put)
        except BaseException as error:  # handed to the test thread to fail there
            self.events.put(error)

    def next(self, timeout: float) -> WatchEvent:
        event = self.events.get(timeout=timeout)
        if isinstance(event, BaseException):
            raise event
        return event

    def __enter__(self) -> Watcher:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "watch_loop did not stop when asked"


def test_watch_rebuilds_on_save_and_survives_a_broken_save(project: Path):
    config = project / "config" / "pack.yaml"
    options = BuildOptions(config=config, output_dir=project / "output", pdf=False)
    good = config.read_text(encoding="utf-8")
    with Watcher(options) as watcher:
        first = watcher.next(COLD)
        assert first.error is None and first.changes == ()
        assert first.result is not None and first.result.pdf == []
        docx = first.result.docx[0]

        save(config, good.replace(SENTENCE, "Edited while watching."))
        event = watcher.next(WARM)
        assert event.error is None, event.error
        assert [c.path.name for c in event.changes] == ["pack.yaml"]
        assert event.result is not None
        assert event.result.cached, (
            "a narrative-only save must reuse figures and charts (did builder/ change mid-test?)"
        )
        assert "Edited while watching." in docx_text(docx)

        last_good = docx.read_bytes()
        save(config, good.replace("\ncover:\n", "\ncover: [\n"))
        broken = watcher.next(WARM)
        assert broken.result is None and broken.error is not None
        assert "pack.yaml:" in broken.error and "YAML syntax error" in broken.error and "\n" not in broken.error
        assert docx.read_bytes() == last_good

        save(config, good.replace(SENTENCE, "Fixed and saved again."))
        recovered = watcher.next(WARM)
        assert recovered.error is None, recovered.error
        assert "Fixed and saved again." in docx_text(docx)


def test_watch_rebuilds_when_the_template_is_saved(project: Path):
    template = project / "templates" / "pack.docx"
    options = BuildOptions(config=project / "config" / "pack.yaml", output_dir=project / "output", pdf=False)
    with Watcher(options) as watcher:
        assert watcher.next(COLD).error is None
        template.write_bytes(template.read_bytes())
        (project / "templates" / "~$pack.docx").write_bytes(b"Word's owner file")  # must not trigger a build
        event = watcher.next(WARM)
        assert [c.path.name for c in event.changes] == ["pack.docx"]
        with pytest.raises(queue.Empty):
            watcher.next(1.0)


def test_watch_command_prints_each_build_and_stops_on_ctrl_c(project: Path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONWARNINGS": "ignore"}
    process = subprocess.Popen(
        [*perfpack_command(), "watch"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        preexec_fn=ctrl_c_as_at_a_terminal,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or []], daemon=True).start()
    try:
        seen = wait_for_line(lines, "Watching config/ and templates/ for changes", COLD)
        assert any("built output/public-performance-pack-2018-11.docx" in line for line in seen)
        config = project / "config" / "pack.yaml"
        save(config, config.read_text(encoding="utf-8").replace(SENTENCE, "Edited from the command line."))
        seen = wait_for_line(lines, "built output/", WARM)
        assert any("saved config/pack.yaml" in line for line in seen)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        assert "Stopped watching." in wait_for_line(lines, "Stopped watching.", 5)[-1]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_for_line(lines: queue.Queue[str], text: str, timeout: float) -> list[str]:
    """Lines read until one containing ``text``; fails with what was seen after ``timeout``."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            seen.append(lines.get(timeout=max(0.0, deadline - time.monotonic())))
        except queue.Empty:
            break
        if text in seen[-1]:
            return seen
    raise AssertionError(f"no line with {text!r} in {timeout:.0f} s; saw: {''.join(seen)}")


def test_filter_takes_config_narrative_and_template_saves_only(tmp_path: Path):
    accept = PackFilter(tmp_path / "output")
    assert accept(Kind.modified, str(tmp_path / "config" / "pack.yaml"))
    assert accept(Kind.added, str(tmp_path / "config" / "narrative" / "drugs.md"))
    assert accept(Kind.modified, str(tmp_path / "templates" / "pack.docx"))
    assert not accept(Kind.added, str(tmp_path / "templates" / "~$pack.docx"))
    assert not accept(Kind.added, str(tmp_path / "templates" / ".~lock.pack.docx#"))
    assert not accept(Kind.modified, str(tmp_path / "config" / ".pack.yaml.swp"))
    assert not accept(Kind.added, str(tmp_path / "output" / "pack.docx"))
    assert not accept(Kind.added, str(tmp_path / "config" / "peers.csv"))


def test_watched_folders_are_the_config_and_template_folders(project: Path):
    options = BuildOptions(config=project / "config" / "pack.yaml")
    assert watched_folders(options) == [(project / "config").resolve(), (project / "templates").resolve()]


def test_watched_folders_survive_a_broken_config(project: Path):
    config = project / "config" / "pack.yaml"
    config.write_text("name: [", encoding="utf-8")
    assert watched_folders(BuildOptions(config=config))[-1] == (project / "templates").resolve()


def test_describe_changes_names_each_file_once():
    changes = (
        Change("modified", Path("config/pack.yaml")),
        Change("added", Path("config/pack.yaml")),
        Change("deleted", Path("config/old.md")),
    )
    assert describe_changes(changes) == "deleted config/old.md; saved config/pack.yaml"


def test_watch_without_a_config_is_one_line(tmp_path: Path):
    from click.testing import CliRunner

    from builder.cli import cli

    result = CliRunner().invoke(cli, ["watch", "--config", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "config file not found" in result.stderr and result.stderr.count("\n") == 1
