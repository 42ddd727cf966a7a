"""Stopping a build for real: SIGTERM and SIGKILL at each stage of a build with its PDF.

Each case holds a real build at a checkpoint (``PERFPACK_PAUSE_AT``: charts being drawn,
the document written, LibreOffice converting, half the set moved in), sends the real
signal to the real process, then checks what a user would find: the previous set byte for
byte (or, killed half-way through publishing, a whole set after the next build), no process
of the build left, no LibreOffice profile, and no litter once the next build has run.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from conftest import CONFIG, ctrl_c_as_at_a_terminal, perfpack_command, run_perfpack

from builder.checkpoints import NAMES, PAUSE_ENV

pytestmark = pytest.mark.slow


PACK = "public-performance-pack-2018-11"


@pytest.fixture(scope="module")
def previous() -> dict[str, bytes]:
    """The previous set in the output folder, as bytes: a document, its PDF and annex, and their manifest."""
    files = {f"{PACK}.docx": b"previous docx", f"{PACK}.pdf": b"previous pdf", f"{PACK}-data.xlsx": b"previous xlsx"}
    outputs = [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "bytes": len(d)} for n, d in files.items()]
    return {**files, "build-manifest.json": json.dumps({"outputs": outputs}).encode()}


def start_paused(out: Path, stage: str) -> subprocess.Popen[str]:
    """A real build, held at ``stage``: returns once it says it is paused there."""
    env = {**os.environ, PAUSE_ENV: stage, "PYTHONWARNINGS": "ignore"}
    args = ["build", "--config", str(CONFIG), "--output-dir", str(out), "--no-cache", "--no-check"]
    build = subprocess.Popen(
        [*perfpack_command(), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=ctrl_c_as_at_a_terminal,
    )
    assert build.stderr is not None
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([build.stderr], [], [], 1.0)
        line = build.stderr.readline() if ready else ""
        if line.startswith(f"perfpack: paused at {stage}"):
            return build
        assert build.poll() is None, f"the build ended before {stage}: {line}{build.stderr.read()}"
    build.kill()
    raise AssertionError(f"the build never reached {stage}")


def libreoffice_folders(processes: list[psutil.Process]) -> list[Path]:
    """The temporary folders (profile included) the build's LibreOffice guard was told to remove."""
    folders = []
    for process in processes:
        try:
            command = process.cmdline()
        except psutil.NoSuchProcess:
            continue
        if "builder.render.guard" in command:
            folders += [Path(command[i + 1]) for i, arg in enumerate(command) if arg == "--remove"]
    return [f for f in folders if f.name.startswith("perfpack-lo-")]


def whole_set(out: Path) -> dict[str, bytes]:
    """The published files, after checking each is the one the manifest lists (so the set is whole)."""
    manifest = json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))
    listed = {o["name"]: o["sha256"] for o in manifest["outputs"]}
    found = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(found) == sorted([*listed, "build-manifest.json"]), (sorted(found), sorted(listed))
    for name, sha in listed.items():
        assert hashlib.sha256(found[name]).hexdigest() == sha, name
    return found


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("stage", NAMES)
def test_a_stopped_build_leaves_the_previous_set_and_nothing_running(
    tmp_path: Path, previous: dict[str, bytes], stage: str, signum: int
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name, data in previous.items():
        (out / name).write_bytes(data)
    build = start_paused(out, stage)
    processes = psutil.Process(build.pid).children(recursive=True)
    office = libreoffice_folders(processes)
    assert (stage == "pdf") == any(p.name() == "soffice.bin" for p in processes)

    build.send_signal(signum)
    code = build.wait(timeout=120)
    _, alive = psutil.wait_procs(processes, timeout=15)

    assert alive == [], [(p.pid, p.name()) for p in alive]
    assert not [f for f in office if f.exists()]  # LibreOffice's profile went with it
    if signum == signal.SIGTERM:
        assert code == 143
        assert build.stderr is not None
        said = build.stderr.read().strip().splitlines()
        assert said == ["Stopped (SIGTERM): nothing was published; the previous pack is as it was."]
        assert {p.name: p.read_bytes() for p in out.iterdir()} == previous  # and nothing else
        return
    assert code == -signal.SIGKILL
    if stage != "publish":
        assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")} == previous

    after = run_perfpack("build", "--config", str(CONFIG), "--output-dir", str(out), "--no-check", "--no-pdf")

    assert after.returncode == 0, after.stderr
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no staging folder, no journal
    published = whole_set(out)
    assert f"{PACK}.pdf" not in published  # the PDF of the previous set went with it


def test_ctrl_c_says_so_in_one_line(tmp_path: Path) -> None:
    build = start_paused(tmp_path / "out", "document")
    build.send_signal(signal.SIGINT)
    assert build.wait(timeout=120) == 130
    assert build.stderr is not None
    said = build.stderr.read().strip().splitlines()
    assert said == ["Stopped (Ctrl+C): nothing was published; the previous pack is as it was."]
