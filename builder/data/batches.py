"""Turn the Arrow batches of one file into one pandas frame, column by column.

Files are read in batches so Arrow never holds a whole file beside the pandas copy.
Making a pandas frame of every batch and stacking them costs pandas' fixed overhead
per batch and column (tens of milliseconds a batch), which for a CSV read in fifty
blocks was most of the read. Here each batch only adds numpy codes or Arrow chunks to
its columns, and pandas sees each column once, at the end.

Categorical text is tidied as it arrives: labels are stripped, empty labels become
missing, and labels that then agree share a code. The categories come out in the order
they first appear, batch by batch, as ``union_categoricals`` of tidied batches would give.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from builder.data.categories import from_codes, labels

TEXT = pa.string()


class _Column(Protocol):
    """One column being built: ``add`` takes each batch's piece, ``series`` gives the whole column."""

    def add(self, array: pa.Array) -> None: ...

    def series(self) -> pd.Series: ...


@dataclass
class _Labels:
    """A categorical column: each batch's codes, renumbered into one list of tidy labels."""

    code_of: dict[str, int] = field(default_factory=dict)
    codes: list[np.ndarray] = field(default_factory=list)

    def add(self, array: pa.Array) -> None:
        tidy = pc.utf8_trim_whitespace(array.dictionary.cast(TEXT)).to_pylist()
        code_of = self.code_of  # a new label is numbered next; empty and missing labels are -1
        table = np.array([code_of.setdefault(label, len(code_of)) if label else -1 for label in tidy], dtype=np.int64)
        indices = array.indices
        if indices.null_count:
            indices = pc.fill_null(indices, -1)
        codes = indices.to_numpy(zero_copy_only=False)
        if not np.array_equal(table, np.arange(len(table))):  # labels new to this batch, or merged by tidying
            codes = np.append(table, -1)[codes]  # a missing index (-1) takes the last entry: -1
        self.codes.append(_narrow(codes, len(self.code_of)))

    def series(self) -> pd.Series:
        codes = np.concatenate(self.codes) if self.codes else np.zeros(0, dtype=np.int32)
        return from_codes(codes, labels(list(self.code_of)))


@dataclass
class _Text:
    """A text column kept as Arrow chunks: trimmed, with blank values missing."""

    chunks: list[pa.Array] = field(default_factory=list)

    def add(self, array: pa.Array) -> None:
        trimmed = pc.utf8_trim_whitespace(array)
        blank = pc.fill_null(pc.equal(trimmed, ""), False)
        self.chunks.append(pc.if_else(blank, pa.scalar(None, TEXT), trimmed))

    def series(self) -> pd.Series:
        return pa.chunked_array(self.chunks, type=TEXT).to_pandas().astype("string")


@dataclass
class _Values:
    """Any other column (dates), converted to numpy batch by batch."""

    kind: pa.DataType
    pieces: list[np.ndarray] = field(default_factory=list)

    def add(self, array: pa.Array) -> None:
        self.pieces.append(array.to_numpy(zero_copy_only=False))

    def series(self) -> pd.Series:
        empty = pa.array([], type=self.kind).to_numpy(zero_copy_only=False)
        return pd.Series(np.concatenate([empty, *self.pieces]))


def _narrow(codes: np.ndarray, count: int) -> np.ndarray:
    """Codes in the smallest integer type for ``count`` labels, the type pandas would keep them in.

    Held batch by batch until the end, int8 codes take a quarter of the memory of Arrow's int32.
    """
    for kind in (np.int8, np.int16, np.int32):
        if count < np.iinfo(kind).max:
            return codes.astype(kind, copy=False)
    return codes.astype(np.int64, copy=False)


def frame_from_batches(schema: pa.Schema, tables: Iterable[pa.Table], text: set[str]) -> pd.DataFrame:
    """One frame from tables of ``schema``: dictionary columns categorical, ``text`` columns strings."""
    columns = {f.name: _column(f, text) for f in schema}
    for table in tables:
        for name, column in columns.items():
            for chunk in table.column(name).chunks:
                column.add(chunk)
        del table  # let Arrow free this batch before the next one is read
    # copy=False: the columns are new and nobody else holds them, so pandas need not copy them into blocks
    return pd.DataFrame({name: column.series() for name, column in columns.items()}, copy=False)


def _column(spec: pa.Field, text: set[str]) -> _Column:
    if pa.types.is_dictionary(spec.type):
        return _Labels()
    if spec.name in text:
        return _Text()
    return _Values(spec.type)
