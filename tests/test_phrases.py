"""The phrases narrative filters write: agreement, 'all 13', 'none', 'less than 1%', counts on tiny bases."""

from __future__ import annotations

import pytest

from builder.config.schema import Wording
from builder.figures.model import ComparisonTable, Row, ThemeFigures
from builder.figures.spc import xmr
from builder.figures.spc_sentence import spc_sentence
from builder.narrative import grammar, phrases
from builder.narrative.placeholders import environment


def table(*rows: tuple[str, int, int]) -> ComparisonTable:
    built = tuple(Row(label, last, previous) for label, last, previous in rows)
    return ComparisonTable(built, Row("Total", sum(r.last_12 for r in built), sum(r.previous_12 for r in built)))


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("crimes", "crime"),
        ("offences", "offence"),
        ("robberies", "robbery"),
        ("burglaries", "burglary"),
        ("Neighbourhood Policing Teams", "Neighbourhood Policing Team"),
        ("crime types", "crime type"),
        ("businesses", "business"),
        ("people", "person"),
        ("police", "police"),
    ],
)
def test_singular(plural: str, singular: str) -> None:
    assert grammar.singular(plural) == singular


@pytest.mark.parametrize(
    ("title", "plural"),
    [
        ("Drug offences", True),
        ("Drug Offences", True),
        ("Theft of Motor Vehicles", False),
        ("Burglary Business and Community", False),
        ("Personal Robbery", False),
        ("Vehicle crime", False),
        ("Possession of weapons", False),
        ("Positive outcomes", True),
    ],
)
def test_is_plural(title: str, plural: bool) -> None:
    assert grammar.is_plural(title) is plural


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (7, 13, "seven of the 13 districts"),
        (13, 13, "all 13 districts"),
        (0, 13, "none of the 13 districts"),
        (2, 2, "both districts"),
        (0, 2, "neither district"),
        (1, 2, "one of the two districts"),
        (1, 1, "the one district"),
        (0, 1, "no district"),
        (0, 0, "no district"),
    ],
)
def test_quantity(part: int, whole: int, expected: str) -> None:
    assert phrases.quantity(part, whole, "districts") == expected


def test_counts_leave_out_rows_that_are_not_places() -> None:
    npt = table(
        ("North", 35, 20), ("East", 12, 10), ("West", 3, 5), ("No location", 5, 1), ("Outside force area", 9, 1)
    )
    assert phrases.count_rose(npt, "areas") == "two of the three areas"
    assert phrases.count_fell(npt, "areas") == "one of the three areas"
    assert phrases.rose_and_fell(npt, "areas") == "two of the three areas rose and one fell"
    assert npt.largest is not None and npt.largest.label == "North"


def test_rose_and_fell_says_unchanged_and_all() -> None:
    assert phrases.rose_and_fell(table(("a", 2, 1), ("b", 2, 1)), "types") == "both types rose"
    assert phrases.rose_and_fell(table(("a", 1, 2), ("b", 1, 2), ("c", 0, 5)), "types") == "all three types fell"
    mixed = table(("a", 2, 1), ("b", 1, 2), ("c", 1, 1))
    assert phrases.rose_and_fell(mixed, "types") == "one of the three types rose, one fell and one was unchanged"
    flat = table(("a", 1, 1))
    assert phrases.rose_and_fell(flat, "districts") == "the one district was unchanged"
    assert phrases.rose_and_fell(table(("a", 1, 2), ("b", 1, 1)), "teams", "saw increases", "saw reductions") == (
        "one of the two teams saw reductions and one was unchanged"
    )


def test_largest_rises_and_falls_agree_and_say_when_there_is_none() -> None:
    npt = table(("North", 35, 20), ("East", 12, 10), ("South", 11, 10), ("West", 3, 5))
    assert phrases.largest_rises(npt, 2, "areas") == "the largest rises were in North (75%) and East (20%)"
    assert phrases.largest_rises(npt, 1, "areas") == "the largest rise was in North (75%)"
    assert phrases.largest_falls(npt, 2, "areas") == "the only fall was in West (down from 5 to 3)"
    assert phrases.largest_rises(table(("a", 1, 2)), 2, "areas") == "no area recorded a rise"
    assert phrases.largest_rises(table(("a", 20, 10), ("b", 30, 20)), 2, "areas") == (
        "the rises were in a (100%) and b (50%)"
    )


