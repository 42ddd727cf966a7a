"""Read one CSV, Excel or Parquet file into a frame of categorical text, with row numbers.

Only the columns a load needs are read, repeated text is held as categories (a crime
type is one small integer per row, not a string), and CSV goes through Arrow's parser,
so a force-sized extract stays fast and small. Each frame row keeps the row number a
spreadsheet would show (the header is row 1) so every message can point at the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from builder.data.batches import TEXT, frame_from_batches
from builder.data.categories import as_category
from builder.data.report import COLUMNS, FILE, ROWS, Problems
from builder.data.sniff import NOT_TABLES, Sniff

DELIMITERS = (",", ";", "\t", "|")
CATEGORY = pa.dictionary(pa.int32(), pa.string())
BATCH_ROWS = 1 << 18
BLOCK_BYTES = 1 << 22


@dataclass
class RawTable:
    """A file's rows as read: source column names, categorical text or datetimes."""

    frame: pd.DataFrame
    rows: np.ndarray
    header: tuple[str, ...]
    blank_rows: int = 0


def read_header(source: Sniff, problems: Problems, order: int, sheet: str | None = None) -> list[str] | None:
    """The column names of a file, or None (with a problem recorded) when it is not a table."""
    if source.problem:
        problems.add(FILE, source.path, source.problem, row=source.problem_row, order=order)
        return None
    if source.kind in NOT_TABLES:
        problems.add(FILE, source.path, NOT_TABLES[source.kind], order=order)
        return None
    try:
        header = _header(source, sheet)
    except Exception as exc:  # any reader failure is a file the user must fix
        problems.add(FILE, source.path, f"cannot be read as a table ({_first_line(exc)})", order=order)
        return None
    if not header:
        problems.add(FILE, source.path, NOT_TABLES["empty"], order=order)
        return None
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        problems.add(
            COLUMNS,
            source.path,
            f"column{'s' if len(repeated) > 1 else ''} "
            f"{', '.join(repeated)} appear{'' if len(repeated) > 1 else 's'} more than once in the "
            "header; give every column its own name",
            order=order,
        )
        return None
    return header


def read_rows(
    source: Sniff,
    columns: list[str],
    text_columns: Iterable[str],
    problems: Problems,
    order: int,
    sheet: str | None = None,
) -> RawTable | None:
    """Read ``columns`` of a file; text columns stay plain strings, the rest become categories."""
    text = set(text_columns)
    try:
        if source.kind == "parquet":
            return _parquet(source, columns, text)
        if source.kind == "xlsx":
            return _excel(source, columns, text, sheet)
        return _csv(source, columns, text, problems, order)
    except Exception as exc:  # Arrow, openpyxl and codecs fail in many ways; all are file problems
        problems.add(FILE, source.path, f"cannot be read as a table ({_first_line(exc)})", order=order)
        return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _header(source: Sniff, sheet: str | None) -> list[str]:
    if source.kind == "parquet":
        return [str(n) for n in pq.ParquetFile(source.path).schema_arrow.names]
    if source.kind == "xlsx":
        frame = pd.read_excel(source.path, sheet_name=sheet or 0, nrows=0, engine="openpyxl")
        return [str(c).strip() for c in frame.columns]
    line = next(csv.reader(io.StringIO(source.head), delimiter=delimiter_of(source.head)), [])
    return [c.strip() for c in line] if any(c.strip() for c in line) else []


