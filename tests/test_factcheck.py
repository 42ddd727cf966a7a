"""The fact-check of figures typed into narrative: subject and kind, rounding, and where it points.

Sentences are written from the sample's own figures, so each case stays right (or
wrong by a known amount) whatever the sample data hold; each asserts flagged or not,
and the name of the figure suggested.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CONFIG, SHARED

from builder.build.inputs import read_inputs
from builder.build.prepare import prepare
from builder.config.load import load_config
from builder.figures.model import ThemeFigures
from builder.narrative.factcheck import check_literal, check_text, fact_check_warnings
from builder.narrative.helpers import abs_pct, number, ordinal, pct
from builder.narrative.subjects import Described, Subjects
from builder.narrative.typed import CHANGE, COUNT, GROUP_SIZE, RANK, RATE, SHARE, typed_figures

DRUGS_TREND = "        {{ drugs.spc.sentence }}\n"
THEMES = ("robbery", "tomv", "bbc", "drugs")


@pytest.fixture(scope="module")
def context() -> dict:
    """The sample's figures; editing narrative does not change them, so one context serves all."""
    return prepare(read_inputs(CONFIG)).context


@pytest.fixture(scope="module")
def subjects(context) -> Subjects:
    return Subjects(context)


def edited(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the sample config with one edit, and the file line where ``new`` starts."""
    text = CONFIG.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text[: text.index(new)].count("\n") + 1


def suggested(source: str, section: str, subjects: Subjects) -> list[str | None]:
    """The name of the figure suggested for each typed figure flagged in ``source`` (None: no figure)."""
    return [f.nearest[0] if f.nearest else None for f in check_text(source, section, subjects)]


# --- the cases: the true fall in drug offences is 416 (19%) -------------------------


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Drug offences fell by 23%.", "drugs.change_pct"),
        ("Drug offences fell by 1,200.", "drugs.difference"),
        ("Drug offences fell by **419**.", "drugs.difference"),
        ("Drug offences fell by 25%.", "drugs.change_pct"),
    ],
)
def test_wrong_drug_figures_are_flagged_with_the_figure_meant(sentence, name, subjects, context):
    assert (context["drugs"].difference, round(context["drugs"].change_pct)) == (-416, -19)
    assert suggested(sentence, "drugs", subjects) == [name]


# --- a table of typed sentences for every theme ---------------------------------------------

Case = Callable[[ThemeFigures, dict], tuple[str, str | None]]
"""From a theme's figures (and the context): a sentence, and the figure it must suggest (None: not
flagged; 'drugs.*': any figure of the theme's own)."""


def off(n: int) -> int:
    """A count a few away from ``n`` that cannot read as ``n`` rounded (it does not end in 0)."""
    return next(m for m in range(abs(n) + 3, abs(n) + 20) if m % 10)


def verb(t: ThemeFigures) -> str:
    return "rose" if t.difference > 0 else "fell"


def biggest(t: ThemeFigures):
    """The NPT with the most crimes of the theme."""
    return max(t.npt.rows, key=lambda r: r.last_12)


CASES: dict[str, Case] = {
    "change count right": lambda t, c: (f"{t.title} {verb(t)} by {abs(t.difference):,}.", None),
    "change count wrong": lambda t, c: (f"{t.title} {verb(t)} by {off(t.difference):,}.", f"{t.key}.difference"),
    "change count right, bold": lambda t, c: (f"{t.title} {verb(t)} by **{abs(t.difference):,}**.", None),
    "change count wrong, bold": lambda t, c: (
        f"{t.title} {verb(t)} by **{off(t.difference):,}**.",
        f"{t.key}.difference",
    ),
    "change % right": lambda t, c: (f"{t.title} {verb(t)} by {abs_pct(t.change_pct)}.", None),
    "change % right, italic": lambda t, c: (f"{t.title} {verb(t)} by *{abs_pct(t.change_pct)}*.", None),
    "change % wrong": lambda t, c: (
        f"{t.title} {verb(t)} by {abs(round(t.change_pct or 0)) + 4}%.",
        f"{t.key}.change_pct",
    ),
    "change % wrong, bold": lambda t, c: (
        f"{t.title} {verb(t)} by **{abs(round(t.change_pct or 0)) + 4}%**.",
        f"{t.key}.change_pct",
    ),
    "change in words then %": lambda t, c: (
        f"{t.title} {verb(t)} by {abs_pct(t.change_pct)} or {off(t.difference):,} crimes.",
        f"{t.key}.difference",
    ),
    "count right": lambda t, c: (f"There were {t.last_12:,} in {c['period'].last}.", None),
    "count wrong": lambda t, c: (f"There were {off(t.last_12):,} in {c['period'].last}.", f"{t.key}.last_12"),
    "count of another theme": lambda t, c: (
        f"There were {c[next(k for k in THEMES if k != t.key)].last_12:,} in {c['period'].last}.",
        f"{t.key}.*",  # flagged, with one of the theme's own counts
    ),
    "NPT share right": lambda t, c: (f"{biggest(t).label} has {pct(biggest(t).share_pct)} of the crimes.", None),
    "NPT share wrong": lambda t, c: (
        f"{biggest(t).label} has **{round(biggest(t).share_pct) + 5}%** of the crimes.",
        f'{t.key}.npt["{biggest(t).label}"].share_pct',
    ),
    "NPT change right": lambda t, c: (
        f"In {biggest(t).label} they {biggest(t).direction} by {abs_pct(biggest(t).change_pct)}.",
        None,
    ),
    "NPT change wrong": lambda t, c: (
        f"In {biggest(t).label} they {biggest(t).direction} by {abs(round(biggest(t).change_pct or 0)) + 7}%.",
        f'{t.key}.npt["{biggest(t).label}"].change_pct',
    ),
    "rank right": lambda t, c: (f"The force ranks {ordinal(t.peers.rank)} of {t.peers.group_size}.", None),
    "rank wrong": lambda t, c: (
        f"The force ranks {ordinal(t.peers.rank % t.peers.group_size + 1)} in its group.",
        f"{t.key}.peers.rank",
    ),
    "rank wrong, bold": lambda t, c: (
        f"The force ranks **{ordinal(t.peers.rank % t.peers.group_size + 1)}** in its group.",
        f"{t.key}.peers.rank",
    ),
    "group size wrong": lambda t, c: (
        f"The force ranks {ordinal(t.peers.rank)} of {t.peers.group_size + 3}.",
        f"{t.key}.peers.group_size",
    ),
    "rate right": lambda t, c: (f"That is {number(t.peers.home_rate, 2)} crimes per 1,000 people.", None),
    "rate wrong": lambda t, c: (
        f"That is {number(t.peers.home_rate + 0.5, 2)} crimes per 1,000 people.",
        f"{t.key}.peers.home_rate",
    ),
}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("case", list(CASES))
def test_typed_sentences_in_every_theme(theme, case, context, subjects):
    sentence, name = CASES[case](context[theme], context)
    found = suggested(sentence, theme, subjects)
    if name and name.endswith("*"):
        assert len(found) == 1 and (found[0] or "").startswith(name[:-1]), (sentence, found)
    else:
        assert found == ([name] if name else []), sentence


def test_a_place_named_in_the_sentence_is_its_subject(context, subjects):
    """'fell by 19%' is true of drugs overall, and wrong of Stafford, which the sentence names."""
    stafford = context["drugs"].npt["Stafford"]
    assert round(stafford.change_pct) != round(context["drugs"].change_pct)
    overall = abs_pct(context["drugs"].change_pct)
    assert suggested(f"Drug offences fell by {overall}.", "drugs", subjects) == []
    assert suggested(f"Drug offences fell by {overall} in Stafford alone.", "drugs", subjects) == []  # either
    assert suggested(f"In Stafford they fell by {abs(round(stafford.change_pct)) + 9}%.", "drugs", subjects) == [
        'drugs.npt["Stafford"].change_pct'
    ]


def test_the_placeholder_beside_a_figure_gives_its_subject(context, subjects):
    fall = context["drugs"].npt.largest_fall
    right = f"The largest fall was in {{{{ drugs.npt.largest_fall.label }}}}: down {abs_pct(fall.change_pct)}."
    wrong = f"The largest fall was in {{{{ drugs.npt.largest_fall.label }}}}: down {abs(round(fall.change_pct)) + 6}%."
    assert suggested(right, "drugs", subjects) == []
    assert suggested(wrong, "drugs", subjects) == [f'drugs.npt["{fall.label}"].change_pct']


def test_a_loop_variable_stands_for_the_rows_it_runs_over(context, subjects):
    rows = context["bbc"].area.increased[:2]
    source = "{% for area in bbc.area.increased[:2] %}{{ area.label }} rose by {{ area.change_pct | pct }}.{% endfor %}"
    assert suggested(source, "bbc", subjects) == []
    wrong = source.replace("{{ area.change_pct | pct }}", f"{abs(round(rows[0].change_pct)) + 50}%")
    assert suggested(wrong, "bbc", subjects) and all(
        name and name.startswith("bbc.area[") for name in suggested(wrong, "bbc", subjects)
    )


def test_a_share_of_a_breakdown(context, subjects):
    share = context["drugs"].offence_types.share_pct("Supply")
    assert suggested(f"Supply makes up {pct(share)} of drug offences.", "drugs", subjects) == []
    assert suggested(f"Supply makes up {round(share) + 10}% of drug offences.", "drugs", subjects) == [
        'drugs.offence_types.share_pct("Supply")'
    ]


def test_a_sentence_after_a_named_place_may_still_speak_of_it(context, subjects):
    stafford = context["drugs"].npt["Stafford"]
    source = f"Stafford saw the largest fall. It fell by {abs_pct(stafford.change_pct)}."
    assert suggested(source, "drugs", subjects) == []
    assert suggested(source.replace(". It", ".\n\nIt"), "drugs", subjects) == ["drugs.change_pct"]


def test_the_front_sections_quote_what_they_name(context, subjects):
    robbery = context["robbery"]
    source = f"Personal Robbery rose by {abs_pct(robbery.change_pct)}; crime overall {verb(context['all_crime'])}."
    assert suggested(source, "executive_summary", subjects) == []
    assert suggested(f"Crime rose by {abs_pct(robbery.change_pct)}.", "executive_summary", subjects) == [
        "all_crime.change_pct"
    ]


def test_a_number_not_from_the_data_is_pointed_at_the_marked_form(subjects):
    [finding] = check_text("Recent operations led to 23 arrests.", "robbery", subjects)
    assert "{{ 23 | not_from_data }}" in finding.message


def test_figure_descriptions(subjects):
    described = {d.name: d for d in subjects.figures}
    assert (described["drugs.difference"].subject, described["drugs.difference"].kinds) == ("drugs", {CHANGE})
    assert described['drugs.npt["Stafford"].share_pct'].kinds == {SHARE}
    assert described["drugs.npt.total.last_12"].subject == "drugs"
    assert described["drugs.peers.rank"].kinds == {RANK}
    assert described["drugs.peers.home_rate"].kinds == {RATE}
    assert GROUP_SIZE in described["drugs.peers.group_size"].kinds
    assert described["drugs.asb_change.change_pct"].subject == "drugs.asb"
    assert described['crime_type["Rape"].last_12'].kinds == {COUNT}
    assert not any(".spc.spc." in name for name in described)  # control-limit internals are not quoted


# --- matching, allowing for the rounding shown ----------------------------------------------

ANY_KIND = frozenset({CHANGE, SHARE, COUNT, RATE})
FIGURES = [
    (1, Described(name, value, "x", ANY_KIND, "pct" in name))
    for name, value in [
        ("drugs.last_12", 1802),
        ("drugs.previous_12", 2218),
        ("drugs.difference", -416),
        ("drugs.change_pct", -18.755635707844906),
        ("robbery.change_pct", 26.025236593059937),
        ('crime_type["Other Violence against the person"].change_pct', 9.585477250390241),
    ]
]


def literal(text: str):
    return next(typed_figures(text))


@pytest.mark.parametrize(
    "text",
    ["1,802", "1802", "1,800", "fell by 416", "2,218", "19%", "18.8%", "-19%", "26%", "26.0%", "9.6%", "10%"],
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
    figures = [(1, Described("robbery.change_pct", 26.0, "robbery", frozenset({CHANGE}), True))]
    assert check_literal(literal("26 crimes"), figures) is not None


# --- the whole config -------------------------------------------------------------------------


def test_the_sample_narrative_has_no_warnings(context):
    assert fact_check_warnings(load_config(CONFIG), context) == []


@pytest.mark.parametrize(
    ("window_months", "period_end"), [(None, "2018-03"), (None, "2018-06"), (None, "2017-12"), (2, None)]
)
def test_the_sample_narrative_has_no_warnings_at_other_period_ends(window_months, period_end):
    """Ages and arrests are marked as not from the data: no table can happen to hold them or not."""
    prepared = prepare(read_inputs(CONFIG), window_months=window_months, period_end=period_end)
    assert fact_check_warnings(prepared.loaded, prepared.context) == []


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


def test_a_figure_of_another_subject_counts_only_where_the_sentence_names_it(tmp_path, context):
    """Robbery's total is right in a sentence about robbery, wherever it is, and wrong in one about drugs."""
    robbery = f"{context['robbery'].last_12:,}"
    path, _ = edited(tmp_path, DRUGS_TREND, DRUGS_TREND + f"        Offences reached {robbery}.\n")
    assert [w.literal for w in fact_check_warnings(load_config(path), context)] == [robbery]
    path, _ = edited(tmp_path, DRUGS_TREND, DRUGS_TREND + f"        Robbery reached {robbery}.\n")
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


# --- the published 2018 pack, which disagreed with its own tables -----------------------------

PACK_2018 = SHARED / "reference" / "example-pack-2018.txt"


@pytest.mark.skipif(not PACK_2018.is_file(), reason="../shared/reference/example-pack-2018.txt absent")
@pytest.mark.parametrize(
    ("section", "typed", "name"),
    [
        ("executive_summary", "84,187", "all_crime.last_12"),
        ("executive_summary", "2%", "all_crime.change_pct"),
        ("executive_summary", "105", 'crime_type["Other Serious Sexual Offences"].difference'),
        ("all_crime", "404", "all_crime.difference"),
        ("drugs", "419", "drugs.difference"),
    ],
)
def test_the_2018_packs_disagreements_with_its_tables_are_found(section, typed, name, subjects):
    """The sample reproduces the 2018 pack's tables; its prose is checked sentence by sentence as published."""
    line = next(text for text in PACK_2018.read_text(encoding="utf-8").splitlines() if f" {typed} " in f"{text} ")
    found = {f.literal.text: f.nearest[0] for f in check_text(line, section, subjects) if f.nearest}
    assert found.get(typed) == name, found


@pytest.mark.skipif(not PACK_2018.is_file(), reason="../shared/reference/example-pack-2018.txt absent")
@pytest.mark.parametrize(
    ("section", "sentence"),
    [
        ("robbery", "Personal Robbery offences rose by 26% or 165 crimes during the period"),
        ("executive_summary", "Rape has increased by 11% which equates to 115 more offences"),
        ("drugs", "Possession of Cannabis accounts for approximately half of drugs offences."),
    ],
)
def test_the_2018_packs_true_figures_pass(section, sentence, subjects):
    assert PACK_2018.read_text(encoding="utf-8").count(sentence) >= 1
    assert check_text(sentence, section, subjects) == []
