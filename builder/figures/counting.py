"""Fast counts of crimes by category and by month over the canonical table.

Counting is done on integer category codes and month indices with ``numpy.bincount``,
so ten times the data costs ten times a very small number, not ten times a groupby.
Labels are matched and renamed once per distinct label and looked up by code, never
compared row by row as text.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from builder.data.categories import from_codes, labels
from builder.data.dates import month_numbers

FEW_LABELS = 8
"""Up to this many labels, rows are matched by comparing codes rather than by a table."""


@dataclass(frozen=True)
class Counter:
    """A table of events with the month each one counts in.

    ``rows`` narrows the counter to some rows of ``frame`` (a theme's crimes): its
    figures then cost in proportion to those rows, not to the whole force's.
    """

    frame: pd.DataFrame
    month: np.ndarray
    rows: np.ndarray | None = None
    _spans: dict[tuple[int, int], np.ndarray] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, frame: pd.DataFrame, dates: pd.Series) -> Counter:
        """Count ``frame``'s rows by the month of ``dates``."""
        return cls(frame=frame, month=month_index(dates))

    def only(self, mask: np.ndarray | None) -> Counter:
        """A counter of the rows in ``mask`` alone, each still counting in its month (None: all rows)."""
        if mask is None:
            return self
        rows = np.flatnonzero(mask) if self.rows is None else self.rows[mask]
        return Counter(self.frame, self.month[mask], rows)

    def dated_by(self, dates: pd.Series) -> Counter:
        """The same rows, counted by the month of ``dates`` (a column of ``frame``) instead."""
        if self.rows is None:
            return Counter.of(self.frame, dates)
        return Counter(self.frame, month_index(dates.iloc[self.rows]), self.rows)

    def mask(self, column: str, values: tuple[str, ...] | None) -> np.ndarray | None:
        """A boolean mask of rows whose ``column`` is one of ``values`` (None: all rows)."""
        if values is None:
            return None
        series = self.frame[column]
        if self.rows is None or not isinstance(series.dtype, pd.CategoricalDtype):
            chosen = label_mask(series, values)
            return chosen if self.rows is None else chosen[self.rows]
        return _codes_in(series.cat.codes.to_numpy()[self.rows], series.cat.categories.isin(list(values)))

    def select(self, first: int, last: int, mask: np.ndarray | None = None) -> np.ndarray:
        """Rows counting in months ``first``..``last`` (inclusive) and in ``mask``.

        A pack asks for the same few windows dozens of times (every table, every theme),
        so each window's rows are worked out once per counter.
        """
        selected = self._spans.get((first, last))
        if selected is None:
            selected = self._spans[(first, last)] = (self.month >= first) & (self.month <= last)
        return selected if mask is None else selected & mask

    def by(self, column: str, first: int, last: int, mask: np.ndarray | None = None) -> dict[str, int]:
        """Counts by the categories of ``column`` in a month range."""
        series = self.frame[column]
        if not isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype("category")
        codes = series.cat.codes.to_numpy()
        codes = (codes if self.rows is None else codes[self.rows])[self.select(first, last, mask)]
        codes = codes[codes >= 0]
        counts = np.bincount(codes, minlength=len(series.cat.categories))
        return {str(name): int(n) for name, n in zip(series.cat.categories, counts)}

    def total(self, first: int, last: int, mask: np.ndarray | None = None) -> int:
        """How many rows count in a month range."""
        return int(np.count_nonzero(self.select(first, last, mask)))

    def monthly(self, first: int, last: int, mask: np.ndarray | None = None) -> list[int]:
        """Counts for each month from ``first`` to ``last``."""
        months = self.month[self.select(first, last, mask)] - first
        return [int(n) for n in np.bincount(months, minlength=last - first + 1)]


def month_index(dates: pd.Series) -> np.ndarray:
    """Months since January 1970 for each date (NaT becomes a very small number)."""
    if pd.api.types.is_datetime64_dtype(dates.dtype):  # NaT already marks a missing date: no copy to fill one in
        return month_numbers(dates.to_numpy(dtype="datetime64[s]"))
    return month_numbers(dates.to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT")))


def label_mask(series: pd.Series, values: Collection[str]) -> np.ndarray:
    """Rows whose label is one of ``values``, as ``Series.isin`` gives, decided once per distinct label."""
    if not isinstance(series.dtype, pd.CategoricalDtype):
        return series.isin(list(values)).to_numpy()
    return _codes_in(series.cat.codes.to_numpy(), series.cat.categories.isin(list(values)))


def _codes_in(codes: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Rows whose code is a chosen one (``chosen``: a flag per category); code -1 (no label) never is.

    A theme names a few crime types: comparing the codes with each of a few is many
    times faster than looking every row's code up in a table, which suits many labels.
    """
    if np.count_nonzero(chosen) > FEW_LABELS:
        return np.append(chosen, False)[codes]  # code -1 takes the last entry: False
    mask = np.zeros(len(codes), dtype=bool)
    for code in np.flatnonzero(chosen):
        mask |= codes == code
    return mask


def relabel_all(series: pd.Series, function: Callable[[str], str], missing: str) -> pd.Series:
    """Each row's label through ``function`` (``missing`` where there is none), as sorted categories.

    The same as mapping every row's text and calling ``astype("category")``: only the
    labels some row carries become categories, in sorted order.
    """
    if not isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype("category")
    names = [function(str(label)) for label in series.cat.categories] + [missing]
    codes = series.cat.codes.to_numpy()
    positions = np.where(codes >= 0, codes, len(names) - 1)  # no label: the last name, ``missing``
    used = np.bincount(positions, minlength=len(names)).astype(bool)
    categories = sorted({names[i] for i in np.flatnonzero(used)})
    code_of = {name: code for code, name in enumerate(categories)}
    table = np.array([code_of.get(name, -1) for name in names], dtype=np.int64)
    return from_codes(table[positions], labels(categories), series.index)
