"""The preview's local web server: the page, the files beside it, and a stream of build events.

The standard library's ``ThreadingHTTPServer`` is all a preview for one author needs:
one thread per connection, so each browser tab's event stream (server-sent events,
``text/event-stream``) can wait for the next build while the page itself is served. It
listens on 127.0.0.1 only, and answers only requests addressed to 127.0.0.1 or
localhost, so neither another computer nor a web page using a look-alike host name
(DNS rebinding) can read a pack before it is published.
"""

from __future__ import annotations

import errno
import logging
import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from builder.errors import PerfpackError
from builder.preview.overlay import EVENTS_PATH, decorate, event_data
from builder.preview.state import PreviewState, Snapshot

log = logging.getLogger(__name__)
HOST = "127.0.0.1"
KEEP_ALIVE_SECONDS = 15.0
"""A comment line this often keeps an idle event stream open through proxies and tells us the tab has gone."""
RETRY_MS = 500
"""How soon a browser reconnects after the stream drops (a restarted preview is found at once)."""


class PortInUseError(PerfpackError):
    """The port asked for is taken (another preview, or another server)."""

    exit_code = 2


class PreviewServer(ThreadingHTTPServer):
    """Serves one preview's state and the files of its private output folder."""

    daemon_threads = True

    def __init__(self, state: PreviewState, folder: Path, port: int) -> None:
        self.state, self.folder = state, folder
        try:
            super().__init__((HOST, port), _Handler)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUseError(
                    f"port {port} is in use (another preview?); pass --port with another number, or --port 0 for any free one"
                ) from None
            raise
        self._thread: threading.Thread | None = None
        self._page: tuple[int, bytes] = (-1, b"")

    def page(self) -> bytes:
        """The current page as served (script and any error added), made once per build."""
        version, page = self._page
        snapshot = self.state.snapshot
        if version != snapshot.version:
            page = decorate(snapshot.page, snapshot.version, snapshot.error)
            self._page = (snapshot.version, page)  # one assignment: another thread sees old or new, whole
        return page

    @property
    def port(self) -> int:
        """The port listened on (the one the OS chose for --port 0)."""
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        return f"http://{HOST}:{self.port}/"

    def start(self) -> PreviewServer:
        """Serve on a background thread; return at once."""
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.1}, name="perfpack-preview-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """End every event stream, stop serving and close the socket."""
        self.state.close()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
        self.server_close()

    def allowed_host(self, host: str | None) -> bool:
        """True for requests addressed to this server by loopback name or address."""
        return host in {f"{HOST}:{self.port}", f"localhost:{self.port}"}


class _Handler(BaseHTTPRequestHandler):
    """GET only: ``/`` (the page), the event stream, and files published beside the page."""

    server: PreviewServer
    server_version = "perfpack-preview"

    def do_GET(self) -> None:
        """Route a request; anything unknown is a 404."""
        if not self.server.allowed_host(self.headers.get("Host")):
            self._send(HTTPStatus.FORBIDDEN, b"The preview answers only to 127.0.0.1 and localhost.\n", "text/plain")
            return
        path = unquote(urlsplit(self.path).path)
        if path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, self.server.page(), "text/html; charset=utf-8")
        elif path == EVENTS_PATH:
            self._stream_events()
        elif (file := self._published(path)) is not None:
            self._send(
                HTTPStatus.OK, file.read_bytes(), mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            )
        else:
            self._send(HTTPStatus.NOT_FOUND, b"Not found: the preview serves the pack at /.\n", "text/plain")

    def log_message(self, format: str, *args: object) -> None:
        """Requests are logged at debug level (``perfpack -v preview``), not printed."""
        log.debug("%s " + format, self.address_string(), *args)

    def _published(self, path: str) -> Path | None:
        """A file the build published beside the page (the data annex), by its bare name only."""
        name = path.lstrip("/")
        if not name or "/" in name or "\\" in name or name.startswith("."):
            return None
        file = self.server.folder / name
        return file if file.is_file() else None

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _stream_events(self) -> None:
        """Send the current state at once, then every new one, until the tab closes or the preview stops."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.server.state
        snapshot: Snapshot | None = state.snapshot
        try:
            self._event(snapshot, retry=True)
            while snapshot is not None:
                newer = state.wait_after(snapshot.version, KEEP_ALIVE_SECONDS)
                if newer is None:
                    return
                if newer.version == snapshot.version:
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
                    continue
                snapshot = newer
                self._event(snapshot)
        except (BrokenPipeError, ConnectionResetError):
            return  # the tab was closed or reloaded

    def _event(self, snapshot: Snapshot | None, *, retry: bool = False) -> None:
        if snapshot is None:
            return
        lines = [f"retry: {RETRY_MS}"] if retry else []
        lines.append(f"data: {event_data(snapshot.version, snapshot.error)}")
        self.wfile.write(("\n".join(lines) + "\n\n").encode("utf-8"))
        self.wfile.flush()
