"""One LibreOffice kept running between conversions (`perfpack watch --pdf`): started once, restarted if lost.

Real LibreOffice, real documents: each PDF is opened and read back, as a reader would.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from builder.render.pdf import Office, convert_many, find_soffice, find_uno_python

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_soffice() is None or find_uno_python() is None, reason="LibreOffice and its UNO bridge are not installed"
    ),
]


def document(path: Path, text: str) -> Path:
    made = Document()
    made.add_heading(text, level=1)
    made.add_paragraph(f"{text}: the body of the document.")
    made.save(str(path))
    return path


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_one_office_converts_batch_after_batch_and_is_gone_when_closed(tmp_path: Path):
    with Office() as office:
        first = convert_many([(document(tmp_path / "a.docx", "First save"), tmp_path / "a.pdf")], office=office)
        pid = office.pid
        assert pid is not None, "the office is left running for the next save"
        second = convert_many([(document(tmp_path / "b.docx", "Second save"), tmp_path / "b.pdf")], office=office)
        assert office.pid == pid and office.starts == 1
    assert "First save" in pdf_text(first[0]) and "Second save" in pdf_text(second[0])
    assert office.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_an_office_that_died_is_started_again(tmp_path: Path):
    with Office() as office:
        convert_many([(document(tmp_path / "a.docx", "Before"), tmp_path / "a.pdf")], office=office)
        os.killpg(office.pid or 0, signal.SIGKILL)
        made = convert_many([(document(tmp_path / "b.docx", "After a crash"), tmp_path / "b.pdf")], office=office)
        assert office.starts == 2
    assert "After a crash" in pdf_text(made[0])


def offices_started_here() -> list[int]:
    """Process ids of the LibreOffice launchers this test process started (other builds may run their own)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and b"UserInstallation" in command:
            found.append(int(stat.parent.name))
    return found


def test_watch_with_pdf_keeps_one_office_and_refreshes_the_pdf(tmp_path: Path):
    from test_watch import COLD, SENTENCE, WARM, Watcher, save

    from builder.build.options import BuildOptions
    from builder.commands.new import create_project

    project = create_project(tmp_path / "pack").folder
    config = project / "config" / "pack.yaml"
    good = config.read_text(encoding="utf-8")
    with Watcher(BuildOptions(config=config, output_dir=project / "output", pdf=True)) as watcher:
        first = watcher.next(COLD)
        assert first.error is None and first.result is not None
        pdf = first.result.pdf[0]
        kept = offices_started_here()
        assert len(kept) == 1, "LibreOffice is kept running between saves"
        save(config, good.replace(SENTENCE, "Edited with the PDF refreshed."))
        event = watcher.next(WARM)
        assert event.error is None, event.error
        assert "Edited with the PDF refreshed." in pdf_text(pdf)
        assert offices_started_here() == kept
    assert offices_started_here() == []
