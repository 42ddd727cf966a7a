"""The charts' PNG writer: any opaque pixel array comes back from a standard decoder unchanged."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from builder.charts.save import png_bytes


@pytest.mark.parametrize(("height", "width"), [(1, 1), (7, 13), (120, 333)])
def test_pillow_reads_back_the_same_pixels_and_resolution(height: int, width: int) -> None:
    rgba = np.random.default_rng(height * width).integers(0, 256, (height, width, 4), dtype=np.uint8)
    rgba[:, :, 3] = 255
    with Image.open(io.BytesIO(png_bytes(rgba, 200))) as image:
        image.load()  # checks every chunk's CRC and the zlib stream
        assert image.mode == "RGB"
        assert image.size == (width, height)
        assert np.array_equal(np.asarray(image), rgba[:, :, :3])
        assert image.info["dpi"] == pytest.approx((200, 200), abs=0.01)
        assert set(image.info) == {"dpi"}  # no "Software" tag, no time: the same pixels give the same bytes


def test_the_same_pixels_give_the_same_bytes() -> None:
    rgba = np.full((40, 60, 4), 255, dtype=np.uint8)
    rgba[10:20, 5:50, :3] = (18, 67, 109)
    assert png_bytes(rgba, 200) == png_bytes(rgba.copy(), 200)
    assert png_bytes(rgba, 200) != png_bytes(rgba, 150)  # the resolution is part of the file


def test_texts_are_read_back_as_pillow_writes_them() -> None:
    rgba = np.full((8, 8, 4), 255, dtype=np.uint8)
    record = '{"size":[8,8],"texts":[["Crimes – 12 months",0.5,1.0,7.5,3.0]]}'
    with Image.open(io.BytesIO(png_bytes(rgba, 200, {"perfpack:texts": record}))) as image:
        image.load()
        assert image.info["perfpack:texts"] == record
