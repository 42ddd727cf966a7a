"""Benchmark ``perfpack build`` as a user runs it, against floors that run none of perfpack's code.

Every figure is a whole process started from this script and timed from its start to its
exit, as a shell would: the installed ``perfpack`` console script for the builds, and for
the floor a fresh ``python -c`` (the same interpreter) that imports pandas, matplotlib and
docxtpl and reads the same data files with pyarrow. Nothing is imported from ``builder``
here, and the floor cannot import it either (it runs from an empty folder and names no
perfpack module).

Ratios, each between two processes run one after the other (their order alternating from
round to round, so a machine that speeds up or slows down affects both alike); the median
of ``--runs`` rounds is reported:

- cold build (``--no-cache --no-pdf``) ÷ the floor, at each scale of the sample;
- narrative-only rebuild (a sentence added to the foreword, cache on) ÷ cold build;
- ``--by npt`` (one pack per NPT) ÷ one pack;
- the PDF stage of a ``perfpack build`` (from its ``-v`` log) ÷ ``soffice --headless
  --convert-to pdf`` of the same .docx with a fresh profile;
- cold build at the largest scale ÷ at the smallest.

Time is wall time (start to exit). CPU time is the user + system time of the whole process
tree: this script makes itself the "child subreaper" of what it starts, so chart workers
and servers that outlive their parent are still waited for and counted. Peak memory is
measured twice: the largest single process's peak resident set (exact, from ``wait4``) in
the timed runs, and the whole tree's total (the sum of every process's proportional set
size, sampled every 0.1 s) in one extra run of each command, so sampling never slows a
timed run.

Usage: python benchmarks/bench_build.py [--scales 1,10 | --data DIR] [--runs 5] [--quick]
                                        [--skip pdf,npt] [--format parquet|csv] [--results FILE]
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERFPACK = Path(sys.executable).with_name("perfpack")
RESULTS = ROOT / "benchmarks" / "results.md"
STAGES = ("config", "load", "compute", "narrative", "charts", "document", "check", "pdf")
"""Stages named in the build's ``-v`` log; they overlap (charts are drawn by workers meanwhile)."""

FLOOR = """
import sys
import pandas, matplotlib, docxtpl
import pyarrow.csv, pyarrow.parquet
for name in sys.argv[1:]:
    (pyarrow.parquet.read_table if name.endswith(".parquet") else pyarrow.csv.read_csv)(name)
"""
"""The floor: start Python, import the libraries a build needs, read the same files; no perfpack code."""

FOREWORD = re.compile(r"^foreword:\n(?:[ \t].*\n)*?[ \t]+text: \|\n(?P<indent>[ \t]+)", re.MULTILINE)
"""The first line of the foreword's text in a pack config: where the rebuild row edits the narrative."""

EDIT = "This foreword was edited for the benchmark."

START, END = "<!-- build:start -->", "<!-- build:end -->"
"""This benchmark's section of results.md; other benchmarks keep theirs (``bench_forces.py``)."""

TIMING = re.compile(r"DEBUG builder\.[\w.]+: (\w+) took ([0-9.]+) s(?: \(([0-9.]+) s CPU\))?")
PR_SET_CHILD_SUBREAPER = 36


@dataclass
class Run:
    """One whole process: wall seconds to exit, CPU seconds of its tree, peak memory in MB."""

    wall: float
    cpu: float
    largest_mb: float
    """The largest single process's peak resident set (``wait4``'s ru_maxrss over the tree)."""
    tree_mb: float | None = None
    """The whole tree's peak total proportional set size, when sampled."""
    stages: dict[str, float] = field(default_factory=dict)
    stage_cpu: dict[str, float] = field(default_factory=dict)
    """The build process's own CPU seconds in each stage (not its workers')."""


@dataclass
class Series:
    """The runs of one command."""

    runs: list[Run] = field(default_factory=list)
    tree_mb: float | None = None

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def largest_mb(self) -> float:
        return max(r.largest_mb for r in self.runs)

    def stage(self, name: str) -> float | None:
        values = [r.stages[name] for r in self.runs if name in r.stages]
        return statistics.median(values) if values else None

    def stage_cpu(self, name: str) -> float | None:
        values = [r.stage_cpu[name] for r in self.runs if name in r.stage_cpu]
        return statistics.median(values) if values else None


# ---------------------------------------------------------------- running whole processes


