"""Tests of the chart functions: what is drawn, how it looks to the AF rules, and how it is saved."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest
from afcharts.af_colours import get_af_colours
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle, Wedge
from matplotlib.text import Text
from PIL import Image

from builder.charts import (
    category_chart,
    comparison_chart,
    contrast_ratio,
    limit_categories,
    monthly_chart,
    relative_luminance,
    save_png,
    share_chart,
    trend_chart,
)
from builder.charts.colour import meets_contrast, to_rgb
from builder.charts.common import format_share, month_ticks, wrap_label
from builder.charts.palette import BACKGROUND, DUO, PALETTE
from builder.charts.style import RC, chart_style
from builder.charts.trend import SPECIAL_CAUSE_STYLES

AF_COLOURS = {c.lower() for c in get_af_colours("categorical")}
NPTS = [
    "SOT South",
    "SOT North",
    "Lichfield",
    "Moorlands",
    "South Staffs",
    "Stafford",
    "Cannock",
    "East Staffs",
    "Tamworth",
    "Newcastle",
]
NPT_LAST = [14221, 15932, 5546, 4700, 5567, 7954, 6851, 8104, 5659, 8476]
NPT_PREVIOUS = [13345, 15432, 5489, 4702, 5586, 8025, 6931, 8260, 5778, 8776]


def months(count: int, start: date = date(2015, 10, 1)) -> list[date]:
    """Return ``count`` first-of-month dates from ``start``."""
    return [date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1) for i in range(count)]


@pytest.fixture(autouse=True)
def no_pyplot_figures() -> Iterator[None]:
    """Fail any test that leaves a pyplot figure open: the charts must not use pyplot."""
    yield
    assert plt.get_fignums() == []


@pytest.fixture
def robbery() -> dict:
    """A 36-month series with a rebase after 24 months and a breach in the last three."""
    values = [
        50,
        58,
        42,
        48,
        43,
        55,
        54,
        55,
        60,
        52,
        46,
        43,
        55,
        40,
        52,
        53,
        59,
        40,
        54,
        48,
        47,
        58,
        43,
        50,
        40,
        40,
        40,
        60,
        57,
        40,
        52,
        71,
        78,
        85,
        81,
        72,
    ]
    types = ["common_cause"] * 36
    types[33:36] = ["special_cause_concern"] * 3
    types[5] = "special_cause_improvement"
    return {
        "periods": months(36),
        "values": values,
        "mean": [52.0] * 24 + [60.0] * 12,
        "ucl": [75.0] * 24 + [82.0] * 12,
        "lcl": [29.0] * 24 + [38.0] * 12,
        "point_types": types,
        "title": "Personal robbery by month, October 2015 to September 2018",
        "latest_label": "Sep 2018: 72, special cause (concern)",
    }


def only_axes(figure: Figure) -> Axes:
    """Return the single axes a chart draws on."""
    assert len(figure.axes) == 1
    return figure.axes[0]


def line(ax: Axes, gid: str) -> Line2D:
    """Find the one line drawn with ``gid``."""
    found = [ln for ln in ax.get_lines() if ln.get_gid() == gid]
    assert len(found) == 1, f"expected one line {gid!r}, found {len(found)}"
    return found[0]


def bars(ax: Axes, gid: str = "bar") -> list[Rectangle]:
    """Find the bars drawn with ``gid``, in drawing order."""
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_gid() == gid]


def bar_texts(ax: Axes) -> list[str]:
    """Return the direct labels written on the bars."""
    return [t.get_text() for t in ax.texts if t.get_text()]


def tick_labels(ax: Axes, axis: str) -> list[str]:
    """Return the tick labels of one axis as text."""
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels]


def data_colours(figure: Figure) -> set[str]:
    """Collect the colours of every data mark: bars, wedges, lines and markers."""
    colours: set[str] = set()
    for ax in figure.axes:
        for patch in ax.patches:
            if isinstance(patch, (Rectangle, Wedge)) and patch.get_visible():
                colours.add(to_hex(patch.get_facecolor()))
        for drawn in ax.get_lines():
            colours.add(to_hex(drawn.get_color()))
            if drawn.get_marker() not in ("None", None, ""):
                colours.add(to_hex(drawn.get_markerfacecolor()))
    return colours


def visible_texts(figure: Figure) -> list[Text]:
    """Every piece of text that is drawn, including ticks and legends."""
    figure.draw_without_rendering()
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def typical_charts(robbery: dict) -> list[Callable[[], Figure]]:
    """Fourteen charts like one pack's: eight trends, shares, comparison, categories, months."""

    def trend() -> Figure:
        return trend_chart(
            robbery["periods"],
            robbery["values"],
            mean=robbery["mean"],
            ucl=robbery["ucl"],
            lcl=robbery["lcl"],
            point_types=robbery["point_types"],
            title=robbery["title"],
            latest_label=robbery["latest_label"],
        )

    crimes = [
        "Other Violence against the person",
        "Other Theft",
        "Criminal Damage (exc Arson)",
        "Less Serious Violent Crime with Injury",
        "Public Order",
        "Burglary Residential",
        "Theft From Motor Vehicles",
        "Burglary Business and Community",
    ]
    counts = [18955, 17948, 10479, 9864, 4197, 3850, 3151, 2217]
    return [trend] * 8 + [
        lambda: share_chart(crimes, [c / sum(counts) for c in counts], title="Share of crime by type"),
        lambda: share_chart(crimes, [c / sum(counts) for c in counts], title="Share (pie)", kind="pie"),
        lambda: comparison_chart(NPTS, NPT_PREVIOUS, NPT_LAST, title="Crimes by NPT"),
        lambda: category_chart(crimes, counts, title="Crimes by type, last 12 months"),
        lambda: monthly_chart(
            months(12, date(2017, 10, 1)),
            list(range(100, 220, 10)),
            title="Positive outcomes by month",
            y_label="Outcomes",
        ),
        lambda: monthly_chart(months(36), list(range(36)), title="Drug ASB by month", y_label="Incidents"),
    ]