def test_prose_numbers_use_a_true_minus_and_never_print_a_misleading_zero() -> None:
    assert phrases.number(-416) == "\u2212416" and phrases.signed(-5) == "\u22125" and phrases.signed(5) == "+5"
    assert (
        phrases.pct(-18.76) == "\u221219%"
        and phrases.pct(0.3) == "less than 1%"
        and phrases.pct(-0.3) == ("less than 1%")
    )
    assert phrases.pct(0) == "0%" and phrases.abs_pct(-18.76) == "19%"
    assert phrases.count(1, "robberies") == "1 robbery" and phrases.count(0, "offences") == "no offences"
    assert phrases.count(8, "crime types", in_words=True) == "eight crime types"
    assert phrases.share_of_increase(Row("x", 5, 10, increase_share_pct=None)) == "none"
    assert phrases.share_of_increase(Row("x", 11, 10, increase_share_pct=0.2)) == "less than 1%"


def test_small_base_is_configurable() -> None:
    row = Row("Cannock", 15, 12)
    assert phrases.change_phrase(row) == "rose by 25% or 3 crimes"
    assert phrases.change_phrase(row, wording=Wording(small_base=20)) == "rose from 12 to 15 crimes"
    assert phrases.with_change(row, wording=Wording(small_base=20)) == "Cannock (up from 12 to 15)"
    assert phrases.change_phrase(Row("x", 5, 2), wording=Wording(small_base=0)) == "rose by 150% or 3 crimes"


def render(source: str, **context: object) -> str:
    return environment().from_string(source).render(**context)


def test_filters_read_the_packs_wording_and_capitalize_keeps_names() -> None:
    row = Row("Cannock", 15, 12)
    assert render("{{ r | change_phrase }}", r=row) == "rose by 25% or 3 crimes"
    assert render("{{ r | change_phrase }}", r=row, wording=Wording(small_base=20)) == "rose from 12 to 15 crimes"
    npt = table(("SOT North", 2, 1), ("SOT South", 2, 1))
    assert render('{{ npt | count_rose("Neighbourhood Policing Teams") | capitalize }}', npt=npt) == (
        "Both Neighbourhood Policing Teams"
    )
    assert render("{{ 8 | count('crime types', in_words=true) | capitalize }}") == "Eight crime types"


def test_theme_titles_agree_with_their_verbs() -> None:
    from datetime import date

    periods = [date(2016 + i // 12, i % 12 + 1, 1) for i in range(24)]
    result = xmr(periods, [10.0] * 24)
    assert spc_sentence(result, "Drug offences", plural=True).startswith("Drug offences have shown")
    assert spc_sentence(result, "Robbery").startswith("Robbery has shown")
    theme = ThemeFigures("drugs", "Drug offences", ("Drugs",), 2, 1, None, table(), table(), plural=True)  # type: ignore[arg-type]
    assert render('{{ t.title }} {{ t | agree("has", "have") }} risen', t=theme) == "Drug offences have risen"


def test_every_filter_is_in_the_authors_guide() -> None:
    from conftest import ROOT

    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    missing = [name for name in phrases.FILTERS if f"`{name}" not in guide]
    assert missing == []


@pytest.mark.parametrize("config", ["config/pack.yaml", "config/policeuk.yaml", "builder/defaults/pack.yaml"])
def test_sample_narratives_need_no_programming(config: str) -> None:
    """Placeholders and filters only, with {% if %} for optional text: no loops, variables or tests on lists."""
    from conftest import ROOT

    text = (ROOT / config).read_text(encoding="utf-8")
    for construct in (
        "{% for",
        "{%- for",
        "{% set",
        "{%- set",
        "selectattr",
        "rejectattr",
        "loop.",
        "| sort",
        "| first",
    ):
        assert construct not in text, construct
