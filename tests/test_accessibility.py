"""The sample pack passes the accessibility checker; each rule catches its fault in a broken copy.

The pack is built once for this module through the real command (bundled sample data,
with the PDF). Every broken copy changes one thing, and the test asserts that exactly
the rule responsible for that thing complains, so a rule that fires for the wrong
reason fails too.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from a11y_helpers import (
    DC,
    WP,
    add_link,
    add_relationship,
    add_run,
    body_paragraphs,
    build_sample_pack,
    edit_docx,
    edit_pdf,
    first_plain_paragraph,
    struct_elements,
    w,
    without_pdf,
)
from lxml import etree

from builder.check import PackReport, check_pack

DOC, STYLES, CORE, RELS = "word/document.xml", "word/styles.xml", "docProps/core.xml", "word/_rels/document.xml.rels"
DOCX_RULES = {
    "title",
    "language",
    "headings",
    "alt-text",
    "chart-text",
    "table-header-row",
    "table-cells",
    "table-title",
    "text-size",
    "text-contrast",
    "link-text",
    "chart-colours",
}
PDF_RULES = {"pdf-tagged", "pdf-language", "pdf-title", "pdf-bookmarks", "pdf-figure-alt", "pdf-table-headers"}
HTML_RULES = {
    "html-language",
    "html-title",
    "html-headings",
    "html-alt-text",
    "html-tables",
    "html-links",
    "html-self-contained",
    "html-contrast",
}
"""The web page's rules (tests/test_check_html.py breaks each one), run because the page is beside the .docx."""


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample pack, built once for this module by `perfpack build`."""
    return build_sample_pack(tmp_path_factory.mktemp("a11y-pack"))


@pytest.fixture(scope="module")
def report(pack: dict[str, Path]) -> PackReport:
    return check_pack(pack["docx"])


# ------------------------------------------------------------------ the sample pack passes


def test_sample_pack_passes_every_rule(report: PackReport) -> None:
    assert report.problems == [], report.format()
    assert report.ok
    assert {r.rule for r in report.results} == DOCX_RULES | PDF_RULES | HTML_RULES
    assert report.notes == []


def test_pdf_and_web_page_beside_the_docx_are_found(pack: dict[str, Path], report: PackReport) -> None:
    assert report.pdf == pack["pdf"]
    assert report.html == pack["docx"].with_suffix(".html")


def test_report_is_short_and_ends_with_a_summary(report: PackReport) -> None:
    lines = report.format().splitlines()
    assert len(lines) == len(report.results) + 2
    assert lines[-1].startswith("Passed:")
    assert all(" ok " in line for line in lines[1:-1])
    assert "15 pictures" in report.format() and "15 tables" in report.format()  # 14 and document control


def test_report_as_dict_lists_every_rule(report: PackReport) -> None:
    data = report.as_dict()
    assert data["ok"] is True and {r["rule"] for r in data["rules"]} == DOCX_RULES | PDF_RULES | HTML_RULES


# ------------------------------------------------------------------ broken .docx copies


def _strip_alt(root: etree._Element) -> None:
    for doc_pr in root.iter(f"{{{WP}}}docPr"):
        doc_pr.attrib.pop("descr", None)


def _alt(value: str) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        next(root.iter(f"{{{WP}}}docPr")).set("descr", value)

    return edit


def _no_header_rows(root: etree._Element) -> None:
    for header in list(root.iter(w("tblHeader"))):
        header.getparent().remove(header)


def _data_table(root: etree._Element) -> etree._Element:
    """The first table with at least three rows (the document-control table before it may have two)."""
    return next(t for t in root.iter(w("tbl")) if len(t.findall(w("tr"))) >= 3)


def _second_row(root: etree._Element) -> etree._Element:
    return _data_table(root).findall(w("tr"))[1]


def _merge_across(root: etree._Element) -> None:
    first, second = _second_row(root).findall(w("tc"))[:2]
    etree.SubElement(first.find(w("tcPr")), w("gridSpan")).set(w("val"), "2")
    second.getparent().remove(second)


def _merge_down(root: etree._Element) -> None:
    rows = _data_table(root).findall(w("tr"))
    etree.SubElement(rows[1].find(w("tc")).find(w("tcPr")), w("vMerge")).set(w("val"), "restart")
    etree.SubElement(rows[2].find(w("tc")).find(w("tcPr")), w("vMerge"))


def _split_cell(root: etree._Element) -> None:
    row = _second_row(root)
    row.append(etree.fromstring(etree.tostring(row.findall(w("tc"))[-1])))


def _tiny_run(root: etree._Element) -> None:
    add_run(first_plain_paragraph(root), " Small print.", sz="12")


def _small_style(root: etree._Element) -> None:
    style = next(s for s in root.iter(w("style")) if s.get(w("styleId")) == "TableText")
    style.find(f"{w('rPr')}/{w('sz')}").set(w("val"), "14")


def _light_grey_text(root: etree._Element) -> None:
    add_run(first_plain_paragraph(root), " Hard to read.", color="CCCCCC")


def _pale_marking(root: etree._Element) -> None:
    style = next(s for s in root.iter(w("style")) if s.get(w("styleId")) == "ProtectiveMarking")
    etree.SubElement(style.find(w("rPr")), w("color")).set(w("val"), "AAAAAA")


def _dark_header_fill(root: etree._Element) -> None:
    header = next(root.iter(w("tbl"))).find(w("tr"))
    for shading in header.iter(w("shd")):
        shading.set(w("fill"), "12436D")


def _no_title(root: etree._Element) -> None:
    title = root.find(f"{{{DC}}}title")
    title.getparent().remove(title)


def _skip_heading_level(root: etree._Element) -> None:
    body_paragraphs(root, "Heading2")[0].find(f"{w('pPr')}/{w('pStyle')}").set(w("val"), "Heading3")


def _bold_fake_heading(root: etree._Element) -> None:
    paragraph = first_plain_paragraph(root)
    new = etree.Element(w("p"))
    add_run(new, "Crime in numbers", b="1")
    paragraph.addprevious(new)


def _american_english(root: etree._Element) -> None:
    default = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
    default.set(w("val"), "en-US")


def _french_run(root: etree._Element) -> None:
    add_run(first_plain_paragraph(root), " Bonjour.", lang="fr-FR")


def _no_table_title(root: etree._Element) -> None:
    caption = next(root.iter(w("tblCaption")))
    caption.getparent().remove(caption)


def _link(text: str) -> dict[str, Callable[[etree._Element], None]]:
    return {
        DOC: lambda root: add_link(first_plain_paragraph(root), text, "rIdA11y"),
        RELS: lambda root: add_relationship(root, "rIdA11y", "https://www.staffordshire.police.uk/"),
    }


BROKEN_DOCX = {
    "no alt text": ({DOC: _strip_alt}, "alt-text", "no alt text"),
    "file name as alt text": ({DOC: _alt("image1.png")}, "alt-text", "file name"),
    "placeholder alt text": ({DOC: _alt("Picture 1")}, "alt-text", "placeholder name"),
    "three-word alt text": ({DOC: _alt("Crime by type")}, "alt-text", "too short"),
    "no header rows": ({DOC: _no_header_rows}, "table-header-row", "not marked as a header row"),
    "cells merged across": ({DOC: _merge_across}, "table-cells", "merged cells across columns in row 2"),
    "cells merged down": ({DOC: _merge_down}, "table-cells", "merged cells down rows in rows 2, 3"),
    "split cell": ({DOC: _split_cell}, "table-cells", "split or missing cells in row 2"),
    "no table title": ({DOC: _no_table_title}, "table-title", "no title"),
    "6pt run": ({DOC: _tiny_run}, "text-size", "text is 6pt"),
    "7pt table style": ({STYLES: _small_style}, "text-size", "text is 7pt"),
    "light grey text": ({DOC: _light_grey_text}, "text-contrast", "#CCCCCC on white"),
    "pale protective marking": ({STYLES: _pale_marking}, "text-contrast", "#AAAAAA on white"),
    "dark header shading": ({DOC: _dark_header_fill}, "text-contrast", "cell shading #12436D"),
    "click here link": (_link("click here"), "link-text", "does not say where"),
    "bare web address link": (_link("https://www.staffordshire.police.uk/"), "link-text", "bare web address"),
    "no core title": ({CORE: _no_title}, "title", "no title"),
    "skipped heading level": ({DOC: _skip_heading_level}, "headings", "Heading 3 follows Heading 1"),
    "bold text as a heading": ({DOC: _bold_fake_heading}, "headings", "looks like a heading"),
    "wrong default language": ({STYLES: _american_english}, "language", "en-US, not en-GB"),
    "run in another language": ({DOC: _french_run}, "language", "fr-FR"),
}


@pytest.mark.parametrize("case", BROKEN_DOCX, ids=list(BROKEN_DOCX))
def test_each_docx_rule_catches_its_fault(pack: dict[str, Path], tmp_path: Path, case: str) -> None:
    edits, rule, message = BROKEN_DOCX[case]
    broken = edit_docx(pack["docx"], tmp_path / "broken.docx", edits)
    report = check_pack(broken)
    assert {p.rule for p in report.problems} == {rule}, report.format()
    assert any(message in p.message for p in report.problems), report.format()
    assert not report.ok and report.format().splitlines()[-1].startswith("Failed:")


def test_every_picture_without_alt_text_is_named(pack: dict[str, Path], tmp_path: Path) -> None:
    report = check_pack(edit_docx(pack["docx"], tmp_path / "broken.docx", {DOC: _strip_alt}))
    assert len(report.problems_for("alt-text")) == 15
    assert all("picture" in p.where for p in report.problems)


def test_a_small_style_is_one_problem_naming_the_style(pack: dict[str, Path], tmp_path: Path) -> None:
    report = check_pack(edit_docx(pack["docx"], tmp_path / "broken.docx", {STYLES: _small_style}))
    assert [p.where for p in report.problems] == ["style 'Table Text'"]


def test_stripped_pack_report_names_alt_text_and_header_rows(pack: dict[str, Path], tmp_path: Path) -> None:
    """The issue's acceptance: a copy stripped of both fails, naming both."""
    broken = edit_docx(pack["docx"], tmp_path / "stripped.docx", {DOC: lambda r: (_strip_alt(r), _no_header_rows(r))})
    text = check_pack(broken, pack["pdf"]).format()
    assert "FAIL  alt-text" in text and "FAIL  table-header-row" in text
    assert text.splitlines()[-1] == "Failed: 30 problems (alt-text, table-header-row); 18 rules checked."
    assert "[alt-text] … and 3 more" in text and "[table-header-row] … and 3 more" in text


