"""`perfpack preview`: a real server, a real browser, real saves.

The end-to-end test runs the command as an author does, in a project made by `perfpack
new`, opens the page in headless Chromium and never reloads it itself: the page must
show a narrative edit, a broken YAML's file and line, and the recovery on its own. Every
wait has a deadline, which guards against a hang and is not a speed claim; the speed is
measured by benchmarks/bench_preview.py.
"""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import socket
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import ctrl_c_as_at_a_terminal, perfpack_command

from builder.commands.new import create_project
from builder.preview.overlay import EVENTS_PATH, decorate, split_error
from builder.preview.server import PortInUseError, PreviewServer
from builder.preview.state import PreviewState

COLD = 180.0  # the first build: data, figures and charts unless the cache has them
WARM_MS = 20_000  # a narrative-only rebuild and the page's reload; well under a second in practice
SENTENCE = "The chart below shows all recorded crime per month over three years."
OVERLAY = "#perfpack-preview-error"


# --- the parts, without a build -------------------------------------------------------------


def test_the_error_is_escaped_into_the_overlay_over_the_last_good_page():
    page = b"<!DOCTYPE html><html><body><h1>Pack</h1></body></html>"
    served = decorate(page, 7, "config/pack.yaml:12: YAML syntax error: <b>bad</b> & worse").decode()
    assert served.startswith("<!DOCTYPE html><html><body><h1>Pack</h1>")
    assert served.index('id="perfpack-preview-error"') < served.index("<script>") < served.index("</body>")
    assert ">config/pack.yaml:12</p>" in served
    assert "YAML syntax error: &lt;b&gt;bad&lt;/b&gt; &amp; worse" in served and "<b>" not in served
    assert "var served = 7;" in served
    assert 'id="perfpack-preview-error"' not in decorate(page, 8, None).decode()


def test_an_error_without_a_place_is_shown_whole():
    assert split_error("the build wrote no web page") == {"where": None, "message": "the build wrote no web page"}
    assert split_error("config/pack.yaml:3: bad") == {"where": "config/pack.yaml:3", "message": "bad"}


def test_a_stream_waits_for_the_next_build_and_ends_when_the_preview_stops():
    state = PreviewState()
    assert state.wait_after(0, timeout=0.01) == state.snapshot  # nothing new: the same snapshot
    state.built(b"<p>one</p>")
    state.failed("config/pack.yaml:1: broken")
    latest = state.wait_after(1, timeout=5)
    assert latest is not None and latest.version == 2
    assert latest.page == b"<p>one</p>" and latest.error == "config/pack.yaml:1: broken"
    threading.Timer(0.05, state.close).start()
    assert state.wait_after(2, timeout=30) is None


@pytest.fixture
def server(tmp_path: Path) -> Any:
    (tmp_path / "pack-data.xlsx").write_bytes(b"PK annex")
    (tmp_path / ".hidden").write_text("no")
    running = PreviewServer(PreviewState(), tmp_path, 0).start()
    yield running
    running.stop()


def get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, bytes, str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host or f"127.0.0.1:{server.port}"})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Type") or ""
    finally:
        connection.close()


def test_the_server_serves_the_page_the_annex_and_nothing_else(server: PreviewServer):
    status, body, kind = get(server, "/")
    assert status == 200 and kind.startswith("text/html") and b"Building the pack" in body
    server.state.built(b"<html><body><h1>Built</h1></body></html>")
    assert b"<h1>Built</h1>" in get(server, "/")[1]
    assert get(server, "/pack-data.xlsx")[:2] == (200, b"PK annex")
    for path in ("/.hidden", "/../pack-data.xlsx", "/%2e%2e/etc/passwd", "/sub/pack-data.xlsx", "/missing.html"):
        assert get(server, path)[0] == 404, path


def test_the_server_answers_only_to_this_computer(server: PreviewServer):
    assert server.server_address[0] == "127.0.0.1"
    assert get(server, "/", host=f"localhost:{server.port}")[0] == 200
    assert get(server, "/", host="attacker.example")[0] == 403  # a DNS-rebinding page cannot read the pack


