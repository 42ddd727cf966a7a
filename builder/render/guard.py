"""Run LibreOffice so that it cannot outlive the build, whatever happens to the build.

LibreOffice's launcher forks ``soffice.bin``, which would carry on after a build killed
with SIGKILL (no clean-up code runs then), holding its temporary profile in /tmp. So the
build does not start LibreOffice itself but this small program, as the leader of a new
process group:

* it asks the kernel for SIGTERM when the build dies (``PR_SET_PDEATHSIG``), and looks
  at its parent twice a second in case that signal never comes;
* it starts the command in a process group of its own and writes that group's id to
  ``PIDFILE``, so the build can still reach it if this guard were gone;
* on SIGTERM, SIGINT or SIGHUP (the build stopping it, or dying) it kills that whole
  group, waits until it is gone and removes the paths it was given (the profile folder,
  LibreOffice's sockets), then exits;
* when the command ends by itself, it exits with its status and leaves the files to the
  build, which is alive to read LibreOffice's log and clean up.

Usage: ``python -m builder.render.guard BUILD_PID PIDFILE [--remove PATH]... -- COMMAND...``
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from builder.lifetime import die_with_parent

GONE_WAIT = 5.0
"""Seconds to wait for the killed group to disappear before removing its files anyway."""
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
PARENT_POLL = 0.5
"""Seconds between two looks at whether the build is still this guard's parent."""


class _Stop(Exception):
    """A stop signal arrived."""


def main(argv: list[str]) -> int:
    """Run the command; on a stop signal (or the build's death) kill its group and clean up."""
    build, pidfile, removals, command = _arguments(argv)
    for signum in STOP_SIGNALS:
        signal.signal(signum, _stop)
    child: subprocess.Popen[bytes] | None = None
    try:
        die_with_parent(build, signal.SIGTERM)
        child = subprocess.Popen(command, process_group=0)
        pidfile.write_text(str(child.pid))
        return _wait_while_parent_lives(child, build)  # ended by itself: the build, still running, cleans up
    except _Stop:
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
        for group in [child.pid] if child is not None else _children():
            _kill_group(group)
        for path in removals:
            _remove(path)
        return 128 + signal.SIGTERM


def _wait_while_parent_lives(child: subprocess.Popen[bytes], build: int) -> int:
    """The command's exit status; a stop (``_Stop``) as soon as the build is gone.

    ``PR_SET_PDEATHSIG`` is the quick way to learn of the build's death, but a lost
    signal would leave LibreOffice running for ever; so the guard also looks at its own
    parent twice a second: once the build is gone, it has been re-parented.
    """
    while True:
        try:
            return child.wait(timeout=PARENT_POLL)
        except subprocess.TimeoutExpired:
            if os.getppid() != build:
                raise _Stop from None


def _arguments(argv: list[str]) -> tuple[int, Path, list[Path], list[str]]:
    separator = argv.index("--")
    head, command = argv[:separator], argv[separator + 1 :]
    build, pidfile, rest = int(head[0]), Path(head[1]), head[2:]
    removals = [Path(rest[i + 1]) for i in range(0, len(rest) - 1, 2) if rest[i] == "--remove"]
    return build, pidfile, removals, command


def _stop(signum: int, frame: Any) -> None:
    raise _Stop


def _kill_group(group: int) -> None:
    """Kill a whole process group (launcher and ``soffice.bin``) and wait until none of it is left."""
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)
    with suppress(ChildProcessError):
        os.waitpid(group, 0)  # the launcher is our child: reap it
    end = time.monotonic() + GONE_WAIT
    while time.monotonic() < end:
        try:
            os.killpg(group, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.02)


def _children() -> list[int]:
    """This process's children, from /proc: a stop that came while the command was being started."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == os.getpid():
                found.append(int(stat.parent.name))
    return found


def _remove(path: Path) -> None:
    with suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
