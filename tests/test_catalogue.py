"""The catalogue of placeholder names: complete, readable, renderable, finite."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from conftest import CONFIG

from builder.build.inputs import read_inputs
from builder.build.prepare import prepare
from builder.narrative.catalogue import Alias, belongs_to, figure_names, section_of
from builder.narrative.placeholders import environment


@pytest.fixture(scope="module")
def context() -> dict:
    """The real placeholder context of the sample pack."""
    return prepare(read_inputs(CONFIG)).context


@pytest.fixture(scope="module")
def names(context: dict) -> dict[str, object]:
    return dict(figure_names(context))


def test_names_reach_every_kind_of_figure(context, names):
    robbery = context["robbery"]
    assert names["robbery.last_12"] == robbery.last_12
    assert names["robbery.change_pct"] == pytest.approx(robbery.change_pct)
    assert names['robbery.npt["SOT North"].change_pct'] == robbery.npt["SOT North"].change_pct
    assert names["robbery.peers.rank"] == robbery.peers.rank
    assert names["all_crime.spc.sentence"] == context["all_crime"].spc.sentence
    assert names['crime_type["Rape"].last_12'] == context["crime_type"]["Rape"].last_12
    assert names['npt["SOT North"].difference'] == context["npt"]["SOT North"].difference
    assert names["drugs.npt | length"] == len(context["drugs"].npt)
    assert names['drugs.offence_types["Supply"]'] == context["drugs"].offence_types["Supply"]
    share = context["drugs"].offence_types.share_pct("Possession of cannabis")
    assert names['drugs.offence_types.share_pct("Possession of cannabis")'] == share
    assert names["period.months"] == 12


def test_every_name_renders_in_the_sandbox_to_its_value(context):
    """A name from `perfpack figures` pasted into {{ }} gives exactly the value listed."""
    listed = [(n, v) for n, v in figure_names(context) if not isinstance(v, Alias)]
    source = "\x1f".join(f"{{{{ {name} }}}}" for name, _ in listed)  # one template: compiled once
    rendered = environment().from_string(source).render(context).split("\x1f")
    assert len(rendered) == len(listed)
    for (name, value), text in zip(listed, rendered):
        assert text == str(value), name


def test_second_routes_are_aliases_of_the_shortest_name(names):
    assert names["all_crime.types"] == Alias("crime_type")
    assert names["all_crime.npt"] == Alias("npt")
    largest = names["crime_type.largest_rise"]
    assert isinstance(largest, Alias) and largest.target.startswith('crime_type["')
    assert not any(name.startswith("all_crime.types[") for name in names)


def test_no_methods_no_monthly_series_no_private_names(names):
    for name in names:
        assert not any(
            part in name
            for part in (
                ".keys",
                ".first_breach",
                ".to_records",
                ".periods",
                ".values",
                ".points",
                ".means",
                "._",
                "model_",
            )
        ), name


def test_cycles_end():
    @dataclass
    class Node:
        value: int
        links: list = field(default_factory=list)

    a, b = Node(1), Node(2)
    a.links.append(b)
    b.links.append(a)
    listed = dict(figure_names({"a": a}))
    assert listed["a.value"] == 1 and listed["a.links[0].value"] == 2
    assert listed["a.links[0].links[0]"] == Alias("a")


@pytest.mark.parametrize(
    ("name", "section"),
    [
        ('robbery.npt["SOT North"].change_pct', "robbery"),
        ("drugs.last_12", "drugs"),
        ('crime_type["Rape"].last_12', "all_crime"),
        ('npt["SOT North"].difference', "all_crime"),
        ("all_crime.spc.sentence", "all_crime"),
        ("period.months", "period"),
        ("force", "general"),
    ],
)
def test_section_of(name, section):
    assert section_of(name) == section


def test_what_each_section_may_quote():
    assert belongs_to("drugs.difference", "drugs")
    assert belongs_to("all_crime.last_12", "drugs") and belongs_to("period.months", "drugs")
    assert not belongs_to("robbery.last_12", "drugs")
    assert not belongs_to('crime_type["Rape"].last_12', "drugs")
    assert belongs_to('crime_type["Rape"].last_12', "all_crime") and belongs_to('npt["Tamworth"].last_12', "all_crime")
    assert not belongs_to("robbery.last_12", "all_crime")
    assert belongs_to("robbery.last_12", "executive_summary") and belongs_to("drugs.last_12", "foreword")
