"""Read a .docx as the checker needs it: its XML parts, its styles, its paragraphs in order.

The checker reads the zip and the XML directly (lxml, no python-docx) because it must
judge files python-docx would refuse, and must say *why* a file is broken rather than
raise. Entities are never resolved and nothing is fetched from the network, so a
hostile file cannot make the checker read local files.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DC_NS = "http://purl.org/dc/elements/1.1/"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
DOC_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CORE_TYPE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PART_KINDS = ("header", "footer", "footnotes", "endnotes")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)

T = TypeVar("T")


def w(tag: str) -> str:
    """Clark notation for a WordprocessingML tag: w('p') -> '{…/main}p'."""
    return f"{{{W_NS}}}{tag}"


_P, _R, _T, _TBL, _TR, _TC = (w(tag) for tag in ("p", "r", "t", "tbl", "tr", "tc"))
_PPR, _PSTYLE, _TBLPR, _TBLSTYLE = (w(tag) for tag in ("pPr", "pStyle", "tblPr", "tblStyle"))
"""Tags looked up once per paragraph or run, spelled out once."""


def wattr(element: etree._Element | None, name: str = "val") -> str | None:
    """A w:-namespaced attribute, or None when the element or attribute is absent."""
    return None if element is None else element.get(w(name))


def child(element: etree._Element | None, *path: str) -> etree._Element | None:
    """What ``element.find('a/b')`` returns for a path of child tags; None when ``element`` is None.

    lxml's ``find`` evaluates an ElementPath expression on every call, which costs
    several times more than looking through the few children of a run, paragraph or
    cell, and the checker makes such look-ups for every run of the pack.
    """
    if element is None or not path:
        return element
    tag = path[0]
    for candidate in element:
        if candidate.tag == tag:
            found = child(candidate, *path[1:]) if len(path) > 1 else candidate
            if found is not None:
                return found
    return None


def is_on(element: etree._Element | None) -> bool:
    """A WordprocessingML on/off property: present and not switched off."""
    return element is not None and wattr(element) not in ("0", "false", "off")


class DocxError(Exception):
    """The file is not a Word document the checker can read; the message says why."""


@dataclass(frozen=True)
class Relationship:
    """One entry of a part's .rels: what it points at and whether it leaves the package."""

    kind: str
    target: str
    external: bool


@dataclass
class Part:
    """An XML part of the package: 'body', 'header 1', … with its parsed root."""

    name: str
    label: str
    root: etree._Element


@dataclass
class Para:
    """A paragraph in document order, with where it sits (section, table row) and its style id.

    ``style`` is ``paragraph_style(element)``, read once here because every text rule
    asks for it for every run.
    """

    part: Part
    element: etree._Element
    section: str
    table: etree._Element | None
    row: int | None
    cell: etree._Element | None
    style: str | None = None

    @property
    def where(self) -> str:
        """Where a reader finds it: the part and the level 1 section it is in."""
        if self.part.label != "body":
            return self.part.label
        return f"section '{self.section}'" if self.section else "before the first section"


