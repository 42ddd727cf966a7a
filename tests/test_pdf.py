"""The PDF stage, converted for real by LibreOffice: true contents, marking, tags, robustness.

The .docx files are made here with python-docx so each property the PDF must carry
(contents field, header/footer fields, alt text, repeated table header, en-GB, title)
is present on purpose and nothing else is. Conversions are shared per module because
each one starts LibreOffice.
"""

from __future__ import annotations

import io
import os
import re
import struct
import tempfile
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from pdf_helpers import (
    bookmarks,
    figure_alts,
    heading_pages,
    is_tagged,
    language,
    page_count,
    page_lines,
    page_texts,
    structure_types,
    table_header_rows,
    titles,
    toc_entries,
)

from builder.errors import ConversionError
from builder.render import pdf as pdf_module
from builder.render.pdf import convert_many, convert_to_pdf, find_soffice, find_uno_python

TITLE = "Public Performance Meeting \u2013 Test Force, July 2025"
ALT_TEXT = "Line chart: recorded burglary fell from 120 to 95 a month over two years."
STALE = "Stale contents entry that must disappear"
MARKING = "OFFICIAL"
SECTIONS = 14  # enough entries that the real contents runs to two pages, moving every heading


# --------------------------------------------------------------------------- building test documents


@dataclass(frozen=True)
class Sample:
    """A generated .docx and the headings it holds, in order."""

    path: Path
    headings: list[str]


def _png(width: int = 90, height: int = 60) -> bytes:
    """A small solid PNG made with the standard library, so the tests need no image package."""
    row = b"\x00" + bytes((31, 73, 125)) * width

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def _field(paragraph, instruction: str, shown: str) -> None:
    """Append a complex field (begin / instruction / separate / stale result / end) to a paragraph."""

    def char(kind: str):
        run = OxmlElement("w:r")
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        run.append(mark)
        return run

    def text(tag: str, value: str):
        run = OxmlElement("w:r")
        node = OxmlElement(tag)
        node.set(qn("xml:space"), "preserve")
        node.text = value
        run.append(node)
        return run

    for node in (
        char("begin"),
        text("w:instrText", f" {instruction} "),
        char("separate"),
        text("w:t", shown),
        char("end"),
    ):
        paragraph._p.append(node)


def _set_language(doc, lang: str, *, in_defaults: bool) -> None:
    """Put ``w:lang`` in the document defaults (as Word does) or only on the Normal style."""
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in defaults.findall(qn("w:lang")):
        defaults.remove(old)
    target = defaults if in_defaults else doc.styles["Normal"].element.get_or_add_rPr()
    node = OxmlElement("w:lang")
    node.set(qn("w:val"), lang)
    target.append(node)


def _header_footer(doc) -> None:
    """The marking centred in header and footer, and "Page X of Y" from PAGE/NUMPAGES fields."""
    section = doc.sections[0]
    for paragraph in (section.header.paragraphs[0], section.footer.paragraphs[0]):
        paragraph.text = MARKING
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    numbers = section.footer.add_paragraph()
    numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
    numbers.add_run("Page ")
    _field(numbers, "PAGE", "9")
    numbers.add_run(" of ")
    _field(numbers, "NUMPAGES", "99")


def _figure(doc) -> None:
    paragraph = doc.add_paragraph()
    paragraph.add_run().add_picture(io.BytesIO(_png()), width=Cm(8))
    next(paragraph._p.iter(qn("wp:docPr"))).set("descr", ALT_TEXT)


def _table(doc, rows: int) -> None:
    """A table whose first row repeats as header (``w:tblHeader``) when it crosses a page."""
    table = doc.add_table(rows=rows + 1, cols=3)
    table.style = doc.styles["Table Grid"]
    for column, name in enumerate(("Area", "Crimes", "Change")):
        table.cell(0, column).text = name
    for row in range(1, rows + 1):
        for column, value in enumerate((f"Area {row}", str(100 + row), f"{row % 7 - 3}%")):
            table.cell(row, column).text = value
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)


