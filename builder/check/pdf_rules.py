"""Rules on the PDF: tagged, in en-GB, titled, bookmarked, figures with alt text, table headers.

The PDF is what most of the public opens, and a screen reader reads its structure
tree, not the page: the tags, the /Alt of each /Figure and the /TH cells of each
/Table. The checks read that tree with pikepdf, resolving the document's RoleMap so
that a custom tag mapped to /Figure counts as a figure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

try:  # a declared dependency; if an install lacks it, the report says so instead of crashing
    import pikepdf
except ImportError:  # pragma: no cover - exercised only on a broken install
    pikepdf = None  # type: ignore[assignment]

from builder.check.ooxml import snippet
from builder.check.report import Problem, RuleResult, counted

LANGUAGE = "en-GB"
MAX_NODES = 200_000
"""A structure tree this large is not a pack; stop walking rather than hang on a hostile file."""


@dataclass(frozen=True)
class DocxFacts:
    """What the .docx says the PDF should contain, for cross-checks (None: no .docx to compare)."""

    headings: tuple[str, ...] = ()
    pictures: int = 0
    tables: int = 0


@dataclass
class _Node:
    """A structure element: its standard role (after the RoleMap), its /Alt, its children.

    Only a figure's /Alt is read (the rules check no other): each read from pikepdf costs.
    """

    role: str
    alt: str
    children: list[_Node] = field(default_factory=list)

    def walk(self) -> Iterator[_Node]:
        """This node and every node below it, depth first, without recursion."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def check_pdf(path: Path, facts: DocxFacts | None, language: str = LANGUAGE) -> tuple[list[RuleResult], list[Problem]]:
    """Every PDF rule's result; or no results and one problem if the file cannot be read."""
    if pikepdf is None:
        return [], [Problem("pdf-open", path.name, "cannot check the PDF: the pikepdf package is not installed")]
    try:
        pdf = pikepdf.open(path)
    except FileNotFoundError:
        return [], [Problem("pdf-open", path.name, f"cannot open {path.name}: no such file")]
    except (pikepdf.PdfError, OSError, ValueError) as error:
        return [], [Problem("pdf-open", path.name, f"cannot open {path.name}: {error}")]
    with pdf:
        tree = _structure(pdf)
        checks = (
            lambda: _tagged(pdf, tree),
            lambda: _language(pdf, language),
            lambda: _title(pdf),
            lambda: _bookmarks(pdf, facts),
            lambda: _figures(tree, facts),
            lambda: _tables(tree, facts),
        )
        return [check() for check in checks], []


def _tagged(pdf: pikepdf.Pdf, tree: _Node | None) -> RuleResult:
    result = RuleResult("pdf-tagged", "PDF is tagged", "/MarkInfo and /StructTreeRoot")
    mark_info = pdf.Root.get("/MarkInfo")
    marked = isinstance(mark_info, pikepdf.Dictionary) and bool(mark_info.get("/Marked", False))
    if not marked:
        result.problems.append(
            Problem(
                "pdf-tagged",
                "PDF catalogue",
                "the PDF is not marked as tagged (/MarkInfo /Marked true): export it as a tagged PDF",
            )
        )
    if tree is None or not tree.children:
        result.problems.append(
            Problem(
                "pdf-tagged",
                "PDF catalogue",
                "the PDF has no structure tree (/StructTreeRoot): screen readers cannot read its order",
            )
        )
    return result


def _language(pdf: pikepdf.Pdf, language: str) -> RuleResult:
    result = RuleResult("pdf-language", f"PDF language {language}", "/Lang")
    lang = str(pdf.Root.get("/Lang", "")).strip()
    if not lang:
        result.problems.append(
            Problem("pdf-language", "PDF catalogue", f"no document language (/Lang); set {language}")
        )
    elif lang.lower() != language.lower():
        result.problems.append(Problem("pdf-language", "PDF catalogue", f"the language is {lang}, not {language}"))
    return result


def _title(pdf: pikepdf.Pdf) -> RuleResult:
    result = RuleResult("pdf-title", "PDF title set and shown in the window", "metadata and viewer preferences")
    title = str(pdf.docinfo.get("/Title", "")).strip() if pdf.trailer.get("/Info") is not None else ""
    if not title:
        title = _xmp_title(pdf)
    if not title:
        result.problems.append(Problem("pdf-title", "PDF metadata", "the PDF has no title"))
    preferences = pdf.Root.get("/ViewerPreferences")
    shown = isinstance(preferences, pikepdf.Dictionary) and bool(preferences.get("/DisplayDocTitle", False))
    if not shown:
        result.problems.append(
            Problem(
                "pdf-title",
                "PDF viewer preferences",
                "the window shows the file name, not the title (/ViewerPreferences /DisplayDocTitle true)",
            )
        )
    return result