class DocxPackage:
    """An opened .docx: parts, relationships, styles and core properties."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as error:
            raise DocxError(f"cannot open {path.name}: {_reason(error)}") from None
        with self._zip:
            root_rels = self._rels("_rels/.rels", "")
            main = next((r.target for r in root_rels.values() if r.kind == DOC_TYPE), None)
            if main is None:
                raise DocxError(f"cannot open {path.name}: it has no main document part (not a Word file?)")
            self.body = Part(main, "body", self._xml(main))
            self.rels = self._rels(_rels_name(main), posixpath.dirname(main))
            core = next((r.target for r in root_rels.values() if r.kind == CORE_TYPE), None)
            self.core = self._xml(core) if core and core in self._zip.namelist() else None
            self.styles = StyleSheet(self._related("styles"))
            self.others = self._other_parts()
        self.paragraphs = list(_paragraphs(self.body, self.styles))
        self.other_paragraphs = [p for part in self.others for p in _paragraphs(part, self.styles)]
        self._memo: dict[str, object] = {}

    def memo(self, key: str, compute: Callable[[DocxPackage], T]) -> T:
        """``compute(self)``, worked out once per document and shared by the rules that need it.

        Several rules walk the same runs or tables; each would otherwise redo the walk.
        The package is never changed after it is opened, so the result stays valid.
        """
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]  # type: ignore[return-value]

    def read(self, name: str) -> bytes:
        """The bytes of part ``name`` (a picture, say); the zip is opened again for it, as few rules need one."""
        with zipfile.ZipFile(self.path) as package:
            return package.read(name)

    @property
    def parts(self) -> list[Part]:
        """The body, then headers, footers, footnotes and endnotes."""
        return [self.body, *self.others]

    def all_paragraphs(self) -> list[Para]:
        """Every paragraph of every part, body first."""
        return [*self.paragraphs, *self.other_paragraphs]

    def _xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self._zip.read(name), _PARSER)
        except KeyError:
            raise DocxError(f"cannot open {self.path.name}: part {name} is missing") from None
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError) as error:
            raise DocxError(f"cannot open {self.path.name}: {name} is damaged ({_reason(error)})") from None

    def _rels(self, name: str, base: str) -> dict[str, Relationship]:
        if name not in self._zip.namelist():
            return {}
        out = {}
        for rel in self._xml(name).iter(f"{{{REL_NS}}}Relationship"):
            external = rel.get("TargetMode") == "External"
            target = rel.get("Target", "")
            if not external:
                target = posixpath.normpath(posixpath.join(base, target)).lstrip("/")
            out[rel.get("Id", "")] = Relationship(rel.get("Type", ""), target, external)
        return out

    def _related(self, kind: str) -> etree._Element | None:
        name = next((r.target for r in self.rels.values() if r.kind == REL_TYPE + kind), None)
        return self._xml(name) if name and name in self._zip.namelist() else None

    def _other_parts(self) -> list[Part]:
        parts, counts = [], {k: 0 for k in PART_KINDS}
        for rel in self.rels.values():
            kind = rel.kind.removeprefix(REL_TYPE)
            if kind in PART_KINDS and not rel.external and rel.target in self._zip.namelist():
                counts[kind] += 1
                label = kind if kind in ("footnotes", "endnotes") else f"{kind} {counts[kind]}"
                parts.append(Part(rel.target, label, self._xml(rel.target)))
        return parts


class StyleSheet:
    """The styles part, resolved the way Word applies it: basedOn chains over docDefaults."""

    def __init__(self, root: etree._Element | None) -> None:
        self.root = root
        self.by_id: dict[str, etree._Element] = {}
        self.defaults: dict[str, str] = {}
        self._chains: dict[tuple[str | None, str], tuple[etree._Element, ...]] = {}
        self._levels: dict[str | None, int | None] = {}
        self._default_rpr = None if root is None else root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        if root is None:
            return
        for style in root.iter(w("style")):
            self.by_id[wattr(style, "styleId") or ""] = style
            if wattr(style, "default") in ("1", "true", "on"):
                self.defaults.setdefault(wattr(style, "type") or "", wattr(style, "styleId") or "")

    def default_rpr(self) -> etree._Element | None:
        """docDefaults' run properties: the size, colour and language of unstyled text."""
        return self._default_rpr

    def name(self, style_id: str) -> str:
        """The style's name as Word shows it ('heading 1'), else its id."""
        style = self.by_id.get(style_id)
        name = style.find(w("name")) if style is not None else None
        return wattr(name) or style_id

    def chain(self, style_id: str | None, kind: str) -> tuple[etree._Element, ...]:
        """The style and the styles it is based on, nearest first (cycles cut).

        Cached: every run of every table cell asks for the same few chains.
        """
        key = (style_id, kind)
        if key not in self._chains:
            self._chains[key] = self._resolve_chain(style_id or self.defaults.get(kind))
        return self._chains[key]

    def heading_level(self, style_id: str | None) -> int | None:
        """1 for a Heading 1 style (or one based on it), …; None for body text styles."""
        if style_id not in self._levels:
            self._levels[style_id] = self._heading_level(style_id)
        return self._levels[style_id]

    def _resolve_chain(self, style_id: str | None) -> tuple[etree._Element, ...]:
        out: list[etree._Element] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            style_id = wattr(style.find(w("basedOn")))
        return tuple(out)

    def _heading_level(self, style_id: str | None) -> int | None:
        for style in self.chain(style_id, "paragraph"):
            outline = style.find(f"{w('pPr')}/{w('outlineLvl')}")
            if outline is not None:
                level = _int(wattr(outline))
                return level + 1 if level is not None and level < 9 else None
            name = (wattr(style.find(w("name"))) or "").lower()
            if name.startswith("heading ") and name[8:].isdigit():
                return int(name[8:])
        return None


