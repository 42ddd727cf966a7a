"""Benchmark the pack build, stage by stage, and the targets it is held to.

Every measurement runs in a fresh process, as an analyst's build would, so start-up and
imports count. Stage times are wall times and overlap: the charts are drawn by worker
processes while the main process renders the narrative, the annex and the document, so
the stages add up to more than the build. Prints, for the sample at each scale, wall time and peak memory per stage
and the floors measured in the same run:

- floor: a process that imports pandas, matplotlib and docxtpl and reads the same data;
- LibreOffice: ``soffice --headless --convert-to pdf`` of the same .docx, fresh profile.

Then the ratios (medians of --runs runs; each build is followed by its floor, and each
one-pack-per-NPT build by a one-pack build, so the two sides of a ratio see the same machine).
Writes benchmarks/results.md.

Usage: python benchmarks/bench_build.py [--scales 1,10] [--runs 5] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("config", "load", "compute", "charts", "document", "pdf", "check")
"""Stages overlap: charts are drawn in worker processes while compute and document run."""

BUILD = """
import json, resource, sys, time
start = time.perf_counter()
from pathlib import Path
from builder.build.pipeline import BuildOptions, build
peaks = {}
def progress(stage):
    peaks[stage] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
config, data, out, pdf, cache, by = sys.argv[1:7]
options = BuildOptions(config=Path(config), data=Path(data), output_dir=Path(out), pdf=pdf == "pdf",
                       cache=cache == "cache", by=None if by == "-" else by)
result = build(options, progress=progress)
print(json.dumps({"timings": result.timings, "total": time.perf_counter() - start, "rows": result.rows,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "packs": len(result.docx),
                  "peaks": peaks, "docx": str(result.docx[0])}))
