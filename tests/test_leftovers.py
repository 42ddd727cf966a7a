"""Text left to replace ('TBC', 'TODO', 'XX', '[insert …]', the config's markers) and raw numbers printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CONFIG

from builder.build.inputs import read_inputs
from builder.build.prepare import prepare
from builder.config.load import load_config
from builder.narrative.fields import narrative_fields
from builder.narrative.leftovers import BUILT_IN, leftover_warnings, leftovers
from builder.narrative.placeholders import render_narrative
from builder.narrative.unformatted import Printed, filter_for, is_raw, unformatted_warnings, with_filter

DRUGS_TREND = "        {{ drugs.spc.sentence }}\n"


@pytest.fixture(scope="module")
def context() -> dict:
    return prepare(read_inputs(CONFIG)).context


def edited(tmp_path: Path, old: str, new: str, extra: str = "") -> tuple[Path, int]:
    """A copy of the sample config with one edit (and lines added at the end), and the line where ``new`` starts."""
    text = CONFIG.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new) + extra
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text[: text.index(new)].count("\n") + 1


# --- leftovers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("The owner is TBC.", ["TBC"]),
        ("todo: check this", ["todo"]),
        ("Robbery rose by XX% to XX,XXX.", ["XX", "XX,XXX"]),
        ("We arrested [insert number] people.", ["[insert number]"]),
        ("*For the force to complete: the actions taken.*", ["For the force to complete"]),
        ("Nothing to do here: a Texas hold-up, Xmas, TBCs aside, XXI Olympiad.", []),
        ("{# TODO: a note for authors, never printed #}Done.", []),
    ],
)
def test_prompts_are_found_and_ordinary_words_are_not(source, found):
    assert [text for _, text in leftovers(source, list(BUILT_IN))] == found


def test_the_sample_has_no_leftovers():
    assert leftover_warnings(load_config(CONFIG)) == []


def test_a_leftover_points_at_its_line_and_the_configs_own_markers_count(tmp_path):
    path, line = edited(
        tmp_path,
        DRUGS_TREND,
        DRUGS_TREND + "        Offences were seized by [Name] (TBC).\n",
        extra='leftover_markers: ["[Name]"]\n',
    )
    warnings = leftover_warnings(load_config(path))
    assert [(w.line, w.section, w.subject) for w in warnings] == [
        (line + 1, "drugs", '"[Name]"'),
        (line + 1, "drugs", '"TBC"'),
    ]
    assert str(warnings[0]).startswith(f"{path}:{line + 1}: drugs: ")
    assert str(warnings[0]).endswith("text to replace before the pack is published")


def test_the_cover_is_read_too(tmp_path):
    path, line = edited(tmp_path, "  owner: Chief Superintendent Simon Tweats", "  owner: TBC")
    assert [(w.line, w.section) for w in leftover_warnings(load_config(path))] == [(line, "cover")]


def test_the_police_uk_template_prompts_are_found():
    """Its 'What are we doing about it?' sections are for the force to complete: one warning each."""
    warnings = leftover_warnings(load_config(CONFIG.parent / "policeuk.yaml"))
    assert len(warnings) == 4 and all("For the force to complete" in str(w) for w in warnings)


# --- placeholders printing raw numbers --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "raw"),
    [
        (-18.755635707844906, True),
        (83010, True),
        (1.77, False),
        (26.0, False),
        (416, False),
        (True, False),
        ("x", False),
    ],
)
def test_raw_numbers(value, raw):
    assert is_raw(value) is raw


def test_the_filter_to_use():
    assert filter_for("{{ drugs.change_pct }}", -18.7) == "pct"
    assert filter_for("{{ all_crime.last_12 }}", 83010) == "number"
    assert filter_for("{{ robbery.peers.home_rate }}", 0.639) == "number(2)"
    assert with_filter("{{ drugs.change_pct }}", "pct") == "{{ drugs.change_pct | pct }}"
    assert with_filter("{{ drugs.change_pct -}}", "pct") == "{{ drugs.change_pct | pct -}}"


def test_raw_placeholders_are_named_with_their_filter_and_formatted_ones_are_not(tmp_path, context):
    added = (
        " {{ drugs.change_pct }} {{ drugs.change_pct | pct }} {{ all_crime.last_12 }}"
        " {{ all_crime.last_12 | number }} {{ 20 }} {{ 2021 }} {{ period.end.year }}\n"
    )
    path, line = edited(tmp_path, DRUGS_TREND, DRUGS_TREND.rstrip("\n") + added)
    loaded = load_config(path)
    raw: list[Printed] = []
    render_narrative(loaded, context, raw)
    warnings = unformatted_warnings(loaded, raw, {f.location: f for f in narrative_fields(loaded)})
    assert [str(w) for w in warnings] == [
        f"{path}:{line}: drugs: {{{{ drugs.change_pct }}}}: prints {context['drugs'].change_pct!r}; "
        "write {{ drugs.change_pct | pct }}",
        f"{path}:{line}: drugs: {{{{ all_crime.last_12 }}}}: prints {context['all_crime'].last_12!r}; "
        "write {{ all_crime.last_12 | number }}",
    ]


def test_the_sample_prints_no_raw_number(context):
    raw: list[Printed] = []
    render_narrative(load_config(CONFIG), context, raw)
    assert raw == []


def test_a_raw_number_inside_a_loop_is_named_once(tmp_path, context):
    loop = "{% for row in drugs.area %} {{ row.change_pct }}{% endfor %}"
    path, _ = edited(tmp_path, DRUGS_TREND, DRUGS_TREND.rstrip("\n") + " " + loop + "\n")
    loaded = load_config(path)
    raw: list[Printed] = []
    render_narrative(loaded, context, raw)
    warnings = unformatted_warnings(loaded, raw, {f.location: f for f in narrative_fields(loaded)})
    assert len(warnings) == 1 and re.search(r"\{\{ row.change_pct \| pct \}\}$", str(warnings[0]))