# --- colour ---------------------------------------------------------------------------------


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#777777") == pytest.approx(4.48, abs=0.01)  # the classic "just fails" grey
    assert contrast_ratio("#12436D") == pytest.approx(10.25, abs=0.01)
    assert contrast_ratio("#FFFFFF", "#000000") == contrast_ratio("#000000", "#FFFFFF")


def test_colour_parsing_accepts_hex_forms_and_float_tuples() -> None:
    assert to_rgb("fff") == to_rgb("#FFFFFF") == to_rgb("#ffffffcc") == (1.0, 1.0, 1.0)
    assert to_rgb((0.0, 0.5, 1.0, 0.3)) == (0.0, 0.5, 1.0)
    assert relative_luminance("#000") == 0.0
    for bad in ("#12", "zzzzzz", (2.0, 0.0, 0.0), (0.1, 0.2)):
        with pytest.raises(ValueError):
            to_rgb(bad)  # type: ignore[arg-type]


def test_af_palette_is_used_in_order_and_every_colour_reaches_3_to_1_on_white() -> None:
    assert list(PALETTE) == get_af_colours("categorical")
    assert list(DUO) == get_af_colours("duo")
    for colour in PALETTE:
        assert meets_contrast(colour, "#FFFFFF", 3.0), colour


def test_style_comes_from_afcharts_and_is_readable_at_page_size() -> None:
    assert RC["axes.titlelocation"] == "left"
    assert RC["axes.spines.top"] is False
    assert RC["figure.figsize"] == (6.3, 3.4)
    assert min(RC[k] for k in ("font.size", "xtick.labelsize", "ytick.labelsize", "legend.fontsize")) >= 9
    # The checker judges chart contrast against palette.BACKGROUND: the charts must really use it.
    assert {RC[k] for k in ("figure.facecolor", "axes.facecolor", "savefig.facecolor")} == {BACKGROUND}


# --- helpers --------------------------------------------------------------------------------


def test_limit_categories_keeps_largest_five_and_sums_the_rest_into_other() -> None:
    labels = [f"c{i}" for i in range(10)]
    names, values = limit_categories(labels, list(range(10)), max_n=6)
    assert names == ["c9", "c8", "c7", "c6", "c5", "Other"]
    assert values == [9, 8, 7, 6, 5, 0 + 1 + 2 + 3 + 4]


def test_limit_categories_leaves_few_categories_alone_and_merges_an_existing_other() -> None:
    assert limit_categories(["a", "b"], [1, 2]) == (["b", "a"], [2.0, 1.0])
    names, values = limit_categories(["Other", "a", "b"], [5, 1, 2], max_n=2)
    assert names == ["b", "Other"] and values == [2.0, 6.0]
    assert limit_categories(["Other", "a"], [3, 1]) == (["a", "Other"], [1.0, 3.0])
    assert limit_categories([], []) == ([], [])
    with pytest.raises(ValueError):
        limit_categories(["a"], [1, 2])


