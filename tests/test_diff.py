"""`perfpack diff`: what changed between two built packs, checked against `perfpack figures` for each."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import CONFIG, run_perfpack

from builder.build.inputs import read_inputs
from builder.build.prepare import prepare
from builder.commands.figures import format_value
from builder.cycle.compare import compare
from builder.cycle.snapshot import plain
from builder.narrative.catalogue import Alias, figure_names
from builder.render.diff_html import write_diff_page
from builder.sample import ensure_sample

pytestmark = pytest.mark.slow
SERIES_NAME = 'all_crime.spc.values["2018-09"]'


def build(out: Path, *args: str) -> Path:
    result = run_perfpack("build", "--config", str(CONFIG), "--no-pdf", "--no-check", "--output-dir", str(out), *args)
    assert result.returncode == 0, result.stderr
    return out


def figures_at(period_end: str, data: Path | None = None) -> dict[str, object]:
    """What `perfpack figures` computes, in process: every name (aliases left out) with its value."""
    context = prepare(read_inputs(CONFIG, data), period_end=period_end).context
    return {name: plain(value) for name, value in figure_names(context) if not isinstance(value, Alias)}


def printed_figures(period_end: str) -> dict[str, str]:
    """What `perfpack figures` prints: name -> value as text."""
    result = run_perfpack("figures", "--config", str(CONFIG), "--period-end", period_end)
    assert result.returncode == 0, result.stderr
    lines = [line.split("  ", 1) for line in result.stdout.splitlines()]
    return {name.strip(): value.strip() for name, value in (p for p in lines if len(p) == 2)}


@pytest.fixture(scope="module")
def two_months(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample built for two consecutive period ends."""
    root = tmp_path_factory.mktemp("diff")
    return build(root / "aug", "--period-end", "2018-08"), build(root / "sep", "--period-end", "2018-09")


