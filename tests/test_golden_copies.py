"""The golden tables kept with the tests are the published ones, byte for byte.

The suite reads ``tests/data/golden`` so that a clone with nothing beside it can run;
where the shared reference folder is laid beside the clone (as in this project's CI),
the copies must not have drifted from it.
"""

from __future__ import annotations

import pytest
from conftest import GOLDEN, SHARED

REFERENCE = SHARED / "reference"


@pytest.mark.parametrize("name", ["crime_types_2018.csv", "npt_2018.csv"])
def test_the_kept_golden_table_equals_the_shared_reference(name: str) -> None:
    if not REFERENCE.is_dir():
        pytest.skip(f"{REFERENCE} is not beside the clone; nothing to compare the copy with")
    assert (GOLDEN / name).read_bytes() == (REFERENCE / name).read_bytes()


def test_the_golden_tables_are_kept_with_the_tests() -> None:
    assert sorted(p.name for p in GOLDEN.glob("*.csv")) == ["crime_types_2018.csv", "npt_2018.csv"]
