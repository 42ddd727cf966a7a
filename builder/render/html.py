"""Write the pack as one self-contained, accessible web page: the HTML edition.

GOV.UK asks for statistics to be published in HTML first: a web page reflows on a
phone, works with every screen reader and can be printed. The page is made from the
same content elements as the Word document (``pack/layout.py``), so the two editions
cannot say different things; this module only decides how those elements become
HTML. The look belongs to a Jinja template (``templates/pack.html.j2``) that authors
can restyle; it is rendered in the project's sandboxed Jinja environment with
autoescaping on, so any author text is escaped, and Markdown runs become ``<strong>``,
``<em>`` and ``<a>`` elements built here, never raw HTML.

Charts are embedded as data URIs and the styles sit inside the page, so the file
works offline, from a USB stick or an intranet, and makes no request of its own.
"""

from __future__ import annotations

import base64
import functools
import re
import struct
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from jinja2 import FileSystemLoader, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from builder.errors import ConfigError
from builder.narrative.markdown import Block, ListBlock, Paragraph, Run
from builder.pack.content import Element, Heading, Table, Text

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
"""Link schemes an author's Markdown may use; anything else (javascript:, data:) stays plain text."""
MIME = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
RESERVED_IDS = frozenset({"main-content", "contents", "contents-title", "cover"})
"""Ids the template uses itself; a heading with the same words gets a suffix."""


MAX_PAGE_CHARACTERS = 200_000_000
"""Characters the web page may render to: its charts are inside it, so far more than a narrative field."""
PAGE_SECONDS = 10.0
"""Seconds filling the page template may take (the bundled one takes a few hundredths)."""


@dataclass(frozen=True)
class HtmlHeading:
    """A heading inside a section, with its HTML level (the pack's level 2 is ``<h3>``)."""

    id: str
    text: str
    level: int
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True)
class HtmlBlock:
    """A paragraph (one item) or a list; each item is inline HTML made from escaped runs."""

    tag: str  # 'p', 'ul' or 'ol'
    items: tuple[Markup, ...]


@dataclass(frozen=True)
class HtmlText:
    """Narrative: paragraphs and lists."""

    blocks: tuple[HtmlBlock, ...]
    kind: ClassVar[str] = "text"


@dataclass(frozen=True)
class HtmlTable:
    """A data table: the content model's table with the ids the page links it by."""

    id: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    total: tuple[str, ...] | None
    notes: tuple[str, ...]
    description: str
    kind: ClassVar[str] = "table"


@dataclass(frozen=True)
class HtmlFigure:
    """A chart embedded in the page, with its size (so the page does not jump) and alt text."""

    id: str
    src: str
    width: int
    height: int
    alt: str
    title: str
    kind: ClassVar[str] = "figure"


Item = HtmlHeading | HtmlText | HtmlTable | HtmlFigure


@dataclass
class HtmlSection:
    """A level-1 section of the pack: its heading (an ``<h2>``, linked from the contents) and body."""

    id: str
    heading: str
    items: list[Item] = field(default_factory=list)


def render_html(
    template: Path,
    out: Path,
    context: dict[str, Any],
    elements: Iterable[Element],
    *,
    title: str,
    front: Iterable[Element] = (),
    language: str = "en-GB",
) -> Path:
    """Render the page from the template, the cover context and the body elements, and save it to ``out``.

    ``front`` (the document-control table) comes after the cover and before the contents, as in the .docx.
    """
    text = html_page(template, context, elements, title=title, front=front, language=language)
    out.write_text(text, encoding="utf-8")
    return out


def html_page(
    template: Path,
    context: dict[str, Any],
    elements: Iterable[Element],
    *,
    title: str,
    front: Iterable[Element] = (),
    language: str = "en-GB",
) -> str:
    """The page's HTML text; a template the author broke raises ConfigError with its file and line."""
    ids = _Ids()
    front_items = [_item(element, ids) for element in front]
    sections = build_sections(elements, ids)
    page = {
        **context,
        "title": title,
        "lang": language,
        "front": front_items,
        "sections": sections,
        "contents": [(s.id, s.heading) for s in sections if s.heading],
    }
    from builder.narrative.placeholders import runtime_problem
    from builder.narrative.sandbox import time_budget

    try:
        with time_budget(PAGE_SECONDS):
            compiled = _environment(template.parent).get_template(template.name)
            return compiled.render(page)
    except TemplateSyntaxError as error:
        raise ConfigError(
            f"{template}:{error.lineno}: HTML template: {error.message}; fix the template "
            "(or remove html_template: from the config to use the bundled one)"
        ) from None
    except (TemplateError, TypeError, ValueError, AttributeError, KeyError) as error:
        line = _template_line(error, template)
        raise ConfigError(
            f"{template}:{line}: HTML template: {error}; the names a template can use are listed "
            "at the top of the bundled templates/pack.html.j2"
        ) from None
    except Exception as error:  # 1/0, a runaway loop, a macro calling itself: the template's to fix
        line = _template_line(error, template)
        raise ConfigError(f"{template}:{line}: HTML template: {runtime_problem(error)}") from None


