"""What the preview serves: the last good page, the current error, and a version browsers wait on.

The file watcher's thread writes it after every build; every browser's event stream (one
server thread each) waits on it. A failed build keeps the last good page and adds the
error, so the author keeps reading while they fix the file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Snapshot:
    """One state of the preview; ``version`` goes up by one with every build, good or bad."""

    version: int
    page: bytes | None
    """The last page that built, or None before the first good build."""
    error: str | None
    """The last build's one-line error, or None when it succeeded."""


class PreviewState:
    """The current snapshot, shared between the build thread and the server's threads."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._snapshot = Snapshot(0, None, None)
        self._closed = False

    @property
    def snapshot(self) -> Snapshot:
        """The current snapshot (immutable, so safe to read while the next build runs)."""
        with self._changed:
            return self._snapshot

    @property
    def closed(self) -> bool:
        """True once the preview is stopping: event streams end."""
        return self._closed

    def built(self, page: bytes) -> None:
        """A build succeeded: serve its page, clear any error."""
        self._advance(page, None)

    def failed(self, error: str) -> None:
        """A build failed: keep the last good page, show the error over it."""
        with self._changed:  # a re-entrant lock: _advance takes it again
            self._advance(self._snapshot.page, error)

    def wait_after(self, version: int, timeout: float) -> Snapshot | None:
        """The snapshot once it is newer than ``version`` (or after ``timeout``); None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._snapshot.version != version, timeout)
            return None if self._closed else self._snapshot

    def close(self) -> None:
        """Wake every waiting stream so it can end."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _advance(self, page: bytes | None, error: str | None) -> None:
        with self._changed:
            self._snapshot = Snapshot(self._snapshot.version + 1, page, error)
            self._changed.notify_all()