def become_subreaper() -> bool:
    """Adopt every orphaned descendant (Linux), so its CPU time and exit are seen here."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def run(command: list[str], *, cwd: Path, env: dict[str, str], sample: bool = False) -> Run:
    """Run ``command`` to its exit; wall time stops at its exit, CPU counts every descendant."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sampler = TreeSampler() if sample else None
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        usages = [usage, *reap_descendants()]
        peak = sampler.stop() if sampler else None
        err.seek(0)
        log = err.read().decode(errors="replace")
        if process.returncode:
            out.seek(0)
            raise SystemExit(
                f"failed ({process.returncode}): {' '.join(command)}\n{out.read().decode()}\n{log[-3000:]}"
            )
    return Run(
        wall=wall,
        cpu=sum(u.ru_utime + u.ru_stime for u in usages),
        largest_mb=max(u.ru_maxrss for u in usages) / 1024,
        tree_mb=peak,
        stages=stage_times(log),
        stage_cpu=stage_times(log, cpu=True),
    )


def reap_descendants(timeout: float = 60.0) -> Iterator[os.struct_rusage]:
    """Wait for every adopted descendant still running (a chart server finishing its exit)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            pid, _, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid:
            yield usage
        elif time.monotonic() > deadline:
            raise SystemExit("a process the benchmark started did not exit within a minute")
        else:
            time.sleep(0.005)


def stage_times(log: str, cpu: bool = False) -> dict[str, float]:
    """Each stage's seconds (or CPU seconds) from a ``perfpack -v build`` log (its last, cumulative, line)."""
    found = {name: (wall, processor) for name, wall, processor in TIMING.findall(log)}
    return {name: float(pair[cpu]) for name, pair in found.items() if pair[cpu]}


class TreeSampler:
    """The peak of the summed proportional set size of a process and all its descendants."""

    INTERVAL = 0.1

    def __init__(self) -> None:
        self.peak_kb = 0
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        self._done.set()
        if self._thread:
            self._thread.join()
        return self.peak_kb / 1024

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak_kb = max(self.peak_kb, sum(pss_kb(pid) for pid in descendants()))
            self._done.wait(self.INTERVAL)


def descendants() -> list[int]:
    """Every process below this script: what it started, and the orphans it adopted."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], {os.getpid()}
    while frontier:
        children = {pid for pid, parent in parents.items() if parent in frontier}
        found.extend(children)
        frontier = children
    return found


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# ---------------------------------------------------------------- what is measured


@dataclass
class Workspace:
    """A pack project in a temporary folder: the sample config and template, data per scale."""

    folder: Path
    env: dict[str, str]
    fmt: str
    narrative: str = ""
    """The config as copied, before any edit."""

    @property
    def project(self) -> Path:
        return self.folder / "project"

    @property
    def config(self) -> Path:
        return self.project / "config" / "pack.yaml"

    def create(self) -> None:
        (self.project / "config").mkdir(parents=True)
        (self.project / "templates").mkdir()
        shutil.copy(ROOT / "config" / "pack.yaml", self.config)
        shutil.copy(ROOT / "templates" / "pack.docx", self.project / "templates" / "pack.docx")
        self.narrative = self.config.read_text(encoding="utf-8")
        if not FOREWORD.search(self.narrative):
            raise SystemExit("config/pack.yaml has no foreword text for the rebuild row to edit")

    def data(self, scale: int) -> Path:
        """The sample at ``scale``, written by ``perfpack sample-data`` (not timed)."""
        folder = self.folder / f"data-{scale}x"
        if not folder.exists():
            subprocess.run(
                [str(PERFPACK), "sample-data", "--scale", str(scale), "--format", self.fmt, "--output", str(folder)],
                check=True,
                capture_output=True,
                env=self.env,
            )
        return folder

    def build(self, data: Path, out: str, *options: str, sample: bool = False) -> Run:
        """``perfpack -v build`` in the project folder, as an analyst types it (config/pack.yaml)."""
        command = [str(PERFPACK), "-v", "build", "--data", str(data), "--output-dir", str(self.folder / out), *options]
        return run(command, cwd=self.project, env=self.env, sample=sample)

    def floor(self, files: list[Path], sample: bool = False) -> Run:
        return run([sys.executable, "-c", FLOOR, *map(str, files)], cwd=self.folder, env=self.env, sample=sample)

    def edit_narrative(self, number: int) -> None:
        """Save the config with a sentence added to the foreword, or taken out again, as an author would."""
        text = self.narrative
        if number % 2 == 0:
            first = FOREWORD.search(text)
            assert first is not None  # checked in create()
            at = first.start("indent")
            text = f"{text[:at]}{first['indent']}{EDIT}\n\n{text[at:]}"
        self.config.write_text(text, encoding="utf-8")

    def soffice(self, docx: Path) -> Run:
        """A plain headless conversion with a fresh profile, as a person would run it."""
        with tempfile.TemporaryDirectory(dir=self.folder) as tmp:
            command = [
                "soffice",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(docx),
            ]
            return run(command, cwd=self.folder, env=self.env)


def input_files(out: Path) -> list[Path]:
    """The data files a build read, from its manifest: the floor reads exactly these."""
    manifest = json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))
    files = [Path(entry["path"]) for entry in manifest["inputs"]]
    return [f for f in files if f.suffix in {".parquet", ".csv"}]


Command = tuple[str, Callable[[], Run]]
"""A series name and how to run one more of it."""


@dataclass
class Pair:
    """Two commands run back to back, whose ratio is held to a target (``limit``)."""

    name: str
    first: Command
    second: Command
    limit: float | None
    of_pdf_stage: bool = False
    """The ratio of the first run's ``pdf`` stage, not its whole process, to the second."""
    ratios: list[float] = field(default_factory=list)

    def ratio(self, first: Run, second: Run) -> float:
        return (first.stages.get("pdf", 0.0) if self.of_pdf_stage else first.wall) / second.wall