def paragraph_style(p: etree._Element) -> str | None:
    """The paragraph's style id, or None for the default paragraph style."""
    return wattr(child(p, _PPR, _PSTYLE))


def table_style(tbl: etree._Element | None) -> str | None:
    """The table's style id, or None."""
    return wattr(child(tbl, _TBLPR, _TBLSTYLE))


def runs(p: etree._Element) -> Iterator[etree._Element]:
    """The paragraph's own runs (hyperlinks and fields included, text boxes excluded)."""
    for run in p.iter(_R):
        if _nearest(run, _P) is p:
            yield run


def run_text(run: etree._Element) -> str:
    """The visible text of one run."""
    return "".join(t.text or "" for t in run.iter(_T))


def paragraph_text(p: etree._Element) -> str:
    """The visible text of a paragraph."""
    return "".join(run_text(r) for r in runs(p))


def snippet(text: str, limit: int = 40) -> str:
    """Quoted text, shortened, so a problem can point at the words a reader sees."""
    text = " ".join(text.split())
    return f"'{text if len(text) <= limit else text[: limit - 1] + '…'}'"


def _paragraphs(part: Part, styles: StyleSheet) -> Iterator[Para]:
    """Paragraphs in order, each knowing its level 1 section and its table row."""
    section = ""
    rows = _row_indices(part.root)
    for p in part.root.iter(_P):
        cell, table, tr = _enclosing(p)
        row = rows.get(tr) if tr is not None and table is not None and tr.getparent() is table else None
        style = paragraph_style(p)
        if part.label == "body" and table is None and styles.heading_level(style) == 1:
            section = " ".join(paragraph_text(p).split())
        yield Para(part, p, section, table, row, cell, style)


def _enclosing(p: etree._Element) -> tuple[etree._Element | None, etree._Element | None, etree._Element | None]:
    """The nearest cell, table and row around a paragraph, found in one walk up the tree."""
    nearest: dict[str, etree._Element] = {}
    for ancestor in p.iterancestors(_TC, _TBL, _TR):
        nearest.setdefault(ancestor.tag, ancestor)
        if len(nearest) == 3:
            break
    return nearest.get(_TC), nearest.get(_TBL), nearest.get(_TR)


def _row_indices(root: etree._Element) -> dict[etree._Element, int]:
    """Each table row's index among its table's rows, found in one pass rather than per paragraph."""
    return {tr: index for table in root.iter(_TBL) for index, tr in enumerate(table.iterchildren(_TR))}


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _reason(error: BaseException) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, zipfile.BadZipFile):
        return "not a Word document (not a zip package)"
    return str(error) or type(error).__name__


def _nearest(element: etree._Element, tag: str) -> etree._Element | None:
    """The closest ancestor with this tag, or None."""
    return next(element.iterancestors(tag), None)