def test_labels_and_shares_are_formatted_for_the_page() -> None:
    assert format_share(0.553) == "55%" and format_share(0.0) == "0%" and format_share(0.001) == "<1%"
    assert max(len(row) for row in wrap_label("Other Violence against the person").splitlines()) <= 25
    positions, labels = month_ticks(months(36))
    assert positions[-1] == 35 and labels[-1] == "Sep 2018" and labels[0] == "Mar 2016"
    assert all(b - a == 6 for a, b in zip(positions, positions[1:]))
    assert month_ticks(months(12))[0] == [2, 5, 8, 11]


# --- trend chart ----------------------------------------------------------------------------


def test_trend_chart_draws_series_mean_and_stepped_limits(robbery: dict) -> None:
    figure = trend_chart(
        robbery["periods"],
        robbery["values"],
        mean=robbery["mean"],
        ucl=robbery["ucl"],
        lcl=robbery["lcl"],
        title=robbery["title"],
    )
    ax = only_axes(figure)
    assert list(line(ax, "series").get_ydata()) == robbery["values"]
    assert list(line(ax, "mean").get_ydata()) == robbery["mean"]
    assert list(line(ax, "ucl").get_ydata()) == robbery["ucl"]
    assert list(line(ax, "lcl").get_ydata()) == robbery["lcl"]
    assert line(ax, "mean").get_linestyle() == "-"
    assert line(ax, "ucl").get_linestyle() == line(ax, "lcl").get_linestyle() == "--"
    assert line(ax, "ucl").get_drawstyle() == "steps-mid"
    assert ax.get_ylim()[0] == 0
    assert ax.get_title(loc="left").replace("\n", " ") == robbery["title"]


def test_trend_chart_marks_special_causes_by_shape_and_colour(robbery: dict) -> None:
    figure = trend_chart(
        robbery["periods"],
        robbery["values"],
        mean=robbery["mean"],
        ucl=robbery["ucl"],
        lcl=robbery["lcl"],
        point_types=robbery["point_types"],
        title=robbery["title"],
    )
    ax = only_axes(figure)
    concern = line(ax, "special_cause_concern")
    improvement = line(ax, "special_cause_improvement")
    assert list(concern.get_xdata()) == [33, 34, 35] and list(concern.get_ydata()) == [85, 81, 72]
    assert list(improvement.get_xdata()) == [5]
    shapes = {concern.get_marker(), improvement.get_marker(), line(ax, "series").get_marker()}
    assert len(shapes) == 3, "each kind of point needs its own marker shape"
    assert to_hex(concern.get_color()) != to_hex(improvement.get_color())
    assert {s.marker for s in SPECIAL_CAUSE_STYLES.values()}.isdisjoint({"o"})
    assert len({s.marker for s in SPECIAL_CAUSE_STYLES.values()}) == len(SPECIAL_CAUSE_STYLES)
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend == ["Crimes", "Mean", "Control limits", "Special cause: concern", "Special cause: improvement"]


def test_trend_chart_labels_the_latest_point_and_months(robbery: dict) -> None:
    figure = trend_chart(
        robbery["periods"],
        robbery["values"],
        mean=robbery["mean"],
        ucl=robbery["ucl"],
        lcl=robbery["lcl"],
        title="t",
        latest_label=robbery["latest_label"],
    )
    ax = only_axes(figure)
    (label,) = [t for t in ax.texts if t.get_gid() == "latest-label"]
    assert label.get_text() == robbery["latest_label"]
    assert label.xy == (35, 72)
    assert tick_labels(ax, "x") == ["Mar 2016", "Sep 2016", "Mar 2017", "Sep 2017", "Mar 2018", "Sep 2018"]


