"""Processes that die with the build: the kernel's parent-death signal, and the build's own signals.

A build starts other processes (the chart server and its workers, LibreOffice). When the
build ends normally, or is stopped with Ctrl+C or SIGTERM, it stops them itself. A build
killed with SIGKILL runs no code at all, so each of its children asks the kernel
beforehand to be sent a signal when its parent dies (Linux's ``PR_SET_PDEATHSIG``).

SIGTERM and SIGHUP are turned into ``Stopped`` (a ``KeyboardInterrupt``), so a
scheduler's stop unwinds the build exactly like Ctrl+C: staging folder removed,
workers and LibreOffice stopped, nothing published.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

PR_SET_PDEATHSIG = 1
"""prctl option: the signal the calling process is sent when its parent thread dies."""
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """The build was asked to stop by a signal; unwinds like Ctrl+C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal's number (143 for SIGTERM)."""
        return 128 + self.signum


def die_with_parent(parent: int | None = None, signum: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send this process ``signum`` when its parent dies; False where it cannot.

    ``parent`` is the pid the caller expects its parent to be: if the parent died before
    the request was made, this process is already orphaned and stops itself at once.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), signum)
    return True


@contextmanager
def stop_signals_raise() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ``Stopped`` (once: a second one is ignored while unwinding).

    Also ignores SIGXFSZ, so a file-size limit makes a write fail with an error the build
    reports instead of killing the process without a word. Only in the main thread;
    elsewhere the block runs with the signals as they were.
    """
    try:
        previous = {signum: signal.getsignal(signum) for signum in (*STOP_SIGNALS, *_xfsz())}
        for signum in STOP_SIGNALS:
            signal.signal(signum, _raise_stopped)
        for signum in _xfsz():
            signal.signal(signum, signal.SIG_IGN)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _raise_stopped(signum: int, frame: Any) -> None:
    for other in STOP_SIGNALS:  # one stop is enough: let the clean-up finish
        signal.signal(other, signal.SIG_IGN)
    raise Stopped(signum)


def _xfsz() -> tuple[int, ...]:
    return (signal.SIGXFSZ,) if hasattr(signal, "SIGXFSZ") else ()
