"""Checks and adjustments that need every file at once: duplicates, missing months, home area.

A duplicate reference can sit in two different monthly files, and a missing month
only shows as a hole between the first and last file, so these run on the stacked
table, where each row still knows its file (``_file``) and row (``_row``) for messages.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from builder.data.categories import as_category, constant, counts_by_label, fill_where
from builder.data.checks import month_span_gaps
from builder.data.context import NO_LOCATION, OUTSIDE, LoadContext
from builder.data.dates import NO_MONTH, month_numbers
from builder.data.report import DUPLICATES, SPAN, VALUES

MAX_DUPLICATE_LINES = 3


def check_duplicates(crimes: pd.DataFrame, files: list[Path], policy: str, ctx: LoadContext) -> None:
    """Repeated crime references: an error naming the first few, or a count when they are kept."""
    refs = crimes["crime_ref"]
    repeat = repeated(refs)
    count = int(repeat.sum())
    if not count:
        return
    if policy == "keep":
        ctx.report.count(
            "rows sharing a crime reference with an earlier row (all counted: data.duplicates: keep)", count
        )
        return
    shown: list[str] = []
    for position in np.flatnonzero(repeat):
        ref = refs.iloc[position]
        if ref in shown:
            continue
        shown.append(ref)
        original = int(np.flatnonzero((refs == ref).to_numpy(na_value=False))[0])
        ctx.problems.add(
            DUPLICATES,
            files[int(crimes["_file"].iloc[position])],
            f"crime_ref '{ref}' appears more than once (first at {_where(crimes, original, files)}); "
            f"{count:,} rows repeat a reference; remove the duplicates or set data.duplicates: keep",
            row=int(crimes["_row"].iloc[position]),
            order=int(crimes["_file"].iloc[position]),
        )
        if len(shown) == MAX_DUPLICATE_LINES:
            break


def repeated(refs: pd.Series) -> np.ndarray:
    """Rows whose reference appeared on an earlier row (blanks never count).

    A stable sort and a comparison of neighbours, not a hash table: for millions of
    references it needs a fraction of the memory of ``Series.duplicated``.
    """
    values = pa.array(refs.astype("string").array)
    if len(values) < 2 or _strictly_increasing(values):
        return np.zeros(len(values), dtype=bool)
    order = pc.sort_indices(values)
    ordered = pc.take(values, order)
    same = pc.fill_null(pc.equal(ordered.slice(1), ordered.slice(0, len(values) - 1)), False)
    out = np.zeros(len(values), dtype=bool)
    out[order.to_numpy()[1:][same.to_numpy(zero_copy_only=False)]] = True
    return out


def _strictly_increasing(values: pa.Array) -> bool:
    """Every reference present and after the one before, so none repeats.

    Extracts usually come in reference order; one comparison of neighbours settles
    that case at a fraction of the cost of the sort.
    """
    return values.null_count == 0 and pc.all(pc.less(values[:-1], values[1:])).as_py() is True


def _where(frame: pd.DataFrame, position: int, files: list[Path]) -> str:
    file = files[int(frame["_file"].iloc[position])]
    return f"{file.name} row {int(frame['_row'].iloc[position])}"


def check_months(crimes: pd.DataFrame, source: Path, ctx: LoadContext) -> None:
    """Months with no crimes recorded between the first and last: a monthly file left out.

    With several forces each is checked on its own months, since another force's file
    for the same month would hide the hole.
    """
    for force, rows in _by_force(crimes):
        months = month_numbers(crimes["recorded_date"].to_numpy(dtype="datetime64[s]")[rows])
        months = months[months != NO_MONTH]
        gaps = month_span_gaps(months)
        if gaps:
            names = ", ".join(_month(m) for m in gaps[:6]) + (" …" if len(gaps) > 6 else "")
            whose = f" for {force}" if force is not None else ""
            ctx.problems.add(
                SPAN,
                source,
                f"no crimes recorded{whose} in {names}, between {_month(int(months.min()))} and "
                f"{_month(int(months.max()))}; is a monthly file missing?",
            )


def _by_force(frame: pd.DataFrame) -> list[tuple[str | None, slice | np.ndarray]]:
    """(force, its rows) for each force of the data; one (None, every row) without a force column."""
    if "force" not in frame.columns or frame["force"].nunique() < 2:
        return [(None, slice(None))]
    force = as_category(frame["force"])
    codes = force.cat.codes.to_numpy()
    return [(str(label), codes == code) for code, label in enumerate(force.cat.categories) if (codes == code).any()]


def _month(index: int) -> str:
    return f"{pd.Timestamp(np.datetime64(index, 'M')):%B %Y}"


def home_areas(crimes: pd.DataFrame, ctx: LoadContext, source: Path) -> dict[str | None, str]:
    """Each force's own area (data.home_area; 'auto': the one most of its crimes fall in).

    Keyed by force, or by None for data without a force column. Empty when the setting
    is empty or names an area the data do not have (a problem is recorded).
    """
    setting = ctx.config.home_area
    if not setting:
        return {}
    located = (crimes["area"] != NO_LOCATION).to_numpy() & crimes["area"].notna().to_numpy()
    homes: dict[str | None, str] = {}
    for force, rows in _by_force(crimes):
        mask = located.copy() if isinstance(rows, slice) else located & rows
        counts = counts_by_label(crimes["area"], mask)
        if setting == "auto":
            if counts:
                homes[force] = next(iter(counts))
            continue
        if setting not in counts:
            whose = f" of {force}" if force is not None else ""
            advice = (
                "use 'auto' so each force's own area is found" if force is not None else "use one of them or 'auto'"
            )
            ctx.problems.add(
                VALUES,
                source,
                f"data.home_area '{setting}' is not an area in the data{whose} (areas: "
                f"{', '.join(list(counts)[:10])}); {advice}",
            )
            return {}
        homes[force] = setting
    return homes


def group_outside(frame: pd.DataFrame, homes: dict[str | None, str]) -> tuple[pd.DataFrame, int]:
    """NPT and area 'Outside force area' for rows located in an area other than their force's home.

    Worked on category codes: a row's home is one small integer looked up from its force's
    code, so millions of rows cost two array lookups, not string comparisons.
    """
    area = as_category(frame["area"])
    home = _home_codes(frame, area, homes)
    if home is None:
        return frame, 0
    codes = area.cat.codes.to_numpy()
    placed = (codes >= 0) & (area != NO_LOCATION).to_numpy()
    outside = placed & (codes != home)
    if outside.any():
        label = constant(OUTSIDE, len(frame))
        frame = frame.assign(
            npt=fill_where(frame["npt"], outside, label), area=fill_where(frame["area"], outside, label)
        )
    return frame, int(outside.sum())


def _home_codes(frame: pd.DataFrame, area: pd.Series, homes: dict[str | None, str]) -> np.ndarray | None:
    """Each row's home area as a code of ``area``; a row of a force without one keeps its own code."""
    position = {str(label): code for code, label in enumerate(area.cat.categories)}
    codes = area.cat.codes.to_numpy()
    if None in homes:
        home = np.full(len(frame), position.get(homes[None], -2))
    elif "force" in frame.columns:
        force = as_category(frame["force"])
        table = np.array([position.get(homes.get(str(f), ""), -2) for f in force.cat.categories] + [-2])
        home = table[force.cat.codes.to_numpy()]  # code -1 (no force) takes the last entry
    else:
        return None
    return np.where(home == -2, codes, home)
