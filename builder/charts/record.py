"""What a chart records, inside its PNG, about the text it draws: read back by the pack checker.

A chart whose title or labels run off the image looks fine to every automated check
that only reads the document. So each chart, as it is saved, writes the box of every
text it drew (in image pixels, origin top left) into a compressed text chunk of its
PNG; the checker reads it from the built .docx and fails any text outside the image.
Kept free of matplotlib, like ``palette``, so the checker never imports it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

CHUNK = "perfpack:texts"
"""The PNG iTXt/zTXt keyword the boxes are stored under."""


@dataclass(frozen=True)
class TextBox:
    """One drawn text and its box in image pixels, origin at the top left (as a viewer shows it)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    def outside(self, width: int, height: int, slack: float = 0.5) -> list[str]:
        """The edges of a ``width`` x ``height`` image that this box runs past, e.g. ['right']."""
        edges = {
            "left": self.left < -slack,
            "top": self.top < -slack,
            "right": self.right > width + slack,
            "bottom": self.bottom > height + slack,
        }
        return [edge for edge, past in edges.items() if past]


def encode(width: int, height: int, boxes: list[TextBox]) -> str:
    """The chunk's text: the image size and every box, rounded to a tenth of a pixel (same chart, same bytes)."""
    rows = [[b.text, round(b.left, 1), round(b.top, 1), round(b.right, 1), round(b.bottom, 1)] for b in boxes]
    return json.dumps({"size": [width, height], "texts": rows}, ensure_ascii=False, separators=(",", ":"))


def decode(chunk: str) -> tuple[tuple[int, int], list[TextBox]]:
    """The image size and boxes recorded in ``chunk`` (raises ValueError if it is not one of ours)."""
    data = json.loads(chunk)
    width, height = (int(v) for v in data["size"])
    return (width, height), [TextBox(str(t), float(a), float(b), float(c), float(d)) for t, a, b, c, d in data["texts"]]