def test_trend_chart_handles_gaps_empty_input_and_bad_types(robbery: dict) -> None:
    nan = math.nan
    gappy: list = [1, None, 3]
    figure = trend_chart(
        months(3), gappy, mean=[nan] * 3, ucl=[None] * 3, lcl=[nan] * 3, title="gaps", latest_label="Dec 2015: 3"
    )
    assert math.isnan(line(only_axes(figure), "series").get_ydata()[1])
    figure.draw_without_rendering()
    empty = trend_chart([], [], mean=[], ucl=[], lcl=[], title="Nothing")
    assert [t.get_text() for t in only_axes(empty).texts] == ["No data"]
    assert only_axes(empty).get_title(loc="left") == "Nothing"
    with pytest.raises(ValueError, match="unknown point types"):
        trend_chart(
            months(2), [1, 2], mean=[1, 1], ucl=[2, 2], lcl=[0, 0], point_types=["common_cause", "special"], title="t"
        )
    with pytest.raises(ValueError, match="differ in length"):
        trend_chart(months(2), [1], mean=[1, 1], ucl=[2, 2], lcl=[0, 0], title="t")


def test_trend_chart_of_zeros_still_has_a_usable_axis() -> None:
    figure = trend_chart(months(12), [0] * 12, mean=[0] * 12, ucl=[0] * 12, lcl=[0] * 12, title="zeros")
    assert only_axes(figure).get_ylim() == (0.0, 1.0)


# --- bar charts -----------------------------------------------------------------------------


def test_share_chart_groups_into_other_sorts_and_labels_percentages() -> None:
    labels = ["A", "B", "C", "D", "E", "F", "G", "Fell"]
    shares = [0.05, 0.40, 0.20, 0.15, 0.10, 0.06, 0.04, -0.3]
    ax = only_axes(share_chart(labels, shares, title="Share of the increase"))
    drawn = bars(ax)
    assert len(drawn) == 6
    assert [p.get_width() for p in drawn] == pytest.approx([0.40, 0.20, 0.15, 0.10, 0.06, 0.09])
    assert tick_labels(ax, "y") == ["B", "C", "D", "E", "F", "Other"]
    assert bar_texts(ax) == ["40%", "20%", "15%", "10%", "6%", "9%"]
    assert "Fell" not in tick_labels(ax, "y")


def test_share_chart_as_pie_uses_palette_order_and_labels_each_wedge() -> None:
    figure = share_chart(["a", "b", "c"], [0.2, 0.5, 0.3], title="Pie", kind="pie")
    ax = only_axes(figure)
    wedges = [p for p in ax.patches if isinstance(p, Wedge)]
    assert [to_hex(w.get_facecolor()) for w in wedges] == [c.lower() for c in PALETTE[:3]]
    assert [t.get_text() for t in ax.texts] == ["b: 50%", "c: 30%", "a: 20%"]
    with pytest.raises(ValueError):
        share_chart(["a"], [1.0], title="t", kind="donut")  # type: ignore[arg-type]


def test_share_chart_edge_cases_one_category_zeros_and_nothing() -> None:
    assert bar_texts(only_axes(share_chart(["Only"], [1.0], title="t"))) == ["100%"]
    assert bar_texts(only_axes(share_chart(["a", "b"], [0, 0], title="t"))) == ["0%", "0%"]
    for kind in ("bar", "pie"):
        empty = share_chart(["a"], [-0.5], title="t", kind=kind)  # type: ignore[arg-type]
        assert [t.get_text() for t in only_axes(empty).texts] == ["No data"]
    zero_pie = share_chart(["a", "b"], [0, 0], title="t", kind="pie")
    assert [t.get_text() for t in only_axes(zero_pie).texts] == ["No data"]


def test_comparison_chart_pairs_periods_with_hatching_labels_and_legend() -> None:
    figure = comparison_chart(NPTS, NPT_PREVIOUS, NPT_LAST, title="Crimes by NPT")
    ax = only_axes(figure)
    order = sorted(range(10), key=lambda i: -NPT_LAST[i])
    assert tick_labels(ax, "y") == [NPTS[i] for i in order]
    assert [p.get_width() for p in bars(ax, "last")] == [NPT_LAST[i] for i in order]
    assert [p.get_width() for p in bars(ax, "previous")] == [NPT_PREVIOUS[i] for i in order]
    assert {p.get_hatch() for p in bars(ax, "previous")} == {"//"}
    assert {p.get_hatch() for p in bars(ax, "last")} == {None}
    assert {to_hex(p.get_facecolor()) for p in bars(ax, "previous")} == {DUO[0].lower()}
    assert {to_hex(p.get_facecolor()) for p in bars(ax, "last")} == {DUO[1].lower()}
    assert len(bar_texts(ax)) == 20 and "15,932" in bar_texts(ax)
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["Previous 12 months", "Last 12 months"]
    unsorted = only_axes(comparison_chart(NPTS, NPT_PREVIOUS, NPT_LAST, title="t", sort=False))
    assert tick_labels(unsorted, "y") == NPTS


