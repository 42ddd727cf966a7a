"""Narrative helpers, Markdown, and the sandbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from builder.config.load import load_config
from builder.errors import NarrativeError
from builder.figures.model import Change, PeerComparison, Window
from builder.narrative import helpers, phrases
from builder.narrative.fields import narrative_fields
from builder.narrative.markdown import ListBlock, Paragraph, to_blocks
from builder.narrative.placeholders import environment, render_field, render_narrative


@pytest.mark.parametrize(
    ("last", "previous", "noun", "expected"),
    [
        (799, 634, "crimes", "rose by 26% or 165 crimes"),
        (1802, 2218, "offences", "fell by 19% or 416 offences"),
        (50, 50, "crimes", "stayed at 50 crimes"),
        (1, 1, "robberies", "stayed at 1 robbery"),
        (0, 0, "crimes", "had no crimes in either period"),
        (12, 0, "crimes", "rose from none to 12 crimes"),
        (0, 12, "crimes", "fell from 12 crimes to none"),
        (19955, 17297, "crimes", "rose by 15% or 2,658 crimes"),
        (11, 10, "crimes", "rose by 10% or 1 crime"),
        (1002, 1000, "crimes", "rose by less than 1% or 2 crimes"),
        (5, 2, "burglaries", "rose from 2 to 5 burglaries"),
        (1, 5, "offences", "fell from 5 to 1 offence"),
    ],
)
def test_change_phrase(last, previous, noun, expected):
    assert phrases.change_phrase(Change("x", last, previous), noun) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (112, "112th"),
    ],
)
def test_ordinal(value, expected):
    assert helpers.ordinal(value) == expected


def test_number_pct_and_dates():
    assert helpers.number(84187) == "84,187"
    assert helpers.pct(-18.76) == "-19%" and helpers.pct(-0.04) == "<1%" and helpers.pct(None) == "n/a"
    assert helpers.pct(0) == "0%" and helpers.pct(0.04, 1) == "<0.1%" and helpers.pct(0.04, 2) == "0.04%"
    assert helpers.signed(536) == "+536" and helpers.signed(-87) == "-87" and helpers.signed(0) == "0"
    assert helpers.month(dt.date(2018, 7, 1)) == "July 2018"
    assert helpers.date(dt.date(2018, 11, 9)) == "9 November 2018"
    assert helpers.words(8) == "eight" and helpers.words(21) == "21" and helpers.words(0) == "none"


def test_rank_phrase():
    comparison = PeerComparison("MSF", Window(dt.date(2017, 6, 1), dt.date(2018, 5, 31)), (), 4, 8, 1.0, 2.0)
    assert helpers.rank(comparison) == "4th of 8"


def test_markdown_keeps_special_characters_and_formatting():
    blocks = to_blocks(
        'Tom & Jerry said "hi" <b>\n\n**bold** and *it* [site](https://example.org)\n\n'
        "- one\n- two\n\n1. first\n2. second\n"
    )
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == 'Tom & Jerry said "hi" <b>'
    runs = blocks[1].runs
    assert (runs[0].text, runs[0].bold) == ("bold", True)
    assert any(r.italic and r.text == "it" for r in runs)
    assert any(r.link == "https://example.org" and r.text == "site" for r in runs)
    assert isinstance(blocks[2], ListBlock) and not blocks[2].ordered and len(blocks[2].items) == 2
    assert isinstance(blocks[3], ListBlock) and blocks[3].ordered


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ x.__class__ }}",
    ],
)
def test_sandbox_blocks_escapes(source):
    from jinja2.exceptions import SecurityError, UndefinedError

    with pytest.raises((SecurityError, UndefinedError)):
        environment().from_string(source).render({"x": Change("a", 1, 2)})


def test_undefined_name_names_file_line_and_suggestion(tmp_path):
    config = Path(__file__).resolve().parents[1] / "config" / "pack.yaml"
    text = config.read_text(encoding="utf-8").replace("{{ force | replace", "{{ forse | replace", 1)
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    line = text[: text.index("{{ forse")].count("\n") + 1
    loaded = load_config(path)
    with pytest.raises(NarrativeError) as raised:
        render_narrative(loaded, {"force": "Staffordshire Police"})
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}: foreword.text: unknown figure name 'forse'")
    assert "did you mean 'force'" in message


@pytest.mark.parametrize("take", ["{{ (places | first).label }}", "{{ places[0].label }}"])
def test_an_item_of_an_empty_list_says_which_sentence_and_how_to_guard_it(tmp_path, take):
    """A force or area with nothing in a list: the author learns which sentence and what to write."""
    config = Path(__file__).resolve().parents[1] / "config" / "policeuk.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "text: |\n    In {{ period.last }}", f"text: |\n    Top: {take}.\n    In {{{{ period.last }}}}", 1
    )
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(take)].count("\n") + 1
    field = next(f for f in narrative_fields(load_config(path)) if f.location == ("executive_summary", "text"))
    with pytest.raises(NarrativeError) as raised:
        render_field(field, {"places": []}, load_config(path))
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}: executive_summary.text: a list in this sentence is empty")
    assert "{% else %}" in message and "figure name" not in message


def test_only_what_reads_as_text_may_be_printed():
    """A group of figures, a list or None would print Python's notation into a published sentence."""
    import datetime as dt

    from markupsafe import Markup

    from builder.figures.periods import window
    from builder.narrative.placeholders import prints_as_text

    readable = ["text", Markup("<b>x</b>"), 3, 2.5, dt.date(2018, 9, 30)]
    assert all(prints_as_text(v) for v in readable), [v for v in readable if not prints_as_text(v)]
    assert not any(prints_as_text(v) for v in (None, [1, 2], (1,), {"a": 1}, window(10, 12)))


def test_python_notation_is_told_from_english():
    from builder.narrative.notation import python_notation

    english = [
        "None of the ten teams recorded more crime; Operation Sceptre (2018) ended.",
        "Robbery rose by 26% (165 crimes) in Stoke-on-Trent(North).",
        "The Police and Crime Commissioner's plan (2018–2021) sets five outcomes: 'safer', 'fairer'.",
    ]
    assert [python_notation(t) for t in english] == [None, None, None]
    printed = {
        "ThemeFigures(key='bbc', title='x')": "ThemeFigures(key=",
        "[Row(label='Tamworth', last_12=145)]": "Row(label=",
        "periods=(datetime.date(2015, 10, 1),": "datetime.date(",
        "<TemplateReference None>": "<TemplateReference",
        "{'force': 'Staffordshire Police'}": "{'force': ",
        "force='Staffordshire Police' title='Public Performance Meeting'": "force='Staffordshire",
    }
    for text, starts in printed.items():
        found = python_notation("Intro line.\n" + text)
        assert found is not None and found[0].startswith(starts) and found[1] == 2, text


def test_an_unknown_name_is_found_in_its_placeholder_not_in_the_prose():
    from builder.narrative.placeholders import _line_in

    source = "Crime is rising, and not only here.\nSecond line.\nThen {{ on }} here.\n{{ robbery.npt[0].label }}"
    assert _line_in(source, "on") == 3  # not line 1's "not only"
    assert _line_in(source, "[0]") == 4
    assert _line_in(source, "absent") == 1
