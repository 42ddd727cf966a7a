"""The HTML edition in a real headless Chromium: what a reader sees, on a desktop and on a phone.

The page built by `perfpack build` is opened from disk, as someone who downloaded it
would; axe-core checks it against WCAG 2.2 AA, screenshots at desktop and phone widths
must not scroll sideways, and the tables and charts shown must be the .docx's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_helpers import axe_violations, describe, png_size
from docx_helpers import captioned_tables, headings, open_docx, pictures

DESKTOP, PHONE = 1280, 375

TABLES_JS = """() => [...document.querySelectorAll('table')].map(t => ({
  caption: t.caption.innerText.trim(),
  rows: [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim())),
}))"""
IMAGES_JS = """() => [...document.images].map(i => ({
  alt: i.getAttribute('alt'), loaded: i.complete && i.naturalWidth > 0, shown: i.getBoundingClientRect().width,
}))"""


@pytest.fixture(scope="module")
def page_file(built_pack: dict[str, Path]) -> Path:
    return built_pack["docx"].with_suffix(".html")


def open_page(browser: Any, path: Path, width: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    return page


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_axe_core_finds_no_wcag_2_2_aa_violation(browser: Any, page_file: Path, width: int):
    page = open_page(browser, page_file, width)
    try:
        violations = axe_violations(page)
    finally:
        page.close()
    assert violations == [], describe(violations)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_the_page_never_scrolls_sideways(browser: Any, page_file: Path, width: int, tmp_path: Path):
    page = open_page(browser, page_file, width)
    try:
        shot = tmp_path / f"pack-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    finally:
        page.close()
    assert scroll <= client == width
    shot_width, shot_height = png_size(shot)
    assert shot_width == width, "the full-page screenshot is wider than the screen: something overflows"
    assert shot_height > 10 * 900  # the whole pack, not an empty page


def test_the_tables_shown_are_the_docx_tables(browser: Any, page_file: Path, built_pack: dict[str, Path]):
    page = open_page(browser, page_file, DESKTOP)
    try:
        shown = page.evaluate(TABLES_JS)
    finally:
        page.close()
    expected = [{"caption": t.caption, "rows": t.rows} for t in captioned_tables(open_docx(built_pack["docx"]))]
    assert len(shown) == len(expected) >= 10
    assert shown == expected


def test_every_chart_is_shown_with_the_docx_alt_text(browser: Any, page_file: Path, built_pack: dict[str, Path]):
    page = open_page(browser, page_file, PHONE)
    try:
        images = page.evaluate(IMAGES_JS)
    finally:
        page.close()
    assert [i["alt"] for i in images] == [p["descr"] for p in pictures(open_docx(built_pack["docx"]))]
    assert all(i["alt"].strip() and i["loaded"] for i in images)
    assert all(0 < i["shown"] <= PHONE for i in images)


def test_the_page_asks_for_nothing_beyond_itself(browser: Any, page_file: Path):
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(page_file.as_uri())
        page.wait_for_load_state("networkidle")
    finally:
        page.close()
    assert [url for url in requested if not url.startswith("data:")] == [page_file.as_uri()]


def test_contents_links_take_the_reader_to_each_section(browser: Any, page_file: Path, built_pack: dict[str, Path]):
    page = open_page(browser, page_file, PHONE)
    try:
        links = page.locator("nav#contents a")
        assert links.all_inner_texts() == headings(open_docx(built_pack["docx"]))
        for index in (0, links.count() - 1):
            text = links.nth(index).inner_text()
            links.nth(index).click()
            heading = page.locator(f"h2{page.evaluate('location.hash')}")
            assert heading.inner_text() == text
            assert heading.is_visible() and abs(heading.bounding_box()["y"]) < 900
    finally:
        page.close()


def test_the_print_stylesheet_gives_a_paged_pack(browser: Any, page_file: Path, tmp_path: Path):
    from pypdf import PdfReader

    page = open_page(browser, page_file, DESKTOP)
    try:
        page.emulate_media(media="print")
        hidden = page.evaluate("getComputedStyle(document.querySelector('.back')).display")
        out = tmp_path / "printed.pdf"
        page.pdf(path=str(out), format="A4")
    finally:
        page.close()
    assert hidden == "none"  # 'Back to contents' links mean nothing on paper
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert len(PdfReader(out).pages) >= 8  # each section starts a page
    assert text.count("OFFICIAL") >= 2
