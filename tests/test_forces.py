"""Several forces in one run: never a silent sum, one pack per force with --by force, peers from the run.

Expected figures are counted from the files with the csv module, never taken from perfpack.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from conftest import ROOT, invoke
from docx_helpers import captioned_tables, open_docx
from forces_helpers import (
    FORCES,
    LAST,
    PREVIOUS,
    crimes_by_force,
    multi_force_folder,
    street_rows,
)

from builder.build.inputs import read_inputs
from builder.build.pipeline import BuildOptions, build
from builder.build.prepare import prepare
from builder.config.load import load_config
from builder.data.forces import ForceChoice, force_key, match_force
from builder.data.load import load_dataset
from builder.errors import DataError
from builder.figures.model import Window
from builder.figures.peers import compare_group

CONFIG = ROOT / "config" / "policeuk.yaml"
OUTSIDE = "Outside force area"
WINDOW = Window(dt.date(2019, 1, 1), dt.date(2019, 2, 28))


@pytest.fixture(scope="module")
def forces_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return multi_force_folder(tmp_path_factory.mktemp("forces") / "data")


def policeuk_data(**changes: object):
    loaded = load_config(CONFIG)
    return loaded, loaded.config.data.model_copy(update=changes)


def config_with(tmp_path: Path, extra: str) -> Path:
    """config/policeuk.yaml with its lookup path made absolute and ``extra`` YAML appended."""
    text = CONFIG.read_text(encoding="utf-8").replace(
        "file: lookups/policeuk-districts.csv", f"file: {ROOT / 'config' / 'lookups' / 'policeuk-districts.csv'}"
    )
    path = tmp_path / "pack.yaml"
    path.write_text(text + extra, encoding="utf-8")
    return path


# Names


@pytest.mark.parametrize(
    ("name", "forces", "expected"),
    [
        ("Kent", ["Kent Police", "Durham Constabulary"], "Kent Police"),
        ("London, City of", ["City of London Police", "Metropolitan Police Service"], "City of London Police"),
        (
            "Metropolitan Police",
            ["City of London Police", "Metropolitan Police Service"],
            "Metropolitan Police Service",
        ),
        ("Devon and Cornwall", ["Devon & Cornwall Police"], "Devon & Cornwall Police"),
        ("police.uk open data", ["Kent Police", "Durham Constabulary"], None),
        ("Police", ["Kent Police"], None),
    ],
)
def test_force_names_match_across_sources(name: str, forces: list[str], expected: str | None) -> None:
    assert match_force(name, forces) == expected


def test_generic_words_do_not_tell_forces_apart() -> None:
    assert force_key("West Midlands Police") == force_key("west midlands") != force_key("West Mercia Police")


# Rule 1: never a silent sum


def test_several_forces_without_a_choice_stop_with_the_forces_and_two_ways_forward(forces_data: Path) -> None:
    loaded, data = policeuk_data()
    with pytest.raises(DataError) as stopped:
        load_dataset(
            forces_data, data_config=data, config_folder=loaded.folder, forces=ForceChoice(cover="police.uk open data")
        )
    message = str(stopped.value)
    assert "\n" not in message
    assert all(force in message for force in FORCES)
    assert "--by force" in message and "data.force" in message


def test_the_force_the_config_names_is_kept_and_the_others_counted_by_file(forces_data: Path) -> None:
    rows = street_rows(forces_data)
    loaded, data = policeuk_data(force="Durham Constabulary")
    dataset = load_dataset(forces_data, data_config=data, config_folder=loaded.folder)
    mine = [r for r in rows if r["Reported by"] == "Durham Constabulary"]
    assert set(dataset.crimes["force"]) == {"Durham Constabulary"}
    assert len(dataset.crimes) + len(dataset.asb) == len(mine)
    report = dataset.report
    assert report.rows_read == len(rows)
    assert report.rows_used + sum(report.rows_dropped.values()) == len(rows)
    (reason,) = report.rows_dropped
    assert "Kent Police" in reason and "Staffordshire Police" in reason and "Durham Constabulary" in reason
    for file in report.files:
        if file.role == "data":
            assert file.rows_used + file.rows_dropped == file.rows_read, file.path


def test_the_cover_names_the_force_when_it_matches_one(forces_data: Path) -> None:
    loaded, data = policeuk_data()
    dataset = load_dataset(forces_data, data_config=data, config_folder=loaded.folder, forces=ForceChoice(cover="Kent"))
    assert set(dataset.crimes["force"]) == {"Kent Police"}


def test_data_force_must_be_in_the_data(forces_data: Path) -> None:
    loaded, data = policeuk_data(force="Essex Police")
    with pytest.raises(DataError, match=r"data.force 'Essex Police' is not a force in the data"):
        load_dataset(forces_data, data_config=data, config_folder=loaded.folder)


def test_another_forces_crimes_are_never_this_forces_outside_area(forces_data: Path) -> None:
    """Each force's own districts stay named; only its own crimes over the border are 'Outside force area'."""
    loaded, data = policeuk_data()
    dataset = load_dataset(forces_data, data_config=data, config_folder=loaded.folder, forces=ForceChoice(every=True))
    crimes = dataset.crimes
    for force, districts in FORCES.items():
        own = crimes[crimes["force"] == force]
        assert set(own["npt"]) == {*districts, OUTSIDE, "No location"}, force
        assert (own["npt"] == OUTSIDE).sum() == 5  # one a month, from the files
    counted = dataset.report.counted
    assert counted["crimes located outside their own force's area (NPT and area 'Outside force area')"] == 15