def test_a_taken_port_is_one_line_naming_the_way_out(server: PreviewServer, tmp_path: Path):
    with pytest.raises(PortInUseError, match=rf"^port {server.port} is in use .*--port 0"):
        PreviewServer(PreviewState(), tmp_path, server.port)


def test_the_event_stream_sends_the_state_then_each_build(server: PreviewServer):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", EVENTS_PATH, headers={"Host": f"127.0.0.1:{server.port}"})
    response = connection.getresponse()
    assert response.getheader("Content-Type", "").startswith("text/event-stream")
    assert response.readline() == b"retry: 500\n"
    assert response.readline() == b'data: {"version": 0, "error": null}\n'
    server.state.failed("config/pack.yaml:4: broken")
    response.readline()  # the blank line ending the first event
    assert response.readline() == (
        b'data: {"version": 1, "error": {"where": "config/pack.yaml:4", "message": "broken"}}\n'
    )
    connection.close()


# --- the command, in a browser ------------------------------------------------------------


class Preview:
    """`perfpack preview --port 0` running in a project; its output lines arrive on a queue."""

    def __init__(self, project: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONWARNINGS": "ignore"}
        self.process = subprocess.Popen(
            [*perfpack_command(), "preview", "--port", "0"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            preexec_fn=ctrl_c_as_at_a_terminal,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        first = self.lines.get(timeout=60)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert found, first
        self.url, self.port = found.group(0), int(found.group(1))

    def _read(self) -> None:
        for line in self.process.stdout or []:
            self.lines.put(line)

    def output(self) -> str:
        lines = []
        while not self.lines.empty():
            lines.append(self.lines.get())
        return "".join(lines)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def save(path: Path, text: str) -> None:
    """Write in place, as VS Code and Notepad do."""
    path.write_text(text, encoding="utf-8")


@pytest.mark.slow  # builds a pack and watches files
def test_preview_shows_each_save_and_a_broken_yaml_by_itself(browser: Any, tmp_path: Path):
    project = create_project(tmp_path / "pack").folder
    config = project / "config" / "pack.yaml"
    good = config.read_text(encoding="utf-8")
    preview = Preview(project)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(preview.url)
        page.wait_for_selector(f"text={SENTENCE}", timeout=COLD * 1000)  # the waiting page reloads itself
        assert page.title().startswith("Staffordshire Police: Public Performance Meeting")

        save(config, good.replace(SENTENCE, "Edited while previewing."))
        page.wait_for_selector("text=Edited while previewing.", timeout=WARM_MS)

        broken = good.replace("  force: Staffordshire Police\n", "  force: Staffordshire Police\n   title: [oops\n", 1)
        line = broken.splitlines().index("   title: [oops") + 1
        save(config, broken)
        overlay = page.wait_for_selector(OVERLAY, timeout=WARM_MS)
        assert overlay.is_visible()
        assert page.inner_text(f"{OVERLAY} .perfpack-where") == f"config/pack.yaml:{line}"
        assert "YAML syntax error" in page.inner_text(f"{OVERLAY} .perfpack-message")
        assert page.is_visible("text=Edited while previewing.")  # the last good page, under the overlay

        page.reload()  # a page opened while the error stands shows it too
        assert page.inner_text(f"{OVERLAY} .perfpack-where") == f"config/pack.yaml:{line}"

        save(config, good.replace(SENTENCE, "Fixed and saved again."))
        page.wait_for_selector("text=Fixed and saved again.", timeout=WARM_MS)
        assert page.query_selector(OVERLAY) is None
    finally:
        page.close()
        preview.process.send_signal(signal.SIGTERM)
        code = preview.process.wait(timeout=30)
        output = preview.output()
        preview.stop()
    assert code == 0, output
    assert "Stopped the preview." in output
    assert "error: config/pack.yaml:" in output and "page updated" in output
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", preview.port), timeout=2):
        pass  # the port is closed


@pytest.mark.slow  # builds a pack and watches files
def test_preview_stops_on_ctrl_c_while_the_first_build_runs(tmp_path: Path):
    project = create_project(tmp_path / "pack").folder
    preview = Preview(project)
    try:
        preview.process.send_signal(signal.SIGINT)
        assert preview.process.wait(timeout=60) == 0
        assert "Stopped the preview." in preview.output()
    finally:
        preview.stop()
