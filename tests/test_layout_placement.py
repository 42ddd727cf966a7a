"""Charts where the text needs them, and sub-headings an author can rename or leave out."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CONFIG

from builder.build.inputs import load_data, read_inputs
from builder.build.prepare import prepare
from builder.config.load import load_config
from builder.errors import NarrativeError
from builder.figures.compute import compute_figures
from builder.narrative.context import build_context
from builder.narrative.placeholders import environment, render_narrative
from builder.pack.content import Figure, Heading, Text
from builder.pack.layout import Layout


@pytest.fixture(scope="module")
def sample() -> tuple:
    loaded = load_config(CONFIG)
    figures = compute_figures(loaded.config, load_data(read_inputs(loaded)))
    return loaded, figures


CHARTS = [
    "all_crime_trend",
    "type_shares",
    "increase_shares",
    "npt_change",
    *(f"{key}_{kind}" for key in ("robbery", "tomv", "bbc", "drugs") for kind in ("trend", "npt")),
    "drugs_offence_types",
    "drugs_asb",
    "drugs_outcomes",
]


def laid_out(loaded, figures, narrative_edits: dict | None = None, config=None) -> list:
    config = config or loaded.config
    narrative = render_narrative(loaded, build_context(config, figures))
    narrative.update(narrative_edits or {})
    charts = {key: Figure(Path(f"{key}.png"), f"Chart {key}", f"Alt text of {key}.") for key in CHARTS}
    return Layout(config, figures, narrative, charts).elements()


def drugs_section(elements: list) -> list:
    start = next(i for i, e in enumerate(elements) if isinstance(e, Heading) and e.level == 1 and "Drug" in e.text)
    return elements[start:]


def describe(elements: list) -> list[str]:
    out = []
    for e in elements:
        if isinstance(e, Figure):
            out.append(f"chart {e.path.stem}")
        elif isinstance(e, Heading):
            out.append(f"h{e.level} {e.text}")
        elif isinstance(e, Text):
            out.append("text " + " / ".join(getattr(b, "text", "list")[:30] for b in e.blocks))
    return out


def test_the_sample_places_the_drugs_charts_in_its_text(sample: tuple) -> None:
    section = describe(drugs_section(laid_out(*sample)))
    happened = section.index("h2 What has happened?")
    doing = section.index("h2 What are we doing about it?")
    assert section[happened + 1].startswith("text Possession of cannabis")
    assert section[happened + 2] == "chart drugs_offence_types"
    assert section[happened + 3].startswith("text Drug-related anti-social")
    assert section[happened + 4] == "chart drugs_asb"
    assert section[doing + 2] == "chart drugs_outcomes"
    assert section[doing + 3] == "text list", "the bullets follow the chart"
    assert sum(s.startswith("chart ") for s in section) == 5, "each chart once"


def test_an_unplaced_chart_keeps_its_place_and_a_placed_one_moves(sample: tuple) -> None:
    loaded, figures = sample
    index = next(i for i, t in enumerate(loaded.config.themes) if t.key == "robbery")
    where = ("themes", index, "narrative", "where")
    moved = "\n\n\u2063chart:trend\u2063\n\nThe trend, seen again by place."
    section = describe(laid_out(loaded, figures, {where: moved}))
    start = section.index("h1 Personal Robbery")
    robbery = section[start : section.index("h1 Theft of Motor Vehicles")]
    assert robbery.count("chart robbery_trend") == 1
    assert robbery.index("chart robbery_trend") == robbery.index("h2 Where is this happening?") + 1
    assert robbery.index("chart robbery_npt") > robbery.index("chart robbery_trend"), "npt keeps its place"


def test_chart_names_are_checked_and_the_marker_stands_alone() -> None:
    env = environment()
    rendered = env.from_string('Text.\n{{ chart("drug_asb") }}\nMore text.').render()
    assert "\n\n\u2063chart:drug_asb\u2063\n\n" in rendered
    with pytest.raises(ValueError, match="there is no chart called 'drug_abs'"):
        env.from_string('{{ chart("drug_abs") }}').render()


def test_a_misspelt_chart_stops_the_build_with_file_and_line(tmp_path: Path) -> None:
    text = CONFIG.read_text(encoding="utf-8").replace('{{ chart("drug_asb") }}', '{{ chart("drug_abs") }}')
    config = tmp_path / "pack.yaml"
    config.write_text(text, encoding="utf-8")
    inputs = read_inputs(load_config(config))
    with pytest.raises(NarrativeError, match=r"pack.yaml:\d+: drugs.what_happened: .*drug_abs"):  # by theme key
        render_narrative(inputs.loaded, prepare(inputs).context)


def test_subheadings_can_be_renamed_or_left_out(sample: tuple) -> None:
    loaded, figures = sample
    themes = [
        t.model_copy(
            update={"subheadings": t.subheadings.model_copy(update={"compare": "", "where": "Where it happens"})}
        )
        for t in loaded.config.themes
    ]
    config = loaded.config.model_copy(update={"themes": themes})
    section = describe(drugs_section(laid_out(loaded, figures, config=config)))
    assert "h2 Where it happens" in section and "h2 Where is this happening?" not in section
    assert "h2 How we compare to other areas?" not in section
    assert any(s.startswith("text For the 12 months to") for s in section), "the text under it stays"
