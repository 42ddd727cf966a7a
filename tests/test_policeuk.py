"""police.uk street-level files: recognised by header, counted as police.uk counts them.

The real files in ../shared/data are counted here with the csv module, independently of
perfpack, and the built pack's crime-type table must agree with those counts exactly.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, run_perfpack
from data_helpers import FORCE, STREET_HEADER, street_folder, street_row, write_csv
from docx_helpers import captioned_tables, open_docx

from builder.config.load import load_config
from builder.data.load import load_dataset
from builder.data.policeuk import district
from builder.errors import DataError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
POLICEUK = SHARED / "policeuk"
STAFFORDSHIRE = POLICEUK / "staffordshire"
CONFIG = ROOT / "config" / "policeuk.yaml"
ASB = "Anti-social behaviour"
needs_shared = pytest.mark.skipif(not POLICEUK.is_dir(), reason="needs ../shared/data beside the repo")


def read_rows(folder: Path) -> list[dict[str, str]]:
    rows = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def test_district_is_the_lsoa_name_less_its_code():
    assert district("Cannock Chase 001A") == "Cannock Chase"
    assert district("Newcastle upon Tyne 034C") == "Newcastle upon Tyne"


def test_street_files_become_crimes_and_all_asb(tmp_path):
    folder = street_folder(tmp_path / "force")
    duplicate = street_row("2018-10", 3)  # an ASB row (index 3), repeated exactly: two real incidents
    write_csv(
        folder / "2018-10-testshire-street.csv",
        STREET_HEADER,
        [street_row("2018-10", i) for i in range(24)] + [duplicate, duplicate],
    )
    data = load_dataset(folder)
    assert len(data.asb) == 5 * 6 + 2 and data.asb["incident_ref"].isna().all()
    assert set(data.asb["category"]) == {ASB}
    assert ASB not in set(data.crimes["crime_type"].cat.categories)
    assert len(data.crimes) == 5 * 18
    crimes = data.crimes
    assert set(crimes["npt"]) == {"Cannock Chase", "Stafford", "No location"}
    assert set(crimes.loc[crimes["npt"] == "No location", "area"]) == {"No location"}
    assert set(crimes.loc[crimes["npt"] != "No location", "area"]) == {FORCE}
    assert set(crimes["force"]) == {FORCE}
    october = crimes["recorded_date"] == pd.Timestamp("2018-10-31")
    assert (crimes["committed_date"] == crimes["recorded_date"]).all() and october.sum() == 18
    assert data.report.rows_read == data.report.rows_used == 5 * 24 + 2
    assert data.report.counted["rows with no location (NPT and area 'No location')"] == 5 * 8


def test_other_policeuk_files_are_skipped_and_reported(tmp_path):
    folder = street_folder(tmp_path / "force")
    write_csv(
        folder / "2018-10-testshire-outcomes.csv",
        [
            "Crime ID",
            "Month",
            "Reported by",
            "Falls within",
            "Longitude",
            "Latitude",
            "Location",
            "LSOA code",
            "LSOA name",
            "Outcome type",
        ],
        [["x", "2018-10", "", "", "", "", "", "", "", "y"]],
    )
    data = load_dataset(folder)
    skipped = [f for f in data.report.files if f.role == "ignored"]
    assert [f.path.name for f in skipped] == ["2018-10-testshire-outcomes.csv"]
    assert any("outcomes file" in w for w in data.report.warnings)


def test_unknown_category_can_count_as_other(tmp_path):
    folder = street_folder(tmp_path / "force")
    rows = [street_row("2018-11", i) for i in range(24)] + [street_row("2018-11", 99, "Cyber crime")]
    write_csv(folder / "2018-11-testshire-street.csv", STREET_HEADER, rows)
    with pytest.raises(DataError, match=r"row 26: crime type 'Cyber crime' is not known to the 14 police.uk"):
        load_dataset(folder)
    config = load_config(CONFIG).config.data.model_copy(update={"unknown": "other", "lookups": []})
    data = load_dataset(folder, data_config=config)
    assert (data.crimes["crime_type"] == "Other").sum() == 1


@needs_shared
@pytest.mark.parametrize("force", ["staffordshire", "derbyshire", "cheshire", "kent", "durham"])
def test_real_files_lose_nothing(force):
    loaded = load_config(CONFIG)
    data = load_dataset(POLICEUK / force, data_config=loaded.config.data, config_folder=loaded.folder)
    rows = read_rows(POLICEUK / force)
    expected = Counter(r["Crime type"] for r in rows if r["Crime type"] != ASB)
    assert data.crimes["crime_type"].value_counts().to_dict() == dict(expected)
    assert len(data.asb) == sum(r["Crime type"] == ASB for r in rows)
    assert data.report.rows_read == data.report.rows_used == len(rows)
    areas = set(data.crimes["area"])
    assert len(areas - {"No location", "Outside force area"}) == 1, areas
    assert not {"No location", "Outside force area"} & set(data.crimes["crime_ref"])


def window_counts(rows: list[dict[str, str]], months: set[str]) -> Counter:
    return Counter(r["Crime type"] for r in rows if r["Crime type"] != ASB and r["Month"] in months)


@needs_shared
def test_built_pack_crime_types_match_the_files(tmp_path):
    result = run_perfpack(
        "build",
        "--config",
        str(CONFIG),
        "--data",
        str(STAFFORDSHIRE),
        "--window-months",
        "2",
        "--no-cache",
        "--no-pdf",
        "--output-dir",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    rows = read_rows(STAFFORDSHIRE)
    last, previous = window_counts(rows, {"2019-01", "2019-02"}), window_counts(rows, {"2018-11", "2018-12"})
    doc = open_docx(next(tmp_path.glob("*.docx")))
    table = next(t for t in captioned_tables(doc) if t.caption.startswith("Crimes by crime type"))
    assert table.caption.endswith("January 2019 – February 2019")
    body = {r[0]: (int(r[1].replace(",", "")), int(r[3].replace(",", ""))) for r in table.rows[1:]}
    total = body.pop("Total")
    assert body == {t: (last[t], previous[t]) for t in set(last) | set(previous)}
    assert total == (sum(last.values()), sum(previous.values()))


@needs_shared
def test_data_too_short_suggests_window_months(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = run_perfpack(
        "build",
        "--config",
        str(CONFIG),
        "--data",
        str(STAFFORDSHIRE),
        "--window-months",
        "3",
        "--no-pdf",
        "--output-dir",
        str(out),
    )
    assert result.returncode == 2
    assert "--window-months" in result.stderr and "Traceback" not in result.stderr
    assert list(out.iterdir()) == []