"""

FLOOR = """
import json, resource, sys, time
start = time.perf_counter()
import pandas, matplotlib, docxtpl
from pathlib import Path
from builder.data.load import load_dataset
load_dataset(Path(sys.argv[1]))
print(json.dumps({"total": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_json(code: str, *args: str, env: dict[str, str]) -> dict:
    """Run a snippet in a fresh interpreter and return the JSON it prints last."""
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(f"benchmark step failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def median(values: list[float]) -> float:
    return statistics.median(values)


def build_runs(runs: int, env: dict[str, str], *args: str, between: Callable[[], None] = lambda: None) -> dict:
    """Medians of several builds: total, each stage, and the highest peak memory.

    ``between`` runs after each build: the floor runs there, so a build and its floor are
    measured side by side and a machine that speeds up or slows down affects both alike.
    """
    results = []
    for _ in range(runs):
        results.append(run_json(BUILD, *args, env=env))
        between()
    return {
        "total": median([r["total"] for r in results]),
        "stages": {s: median([r["timings"].get(s, 0.0) for r in results]) for s in STAGES},
        "peak_mb": max(r["peak_mb"] for r in results),
        "rows": results[0]["rows"],
        "packs": results[0]["packs"],
        "docx": results[0]["docx"],
    }


def libreoffice_alone(docx: Path, runs: int) -> float:
    """Median seconds of a plain headless conversion with a fresh profile, as a person would run it."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run(
                [
                    "soffice",
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(docx),
                ],
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
    return median(times)


def narrative_edit(config: Path, folder: Path) -> Path:
    """A copy of the config with one narrative sentence changed, as an author would save it."""
    text = config.read_text(encoding="utf-8")
    edited = text.replace("A third of victims are under 30.", "About a third of victims are under 30.", 1)
    target = folder / "config-edited.yaml"
    target.write_text(edited, encoding="utf-8")
    shutil.copy(config, folder / "config-base.yaml")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="One run each and no PDF: a smoke test of the script.")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "PERFPACK_CACHE": str(folder / "cache")}
        base = folder / "config-base.yaml"
        edited = narrative_edit(ROOT / "config" / "pack.yaml", folder)
        table = [
            "| scale | rows | " + " | ".join(STAGES) + " | build (s) | peak MB | floor (s) | floor MB |",
            "|" + "---|" * (len(STAGES) + 6),
        ]
        builds: dict[int, dict] = {}
        floors: dict[int, dict] = {}
        for scale in (int(s) for s in args.scales.split(",")):
            data = folder / f"scale{scale}"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "builder",
                    "sample-data",
                    "--scale",
                    str(scale),
                    "--format",
                    "parquet",
                    "--output",
                    str(data),
                ],
                cwd=ROOT,
                check=True,
                capture_output=True,
                env=env,
            )
            floor_runs: list[dict] = []
            builds[scale] = build_runs(
                runs,
                env,
                str(base),
                str(data),
                str(folder / "out"),
                "no-pdf",
                "no-cache",
                "-",
                between=lambda runs_=floor_runs, data_=data: runs_.append(run_json(FLOOR, str(data_), env=env)),
            )
            floors[scale] = {
                "total": median([r["total"] for r in floor_runs]),
                "peak_mb": max(r["peak_mb"] for r in floor_runs),
            }
            b, f = builds[scale], floors[scale]
            cells = " | ".join(f"{b['stages'][s]:.2f}" if b["stages"][s] else "–" for s in STAGES)
            table.append(
                f"| {scale} | {b['rows']:,} | {cells} | {b['total']:.2f} | {b['peak_mb']:.0f} | "
                f"{f['total']:.2f} | {f['peak_mb']:.0f} |"
            )
            print(table[-1], flush=True)
        one = min(builds)
        data = folder / f"scale{one}"
        # Author's rebuild: prime the cache with the base config, then build the edited narrative.
        run_json(BUILD, str(base), str(data), str(folder / "out"), "no-pdf", "cache", "-", env=env)
        rebuild = build_runs(runs, env, str(edited), str(data), str(folder / "out"), "no-pdf", "cache", "-")
        ratios = [
            ("`.docx` build at 10× ÷ at 1×", builds[max(builds)]["total"] / builds[one]["total"], 2.0),
            ("`.docx` build at 1× ÷ floor (start, imports, read)", builds[one]["total"] / floors[one]["total"], 3.0),
            ("narrative-only rebuild ÷ cold build", rebuild["total"] / builds[one]["total"], 0.5),
        ]
        extra = [
            f"- narrative-only rebuild: {rebuild['total']:.2f} s against a cold build of {builds[one]['total']:.2f} s"
        ]
        if not args.quick:
            with_pdf = build_runs(runs, env, str(base), str(data), str(folder / "out-pdf"), "pdf", "no-cache", "-")
            alone = libreoffice_alone(Path(with_pdf["docx"]), runs)
            ratios.append(("PDF stage ÷ LibreOffice's own conversion", with_pdf["stages"]["pdf"] / alone, 1.3))
            extra.append(
                f"- PDF stage {with_pdf['stages']['pdf']:.2f} s; `soffice --headless --convert-to pdf` "
                f"of the same file {alone:.2f} s"
            )
            # Each --by run is followed by a one-pack build, so the two are compared side by side.
            paired: list[dict] = []
            by_npt = build_runs(
                runs,
                env,
                str(base),
                str(data),
                str(folder / "out-npt"),
                "no-pdf",
                "no-cache",
                "npt",
                between=lambda: paired.append(
                    run_json(BUILD, str(base), str(data), str(folder / "out"), "no-pdf", "no-cache", "-", env=env)
                ),
            )
            one_pack = median([r["total"] for r in paired])
            ratios.append((f"`--by npt` ({by_npt['packs']} packs) ÷ one pack", by_npt["total"] / one_pack, 4.0))
            extra.append(
                f"- `--by npt`: {by_npt['packs']} packs in {by_npt['total']:.2f} s; the one-pack builds "
                f"run beside them took {one_pack:.2f} s"
            )
    ratio_lines = ["| target | measured | limit | holds |", "|---|---|---|---|"]
    ratio_lines += [
        f"| {name} | {value:.2f} | {limit} | {'yes' if value <= limit else 'NO'} |" for name, value, limit in ratios
    ]
    report = "\n".join(table) + "\n\n" + "\n".join(ratio_lines) + "\n\n" + "\n".join(extra)
    print("\n" + report)
    stamp = time.strftime("%Y-%m-%d %H:%M")
    (ROOT / "benchmarks" / "results.md").write_text(
        f"# Build benchmark\n\nMeasured {stamp} with `make bench` on this machine ({os.cpu_count()} cores); "
        f"medians of {runs} runs, each in a fresh process. Stage times in seconds (they overlap: "
        f"charts are drawn in worker processes while the document is written); peak memory is the main "
        f"process's maximum resident set (the chart workers, forked from one server, are not in it).\n\n{report}\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
