"""Charts never cut their text off, whatever the names and values; the pack checker fails one that does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from docx import Document
from docx.shared import Cm
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image

from builder.charts import category_chart, comparison_chart, monthly_chart, save_png, share_chart, trend_chart
from builder.charts.annotate import polyline, step_path
from builder.charts.record import CHUNK, decode
from builder.charts.style import chart_style, new_figure
from builder.check import check_pack
from builder.check.chart_rules import check_chart_text
from builder.check.ooxml import DocxPackage

LONG_NAMES = [
    "Folkestone and Hythe",
    "Tonbridge and Malling",
    "Possession of weapons",
    "Violence and sexual offences",
    "Criminal damage and arson",
    "Newcastle-under-Lyme and the Staffordshire Moorlands",
    "Anti-social behaviour (personal, nuisance and environmental)",
    "Outside force area",
]
LONG_TITLE = (
    "Anti-social behaviour (personal, nuisance and environmental) by Neighbourhood Policing Team, "
    "previous and last 2 months"
)


def months(count: int, start: date = date(2015, 10, 1)) -> list[date]:
    return [date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1) for i in range(count)]


def saved(figure: Figure, path: Path) -> tuple[Image.Image, list]:
    """The saved image and the text boxes it recorded."""
    save_png(figure, path)
    image = Image.open(path)
    image.load()
    (width, height), boxes = decode(image.info[CHUNK])
    assert (width, height) == image.size
    return image, boxes


def edge_ink(image: Image.Image, edge: int = 2) -> bool:
    pixels = np.asarray(image.convert("RGB"), dtype=int)
    ring = np.concatenate(
        [pixels[:edge].reshape(-1, 3), pixels[-edge:].reshape(-1, 3), pixels[:, :edge].reshape(-1, 3)]
        + [pixels[:, -edge:].reshape(-1, 3)]
    )
    return bool((np.abs(ring - 255).sum(axis=1) > 24).any())


def charts_with_long_text() -> list:
    values = [1, 25, 17, 1234, 1, 7, 0, 35_000]
    return [
        lambda: comparison_chart(LONG_NAMES, values, values[::-1], title=LONG_TITLE),
        lambda: category_chart(LONG_NAMES, values, title=LONG_TITLE, max_categories=None),
        lambda: share_chart(LONG_NAMES, [v / sum(values) for v in values], title=LONG_TITLE),
        lambda: share_chart(LONG_NAMES, [v / sum(values) for v in values], title=LONG_TITLE, kind="pie"),
        lambda: monthly_chart(months(6), [3, 99_999, 5, 7, 0, 12], title=LONG_TITLE, y_label="Positive outcomes"),
        lambda: trend_chart(
            months(36),
            [5.0] * 35 + [120.0],
            mean=[6.0] * 36,
            ucl=[20.0] * 36,
            lcl=[0.0] * 36,
            title=LONG_TITLE,
            latest_label="September 2018: 120 (special cause: concern)",
        ),
        lambda: category_chart(["x" * 400, "Other theft"], [10, 5], title="y" * 300, max_categories=None),
    ]


@pytest.mark.parametrize("index", range(len(charts_with_long_text())))
def test_long_titles_and_names_stay_inside_the_chart(tmp_path: Path, index: int) -> None:
    image, boxes = saved(charts_with_long_text()[index](), tmp_path / "chart.png")
    outside = [(b.text, b.outside(*image.size)) for b in boxes if b.outside(*image.size)]
    assert outside == []
    assert not edge_ink(image), "something is drawn up to the image's edge"
    texts = " ".join(b.text.replace("\n", " ") for b in boxes)
    if index < 6:  # the title is wrapped, never shortened
        assert " ".join(LONG_TITLE.split()) in " ".join(texts.split())


def test_the_title_starts_at_the_charts_left_edge_and_wraps_to_its_width(tmp_path: Path) -> None:
    """The AF's "plot"-aligned title: it starts at the left of the labels, not of the bars."""
    image, boxes = saved(comparison_chart(LONG_NAMES, [1] * 8, [2] * 8, title=LONG_TITLE), tmp_path / "chart.png")
    title = next(b for b in boxes if b.text.startswith("Anti-social"))
    assert "\n" in title.text
    assert title.left < 0.02 * image.width
    assert title.right <= image.width


def test_a_wide_legend_gets_more_rows_instead_of_running_off(tmp_path: Path) -> None:
    long = "Last 2 months, 1 January 2019 to 28 February 2019 (recorded date)"
    figure = comparison_chart(LONG_NAMES[:3], [1, 2, 3], [3, 2, 1], title="t", previous_label=long, last_label=long)
    image, boxes = saved(figure, tmp_path / "chart.png")
    assert [b.text for b in boxes if b.text == long] == [long, long]
    assert all(not b.outside(*image.size) for b in boxes)


