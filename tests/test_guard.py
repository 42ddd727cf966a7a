"""LibreOffice's guard stops its command when the build is gone, however the build went."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.render.processes import group_alive

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the guard's parent checks are Linux's")

BUILD = """
import os, signal, subprocess, sys, time
from pathlib import Path
pidfile = Path(sys.argv[1])
if sys.argv[2] == "blocked":  # the kernel's SIGTERM on the parent's death then never arrives
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
guard = [sys.executable, "-m", "builder.render.guard", str(os.getpid()), str(pidfile), "--", "sleep", "120"]
subprocess.Popen(guard, start_new_session=True)
while not pidfile.exists() or not pidfile.read_text():
    time.sleep(0.02)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("signal_mask", ["open", "blocked"])
def test_a_killed_build_takes_the_guarded_command_with_it(tmp_path: Path, signal_mask: str) -> None:
    pidfile = tmp_path / "group"
    build = subprocess.run([sys.executable, "-c", BUILD, str(pidfile), signal_mask], timeout=60)
    assert build.returncode == -9
    group = int(pidfile.read_text())
    deadline = time.monotonic() + 10
    while group_alive(group) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = group_alive(group)
    if alive:
        os.killpg(group, 9)
    assert not alive, "the guarded command outlived the build"