def test_a_chart_colour_under_3_to_1_is_caught(pack: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from builder.charts import palette

    monkeypatch.setattr(palette, "PALETTE", (*palette.PALETTE, "#BBBBBB"))
    problems = check_pack(pack["docx"], pack["pdf"]).problems
    assert [(p.rule, p.where) for p in problems] == [("chart-colours", "builder.charts.palette.PALETTE[6]")]


def test_the_checker_does_not_import_matplotlib() -> None:
    """The check runs after every build; a matplotlib import would add a second to each one."""
    code = "import sys, builder.check; builder.check.pack.check_chart_colours(); print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------ broken PDF copies


def _drop(*keys: str) -> Callable[[pikepdf.Pdf], None]:
    def edit(pdf: pikepdf.Pdf) -> None:
        for key in keys:
            del pdf.Root[key]

    return edit


def _american_lang(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Lang = pikepdf.String("en-US")


def _no_display_title(pdf: pikepdf.Pdf) -> None:
    pdf.Root.ViewerPreferences.DisplayDocTitle = False


def _no_figure_alt(pdf: pikepdf.Pdf) -> None:
    del struct_elements(pdf, "/Figure")[0].Alt


def _no_th(pdf: pikepdf.Pdf) -> None:
    for cell in struct_elements(pdf, "/TH"):
        cell.S = pikepdf.Name("/TD")


BROKEN_PDF = {
    "no MarkInfo": (_drop("/MarkInfo"), "pdf-tagged", "not marked as tagged"),
    "no structure tree": (_drop("/StructTreeRoot"), "pdf-tagged", "no structure tree"),
    "no Lang": (_drop("/Lang"), "pdf-language", "no document language"),
    "American Lang": (_american_lang, "pdf-language", "en-US, not en-GB"),
    "no outlines": (_drop("/Outlines"), "pdf-bookmarks", "no bookmarks"),
    "title not shown": (_no_display_title, "pdf-title", "DisplayDocTitle"),
    "figure without Alt": (_no_figure_alt, "pdf-figure-alt", "no /Alt"),
    "table without TH": (_no_th, "pdf-table-headers", "no header cells"),
}


@pytest.mark.parametrize("case", BROKEN_PDF, ids=list(BROKEN_PDF))
def test_each_pdf_rule_catches_its_fault(pack: dict[str, Path], tmp_path: Path, case: str) -> None:
    edit, rule, message = BROKEN_PDF[case]
    broken = edit_pdf(pack["pdf"], tmp_path / "broken.pdf", edit)
    report = check_pack(pack["docx"], broken)
    rules = {p.rule for p in report.problems}
    # Without a structure tree there are no figures or tables to find either: those rules say so too.
    assert rule in rules and (rules == {rule} or case == "no structure tree"), report.format()
    assert any(message in p.message for p in report.problems_for(rule)), report.format()


def test_missing_bookmark_for_a_section_is_named(pack: dict[str, Path], tmp_path: Path) -> None:
    def drop_last(pdf: pikepdf.Pdf) -> None:
        outlines = pdf.Root.Outlines
        last = outlines.Last
        previous = last.Prev
        del previous.Next
        outlines.Last = previous

    report = check_pack(pack["docx"], edit_pdf(pack["pdf"], tmp_path / "broken.pdf", drop_last))
    assert [p.message for p in report.problems] == ["no bookmark for the section 'Drug Offences'"]


# ------------------------------------------------------------------ unreadable files give a report


def test_garbage_docx_gives_a_report_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "pack.docx"
    broken.write_bytes(b"this is not a Word document")
    report = check_pack(broken)
    assert not report.ok
    assert report.problems[0].rule == "docx-open" and "cannot open pack.docx" in report.problems[0].message
    assert report.format().splitlines()[-1].startswith("Failed:")


def test_zip_without_a_document_gives_a_report(tmp_path: Path) -> None:
    broken = tmp_path / "pack.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "no main document part" in check_pack(broken).problems[0].message


def test_damaged_xml_part_gives_a_report(pack: dict[str, Path], tmp_path: Path) -> None:
    broken = edit_docx(pack["docx"], tmp_path / "broken.docx", {}, extra={DOC: b"<w:document"})
    problem = check_pack(broken).problems[0]
    assert problem.rule == "docx-open" and "word/document.xml is damaged" in problem.message


def test_missing_docx_gives_a_report(tmp_path: Path) -> None:
    report = check_pack(tmp_path / "nowhere.docx")
    assert [p.rule for p in report.problems] == ["docx-open"]
    assert "no such file" in report.problems[0].message


def test_truncated_pdf_gives_a_report(pack: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(pack["pdf"].read_bytes()[:2000])
    report = check_pack(pack["docx"], broken)
    assert [p.rule for p in report.problems] == ["pdf-open"], report.format()


def test_docx_without_pdf_is_checked_alone_with_a_note(pack: dict[str, Path], tmp_path: Path) -> None:
    report = check_pack(without_pdf(pack["docx"], tmp_path / "alone"))
    assert report.ok and report.pdf is None
    assert report.notes and "checked the .docx only" in report.notes[0]
    assert not {r.rule for r in report.results} & PDF_RULES
