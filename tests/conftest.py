"""Shared fixtures: the sample pack is built once per test session, for real."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def run_perfpack(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [*perfpack_command(), *args], cwd=cwd or ROOT, capture_output=True, text=True, timeout=timeout, env=env
    )


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
