"""Fast counts of crimes by category and by month over the canonical table.

Counting is done on integer category codes and month indices with ``numpy.bincount``,
so ten times the data costs ten times a very small number, not ten times a groupby.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from builder.figures.periods import month_index


@dataclass(frozen=True)
class Counter:
    """A table of events with the month each one counts in."""

    frame: pd.DataFrame
    month: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame, dates: pd.Series) -> "Counter":
        """Count ``frame``'s rows by the month of ``dates``."""
        return cls(frame=frame, month=month_index(dates))

    def mask(self, column: str, values: tuple[str, ...] | None) -> np.ndarray | None:
        """A boolean mask of rows whose ``column`` is one of ``values`` (None: all rows)."""
        if values is None:
            return None
        return self.frame[column].isin(values).to_numpy()

    def select(self, first: int, last: int, mask: np.ndarray | None = None) -> np.ndarray:
        """Rows counting in months ``first``..``last`` (inclusive) and in ``mask``."""
        selected = (self.month >= first) & (self.month <= last)
        return selected if mask is None else selected & mask

    def by(self, column: str, first: int, last: int, mask: np.ndarray | None = None) -> dict[str, int]:
        """Counts by the categories of ``column`` in a month range."""
        series = self.frame[column]
        if not isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype("category")
        codes = series.cat.codes.to_numpy()[self.select(first, last, mask)]
        codes = codes[codes >= 0]
        counts = np.bincount(codes, minlength=len(series.cat.categories))
        return {str(name): int(n) for name, n in zip(series.cat.categories, counts)}

    def total(self, first: int, last: int, mask: np.ndarray | None = None) -> int:
        """How many rows count in a month range."""
        return int(self.select(first, last, mask).sum())

    def monthly(self, first: int, last: int, mask: np.ndarray | None = None) -> list[int]:
        """Counts for each month from ``first`` to ``last``."""
        months = self.month[self.select(first, last, mask)] - first
        return [int(n) for n in np.bincount(months, minlength=last - first + 1)]