def build_sections(elements: Iterable[Element], ids: _Ids | None = None) -> list[HtmlSection]:
    """Group the elements into sections at each level-1 heading, giving every heading, table and chart an id."""
    ids = ids or _Ids()
    sections: list[HtmlSection] = []
    for element in elements:
        if isinstance(element, Heading) and element.level == 1:
            sections.append(HtmlSection(ids.new(element.text), element.text))
            continue
        if not sections:  # body before any heading: a section with no heading of its own
            sections.append(HtmlSection(ids.new("introduction"), ""))
        sections[-1].items.append(_item(element, ids))
    return sections


def inline(runs: Iterable[Run]) -> Markup:
    """Runs as inline HTML: text escaped, bold and italic as ``<strong>``/``<em>``, safe links as ``<a>``."""
    parts = []
    for run in runs:
        html = Markup("<br>").join(escape(line) for line in run.text.split("\n"))
        if run.italic:
            html = Markup("<em>%s</em>") % html
        if run.bold:
            html = Markup("<strong>%s</strong>") % html
        href = safe_href(run.link)
        if href is not None:
            html = Markup('<a href="%s">%s</a>') % (href, html)
        parts.append(html)
    return Markup("").join(parts)


def safe_href(link: str | None) -> str | None:
    """The link if a reader can safely follow it (web, mail, phone or a place in the page), else None."""
    if not link:
        return None
    scheme = urlsplit(link.strip()).scheme.lower()
    return link.strip() if scheme in SAFE_SCHEMES or not scheme else None


def _item(element: Element, ids: _Ids) -> Item:
    if isinstance(element, Heading):
        return HtmlHeading(ids.new(element.text), element.text, min(element.level + 1, 6))
    if isinstance(element, Text):
        return HtmlText(tuple(_block(b) for b in element.blocks))
    if isinstance(element, Table):
        return HtmlTable(
            ids.new("table"),
            element.caption,
            element.columns,
            element.rows,
            element.numeric,
            element.total,
            element.notes,
            element.description,
        )
    src, width, height = embedded(element.path)
    return HtmlFigure(ids.new("figure"), src, width, height, element.alt, element.title)


def _block(block: Block) -> HtmlBlock:
    if isinstance(block, ListBlock):
        return HtmlBlock("ol" if block.ordered else "ul", tuple(inline(item.runs) for item in block.items))
    assert isinstance(block, Paragraph)
    return HtmlBlock("p", (inline(block.runs),))


def embedded(path: Path) -> tuple[str, int, int]:
    """A chart file as a data URI with its pixel size; read once per file version (the preview reuses it)."""
    stat = path.stat()
    return _embedded(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=512)
def _embedded(path: str, _mtime_ns: int, _size: int) -> tuple[str, int, int]:
    data = Path(path).read_bytes()
    suffix = Path(path).suffix.lower()
    width, height = _png_size(data) if suffix == ".png" else (0, 0)
    uri = f"data:{MIME.get(suffix, 'application/octet-stream')};base64,{base64.b64encode(data).decode('ascii')}"
    return uri, width, height


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (the IHDR chunk always comes first)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return 0, 0
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


class _Ids:
    """Unique, readable ids for the page's anchors: 'personal-robbery', 'table-3'."""

    def __init__(self) -> None:
        self.used: set[str] = set(RESERVED_IDS)
        self.counts: dict[str, int] = {}

    def new(self, text: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
        if base in ("table", "figure"):
            self.counts[base] = self.counts.get(base, 0) + 1
            candidate = f"{base}-{self.counts[base]}"
        else:
            candidate = base if base[0].isalpha() else f"s-{base}"
        number = 1
        unique = candidate
        while unique in self.used:
            number += 1
            unique = f"{candidate}-{number}"
        self.used.add(unique)
        return unique


@functools.lru_cache(maxsize=8)
def _environment(folder: Path) -> SandboxedEnvironment:
    """The narrative's sandbox (same filters: ``number``, ``pct``, ``date`` …) with autoescaping for HTML.

    One environment per template folder, kept for the process: it caches the compiled
    template and recompiles it when the file changes, which the preview relies on.
    """
    from builder.narrative.placeholders import environment

    env = environment()
    env.autoescape = True
    env.max_output = env.max_value = MAX_PAGE_CHARACTERS  # a whole page, its charts inside: bounded, not as a field
    env.loader = FileSystemLoader(folder)
    env.trim_blocks = env.lstrip_blocks = True
    return env


def _template_line(error: BaseException, template: Path) -> int:
    """The line of the template a render error happened on (Jinja maps its frames back to the file)."""
    frames = traceback.extract_tb(error.__traceback__)
    lines = [f.lineno for f in frames if f.filename == str(template) and f.lineno is not None]
    return lines[-1] if lines else getattr(error, "lineno", None) or 1
