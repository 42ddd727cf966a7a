"""Stopping LibreOffice for good: whole process groups, and the sockets a killed office leaves.

Kept apart from the converter because it is about processes, not documents: the
converter decides *when* to stop; this module makes sure that stopping leaves nothing
running and nothing behind in /tmp.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from contextlib import suppress
from hashlib import md5
from pathlib import Path
from typing import Any

#: Seconds to wait for killed processes to disappear before giving up on them.
KILL_WAIT = 5.0


def stop(process: subprocess.Popen[Any] | None, *, grace: float) -> None:
    """End ``process`` and everything in its process group, and wait until they are gone.

    LibreOffice's launcher forks ``soffice.bin``; killing only the launcher would leave the
    real office running (and holding the profile), so the whole group goes. ``grace`` lets
    a process that was asked to quit (the UNO script terminates the desktop) do so cleanly.
    """
    if process is None:
        return
    if grace > 0:
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    # Once the leader is reaped its id could in principle be reused, so only signal the
    # group while the leader is unreaped or members remain (which keeps the id reserved).
    if process.poll() is None or group_alive(process.pid):
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=KILL_WAIT)
    wait_group_gone(process.pid, KILL_WAIT)


def wait_group_gone(pgid: int, limit: float) -> None:
    """Wait until no live process is left in group ``pgid`` (zombies awaiting their reaper count as gone)."""
    end = time.monotonic() + limit
    while time.monotonic() < end and group_alive(pgid):
        time.sleep(0.02)


def group_alive(pgid: int) -> bool:
    """Whether any non-zombie process is in group ``pgid``; uses /proc where it exists."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for status in proc.glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            fields = status.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


def remove_stale_pipes(profile: Path, pipe_name: str) -> None:
    """Delete the socket files a killed LibreOffice leaves in /tmp; a clean exit removes them itself."""
    for path in pipe_paths(profile, pipe_name):
        with suppress(OSError):
            if stat.S_ISSOCK(path.lstat().st_mode):
                path.unlink()


def pipe_paths(profile: Path, pipe_name: str) -> list[Path]:
    """Where LibreOffice puts its sockets for a profile and an ``--accept`` pipe.

    LibreOffice names them ``OSL_PIPE_<uid>_<name>``: our ``--accept`` pipe, and its
    single-instance pipe ``SingleOfficeIPC_<md5 of the UTF-16LE profile URL>``. Without
    removing them, every killed build would leave two dead sockets behind.
    """
    if not hasattr(os, "getuid"):
        return []
    digest = md5(profile.as_uri().encode("utf-16-le"), usedforsecurity=False).digest()
    # LibreOffice writes each byte as hex without zero padding; try the padded form too.
    ipc = {"SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest), "SingleOfficeIPC_" + digest.hex()}
    return [
        Path(folder) / f"OSL_PIPE_{os.getuid()}_{name}" for folder in ("/tmp", "/var/tmp") for name in (pipe_name, *ipc)
    ]


def stop_guarded(guard: subprocess.Popen[Any] | None, *, grace: float, group_file: Path) -> None:
    """End a command started through ``render.guard`` (LibreOffice), and everything it started.

    The guard, asked with SIGTERM, kills the command's process group and removes its files.
    A guard that does not answer, or that was itself killed outright, cannot have done so:
    the command's group (whose id the guard wrote to ``group_file``) is then killed from here.
    """
    if guard is None:
        return
    if grace > 0:
        with suppress(subprocess.TimeoutExpired):
            guard.wait(timeout=grace)
    if guard.poll() is None:
        with suppress(ProcessLookupError):
            guard.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            guard.wait(timeout=KILL_WAIT)
    if guard.poll() is None:
        stop(guard, grace=0)
    if (guard.returncode or 0) < 0:  # killed by a signal it could not handle: its command may be orphaned
        with suppress(OSError, ValueError):
            group = int(group_file.read_text())
            if group_alive(group):
                with suppress(ProcessLookupError, PermissionError):
                    os.killpg(group, signal.SIGKILL)
                wait_group_gone(group, KILL_WAIT)
