"""Benchmark ``perfpack preview``: the time from saving the narrative to the new page being served.

Starts ``perfpack preview --port 0`` on a fresh project (``perfpack new``), as an author
would, listens to its event stream as the browser does, and then, --edits times, saves
the config with one narrative sentence changed and measures:

- save → event: until the server announces the new build (the moment the browser reloads);
- save → page: until a GET of the page returns the new sentence (what the reader sees).

The first build and two warm-up saves are not counted (the first save after a cold build
may still read the cache from disk). Prints the median, the 90th percentile and the range,
with the machine's load average, since the machine is shared. Goal: 0.3 s save → page.

Usage: python benchmarks/bench_preview.py [--edits 20]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SENTENCE = "The chart below shows all recorded crime per month over three years."
COLD_SECONDS = 300.0
GOAL_SECONDS = 0.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20, help="timed saves (after two warm-up saves)")
    args = parser.parse_args()
    from builder.commands.new import create_project

    with tempfile.TemporaryDirectory(prefix="perfpack-bench-preview-") as tmp:
        project = create_project(Path(tmp) / "pack").folder
        config = project / "config" / "pack.yaml"
        original = config.read_text(encoding="utf-8")
        assert SENTENCE in original, "the sample narrative changed: update SENTENCE"
        process, port = start_preview(project)
        try:
            events = EventStream(port)
            first = events.next(COLD_SECONDS)  # the state on connecting: the first build may not be done
            while first["version"] < 1:
                first = events.next(COLD_SECONDS)
            assert first["error"] is None, first
            size = len(get_page(port))
            to_event, to_page = [], []
            for number in range(args.edits + 2):
                token = f"Edit number {number} reached the page."
                time.sleep(0.3)  # a pause, as between an author's saves
                started = time.perf_counter()
                config.write_text(original.replace(SENTENCE, token), encoding="utf-8")
                event = events.next(60)
                arrived = time.perf_counter()
                page = get_page(port)
                served = time.perf_counter()
                assert event["error"] is None, event
                assert token.encode() in page, "the page served after the event lacks the edit"
                if number >= 2:
                    to_event.append(arrived - started)
                    to_page.append(served - started)
            events.close()
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = process.communicate(timeout=30)
        builds = [float(s) for s in re.findall(r"page updated in ([\d.]+) s", output)][3:]
    print(f"perfpack preview, {args.edits} narrative saves on the sample (load average {os.getloadavg()[0]:.1f}):")
    print(f"  HTML page: {size / 1e6:.2f} MB")
    for label, values in (("save → event", to_event), ("save → page", to_page), ("build alone", builds)):
        print(f"  {label:<13} {summary(values)}")
    median = statistics.median(to_page)
    verdict = "meets" if median <= GOAL_SECONDS else "misses"
    print(f"  median save → page {median:.3f} s {verdict} the {GOAL_SECONDS} s goal")
    print(f"  stopped with SIGTERM: exit code {process.returncode}")
    return 0


def summary(values: list[float]) -> str:
    if not values:
        return "n/a"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.3f} s, 90th percentile {p90:.3f} s, range {ordered[0]:.3f}–{ordered[-1]:.3f} s"


def start_preview(project: Path) -> tuple[subprocess.Popen[str], int]:
    """``perfpack preview --port 0`` in the project; its port, read from the line it prints."""
    script = Path(sys.executable).parent / "perfpack"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "builder"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [*command, "preview", "--port", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if found is None:
        process.kill()
        raise SystemExit(f"preview did not start: {line}{process.stdout.read()}")
    return process, int(found.group(1))


def get_page(port: int) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/")
        return connection.getresponse().read()
    finally:
        connection.close()


class EventStream:
    """The preview's server-sent events, read on a thread as a browser's EventSource does."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=None)
        self.connection.request("GET", "/__perfpack/events")
        self.response = self.connection.getresponse()
        self.events: queue.Queue[dict] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("data: "):
                    self.events.put(json.loads(line[len("data: ") :]))
        except (OSError, ValueError):
            return

    def next(self, timeout: float) -> dict:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        self.connection.close()


if __name__ == "__main__":
    sys.exit(main())
