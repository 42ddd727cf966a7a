"""Read a PDF back the way its readers meet it: text per page, contents, bookmarks, tags, language, title.

Shared by every test that checks the official PDF. Text comes from poppler's ``pdftotext``
(the layout mode keeps a contents line "Heading ....... 12" on one line), falling back to
pypdf where poppler is missing; structure and metadata come from pikepdf, which shows the
objects as a screen reader's PDF library sees them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pypdf import PdfReader

XMP_TITLE = "{http://purl.org/dc/elements/1.1/}title"
XMP_PDFUA_PART = "{http://www.aiim.org/pdfua/ns/id/}part"

#: A contents line: the entry text, a dot/space/tab leader, then a page or page range ("10-11").
TOC_LINE = re.compile(
    r"^\s*(?P<title>\S.*?)(?:\s*[.\u2026\u00b7]{2,}\s*|\t+|\s{2,})(?P<pages>\d+(?:\s*[-\u2013]\s*\d+)?)\s*$"
)


# --------------------------------------------------------------------------- text


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, in order (index 0 is page 1)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        pages = out.split("\f")
        if pages and not pages[-1].strip():
            pages = pages[:-1]
        return pages
    return [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]


def page_count(pdf: Path) -> int:
    return len(PdfReader(str(pdf)).pages)


def page_lines(text: str) -> list[str]:
    """Non-empty lines of one page, stripped and with runs of spaces collapsed."""
    return [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines() if line.strip()]


def heading_pages(texts: list[str], headings: list[str], *, skip: set[int] | None = None) -> dict[str, int]:
    """1-based page on which each heading stands as a line of its own (contents pages in ``skip`` ignored)."""
    found: dict[str, int] = {}
    for number, text in enumerate(texts, start=1):
        if skip and number in skip:
            continue
        for line in page_lines(text):
            if line in headings and line not in found:
                found[line] = number
    return found


@dataclass(frozen=True)
class TocEntry:
    """One contents line: its text and the first and last page it gives."""

    title: str
    first: int
    last: int


def toc_entries(texts: list[str], pages: list[int]) -> list[TocEntry]:
    """Parse the contents lines found on the given 1-based pages."""
    entries = []
    for number in pages:
        for line in texts[number - 1].splitlines():
            match = TOC_LINE.match(line)
            if not match:
                continue
            numbers = [int(n) for n in re.findall(r"\d+", match["pages"])]
            entries.append(TocEntry(re.sub(r"\s+", " ", match["title"]).strip(), numbers[0], numbers[-1]))
    return entries


# --------------------------------------------------------------------------- catalogue and metadata


def is_tagged(pdf: Path) -> bool:
    """/MarkInfo /Marked true and a structure tree: the two things that make a PDF "tagged"."""
    with pikepdf.open(pdf) as doc:
        mark = doc.Root.get("/MarkInfo")
        return bool(mark is not None and mark.get("/Marked")) and "/StructTreeRoot" in doc.Root


def language(pdf: Path) -> str | None:
    """The catalogue /Lang, which screen readers use to choose a voice."""
    with pikepdf.open(pdf) as doc:
        lang = doc.Root.get("/Lang")
        return str(lang) if lang is not None else None


@dataclass(frozen=True)
class Titles:
    """The document title as stored in /Info and XMP, and whether viewers are told to show it."""

    info: str | None
    xmp: str | None
    display_doc_title: bool
    pdfua_part: str | None


def titles(pdf: Path) -> Titles:
    with pikepdf.open(pdf) as doc:
        info = doc.docinfo.get("/Title")
        with doc.open_metadata() as meta:
            xmp, part = meta.get(XMP_TITLE), meta.get(XMP_PDFUA_PART)
        prefs = doc.Root.get("/ViewerPreferences")
        shown = bool(prefs is not None and prefs.get("/DisplayDocTitle"))
        return Titles(str(info) if info is not None else None, xmp, shown, part)


# --------------------------------------------------------------------------- bookmarks


@dataclass(frozen=True)
class Bookmark:
    """An outline item: nesting level (0 = top), title, and the 1-based page it opens."""

    level: int
    title: str
    page: int | None


def bookmarks(pdf: Path) -> list[Bookmark]:
    """All outline items in reading order, with the pages they jump to."""
    reader = PdfReader(str(pdf))
    found: list[Bookmark] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            number = reader.get_destination_page_number(item)
            found.append(Bookmark(level, str(item.title), number + 1 if number is not None and number >= 0 else None))

    walk(reader.outline, 0)
    return found


# --------------------------------------------------------------------------- structure tree


@dataclass
class StructElement:
    """A structure element: its own type, the standard type it maps to, its /Alt, its children."""

    type: str
    standard: str
    alt: str | None
    children: list[StructElement] = field(default_factory=list)

    def walk(self):  # generator of StructElement
        yield self
        for child in self.children:
            yield from child.walk()


def structure(pdf: Path) -> StructElement | None:
    """The structure tree, with custom types resolved through the /RoleMap (e.g. "Standard" -> P)."""
    with pikepdf.open(pdf) as doc:
        root = doc.Root.get("/StructTreeRoot")
        if root is None:
            return None
        role_map = {str(k): str(v) for k, v in (root.get("/RoleMap") or {}).items()}
        return _element(root, role_map, "StructTreeRoot")


def _element(node: pikepdf.Dictionary, role_map: dict[str, str], kind: str | None = None) -> StructElement:
    own = kind or str(node.get("/S", ""))
    standard = own
    for _ in range(10):  # role maps may chain; never loop forever on a cyclic one
        if standard not in role_map:
            break
        standard = role_map[standard]
    alt = node.get("/Alt")
    element = StructElement(own.lstrip("/"), standard.lstrip("/"), str(alt) if alt is not None else None)
    kids = node.get("/K")
    if kids is None:
        return element
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            element.children.append(_element(kid, role_map))
    return element


def structure_types(pdf: Path) -> Counter[str]:
    """How many elements of each standard type the tree holds (P, H1, Figure, Table, TH, TD...)."""
    tree = structure(pdf)
    return Counter(element.standard for element in tree.walk()) if tree else Counter()


def figure_alts(pdf: Path) -> list[str | None]:
    """The /Alt of every Figure element, in document order."""
    tree = structure(pdf)
    return [element.alt for element in tree.walk() if element.standard == "Figure"] if tree else []


def table_header_rows(pdf: Path) -> list[list[str]]:
    """For every Table, the cell types of its first row, e.g. ``["TH", "TH", "TH"]``."""
    tree = structure(pdf)
    rows = []
    for table in (e for e in tree.walk() if e.standard == "Table") if tree else []:
        first = next((e for e in table.walk() if e.standard == "TR"), None)
        if first is not None:
            rows.append([cell.standard for cell in first.children])
    return rows
