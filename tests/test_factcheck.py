"""The fact-check of figures typed into narrative: what it reads, what it matches, where it points."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CONFIG

from builder.build.inputs import read_inputs
from builder.build.prepare import prepare
from builder.config.load import load_config
from builder.narrative.factcheck import check_literal, fact_check_warnings, typed_figures

DRUGS_TREND = "        {{ drugs.spc.sentence }}\n"


@pytest.fixture(scope="module")
def context() -> dict:
    """The sample's figures; editing narrative does not change them, so one context serves all."""
    return prepare(read_inputs(CONFIG)).context


def edited(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the sample config with one edit, and the file line where ``new`` starts."""
    text = CONFIG.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text[: text.index(new)].count("\n") + 1


def typed(source: str) -> list[str]:
    return [literal.text for literal in typed_figures(source)]


# --- what counts as a typed figure ----------------------------------------------------------


def test_counts_and_percentages_are_found():
    assert typed("Offences fell by 419 (19%) to 1,802; 9.6% and -19% and 26 per cent.") == [
        "419",
        "19%",
        "1,802",
        "9.6%",
        "-19%",
        "26 per cent",
    ]


@pytest.mark.parametrize(
    "source",
    [
        "We have made savings since 2010 and must find more by March 2021.",
        "Published on 9 November 2018, or 2018-11-09, or 09/11/2018, for 2017/18.",
        "Staffordshire ranks 4th of its group; 1st is the lowest rate.",
        "Four acquisitive types rose and ten fell.",
        "In the 12 months to September, over 18-month periods and three years.",
        "Robberies per 1,000 people.",
        "It cost £20 and the meeting is at 10:30 in room 2B, at 10am.",
        "{{ robbery.last_12 | number }} crimes, {{ 1802 }}, {% if 419 > 1 %}yes{% endif %} {# 416 #}",
        "1. first item\n2. second item\n\n- bullet\n",
        "See [the 2018 data](https://example.org/2018/416).",
    ],
)
def test_things_that_are_not_figures_are_ignored(source):
    assert typed(source) == []


def test_lines_within_a_field_are_counted():
    literals = list(typed_figures("First line.\n\nThird line says 416.\n"))
    assert [(lit.text, lit.line) for lit in literals] == [("416", 3)]


def test_a_number_wrapped_to_the_start_of_a_line_is_still_prose():
    assert typed("Drug offences fell by\n416. That is a fall.") == ["416"]


# --- matching, allowing for the rounding shown ----------------------------------------------

FIGURES = [
    ("drugs.last_12", 1802),
    ("drugs.previous_12", 2218),
    ("drugs.difference", -416),
    ("drugs.change_pct", -18.755635707844906),
    ("robbery.change_pct", 26.025236593059937),
    ('crime_type["Other Violence against the person"].change_pct', 9.585477250390241),
]


def literal(text: str):
    return next(typed_figures(text))


@pytest.mark.parametrize(
    "text",
    [
        "1,802",
        "1802",
        "1,800",
        "fell by 416",
        "2,218",
        "19%",
        "18.8%",
        "-19%",
        "26%",
        "26.0%",
        "9.6%",
        "10%",
        "26 per cent",
    ],
)
def test_figures_that_match_allowing_for_rounding(text):
    assert check_literal(literal(text), FIGURES) is None


@pytest.mark.parametrize(
    ("text", "nearest", "says"),
    [
        ("fell by 419", "drugs.difference", "the data say 416"),
        ("1,803", "drugs.last_12", "the data say 1,802"),
        ("27%", "robbery.change_pct", "the data say 26%"),
        ("9.5%", 'crime_type["Other Violence against the person"].change_pct', "the data say 9.6%"),
        ("+19%", "drugs.change_pct", "the data say -19%"),
        ("1,900", "drugs.last_12", "the data say 1,802"),
    ],
)
def test_figures_that_do_not_match_name_the_nearest(text, nearest, says):
    found, message = check_literal(literal(text), FIGURES)
    assert found[0] == nearest
    assert message.startswith(says) and nearest in message


def test_a_count_never_matches_a_percentage():
    assert check_literal(literal("26 crimes"), [("robbery.change_pct", 26.0)]) is not None


# --- the whole config -------------------------------------------------------------------------


def test_the_sample_narrative_has_no_warnings(context):
    assert fact_check_warnings(load_config(CONFIG), context) == []


def test_wrong_figure_reported_at_its_file_line_right_ones_not(tmp_path, context):
    sentence = "        Drug offences fell by 419 (19%) to 1,802 in the 12 months to September 2018.\n"
    path, line = edited(tmp_path, DRUGS_TREND, DRUGS_TREND + sentence)
    warnings = fact_check_warnings(load_config(path), context)
    assert [str(w) for w in warnings] == [f"{path}:{line + 1}: drugs: 419: the data say 416 (drugs.difference)"]
    warning = warnings[0]
    assert (warning.path, warning.line, warning.literal, warning.nearest) == (
        path,
        line + 1,
        "419",
        ("drugs.difference", -416),
    )


def test_a_figure_of_another_section_does_not_count(tmp_path, context):
    """Robbery's 799 is right in robbery's section and wrong in drugs'."""
    sentence = "        Robbery reached 799.\n"
    path, _ = edited(tmp_path, DRUGS_TREND, DRUGS_TREND + sentence)
    assert [w.literal for w in fact_check_warnings(load_config(path), context)] == ["799"]
    path, _ = edited(
        tmp_path,
        "      trend: |\n        Personal robbery",
        "      trend: |\n        Robbery reached 799. Personal robbery",
    )
    assert fact_check_warnings(load_config(path), context) == []


def test_one_line_values_and_list_items_point_at_their_own_line(tmp_path, context):
    path, line = edited(tmp_path, "      - Supply\n", "      - Supply of 4,321 wraps\n")
    warnings = fact_check_warnings(load_config(path), context)
    assert [(w.line, w.literal, w.section) for w in warnings] == [(line, "4,321", "drugs")]


def test_a_one_line_literal_block_points_at_the_line_under_its_key(tmp_path, context):
    """`trend: |` with one line of text: the text is on the line after the key, not on it."""
    path, line = edited(
        tmp_path,
        "        These burglaries {{ bbc | change_phrase }}",
        "        These 4,321 burglaries {{ bbc | change_phrase }}",
    )
    assert [(w.line, w.literal, w.section) for w in fact_check_warnings(load_config(path), context)] == [
        (line, "4,321", "bbc")
    ]


@pytest.mark.parametrize("style", [">", ""])
def test_folded_and_plain_values_point_at_the_figures_line(tmp_path, context, style):
    old = """      what_happened: |
        Possession of cannabis makes up"""
    new = f"""      what_happened: {style}
        Drug offences fell
        by 419. Possession of cannabis makes up"""
    path, line = edited(tmp_path, old, new)
    assert [(w.line, w.literal) for w in fact_check_warnings(load_config(path), context)] == [(line + 2, "419")]
