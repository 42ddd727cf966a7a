"""Sign-off: a draft says DRAFT on every page of the .docx and the PDF; a final pack does not.

The document-control table follows the cover, and the version and status are in the
document properties of both files.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import CONFIG, run_perfpack
from docx_helpers import body_items, captioned_tables, open_docx
from lxml import etree
from pdf_helpers import page_texts

from builder.config.load import load_config

pytestmark = pytest.mark.slow


def header_texts(docx: Path) -> list[str]:
    """The text of every header part of the .docx, as Word shows it at the top of each page."""
    with zipfile.ZipFile(docx) as package:
        parts = [n for n in package.namelist() if n.startswith("word/header")]
        assert parts, "the pack has headers"
        return [" ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", package.read(n).decode())) for n in parts]


@pytest.fixture(scope="module")
def final_pack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample signed off: ``cover.status: final``, built with its PDF."""
    root = tmp_path_factory.mktemp("final")
    config = root / "config" / "pack.yaml"
    config.parent.mkdir()
    config.write_text(CONFIG.read_text(encoding="utf-8").replace("status: draft ", "status: final "), encoding="utf-8")
    result = run_perfpack("build", "--config", str(config), "--output-dir", str(root / "out"), "--no-check")
    assert result.returncode == 0, result.stderr
    return {"docx": next((root / "out").glob("*.docx")), "pdf": next((root / "out").glob("*.pdf"))}


def test_a_draft_says_draft_on_every_pdf_page(built_pack: dict[str, Path]):
    pages = page_texts(built_pack["pdf"])
    assert len(pages) > 10
    missing = [n for n, text in enumerate(pages, start=1) if text.split()[:1] != ["DRAFT"]]
    assert not missing, f"pages without DRAFT at the top: {missing}"
    assert all("DRAFT" in text for text in header_texts(built_pack["docx"]))


def test_a_final_pack_has_no_draft_marking(final_pack: dict[str, Path]):
    pages = page_texts(final_pack["pdf"])
    assert len(pages) > 10
    assert not [n for n, text in enumerate(pages, start=1) if "DRAFT" in text]
    assert not any("DRAFT" in text for text in header_texts(final_pack["docx"]))
    assert final_pack["docx"].name == "public-performance-pack-2018-11.docx", "file names do not change"
    assert open_docx(final_pack["docx"]).core_properties.content_status == "Final"
    with pikepdf.open(final_pack["pdf"]) as pdf:
        assert str(pdf.docinfo["/Subject"]).endswith("version 1, final")


def test_version_and_status_are_document_properties(built_pack: dict[str, Path]):
    properties = open_docx(built_pack["docx"]).core_properties
    assert (properties.version, properties.content_status) == ("1", "Draft")
    with pikepdf.open(built_pack["pdf"]) as pdf:
        assert str(pdf.docinfo["/Subject"]) == "Public Performance Meeting performance pack, version 1, draft"
        assert str(pdf.docinfo["/Keywords"]) == "Draft"


def test_core_properties_are_in_their_own_namespace_and_dated_by_the_report(built_pack: dict[str, Path]):
    """Read the XML itself, as Word and file browsers do: no property under a namespace nobody reads."""
    core = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    with zipfile.ZipFile(built_pack["docx"]) as package:
        root = etree.fromstring(package.read("docProps/core.xml"))
    named = {etree.QName(child).localname: (etree.QName(child).namespace, child.text) for child in root}
    assert named["keywords"] == (core, "Draft")
    assert named["version"] == (core, "1")
    assert named["contentStatus"] == (core, "Draft")
    assert all(
        ns != "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" for ns, _ in named.values()
    )
    config = load_config(CONFIG).config
    assert named["created"][1] == f"{config.cover.report_date:%Y-%m-%d}T00:00:00Z"
    assert "python-docx" not in (named["description"][1] or "")


def test_document_control_follows_the_cover(built_pack: dict[str, Path]):
    doc = open_docx(built_pack["docx"])
    control = next(t for t in captioned_tables(doc) if t.caption == "Document control")
    assert control.rows == [
        ["Version", "Date", "Author", "Change"],
        ["1", "23 October 2018", "Service Development Unit", "First draft for the November 2018 meeting"],
    ]
    items = body_items(doc)
    contents = next(i for i, item in enumerate(items) if getattr(item, "text", "") == "Contents")
    assert items.index(next(i for i in items if getattr(i, "_tbl", None) is control.table._tbl)) < contents
    first_page = page_texts(built_pack["pdf"])[0]
    assert "Document control" in first_page and "23 October 2018" in first_page
