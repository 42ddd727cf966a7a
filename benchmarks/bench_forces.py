"""Benchmark ``perfpack build --by force`` at national scale: many forces' police.uk files in one run.

England and Wales record about 20 million crimes over 36 months across 43 forces. This
makes synthetic police.uk street files of that shape (``perfpack sample-data --forces``),
at the full volume or a fraction of it, then builds one pack per force in a fresh process
and reports wall time, CPU time, each stage's time, peak memory (the main process's, and
the largest child's) and packs per minute. It prints the machine's load average beside
each run: on a shared machine the wall time is the CPU time stretched by the others' work.

Writes its own section of benchmarks/results.md (between the ``forces`` markers), leaving
the rest of the file as it is.

Usage: python benchmarks/bench_forces.py [--crimes 2000000,20000000] [--forces 43] [--months 36] [--pdf]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.md"
START, END = "<!-- forces:start -->", "<!-- forces:end -->"
STAGES = ("config", "load", "compute", "narrative", "document", "charts", "pdf")

BUILD = """
import json, os, resource, sys, threading, time
start = time.perf_counter()
from pathlib import Path
from builder.build.pipeline import BuildOptions, build
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
peaks, children = {}, {}
def progress(stage):
    peaks[stage.split(" ")[0]] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
def descendants(root):
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = (int(fields[1]), fields)
    found, frontier = {}, [root]
    while frontier:
        pid = frontier.pop()
        for child, (parent, fields) in parents.items():
            if parent == pid and child not in found:
                found[child] = fields
                frontier.append(child)
    return found
def sample():  # the chart server and its workers are not waited for, so their CPU is read from /proc
    while True:
        for pid, fields in descendants(os.getpid()).items():
            cpu = (int(fields[11]) + int(fields[12])) / TICK
            rss = int(fields[21]) * PAGE / 2**20
            old = children.get(pid, (0.0, 0.0))
            children[pid] = (max(old[0], cpu), max(old[1], rss))
        time.sleep(0.5)
threading.Thread(target=sample, daemon=True).start()
config, data, out, pdf = sys.argv[1:5]
options = BuildOptions(config=Path(config), data=Path(data), output_dir=Path(out), pdf=pdf == "pdf",
                       cache=False, by="force", check=False)
result = build(options, progress=progress)
me = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"timings": result.timings, "total": time.perf_counter() - start, "rows": result.rows,
                  "peak_mb": me.ru_maxrss / 1024, "child_peak_mb": max((r for _, r in children.values()), default=0),
                  "cpu": me.ru_utime + me.ru_stime, "child_cpu": sum(c for c, _ in children.values()),
                  "packs": len(result.docx), "peaks": peaks}))
"""


def data_folder(crimes: int, forces: int, months: int) -> Path:
    """The synthetic national files for these arguments, made once and kept in the perfpack cache."""
    cache = Path(os.environ.get("PERFPACK_CACHE") or Path.home() / ".cache" / "perfpack")
    folder = cache / f"national-{forces}f-{months}m-{crimes}"
    if not (folder / ".complete").exists():
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "builder", "sample-data", "--forces", str(forces), "--months", str(months),
             "--crimes", str(crimes), "--output", str(folder)],
            cwd=ROOT, check=True,
        )  # fmt: skip
        (folder / ".complete").write_text(f"{time.perf_counter() - started:.1f}\n", encoding="utf-8")
    return folder


def size_of(folder: Path) -> tuple[int, int]:
    """Files and bytes of the data (the marker file left out)."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return len(files), sum(p.stat().st_size for p in files)


def run(folder: Path, pdf: bool) -> dict:
    """One --by force build in a fresh interpreter, with the load average around it."""
    out = folder.parent / f"{folder.name}-packs"
    before = os.getloadavg()[0]
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(ROOT / "config" / "policeuk.yaml"), str(folder), str(out),
         "pdf" if pdf else "no-pdf"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"build failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load_before"], result["load_after"] = before, os.getloadavg()[0]
    return result


def section(rows: list[tuple[int, int, int, dict]], pdf: bool) -> str:
    """The markdown of this benchmark's section of results.md."""
    stamp = time.strftime("%Y-%m-%d %H:%M")
    lines = [
        START,
        "## Many forces in one run (`--by force`)",
        "",
        f"Measured {stamp} with `python benchmarks/bench_forces.py` on this machine ({os.cpu_count()} cores): "
        f"synthetic police.uk street files (`perfpack sample-data --forces`), one pack per force, "
        f"{'with' if pdf else 'without'} PDFs, no cache, no accessibility check; one run each in a fresh process. "
        "CPU is the build process's own, and its children's (the chart server and its two workers, read "
        "from /proc); machine load is the 1-minute load average before and after the run: other work on "
        "the machine stretches the wall time, so on a shared machine the CPU times say more.",
        "",
        "| crimes | rows read | files | data | packs | wall (s) | CPU (s): main + children | machine load |"
        " load (s) | compute (s) | charts (s) | document (s) | pdf (s) | peak MB: main | peak MB: a child |"
        " packs/min |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for crimes, files, size, r in rows:
        t = r["timings"]
        lines.append(
            f"| {crimes:,} | {r['rows']:,} | {files:,} | {size / 1e9:.2f} GB | {r['packs']} | {r['total']:.0f} | "
            f"{r['cpu']:.0f} + {r['child_cpu']:.0f} | {r['load_before']:.1f}–{r['load_after']:.1f} | "
            f"{t.get('load', 0):.0f} | "
            f"{t.get('compute', 0):.0f} | {t.get('charts', 0):.0f} | {t.get('document', 0):.0f} | "
            f"{t.get('pdf', 0):.0f} | {r['peak_mb']:,.0f} | {r['child_peak_mb']:,.0f} | "
            f"{60 * r['packs'] / r['total']:.1f} |"
        )
    lines += ["", END]
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace this benchmark's section of results.md (or add it at the end), keeping the rest."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    new = pattern.sub(lambda _: text, old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crimes", default="2000000", help="comma-separated totals, e.g. 2000000,20000000")
    parser.add_argument("--forces", type=int, default=43)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--pdf", action="store_true", help="also convert every pack to PDF")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.md alone")
    args = parser.parse_args()
    rows = []
    for crimes in (int(c) for c in args.crimes.split(",")):
        folder = data_folder(crimes, args.forces, args.months)
        files, size = size_of(folder)
        result = run(folder, args.pdf)
        print(json.dumps({"crimes": crimes, "files": files, "bytes": size, **result}), flush=True)
        rows.append((crimes, files, size, result))
    text = section(rows, args.pdf)
    print(text)
    if not args.no_write:
        write_section(text)


if __name__ == "__main__":
    main()
