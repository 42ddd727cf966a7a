"""Shared fixtures: the sample pack is built once per test session, for real."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from browser_helpers import browser
from click.testing import CliRunner, Result

__all__ = ["browser"]  # one headless Chromium for the whole session, for every test that asks for it

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "data" / "golden"
"""The published 2018 pack's tables (copies of ../shared/reference/*.csv, kept with the tests)."""
SHARED = ROOT.parent / "shared"
"""Optional real corpora beside the clone (police.uk files, ONS lookups); tests that need them skip."""
CONFIG = ROOT / "config" / "pack.yaml"


def perfpack_command() -> list[str]:
    """The installed console script, as a user runs it."""
    script = Path(sys.executable).parent / "perfpack"
    return [str(script)] if script.exists() else [sys.executable, "-m", "builder"]


def ctrl_c_as_at_a_terminal() -> None:
    """For ``preexec_fn``: the child answers SIGINT as a command typed at a terminal does.

    A test run started in the background (``make test &``) ignores SIGINT, and so would
    every process it starts; the tests that press Ctrl+C would then wait for ever.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_perfpack(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [*perfpack_command(), *args], cwd=cwd or ROOT, capture_output=True, text=True, timeout=timeout, env=env
    )


def invoke(*args: str) -> Result:
    """Run a command in-process through the real click group: its exit code, output and errors."""
    from builder.cli import cli

    return CliRunner().invoke(cli, list(args))


def read_golden(name: str) -> list[dict[str, str]]:
    path = GOLDEN / name
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def built_pack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the sample pack (Word and PDF) once, through the real command."""
    out = tmp_path_factory.mktemp("pack")
    result = run_perfpack("build", "--config", str(CONFIG), "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    docx = sorted(out.glob("*.docx"))
    pdf = sorted(out.glob("*.pdf"))
    assert len(docx) == 1, list(out.iterdir())
    return {
        "docx": docx[0],
        "pdf": pdf[0] if pdf else out / "missing.pdf",
        "dir": out,
        "stdout": result.stdout,
        "stderr": result.stderr,
    }


SLOW_MODULES = {"test_pdf", "test_pack_pdf", "test_by_area", "test_cache", "test_watch", "test_accessibility"}
"""Modules whose tests start LibreOffice, build whole packs or watch files: ``-m "not slow"`` skips them."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark as slow every test that builds the sample pack with its PDF or lives in a slow module."""
    for item in items:
        module = item.module.__name__ if getattr(item, "module", None) else ""
        if "built_pack" in getattr(item, "fixturenames", ()) or module in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
