"""Readers: every format and encoding gives the same canonical table; mappings, lookups, report."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from data_helpers import CRIME_HEADER, crime_row, crimes_file, write_csv

from builder.config.schema import Data, DataMapping, Lookup
from builder.data.load import load_dataset
from builder.errors import DataError

ROWS = [
    crime_row(i, month, t, npt)
    for i, (month, t, npt) in enumerate(
        [
            ("2018-10", "Burglary", "Stoke Nörth"),
            ("2018-11", "Robbery", "Café Quarter"),
            ("2018-12", "Burglary", "South"),
        ]
        * 4
    )
]


def canonical_counts(path: Path, **kwargs) -> dict:
    data = load_dataset(path, **kwargs)
    crimes = data.crimes
    return {
        "types": crimes["crime_type"].value_counts().to_dict(),
        "npt": crimes["npt"].value_counts().to_dict(),
        "months": crimes["recorded_date"].dt.month.value_counts().to_dict(),
        "rows": len(crimes),
    }


@pytest.fixture
def reference(tmp_path: Path) -> dict:
    return canonical_counts(write_csv(tmp_path / "ref" / "crimes.csv", CRIME_HEADER, ROWS))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_encodings_read_alike(tmp_path, reference, encoding):
    path = write_csv(tmp_path / "crimes.csv", CRIME_HEADER, ROWS, encoding=encoding)
    assert canonical_counts(path) == reference
    assert "Café Quarter" in reference["npt"] and "Stoke Nörth" in reference["npt"]


def test_declared_encoding_is_used(tmp_path, reference):
    path = write_csv(tmp_path / "crimes.csv", CRIME_HEADER, ROWS, encoding="cp1252")
    assert canonical_counts(path, data_config=Data(encoding="cp1252")) == reference
    with pytest.raises(DataError, match=r"not UTF-8 text .* encoding: utf-8"):
        load_dataset(path, data_config=Data(encoding="utf-8"))


def test_semicolon_separated_csv(tmp_path, reference):
    path = tmp_path / "crimes.csv"
    path.write_text("\n".join(";".join(r) for r in [CRIME_HEADER, *ROWS]) + "\n", encoding="utf-8")
    assert canonical_counts(path) == reference


def test_excel_and_parquet_read_alike(tmp_path, reference):
    frame = pd.DataFrame(ROWS, columns=CRIME_HEADER)
    frame["committed_date"] = pd.to_datetime(frame["committed_date"])  # real Excel date cells
    excel = tmp_path / "xlsx" / "crimes.xlsx"
    excel.parent.mkdir()
    frame.to_excel(excel, index=False)
    assert canonical_counts(excel) == reference
    parquet = tmp_path / "pq" / "crimes.parquet"
    parquet.parent.mkdir()
    frame.astype({c: "string" for c in CRIME_HEADER if c != "committed_date"}).to_parquet(parquet)
    assert canonical_counts(parquet) == reference


def test_folder_of_monthly_files_is_stacked(tmp_path, reference):
    for month in ("2018-10", "2018-11", "2018-12"):
        rows = [r for r in ROWS if r[2].startswith(month)]
        write_csv(tmp_path / "monthly" / f"crimes-{month}.csv", CRIME_HEADER, rows)
    data = load_dataset(tmp_path / "monthly")
    assert canonical_counts(tmp_path / "monthly") == reference
    assert isinstance(data.crimes["npt"].dtype, pd.CategoricalDtype)
    assert [f.rows_read for f in data.report.files] == [4, 4, 4]


def test_only_needed_columns_and_blank_rows_are_counted(tmp_path):
    path = tmp_path / "crimes.csv"
    lines = [",".join([*CRIME_HEADER, "free_text"])] + [",".join([*r, "notes"]) for r in ROWS]
    lines.insert(3, ",,,,,,,,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = load_dataset(path)
    assert "free_text" not in data.crimes.columns
    file = data.report.files[0]
    assert (file.rows_read, file.crimes, file.dropped) == (len(ROWS) + 1, len(ROWS), {"blank rows": 1})


def test_report_has_hashes_and_is_json(tmp_path):
    path = crimes_file(tmp_path / "crimes.csv")
    report = load_dataset(path).report
    assert report.files[0].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    as_json = json.loads(json.dumps(report.to_dict()))
    assert as_json["rows_read"] == as_json["rows_used"] == as_json["crimes"] == 50
    assert report.summary_lines()[0].startswith("Read 50 rows from 1 file")


EXTRACT_HEADER = ["Crime Number", "HO Class", "Committed", "Recorded", "Beat", "Disposal"]
EXTRACT = [
    ["A1", "Robbery of personal property", "01/10/2018 10:30", "02/10/2018", "B1", "Charge/Summons"],
    ["A2", "Burglary - Residential", "05/11/2018", "05/11/2018", "B2", "No further action"],
    ["A3", "Non-notifiable incident", "06/11/2018", "06/11/2018", "B2", ""],
    ["A4", "Burglary - Residential", "07/12/2018", "08/12/2018", "B3", ""],
]
LOOKUP = [["B1", "North NPT"], ["B2", "South NPT"], ["B3", "South NPT"]]
AREAS = [["North NPT", "Area A"], ["South NPT", "Area B"]]


def mapped_config(tmp_path: Path, rows: list[list[str]] = EXTRACT, **overrides) -> tuple[Path, Data]:
    write_csv(tmp_path / "lookups" / "beats.csv", ["Beat code", "NPT name"], LOOKUP)
    write_csv(tmp_path / "lookups" / "areas.csv", ["NPT", "Area"], AREAS)
    data = write_csv(tmp_path / "extract" / "crimes.csv", EXTRACT_HEADER, rows)
    mapping = DataMapping(
        columns={
            "crime_ref": "Crime Number",
            "crime_type": "HO Class",
            "committed_date": "Committed",
            "recorded_date": "Recorded",
            "outcome": "Disposal",
        },
        crime_types={
            "Personal Robbery": ["Robbery of personal property"],
            "Burglary Residential": ["Burglary - Residential"],
        },
        crime_groups={"Acquisitive": ["Personal Robbery", "Burglary Residential"]},
        outcomes={"Charge": ["Charge/Summons"]},
        exclude=["Non-notifiable incident"],
    )
    lookups = [
        Lookup(file="lookups/beats.csv", match="Beat", key="Beat code", npt="NPT name"),
        Lookup(file="lookups/areas.csv", match="npt", key="NPT", area="Area"),
    ]
    return data, Data(mapping=mapping, lookups=lookups, **overrides)


def test_mapping_and_lookups_make_the_canonical_table(tmp_path):
    path, config = mapped_config(tmp_path)
    data = load_dataset(path, data_config=config, config_folder=tmp_path)
    crimes = data.crimes.set_index("crime_ref")
    assert list(crimes.index) == ["A1", "A2", "A4"]
    assert crimes.loc["A1", "crime_type"] == "Personal Robbery"
    assert crimes.loc["A1", "committed_date"] == pd.Timestamp("2018-10-01")
    assert crimes.loc["A1", "outcome"] == "Charge"
    assert crimes.loc["A2", "outcome"] == "No further action"
    assert (crimes["crime_group"] == "Acquisitive").all()
    assert crimes["npt"].tolist() == ["North NPT", "South NPT", "South NPT"]
    assert crimes["area"].tolist() == ["Area A", "Area B", "Area B"]
    file = next(f for f in data.report.files if f.role == "data")
    assert file.dropped == {"classification 'Non-notifiable incident' excluded by data.mapping.exclude": 1}
    assert (file.rows_read, file.crimes) == (4, 3)
    assert {f.role for f in data.report.files} == {"data", "lookup"}


def test_unknown_labels_error_or_other(tmp_path):
    rows = [*EXTRACT, ["A5", "Cyber fraud", "09/12/2018", "09/12/2018", "B9", ""]]
    path, config = mapped_config(tmp_path, rows)
    with pytest.raises(DataError) as stopped:
        load_dataset(path, data_config=config, config_folder=tmp_path)
    lines = str(stopped.value).splitlines()
    assert f"{path}: row 6: crime type 'Cyber fraud' is not known to data.mapping.crime_types (1 row)" in lines[0]
    beat = f"{path}: row 6: Beat 'B9' is not known to lookups/beats.csv (data.lookups[0]) (1 row)"
    assert any(line.startswith(beat) for line in lines), lines
    path, config = mapped_config(tmp_path, rows, unknown="other")
    data = load_dataset(path, data_config=config, config_folder=tmp_path)
    last = data.crimes.set_index("crime_ref").loc["A5"]
    assert (last["crime_type"], last["npt"], last["area"]) == ("Other", "Other", "Other")
    assert data.report.reclassified["crime type 'Cyber fraud' counted as 'Other'"] == 1
    assert data.report.warnings


def test_missing_lookup_file_and_column(tmp_path):
    path, config = mapped_config(tmp_path)
    bad = Data(
        mapping=config.mapping,
        lookups=[
            Lookup(file="lookups/nope.csv", match="Beat", key="B", npt="N"),
            Lookup(file="lookups/areas.csv", match="npt", key="NPT", area="Zone"),
        ],
    )
    with pytest.raises(DataError) as stopped:
        load_dataset(path, data_config=bad, config_folder=tmp_path)
    message = str(stopped.value)
    assert "nope.csv: lookup file not found (data.lookups[0].file)" in message
    assert "areas.csv: lookup column Zone not found (found: NPT, Area)" in message


def test_duplicates_keep_and_home_area(tmp_path):
    rows = [crime_row(1), crime_row(1), crime_row(2, npt="Elsewhere")]
    rows[2][5] = "Area 2"
    path = write_csv(tmp_path / "crimes.csv", CRIME_HEADER, rows)
    with pytest.raises(
        DataError,
        match=r"row 3: crime_ref 'CR/000001' appears more than once \(first at "
        r"crimes.csv row 2\)",
    ):
        load_dataset(path)
    data = load_dataset(path, data_config=Data(duplicates="keep", home_area="Area 1"))
    assert len(data.crimes) == 3
    assert data.crimes["npt"].tolist() == ["North", "North", "Outside force area"]
    assert any("outside Area 1" in k for k in data.report.counted)


def test_row_numbers_survive_a_broken_row(tmp_path):
    path = tmp_path / "crimes.csv"
    good = [",".join(r) for r in ROWS[:4]]
    bad_date = ROWS[4].copy()
    bad_date[2] = "not a date"
    path.write_text(
        "\n".join([",".join(CRIME_HEADER), *good[:2], "CR/9,Burglary", *good[2:], ",".join(bad_date)]) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as stopped:
        load_dataset(path)
    lines = str(stopped.value).splitlines()
    assert lines[0].startswith(f"{path}: row 4: truncated: 2 of 9 fields")
    assert lines[1].startswith(f"{path}: row 7: committed_date 'not a date' is not a date")


def test_problems_are_capped(tmp_path):
    for i in range(25):
        (tmp_path / f"{i:02d}.csv").write_bytes(b"")
    with pytest.raises(DataError) as stopped:
        load_dataset(tmp_path)
    lines = str(stopped.value).splitlines()
    assert len(lines) == 21 and lines[-1] == "… and 5 more problems not shown"
    assert lines[0] == f"{tmp_path / '00.csv'}: the file is empty; export the data again"
