"""Regenerate templates/pack.docx, the Word template the pack is rendered into.

The committed template is the source of truth: authors restyle the pack by editing
its styles in Word. This script exists so developers can rebuild it from scratch
(for example after a python-docx upgrade); running it overwrites Word edits.

Usage: python scripts/make_template.py [OUTPUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Arial"
DARK_BLUE = RGBColor(0x12, 0x43, 0x6D)
TEXT = RGBColor(0x0B, 0x0C, 0x0C)


def main(out: Path) -> None:
    """Build the template and save it."""
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _settings(doc)
    _cover(doc)
    _contents(doc)
    doc.add_paragraph("{{p body }}")
    _header_footer(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    print(f"wrote {out}")


def _page_setup(doc: Document) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.0)


def _styles(doc: Document) -> None:
    """Fonts, sizes and colours with enough contrast; en-GB as the document language."""
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = FONT, Pt(11), TEXT
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15
    _language(doc)
    for name, size, before, page_break in (
        ("Heading 1", 18, 0, True),
        ("Heading 2", 14, 14, False),
        ("Heading 3", 12, 10, False),
    ):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.color.rgb = DARK_BLUE
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(8)
        style.paragraph_format.page_break_before = page_break
        style.paragraph_format.keep_with_next = True
        _font_everywhere(style)
    for name, size in (("Title", 30), ("Subtitle", 20)):
        style = styles[name]
        style.font.name, style.font.size, style.font.color.rgb = FONT, Pt(size), DARK_BLUE
        style.font.bold = name == "Title"
        _font_everywhere(style)
    caption = styles["Caption"]
    caption.font.name, caption.font.size, caption.font.italic = FONT, Pt(10), False
    caption.font.bold, caption.font.color.rgb = True, TEXT
    caption.paragraph_format.keep_with_next = True
    toc_heading = styles["TOC Heading"]
    toc_heading.font.name, toc_heading.font.size, toc_heading.font.color.rgb = FONT, Pt(18), DARK_BLUE
    toc_heading.paragraph_format.page_break_before = True
    _remove_outline_level(toc_heading)
    marking = styles.add_style("Protective Marking", WD_STYLE_TYPE.PARAGRAPH)
    marking.base_style = normal
    marking.font.bold, marking.font.size = True, Pt(11)
    marking.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking.paragraph_format.space_after = Pt(0)
    note = styles.add_style("Table Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(10)
    note.paragraph_format.space_before = Pt(6)  # clear of the table above it
    note.element.get_or_add_pPr().append(OxmlElement("w:contextualSpacing"))  # notes together, as one block
    cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(10)
    cell.paragraph_format.space_after = Pt(0)
    cell.paragraph_format.line_spacing = 1.0
    for name in ("List Bullet", "List Number"):
        styles[name].font.name = FONT


def _font_everywhere(style) -> None:  # a python-docx style
    """Set the East Asian and complex-script fonts too, so Word does not substitute."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _remove_outline_level(style) -> None:
    """The contents heading must not list itself in the contents or the bookmarks.

    'TOC Heading' is based on 'Heading 1' and inherits its outline level, so the level
    is set explicitly to body text (9) rather than merely left out.
    """
    ppr = style.element.get_or_add_pPr()
    for level in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(level)
    body_text = OxmlElement("w:outlineLvl")
    body_text.set(qn("w:val"), "9")
    ppr.append(body_text)


def _language(doc: Document) -> None:
    """Document default language en-GB: spell-checking in Word and /Lang in the PDF."""
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), "en-GB")
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)


def _settings(doc: Document) -> None:
    """Ask Word to refresh fields (the contents) when the pack is opened."""
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _cover(doc: Document) -> None:
    doc.add_paragraph("{{ cover.force | upper }}", style="Title")
    doc.add_paragraph("{{ cover.title }}", style="Subtitle")
    doc.add_paragraph("{%p if area %}")
    doc.add_paragraph("{{ area }}", style="Subtitle")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{ meeting_date }}", style="Subtitle")
    doc.add_paragraph("{{ cover.unit }}")
    for label, value in (
        ("Date", "{{ report_date }}"),
        ("Version", "{{ cover.version }}"),
        ("Owner", "{{ cover.owner }}"),
        ("Authors", "{{ cover.authors }}"),
        ("Protective Marking", "{{ cover.protective_marking }}"),
        ("Transparency", "{{ cover.transparency }}"),
    ):
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)


def _contents(doc: Document) -> None:
    doc.add_paragraph("Contents", style="TOC Heading")
    paragraph = doc.add_paragraph()
    _field(paragraph, 'TOC \\o "1-1" \\h \\z \\u', "The contents are filled in when the pack is built.")


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """Append a complex field (begin, instruction, separate, result, end) marked dirty."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        run._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _header_footer(doc: Document) -> None:
    """The protective marking centred at the top and bottom of every page, and page X of Y."""
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.text = "{{ marking }}"
    header.style = doc.styles["Protective Marking"]
    footer = section.footer
    page = footer.paragraphs[0]
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page.paragraph_format.space_after = Pt(0)
    page.add_run("Page ")
    _field(page, "PAGE", "1")
    page.add_run(" of ")
    _field(page, "NUMPAGES", "1")
    marking = footer.add_paragraph("{{ marking }}", style="Protective Marking")
    marking.paragraph_format.space_before = Pt(4)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "templates" / "pack.docx")
