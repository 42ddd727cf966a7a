"""Synthetic police.uk files for many forces (``perfpack sample-data --forces``), for national-scale runs."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from conftest import ROOT, invoke
from data_helpers import STREET_HEADER

from builder.config.load import load_config
from builder.data.forces import ForceChoice
from builder.data.load import load_dataset
from builder.sample.forces import FORCES_FILE, all_forces

LOOKUP = ROOT / "config" / "lookups" / "policeuk-districts.csv"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_forces_are_the_43_of_england_and_wales_with_the_lookups_districts() -> None:
    forces = all_forces()
    assert len(forces) == 43 and len({f.slug for f in forces}) == 43
    lookup = {(r["LSOA district"], r["Police force area"]) for r in read(LOOKUP)}
    assert all((r["lsoa_district"], r["police_force_area"]) in lookup for r in read(FORCES_FILE))
    assert {f.slug for f in forces} >= {"kent", "metropolitan", "city-of-london", "devon-and-cornwall"}


def test_files_are_laid_out_and_counted_as_asked(tmp_path: Path) -> None:
    out = tmp_path / "national"
    result = invoke("sample-data", "--forces", "3", "--months", "4", "--crimes", "3000", "--output", str(out))
    assert result.exit_code == 0, result.output
    files = sorted(out.rglob("*.csv"))
    assert len(files) == 12 and all(f.name.endswith(f"-{f.parent.name}-street.csv") for f in files)
    rows = [row for path in files for row in read(path)]
    with files[0].open(encoding="utf-8") as handle:
        assert handle.readline().strip().split(",") == STREET_HEADER
    crimes = [r for r in rows if r["Crime type"] != "Anti-social behaviour"]
    assert len(crimes) == 3000 and all(len(r["Crime ID"]) == 64 for r in crimes)
    assert len({r["Crime ID"] for r in crimes}) == 3000
    by_force = Counter(r["Reported by"] for r in crimes)
    assert len(by_force) == 3 and all(r["Reported by"] == r["Falls within"] for r in rows)
    districts = {r["LSOA district"]: r["Police force area"] for r in read(LOOKUP)}
    placed = [r for r in rows if r["LSOA name"]]
    assert all(r["LSOA name"].rsplit(" ", 1)[0] in districts for r in placed)
    assert 0.8 < len(placed) / len(rows) < 0.95  # about one row in ten has no location
    again = tmp_path / "again"
    invoke("sample-data", "--forces", "3", "--months", "4", "--crimes", "3000", "--output", str(again))
    assert all(f.read_bytes() == (again / f.relative_to(out)).read_bytes() for f in files)


def test_perfpack_reads_them_as_each_forces_own(tmp_path: Path) -> None:
    out = tmp_path / "national"
    invoke("sample-data", "--forces", "2", "--months", "3", "--crimes", "2000", "--output", str(out))
    rows = [row for path in sorted(out.rglob("*.csv")) for row in read(path)]
    loaded = load_config(ROOT / "config" / "policeuk.yaml")
    data = load_dataset(
        out, data_config=loaded.config.data, config_folder=loaded.folder, forces=ForceChoice(every=True)
    )
    expected = Counter(r["Reported by"] for r in rows if r["Crime type"] != "Anti-social behaviour")
    assert data.crimes["force"].value_counts().to_dict() == dict(expected)
    for force in expected:  # each force's own districts are its NPTs: most rows are home
        own = data.crimes[data.crimes["force"] == force]
        assert (own["npt"] == "Outside force area").mean() < 0.05
