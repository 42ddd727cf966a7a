"""Write the pack into the Word template: the only module that touches docxtpl and python-docx.

The template owns the look (styles, cover, header and footer, contents field); this
module has its placeholders filled (in the sandbox, by ``render.template``), then writes the body with the template's own styles
where the template's ``{{p body }}`` paragraph was, so restyling the template in Word
restyles the whole pack. The template is rendered before the body is written, not
with it as a docxtpl sub-document: a sub-document is turned into text, run through
docxtpl's regular expressions and parsed back, which for a whole pack cost more than
writing it, and had to wait for the last chart.

python-docx's proxies are slow per call (a style looked up by name scans every style;
``row.cells`` lays out the whole grid), so the body is written with them only where a
call is made a few times per pack; table cells and text runs, made by the thousand,
are written as plain lxml elements of exactly the same shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml.etree import SubElement, _Element

from builder.narrative.markdown import ListBlock, Paragraph, Run
from builder.pack.content import Element, Figure, Heading, Table, Text
from builder.render.contents import ENTRY_STYLE, Entry, bookmark_heading, write_entries
from builder.render.template import body_anchor, fill_template

HEADER_FILL = "D9E2EC"
KEEP_TOGETHER_ROWS = 16
"""Tables of up to this many rows (header included, about a third of a page) never split over a
page: each row is kept with the next, the last with the notes under it. Longer tables may
split, and repeat their header row on each page."""
KEEP_AT_EDGES = 3
"""Body rows a long table keeps together at its start and at its end, so a page break never
leaves its header with one or two rows at the foot of a page, or its last row (the total)
alone on the next, as widow and orphan control does for lines of text."""
TEXT_WIDTH_CM = 16.6
NUMBER_COLUMN_CM = 2.2
# Clark names of the elements written per cell and per run, resolved once: qn() per element is measurable.
W_VAL, W_W = qn("w:val"), qn("w:w")
TR, TR_PR, CANT_SPLIT, TBL_HEADER = qn("w:tr"), qn("w:trPr"), qn("w:cantSplit"), qn("w:tblHeader")
KEEP_NEXT = qn("w:keepNext")
TC, TC_PR, TC_W, SHD, GRID_COL = qn("w:tc"), qn("w:tcPr"), qn("w:tcW"), qn("w:shd"), qn("w:gridCol")
P, P_PR, P_STYLE, JC = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:jc")
R, R_PR, BOLD, ITALIC, T, XML_SPACE = qn("w:r"), qn("w:rPr"), qn("w:b"), qn("w:i"), qn("w:t"), qn("xml:space")
RUN_BREAKS = frozenset("\t\r\n")


def render_docx(
    template: Path,
    out: Path,
    context: dict[str, Any],
    elements: Iterable[Element],
    *,
    title: str,
    language: str = "en-GB",
    front: Iterable[Element] = (),
) -> Path:
    """Render the template with the cover context, write the body elements into it, and save to ``out``.

    ``elements`` is read once, in order, so it may be a generator that waits for each
    chart to be drawn just before the chart is needed. ``front`` (the document-control
    table) is written after the cover, before the contents heading.
    """
    tpl = fill_template(template, context)
    document = tpl.docx
    body = body_anchor(document, template)
    if front:
        contents = _contents_anchor(document)
        front_writer = _BodyWriter(document, body if contents is None else contents)
        for element in front:
            front_writer.add(element)
    if context.get("draft"):
        from builder.render.marking import mark_draft

        mark_draft(document)
    writer = _BodyWriter(document, body)
    for element in elements:
        writer.add(element)
    writer.finish()
    _set_properties(document, context, title=title, language=language)
    tpl.save(str(out))
    return out


CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"


def _set_properties(document: Any, context: dict[str, Any], *, title: str, language: str) -> None:
    """The document's properties: title, subject, author, language, version, status, keywords, dates.

    The ``cp:`` ones (keywords, version, status) are written by their full names: docxtpl's
    docxcompose rebinds python-docx's ``cp`` prefix to the custom-properties namespace on
    import, so python-docx's own setters would write them where no reader looks. Created and
    modified are the report's date, so the same inputs give the same file; python-docx's
    template would otherwise say 2013 and "generated by python-docx".
    """
    props = document.core_properties
    props.title, props.language, props.subject = title, language, context.get("subject", "")
    props.author = context.get("author", "")
    issued = context.get("issued")
    if isinstance(issued, dt.date):
        props.created = props.modified = dt.datetime(issued.year, issued.month, issued.day)
    element = props._element
    _core_text(element, f"{{{DC}}}description", context.get("subject", ""))
    _core_text(element, f"{{{CORE}}}lastModifiedBy", context.get("author", ""))
    _core_text(element, f"{{{CORE}}}version", str(context.get("version", "")))
    _core_text(element, f"{{{CORE}}}contentStatus", str(context.get("status", "")))
    _core_text(element, f"{{{CORE}}}keywords", str(context.get("keywords", "")))  # the PDF shows these


def _core_text(properties: _Element, name: str, text: str) -> None:
    """Set one core property by its full name, replacing any copies (and any under the wrong namespace)."""
    local = name.rpartition("}")[2]
    for old in [c for c in properties if isinstance(c.tag, str) and c.tag.rpartition("}")[2] == local]:
        properties.remove(old)
    SubElement(properties, name).text = text


def _contents_anchor(document: Any) -> _Element | None:
    """The contents heading (style 'TOC Heading'), before which the front matter goes; None without one."""
    style_id = document.part.get_style_id("TOC Heading", WD_STYLE_TYPE.PARAGRAPH)
    for p in document.element.body.iterchildren(P):
        p_style = p.find(f"{P_PR}/{P_STYLE}")
        if p_style is not None and p_style.get(W_VAL) == style_id:
            return p
    return None


class _BodyWriter:
    """Writes content elements into a python-docx document, before ``anchor``, using the template's styles."""

    def __init__(self, doc: Any, anchor: _Element) -> None:
        self.doc = doc
        self._list_number_num: str | None = None
        self._style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        self._anchor = anchor
        self._sections: list[Entry] = []

    def finish(self) -> None:
        """Remove the anchor paragraph (the body now stands in its place) and list the sections in the contents."""
        self._anchor.getparent().remove(self._anchor)
        write_entries(self.doc.element.body, self._sections, self._entry_style(), self._text_width())

    def add(self, element: Element) -> None:
        """Add one element of any kind."""
        if isinstance(element, Heading):
            heading = self._paragraph(f"Heading {element.level}", element.text)
            if element.level == 1:
                number = len(self._sections) + 1
                self._sections.append(Entry(element.text, bookmark_heading(heading._p, number)))
        elif isinstance(element, Text):
            for block in element.blocks:
                self._block(block)
        elif isinstance(element, Table):
            self._table(element)
        elif isinstance(element, Figure):
            self._figure(element)

    def _style_id(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> str | None:
        """The id python-docx would write for the style ``name``, looked up once per document.

        None for the default style of its kind, which python-docx leaves implicit.
        """
        key = (name, kind)
        if key not in self._style_ids:
            self._style_ids[key] = self.doc.part.get_style_id(name, kind)
        return self._style_ids[key]

    def _entry_style(self) -> str | None:
        """The template's style for contents entries, if it has one (a restyled template may not)."""
        try:
            return str(self.doc.styles[ENTRY_STYLE].style_id)
        except KeyError:
            return None

    def _text_width(self) -> int:
        """Twips between the margins of the body's page: where the contents' page numbers end."""
        section = self.doc.sections[-1]
        return int(Emu(section.page_width - section.left_margin - section.right_margin).twips)

    @cached_property
    def _cell_style(self) -> str:
        """The id of the Table Text style, set on every cell's paragraph even if it were the default."""
        return self.doc.styles["Table Text"].style_id

    def _paragraph(self, style: str | None = None, text: str = "") -> DocxParagraph:
        """A new body paragraph, as ``doc.add_paragraph(text, style=style)`` writes it.

        Built directly, before the anchor, with the style id cached.
        A style that is the default still gets its (empty) ``w:pPr``, as python-docx leaves one.
        """
        p = self._anchor.makeelement(P)
        self._anchor.addprevious(p)
        if style is not None:
            p_pr = SubElement(p, P_PR)
            style_id = self._style_id(style)
            if style_id is not None:
                SubElement(p_pr, P_STYLE).set(W_VAL, style_id)
        if text:
            _add_run(p, text, formatted=False)
        return DocxParagraph(p, self.doc)

    def _block(self, block: Paragraph | ListBlock) -> None:
        if isinstance(block, Paragraph):
            self._runs(self._paragraph(), block.runs)
            return
        style = "List Number" if block.ordered else "List Bullet"
        num_id = self._restarted_numbering() if block.ordered else None
        for item in block.items:
            paragraph = self._paragraph(style)
            if num_id is not None:
                _set_num(paragraph, num_id)
            self._runs(paragraph, item.runs)

    def _runs(self, paragraph: DocxParagraph, runs: tuple[Run, ...]) -> None:
        for run in runs:
            if run.link:
                _hyperlink(paragraph, run)
                continue
            _add_run(paragraph._p, run.text, bold=run.bold, italic=run.italic)

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
        caption = self._paragraph("Caption", spec.caption)
        caption.paragraph_format.keep_with_next = True
        rows = [spec.columns, *spec.rows, *([spec.total] if spec.total else [])]
        table = self.doc.add_table(rows=len(rows), cols=len(spec.columns))
        self._anchor.addprevious(table._tbl)  # add_table appends at the end of the document
        table._tbl.tblStyle_val = self._style_id("Table Grid", WD_STYLE_TYPE.TABLE)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _describe_table(table, spec.caption, spec.description)
        widths = _column_widths(table, spec.numeric)
        for r, (values, tr) in enumerate(zip(rows, table._tbl.iterchildren(TR))):
            emphasis = r == 0 or (spec.total is not None and r == len(rows) - 1)
            for c, (value, tc) in enumerate(zip(values, tr.iterchildren(TC))):
                _fill_cell(
                    tc,
                    value,
                    style_id=self._cell_style,
                    width=widths[c],
                    bold=emphasis,
                    right=spec.numeric[c] and r > 0,
                    fill=HEADER_FILL if r == 0 else None,
                    keep_next=keeps_with_next(r, len(rows), notes=bool(spec.notes)),
                )
            _row_properties(tr, header=r == 0)
        for number, note in enumerate(spec.notes, start=1):
            paragraph = self._paragraph("Table Note", note)
            if number < len(spec.notes):
                paragraph.paragraph_format.keep_with_next = True  # a table's notes stay together

    def _figure(self, spec: Figure) -> None:
        paragraph = self._paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        shape = paragraph.add_run().add_picture(str(spec.path), width=Cm(spec.width_cm))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", spec.alt)  # no docPr title: LibreOffice would prefix it to the PDF's /Alt
        doc_pr.set("name", f"Chart: {spec.title}"[:200])
        self._paragraph("Caption", spec.title)


def keeps_with_next(row: int, rows: int, *, notes: bool) -> bool:
    """Whether a table's row (0 is the header) is kept on the page of the row after it.

    A table of up to ``KEEP_TOGETHER_ROWS`` is kept whole; a longer one keeps its header
    with its first ``KEEP_AT_EDGES`` body rows and its last rows together. The last row is
    kept with the notes under the table, if any.
    """
    if row == rows - 1:
        return notes
    if rows <= KEEP_TOGETHER_ROWS:
        return True
    return row < KEEP_AT_EDGES or row >= rows - 1 - KEEP_AT_EDGES


def _column_widths(table: DocxTable, numeric: tuple[bool, ...]) -> list[str]:
    """Narrow number columns and wide label columns, so labels do not wrap word by word.

    Sets the grid's column widths and returns each column's width in twips as Word writes
    it, for the cells (filled later, one pass over the rows: python-docx's column cells are slow).
    """
    number_width = NUMBER_COLUMN_CM
    text_columns = max(1, numeric.count(False))
    text_width = max(2.0, (TEXT_WIDTH_CM - number_width * numeric.count(True)) / text_columns)
    table.autofit = False
    widths = [str(Cm(number_width if is_number else text_width).twips) for is_number in numeric]
    for grid_col, width in zip(table._tbl.tblGrid.iterchildren(GRID_COL), widths):
        grid_col.set(W_W, width)
    return widths


def _fill_cell(
    tc: _Element,
    text: str,
    *,
    style_id: str,
    width: str,
    bold: bool,
    right: bool,
    fill: str | None,
    keep_next: bool = False,
) -> None:
    """Width, shading, paragraph style, alignment and keep-with-next, and the text of one new table cell.

    Keep-with-next on every cell of a row is how Word keeps a row on the page of the next
    one (and LibreOffice reads it as a table that must not split).
    """
    tc_pr = tc.find(TC_PR)
    tc_pr.find(TC_W).set(W_W, width)  # python-docx's new cells already carry w:type="dxa"
    if fill is not None:
        _shade(tc_pr, fill)
    p = tc.find(P)
    p_pr = SubElement(p, P_PR)
    SubElement(p_pr, P_STYLE).set(W_VAL, style_id)
    if keep_next:
        SubElement(p_pr, KEEP_NEXT)
    if right:
        SubElement(p_pr, JC).set(W_VAL, WD_ALIGN_PARAGRAPH.RIGHT.xml_value)
    _add_run(p, text, bold=bold)


def _add_run(p: _Element, text: str, *, bold: bool = False, italic: bool = False, formatted: bool = True) -> _Element:
    """Append a run of ``text`` to ``p``, as python-docx's ``add_run(text)`` writes it.

    ``formatted`` runs carry a ``w:rPr`` (empty when plain), as setting python-docx's
    ``run.bold`` or ``run.italic``, even to None, leaves one.
    """
    r = SubElement(p, R)
    if formatted:
        r_pr = SubElement(r, R_PR)
        if bold:
            SubElement(r_pr, BOLD)
        if italic:
            SubElement(r_pr, ITALIC)
    if not text:
        return r
    if RUN_BREAKS.isdisjoint(text):
        t = SubElement(r, T)
        t.text = text
        if len(text.strip()) < len(text):
            t.set(XML_SPACE, "preserve")
    else:
        r.text = text  # python-docx's CT_R turns tabs and line breaks into w:tab and w:br
    return r


def _set_num(paragraph: DocxParagraph, num_id: str) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = int(num_id)


def _hyperlink(paragraph: DocxParagraph, run: Run) -> None:
    """An external hyperlink run, styled as a link so it is seen as one."""
    r_id = paragraph.part.relate_to(run.link or "", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
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


def _row_properties(tr: _Element, *, header: bool) -> None:
    """Rows never split across pages; the header row repeats on each page."""
    tr_pr = tr.makeelement(TR_PR)
    tr.insert(0, tr_pr)  # a new row has only cells: its properties come first
    SubElement(tr_pr, CANT_SPLIT)
    if header:
        SubElement(tr_pr, TBL_HEADER)


def _shade(tc_pr: _Element, fill: str) -> None:
    """Fill a header cell, so the header row reads as one at a glance."""
    SubElement(tc_pr, SHD, {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill})
