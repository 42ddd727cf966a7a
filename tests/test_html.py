"""The HTML edition: made from the same content as the .docx, escaped, self-contained, restylable.

These tests read the page's markup (lxml); what a reader sees in a browser (axe-core,
layout at phone width, the tables as shown) is in test_html_browser.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest
from conftest import CONFIG, ROOT
from docx_helpers import captioned_tables, headings, open_docx, pictures

from builder.build.inputs import BUNDLED_HTML_TEMPLATE, html_template_path
from builder.config.load import load_config
from builder.errors import ConfigError
from builder.narrative.markdown import Paragraph, Run, to_blocks
from builder.pack.content import Figure, Heading, Table, Text
from builder.render.html import html_page, safe_href

TEMPLATE = ROOT / "templates" / "pack.html.j2"
COVER = {
    "cover": load_config(CONFIG).config.cover,
    "marking": "OFFICIAL",
    "meeting_date": "9 November 2018",
    "report_date": "23 October 2018",
    "area": "",
    "annex": "",
    "version": "1",
    "draft": False,
}


def page_of(elements: list, template: Path = TEMPLATE) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html_page(template, dict(COVER), elements, title="A pack"))


def built_page(built_pack: dict[str, Path]) -> lxml.html.HtmlElement:
    pages = sorted(built_pack["dir"].glob("*.html"))
    assert [p.stem for p in pages] == [built_pack["docx"].stem]
    return lxml.html.fromstring(pages[0].read_bytes())


def test_author_text_is_escaped_and_markdown_becomes_elements():
    narrative = "<script>alert('x')</script> **Robbery** rose, *see* [the plan](https://example.org/plan)."
    page = page_of([Heading("Foreword <b>"), Text(tuple(to_blocks(narrative)))])
    assert not page.xpath("//script") and not page.xpath("//b")
    paragraph = page.xpath("//main//section//p")[0]
    assert paragraph.text_content().startswith("<script>alert('x')</script> Robbery rose")
    assert paragraph.xpath("./strong")[0].text == "Robbery" and paragraph.xpath("./em")[0].text == "see"
    assert paragraph.xpath("./a/@href") == ["https://example.org/plan"]
    assert page.xpath("//h2[@id='foreword-b']")[0].text_content() == "Foreword <b>"


def test_a_link_a_reader_could_not_safely_follow_stays_text():
    runs = (Run("click", link="javascript:alert(1)"), Run(" or "), Run("mail", link="mailto:ppm@example.org"))
    page = page_of([Heading("Links"), Text((Paragraph(runs),))])
    assert page.xpath("//section//p[1]//a/@href") == ["mailto:ppm@example.org"]
    assert "click or mail" in page.xpath("//section//p")[0].text_content()
    assert safe_href("JavaScript:alert(1)") is None and safe_href("data:text/html,x") is None
    assert safe_href("#all-crime-summary") == "#all-crime-summary"


def test_sections_are_h2_linked_from_the_contents_with_unique_ids():
    elements = [Heading("Summary"), Heading("Where?", level=2), Heading("Summary"), Heading("Contents")]
    page = page_of(elements)
    assert len(page.xpath("//h1")) == 1
    ids = page.xpath("//section/h2/@id")
    assert ids == ["summary", "summary-2", "contents-2"]  # 'contents' is the contents list's own id
    assert page.xpath("//nav[@id='contents']//a/@href") == [f"#{i}" for i in ids]
    assert page.xpath("//section/h3/@id") == ["where"]
    assert len(set(page.xpath("//@id"))) == len(page.xpath("//@id"))


def test_a_table_has_caption_header_scopes_total_and_notes():
    table = Table(
        caption="Crimes by NPT",
        columns=("NPT", "Last 12 months"),
        rows=(("North", "1,200"), ("South <x>", "900")),
        numeric=(False, True),
        total=("Total", "2,100"),
        notes=("Last 12 months: October 2017 to September 2018.",),
        description="Crimes by NPT, highest first.",
    )
    found = page_of([Heading("Where"), table]).xpath("//table")[0]
    assert found.xpath("./caption")[0].text_content() == "Crimes by NPT"
    assert found.xpath(".//thead//th/@scope") == ["col", "col"]
    assert found.xpath(".//tbody//th/@scope") == ["row", "row", "row"]
    assert [r.xpath("string(./*[1])") for r in found.xpath(".//tbody/tr")] == ["North", "South <x>", "Total"]
    described = found.get("aria-describedby").split()
    page = found.getroottree()
    assert [page.xpath(f"string(//*[@id='{i}'])").strip() for i in described] == [
        "Crimes by NPT, highest first.",
        "Last 12 months: October 2017 to September 2018.",
    ]


def test_a_chart_is_embedded_with_its_size_and_alt_text(tmp_path: Path):
    chart = _png(tmp_path / "chart.png")
    page = page_of([Heading("Trend"), Figure(chart, "Crimes per month", "Crimes rose from 10 to 20.")])
    image = page.xpath("//figure/img")[0]
    assert image.get("src").startswith("data:image/png;base64,")
    assert image.get("alt") == "Crimes rose from 10 to 20."
    assert int(image.get("width")) > 0 and int(image.get("height")) > 0
    assert page.xpath("string(//figure/figcaption)") == "Crimes per month"


def test_a_broken_template_names_its_file_and_line(tmp_path: Path):
    template = tmp_path / "mine.html.j2"
    template.write_text("<!DOCTYPE html>\n<title>{{ title }}</title>\n<p>{{ cover.nickname }}</p>\n")
    with pytest.raises(ConfigError, match=rf"^{template}:3: HTML template: .*nickname"):
        page_of([], template)
    template.write_text("<!DOCTYPE html>\n{% if %}\n")
    with pytest.raises(ConfigError, match=rf"^{template}:2: HTML template: "):
        page_of([], template)


def test_a_template_cannot_reach_python_internals(tmp_path: Path):
    template = tmp_path / "evil.html.j2"
    template.write_text("{{ cover.__class__.__mro__ }}")
    with pytest.raises(ConfigError, match="HTML template"):
        page_of([], template)


def test_the_config_may_name_its_own_html_template(tmp_path: Path):
    project = tmp_path / "project"
    (project / "config").mkdir(parents=True)
    config = project / "config" / "pack.yaml"
    text = CONFIG.read_text(encoding="utf-8")
    config.write_text(text, encoding="utf-8")
    assert html_template_path(load_config(config)) == BUNDLED_HTML_TEMPLATE
    (project / "templates").mkdir()
    shutil.copyfile(TEMPLATE, project / "templates" / "pack.html.j2")
    assert html_template_path(load_config(config)) == project / "templates" / "pack.html.j2"
    config.write_text(f"html_template: ../brand/pack.html.j2\n{text}", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pack\.yaml:1: html_template: .*does not exist"):
        html_template_path(load_config(config))
    (project / "brand").mkdir()
    shutil.copyfile(TEMPLATE, project / "brand" / "pack.html.j2")
    assert html_template_path(load_config(config)) == (project / "brand" / "pack.html.j2").resolve()


def test_the_built_page_has_what_the_docx_has(built_pack):
    page = built_page(built_pack)
    doc = open_docx(built_pack["docx"])
    assert page.get("lang") == "en-GB"
    assert page.findtext(".//title") == doc.core_properties.title
    assert [h.text_content() for h in page.xpath("//h1")] == ["Staffordshire PolicePublic Performance Meeting"]
    assert page.xpath("//section/h2/text()") == headings(doc)
    assert page.xpath("//section/h3/text()") == headings(doc, level=2)
    assert page.xpath("//nav[@id='contents']//a/text()") == headings(doc)
    assert [t.xpath("string(caption)") for t in page.xpath("//table")] == [t.caption for t in captioned_tables(doc)]
    assert page.xpath("//figure/img/@alt") == [p["descr"] for p in pictures(doc)]
    assert [m.text_content().split()[-1] for m in page.xpath("//*[contains(@class, 'marking')]")] == ["OFFICIAL"] * 2


def test_the_built_page_is_self_contained(built_pack):
    page = built_page(built_pack)
    assert not page.xpath("//script | //link | //iframe | //object | //embed")
    assert all(src.startswith("data:image/png;base64,") for src in page.xpath("//@src"))
    links = page.xpath("//a/@href")
    external = [h for h in links if not h.startswith("#")]
    assert external == [f"{built_pack['docx'].stem}-data.xlsx"]  # the annex, published beside the page
    assert (built_pack["dir"] / external[0]).is_file()
    assert "url(" not in "".join(page.xpath("//style/text()"))


def _png(path: Path) -> Path:
    """A 2 x 1 PNG, written by hand (no chart library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    return path