def delimiter_of(head: str) -> str:
    """Comma, unless the header line has none and another common separator instead."""
    first = head.split("\n", 1)[0]
    if "," in first:
        return ","
    counts = {d: first.count(d) for d in DELIMITERS[1:]}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv(source: Sniff, columns: list[str], text: set[str], problems: Problems, order: int) -> RawTable:
    """Stream the CSV in blocks, converting each, so Arrow holds one block at a time."""
    invalid: list[pacsv.InvalidRow] = []

    def handler(row: pacsv.InvalidRow) -> str:
        invalid.append(row)
        return "skip"

    reader = pacsv.open_csv(
        source.path,
        read_options=pacsv.ReadOptions(use_threads=False, block_size=BLOCK_BYTES, encoding=source.encoding or "utf-8"),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter_of(source.head),
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=handler,
        ),
        convert_options=pacsv.ConvertOptions(
            include_columns=columns,
            null_values=[""],
            strings_can_be_null=True,
            column_types={c: TEXT if c in text else CATEGORY for c in columns},
        ),
    )  # one thread: Arrow only numbers bad rows then, and the messages need the row
    frame = frame_from_batches(reader.schema, (pa.Table.from_batches([batch]) for batch in reader), text)
    _report_invalid(source, invalid, problems, order)
    rows = np.arange(len(frame), dtype=np.int64) + 2
    for number in sorted(int(r.number) for r in invalid if r.number is not None):
        rows[rows >= number] += 1
    blank = frame.isna().all(axis=1).to_numpy() if len(frame.columns) else np.zeros(len(frame), bool)
    if blank.any():
        frame, rows = frame.loc[~blank].reset_index(drop=True), rows[~blank]
    return RawTable(frame, rows, tuple(columns), int(blank.sum()))


def _report_invalid(source: Sniff, invalid: list, problems: Problems, order: int) -> None:
    """One line per kind of broken row (too few, too many fields), naming the first."""
    for short in (True, False):
        rows = [r for r in invalid if (r.actual_columns < r.expected_columns) == short]
        if not rows:
            continue
        first = min(rows, key=lambda r: r.number or 0)
        more = f" ({len(rows):,} rows like this)" if len(rows) > 1 else ""
        what = (
            f"truncated: {first.actual_columns} of {first.expected_columns} fields"
            if short
            else f"{first.actual_columns} fields where the header has {first.expected_columns} (an unquoted separator?)"
        )
        problems.add(
            ROWS,
            source.path,
            f"{what}{more}: '{first.text[:60]}'; fix or export the file again",
            row=first.number,
            order=order,
        )


def _parquet(source: Sniff, columns: list[str], text: set[str]) -> RawTable:
    """Parquet read in batches, so Arrow never holds the whole file beside the pandas copy."""
    parquet = pq.ParquetFile(source.path)
    schema = _parquet_types(parquet.schema_arrow.empty_table().select(columns), text).schema
    tables = (
        _parquet_types(pa.Table.from_batches([batch]), text)
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns)
    )
    frame = frame_from_batches(schema, tables, text)
    return RawTable(frame, np.arange(len(frame), dtype=np.int64) + 2, tuple(columns))


def _parquet_types(table: pa.Table, text: set[str]) -> pa.Table:
    """Dates as second-resolution timestamps, text columns as strings, everything else as categories."""
    arrays = []
    for name, column in zip(table.column_names, table.columns):
        kind = column.type
        if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
            arrays.append(column.cast(pa.timestamp("s")))
        elif name in text:
            arrays.append(column.cast(TEXT))
        else:
            arrays.append(
                column.cast(CATEGORY)
                if pa.types.is_dictionary(kind)
                else column.cast(TEXT).dictionary_encode().cast(CATEGORY)
            )
    return pa.table(arrays, names=table.column_names)


def _excel(source: Sniff, columns: list[str], text: set[str], sheet: str | None) -> RawTable:
    raw = pd.read_excel(source.path, sheet_name=sheet or 0, dtype=object, engine="openpyxl")
    raw.columns = [str(c).strip() for c in raw.columns]
    rows = np.arange(len(raw), dtype=np.int64) + 2
    frame = pd.DataFrame({name: _excel_column(raw[name], name in text) for name in columns})
    blank = frame.isna().all(axis=1).to_numpy() if columns else np.zeros(len(frame), bool)
    return RawTable(frame.loc[~blank].reset_index(drop=True), rows[~blank], tuple(columns), int(blank.sum()))


def _excel_column(values: pd.Series, text: bool) -> pd.Series:
    """Date cells stay dates; everything else becomes text as the spreadsheet shows it."""
    present = values.dropna()
    if len(present) and present.map(lambda v: isinstance(v, (dt.date, dt.datetime))).all():
        return pd.to_datetime(values).astype("datetime64[s]")
    as_text = values.map(_cell_text, na_action="ignore").astype("string").str.strip().replace("", pd.NA)
    return as_text if text else as_category(as_text)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != dt.time() else value.strftime("%Y-%m-%d")
    return str(value)
