"""Reading in batches: however a file is split, the frame is the one a single read gives."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from data_helpers import CRIME_HEADER, crime_row, write_csv

from builder.data import readers
from builder.data.batches import frame_from_batches
from builder.data.load import load_dataset

CATEGORY = pa.dictionary(pa.int32(), pa.string())
SCHEMA = pa.schema([("kind", CATEGORY), ("ref", pa.string()), ("day", pa.timestamp("s"))])


def table(kinds: list[str | None], refs: list[str | None], days: list[int | None]) -> pa.Table:
    return pa.table(
        {
            "kind": pa.array(kinds, pa.string()).dictionary_encode().cast(CATEGORY),
            "ref": pa.array(refs, pa.string()),
            "day": pa.array(days, pa.date32()).cast(pa.timestamp("s")),
        },
        schema=SCHEMA,
    )


def test_labels_are_tidied_and_numbered_in_order_of_appearance():
    first = table([" b", "a ", "", None, "b"], [" R1 ", "  ", None, "R4", "R5"], [17000, None, 17001, 17002, 17003])
    second = table(["c", "a", "  "], ["R6", "R7", "R8"], [None, 17004, 17005])
    frame = frame_from_batches(SCHEMA, [first, second], {"ref"})
    assert list(frame["kind"].cat.categories) == ["b", "a", "c"]
    assert frame["kind"].cat.codes.tolist() == [0, 1, -1, -1, 0, 2, 1, -1]
    assert frame["ref"].dtype == "string" and frame["ref"].tolist()[:3] == ["R1", pd.NA, pd.NA]
    assert frame["day"].dtype == "datetime64[s]" and frame["day"].isna().sum() == 2
    assert list(frame.index) == list(range(8))


def test_no_batches_give_an_empty_frame_of_the_same_types():
    frame = frame_from_batches(SCHEMA, [], {"ref"})
    assert len(frame) == 0 and list(frame.columns) == ["kind", "ref", "day"]
    assert isinstance(frame["kind"].dtype, pd.CategoricalDtype) and frame["ref"].dtype == "string"


@pytest.fixture
def messy_csv(tmp_path: Path) -> Path:
    """Labels with stray spaces and blanks, new labels late in the file: what tidying must merge."""
    rows = [
        crime_row(i, month, kind, npt)
        for i, (month, kind, npt) in enumerate(
            [("2018-10", "Burglary", " North"), ("2018-11", "Robbery ", "South"), ("2018-12", "Burglary", "North ")]
            * 40
        )
    ]
    rows += [crime_row(200 + i, "2018-12", "Vehicle crime", "East") for i in range(5)]
    return write_csv(tmp_path / "crimes.csv", CRIME_HEADER, rows)


def test_csv_in_many_small_blocks_matches_one_block(messy_csv, monkeypatch):
    whole = load_dataset(messy_csv).crimes
    monkeypatch.setattr(readers, "BLOCK_BYTES", 512)
    blocks = load_dataset(messy_csv).crimes
    pd.testing.assert_frame_equal(blocks, whole)
    assert list(whole["npt"].cat.categories) == ["North", "South", "East"]


def test_parquet_in_many_batches_matches_one_batch(messy_csv, tmp_path, monkeypatch):
    parquet = tmp_path / "pq" / "crimes.parquet"
    parquet.parent.mkdir()
    pd.read_csv(messy_csv, dtype=str).astype({"crime_type": "category", "npt": "category"}).to_parquet(parquet)
    whole = load_dataset(parquet).crimes
    monkeypatch.setattr(readers, "BATCH_ROWS", 7)
    pd.testing.assert_frame_equal(load_dataset(parquet).crimes, whole)
