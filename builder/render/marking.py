"""The DRAFT marking: a line at the top of every page's header until the pack is signed off.

It is written into every header the document's sections refer to (default, first-page
and even-page), so it is on every page of the .docx and therefore of the PDF, whatever
template an author restyled; a template with no header gets one. It is text, not a
watermark picture, so a screen reader announces it and it reaches the PDF as the
header does.

The headers are edited through the document's relationships, not python-docx's
``section.header``: docxtpl replaces each header part when it renders the template, and
python-docx's cached view would still show the template's unrendered part.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

DRAFT = "DRAFT"
STYLE = "Protective Marking"


def mark_draft(document: Any, text: str = DRAFT) -> int:
    """Put ``text`` first in every header of ``document`` (python-docx); return how many headers."""
    style_id = next((s.style_id for s in document.styles if s.name == STYLE), None)
    rels = document.part.rels
    marked: set[str] = set()
    for sect_pr in document.element.body.iter(qn("w:sectPr")):
        for reference in sect_pr.iterchildren(qn("w:headerReference")):
            rid = reference.get(qn("r:id"))
            if rid not in marked:
                _insert_first(rels[rid].target_part.element, text, style_id)
                marked.add(rid)
    if not marked:  # a template without any header: give the first section one
        header = document.sections[0].header
        _insert_first(header._element, text, style_id)
        return 1
    return len(marked)


def _insert_first(header: Any, text: str, style_id: str | None) -> None:
    """A bold paragraph holding ``text`` as the header element's first child."""
    paragraph = OxmlElement("w:p")
    if style_id is not None:
        properties = OxmlElement("w:pPr")
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), style_id)
        properties.append(style)
        paragraph.append(properties)
    run = OxmlElement("w:r")
    run_properties = OxmlElement("w:rPr")
    run_properties.append(OxmlElement("w:b"))
    run.append(run_properties)
    content = OxmlElement("w:t")
    content.text = text
    run.append(content)
    paragraph.append(run)
    header.insert(0, paragraph)
