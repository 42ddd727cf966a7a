"""Each local pack's narrative: its place's own text, the force's where it reads right, else the neutral sentence.

These run the same functions the build does (``prepare``, ``narrate``, ``Layout``) on the
sample data split by NPT and by area, without writing documents.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CONFIG, invoke

from builder.build.inputs import load_data, read_inputs
from builder.build.prepare import Computed, compute, narrate
from builder.config.load import load_config
from builder.errors import ConfigError, NarrativeError
from builder.narrative.local import is_prose, places_named
from builder.pack.content import Heading, Text
from builder.pack.layout import Layout, without_empty_headings

FORCE = "Staffordshire Police"
ROBBERY_DOING = ("themes", 0, "narrative", "what_doing")
ROBBERY_COMPARE = ("themes", 0, "narrative", "compare")
NEUTRAL = f"The force's pack describes this for {FORCE} as a whole."


@pytest.fixture(scope="module")
def inputs():
    return read_inputs(CONFIG)


@pytest.fixture(scope="module")
def data(inputs):
    return load_data(inputs)


@pytest.fixture(scope="module")
def by_npt(inputs, data) -> Computed:
    return compute(inputs, data, by="npt")


@pytest.fixture(scope="module")
def by_area(inputs, data) -> Computed:
    return compute(inputs, data, by="area")


def config_with(tmp_path: Path, replacements: dict[str, str] | None = None, append: str = "") -> Path:
    """The sample config with some text replaced and YAML added at the end."""
    text = CONFIG.read_text(encoding="utf-8")
    for old, new in (replacements or {}).items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "pack.yaml"
    path.write_text(text + append, encoding="utf-8")
    return path


def texts_by_place(path: Path, computed: Computed) -> dict[str, dict]:
    narrated = narrate(load_config(path), computed)
    return {pack.scope.name: text for pack, text in zip(computed.packs, narrated.texts)}


OWN_TEXT = """
    Moorlands:
      foreword: ""
      themes:
        robbery:
          what_doing: |
            Moorlands' own plan: {{ robbery.last_12 }} robberies this year.