def make_docx(
    path: Path,
    *,
    sections: int = SECTIONS,
    title: str = "Core title",
    lang_in_defaults: bool = True,
    table_rows: int = 45,
) -> Sample:
    """A pack-like document: cover, a stale contents field, then sections of uneven length."""
    doc = Document()
    doc.core_properties.title = title
    _set_language(doc, "en-GB", in_defaults=lang_in_defaults)
    _header_footer(doc)
    doc.add_paragraph(title, style="Title")
    doc.add_paragraph("Contents", style="TOC Heading")
    _field(doc.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', f"{STALE}\t99")
    headings: list[str] = []
    for number in range(1, sections + 1):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        headings.append(f"Theme {number}: recorded crime")
        doc.add_paragraph(headings[-1], style="Heading 1")
        doc.add_paragraph(f"Narrative for theme {number}. " * 25)
        if number == 1:
            _figure(doc)
        if number == 2:
            _table(doc, table_rows)
        headings.append(f"Theme {number} detail")
        doc.add_paragraph(headings[-1], style="Heading 2")
        for _ in range(6 + 14 * (number % 3 == 0)):  # every third theme runs onto a second page
            doc.add_paragraph(f"Detail for theme {number}. " * 12)
    doc.save(str(path))
    return Sample(path, headings)


# --------------------------------------------------------------------------- shared conversions


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def sample(workdir: Path) -> Sample:
    return make_docx(workdir / "pack.docx")


@pytest.fixture(scope="module")
def converted(sample: Sample, workdir: Path) -> Path:
    """The main sample converted once, with an explicit title."""
    return convert_to_pdf(sample.path, workdir / "out" / "pack.pdf", title=TITLE)


@pytest.fixture(scope="module")
def texts(converted: Path) -> list[str]:
    return page_texts(converted)


def _contents_pages(texts: list[str], headings: list[str]) -> list[int]:
    """The 1-based pages holding contents lines for the sample's headings."""
    return [
        number
        for number in range(1, len(texts) + 1)
        if any(entry.title in headings for entry in toc_entries(texts, [number]))
    ]


# --------------------------------------------------------------------------- what the reader sees


def test_returns_the_target_and_writes_a_pdf(converted: Path, workdir: Path) -> None:
    assert converted == workdir / "out" / "pack.pdf"
    assert converted.read_bytes()[:5] == b"%PDF-"
    assert not [p for p in converted.parent.iterdir() if p.name != "pack.pdf"], "temporary files left beside the PDF"


def test_page_count_matches_the_footer_and_the_layout(converted: Path, texts: list[str]) -> None:
    assert page_count(converted) == len(texts)
    assert len(texts) > SECTIONS + 3  # cover/contents, every theme, the long ones on two pages


def test_contents_gives_the_page_each_heading_stands_on(sample: Sample, texts: list[str]) -> None:
    contents = _contents_pages(texts, sample.headings)
    assert len(contents) >= 2, "the sample is meant to need a two-page contents, which moves every heading"
    entries = {entry.title: entry.first for entry in toc_entries(texts, contents)}
    actual = heading_pages(texts, sample.headings, skip=set(contents))
    assert set(actual) == set(sample.headings)
    assert {heading: entries.get(heading) for heading in sample.headings} == actual


def test_stale_contents_placeholder_is_gone(texts: list[str]) -> None:
    assert not any(STALE in text for text in texts)


def test_marking_on_every_page_in_header_and_footer(texts: list[str]) -> None:
    for number, text in enumerate(texts, start=1):
        assert page_lines(text).count(MARKING) >= 2, f"page {number} lacks the marking in header and footer"


def test_footer_gives_page_x_of_y(texts: list[str]) -> None:
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in page_lines(text), f"page {number}"


def test_repeated_table_header_on_each_page_of_the_table(texts: list[str]) -> None:
    body_row = re.compile(r"^Area \d+ ")
    spanned = [n for n, text in enumerate(texts, start=1) if any(body_row.match(line) for line in page_lines(text))]
    assert len(spanned) >= 2, "the sample table should cross a page"
    for number in spanned:
        assert "Area Crimes Change" in page_lines(texts[number - 1]), f"header row not repeated on page {number}"


# --------------------------------------------------------------------------- what assistive technology sees


def test_tagged_with_structure_tree(converted: Path) -> None:
    assert is_tagged(converted)


def test_language_is_en_gb(converted: Path) -> None:
    assert language(converted) == "en-GB"


def test_title_set_and_shown_and_pdfua_declared(converted: Path) -> None:
    found = titles(converted)
    assert found.info == TITLE
    assert found.xmp == TITLE
    assert found.display_doc_title
    assert found.pdfua_part == "1"


def test_bookmarks_name_the_headings_and_open_their_pages(converted: Path, sample: Sample, texts: list[str]) -> None:
    marks = bookmarks(converted)
    assert [mark.title for mark in marks] == sample.headings
    assert [mark.level for mark in marks] == [0, 1] * SECTIONS
    actual = heading_pages(texts, sample.headings, skip=set(_contents_pages(texts, sample.headings)))
    assert {mark.title: mark.page for mark in marks} == actual


def test_headings_tagged_as_headings(converted: Path) -> None:
    types = structure_types(converted)
    assert types["H1"] == SECTIONS and types["H2"] == SECTIONS


def test_figure_carries_the_alt_text(converted: Path) -> None:
    assert figure_alts(converted) == [ALT_TEXT]


def test_table_header_cells_are_th(converted: Path) -> None:
    assert table_header_rows(converted) == [["TH", "TH", "TH"]]


# --------------------------------------------------------------------------- batches


def test_convert_many_one_start_with_titles_progress_and_language(workdir: Path) -> None:
    """Three documents, one LibreOffice: explicit and kept titles, and en-GB set only on Normal."""
    sources = [
        make_docx(workdir / f"batch{i}.docx", sections=2, title=f"Core {i}", table_rows=3, lang_in_defaults=i != 2).path
        for i in range(3)
    ]
    targets = [workdir / "batch" / f"batch{i}.pdf" for i in range(3)]
    seen: list[tuple[int, int]] = []
    result = convert_many(
        list(zip(sources, targets)),
        titles=["First", None, "Third"],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert result == targets
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert [titles(t).info for t in targets] == ["First", "Core 1", "Third"]
    assert [language(t) for t in targets] == ["en-GB"] * 3
    assert all(is_tagged(t) for t in targets)


def test_two_conversions_at_once_both_succeed(workdir: Path) -> None:
    source = make_docx(workdir / "twin.docx", sections=2, table_rows=3).path
    targets = [workdir / "twins" / f"twin{i}.pdf" for i in range(2)]
    errors: list[BaseException] = []

    def run(target: Path) -> None:
        try:
            convert_to_pdf(source, target, title=target.stem)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert [titles(t).info for t in targets] == ["twin0", "twin1"]


# --------------------------------------------------------------------------- failures


@pytest.fixture
def previous_pdf(tmp_path: Path) -> Path:
    """A PDF already at the target, which a failed conversion must leave exactly as it was."""
    target = tmp_path / "out" / "pack.pdf"
    target.parent.mkdir()
    target.write_bytes(b"%PDF-1.4\n% the previous, good pack\n%%EOF\n")
    return target


def _left_beside(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p != target)


def _live_processes_mentioning(text: str) -> list[int]:
    """Live (non-zombie) processes whose command line contains ``text``, from /proc."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if text in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def _live_children() -> list[int]:
    """Live child processes of this test process (the converter must leave none behind)."""
    me, found = str(os.getpid()), []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == me and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def test_missing_libreoffice_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, sample: Sample, previous_pdf: Path
) -> None:
    before = previous_pdf.read_bytes()
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    with pytest.raises(ConversionError) as caught:
        convert_to_pdf(sample.path, previous_pdf)
    message = str(caught.value)
    assert "\n" not in message
    assert "apt-get install" in message and "libreoffice-writer-nogui" in message and "--no-pdf" in message
    assert previous_pdf.read_bytes() == before
    assert _left_beside(previous_pdf) == []


def test_missing_uno_python_is_reported(monkeypatch: pytest.MonkeyPatch, sample: Sample, tmp_path: Path) -> None:
    monkeypatch.setenv("PERFPACK_UNO_PYTHON", str(tmp_path / "no-such-python"))
    assert find_uno_python() is None
    with pytest.raises(ConversionError, match=r"PERFPACK_UNO_PYTHON.*--no-pdf"):
        convert_to_pdf(sample.path, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("timeout", [0.05, 1.0])
def test_timeout_kills_libreoffice_and_keeps_the_old_pdf(
    monkeypatch: pytest.MonkeyPatch, sample: Sample, previous_pdf: Path, tmp_path: Path, timeout: float
) -> None:
    """Too little time: a clean error, no process or profile left, the previous PDF untouched."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # the private profile is made here
    before = previous_pdf.read_bytes()
    children = set(_live_children())  # e.g. multiprocessing's resource tracker from an earlier in-process build
    with pytest.raises(
        ConversionError, match=rf"did not finish converting pack\.docx within {timeout:g} s.*--pdf-timeout"
    ):
        convert_to_pdf(sample.path, previous_pdf, timeout=timeout)
    assert previous_pdf.read_bytes() == before
    assert _left_beside(previous_pdf) == []
    assert list(scratch.iterdir()) == [], "temporary LibreOffice profile left behind"
    assert not list(sample.path.parent.glob(".~lock*")), "LibreOffice lock file left beside the source"
    assert _live_processes_mentioning(str(scratch)) == [], "LibreOffice still running"
    assert set(_live_children()) <= children


def test_corrupt_docx_is_an_error_naming_the_file(tmp_path: Path, previous_pdf: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(os.urandom(30_000))
    before = previous_pdf.read_bytes()
    children = set(_live_children())
    with pytest.raises(ConversionError, match=r"broken\.docx"):
        convert_to_pdf(broken, previous_pdf)
    assert previous_pdf.read_bytes() == before
    assert _left_beside(previous_pdf) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.docx", "out"]
    assert set(_live_children()) <= children


def test_missing_source_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="does not exist"):
        convert_to_pdf(tmp_path / "absent.docx", tmp_path / "absent.pdf")


def test_tools_are_found_on_this_machine() -> None:
    """CI installs LibreOffice and python3-uno; without them every test above would fail for that reason."""
    assert find_soffice() is not None, "install libreoffice-writer-nogui"
    assert find_uno_python() is not None, "install python3-uno"
