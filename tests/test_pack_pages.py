"""How the built pack falls on its pages, read from the PDF, and the .docx contents that match it.

Small tables sit on one page with their caption and notes; a chart keeps its caption;
no page ends on a heading; the .docx contents list every section with the pages the
PDF shows, so viewers that never update fields show them too.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import run_perfpack
from docx_helpers import body_items, captioned_tables, headings, open_docx
from lxml import etree
from pdf_helpers import heading_pages, page_lines, page_texts, toc_entries

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SMALL = 16
"""Rows (header included) of a table that must never split."""


def docx_contents(docx: Path) -> list[tuple[str, str, str]]:
    """The .docx contents field's entries as written: (heading, pages, bookmark it links to)."""
    with zipfile.ZipFile(docx) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    entries = []
    for link in root.iter(f"{W}hyperlink"):
        anchor = link.get(f"{W}anchor") or ""
        if anchor.startswith("_Toc"):
            texts = [t.text or "" for t in link.iter(f"{W}t")]
            entries.append(("".join(texts[:-1]), texts[-1], anchor))
    return entries


def bookmarked_headings(docx: Path) -> dict[str, str]:
    """Bookmark name -> text of the heading paragraph it stands in."""
    with zipfile.ZipFile(docx) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    found = {}
    for start in root.iter(f"{W}bookmarkStart"):
        paragraph = start.getparent()
        found[start.get(f"{W}name")] = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
    return found


def page_of(texts: list[str], needle: str, start: int = 1) -> int | None:
    """The first page from ``start`` holding ``needle``, which may wrap over lines."""
    for number in range(start, len(texts) + 1):
        if normal(needle) in normal(texts[number - 1]):
            return number
    return None