def test_category_chart_labels_counts_and_wraps_long_names() -> None:
    labels = ["Other Violence against the person", "Other Theft", "Arson"]
    ax = only_axes(category_chart(labels, [18955, 17948, 483], title="Crimes by type"))
    assert [p.get_width() for p in bars(ax)] == [18955, 17948, 483]
    assert bar_texts(ax) == ["18,955", "17,948", "483"]
    assert tick_labels(ax, "y")[0] == "Other Violence against\nthe person"
    assert ax.get_xlabel() == "Offences"


def test_category_chart_groups_many_categories_unless_told_not_to() -> None:
    labels = [f"type {i}" for i in range(9)]
    values = [10, 90, 80, 70, 60, 50, 40, 30, 20]
    ax = only_axes(category_chart(labels, values, title="t"))
    assert tick_labels(ax, "y")[-1] == "Other" and len(bars(ax)) == 6
    assert bars(ax)[-1].get_width() == 10 + 40 + 30 + 20
    assert len(bars(only_axes(category_chart(labels, values, title="t", max_categories=None)))) == 9
    assert [t.get_text() for t in only_axes(category_chart([], [], title="t")).texts] == ["No data"]


def test_monthly_chart_draws_columns_in_time_order_with_labels_that_fit() -> None:
    values = [120, 130, 95, 140, 0, 160, 170, 100, 110, 90, 80, 1300]
    figure = monthly_chart(
        months(12, date(2017, 10, 1)),
        values,
        title="Positive outcomes by month",
        y_label="Outcomes",
        series_label="Positive outcomes",
    )
    ax = only_axes(figure)
    assert [p.get_height() for p in bars(ax)] == values
    assert bar_texts(ax)[-1] == "1,300" and len(bar_texts(ax)) == 12
    assert tick_labels(ax, "x")[-1] == "Sep 2018"
    assert ax.get_ylabel() == "Outcomes" and ax.get_ylim()[0] == 0
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["Positive outcomes"]


def test_monthly_chart_leaves_labels_off_when_crowded_and_gaps_for_missing() -> None:
    values: list[float] = [float(v) for v in range(36)]
    values[10] = math.nan
    figure = monthly_chart(months(36), values, title="t", y_label="Incidents")
    ax = only_axes(figure)
    assert bar_texts(ax) == [] and not figure.legends
    assert math.isnan(bars(ax)[10].get_height())
    empty = monthly_chart([], [], title="t", y_label="y")
    assert [t.get_text() for t in only_axes(empty).texts] == ["No data"]


# --- accessibility, across every chart ------------------------------------------------------


def test_every_chart_uses_af_colours_with_3_to_1_contrast_and_text_of_9pt(robbery: dict) -> None:
    for make in typical_charts(robbery):
        figure = make()
        colours = data_colours(figure)
        assert colours and colours <= AF_COLOURS, colours - AF_COLOURS
        assert all(contrast_ratio(c) >= 3.0 for c in colours)
        for text in visible_texts(figure):
            assert text.get_fontsize() >= 9, text.get_text()
            assert contrast_ratio(to_hex(text.get_color())) >= 4.5, text.get_text()


def test_charts_render_with_agg_and_leave_global_rcparams_alone(robbery: dict) -> None:
    before = dict(matplotlib.rcParams)
    for make in typical_charts(robbery)[-6:]:
        assert isinstance(make().canvas, FigureCanvasAgg)
    assert dict(matplotlib.rcParams) == before


# --- saving ---------------------------------------------------------------------------------


def test_save_png_is_deterministic_at_200_dpi(tmp_path: Path, robbery: dict) -> None:
    for index, make in enumerate(typical_charts(robbery)[7:]):
        first = save_png(make(), tmp_path / f"a{index}.png")
        second = save_png(make(), tmp_path / f"b{index}.png")
        assert first.read_bytes() == second.read_bytes()
    with Image.open(tmp_path / "a0.png") as image:
        assert image.info["dpi"] == pytest.approx((200, 200), abs=0.01)
        assert image.size[0] == 1260  # 6.3 inches at 200 dpi
        assert "Software" not in image.info


