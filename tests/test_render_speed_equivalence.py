"""The Word body writer writes exactly what python-docx's own API would, only faster.

``builder.render.docx`` builds table cells and text runs as plain lxml elements and caches
style ids, instead of going through python-docx's slow proxies. These tests write the same
elements both ways, into the bundled template, and compare the body XML byte for byte.
The fast writer writes before an anchor paragraph (where the template's body goes) and
removes it; python-docx's API appends to the end of the body, after the anchor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from lxml import etree

from builder.narrative.markdown import ListBlock, Paragraph, Run
from builder.pack.content import Element, Heading, Table, Text
from builder.render import docx as render

TEXT = Text(
    (
        Paragraph(
            (
                Run("Plain, "),
                Run("bold", bold=True),
                Run(" and ", italic=True),
                Run("both ", bold=True, italic=True),
                Run("tab\there, line\nbreak"),
                Run(""),
            )
        ),
        ListBlock(False, (Paragraph((Run("first"),)), Paragraph((Run(" spaced "),)))),
        ListBlock(True, (Paragraph((Run("one"),)), Paragraph((Run("two", bold=True),)))),
    )
)
TABLE = Table(
    "Crimes by type",
    ("Type", "Last 12 months", "Change"),
    (("Robbery", "1,234", "5%"), ("Burglary", "", "-3%")),
    (False, True, True),
    total=("Total", "1,234", "2%"),
    notes=("A note.", "Another."),
    description="Crimes by type.",
)
TEMPLATE = Path(render.__file__).resolve().parents[1] / "defaults" / "pack.docx"
ELEMENTS: list[Element] = [
    Heading("Crime", 1),
    TEXT,
    Heading("Detail", 2),
    TABLE,
    Table("No total", ("A", "B"), (("x", "1"),), (False, True)),
]


def _body_xml(write: Any) -> bytes:
    """What a writer leaves in the body of the bundled template, emptied of all but its section."""
    doc = Document(str(TEMPLATE))
    body = doc.element.body
    for child in list(body)[:-1]:  # the last child is the section properties
        body.remove(child)
    anchor = body.makeelement(render.P)
    body.sectPr.addprevious(anchor)
    write(doc, anchor)
    return etree.tostring(body)


def _fast(doc: Any, anchor: Any) -> None:
    writer = render._BodyWriter(doc, anchor)
    for element in ELEMENTS:
        writer.add(element)
    writer.finish()


class _ApiWriter(render._BodyWriter):
    """The straightforward writer: every paragraph, run and cell through python-docx's API."""

    sections = 0

    def add(self, element: Element) -> None:
        if isinstance(element, Heading):
            heading = self.doc.add_paragraph(element.text, style=f"Heading {element.level}")
            if element.level == 1:
                self.sections += 1
                render.bookmark_heading(heading._p, self.sections)
        elif isinstance(element, Text):
            for block in element.blocks:
                self._api_block(block)
        elif isinstance(element, Table):
            self._api_table(element)

    def _api_block(self, block: Paragraph | ListBlock) -> None:
        if isinstance(block, Paragraph):
            self._api_runs(self.doc.add_paragraph(), block.runs)
            return
        num_id = self._restarted_numbering() if block.ordered else None
        for item in block.items:
            paragraph = self.doc.add_paragraph(style="List Number" if block.ordered else "List Bullet")
            if num_id is not None:
                render._set_num(paragraph, num_id)
            self._api_runs(paragraph, item.runs)

    @staticmethod
    def _api_runs(paragraph: Any, runs: tuple[Run, ...]) -> None:
        for run in runs:
            added = paragraph.add_run(run.text)
            added.bold, added.italic = run.bold or None, run.italic or None

    def _api_table(self, spec: Table) -> None:
        self.doc.add_paragraph(spec.caption, style="Caption").paragraph_format.keep_with_next = True
        rows = [spec.columns, *spec.rows, *([spec.total] if spec.total else [])]
        table = self.doc.add_table(rows=len(rows), cols=len(spec.columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        render._describe_table(table, spec.caption, spec.description)
        text_width = (render.TEXT_WIDTH_CM - render.NUMBER_COLUMN_CM * spec.numeric.count(True)) / max(
            1, spec.numeric.count(False)
        )
        table.autofit = False
        for index, is_number in enumerate(spec.numeric):
            width = Cm(render.NUMBER_COLUMN_CM if is_number else max(2.0, text_width))
            table.columns[index].width = width
            for cell in table.columns[index].cells:
                cell.width = width
        for r, (values, row) in enumerate(zip(rows, table.rows)):
            emphasis = r == 0 or (spec.total is not None and r == len(rows) - 1)
            keep = render.keeps_with_next(r, len(rows), notes=bool(spec.notes))
            for c, (value, cell) in enumerate(zip(values, row.cells)):
                paragraph = cell.paragraphs[0]
                paragraph.style = self.doc.styles["Table Text"]
                if keep:
                    paragraph.paragraph_format.keep_with_next = True
                paragraph.add_run(value).bold = emphasis or None
                if spec.numeric[c] and r > 0:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if r == 0:
                    shading = etree.SubElement(cell._tc.get_or_add_tcPr(), render.SHD)
                    for name, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", render.HEADER_FILL)):
                        shading.set(render.qn(name), value)
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(render.OxmlElement("w:cantSplit"))
            if r == 0:
                tr_pr.append(render.OxmlElement("w:tblHeader"))
        for number, note in enumerate(spec.notes, start=1):
            added = self.doc.add_paragraph(note, style="Table Note")
            if number < len(spec.notes):
                added.paragraph_format.keep_with_next = True


def _api(doc: Any, anchor: Any) -> None:
    writer = _ApiWriter(doc, anchor)
    for element in ELEMENTS:
        writer.add(element)
    writer.finish()


def test_body_equals_python_docx_api() -> None:
    assert _body_xml(_fast) == _body_xml(_api)


@pytest.mark.parametrize("text", ["plain", " lead", "trail ", "a\tb", "a\nb\rc", ""])
def test_run_text_as_python_docx_writes_it(text: str) -> None:
    """Spaces kept with xml:space, tabs and breaks as elements, no w:t for no text."""

    def fast(doc: Any, anchor: Any) -> None:
        render._add_run(doc.add_paragraph()._p, text, bold=True)

    def api(doc: Any, anchor: Any) -> None:
        doc.add_paragraph().add_run(text).bold = True

    assert _body_xml(fast) == _body_xml(api)
