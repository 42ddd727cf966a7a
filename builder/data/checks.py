"""Row checks on one converted file, after its lookups: blank required values and impossible dates.

Unreadable dates are reported as they are parsed (``dates.report_bad_dates``); these checks
look at values that were read but cannot be right.

Each check reports one line per kind of problem, naming the first row and counting
the rest, so a file with ten thousand bad dates gives one readable line, not ten
thousand, and the other problems still fit on the screen.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from builder.config.yaml_text import CONTROL, describe_control
from builder.data.canonical import Converted
from builder.data.context import LoadContext
from builder.data.report import SPAN, VALUES, first_row, more

EARLIEST = np.datetime64("1900-01-01", "s")
MAX_COUNTED_MONTHS = 12 * 1000
"""Spans of months up to this wide are counted month by month rather than sorted."""


def check_records(records: pd.DataFrame, converted: Converted, path: Path, order: int, ctx: LoadContext) -> None:
    """One file's checks, once its NPTs and areas are known: blank required values and impossible dates.

    Blank values are looked for on crime rows only: police.uk ASB rows have no Crime ID.
    """
    rows = records["_row"].to_numpy()
    crime_rows = ~records["_asb"].to_numpy() if "_asb" in records else np.ones(len(records), dtype=bool)
    check_blank(records[crime_rows], converted.required, rows[crime_rows], path, order, ctx)
    check_dates(records, converted.dates, rows, path, order, ctx, month_level=converted.month_level)
    check_text(records, rows, path, order, ctx)


LONGEST_LABEL = 200
"""Characters a label (a crime type, an NPT) may have. Real ones are under 60; a longer one
is a shifted column or pasted text, and past 32,767 Excel would cut it in the annex so that
the annex no longer matched the document."""


def check_text(frame: pd.DataFrame, rows: np.ndarray, path: Path, order: int, ctx: LoadContext) -> None:
    """Labels the pack prints (crime types, NPTs, areas, …) too long, or holding a control character a document cannot hold.

    Only the categories are looked at, a few hundred values however many rows there are.
    """
    for column in frame.columns:
        values = frame[column]
        if not isinstance(values.dtype, pd.CategoricalDtype):
            continue
        for label in values.cat.categories:
            if isinstance(label, str) and len(label) > LONGEST_LABEL:
                row, count = first_row((values == label).to_numpy(), rows)
                ctx.problems.add(
                    VALUES,
                    path,
                    f"{column} '{label[:40]}…' is {len(label):,} characters long, more than the "
                    f"{LONGEST_LABEL} a label can have in a table or a spreadsheet{more(count)}; "
                    "is a column shifted? fix the row",
                    row=row,
                    order=order,
                )
                continue
            found = CONTROL.search(label) if isinstance(label, str) else None
            if found:
                row, count = first_row((values == label).to_numpy(), rows)
                shown = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", label)
                ctx.problems.add(
                    VALUES,
                    path,
                    f"{column} '{shown}' holds {describe_control(found.group())}{more(count)}; remove it from the file",
                    row=row,
                    order=order,
                )


def check_blank(
    frame: pd.DataFrame, columns: dict[str, str], rows: np.ndarray, path: Path, order: int, ctx: LoadContext
) -> None:
    """Required values that are empty; ``columns`` maps canonical name to the name the user knows."""
    for column, shown in columns.items():
        blank = frame[column].isna().to_numpy()
        if blank.any():
            row, count = first_row(blank, rows)
            ctx.problems.add(
                VALUES, path, f"{shown} is empty{more(count)}; fill it in or remove the row", row=row, order=order
            )


def check_dates(
    frame: pd.DataFrame,
    shown: dict[str, str],
    rows: np.ndarray,
    path: Path,
    order: int,
    ctx: LoadContext,
    *,
    month_level: bool = False,
) -> None:
    """Dates in the future, before 1900 (placeholders), or recorded before committed (swapped columns)."""
    today = np.datetime64(_last_day(ctx.today) if month_level else ctx.today, "s")
    for column, name in shown.items():
        values = frame[column].to_numpy(dtype="datetime64[s]")
        future = values > today
        if future.any():
            row, count = first_row(future, rows)
            ctx.problems.add(
                SPAN,
                path,
                f"{name} {_day(values, future)} is in the future{more(count)}; check the date or the extract",
                row=row,
                order=order,
            )
        early = values < EARLIEST
        if early.any():
            row, count = first_row(early, rows)
            ctx.problems.add(
                SPAN,
                path,
                f"{name} {_day(values, early)} is before 1900{more(count)}; "
                "a placeholder date? use the real date or leave it empty",
                row=row,
                order=order,
            )
    if {"committed_date", "recorded_date"} <= set(frame.columns):
        swapped = (frame["recorded_date"] < frame["committed_date"]).to_numpy()
        if swapped.any():
            row, count = first_row(swapped, rows)
            ctx.problems.add(
                SPAN,
                path,
                f"{shown.get('recorded_date', 'recorded_date')} "
                f"{_day(frame['recorded_date'].to_numpy(), swapped)} is before "
                f"{shown.get('committed_date', 'committed_date')} "
                f"{_day(frame['committed_date'].to_numpy(), swapped)}{more(count)}; "
                "check the two date columns are not swapped",
                row=row,
                order=order,
            )


def _day(values: np.ndarray, mask: np.ndarray) -> str:
    return str(values[int(np.flatnonzero(mask)[0])])[:10]


def _last_day(day: dt.date) -> dt.date:
    following = day.replace(day=28) + dt.timedelta(days=4)
    return following - dt.timedelta(days=following.day)


def month_span_gaps(months: np.ndarray) -> list[int]:
    """Month indices with no rows between the first and last month present."""
    present = _present_months(months)
    if present.size < 2:
        return []
    full = np.arange(present[0], present[-1] + 1)
    return [int(m) for m in np.setdiff1d(full, present)]


def _present_months(months: np.ndarray) -> np.ndarray:
    """The distinct months, in order: counted over the span, not sorted, when the span is short.

    Millions of rows fall in a few hundred months, so a count per month is one pass
    where ``np.unique`` would sort every row.
    """
    if months.size == 0:
        return months
    first, last = int(months.min()), int(months.max())
    if last - first > MAX_COUNTED_MONTHS:
        return np.unique(months)
    return first + np.flatnonzero(np.bincount(months - first))
