"""Cached rebuilds: a narrative edit reuses figures and charts; any data change never does."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import CONFIG
from docx_helpers import full_text, open_docx

from builder.build.pipeline import BuildOptions, build
from builder.sample import ensure_sample


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A private cache, a copy of the sample data as CSV, and a copy of the config."""
    monkeypatch.setenv("PERFPACK_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "data"
    data.mkdir()
    for path in ensure_sample().iterdir():
        if path.suffix == ".parquet":
            pd.read_parquet(path).to_csv(data / f"{path.stem}.csv", index=False)
        else:
            shutil.copy(path, data / path.name)
    config = tmp_path / "pack.yaml"
    shutil.copy(CONFIG, config)
    return config, data, tmp_path / "out"


def options(config: Path, data: Path, out: Path) -> BuildOptions:
    return BuildOptions(config=config, data=data, output_dir=out, pdf=False, check=False)


def test_narrative_edit_reuses_figures_and_shows_the_new_text(project):
    config, data, out = project
    first = build(options(config, data, out))
    assert not first.cached
    annex = first.annex[0].read_bytes()
    text = config.read_text(encoding="utf-8").replace(
        "A third of victims are under", "One in three victims is under", 1
    )
    config.write_text(text, encoding="utf-8")
    second = build(options(config, data, out))
    assert second.cached
    assert "load" not in second.timings and "charts" not in second.timings
    assert "One in three victims is under 30." in full_text(open_docx(second.docx[0]))
    assert second.annex[0].read_bytes() == annex  # from the cache, as the figures are


def test_a_data_change_is_never_served_from_cache(project):
    config, data, out = project
    first = build(options(config, data, out))
    crimes = pd.read_csv(data / "crimes.csv", dtype=str, keep_default_na=False)
    robbery = crimes.index[(crimes["crime_type"] == "Personal Robbery") & (crimes["committed_date"] >= "2018-01-01")][0]
    crimes.loc[robbery, "crime_type"] = "Business Robbery"  # one crime re-classified, same row count
    crimes.to_csv(data / "crimes.csv", index=False)
    before = first.annex[0].read_bytes()
    second = build(options(config, data, out))
    assert not second.cached
    assert second.figures.themes["robbery"].last_12 == first.figures.themes["robbery"].last_12 - 1
    assert second.annex[0].read_bytes() != before
    assert (
        second.figures.crime_types["Business Robbery"].last_12
        == first.figures.crime_types["Business Robbery"].last_12 + 1
    )


def test_a_counting_rule_change_is_never_served_from_cache(project):
    config, data, out = project
    first = build(options(config, data, out))
    text = config.read_text(encoding="utf-8").replace("      - Drug Offences\n", "", 1)  # drugs by committed date
    config.write_text(text, encoding="utf-8")
    second = build(options(config, data, out))
    assert not second.cached
    assert second.figures.themes["drugs"].last_12 != first.figures.themes["drugs"].last_12


def test_a_cached_rebuild_imports_neither_pandas_nor_matplotlib(project):
    """An author's rebuild writes only narrative: paying for the data, chart and spreadsheet libraries would
    double it (the annex is made from the figures alone, so it comes from the cache too)."""
    config, data, out = project
    build(options(config, data, out))
    code = (
        "import sys; from pathlib import Path; from builder.build.pipeline import BuildOptions, build; "
        f"r = build(BuildOptions(config=Path({str(config)!r}), data=Path({str(data)!r}), "
        f"output_dir=Path({str(out)!r}), pdf=False)); "
        "print(r.cached, sorted(m for m in ('pandas', 'matplotlib', 'pyarrow', 'openpyxl', 'xlsxwriter') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[-2] == "True []", result.stdout
