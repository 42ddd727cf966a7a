"""Convert a force extract (perfpack's own columns, or mapped ones) into canonical crimes or ASB.

An extract names things its own way ('Crime Number', 'HO Class Description',
'Committed From'); ``data.mapping`` says which column is which and which of the force's
classifications count as which crime type, so the rest of perfpack sees one model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from builder.data.canonical import (
    CATEGORY_COLUMNS,
    CRIME_COLUMNS,
    CRIME_DATE_COLUMNS,
    REQUIRED_CRIME_COLUMNS,
    Converted,
)
from builder.data.categories import as_category, constant, fill_where, relabel
from builder.data.context import OTHER, LoadContext
from builder.data.dates import parse_dates, report_bad_dates
from builder.data.readers import RawTable
from builder.data.report import COLUMNS, FileReport

ASB_REQUIRED = ("incident_date", "npt")
ASB_OPTIONAL = ("incident_ref", "area", "category", "force")
FORCE = "force"
"""Optional: the force that recorded each row, so a file of several forces is never summed as one."""
DATE_ADVICE = "write dates as YYYY-MM-DD or DD/MM/YYYY, or set data.mapping.date_format"


@dataclass(frozen=True)
class Plan:
    """Which source column feeds each canonical column of one file."""

    source_of: dict[str, str]
    read: list[str]
    text: set[str]


def plan_columns(
    header: list[str], role: str, lookup_columns: list[str], path: Path, order: int, ctx: LoadContext
) -> Plan | None:
    """Work out the columns to read, or record the missing ones with the columns found."""
    mapping = ctx.config.mapping
    names = (*CRIME_COLUMNS, FORCE) if role == "crimes" else (*ASB_REQUIRED, *ASB_OPTIONAL)
    source_of = {c: (mapping.columns.get(c, c) if mapping and role == "crimes" else c) for c in names}
    from_lookups = {t for spec in ctx.config.lookups for t in ("npt", "area") if getattr(spec, t)}
    required = REQUIRED_CRIME_COLUMNS if role == "crimes" else ASB_REQUIRED
    missing = [_shown(c, source_of) for c in required if source_of[c] not in header and c not in from_lookups]
    missing += [f"'{m}' (data.lookups match)" for m in lookup_columns if m not in header and role == "crimes"]
    if missing:
        ctx.problems.add(
            COLUMNS,
            path,
            f"missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (found: {', '.join(header)}); rename the columns or "
            "add data.mapping.columns",
            order=order,
        )
        return None
    present = {c: s for c, s in source_of.items() if s in header}
    read = list(dict.fromkeys([*present.values(), *(m for m in lookup_columns if m in header)]))
    text = {present[c] for c in ("crime_ref", "incident_ref") if c in present}
    return Plan(present, read, text)


def _shown(column: str, source_of: dict[str, str]) -> str:
    source = source_of.get(column, column)
    return column if source == column else f"'{source}' ({column})"


def convert_crimes(
    raw: RawTable, plan: Plan, path: Path, order: int, report: FileReport, ctx: LoadContext
) -> Converted:
    """Canonical crimes from one extract file, problems recorded in ``ctx``."""
    frame, rows = _exclude(raw, plan, path, report, ctx)
    shown = {c: _shown(c, plan.source_of) for c in CRIME_COLUMNS}
    out = pd.DataFrame(index=frame.index)
    ref = plan.source_of["crime_ref"]
    out["crime_ref"] = frame[ref].astype("string")
    for column in CRIME_DATE_COLUMNS:
        out[column] = _dates(frame, plan, column, shown[column], rows, path, order, ctx)
    for column in CATEGORY_COLUMNS:
        source = plan.source_of.get(column)
        out[column] = as_category(frame[source]) if source else constant(None, len(frame))
    out["crime_type"] = _map_types(out["crime_type"], rows, path, order, ctx)
    if FORCE in plan.source_of:
        out[FORCE] = as_category(frame[plan.source_of[FORCE]])
    mapping = ctx.config.mapping
    if mapping and mapping.outcomes:
        reverse = {v: k for k, values in mapping.outcomes.items() for v in values}
        out["outcome"] = relabel(out["outcome"], lambda label: reverse.get(label, label))
    if mapping and mapping.crime_groups:
        groups = {t: g for g, types in mapping.crime_groups.items() for t in types}
        out["crime_group"] = relabel(out["crime_type"], groups.get)
    return Converted(
        out.assign(_row=rows),
        "crimes",
        frame,
        rows,
        required={c: shown[c] for c in ("crime_ref", "crime_type", "npt")},
        dates={c: shown[c] for c in ("committed_date", "recorded_date")},
    )


def convert_asb(raw: RawTable, plan: Plan, path: Path, order: int, ctx: LoadContext) -> Converted:
    """Canonical ASB incidents from one file in perfpack's own columns."""
    frame, rows = raw.frame, raw.rows
    out = pd.DataFrame(index=frame.index)
    out["incident_ref"] = (
        frame["incident_ref"].astype("string")
        if "incident_ref" in frame
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    out["incident_date"] = _dates(frame, plan, "incident_date", "incident_date", rows, path, order, ctx)
    for column in ("npt", "area", "category"):
        out[column] = as_category(frame[column]) if column in frame else constant(None, len(frame))
    if FORCE in frame:
        out[FORCE] = as_category(frame[FORCE])
    return Converted(
        out.assign(_row=rows),
        "asb",
        frame,
        rows,
        required={"incident_date": "incident_date", "npt": "npt"},
        dates={"incident_date": "incident_date"},
    )


def _dates(
    frame: pd.DataFrame, plan: Plan, column: str, shown: str, rows: np.ndarray, path: Path, order: int, ctx: LoadContext
) -> pd.Series:
    source = plan.source_of.get(column)
    if source is None:
        return pd.Series(np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[s]"), index=frame.index)
    fmt = ctx.config.mapping.date_format if ctx.config.mapping else None
    parsed, bad = parse_dates(frame[source], fmt)
    report_bad_dates(bad, frame[source], shown, rows, path, order, ctx, DATE_ADVICE)
    return parsed


def _exclude(
    raw: RawTable, plan: Plan, path: Path, report: FileReport, ctx: LoadContext
) -> tuple[pd.DataFrame, np.ndarray]:
    """Drop the classifications the mapping says are not crimes, counting each."""
    mapping = ctx.config.mapping
    if not mapping or not mapping.exclude:
        return raw.frame, raw.rows
    types = as_category(raw.frame[plan.source_of["crime_type"]])
    drop = types.isin(mapping.exclude).to_numpy()
    for label, count in types[drop].value_counts().items():
        if count:
            report.drop(f"classification '{label}' excluded by data.mapping.exclude", int(count))
    return raw.frame.loc[~drop].reset_index(drop=True), raw.rows[~drop]


def _map_types(types: pd.Series, rows: np.ndarray, path: Path, order: int, ctx: LoadContext) -> pd.Series:
    """The mapping's crime types; classifications it does not know are unknowns, counted as Other."""
    mapping = ctx.config.mapping
    if not mapping or not mapping.crime_types:
        return types
    reverse = {v: k for k, values in mapping.crime_types.items() for v in values}
    reverse.update({k: k for k in mapping.crime_types if k not in reverse})
    mapped = relabel(types, reverse.get)
    unknown = (mapped.isna() & types.notna()).to_numpy()
    ctx.unknowns.record("crime type", "data.mapping.crime_types", types, unknown, rows, path, order)
    return fill_where(mapped, unknown, constant(OTHER, len(types))) if unknown.any() else mapped