def test_rows_without_a_force_are_counted_not_lost_in_a_by_force_run(tmp_path: Path) -> None:
    folder = multi_force_folder(tmp_path / "data")
    path = folder / "kent" / "2019-01-kent-street.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Kent Police,Kent Police", ",", 1)  # one row with no force at all
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded, data = policeuk_data()
    dataset = load_dataset(folder, data_config=data, config_folder=loaded.folder, forces=ForceChoice(every=True))
    report = dataset.report
    assert report.rows_dropped == {"rows with no force (the force column is blank), so in no force's pack": 1}
    assert report.rows_used + 1 == report.rows_read == len(street_rows(folder))


def test_a_month_missing_for_one_force_is_found_though_others_have_it(tmp_path: Path) -> None:
    folder = multi_force_folder(tmp_path / "data")
    (folder / "kent" / "2018-12-kent-street.csv").unlink()
    loaded, data = policeuk_data()
    with pytest.raises(DataError, match=r"no crimes recorded for Kent Police in December 2018"):
        load_dataset(folder, data_config=data, config_folder=loaded.folder, forces=ForceChoice(every=True))


def test_a_mapped_force_column_splits_an_extract(tmp_path: Path) -> None:
    from builder.config.schema import Data, DataMapping

    path = tmp_path / "crimes.csv"
    header = ["Ref", "Type", "Date", "npt", "area", "Force"]
    rows = [
        [f"R{i}", "Burglary", f"2018-{m:02d}-10", "North", "A", force]
        for m in range(1, 13)
        for i, force in enumerate(("North Force", "South Force", "South Force"), start=m * 10)
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    mapping = DataMapping(
        columns={
            "crime_ref": "Ref",
            "crime_type": "Type",
            "committed_date": "Date",
            "recorded_date": "Date",
            "force": "Force",
        }
    )
    with pytest.raises(DataError, match=r"the data hold 2 forces \(South Force 24, North Force 12\)"):
        load_dataset(path, data_config=Data(mapping=mapping), forces=ForceChoice(cover="Anywhere"))
    south = load_dataset(path, data_config=Data(mapping=mapping, force="South Force"))
    assert len(south.crimes) == 24 and set(south.crimes["force"]) == {"South Force"}


# --by force: one pack per force


@pytest.fixture(scope="module")
def by_force(forces_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("by-force")
    result = invoke(
        "build", "--config", str(CONFIG), "--data", str(forces_data), "--by", "force",
        "--window-months", "2", "--no-pdf", "--no-cache", "--output-dir", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return {"out": out, "output": result.output}


def test_one_pack_per_force_with_its_own_name_and_headline(by_force: dict, forces_data: Path) -> None:
    rows = street_rows(forces_data)
    last, previous = crimes_by_force(rows, LAST), crimes_by_force(rows, PREVIOUS)
    packs = sorted(by_force["out"].glob("*.docx"))
    assert len(packs) == len(FORCES) == 3
    for path in packs:
        doc = open_docx(path)
        force = doc.core_properties.title.split(": ")[0]
        assert force in FORCES
        assert doc.paragraphs[0].text == force.upper()  # the cover
        text = "\n".join(p.text for p in doc.paragraphs)
        assert f"{force} recorded {last[force]:,} crimes" in text  # the summary names its own scope
        assert "police.uk open data" not in text
        table = next(t for t in captioned_tables(doc) if t.caption.startswith("Crimes by crime type"))
        total = table.rows[-1]
        assert total[0] == "Total" and int(total[1].replace(",", "")) == last[force]
        assert int(total[3].replace(",", "")) == previous[force]
        npt = next(t for t in captioned_tables(doc) if t.caption.startswith("Crimes by Neighbourhood"))
        assert {r[0] for r in npt.rows[1:-1]} == {*FORCES[force], OUTSIDE, "No location"}


def test_a_force_whose_files_end_early_is_named(tmp_path: Path) -> None:
    folder = multi_force_folder(tmp_path / "data")
    (folder / "kent" / "2019-02-kent-street.csv").unlink()
    result = invoke(
        "build", "--config", str(CONFIG), "--data", str(folder), "--by", "force", "--window-months", "2",
        "--no-pdf", "--no-cache", "--output-dir", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "Kent Police's data do not reach 2019-02" in result.output and "--period-end" in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.docx"))


def test_an_incomplete_month_is_judged_and_named_per_force(tmp_path: Path) -> None:
    """Kent's December file holds a quarter of its rows: Kent's pack is warned, no other's."""
    folder = multi_force_folder(tmp_path / "data")
    december = folder / "kent" / "2018-12-kent-street.csv"
    lines = december.read_text(encoding="utf-8").splitlines()
    december.write_text("\n".join(lines[: 1 + len(lines) // 4]) + "\n", encoding="utf-8")
    result = invoke(
        "check", "--config", str(CONFIG), "--data", str(folder), "--by", "force", "--window-months", "2",
    )  # fmt: skip
    warned = [line for line in result.output.splitlines() if "December 2018" in line and "data:" in line]
    assert warned and all("(in the Kent Police pack)" in line for line in warned), result.output


def test_the_summary_lists_each_forces_headline(by_force: dict, forces_data: Path) -> None:
    rows = street_rows(forces_data)
    last, previous = crimes_by_force(rows, LAST), crimes_by_force(rows, PREVIOUS)
    robbery = crimes_by_force(rows, LAST, "Robbery")
    (path,) = by_force["out"].glob("*-forces-summary.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        summary = {r["force"]: r for r in csv.DictReader(handle)}
    assert set(summary) == {*FORCES, "All forces in this run"}
    for force in FORCES:
        assert int(summary[force]["all_crime_last"]) == last[force]
        assert int(summary[force]["all_crime_previous"]) == previous[force]
        assert int(summary[force]["robbery_last"]) == robbery[force]
        assert (by_force["out"] / f"{summary[force]['pack']}.docx").is_file()
    assert int(summary["All forces in this run"]["all_crime_last"]) == sum(last.values())


def test_the_summary_page_links_every_force_to_its_pack_and_passes_in_a_browser(
    by_force: dict, forces_data: Path, browser
) -> None:
    """The page beside the HTML editions: a row per force, its figures, a link that opens its pack; WCAG 2.2 AA."""
    import re

    from browser_helpers import axe_violations, describe

    rows = street_rows(forces_data)
    last = crimes_by_force(rows, LAST)
    (page_file,) = by_force["out"].glob("*-forces-summary.html")
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        assert page.locator("h1").count() == 1 and page.locator("table caption").count() == 1
        shown = page.eval_on_selector_all(
            "tbody tr",
            "rows => rows.map(r => [r.querySelector('th a').textContent, r.querySelector('td').textContent,"
            " r.querySelector('th a').getAttribute('href')])",
        )
        assert sorted(force for force, _, _ in shown) == sorted(FORCES)
        for force, count, target in shown:
            assert count == f"{last[force]:,}", force
            assert (by_force["out"] / target).is_file(), target  # the link opens the force's own HTML pack
        assert not re.search(r"(src|href)=\"https?:", page.content())  # nothing fetched from elsewhere
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        page.close()


def test_the_summary_is_published_with_the_set(by_force: dict) -> None:
    import json

    out = by_force["out"]
    manifest = json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))
    (summary,) = out.glob("*-forces-summary.csv")
    outputs = {o["name"]: o for o in manifest["outputs"]}
    assert outputs[summary.name]["bytes"] == summary.stat().st_size
    assert len([name for name in outputs if name.endswith(".docx")]) == len(FORCES)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # nothing left in staging


def test_each_force_is_compared_with_the_forces_of_the_run(by_force: dict) -> None:
    """Robbery changes are -50%, +50% and 0%: ranked by change, the largest fall first."""
    expected = [["1st", "Staffordshire Police"], ["2nd", "Kent Police"], ["3rd", "Durham Constabulary"]]
    for path in sorted(by_force["out"].glob("*.docx")):
        doc = open_docx(path)
        table = next(t for t in captioned_tables(doc) if t.caption.startswith("Robbery: Forces in this run"))
        assert [r[:2] for r in table.rows[1:]] == expected


# Peers from a group file, by hand


def test_compare_group_ranks_by_change_without_populations_and_by_rate_with_them() -> None:
    counts = {"A": (10, 20), "B": (30, 20), "C": (15, 15)}  # -50%, +50%, 0%
    by_change = compare_group("B", counts, None, group_name="G", period=WINDOW)
    assert by_change is not None and by_change.ranked_by == "change"
    assert [r.force for r in by_change.rows] == ["A", "C", "B"] and by_change.rank == 3
    populations = {"A": 10_000, "B": 60_000, "C": 10_000}  # rates 1.0, 0.5, 1.5 per 1,000
    by_rate = compare_group("B", counts, populations, group_name="G", period=WINDOW)
    assert by_rate is not None and by_rate.ranked_by == "rate"
    assert [r.force for r in by_rate.rows] == ["B", "A", "C"] and by_rate.rank == 1 and by_rate.change_rank == 3
    assert by_rate.group_change_pct == pytest.approx(100 * (55 - 55) / 55)
    assert compare_group("B", {"B": (1, 1)}, None, group_name="G", period=WINDOW) is None


def test_peers_from_a_group_file_rank_as_computed_by_hand(tmp_path: Path) -> None:
    """Staffordshire and Durham in one group, Kent alone: Kent gets no comparison."""
    data = multi_force_folder(tmp_path / "data")
    (tmp_path / "groups.csv").write_text(
        "force,group\nStaffordshire,North and Midlands\nDurham,North and Midlands\nKent,South East\n", encoding="utf-8"
    )
    (tmp_path / "people.csv").write_text(
        'force,population\nStaffordshire Police,"20,000"\nDurham Constabulary,60000\nKent Police,1000\n',
        encoding="utf-8",
    )
    config = config_with(tmp_path, "\npeers:\n  source: run\n  groups: groups.csv\n  populations: people.csv\n")
    prepared = prepare(read_inputs(config, data), window_months=2, by="force")
    packs = {p.scope.name: p.figures for p in prepared.computed.packs}
    stafford = packs["Staffordshire Police"].themes["robbery"].peers
    durham = packs["Durham Constabulary"].themes["robbery"].peers
    # Robberies in the last two months: Staffordshire 10 per 20,000 (0.5 per 1,000), Durham 30 per 60,000 (0.5).
    assert stafford is not None and durham is not None
    assert stafford.group_name == "North and Midlands" and stafford.group_size == 2
    assert stafford.ranked_by == "rate" and stafford.rank == 1  # a tie: each force is ranked first of two
    assert durham.rank == 1 and durham.change_rank == 2 and stafford.change_rank == 1
    assert [r.rate for r in stafford.rows] == [pytest.approx(0.5), pytest.approx(0.5)]
    assert packs["Kent Police"].themes["robbery"].peers is None
    burglary = packs["Durham Constabulary"].themes["burglary"].peers
    assert burglary is not None
    rows = street_rows(data)
    expected = {
        force: 1000 * crimes_by_force(rows, LAST, "Burglary")[force] / population
        for force, population in (("Staffordshire Police", 20_000), ("Durham Constabulary", 60_000))
    }
    assert {r.force: r.rate for r in burglary.rows} == pytest.approx(expected)
    assert [r.force for r in burglary.rows] == sorted(expected, key=expected.__getitem__)


def test_a_bad_population_is_one_line_naming_the_row(tmp_path: Path) -> None:
    data = multi_force_folder(tmp_path / "data")
    (tmp_path / "people.csv").write_text("force,population\nKent Police,lots\n", encoding="utf-8")
    config = config_with(tmp_path, "\npeers:\n  source: run\n  populations: people.csv\n")
    with pytest.raises(DataError, match=r"people.csv: row 2: population 'lots' of Kent Police is not a whole"):
        prepare(read_inputs(config, data), window_months=2, by="force")


def test_a_plain_build_over_several_forces_follows_rule_one(forces_data: Path, tmp_path: Path) -> None:
    result = invoke(
        "build", "--config", str(CONFIG), "--data", str(forces_data), "--window-months", "2",
        "--no-pdf", "--no-cache", "--output-dir", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "the data hold 3 forces" in result.output and "--by force" in result.output
    assert not list((tmp_path / "out").glob("*.docx"))
    config = (
        config_with(tmp_path, "")
        .read_text(encoding="utf-8")
        .replace("force: police.uk open data", "force: Durham Constabulary")
    )
    (tmp_path / "durham.yaml").write_text(config, encoding="utf-8")
    result = build(
        BuildOptions(
            config=tmp_path / "durham.yaml", data=forces_data, output_dir=tmp_path / "durham",
            pdf=False, cache=False, window_months=2, check=False,
        )
    )  # fmt: skip
    rows = street_rows(forces_data)
    assert result.figures is not None
    assert result.figures.all_crime.last_12 == crimes_by_force(rows, LAST)["Durham Constabulary"]
    assert OUTSIDE in {r.label for r in result.figures.npt.rows}
    assert result.figures.npt[OUTSIDE].last_12 == 2  # its own two crimes over the border, January and February


# The five real forces of ../shared, copied into one folder


POLICEUK = ROOT.parent / "shared" / "data" / "policeuk"
needs_shared = pytest.mark.skipif(not POLICEUK.is_dir(), reason="needs ../shared/data/policeuk beside the repo")


@pytest.fixture(scope="module")
def five_forces(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    folder = tmp_path_factory.mktemp("five") / "data"
    folder.mkdir()
    for path in sorted(POLICEUK.glob("*/*-street.csv")):
        shutil.copyfile(path, folder / path.name)
    return folder


@needs_shared
def test_five_real_forces_plain_build_names_them_and_stops(five_forces: Path, tmp_path: Path) -> None:
    result = invoke("check", "--config", str(CONFIG), "--data", str(five_forces))
    assert result.exit_code == 2
    line = result.output.strip()
    assert "the data hold 5 forces" in line and "Kent Police 75,735" in line and "\n" not in line


@needs_shared
@pytest.mark.slow
def test_five_real_forces_by_force_each_headline_from_its_own_files(five_forces: Path, tmp_path: Path) -> None:
    result = invoke(
        "build", "--config", str(CONFIG), "--data", str(five_forces), "--by", "force",
        "--window-months", "2", "--no-pdf", "--no-cache", "--no-check", "--output-dir", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = street_rows(five_forces)
    last, previous = crimes_by_force(rows, LAST), crimes_by_force(rows, PREVIOUS)
    packs = sorted(tmp_path.glob("*.docx"))
    assert len(packs) == 5
    for path in packs:
        doc = open_docx(path)
        force = doc.core_properties.title.split(": ")[0]
        total = next(t for t in captioned_tables(doc) if t.caption.startswith("Crimes by crime type")).rows[-1]
        assert (int(total[1].replace(",", "")), int(total[3].replace(",", ""))) == (last[force], previous[force])
        if force == "Kent Police":  # the same districts as a build from Kent's files alone
            alone = prepare(read_inputs(CONFIG, POLICEUK / "kent"), window_months=2)
            npt = next(t for t in captioned_tables(doc) if t.caption.startswith("Crimes by Neighbourhood"))
            assert {r[0]: int(r[1].replace(",", "")) for r in npt.rows[1:-1]} == {
                r.label: r.last_12 for r in alone.figures.npt.rows
            }


# Peers from the ONS recorded crime by Police Force Area


ONS = ROOT.parent / "shared" / "data" / "ons" / "rec-crime-pfa.csv"
ONS_HEADER = "12 months ending,PFA,Region,Offence,Rolling year total number of offences"


def test_ons_rolling_years_are_a_peer_source(tmp_path: Path) -> None:
    """Robbery in the years to December 2018 and 2017 (one written 30/12/2017, as in the real file)."""
    lines = [ONS_HEADER]
    years = (("Staffordshire", 100, 90), ("Durham", 50, 60), ("Kent", 200, 200), ("Cumbria", 40, 30))
    for pfa, before, after in years:  # Cumbria is in the file, not in the run
        lines += [f"30/12/2017,{pfa},X,Robbery,{before}", f"31/12/2018,{pfa},X,Robbery,{after}"]
    lines += ["31/12/2018,Action Fraud,X,Robbery,5", "30/12/2017,Action Fraud,X,Robbery,1"]
    lines += ["31/12/2018,Kent,X,Residential burglary,-3"]  # revisions can be negative; kept as published
    (tmp_path / "ons.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode())
    data = multi_force_folder(tmp_path / "data")
    config = config_with(tmp_path, "\npeers:\n  source: ons\n  ons_file: ons.csv\n")
    prepared = prepare(read_inputs(config, data), window_months=2, by="force")
    packs = {p.scope.name: p.figures for p in prepared.computed.packs}
    robbery = packs["Durham Constabulary"].themes["robbery"].peers
    assert robbery is not None and robbery.period.end == dt.date(2018, 12, 31) and robbery.period.months == 12
    assert [(r.force, r.last_12, r.previous_12) for r in robbery.rows] == [
        ("Cumbria", 30, 40),  # -25%: the file's forces, not only the run's
        ("Staffordshire", 90, 100),  # -10%
        ("Kent", 200, 200),  # 0%
        ("Durham Constabulary", 60, 50),  # +20%: the home force under its own name
    ]
    assert robbery.rank == 4 and robbery.group_name == "Forces of England and Wales"  # every PFA of the file
    assert packs["Kent Police"].themes["burglary"].peers is None  # only Kent has burglary figures


@pytest.mark.skipif(not ONS.is_file(), reason="needs ../shared/data/ons beside the repo")
def test_the_real_ons_file_ranks_staffordshire_among_the_43_forces() -> None:
    from builder.data.peer_sources import read_ons
    from builder.figures.peers import ons_counts

    ons = read_ons(ONS)
    assert len(set(ons["force"])) == 43
    with ONS.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Offence"] == "Robbery"]
    years = {}
    for r in rows:
        _day, month, year = r["12 months ending"].split("/")
        if (year, month) in (("2018", "12"), ("2017", "12")) and r["PFA"] not in {
            "Action Fraud", "CIFAS", "UK Finance", "British Transport Police"
        }:  # fmt: skip
            years.setdefault(r["PFA"], {})[year] = int(r["Rolling year total number of offences"])
    change = {pfa: (y["2018"] - y["2017"]) / y["2017"] for pfa, y in years.items()}
    counts = ons_counts(ons, ("Robbery",), "2018-12")
    assert counts["Staffordshire"] == (years["Staffordshire"]["2018"], years["Staffordshire"]["2017"])
    comparison = compare_group("Staffordshire", counts, None, group_name="E&W", period=WINDOW)
    assert comparison is not None and comparison.group_size == 43
    assert comparison.rank == 1 + sum(c < change["Staffordshire"] for c in change.values())
