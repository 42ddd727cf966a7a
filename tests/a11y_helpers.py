"""Build the sample pack through the real command, and make deliberately broken copies of it.

Each breaker edits one XML part of a copy of the .docx (or re-saves the PDF with
pikepdf) the way an author or a careless tool might, so each checker rule can be
shown to catch the fault it exists for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
DC = "http://purl.org/dc/elements/1.1/"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

XmlEdit = Callable[[etree._Element], None]


def w(tag: str) -> str:
    """Clark name of a w: tag."""
    return f"{{{W}}}{tag}"


def build_sample_pack(out: Path) -> dict[str, Path]:
    """Run `perfpack build --output-dir OUT` (the bundled sample, with the PDF) and return the files."""
    script = Path(sys.executable).parent / "perfpack"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "builder"]
    result = subprocess.run(
        [*command, "build", "--output-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 0, result.stderr
    docx = sorted(out.glob("*.docx"))
    pdf = sorted(out.glob("*.pdf"))
    assert len(docx) == 1 and len(pdf) == 1, sorted(p.name for p in out.iterdir())
    return {"docx": docx[0], "pdf": pdf[0]}


def edit_docx(source: Path, target: Path, edits: dict[str, XmlEdit], extra: dict[str, bytes] | None = None) -> Path:
    """Copy a .docx, passing the named parts' XML through ``edits`` (and adding ``extra`` raw parts)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    extra = dict(extra or {})
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename in edits:
                root = etree.fromstring(data)
                edits[item.filename](root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(item, extra.pop(item.filename, data))
        for name, data in extra.items():
            dst.writestr(name, data)
    return target


def without_pdf(docx: Path, folder: Path) -> Path:
    """A copy of the .docx alone in a folder, so the checker finds no PDF beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(docx, folder / docx.name))


def body_paragraphs(root: etree._Element, style: str) -> list[etree._Element]:
    """Body paragraphs with a given style id, in order."""
    return [
        p
        for p in root.iter(w("p"))
        if p.find(f"{w('pPr')}/{w('pStyle')}") is not None
        and p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) == style
    ]


def first_plain_paragraph(root: etree._Element) -> etree._Element:
    """The first body paragraph outside tables with the default style and some text."""
    for p in root.iter(w("p")):
        if (
            p.find(f"{w('pPr')}/{w('pStyle')}") is None
            and "".join(p.itertext()).strip()
            and next(p.iterancestors(w("tbl")), None) is None
        ):
            return p
    raise AssertionError("no plain paragraph in the pack")


def add_run(p: etree._Element, text: str, **properties: str) -> etree._Element:
    """Append a run with direct formatting, e.g. add_run(p, 'tiny', sz='12', color='CCCCCC')."""
    run = etree.SubElement(p, w("r"))
    rpr = etree.SubElement(run, w("rPr"))
    for name, value in properties.items():
        etree.SubElement(rpr, w(name)).set(w("val"), value)
    t = etree.SubElement(run, w("t"))
    t.text = text
    return run


def add_link(p: etree._Element, text: str, rel_id: str) -> None:
    """Append an external hyperlink whose text is ``text``."""
    link = etree.SubElement(p, w("hyperlink"))
    link.set(f"{{{R}}}id", rel_id)
    run = etree.SubElement(link, w("r"))
    etree.SubElement(run, w("t")).text = text


def add_relationship(rels: etree._Element, rel_id: str, url: str) -> None:
    """Register an external hyperlink target in a .rels part."""
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    rel = etree.SubElement(rels, f"{{{ns}}}Relationship")
    rel.set("Id", rel_id)
    rel.set("Type", HYPERLINK)
    rel.set("Target", url)
    rel.set("TargetMode", "External")


def edit_pdf(source: Path, target: Path, edit: Callable[[pikepdf.Pdf], None]) -> Path:
    """Re-save a PDF with pikepdf after ``edit`` changed it."""
    with pikepdf.open(source) as pdf:
        edit(pdf)
        pdf.save(target)
    return target


def struct_elements(pdf: pikepdf.Pdf, role: str) -> list[pikepdf.Dictionary]:
    """Every structure element with /S == role (no RoleMap), for breaking one kind of tag."""
    found, stack, seen = [], [pdf.Root.StructTreeRoot.get("/K")], set()
    while stack:
        kids = stack.pop()
        for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
            if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                continue
            if kid.is_indirect and kid.objgen in seen:
                continue
            if kid.is_indirect:
                seen.add(kid.objgen)
            if str(kid.S) == role:
                found.append(kid)
            stack.append(kid.get("/K"))
    return found
