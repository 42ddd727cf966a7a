"""Turn the Markdown subset authors write into a small block model.

markdown-it-py does the parsing; this module reduces its tokens to paragraphs and
lists of styled runs, which the Word renderer maps onto the template's styles. Keeping
the model here means the document module never has to know Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs."""

    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        """Plain text of the paragraph."""
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class ListBlock:
    """A bullet or numbered list; numbering restarts for every list."""

    ordered: bool
    items: tuple[Paragraph, ...] = field(default_factory=tuple)


Block = Paragraph | ListBlock


@cache
def _parser() -> MarkdownIt:
    """The parser, made on first use: the block model above is imported by modules (the
    cache, the chart plan) that run before any text is parsed, and should not pay for it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).disable(
        ["code", "fence", "html_block", "html_inline", "image", "heading", "lheading", "table", "hr"],
        ignoreInvalid=True,
    )


def to_blocks(text: str) -> list[Block]:
    """Parse Markdown into paragraphs and lists (nested lists are flattened)."""
    blocks: list[Block] = []
    tokens = _parser().parse(text or "")
    list_stack: list[tuple[bool, list[Paragraph]]] = []
    for _i, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_stack.append((token.type == "ordered_list_open", []))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            ordered, items = list_stack.pop()
            if list_stack:
                list_stack[-1][1].extend(items)
            else:
                blocks.append(ListBlock(ordered, tuple(items)))
        elif token.type == "inline":
            paragraph = Paragraph(tuple(_runs(token)))
            if list_stack:
                list_stack[-1][1].append(paragraph)
            elif paragraph.text.strip():
                blocks.append(paragraph)
    return blocks


def _runs(inline: Token) -> list[Run]:
    """Flatten an inline token into runs, tracking bold, italic and links."""
    runs: list[Run] = []
    bold = italic = 0
    link: str | None = None
    for child in inline.children or []:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            link = str(child.attrs.get("href", ""))
        elif kind == "link_close":
            link = None
        elif kind in ("text", "code_inline"):
            runs.append(Run(child.content, bold > 0, italic > 0, link))
        elif kind == "softbreak":
            runs.append(Run(" ", bold > 0, italic > 0, link))
        elif kind == "hardbreak":
            runs.append(Run("\n", bold > 0, italic > 0, link))
    return _merge(runs)


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same formatting, so Word gets fewer, longer runs."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == (run.bold, run.italic, run.link):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.link)
        else:
            merged.append(run)
    return merged