"""


def test_a_place_s_own_text_replaces_the_force_s_in_its_pack_only(tmp_path: Path, by_npt: Computed) -> None:
    path = config_with(tmp_path, {"  npt:\n    SOT North:": "  npt:" + OWN_TEXT + "    SOT North:"})
    texts = texts_by_place(path, by_npt)
    moorlands = next(p for p in by_npt.packs if p.scope.name == "Moorlands").figures
    assert (
        texts["Moorlands"][ROBBERY_DOING]
        == f"Moorlands' own plan: {moorlands.themes['robbery'].last_12} robberies this year."
    )
    for name, text in texts.items():
        if name != "Moorlands":
            assert text[ROBBERY_DOING].startswith("Robbery is a force priority"), name
            assert text[("foreword", "text")].startswith("Crime is rising again")


def test_an_empty_own_text_leaves_its_section_out_of_that_pack(tmp_path: Path, inputs, by_npt: Computed) -> None:
    path = config_with(tmp_path, {"  npt:\n    SOT North:": "  npt:" + OWN_TEXT + "    SOT North:"})
    loaded = load_config(path)
    narrated = narrate(loaded, by_npt)
    for pack, text in zip(by_npt.packs, narrated.texts):
        elements = Layout(loaded.config, pack.figures, text, {}, pack.scope.described).elements()
        level1 = [e.text for e in elements if isinstance(e, Heading) and e.level == 1]
        assert (level1[0] == "Foreword from the Chief Constable") == (pack.scope.name != "Moorlands")


def test_the_force_s_text_naming_another_place_gives_way_to_the_neutral_sentence(
    tmp_path: Path, by_npt: Computed, by_area: Computed
) -> None:
    force_text = "Robbery is a force priority with its own action plan"
    path = config_with(tmp_path, {force_text: "Patrols in Moorlands doubled. " + force_text})
    npt = texts_by_place(path, by_npt)
    assert npt["Moorlands"][ROBBERY_DOING].startswith("Patrols in Moorlands doubled.")  # its own name: kept
    assert npt["Cannock"][ROBBERY_DOING] == NEUTRAL
    area = texts_by_place(path, by_area)
    assert area["North"][ROBBERY_DOING].startswith("Patrols in Moorlands")  # Moorlands is in North
    assert area["East"][ROBBERY_DOING] == area["West"][ROBBERY_DOING] == NEUTRAL


def test_the_neutral_sentence_is_the_config_s_and_may_use_figures(tmp_path: Path, by_npt: Computed) -> None:
    path = config_with(tmp_path, {"  peers: force ": "  neutral: Ask the {{ scope.described }} team.\n  peers: force "})
    texts = texts_by_place(path, by_npt)
    assert texts["Cannock"][("themes", 1, "narrative", "what_doing")] == "Ask the Cannock NPT team."


def test_a_figure_the_place_lacks_gives_the_neutral_sentence_not_an_error(tmp_path: Path, inputs, data) -> None:
    """With peers left out of local packs, an unguarded sentence about peers still builds."""
    unguarded = (
        "For the 12 months to {{ robbery.peers.period.end | month }}, {{ force }} ranks {{ robbery.peers | rank }}."
    )
    path = config_with(
        tmp_path,
        {
            "  peers: force ": "  peers: leave_out ",
            "        {% if robbery.standing %}{{ scope.described }} ranks": f"        {unguarded}\n        {{% if robbery.standing %}}{{{{ scope.described }}}} ranks",
        },
    )
    local = compute(read_inputs(path), data, by="npt")
    assert all(t.peers is None for p in local.packs for t in p.figures.themes.values())
    narrated = narrate(load_config(path), local)
    assert all(text[ROBBERY_COMPARE] == NEUTRAL for text in narrated.texts)
    notes = [f.reason for _, n in narrated.local for f in n.neutral if f.location == ROBBERY_COMPARE]
    assert notes == [f"needs a figure {p.scope.described} does not have" for p in local.packs]
    force = compute(read_inputs(path), data)
    assert "ranks 4th of 8" in narrate(load_config(path), force).texts[0][ROBBERY_COMPARE]


def test_a_place_with_no_robberies_builds_with_its_neutral_sentences(inputs, data) -> None:
    crimes = data.crimes
    gone = (crimes["npt"] == "Moorlands") & (crimes["crime_type"] == "Personal Robbery")
    computed = compute(inputs, replace(data, crimes=crimes[~gone].reset_index(drop=True)), by="npt")
    moorlands = next(p for p in computed.packs if p.scope.name == "Moorlands")
    assert moorlands.figures.themes["robbery"].last_12 == moorlands.figures.themes["robbery"].previous_12 == 0
    narrated = narrate(load_config(CONFIG), computed)
    text = narrated.texts[[p.scope.name for p in computed.packs].index("Moorlands")]
    assert "Personal robbery had no crimes in either period" in text[("themes", 0, "narrative", "trend")]
    assert "Moorlands NPT ranks 4th of 4" in text[ROBBERY_COMPARE]


def test_a_misspelt_name_in_the_force_s_text_still_stops_the_build(tmp_path: Path, by_npt: Computed) -> None:
    path = config_with(tmp_path, {"{{ robbery | change_phrase }} in {{ period.last }}": "{{ robbery.lst_12 }}"})
    with pytest.raises(NarrativeError, match="unknown figure name 'lst_12'"):
        narrate(load_config(path), by_npt)


def test_text_for_a_place_the_data_do_not_have_is_an_error_with_its_line(tmp_path: Path, by_npt: Computed) -> None:
    path = config_with(tmp_path, {"    Lichfield:": "    Lichfeld:"})
    line = path.read_text(encoding="utf-8").splitlines().index("    Lichfeld:") + 1
    with pytest.raises(ConfigError) as raised:
        narrate(load_config(path), by_npt)
    assert str(raised.value).startswith(f"{path}:{line}: local.npt.Lichfeld: the data have no NPT 'Lichfeld'")
    assert "did you mean 'Lichfield'?" in str(raised.value)


def test_own_text_for_a_theme_that_does_not_exist_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = config_with(tmp_path, {"        tomv:\n          what_doing:": "        tmov:\n          what_doing:"})
    line = path.read_text(encoding="utf-8").splitlines().index("        tmov:") + 1
    with pytest.raises(ConfigError, match=rf"^{path}:{line}: .*no theme 'tmov'"):
        load_config(path)


def test_each_pack_is_fact_checked_against_its_own_figures(tmp_path: Path, inputs, data, by_npt: Computed) -> None:
    """The force's change typed into the force's text is right in the force's pack and wrong in each NPT's."""
    force = compute(inputs, data)
    typed = f"{force.force.themes['robbery'].difference:,}"
    path = config_with(tmp_path, {"A third of victims": f"Personal robbery rose by {typed} crimes. A third of victims"})
    assert narrate(load_config(path), force).warnings == []
    warnings = narrate(load_config(path), by_npt).warnings
    wrong = [p.scope.described for p in by_npt.packs if f"{p.figures.themes['robbery'].difference:,}" != typed]
    assert len(wrong) == len(by_npt.packs) == 10
    assert [(w.warning.section, w.warning.literal, list(w.packs)) for w in warnings] == [("robbery", typed, wrong)]
    assert str(warnings[0]).startswith(f"{path}:")
    assert str(warnings[0]).endswith("(in the Cannock NPT pack and 9 more)")


def test_places_are_found_as_whole_words_as_written_longest_first() -> None:
    places = {"East", "East Staffs", "North", "Lichfield"}
    assert places_named("Operations in East Staffs and Lichfield.", places) == ["East Staffs", "Lichfield"]
    assert places_named("young people in the north of the county", places) == []
    assert places_named("Northern Line; North-East", places) == []
    assert places_named("East area and East.", places) == ["East"]


def test_only_paragraph_text_falls_back_never_headings_or_definitions() -> None:
    assert is_prose(("executive_summary", "text")) and is_prose(("all_crime", "npt"))
    assert is_prose(("themes", 2, "narrative", "where"))
    assert not is_prose(("executive_summary", "heading")) and not is_prose(("all_crime", "heading"))
    assert not is_prose(("themes", 2, "definition")) and not is_prose(("themes", 2, "examples", 0))


def test_a_heading_with_nothing_under_it_is_left_out() -> None:
    text = Text(())
    elements = [Heading("A"), Heading("a1", 2), Heading("a2", 2), text, Heading("B"), Heading("b1", 2), Heading("C")]
    assert without_empty_headings(elements) == [Heading("A"), Heading("a2", 2), text]


def test_standing_compares_the_place_with_its_area_and_the_force(by_npt: Computed, by_area: Computed) -> None:
    moorlands = next(p for p in by_npt.packs if p.scope.name == "Moorlands")
    standing = moorlands.figures.themes["robbery"].standing
    assert standing is not None
    assert sorted(standing.group.keys()) == ["Moorlands", "Newcastle", "SOT North", "SOT South"]
    assert standing.group_name == "NPTs in North area"
    north = by_npt.force.themes["robbery"].area["North"]
    assert (standing.group.total.last_12, standing.group.total.previous_12) == (north.last_12, north.previous_12)
    force = by_npt.force.themes["robbery"]
    assert (standing.force.last_12, standing.force.previous_12) == (force.last_12, force.previous_12)
    own = moorlands.figures.themes["robbery"]
    assert standing.share_of_force_pct == pytest.approx(100 * own.last_12 / force.last_12)
    assert standing.share_of_force_change_pct == pytest.approx(100 * own.difference / force.difference)
    assert standing.rank == 1 + sum(r.last_12 > own.last_12 for r in standing.group)
    areas = {p.scope.name: p.figures.standing for p in by_area.packs}
    assert all(s is not None and s.group.total.last_12 == by_area.force.all_crime.last_12 for s in areas.values())


def test_the_whole_force_pack_has_no_standing(inputs, data) -> None:
    force = compute(inputs, data).packs[0].figures
    assert force.standing is None and all(t.standing is None for t in force.themes.values())


def test_check_by_npt_renders_every_pack_and_says_where_the_neutral_sentence_stands() -> None:
    result = invoke("check", "--by", "npt", "--config", str(CONFIG))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1].startswith(f"Checked {CONFIG}: 247,231 rows, 10 packs, 44 narrative fields, 0 warnings")
    notes = [line for line in lines if line.startswith("note: ")]
    assert len(notes) == 2
    assert "tomv.what_doing: the force's text names South Staffs and Lichfield; 8 NPT packs" in notes[0]
    assert "Write local.npt.<name>.themes.tomv.what_doing to say more" in notes[0]
    assert 'the South Staffs NPT pack says the neutral sentence instead. Write local.npt."South Staffs".' in notes[1]


def test_figures_by_npt_lists_a_local_pack_s_names() -> None:
    result = invoke("figures", "--by", "npt", "--scope", "Moorlands", "--config", str(CONFIG), "--section", "robbery")
    assert result.exit_code == 0, result.output
    values = dict(line.split(None, 1) for line in result.output.splitlines() if line and " " in line)
    assert values["scope.described"].strip() == "Moorlands NPT"
    assert values["robbery.standing.group_name"].strip() == "NPTs in North area"
    assert values["robbery.standing.rank"].strip() == "4"
    unknown = invoke("figures", "--by", "npt", "--scope", "Moorland", "--config", str(CONFIG))
    assert unknown.exit_code == 2 and "use one of: Cannock" in unknown.output


def test_check_without_by_says_the_local_text_is_checked_with_by() -> None:
    result = invoke("check", "--config", str(CONFIG))
    assert result.exit_code == 0, result.output
    assert "note: the text under local.npt is used in local packs only; `perfpack check --by npt` checks it" in (
        result.output
    )


def test_a_place_whose_crimes_stop_early_is_counted_in_the_force_s_months(inputs, data) -> None:
    """No crimes in the last month for one NPT (a merged beat, a late extract) is zeros, not a refused build."""
    crimes = data.crimes
    late = (crimes["npt"] == "Moorlands") & (
        (crimes["committed_date"] >= "2018-09-01") | (crimes["recorded_date"] >= "2018-09-01")
    )
    computed = compute(inputs, replace(data, crimes=crimes[~late].reset_index(drop=True)), by="npt")
    moorlands = next(p for p in computed.packs if p.scope.name == "Moorlands").figures
    assert moorlands.windows == computed.force.windows
    assert moorlands.all_crime_trend.values[-1] == 0
    assert narrate(load_config(CONFIG), computed).texts


def test_police_uk_local_packs_skip_places_that_are_not_places_and_never_speak_for_the_force(tmp_path):
    """'No location' and 'Outside force area' get no pack; a local count is never 'the force's'."""
    from data_helpers import street_folder
    from docx_helpers import full_text, open_docx

    from builder.build.scopes import slug

    config = Path(CONFIG).parent / "policeuk.yaml"
    data = street_folder(tmp_path / "force")
    out = tmp_path / "out"
    args = ["--config", str(config), "--data", str(data), "--window-months", "2", "--output-dir", str(out)]
    result = invoke("build", *args, "--by", "npt", "--no-pdf", "--no-cache")
    assert result.exit_code == 0, result.output
    packs = sorted(p.stem for p in out.glob("*.docx"))
    assert packs == sorted(f"policeuk-performance-pack-{slug(n)}" for n in ("Cannock Chase", "Stafford"))
    assert "Crimes with NPT 'No location' (in the force's figures, in no NPT's pack)" in result.output
    for name in packs:
        text = full_text(open_docx(out / f"{name}.docx"))
        assert "the force recorded" not in text and "of the force's total" not in text, name
        assert "district recorded" not in text, name  # no sentence compares one district with itself
