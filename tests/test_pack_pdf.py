"""The sample pack's official PDF, read back as its readers meet it."""

from __future__ import annotations

from docx_helpers import headings, open_docx
from pdf_helpers import (
    bookmarks,
    figure_alts,
    heading_pages,
    is_tagged,
    language,
    page_count,
    page_lines,
    page_texts,
    table_header_rows,
    titles,
    toc_entries,
)


def test_pdf_written_beside_the_docx(built_pack):
    assert built_pack["pdf"].exists(), "the default build must write the PDF"
    assert built_pack["pdf"].read_bytes().startswith(b"%PDF-")
    assert page_count(built_pack["pdf"]) >= 15


def test_contents_page_numbers_are_true(built_pack):
    texts = page_texts(built_pack["pdf"])
    sections = headings(open_docx(built_pack["docx"]))
    contents_page = next(i for i, t in enumerate(texts, start=1) if "Contents" in page_lines(t))
    entries = {e.title: e.first for e in toc_entries(texts, [contents_page])}
    assert set(sections) <= set(entries), (sections, entries)
    actual = heading_pages(texts, sections, skip={contents_page})
    for section in sections:
        assert entries[section] == actual[section], (section, entries[section], actual[section])


def test_marking_and_page_x_of_y_on_every_page(built_pack):
    texts = page_texts(built_pack["pdf"])
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        lines = page_lines(text)
        assert lines.count("OFFICIAL") >= 2, f"page {number} lacks the marking in header and footer"
        assert f"Page {number} of {total}" in lines, f"page {number}: {lines[-3:]}"


def test_pdf_is_tagged_titled_english_and_bookmarked(built_pack):
    pdf = built_pack["pdf"]
    assert is_tagged(pdf)
    assert language(pdf) == "en-GB"
    found = titles(pdf)
    assert found.info and found.info.startswith("Staffordshire Police") and found.display_doc_title
    marks = [b.title for b in bookmarks(pdf) if b.level == 0]
    assert marks == headings(open_docx(built_pack["docx"]))


def test_chart_alt_text_reaches_the_figure_tags(built_pack):
    from docx_helpers import pictures

    docx_alts = {p["descr"] for p in pictures(open_docx(built_pack["docx"]))}
    pdf_alts = [a for a in figure_alts(built_pack["pdf"]) if a]
    assert len(pdf_alts) >= 12
    assert set(pdf_alts) == docx_alts


def test_table_headers_are_header_cells(built_pack):
    from docx_helpers import captioned_tables

    rows = table_header_rows(built_pack["pdf"])
    tables = captioned_tables(open_docx(built_pack["docx"]))
    assert len(rows) == len(tables)
    for row, table in zip(rows, tables):
        assert row == ["TH"] * len(table.rows[0]), (table.caption, row)
