"""The benchmark script runs end to end, and its floor runs none of perfpack's code.

Nothing here asserts a time: how fast the build is lives in ``benchmarks/results.md``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet
import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks" / "bench_build.py"


def _bench_module() -> dict[str, Any]:
    """The benchmark script's names (it is a script, not a module of the package)."""
    spec = importlib.util.spec_from_file_location("bench_build", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script runs
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return vars(module)


def test_the_floor_reads_the_files_and_imports_nothing_of_perfpack(tmp_path: Path) -> None:
    table = pa.table({"crime_type": ["Robbery", "Drugs"], "month": ["2018-09", "2018-10"]})
    pyarrow.parquet.write_table(table, tmp_path / "crimes.parquet")
    pyarrow.csv.write_csv(table, tmp_path / "peers.csv")
    floor = str(_bench_module()["FLOOR"])
    check = "\nloaded = sorted(m for m in sys.modules if m == 'builder' or m.startswith('builder.'))\nprint(loaded)"
    result = subprocess.run(
        [sys.executable, "-c", floor + check, str(tmp_path / "crimes.parquet"), str(tmp_path / "peers.csv")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_missing_file_fails_the_floor(tmp_path: Path) -> None:
    floor = str(_bench_module()["FLOOR"])
    result = subprocess.run([sys.executable, "-c", floor, str(tmp_path / "absent.parquet")], capture_output=True)
    assert result.returncode != 0


def test_stage_times_are_read_from_the_verbose_log() -> None:
    stage_times = _bench_module()["stage_times"]
    log = (
        "INFO builder.data.load: loaded 12 crimes\n"
        "DEBUG builder.build.options: load took 0.50 s (0.40 s CPU)\n"
        "DEBUG builder.build.options: document took 0.25 s (0.20 s CPU)\n"
        "DEBUG builder.build.options: document took 0.75 s (0.30 s CPU)\n"
        "DEBUG builder.build.stages: charts took 1.25 s\n"
    )
    assert stage_times(log) == {"load": 0.5, "document": 0.75, "charts": 1.25}
    assert stage_times(log, cpu=True) == {"load": 0.4, "document": 0.3}


@pytest.mark.slow
def test_the_benchmark_runs_quickly_on_the_sample(tmp_path: Path) -> None:
    """``--quick`` on the scale-1 sample: every row but the PDF and ``--by npt`` ones, one run each."""
    from builder.sample import ensure_sample

    results = tmp_path / "results.md"
    command = [sys.executable, str(BENCH), "--quick", "--data", str(ensure_sample()), "--skip", "pdf,npt"]
    result = subprocess.run([*command, "--results", str(results)], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    text = results.read_text(encoding="utf-8")
    assert "| given data |" in text
    assert "| cold build ÷ floor, given data |" in text
    assert "| narrative-only rebuild ÷ cold build |" in text
    assert "runs none of perfpack's code" in text
    assert "model name" not in text and "cores (`nproc`)" in text
    assert "| | config | load |" in text and "| CPU |" in text  # the stages table, from the -v log


def test_results_keep_the_other_benchmarks_sections(tmp_path: Path) -> None:
    write_section = _bench_module()["write_section"]
    results = tmp_path / "results.md"
    forces = "<!-- forces:start -->\n## Many forces\n| 43 |\n<!-- forces:end -->"
    results.write_text(f"# Build benchmark\n\nold unmarked table\n\n{forces}\n", encoding="utf-8")
    write_section(results, "## One pack\nfirst run")
    write_section(results, "## One pack\nsecond run")
    text = results.read_text(encoding="utf-8")
    assert "old unmarked table" not in text and "first run" not in text
    assert text.count("second run") == 1 and text.endswith(forces + "\n")
