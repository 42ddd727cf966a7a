"""Typed figures: which numbers in narrative are figures, and what kind each one is."""

from __future__ import annotations

import pytest

from builder.narrative.typed import (
    CHANGE,
    COUNT,
    GROUP_SIZE,
    INCREASE_SHARE,
    PERCENT,
    RANK,
    RATE,
    SHARE,
    typed_figures,
)


def typed(source: str) -> list[str]:
    return [literal.text for literal in typed_figures(source)]


def kinds(source: str) -> list[tuple[str, str]]:
    return [(literal.text, literal.kind) for literal in typed_figures(source)]


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
        "Staffordshire is 4th in size; 1st is the lowest rate.",
        "Four acquisitive types rose and ten fell.",
        "In the 12 months to September, over 18-month periods and three years.",
        "Robberies per 1,000 people.",
        "It cost £20 and the meeting is at 10:30 in room 2B, at 10am.",
        "{{ robbery.last_12 | number }} crimes, {{ 1802 }}, {% if 419 > 1 %}yes{% endif %} {# 416 #}",
        "Recent operations led to **{{ 20 | not_from_data }} arrests**.",
        "1. first item\n2. second item\n\n- bullet\n",
        "See [the 2018 data](https://example.org/2018/416).",
        "Stolen between the hours of 22.30 and 08.30; if you saw anything please contact 101.",
        "in Cannock town centre between the 4 and 12 September",
    ],
)
def test_things_that_are_not_figures_are_ignored(source):
    assert typed(source) == []


def test_lines_within_a_field_are_counted():
    literals = list(typed_figures("First line.\n\nThird line says 416.\n"))
    assert [(lit.text, lit.line) for lit in literals] == [("416", 3)]


def test_a_number_wrapped_to_the_start_of_a_line_is_still_prose():
    assert typed("Drug offences fell by\n416. That is a fall.") == ["416"]


# --- what kind of figure --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Drug offences fell by 416.", [("416", CHANGE)]),
        ("Drug offences fell by **416**.", [("416", CHANGE)]),
        ("Drug offences fell by *19%*.", [("19%", CHANGE)]),
        ("Drug offences fell by __416__ offences.", [("416", CHANGE)]),
        ("Robbery was up 26% on last year.", [("26%", CHANGE)]),
        ("a 19% fall and 416 fewer offences", [("19%", CHANGE), ("416", CHANGE)]),
        ("fell by 19% or 416 offences", [("19%", CHANGE), ("416", CHANGE)]),
        ("fell by 416 (19%) to 1,802", [("416", CHANGE), ("19%", CHANGE), ("1,802", COUNT)]),
        ("1,802 offences, down from 2,218", [("1,802", COUNT), ("2,218", COUNT)]),
        ("Possession of cannabis makes up 50% of drug offences.", [("50%", SHARE)]),
        ("It accounts for **55%** of that increase.", [("55%", INCREASE_SHARE)]),
        ("55% of the increase can be attributed to it", [("55%", INCREASE_SHARE)]),
        ("a reduction in recorded drugs offences of 19% or 419 offences", [("19%", CHANGE), ("419", CHANGE)]),
        (
            "crime has continued to increase gradually by 1% or 404 additional offences",
            [("1%", CHANGE), ("404", CHANGE)],
        ),
        ("a 36% decrease in recorded drugs offences (-90) over the year", [("36%", CHANGE), ("-90", CHANGE)]),
        ("North had 54% of the offences.", [("54%", SHARE)]),
        ("North: 35%.", [("35%", PERCENT)]),
        ("a rate of 1.8 per 1,000 people", [("1.8", RATE)]),
        ("1.77 drug offences per 1,000 people", [("1.77", RATE)]),
        ("The force ranks 4th of 8 in its group.", [("4th", RANK), ("8", GROUP_SIZE)]),
        ("The force ranks **5th** in its group.", [("5th", RANK)]),
        ("The force recorded 83,010 crimes.", [("83,010", COUNT)]),
    ],
)
def test_the_words_around_a_figure_give_its_kind(source, expected):
    assert kinds(source) == expected