SERIES_ENDINGS = {
    "breaks above the upper limit": [50.0] * 33 + [86, 77, 75],
    "ends on the mean": [45.0 + i % 5 for i in range(33)] + [50, 52, 55],
    "ends at the lower limit": [45.0 + i % 5 for i in range(33)] + [50, 46, 43],
    "ends at its highest": [10.0 + i for i in range(36)],
    "ends at zero": [30.0] * 35 + [0],
    "zig-zags around the mean": [55 + (8 if i % 2 else -8) for i in range(36)],
}


@pytest.mark.parametrize("shape", SERIES_ENDINGS)
def test_the_latest_point_label_crosses_no_line(shape: str, tmp_path: Path) -> None:
    values = SERIES_ENDINGS[shape]
    mean, ucl, lcl = [55.0] * 36, [67.0] * 36, [43.0] * 36
    figure = trend_chart(
        months(36), values, mean=mean, ucl=ucl, lcl=lcl, title="t", latest_label="September 2018: 75 (common cause)"
    )
    save_png(figure, tmp_path / "chart.png")  # lays the chart out as the pack does
    ax = figure.axes[0]
    (label,) = [t for t in ax.texts if t.get_gid() == "latest-label"]
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    label.update_positions(renderer)
    box = Text.get_window_extent(label, renderer)
    positions = list(range(36))
    lines = [*polyline(positions, values), *(r for limit in (mean, ucl, lcl) for r in step_path(positions, limit))]
    paths = [MplPath(ax.transData.transform(run)) for run in lines]
    assert not any(p.intersects_bbox(box, filled=False) for p in paths), shape
    frame = ax.get_window_extent(renderer)
    assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1 and box.y1 <= frame.y1 + 1
    if label.arrow_patch is not None and label.arrow_patch.get_visible():
        leader = label.arrow_patch.get_path().transformed(label.arrow_patch.get_transform())
        point = ax.transData.transform((35, values[-1]))
        near_point = Bbox.from_extents(*(point - 12), *(point + 12))
        for path in paths:
            crossings = path.intersects_path(leader, filled=False)
            assert not crossings or near_point.overlaps(leader.get_extents()), shape


# --- the checker -----------------------------------------------------------------------------


def docx_with(pictures: list[Path], path: Path) -> Path:
    document = Document()
    document.core_properties.title = "Charts"
    for picture in pictures:
        document.add_picture(str(picture), width=Cm(16))
    document.save(str(path))
    return path


def clipped_chart(path: Path) -> Path:
    """A chart whose text runs off the right edge, saved as the pack saves charts."""
    with chart_style():
        figure = new_figure()
        figure.set_layout_engine(None)
        ax = figure.add_subplot()
        ax.plot([0, 1], [0, 1])
        ax.text(0.8, 0.5, "Recorded drug offences by offence type, last 12 months", transform=ax.transAxes)
    save_png(figure, path)
    return path


def test_the_checker_fails_a_chart_whose_text_runs_off_it(tmp_path: Path) -> None:
    good = save_png(category_chart(["a", "b"], [1, 2], title="Fine"), tmp_path / "good.png")
    bad = clipped_chart(tmp_path / "bad.png")
    result = check_chart_text(DocxPackage(docx_with([good, bad], tmp_path / "pack.docx")))
    assert result.checked == "2 charts"
    assert len(result.problems) == 1
    (problem,) = result.problems
    assert problem.rule == "chart-text" and "picture 2" in problem.where
    assert "Recorded drug offences" in problem.message and "right edge" in problem.message


def test_the_checker_fails_a_chart_with_ink_at_its_edge_and_leaves_other_pictures_alone(tmp_path: Path) -> None:
    good = save_png(category_chart(["a", "b"], [1, 2], title="Fine"), tmp_path / "good.png")
    with Image.open(good) as image:
        info = image.info[CHUNK]
        pixels = np.asarray(image.convert("RGB")).copy()
    pixels[200:220, -1] = 0  # a line drawn up to the right edge, which the texts record does not know
    from PIL.PngImagePlugin import PngInfo

    record = PngInfo()
    record.add_itxt(CHUNK, info, zip=True)
    edged = tmp_path / "edged.png"
    Image.fromarray(pixels).save(edged, pnginfo=record)
    logo = tmp_path / "logo.png"
    Image.new("RGB", (50, 50), "black").save(logo)  # ink everywhere, but not a perfpack chart
    result = check_chart_text(DocxPackage(docx_with([edged, logo], tmp_path / "pack.docx")))
    assert result.checked == "1 chart"
    assert [p.message for p in result.problems] == ["something is drawn up to the right edge and may be cut off"]


def test_check_pack_runs_the_chart_rule(tmp_path: Path) -> None:
    bad = clipped_chart(tmp_path / "bad.png")
    report = check_pack(docx_with([bad], tmp_path / "pack.docx"))
    assert [p.rule for p in report.problems if p.rule == "chart-text"] == ["chart-text"]
