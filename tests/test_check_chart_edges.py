"""The chart-text rule's edge test looks at exactly the outermost pixels, on images of any size."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from builder.check.chart_rules import EDGE, _touched_edges

INK = (30, 30, 30)


def _image(height: int, width: int, *ink: tuple[int, int]) -> Image.Image:
    pixels = np.full((height, width, 3), 245, dtype=np.uint8)
    for y, x in ink:
        pixels[y, x] = INK
    return Image.fromarray(pixels, "RGB")


@pytest.mark.parametrize(
    ("ink", "edges"),
    [
        ((0, 50), ["top"]),
        ((39, 50), ["bottom"]),
        ((20, 1), ["left"]),
        ((20, 58), ["right"]),
        ((EDGE, 50), []),  # one pixel inside the top strip
        ((20, 30), []),
    ],
)
def test_ink_is_found_on_the_edge_it_touches(ink: tuple[int, int], edges: list[str]) -> None:
    assert _touched_edges(_image(40, 60, ink)) == edges


@pytest.mark.parametrize(("height", "width"), [(1, 5), (3, 2), (4, 4)])
def test_images_smaller_than_the_strips_are_judged_whole(height: int, width: int) -> None:
    assert _touched_edges(_image(height, width)) == []
    inked = _touched_edges(_image(height, width, (height - 1, width - 1)))  # the corner pixel is the background
    assert "bottom" in inked and "right" in inked
