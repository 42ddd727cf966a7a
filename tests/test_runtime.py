"""How a perfpack process runs (``builder.runtime``): the collector's pace, and a quick exit.

The console script ends the process with ``os._exit`` after every exit handler has run.
These tests hold it to what a normal exit gives: the exit status, every byte written to
stdout and stderr, and no temporary folder left behind.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONFIG, perfpack_command

from builder import __version__
from builder.runtime import COLLECTOR_THRESHOLDS, pace_collector


def _perfpack(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*perfpack_command(), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
    )


def test_long_output_reaches_a_pipe_whole() -> None:
    result = _perfpack("schema")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"]


def test_a_user_error_keeps_its_exit_status_and_message(tmp_path: Path) -> None:
    result = _perfpack("build", "--config", str(tmp_path / "absent.yaml"), "--output-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "config file not found" in result.stderr


def test_a_usage_error_keeps_clicks_exit_status() -> None:
    result = _perfpack("build", "--no-such-option")
    assert result.returncode == 2
    assert "No such option" in result.stderr


def test_python_dash_m_ends_the_same_way() -> None:
    result = subprocess.run([sys.executable, "-m", "builder", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.strip() == f"perfpack, version {__version__}"


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["tmp", "a-temporary-folder-deep-enough-that-a-socket-path-in-it-is-too-long"])
def test_a_build_leaves_no_temporary_folder_behind(tmp_path: Path, folder: str) -> None:
    """multiprocessing removes its socket folder in an exit handler: those handlers still run.

    A deep $TMPDIR (as a CI runner may set) must not fail the build: a socket path
    holds at most 107 bytes.
    """
    scratch = tmp_path / folder
    scratch.mkdir()
    out = tmp_path / "out"
    result = _perfpack(
        "build",
        "--config",
        str(CONFIG),
        "--no-pdf",
        "--no-cache",
        "--output-dir",
        str(out),
        env={"TMPDIR": str(scratch)},
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.splitlines()[-1]  # plain progress lines come first when stdout is not a terminal
    assert last.startswith("Built 1 pack")  # the last line, flushed before the process ended
    assert sorted(p.name for p in scratch.iterdir()) == []


def test_the_collector_is_paced_and_only_when_asked() -> None:
    before = gc.get_threshold()
    assert before != COLLECTOR_THRESHOLDS  # importing perfpack changes nothing
    try:
        pace_collector()
        assert gc.get_threshold() == COLLECTOR_THRESHOLDS
    finally:
        gc.set_threshold(*before)