def test_json_lists_exactly_the_figures_that_changed(two_months: tuple[Path, Path]):
    old, new = two_months
    result = run_perfpack("diff", str(old), str(new), "--json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert all(set(item) == {"name", "old", "new"} for item in items)
    before, after = figures_at("2018-08"), figures_at("2018-09")
    changed = {n for n in after if before.get(n) != after[n]} | {n for n in before if n not in after}
    assert [i["name"] for i in items] == [n for n in [*after, *before] if n in changed][: len(items)]
    assert {i["name"] for i in items} == changed, "same data, so no revisions: only figures"
    for item in items:
        assert item["old"] == before.get(item["name"]) and item["new"] == after.get(item["name"]), item
    assert 500 < len(items) < 1000
    headline = {i["name"]: (i["old"], i["new"]) for i in items}
    assert isinstance(headline["robbery.last_12"][0], int)
    assert headline["robbery.last_12"] == (before["robbery.last_12"], after["robbery.last_12"])
    assert "force" not in headline and "robbery.title" not in headline

    shown_before, shown_after = printed_figures("2018-08"), printed_figures("2018-09")
    for item in items:  # and each value reads as `perfpack figures` prints it
        if item["name"] in shown_after and item["name"] in shown_before:
            assert format_value(item["old"]) == shown_before[item["name"]] or isinstance(item["old"], str)
            assert format_value(item["new"]) == shown_after[item["name"]] or isinstance(item["new"], str)


def test_text_names_headlines_rows_signals_and_narrative(two_months: tuple[Path, Path]):
    old, new = two_months
    before, after = figures_at("2018-08"), figures_at("2018-09")
    result = run_perfpack("diff", str(old), str(new))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Staffordshire Police: August 2018 -> September 2018" in text
    assert f"  robbery.last_12: {before['robbery.last_12']:,} -> {after['robbery.last_12']:,}" in text
    assert "Table rows that moved or changed" in text
    assert "    Burglary Business and Community: 6th -> 4th in the table;" in text
    assert "Trend charts whose signals changed" in text
    assert "Narrative paragraphs that changed\n" in text and "\n  robbery.trend\n" in text
    assert "    + Personal robbery rose by 26% or 165 crimes in October 2017 – September 2018" in text
    assert "Data revisions" not in text, "the same extract revises nothing"


def test_a_newer_extract_that_counts_a_month_differently_is_a_revision(tmp_path: Path):
    """The old extract lacks 31 September crimes that the newer one has: September is revised."""
    sample = ensure_sample()
    old_data = tmp_path / "old-extract"
    shutil.copytree(sample, old_data)
    crimes = pd.read_parquet(sample / "crimes.parquet")
    september = crimes.index[
        (crimes["crime_type"] == "Other Theft")
        & crimes["committed_date"].astype(str).str.startswith("2018-09")
        & crimes["recorded_date"].astype(str).str.startswith("2018-09")
    ]
    crimes.drop(september[:31]).to_parquet(old_data / "crimes.parquet")
    old = build(tmp_path / "old", "--data", str(old_data), "--period-end", "2018-09")
    new = build(tmp_path / "new", "--period-end", "2018-09")

    counted = figures_at("2018-09")["all_crime.last_12"]
    assert figures_at("2018-09", old_data)["all_crime.last_12"] == counted - 31
    result = run_perfpack("diff", str(old), str(new), "--json")
    items = {i["name"]: i for i in json.loads(result.stdout)}
    revision = items[SERIES_NAME]
    assert revision["new"] - revision["old"] == 31
    assert items["all_crime.last_12"] == {"name": "all_crime.last_12", "old": counted - 31, "new": counted}
    assert not any(n.startswith("all_crime.spc.values") and n != SERIES_NAME for n in items), "other months unchanged"

    page = tmp_path / "changes.html"
    text = run_perfpack("diff", str(old), str(new), "--html", str(page)).stdout
    sentence = f"September 2018 all crime revised from {revision['old']:,} to {revision['new']:,}"
    assert sentence in text
    assert sentence in page.read_text(encoding="utf-8")


def test_manifest_lists_the_figures_file(two_months: tuple[Path, Path]):
    manifest = json.loads((two_months[1] / "build-manifest.json").read_text(encoding="utf-8"))
    assert manifest["figures"] == ["public-performance-pack-2018-11-figures.json"]
    assert "public-performance-pack-2018-11-figures.json" in [o["name"] for o in manifest["outputs"]]


def test_a_folder_that_is_not_a_built_pack_is_one_line(tmp_path: Path, two_months: tuple[Path, Path]):
    result = run_perfpack("diff", str(tmp_path), str(two_months[1]))
    assert result.returncode == 2
    assert "no build-manifest.json there" in result.stderr and result.stderr.count("\n") == 1


def test_the_page_escapes_author_text(tmp_path: Path):
    """Narrative is author text: on the page it is shown, never run as markup."""

    def snap(text: str, value: int) -> dict[str, object]:
        return {
            "scope": "Force",
            "period": {"end": "2018-09", "label": "September 2018"},
            "figures": {"all_crime.last_12": value},
            "series": {},
            "tables": {},
            "signals": {},
            "narrative": {"foreword.text": text},
        }

    changes = compare(snap("Crime fell.", 1), snap("<script>alert(1)</script> & rose", 2))
    page = write_diff_page(tmp_path / "p.html", [changes], "old", "new").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; rose" in page
    assert "<script>" not in page
    assert '<html lang="en-GB">' in page and "<caption>Headline figures</caption>" in page


@pytest.mark.parametrize(
    ("manifest", "says"),
    [("null", "lists no figures file"), ('{"figures": 5}', "not a list of file names"), ("[]", "lists no figures")],
)
def test_a_manifest_perfpack_did_not_write_is_one_line(
    tmp_path: Path, two_months: tuple[Path, Path], manifest: str, says: str
):
    (tmp_path / "build-manifest.json").write_text(manifest, encoding="utf-8")
    result = run_perfpack("diff", str(two_months[0]), str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert says in result.stderr and result.stderr.count("\n") == 1


def test_an_html_page_that_cannot_be_written_is_one_line_and_leaves_nothing(
    tmp_path: Path, two_months: tuple[Path, Path]
):
    result = run_perfpack("diff", *map(str, two_months), "--html", str(tmp_path))  # a folder
    assert result.returncode == 2 and "cannot write the page" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not list(tmp_path.parent.glob(f".{tmp_path.name}.part"))


def test_builds_whose_packs_do_not_pair_are_an_error_not_an_empty_list(tmp_path: Path, two_months: tuple[Path, Path]):
    by_npt = build(tmp_path / "npt", "--by", "npt")
    result = run_perfpack("diff", str(two_months[1]), str(by_npt), "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert "no pack of one build pairs with a pack of the other" in result.stderr


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda s: s["series"]["all_crime.spc"]["values"].update({"2018-09": "abc"}), "all_crime.spc 2018-09"),
        (lambda s: s["figures"].update({"all_crime.last_12": {"a": 1}}), "all_crime.last_12 is not a number"),
        (lambda s: s["figures"].update({"all_crime.last_12": float("nan")}), "all_crime.last_12 is nan"),
    ],
)
def test_a_hand_edited_figure_is_refused_not_compared(tmp_path: Path, two_months: tuple[Path, Path], edit, says):
    damaged = tmp_path / "damaged"
    shutil.copytree(two_months[1], damaged)
    (figures,) = damaged.glob("*-figures.json")
    snapshot = json.loads(figures.read_text(encoding="utf-8"))
    edit(snapshot)
    figures.write_text(json.dumps(snapshot), encoding="utf-8")
    for extra in ([], ["--json"]):
        result = run_perfpack("diff", str(two_months[0]), str(damaged), *extra)
        assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
        assert "not a figures file perfpack wrote" in result.stderr and says in result.stderr