def measure(
    ws: Workspace, datasets: list[tuple[str, Path]], runs: int, skip: set[str]
) -> tuple[dict[str, Series], list[Pair]]:
    """Every pair, ``runs`` times, in rounds; and every series the pairs ran, by name.

    Each ratio is taken between two processes run one after the other (the order alternates
    from round to round), and its median over the rounds is reported: the machine's speed
    drifts within a round too, so a ratio of two medians from different moments would not do.
    """
    cold = ("--no-cache", "--no-pdf")
    builds: dict[str, Command] = {}
    pairs: list[Pair] = []
    for label, data in datasets:
        ws.build(data, f"warm-{label}", *cold)  # not timed: fills the disk cache, and names the files read
        files = input_files(ws.folder / f"warm-{label}")
        builds[label] = (f"build {label}", lambda d=data: ws.build(d, "cold", *cold))
        pairs.append(
            Pair(f"cold build ÷ floor, {label}", builds[label], (f"floor {label}", lambda f=files: ws.floor(f)), 3.0)
        )
    one, data = datasets[0]
    pairs += side_pairs(ws, data, builds[one], skip)
    if len(datasets) > 1:
        big = datasets[-1][0]
        pairs.append(Pair(f"cold build at {big} ÷ at {one}", builds[big], builds[one], 2.0))
    series: dict[str, Series] = {}
    for round_ in range(runs):
        for pair in pairs:
            order = (pair.first, pair.second) if round_ % 2 == 0 else (pair.second, pair.first)
            results = {name: command() for name, command in order}
            for name, result in results.items():
                series.setdefault(name, Series()).runs.append(result)
            pair.ratios.append(pair.ratio(results[pair.first[0]], results[pair.second[0]]))
            print(f"  round {round_ + 1}: {pair.name:<48} {pair.ratios[-1]:5.2f}", flush=True)
    for label, data in datasets:  # one more run of build and floor with the memory sampler on, not timed
        series[f"build {label}"].tree_mb = ws.build(data, "cold", *cold, sample=True).tree_mb
        series[f"floor {label}"].tree_mb = ws.floor(input_files(ws.folder / f"warm-{label}"), sample=True).tree_mb
    return series, pairs


