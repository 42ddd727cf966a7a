"""Write the pack into the Word template: the only module that touches docxtpl and python-docx.

The template owns the look (styles, cover, header and footer, contents field); this
module fills its placeholders and inserts the body as a sub-document built with the
template's own styles, so restyling the template in Word restyles the whole pack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docxtpl import DocxTemplate

from builder.narrative.markdown import ListBlock, Paragraph, Run
from builder.pack.content import Element, Figure, Heading, Table, Text

HEADER_FILL = "D9E2EC"
TEXT_WIDTH_CM = 16.6
NUMBER_COLUMN_CM = 2.2


def render_docx(template: Path, out: Path, context: dict[str, Any], elements: list[Element],
                *, title: str, language: str = "en-GB") -> Path:
    """Render the template with the cover context and the body elements, and save to ``out``."""
    tpl = DocxTemplate(str(template))
    body = tpl.new_subdoc()
    writer = _BodyWriter(body)
    for element in elements:
        writer.add(element)
    tpl.render({**context, "body": body}, autoescape=True)
    props = tpl.docx.core_properties
    props.title, props.language, props.subject = title, language, context.get("subject", "")
    props.author = context.get("author", "")
    tpl.save(str(out))
    return out


class _BodyWriter:
    """Appends content elements to a python-docx document using the template's styles."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._list_number_num: str | None = None

    def add(self, element: Element) -> None:
        """Add one element of any kind."""
        if isinstance(element, Heading):
            self.doc.add_paragraph(element.text, style=f"Heading {element.level}")
        elif isinstance(element, Text):
            for block in element.blocks:
                self._block(block)
        elif isinstance(element, Table):
            self._table(element)
        elif isinstance(element, Figure):
            self._figure(element)

    def _block(self, block: Paragraph | ListBlock) -> None:
        if isinstance(block, Paragraph):
            self._runs(self.doc.add_paragraph(), block.runs)
            return
        style = "List Number" if block.ordered else "List Bullet"
        num_id = self._restarted_numbering() if block.ordered else None
        for item in block.items:
            paragraph = self.doc.add_paragraph(style=style)
            if num_id is not None:
                _set_num(paragraph, num_id)
            self._runs(paragraph, item.runs)

    def _runs(self, paragraph: DocxParagraph, runs: tuple[Run, ...]) -> None:
        for run in runs:
            if run.link:
                _hyperlink(paragraph, run)
                continue
            added = paragraph.add_run(run.text)
            added.bold, added.italic = run.bold or None, run.italic or None

    def _restarted_numbering(self) -> str:
        """A new numbering instance of the List Number style, so every list starts at 1."""
        numbering = self.doc.part.numbering_part.element
        style_num = self.doc.styles["List Number"].element.pPr.numPr.numId.val
        abstract = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(style_num))
        abstract_id = abstract.find(qn("w:abstractNumId")).get(qn("w:val"))
        ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(max(ids) + 1))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), abstract_id)
        num.append(ref)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(override)
        numbering.append(num)
        return str(max(ids) + 1)

    def _table(self, spec: Table) -> None:
        caption = self.doc.add_paragraph(spec.caption, style="Caption")
        caption.paragraph_format.keep_with_next = True
        rows = [spec.columns, *spec.rows, *([spec.total] if spec.total else [])]
        table = self.doc.add_table(rows=len(rows), cols=len(spec.columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _describe_table(table, spec.caption, spec.description)
        _column_widths(table, spec.numeric)
        cell_style = self.doc.styles["Table Text"].style_id
        for r, (values, row) in enumerate(zip(rows, table.rows)):
            emphasis = r == 0 or (spec.total is not None and r == len(rows) - 1)
            for c, (value, cell) in enumerate(zip(values, row.cells)):
                paragraph = cell.paragraphs[0]
                paragraph._p.style = cell_style  # by id: python-docx's name lookup is slow per cell
                paragraph.add_run(value).bold = emphasis or None
                if spec.numeric[c] and r > 0:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if r == 0:
                    _shade(cell, HEADER_FILL)
            _row_properties(row, header=r == 0)
        for note in spec.notes:
            self.doc.add_paragraph(note, style="Table Note")

    def _figure(self, spec: Figure) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        shape = paragraph.add_run().add_picture(str(spec.path), width=Cm(spec.width_cm))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", spec.alt)  # no docPr title: LibreOffice would prefix it to the PDF's /Alt
        doc_pr.set("name", f"Chart: {spec.title}"[:200])
        self.doc.add_paragraph(spec.title, style="Caption")


def _column_widths(table: DocxTable, numeric: tuple[bool, ...]) -> None:
    """Narrow number columns and wide label columns, so labels do not wrap word by word."""
    number_width = NUMBER_COLUMN_CM
    text_columns = max(1, numeric.count(False))
    text_width = max(2.0, (TEXT_WIDTH_CM - number_width * numeric.count(True)) / text_columns)
    table.autofit = False
    for index, is_number in enumerate(numeric):
        width = Cm(number_width if is_number else text_width)
        table.columns[index].width = width
        for cell in table.columns[index].cells:
            cell.width = width


def _set_num(paragraph: DocxParagraph, num_id: str) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = int(num_id)


def _hyperlink(paragraph: DocxParagraph, run: Run) -> None:
    """An external hyperlink run, styled as a link so it is seen as one."""
    r_id = paragraph.part.relate_to(run.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    new_run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    rpr.append(style)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.append(underline)
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1D5C99")
    rpr.append(colour)
    new_run.append(rpr)
    text = OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = run.text
    new_run.append(text)
    link.append(new_run)
    paragraph._p.append(link)


def _describe_table(table: DocxTable, caption: str, description: str) -> None:
    """Table title and description: the alt text of a table for screen readers."""
    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        tbl_pr.append(element)


def _row_properties(row: Any, *, header: bool) -> None:
    """Rows never split across pages; the header row repeats on each page."""
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)
    if header:
        repeat = OxmlElement("w:tblHeader")
        tr_pr.append(repeat)


def _shade(cell: Any, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)

