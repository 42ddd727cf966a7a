"""The pack as an ordered list of content elements: plain data, no Word.

The layout stage decides *what* the pack says and in which order; the Word renderer
decides only *how* it looks. Tests can check the order of sections without opening
a document, and another renderer (HTML, say) would need nothing new here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.narrative.markdown import Block


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 starts a section (and a page)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Text:
    """Narrative: paragraphs and lists parsed from the author's Markdown."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Table:
    """A data table with a header row that repeats across pages."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    total: tuple[str, ...] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    description: str = ""


@dataclass(frozen=True)
class Figure:
    """A chart image with the title shown under it and the alt text read to screen readers."""

    path: Path
    title: str
    alt: str
    width_cm: float = 16.0


Element = Heading | Text | Table | Figure