def side_pairs(ws: Workspace, data: Path, build: Command, skip: set[str]) -> list[Pair]:
    """The rebuild, ``--by npt`` and PDF pairs on the first data set, each prepared by an untimed run."""
    ws.build(data, "rebuild", "--no-pdf")  # not timed: fills the cache the rebuilds reuse
    edits = iter(range(10**6))

    def rebuild() -> Run:
        ws.edit_narrative(next(edits))
        return ws.build(data, "rebuild", "--no-pdf")

    pairs = [Pair("narrative-only rebuild ÷ cold build", ("rebuild", rebuild), build, 0.5)]
    if "npt" not in skip:
        npt = ("npt", lambda: ws.build(data, "npt", "--by", "npt", "--no-cache", "--no-pdf"))
        pairs.append(Pair("`--by npt` (one pack per NPT) ÷ one pack", npt, build, 4.0))
    if "pdf" not in skip:
        ws.build(data, "pdf", "--no-cache")  # not timed: the .docx LibreOffice converts on its own
        docx = ws.folder / "pack.docx"
        shutil.copy(next((ws.folder / "pdf").glob("*.docx")), docx)
        pdf = ("pdf build", lambda: ws.build(data, "pdf", "--no-cache"))
        alone = ("soffice", lambda: ws.soffice(docx))
        pairs.append(Pair("PDF stage ÷ `soffice --headless --convert-to pdf`", pdf, alone, 1.3, of_pdf_stage=True))
    return pairs