def test_save_png_matches_a_plain_savefig_and_writes_atomically(tmp_path: Path, robbery: dict) -> None:
    figure = typical_charts(robbery)[-3]()
    target = save_png(figure, tmp_path / "sub" / "chart.png")
    assert target == tmp_path / "sub" / "chart.png"
    direct = tmp_path / "direct.png"
    with chart_style():
        figure.savefig(direct, dpi=200, metadata={"Software": None})
    with Image.open(direct) as plain, Image.open(target) as saved:  # same pixels, without the (opaque) alpha
        assert saved.mode == "RGB" and plain.mode == "RGBA"
        assert plain.getchannel("A").getextrema() == (255, 255)
        assert plain.size == saved.size and plain.convert("RGB").tobytes() == saved.tobytes()
    assert target.stat().st_size < direct.stat().st_size
    assert sorted(p.name for p in target.parent.iterdir()) == ["chart.png"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_save_png_leaves_nothing_behind_when_saving_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    figure = category_chart(["a"], [1], title="t")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(figure.canvas, "draw", broken)
    with pytest.raises(RuntimeError):
        save_png(figure, tmp_path / "chart.png")
    assert list(tmp_path.iterdir()) == []


def test_fourteen_typical_charts_render_and_save(tmp_path: Path, robbery: dict) -> None:
    for index, make in enumerate(typical_charts(robbery)):
        save_png(make(), tmp_path / f"chart{index}.png")
    assert len(list(tmp_path.glob("*.png"))) == 14


def test_every_label_stays_inside_the_figure(robbery: dict) -> None:
    """Value and latest-point labels are left out of the layout; the room kept for them must hold.

    Large counts make the widest value labels, and a series ending at its maximum puts
    the latest-point label's leader line at the top.
    """
    big = [v * 1000 for v in NPT_LAST]
    rising = dict(robbery, values=robbery["values"][:-1] + [max(robbery["values"]) + 30])
    charts = [
        *typical_charts(robbery),
        typical_charts(rising)[0],
        lambda: comparison_chart(NPTS, [v * 1000 for v in NPT_PREVIOUS], big, title="Crimes by NPT"),
        lambda: category_chart(NPTS, big, title="Crimes by NPT, last 12 months"),
        lambda: monthly_chart(months(12), [99999] * 12, title="Outcomes", y_label="Outcomes"),
    ]
    for make in charts:
        figure = make()
        with chart_style():
            renderer = figure.canvas.get_renderer()
            figure.draw(renderer)
            boxes = [(figure.bbox, legend.get_window_extent(renderer)) for legend in figure.legends]
            for ax in figure.axes:
                decorated = ax.get_tightbbox(renderer)  # title, drawn ticks, axis labels
                boxes.append((figure.bbox, decorated))
                for legend in figure.legends:  # legends go under the plot and its labels, never over them
                    assert legend.get_window_extent(renderer).y1 <= decorated.y0 + 1, ax.get_title(loc="left")
                boxes += [
                    (ax.bbox, label.get_window_extent(renderer))
                    for label in ax.texts
                    if label.get_text() and not label.get_in_layout()
                ]
        for outer, box in boxes:
            assert outer.x0 - 1 <= box.x0 and box.x1 <= outer.x1 + 1, (figure.axes[0].get_title(loc="left"), box)
            assert outer.y0 - 1 <= box.y0 and box.y1 <= outer.y1 + 1, (figure.axes[0].get_title(loc="left"), box)


def test_margin_layout_leaves_a_figure_of_several_axes_to_constrained_layout() -> None:
    from builder.charts.style import new_figure

    with chart_style():
        figure = new_figure()
        left, right = figure.subplots(1, 2)
        for ax in (left, right):
            ax.set_title("Title")
            ax.set_ylabel("Crimes")
        figure.draw(figure.canvas.get_renderer())
    assert left.get_tightbbox().x1 <= right.get_tightbbox().x0 + 1


def test_a_label_wider_than_the_page_is_wrapped_and_shortened(tmp_path: Path) -> None:
    """A category label too long for the page wraps onto three lines, the last ending in an ellipsis."""
    figure = category_chart(["x" * 400, "Other theft"], [10, 5], title="Too wide", max_categories=None)
    save_png(figure, tmp_path / "wide.png")
    labels = [t.get_text() for t in only_axes(figure).get_yticklabels()]
    assert labels[0].count("\n") == 2 and labels[0].endswith("…")
    assert labels[1] == "Other theft"