def _xmp_title(pdf: pikepdf.Pdf) -> str:
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            return str(meta.get("dc:title", "") or "").strip()
    except Exception:  # damaged XMP means "no title", not a crash
        return ""


def _bookmarks(pdf: pikepdf.Pdf, facts: DocxFacts | None) -> RuleResult:
    titles = _outline_titles(pdf)
    result = RuleResult("pdf-bookmarks", "PDF bookmarks name each section", counted(len(titles), "top-level bookmark"))
    if not titles:
        result.problems.append(
            Problem("pdf-bookmarks", "PDF outline", "the PDF has no bookmarks: export them from the headings")
        )
        return result
    present = {_plain(t) for t in titles}
    for heading in facts.headings if facts else ():
        if _plain(heading) not in present:
            result.problems.append(
                Problem("pdf-bookmarks", "PDF outline", f"no bookmark for the section {snippet(heading)}")
            )
    return result


def _outline_titles(pdf: pikepdf.Pdf) -> list[str]:
    """Titles of the top-level bookmarks, read straight from /Outlines (loops cut)."""
    outlines = pdf.Root.get("/Outlines")
    item = outlines.get("/First") if isinstance(outlines, pikepdf.Dictionary) else None
    titles: list[str] = []
    seen: set[tuple[int, int]] = set()
    while isinstance(item, pikepdf.Dictionary) and len(titles) < MAX_NODES:
        key = item.objgen if item.is_indirect else (id(item), 0)
        if key in seen:
            break
        seen.add(key)
        titles.append(str(item.get("/Title", "")))
        item = item.get("/Next")
    return titles


def _figures(tree: _Node | None, facts: DocxFacts | None) -> RuleResult:
    figures = [n for n in tree.walk() if n.role == "Figure"] if tree else []
    result = RuleResult("pdf-figure-alt", "PDF figures have alternative text", counted(len(figures), "figure"))
    for number, figure in enumerate(figures, start=1):
        if not figure.alt.strip():
            result.problems.append(Problem("pdf-figure-alt", f"PDF figure {number}", "the figure has no /Alt text"))
    if facts and facts.pictures and not figures:
        result.problems.append(
            Problem(
                "pdf-figure-alt",
                "PDF structure",
                f"the .docx has {facts.pictures} pictures but the PDF tags no /Figure",
            )
        )
    return result


def _tables(tree: _Node | None, facts: DocxFacts | None) -> RuleResult:
    tables = [n for n in tree.walk() if n.role == "Table"] if tree else []
    result = RuleResult("pdf-table-headers", "PDF tables have header cells", counted(len(tables), "table"))
    for number, table in enumerate(tables, start=1):
        if not any(n.role == "TH" for n in table.walk()):
            result.problems.append(
                Problem(
                    "pdf-table-headers",
                    f"PDF table {number}",
                    "the table has no header cells (/TH): mark its first row as a header row",
                )
            )
    if facts and facts.tables and not tables:
        result.problems.append(
            Problem(
                "pdf-table-headers", "PDF structure", f"the .docx has {facts.tables} tables but the PDF tags no /Table"
            )
        )
    return result


def _structure(pdf: pikepdf.Pdf) -> _Node | None:
    """The structure tree as plain nodes with standard roles; None when there is none."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        return None
    role_map = root.get("/RoleMap")
    roles = {str(k): str(v) for k, v in role_map.items()} if isinstance(role_map, pikepdf.Dictionary) else {}
    top = _Node("StructTreeRoot", "")
    stack: list[tuple[object, _Node]] = [(root.get("/K"), top)]
    seen: set[tuple[int, int]] = set()
    count = 0
    while stack and count < MAX_NODES:
        kids, parent = stack.pop()
        for kid in _as_list(kids):
            if not isinstance(kid, pikepdf.Dictionary):
                continue  # a marked-content id or reference, not an element
            kind = kid.get("/S")
            if kind is None:
                continue  # a marked-content id or reference, not an element
            if kid.is_indirect:
                if kid.objgen in seen:
                    continue
                seen.add(kid.objgen)
            count += 1
            role = _standard_role(str(kind), roles)
            node = _Node(role, str(kid.get("/Alt", "")) if role == "Figure" else "")
            parent.children.append(node)
            stack.append((kid.get("/K"), node))
    return top


def _as_list(kids: object) -> list[object]:
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _standard_role(name: str, roles: dict[str, str]) -> str:
    """Follow the RoleMap (a few steps, loops cut) to the standard structure type, without '/'."""
    seen = set()
    while name in roles and name not in seen:
        seen.add(name)
        name = roles[name]
    return name.lstrip("/")


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()