# ---------------------------------------------------------------- the report


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores (`nproc`), {model}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def report(series: dict[str, Series], pairs: list[Pair], labels: list[str]) -> str:
    """The tables of results.md: whole processes, the ratios held to targets, the stages of a build."""
    floors = {p.second[0]: p for p in pairs if p.second[0].startswith("floor ")}
    lines = [
        "| data | build (s) | floor (s) | build ÷ floor | rounds | build CPU (s) | floor CPU (s) | CPU ÷ "
        "| build peak MB: tree / largest process | floor peak MB: tree / process |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label in labels:
        b, f, pair = series[f"build {label}"], series[f"floor {label}"], floors[f"floor {label}"]
        lines.append(
            f"| {label} | {b.wall:.2f} | {f.wall:.2f} | **{statistics.median(pair.ratios):.2f}** "
            f"| {min(pair.ratios):.2f}–{max(pair.ratios):.2f} | {b.cpu:.2f} | {f.cpu:.2f} | {b.cpu / f.cpu:.2f} "
            f"| {b.tree_mb or 0:.0f} / {b.largest_mb:.0f} | {f.tree_mb or 0:.0f} / {f.largest_mb:.0f} |"
        )
    lines += ["", "| target | measured | rounds | limit | holds |", "|---|---|---|---|---|"]
    for pair in pairs:
        value = statistics.median(pair.ratios)
        holds = "yes" if pair.limit is None or value <= pair.limit else "NO"
        lines.append(
            f"| {pair.name} | {value:.2f} | {min(pair.ratios):.2f}–{max(pair.ratios):.2f} | {pair.limit} | {holds} |"
        )
    lines.append("")
    for name in ("rebuild", "npt", "pdf build", "soffice"):
        if name in series:
            one = series[name]
            pdf = f", of which the PDF stage {one.stage('pdf'):.2f} s" if name == "pdf build" else ""
            lines.append(
                f"- {name}: {one.wall:.2f} s ({one.cpu:.2f} s CPU, {one.largest_mb:.0f} MB largest process){pdf}"
            )
    build = series[f"build {labels[0]}"]
    lines += [
        "",
        f"Stages of the {labels[0]} cold build, from its `-v` log: wall seconds (they overlap: the charts are "
        "drawn by the workers meanwhile) and the build process's own CPU seconds:",
        "",
    ]
    present = [s for s in STAGES if build.stage(s) is not None]
    lines += ["| | " + " | ".join(present) + " |", "|---|" + "---|" * len(present)]
    lines.append("| wall | " + " | ".join(f"{build.stage(s):.2f}" for s in present) + " |")
    cpu = [build.stage_cpu(s) for s in present]
    lines.append("| CPU | " + " | ".join("–" if c is None else f"{c:.2f}" for c in cpu) + " |")
    return "\n".join(lines)


def method(runs: int, data: str, started: tuple[str, str]) -> str:
    """How every figure was measured, for the top of results.md."""
    return f"""\
Measured {started[0]} to {time.strftime("%H:%M")} with `make bench` (`benchmarks/bench_build.py`) on
{machine()}. Load average (1, 5, 15 min) {started[1]} when it began, {load()} when it ended.
{runs} rounds. The machine is shared and its speed drifts, so every ratio is taken between
two processes run one after the other (their order alternating from round to round), and
the table gives the median of the rounds' ratios, and their lowest and highest ("rounds").
Times and CPU are medians of every run of that command. With other work on both cores
the build's processes do not run side by side, and its ratio tends to the ratio of CPU
seconds ("CPU ÷").

- **build**: the installed `perfpack` console script, a fresh process timed from its start to
  its exit: `perfpack -v build --data DATA --output-dir OUT --no-cache --no-pdf` in a pack
  project holding the sample `config/pack.yaml` and `templates/pack.docx` (accessibility
  check on, as by default). DATA: {data}.
- **floor**: a fresh `python -c` of the same interpreter that runs none of perfpack's code:
  `import pandas, matplotlib, docxtpl`, then `pyarrow.parquet.read_table` (`pyarrow.csv.read_csv`
  for CSV) of every data file the build's manifest lists.
- **CPU**: user + system seconds of the whole process tree (chart server and workers
  included: the benchmark adopts orphaned descendants and waits for them). Time is the
  wall time from start to exit, as the shell prompt sees it.
- **peak MB, tree**: the highest sum of the proportional set sizes (PSS) of the process and
  all its descendants, sampled every 0.1 s in one extra run (not a timed one).
  **largest process**: the highest peak resident set of any one process of the tree in the
  timed runs (`wait4`).
- **rebuild**: the same build with the cache on, after a sentence was added to the foreword
  in `config/pack.yaml` (or taken out again: it alternates); the cache was filled once before
  the rounds.
- **PDF**: the `pdf` stage time from the `-v` log of `perfpack build --no-cache` (with PDF)
  against `soffice -env:UserInstallation=<fresh profile> --headless --convert-to pdf` of the
  same .docx, each a whole process.
- **`--by npt`**: `perfpack build --by npt --no-cache --no-pdf` (one pack per NPT), whole process.
- One untimed build of each kind ran first, so the data files are in the disk cache for all.
"""


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def write_section(path: Path, text: str) -> None:
    """Replace this benchmark's section of ``path``, keeping every other benchmark's section.

    A file from before the sections began holds this benchmark's text unmarked, ahead of
    the first marked section: that text is what is replaced.
    """
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{START}\n{text}\n{END}"
    ours = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if ours.search(old):
        new = ours.sub(lambda _: block, old)
    else:
        other = re.search(r"^<!-- [\w-]+:start -->", old, re.M)
        new = f"# Benchmarks\n\n{block}\n\n{old[other.start() :] if other else ''}"
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10", help="Sample scales to build (default 1,10).")
    parser.add_argument("--data", type=Path, help="Benchmark this data folder instead of the sample.")
    parser.add_argument("--runs", type=int, default=5, help="Runs of each command (default 5).")
    parser.add_argument("--quick", action="store_true", help="One run of each: a smoke test of this script.")
    parser.add_argument("--skip", default="", help="Rows to leave out: pdf, npt (comma-separated).")
    parser.add_argument("--format", default="parquet", choices=["parquet", "csv"], help="Sample data format.")
    parser.add_argument("--results", type=Path, default=RESULTS, help="Markdown file to write.")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if not PERFPACK.exists():
        raise SystemExit(f"{PERFPACK} not found: run `make setup` first")
    if not become_subreaper():
        print("note: not Linux; CPU time of processes that outlive their parent is not counted", file=sys.stderr)
    started = (time.strftime("%Y-%m-%d %H:%M"), load())
    with tempfile.TemporaryDirectory(prefix="perfpack-bench-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "PERFPACK_CACHE": str(folder / "cache"), "PYTHONWARNINGS": "ignore"}
        ws = Workspace(folder, env, args.format)
        ws.create()
        if args.data:
            datasets = [("given data", args.data.resolve())]
            described = f"`{args.data}`"
        else:
            scales = sorted({int(s) for s in args.scales.split(",")})
            datasets = [(f"{scale}×", ws.data(scale)) for scale in scales]
            described = (
                f"`perfpack sample-data --scale N --format {args.format}` for N in {', '.join(map(str, scales))}"
            )
        series, pairs = measure(ws, datasets, runs, skip)
    header = method(runs, described, started)
    table = report(series, pairs, [label for label, _ in datasets])
    print("\n" + table)
    write_section(args.results, f"## One pack: `perfpack build` against the floor\n\n{header}\n{table}")
    print(f"\nwritten to {args.results}")


if __name__ == "__main__":
    main()
