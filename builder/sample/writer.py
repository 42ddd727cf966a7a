"""Atomic, deterministic file writing for the sample tables.

Readers (a build running while the sample is regenerated, or a second process
generating the same cache) must never see a half-written file, so each file is
written to a temporary name in the same folder and moved into place with
``os.replace``, which is atomic on one filesystem. Arrow writers are used
because they are fast and, for the same input and library version, byte-stable.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMATS: Final[dict[str, str]] = {"csv": ".csv", "parquet": ".parquet"}
# Unquoted, comma-separated, blank for missing: what a spreadsheet or force extract looks like.
# quoting "none" makes Arrow raise rather than write a value that would need quotes.
CSV_OPTIONS: Final = pacsv.WriteOptions(quoting_style="none", quoting_header="none")


def write_table(table: pa.Table, path: Path) -> Path:
    """Write ``table`` as CSV or Parquet (chosen by suffix) atomically; return ``path``."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS.values():
        raise ValueError(f"{path}: unsupported suffix; expected one of {', '.join(FORMATS.values())}")
    # A unique name in the same folder (not mkstemp, whose 0600 mode would stick to the file).
    temp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        if suffix == ".csv":
            pacsv.write_csv(table, temp, write_options=CSV_OPTIONS)
        else:
            pq.write_table(table, temp, compression="zstd")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return path
