"""Rule on the charts' pictures: no text drawn outside the image, so nothing a reader needs is cut off.

A title that runs off a chart ("…by offence type, last 12 mont") passes every check that
reads the document's text. This rule opens each chart's PNG inside the .docx and judges
it twice: by the box of every text the chart recorded when it was drawn
(``builder.charts.record``), which names the text that overflows, and by its pixels,
because anything drawn up to the image's edge (text or not) has been cut there.
Pictures that are not perfpack charts (a logo in the template) are left alone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

from builder.charts.record import CHUNK, decode
from builder.check.ooxml import R_NS, WP_NS, DocxPackage, snippet
from builder.check.report import Problem, RuleResult, counted

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
EDGE = 2
"""Pixels at each edge of a chart that must be background: charts keep a margin inside the image."""
CHART_NAME = "Chart: "
"""How the pack names its charts' pictures: a chart from before the text record is still judged by its pixels."""
TOLERANCE = 24
"""Sum of RGB differences from the background still counted as background (image compression)."""


@dataclass(frozen=True)
class ChartPicture:
    """A picture in the body: its name (alt title) and the package part holding its image."""

    name: str
    part: str


def check_chart_text(pkg: DocxPackage) -> RuleResult:
    """Every chart's texts lie inside its image, and nothing is drawn at the image's edges."""
    problems: list[Problem] = []
    charts = 0
    for number, picture in enumerate(body_pictures(pkg), start=1):
        try:
            image = Image.open(io.BytesIO(pkg.read(picture.part)))
            image.load()
        except (KeyError, OSError, UnidentifiedImageError):
            continue  # a missing or unreadable picture is the alt-text and PDF rules' business
        chunk = image.info.get(CHUNK)
        if not isinstance(chunk, str) and not picture.name.startswith(CHART_NAME):
            continue  # not a perfpack chart
        charts += 1
        where = f"picture {number} {snippet(picture.name.removeprefix(CHART_NAME), 50)}"
        messages = _chart_problems(image, chunk) if isinstance(chunk, str) else _edge_problems(image)
        problems += [Problem("chart-text", where, message) for message in messages]
    return RuleResult("chart-text", "chart text drawn inside each chart's image", counted(charts, "chart"), problems)


def body_pictures(pkg: DocxPackage) -> list[ChartPicture]:
    """Each inline or floating picture of the body with the image part it shows."""
    found = []
    for doc_pr in pkg.body.root.iter(f"{{{WP_NS}}}docPr"):
        drawing = doc_pr.getparent()
        blip = next(drawing.iter(f"{{{A_NS}}}blip"), None) if drawing is not None else None
        rel = pkg.rels.get(blip.get(f"{{{R_NS}}}embed", "")) if blip is not None else None
        if rel is not None and not rel.external:
            found.append(ChartPicture(doc_pr.get("name", ""), rel.target))
    return found


def _chart_problems(image: Image.Image, chunk: str) -> list[str]:
    """What is cut off in one chart: texts past an edge, then any edge with something drawn on it."""
    messages = []
    try:
        (width, height), boxes = decode(chunk)
    except (ValueError, KeyError, TypeError):
        return ["its record of the text drawn is damaged; rebuild the pack"]
    if (width, height) != image.size:
        return [f"its record of the text drawn is for a {width}x{height} image, not {image.width}x{image.height}"]
    for box in boxes:
        edges = box.outside(width, height)
        if edges:
            messages.append(f"text '{snippet(box.text, 40)}' runs past the {' and '.join(edges)} edge; it is cut off")
    return messages or _edge_problems(image)


def _edge_problems(image: Image.Image) -> list[str]:
    edges = _touched_edges(image)
    return [f"something is drawn up to the {' and '.join(edges)} edge and may be cut off"] if edges else []


def _touched_edges(image: Image.Image) -> list[str]:
    """The edges whose outermost pixels are not all the background (the colour of the corners).

    Only the strips along the edges are turned into arrays: the whole image was two thirds
    of this rule's time, which the build waits for after its last chart.
    """
    rgb = image.convert("RGB")
    width, height = rgb.size
    boxes = {
        "top": (0, 0, width, min(EDGE, height)),
        "bottom": (0, max(0, height - EDGE), width, height),
        "left": (0, 0, min(EDGE, width), height),
        "right": (max(0, width - EDGE), 0, width, height),
    }
    strips = {edge: np.asarray(rgb.crop(box), dtype=np.int16) for edge, box in boxes.items()}
    background = strips["top"][0, 0]
    return [edge for edge, strip in strips.items() if (np.abs(strip - background).sum(axis=-1) > TOLERANCE).any()]
