"""Read a built .docx back the way a reader meets it: headings, tables with captions, pictures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


@dataclass
class CaptionedTable:
    """A table with the caption paragraph just before it, as cell text."""

    caption: str
    rows: list[list[str]]
    table: Table


def open_docx(path: Path) -> DocxDocument:
    return Document(str(path))


def body_items(doc: DocxDocument) -> list[Paragraph | Table]:
    """Paragraphs and tables of the body in document order."""
    items: list[Paragraph | Table] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            items.append(Paragraph(child, doc))
        elif child.tag == qn("w:tbl"):
            items.append(Table(child, doc))
    return items


def captioned_tables(doc: DocxDocument) -> list[CaptionedTable]:
    out, caption = [], ""
    for item in body_items(doc):
        if isinstance(item, Paragraph):
            if item.style is not None and item.style.name == "Caption":
                caption = item.text
        else:
            rows = [[cell.text for cell in row.cells] for row in item.rows]
            out.append(CaptionedTable(caption, rows, item))
    return out


def headings(doc: DocxDocument, level: int = 1) -> list[str]:
    name = f"Heading {level}"
    return [p.text for p in doc.paragraphs if p.style is not None and p.style.name == name]


def pictures(doc: DocxDocument) -> list[dict[str, str]]:
    """Every inline picture's docPr attributes (descr is the alt text)."""
    found = []
    for doc_pr in doc.element.body.iter(qn("wp:docPr")):
        found.append(
            {"name": doc_pr.get("name", ""), "descr": doc_pr.get("descr", ""), "title": doc_pr.get("title", "")}
        )
    return found


def field_instructions(doc: DocxDocument) -> list[str]:
    return [t.text or "" for t in doc.element.body.iter(qn("w:instrText"))]


def full_text(doc: DocxDocument) -> str:
    parts = []
    for item in body_items(doc):
        if isinstance(item, Paragraph):
            parts.append(item.text)
        else:
            parts.extend(cell.text for row in item.rows for cell in row.cells)
    return "\n".join(parts)
