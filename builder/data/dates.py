"""Turn date columns into dates, parsing each distinct value once.

A force extract repeats a few thousand distinct dates across millions of rows, so
parsing the categories and then indexing by code is hundreds of times faster than
parsing every row. Day-first (UK) text dates are accepted beside ISO dates because
that is what records systems and Excel in the UK write.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from builder.data.report import DATES, more

if TYPE_CHECKING:
    from builder.data.context import LoadContext

SECONDS_PER_DAY = 86_400
NO_MONTH = np.iinfo(np.int64).min
"""The month number of a missing date: below every real month, so no window ever holds it."""
MAX_TABLE_DAYS = 1 << 17
"""The widest span of days (about 350 years) looked up through a table of months."""
DAY_FIRST = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y", "%d.%m.%Y")


def parse_dates(series: pd.Series, fmt: str | None = None) -> tuple[pd.Series, np.ndarray]:
    """Dates (datetime64[s], time of day dropped) and a mask of present values that are not dates."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return _drop_times(series.astype("datetime64[s]")), np.zeros(len(series), dtype=bool)
    values = series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")
    labels = pd.Series(values.cat.categories.astype(str))
    parsed_labels = _parse_labels(labels, fmt)
    return _expand(values, parsed_labels)


def parse_months(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """'YYYY-MM' month labels as each month's last day, and a mask of unreadable values.

    The last day, not the first, so that the latest month of month-level data counts as
    complete when the pack works out its default period end.
    """
    values = series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")
    labels = pd.Series(values.cat.categories.astype(str))
    starts = pd.to_datetime(labels.str.strip(), format="%Y-%m", errors="coerce")
    ends = (starts + pd.offsets.MonthEnd(0)).astype("datetime64[s]")
    return _expand(values, ends)


def month_numbers(values: np.ndarray) -> np.ndarray:
    """Months since January 1970 of datetime64[s] values; NaT becomes NO_MONTH.

    numpy converts to months by working out the calendar for every value, slowly; the
    data span a few thousand days at most, so the months of that span are worked out
    once and each row looks its day up. A span too wide for a table (a mistyped year)
    takes numpy's way.
    """
    values = np.asarray(values, dtype="datetime64[s]")
    missing = np.isnat(values)
    if missing.all():  # the empty array too
        return np.full(len(values), NO_MONTH, dtype=np.int64)
    some_missing = bool(missing.any())
    days = values.view(np.int64) // SECONDS_PER_DAY
    if some_missing:
        days[missing] = days[int(np.argmin(missing))]  # any present day: NaT's integer is no day at all
    first, last = int(days.min()), int(days.max())
    if last - first > MAX_TABLE_DAYS:
        months = values.astype("datetime64[M]").astype(np.int64)
    else:
        table = np.arange(first, last + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        months = table[days - first]
    if some_missing:
        months[missing] = NO_MONTH
    return months


def _drop_times(series: pd.Series) -> pd.Series:
    """Dates with the time of day dropped; dates read from date columns (all midnight) are kept as they are.

    ``dt.normalize`` rebuilds every value even when none has a time; checking first is
    several times cheaper on the usual data.
    """
    values = series.to_numpy(dtype="datetime64[s]")
    at_midnight = (values.view(np.int64) % SECONDS_PER_DAY == 0) | np.isnat(values)
    return series if at_midnight.all() else series.dt.normalize()


def _parse_labels(labels: pd.Series, fmt: str | None) -> pd.Series:
    """Parse with the declared format, or ISO first and then the day-first UK forms."""
    text = labels.str.strip()
    if fmt:
        return pd.to_datetime(text, format=fmt, errors="coerce").astype("datetime64[s]").dt.normalize()
    parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
    for day_first in DAY_FIRST:
        missing = parsed.isna()
        if not missing.any():
            break
        parsed = parsed.where(~missing, pd.to_datetime(text.where(missing), format=day_first, errors="coerce"))
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.astype("datetime64[s]").dt.normalize()


def _expand(values: pd.Series, parsed_labels: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Index parsed category labels by each row's code; report present-but-unparsed rows."""
    codes = values.cat.codes.to_numpy()
    lookup = np.append(parsed_labels.to_numpy(dtype="datetime64[s]"), np.datetime64("NaT", "s"))
    out = lookup[codes]  # a missing value (code -1) takes the last entry: NaT
    bad = (codes >= 0) & np.isnat(out)
    return pd.Series(out, index=values.index), bad


def report_bad_dates(
    bad: np.ndarray,
    values: pd.Series,
    shown: str,
    rows: np.ndarray,
    path: Path,
    order: int,
    ctx: LoadContext,
    advice: str,
) -> None:
    """One line for a column's unreadable dates: the first row and value, and how many."""
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        ctx.problems.add(
            DATES,
            path,
            f"{shown} '{values.iloc[position]}' is not a date{more(int(bad.sum()))}; {advice}",
            row=int(rows[position]),
            order=order,
        )
