"""Turn date columns into dates, parsing each distinct value once.

A force extract repeats a few thousand distinct dates across millions of rows, so
parsing the categories and then indexing by code is hundreds of times faster than
parsing every row. Day-first (UK) text dates are accepted beside ISO dates because
that is what records systems and Excel in the UK write.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DAY_FIRST = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y", "%d.%m.%Y")


def parse_dates(series: pd.Series, fmt: str | None = None) -> tuple[pd.Series, np.ndarray]:
    """Dates (datetime64[s], time of day dropped) and a mask of present values that are not dates."""
    if pd.api.types.is_datetime64_any_dtype(series):
        parsed = series.astype("datetime64[s]").dt.normalize()
        return parsed, np.zeros(len(series), dtype=bool)
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
    lookup = parsed_labels.to_numpy(dtype="datetime64[s]")
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[s]")
    present = codes >= 0
    out[present] = lookup[codes[present]]
    bad = present & np.isnat(out)
    return pd.Series(out, index=values.index), bad
