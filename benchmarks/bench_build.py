"""Benchmark the pack build, stage by stage, at several data scales.

Each build runs in a fresh process (as an analyst's would), so imports and start-up
are counted. Prints wall time per stage and the peak memory reached by the end of
each stage, plus the floor: a process that only imports the libraries and reads the
same data. Writes benchmarks/results.md.

Usage: python benchmarks/bench_build.py [--scales 1,10] [--runs 3] [--pdf]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("config", "load", "compute", "charts", "document", "pdf")

RUN_BUILD = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from builder.pipeline import BuildOptions, build
peaks = {}
def progress(stage):
    peaks[stage] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
options = BuildOptions(config=Path(sys.argv[1]), data=Path(sys.argv[2]), output_dir=Path(sys.argv[3]),
                       pdf=sys.argv[4] == "pdf")
result = build(options, progress=progress)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"timings": result.timings, "total": time.perf_counter() - start, "peak_mb": peak,
                  "rows": result.rows}))
"""

FLOOR = """
import json, resource, sys, time
start = time.perf_counter()
import pandas, matplotlib, docxtpl
from builder.data.load import load_dataset
from pathlib import Path
load_dataset(Path(sys.argv[1]))
print(json.dumps({"total": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_json(code: str, *args: str) -> dict:
    """Run a snippet in a fresh interpreter and return the JSON it prints last."""
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def sample(scale: int, folder: Path) -> Path:
    """Generate the sample at a scale (parquet, as the embedded default is cached)."""
    target = folder / f"scale{scale}"
    if not target.exists():
        subprocess.run([sys.executable, "-m", "builder", "sample-data", "--scale", str(scale), "--format",
                        "parquet", "--output", str(target)], cwd=ROOT, check=True, capture_output=True)
    return target


def median_runs(code: str, runs: int, *args: str) -> dict:
    """Medians of several runs of a measured snippet."""
    results = [run_json(code, *args) for _ in range(runs)]
    merged = {"total": statistics.median(r["total"] for r in results),
              "peak_mb": max(r["peak_mb"] for r in results)}
    if "timings" in results[0]:
        merged["timings"] = {s: statistics.median(r["timings"].get(s, 0.0) for r in results) for s in STAGES
                             if s in results[0]["timings"]}
        merged["rows"] = results[0]["rows"]
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdf", action="store_true", help="Also time the PDF stage.")
    args = parser.parse_args()
    config = ROOT / "config" / "pack.yaml"
    lines = ["| scale | rows | " + " | ".join(STAGES) + " | total (s) | peak MB | floor (s) | floor MB |",
             "|---" * (len(STAGES) + 6) + "|"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for scale in (int(s) for s in args.scales.split(",")):
            data = sample(scale, folder)
            build = median_runs(RUN_BUILD, args.runs, str(config), str(data), str(folder / "out"),
                                "pdf" if args.pdf else "no-pdf")
            floor = median_runs(FLOOR, args.runs, str(data))
            stages = " | ".join(f"{build['timings'].get(s, 0.0):.2f}" if s in build["timings"] else "–"
                                for s in STAGES)
            lines.append(f"| {scale} | {build['rows']:,} | {stages} | {build['total']:.2f} | "
                         f"{build['peak_mb']:.0f} | {floor['total']:.2f} | {floor['peak_mb']:.0f} |")
            print(lines[-1], flush=True)
    report = "\n".join(lines)
    print("\n" + report)
    stamp = time.strftime("%Y-%m-%d %H:%M")
    (ROOT / "benchmarks" / "results.md").write_text(
        f"# Build benchmark\n\nMeasured {stamp} on this machine, medians of {args.runs} runs; each build in a "
        f"fresh process. Times in seconds; peak memory is the process's maximum resident set.\n\n{report}\n",
        encoding="utf-8")


if __name__ == "__main__":
    main()