def normal(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip()


# --------------------------------------------------------------------------- with a PDF


def test_docx_contents_list_every_section_with_the_pdfs_pages(built_pack: dict[str, Path]) -> None:
    texts = page_texts(built_pack["pdf"])
    sections = headings(open_docx(built_pack["docx"]))
    entries = docx_contents(built_pack["docx"])
    assert [e[0] for e in entries] == sections
    contents_page = page_of(texts, "Contents")
    assert contents_page is not None
    in_pdf = {e.title: (e.first, e.last) for e in toc_entries(texts, [contents_page])}
    actual = heading_pages(texts, sections, skip={contents_page})
    for heading, pages, bookmark in entries:
        first, _, last = pages.partition("-")
        assert (int(first), int(last or first)) == in_pdf[heading], heading
        assert int(first) == actual[heading], heading
        assert bookmarked_headings(built_pack["docx"])[bookmark] == heading
    ranges = [tuple(int(n) for n in p.split("-")) for _, p, _ in entries]
    assert any(len(r) == 2 for r in ranges), "a section over several pages shows its range, e.g. 9-11"
    for (*_, end), (following, *_) in zip(ranges, ranges[1:]):
        assert end == following - 1, "each section runs to the page before the next"


def test_docx_contents_need_no_field_update(built_pack: dict[str, Path]) -> None:
    with zipfile.ZipFile(built_pack["docx"]) as package:
        document = package.read("word/document.xml").decode()
        settings = package.read("word/settings.xml").decode()
    assert "filled in when the pack is built" not in document
    assert 'w:dirty="true"' not in document and "updateFields" not in settings


def test_small_tables_sit_on_one_page_with_caption_and_notes(built_pack: dict[str, Path]) -> None:
    texts = page_texts(built_pack["pdf"])
    doc = open_docx(built_pack["docx"])
    checked, after = 0, 1
    for table in captioned_tables(doc):
        page = page_of(texts, table.caption, after)
        assert page is not None, table.caption
        after = page
        if len(table.rows) > SMALL:
            continue
        text = normal(texts[page - 1])
        below = text[text.index(normal(table.caption)) :].split()
        last_row = normal(" ".join(table.rows[-1])).split()  # words: a cell's text may wrap over lines
        missing = [word for word in last_row if word not in below]
        assert not missing, f"{table.caption}: its last row is not on page {page} ({missing})"
        checked += 1
    assert checked >= 10


def test_a_long_table_never_leaves_a_row_or_two_alone_at_a_page_break(built_pack: dict[str, Path]) -> None:
    """Its header stays with its first rows, and its last rows (the total) stay together."""
    from builder.render.docx import KEEP_AT_EDGES

    texts = page_texts(built_pack["pdf"])
    long_tables = [t for t in captioned_tables(open_docx(built_pack["docx"])) if len(t.rows) > SMALL]
    assert long_tables, "the sample has a table longer than a third of a page"
    for table in long_tables:
        start = page_of(texts, table.caption)
        assert start is not None, table.caption
        text = normal(texts[start - 1])
        below = text[text.index(normal(table.caption)) :].split()
        for row in table.rows[1 : 1 + KEEP_AT_EDGES]:
            assert all(w in below for w in normal(" ".join(row)).split()), f"{table.caption}: {row[0]} left the header"
        ends = [n for n in range(start, len(texts) + 1) if _holds(texts[n - 1], table.rows[-1])]
        assert ends, table.caption
        for row in table.rows[-1 - KEEP_AT_EDGES :]:
            assert _holds(texts[ends[0] - 1], row), f"{table.caption}: {row[0]} is not on the page of the last row"


def _holds(page: str, row: list[str]) -> bool:
    words = normal(page).split()
    return all(w in words for w in normal(" ".join(row)).split())


def test_every_chart_keeps_its_caption_and_no_page_ends_on_a_heading(built_pack: dict[str, Path]) -> None:
    import pikepdf

    texts = page_texts(built_pack["pdf"])
    doc = open_docx(built_pack["docx"])
    all_headings = set(headings(doc, 1)) | set(headings(doc, 2))
    items = body_items(doc)
    chart_captions = [
        items[i + 1].text
        for i, item in enumerate(items[:-1])
        if hasattr(item, "_p") and item._p.xpath(".//pic:pic") and hasattr(items[i + 1], "text")
    ]
    assert len(chart_captions) >= 10
    with pikepdf.open(built_pack["pdf"]) as pdf:
        images = [len(page.get_images()) for page in pdf.pages]
    captions_on = [0] * len(texts)
    after = 1
    for caption in chart_captions:
        page = page_of(texts, caption, after)
        assert page is not None, caption
        captions_on[page - 1] += 1
        after = page
    for number, (shown, captions) in enumerate(zip(images, captions_on), start=1):
        assert shown >= captions, f"page {number} has {captions} chart captions but {shown} charts: one was parted"
    for number, text in enumerate(texts, start=1):
        body = [line for line in page_lines(text) if line != "OFFICIAL" and not line.startswith("Page ")]
        assert body and body[-1] not in all_headings, f"page {number} ends on the heading '{body[-1]}'"


# --------------------------------------------------------------------------- without a PDF


@pytest.fixture(scope="module")
def no_pdf_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("no-pdf")
    result = run_perfpack("build", "--no-pdf", "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    return next(out.glob("*.docx"))


def test_without_a_pdf_the_contents_still_list_every_section(no_pdf_pack: Path) -> None:
    entries = docx_contents(no_pdf_pack)
    assert [e[0] for e in entries] == headings(open_docx(no_pdf_pack))
    assert all(pages == "" for _, pages, _ in entries)
    marks = bookmarked_headings(no_pdf_pack)
    assert all(marks[bookmark] == heading for heading, _, bookmark in entries)
    with zipfile.ZipFile(no_pdf_pack) as package:
        document = package.read("word/document.xml").decode()
    assert "filled in when the pack is built" not in document
    assert 'w:dirty="true"' in document, "Word is still asked to put in its page numbers"


@pytest.mark.parametrize(
    ("rows", "kept"),
    [
        (5, [0, 1, 2, 3]),  # a small table: every row but the last (no notes) kept with the next
        (17, [0, 1, 2, 13, 14, 15]),  # a long one: the header with 3 rows; the last 4 rows together
    ],
)
def test_which_rows_of_a_table_keep_with_the_next(rows: int, kept: list[int]) -> None:
    from builder.render.docx import keeps_with_next

    assert [r for r in range(rows) if keeps_with_next(r, rows, notes=False)] == kept
    assert keeps_with_next(rows - 1, rows, notes=True)  # the last row stays with the notes
