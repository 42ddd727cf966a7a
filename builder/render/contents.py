"""The contents field of the .docx, written out: its entries at build time, its pages after LibreOffice.

A Word contents field holds its last result as ordinary paragraphs. The template's says
"The contents are filled in when the pack is built", and viewers that do not update
fields (file previewers, LibreOffice, Word in protected view) showed exactly that. So
the result is written here: one linked entry per section heading when the document is
written, then, once LibreOffice has laid the pack out for the PDF, the same page numbers
the PDF's contents show ("10-11" for a section over two pages). Without a PDF the
entries have no numbers and the field stays marked for Word to update when opened.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree
from lxml.etree import SubElement, _Element

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
P, P_PR, P_STYLE, R, T = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:r"), qn("w:t")
FLD_CHAR, INSTR, TYPE, DIRTY = qn("w:fldChar"), qn("w:instrText"), qn("w:fldCharType"), qn("w:dirty")
TABS, TAB, VAL, POS, LEADER = qn("w:tabs"), qn("w:tab"), qn("w:val"), qn("w:pos"), qn("w:leader")
HYPERLINK, ANCHOR, HISTORY = qn("w:hyperlink"), qn("w:anchor"), qn("w:history")
BOOKMARK_START, BOOKMARK_END, ID, NAME = qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:id"), qn("w:name")
ENTRY_STYLE = "TOC 1"
"""Word's style for level-1 contents entries; used when the template has it."""
BOOKMARK = "_Toc_perfpack_{}"
"""Bookmark on each section heading, which its contents entry links to (Word's own start with _Toc)."""
DOCUMENT = "word/document.xml"
SETTINGS = "word/settings.xml"
TOC_INSTRUCTION = re.compile(r"^\s*TOC\b")


@dataclass(frozen=True)
class Entry:
    """One line of the contents: a section heading, the bookmark on it, and its pages ("" when unknown)."""

    text: str
    bookmark: str
    pages: str = ""


def bookmark_heading(p: _Element, number: int) -> str:
    """Put a bookmark around a heading paragraph's text and return its name."""
    name = BOOKMARK.format(number)
    start = p.makeelement(BOOKMARK_START, {ID: str(900000 + number), NAME: name})
    end = p.makeelement(BOOKMARK_END, {ID: str(900000 + number)})
    p_pr = p.find(P_PR)
    p.insert(0 if p_pr is None else 1, start)
    p.append(end)
    return name


def write_entries(body: _Element, entries: Sequence[Entry], style_id: str | None, tab_twips: int) -> bool:
    """Replace the result of the body's contents field with ``entries``; False if there is no such field.

    The field stays marked dirty, so Word fills in its own page numbers when the pack is
    opened; ``fill_pages`` clears the mark once the numbers are LibreOffice's.
    """
    field = _toc_paragraph(body)
    if field is None or not entries:
        return False
    instruction = next(field.iter(INSTR)).text or ' TOC \\o "1-1" \\h \\z \\u '
    paragraphs = [_entry(field, entry, style_id, tab_twips) for entry in entries]
    first, last = paragraphs[0], paragraphs[-1]
    hyperlink = first.find(HYPERLINK)
    for kind in ("begin", "instruction", "separate"):
        run = first.makeelement(R)
        if kind == "instruction":
            SubElement(run, INSTR, {qn("xml:space"): "preserve"}).text = instruction
        else:
            char = SubElement(run, FLD_CHAR, {TYPE: kind})
            if kind == "begin":
                char.set(DIRTY, "true")
        hyperlink.addprevious(run)
    SubElement(SubElement(last, R), FLD_CHAR, {TYPE: "end"})
    for paragraph in paragraphs:
        field.addprevious(paragraph)
    field.getparent().remove(field)
    return True


def _toc_paragraph(body: _Element) -> _Element | None:
    """The paragraph holding the whole contents field (begin to end), as the template has it."""
    for p in body.iter(P):
        if any(TOC_INSTRUCTION.match(i.text or "") for i in p.iter(INSTR)):
            kinds = [c.get(TYPE) for c in p.iter(FLD_CHAR)]
            if "begin" in kinds and "end" in kinds:
                return p
    return None


def _entry(near: _Element, entry: Entry, style_id: str | None, tab_twips: int) -> _Element:
    """A contents line: the heading linked to its bookmark, a dotted tab, and the pages."""
    p = near.makeelement(P)
    p_pr = SubElement(p, P_PR)
    if style_id:
        SubElement(p_pr, P_STYLE, {VAL: style_id})
    SubElement(SubElement(p_pr, TABS), TAB, {VAL: "right", LEADER: "dot", POS: str(tab_twips)})
    link = SubElement(p, HYPERLINK, {ANCHOR: entry.bookmark, HISTORY: "1"})
    SubElement(SubElement(link, R), T).text = entry.text
    SubElement(SubElement(link, R), TAB)
    SubElement(SubElement(link, R), T).text = entry.pages  # the last text of the link: fill_pages finds it there
    return p


def fill_pages(docx: Path, pages: Sequence[tuple[str, str]]) -> bool:
    """Write LibreOffice's pages into the contents of ``docx`` (in place, atomically); False if they differ.

    ``pages`` are (heading, pages) pairs in order, as the PDF's contents show them. They
    are written only when the headings are the document's own entries, in the same order;
    the field is then no longer marked for updating, so every viewer shows these pages.
    """
    with zipfile.ZipFile(docx) as package:
        items = [(info, package.read(info.filename)) for info in package.infolist()]
    parts = {info.filename: data for info, data in items}
    root = etree.fromstring(parts[DOCUMENT])
    links = [h for h in root.iter(HYPERLINK) if (h.get(ANCHOR) or "").startswith(BOOKMARK.format(""))]
    texts = [list(link.iter(T)) for link in links]
    if not links or [h for h, _ in pages] != ["".join(t.text or "" for t in ts[:-1]) for ts in texts]:
        return False
    for ts, (_, number) in zip(texts, pages):
        ts[-1].text = number
    for char in root.iter(FLD_CHAR):
        char.attrib.pop(DIRTY, None)
    parts[DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if SETTINGS in parts:
        settings = etree.fromstring(parts[SETTINGS])
        for update in list(settings.iter(qn("w:updateFields"))):
            update.getparent().remove(update)  # Word would otherwise offer to replace these pages with its own
        parts[SETTINGS] = etree.tostring(settings, xml_declaration=True, encoding="UTF-8", standalone=True)
    _rewrite(docx, items, parts)
    return True


def _rewrite(docx: Path, items: list[tuple[zipfile.ZipInfo, bytes]], parts: dict[str, bytes]) -> None:
    """Write the package again with the changed parts, same order and dates, replacing ``docx`` whole."""
    handle, temp = tempfile.mkstemp(prefix=f".{docx.stem}-", suffix=".docx.tmp", dir=docx.parent)
    try:
        with os.fdopen(handle, "wb") as out, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for info, _ in items:
                package.writestr(info, parts[info.filename])
        os.chmod(temp, 0o644)
        os.replace(temp, docx)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
