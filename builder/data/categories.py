"""Small operations on categorical columns that work on the categories, not the rows.

Re-labelling a crime type or looking up an NPT touches a few hundred distinct labels
however many rows there are, and the result stays categorical, so memory does not
grow with every step. pandas' own ``concat`` silently turns categories into objects
when two files have different labels; ``concat_frames`` keeps them categorical.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals


def labels(values: Sequence[object] | pd.Index) -> pd.Index:
    """Category labels as one text dtype, so categoricals from any source can be combined."""
    return pd.Index([str(v) for v in values], dtype=str)


def recode(codes: np.ndarray, table: np.ndarray) -> np.ndarray:
    """New codes for old ones through ``table`` (old code -> new code); -1 (missing) stays -1."""
    if len(table) == 0:
        return np.full(len(codes), -1, dtype=np.int64)
    return np.where(codes >= 0, table[np.maximum(codes, 0)], -1)


def from_codes(
    codes: np.ndarray, categories: pd.Index, index: pd.Index | None = None, ordered: bool = False
) -> pd.Series:
    """A categorical series from codes that are valid by construction.

    pandas checks every code against the categories, a pass over millions of rows;
    callers here have just computed the codes from a table of valid positions, so the
    check would only repeat what is already known.
    """
    dtype = pd.CategoricalDtype(categories, ordered=ordered)
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype, validate=False), index=index)


def drop_unused(series: pd.Series) -> pd.Series:
    """``cat.remove_unused_categories()``, by counting the codes instead of sorting them.

    pandas finds the used codes with ``np.unique``, a sort of every row; a count is
    one pass, and a column that uses all its labels (the usual case) is returned as is.
    """
    codes = series.cat.codes.to_numpy()
    count = len(series.cat.categories)
    used = np.bincount(codes[codes >= 0], minlength=count).astype(bool)
    if used.all():
        return series
    renumber = np.where(used, np.cumsum(used) - 1, -1)
    out = from_codes(recode(codes, renumber), series.cat.categories[used], series.index, series.cat.ordered)
    return out.rename(series.name)


def as_category(series: pd.Series) -> pd.Series:
    """The series as categorical text whose categories have the common text dtype."""
    if not isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype("category")
    if series.cat.categories.dtype == labels([]).dtype:
        return series
    return pd.Series(
        pd.Categorical.from_codes(series.cat.codes.to_numpy(), categories=labels(series.cat.categories)),
        index=series.index,
    )


def constant(label: str | None, length: int) -> pd.Series:
    """A categorical column with one label (or all missing) on every row."""
    if label is None:
        return pd.Series(pd.Categorical.from_codes(np.full(length, -1), categories=labels([])))
    return pd.Series(pd.Categorical.from_codes(np.zeros(length, dtype=np.int8), categories=labels([label])))


def relabel(series: pd.Series, function: Callable[[str], str | None]) -> pd.Series:
    """Apply ``function`` to each distinct label (None means missing); the result stays categorical."""
    series = as_category(series)
    new_labels = [function(str(label)) for label in series.cat.categories]
    mapping, uniques = pd.factorize(pd.Series(new_labels, dtype=object), use_na_sentinel=True)
    codes = series.cat.codes.to_numpy()
    new = recode(codes, mapping)
    return pd.Series(pd.Categorical.from_codes(new, categories=labels(uniques)), index=series.index)


def fill_where(current: pd.Series, mask: np.ndarray, values: pd.Series) -> pd.Series:
    """``current`` with the rows in ``mask`` taken from ``values`` (both categorical)."""
    current, values = as_category(current), as_category(values)
    categories = current.cat.categories.append(values.cat.categories).unique()
    mine = _recode(current, categories)
    theirs = _recode(values, categories)
    codes = np.where(mask, theirs, mine)
    used = np.unique(codes[codes >= 0])
    renumber = np.full(len(categories), -1)
    renumber[used] = np.arange(len(used))
    codes = recode(codes, renumber)
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories[used]), index=current.index)


def _recode(series: pd.Series, categories: pd.Index) -> np.ndarray:
    positions = categories.get_indexer(series.cat.categories)
    return recode(series.cat.codes.to_numpy(), positions)


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack frames with the same columns, unioning categories instead of dropping to objects.

    ``frames`` is emptied (the list, not the frames) and each frame's columns are let go
    of as they are stacked, so the parts and the whole are never all in memory at once;
    callers must not use the frames afterwards.
    """
    parts_of = [f for f in frames if f is not None]
    if len(parts_of) == 1:
        frames.clear()
        return parts_of[0].reset_index(drop=True)
    names = list(parts_of[0].columns)
    # Each frame's columns as a dict of Series, dropped column by column: popping a column
    # from a DataFrame copies the rest of its block, which for 1,500 monthly files cost more
    # than the stacking itself.
    held = [dict(f.items()) for f in parts_of]
    frames.clear()
    del parts_of
    columns = {}
    for name in names:
        parts = [h.pop(name) for h in held]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
            arrays = [as_category(p).array for p in parts]
            columns[name] = pd.Series(union_categoricals(arrays, ignore_order=True))
        else:
            columns[name] = pd.concat(parts, ignore_index=True)
        del parts
    return pd.DataFrame(columns)


def counts_by_label(series: pd.Series, mask: np.ndarray) -> dict[str, int]:
    """How many rows in ``mask`` carry each label, largest first."""
    series = as_category(series)
    codes = series.cat.codes.to_numpy()[mask]
    codes = codes[codes >= 0]
    counts = np.bincount(codes, minlength=len(series.cat.categories))
    pairs = [(str(series.cat.categories[i]), int(n)) for i, n in enumerate(counts) if n]
    return dict(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))
