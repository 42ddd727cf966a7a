"""Lookups that give each row its NPT or area from a code in the data (beat, ward, LSOA).

Forces keep beat-to-NPT tables and ONS publishes LSOA-to-district ones; the data rarely
carry NPT names themselves. Lookups are applied in order and a row whose code a lookup
does not know keeps what it had, so a lookup can refine a fallback (police.uk's district
from the LSOA name) and a second lookup can group the first one's result into areas.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from builder.config.schema import Lookup
from builder.data import files
from builder.data.canonical import Converted
from builder.data.categories import as_category, constant, fill_where, relabel
from builder.data.context import NO_LOCATION, OTHER, LoadContext
from builder.data.readers import read_header, read_rows
from builder.data.report import COLUMNS, FILE, VALUES, FileReport
from builder.data.sniff import sniff

TARGETS = ("npt", "area")


@dataclass(frozen=True)
class LookupTable:
    """A loaded lookup: its setting, where it came from and code-to-label tables."""

    spec: Lookup
    path: Path
    index: int
    values: dict[str, dict[str, str]]

    @property
    def name(self) -> str:
        """How messages refer to it: the file and the config key."""
        return f"{self.spec.file} (data.lookups[{self.index}])"


def load_lookups(ctx: LoadContext) -> list[LookupTable]:
    """Read every configured lookup, recording problems rather than stopping at the first."""
    tables = []
    for index, spec in enumerate(ctx.config.lookups):
        folder = ctx.config_folder or Path.cwd()
        path = (folder / spec.file).resolve()
        if not path.is_file():
            ctx.problems.add(FILE, path, f"lookup file not found (data.lookups[{index}].file); fix the path")
            continue
        table = _load(spec, path, index, ctx)
        if table is not None:
            tables.append(table)
    return tables


def lookup_paths(ctx: LoadContext) -> set[Path]:
    """Lookup files, so a lookup kept inside the data folder is not read as data."""
    return files.lookup_paths(ctx.config, ctx.config_folder)


def _load(spec: Lookup, path: Path, index: int, ctx: LoadContext) -> LookupTable | None:
    source = sniff(path, ctx.config.encoding)
    report = FileReport(path, "lookup", source.sha256, source.size, format=source.kind, encoding=source.encoding)
    ctx.report.files.append(report)
    header = read_header(source, ctx.problems, order=-1, sheet=ctx.config.sheet)
    if header is None:
        return None
    wanted = [spec.key] + [getattr(spec, t) for t in TARGETS if getattr(spec, t)]
    missing = [c for c in dict.fromkeys(wanted) if c not in header]
    if missing:
        ctx.problems.add(
            COLUMNS,
            path,
            f"lookup column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"not found (found: {', '.join(header)}); fix data.lookups[{index}]",
            order=-1,
        )
        return None
    raw = read_rows(source, list(dict.fromkeys(wanted)), (), ctx.problems, order=-1, sheet=ctx.config.sheet)
    if raw is None:
        return None
    report.rows_read = report.other_rows = len(raw.frame)
    values = {
        t: _table(raw.frame, raw.rows, spec.key, getattr(spec, t), path, ctx) for t in TARGETS if getattr(spec, t)
    }
    return LookupTable(spec, path, index, values)


def _table(
    frame: pd.DataFrame, rows: np.ndarray, key: str, column: str, path: Path, ctx: LoadContext
) -> dict[str, str]:
    """Code-to-label dict; a code given two different labels is a problem, repeats are not."""
    pairs = pd.DataFrame(
        {"key": frame[key].astype("string"), "value": frame[column].astype("string"), "row": rows}
    ).dropna(subset=["key", "value"])
    unique = pairs.drop_duplicates(["key", "value"])
    clash = unique[unique.duplicated("key", keep=False)]
    if len(clash):
        first = clash.iloc[0]
        others = sorted(set(clash.loc[clash["key"] == first["key"], "value"]))
        ctx.problems.add(
            VALUES,
            path,
            f"{key} '{first['key']}' is given more than one {column} ({', '.join(others)}); keep one row per {key}",
            row=int(first["row"]),
            order=-1,
        )
    return dict(zip(unique["key"], unique["value"]))


def match_columns(ctx: LoadContext) -> list[str]:
    """Columns of the data files that lookups read (not npt/area, which the reader makes)."""
    return [spec.match for spec in ctx.config.lookups if spec.match not in TARGETS]


def locate(converted: Converted, path: Path, order: int, ctx: LoadContext) -> pd.DataFrame:
    """A file's records with their NPT and area from the lookups.

    ASB files in perfpack's own columns carry their NPT, so a lookup whose code column they
    lack is skipped for them. Without a lookup that gives areas, a located police.uk row's
    area is the force it falls within.
    """
    records = converted.records
    if ctx.lookups:
        optional = converted.role == "asb"
        records = apply_lookups(records, converted.source, converted.rows, path, order, ctx, optional=optional)
    if "force" in records and not any(spec.area for spec in ctx.config.lookups):
        placed = (records["npt"] != NO_LOCATION).to_numpy() & records["area"].isna().to_numpy()
        records["area"] = fill_where(records["area"], placed, records["force"])
    return records


def apply_lookups(
    frame: pd.DataFrame,
    source: pd.DataFrame,
    rows: np.ndarray,
    path: Path,
    order: int,
    ctx: LoadContext,
    *,
    optional: bool = False,
) -> pd.DataFrame:
    """Fill npt and area from the lookups; rows still without one are unknowns, counted as Other.

    ``optional`` skips lookups whose code column the file lacks (ASB files carry their NPT).
    """
    first_for: dict[str, tuple[LookupTable, pd.Series]] = {}
    for table in ctx.lookups:
        if optional and table.spec.match not in TARGETS and table.spec.match not in source.columns:
            continue
        keys = _keys(table, frame, source, path, order, ctx)
        if keys is None:
            continue
        for target, values in table.values.items():
            found = relabel(keys, values.get)
            frame[target] = fill_where(frame[target], found.notna().to_numpy(), found)
            first_for.setdefault(target, (table, keys))
    reported = np.zeros(len(frame), dtype=bool)
    for target, (table, keys) in first_for.items():
        missing = frame[target].isna().to_numpy()
        fresh = missing & ~reported  # a row is listed once, under the first lookup that missed it
        if fresh.any():
            labels = relabel(keys, lambda k: k).cat.add_categories("(blank)").fillna("(blank)")
            ctx.unknowns.record(table.spec.match, table.name, labels, fresh, rows, path, order)
        reported |= missing
        if missing.any():
            frame[target] = fill_where(frame[target], missing, constant(OTHER, len(frame)))
    return frame


def _keys(
    table: LookupTable, frame: pd.DataFrame, source: pd.DataFrame, path: Path, order: int, ctx: LoadContext
) -> pd.Series | None:
    match = table.spec.match
    if match in TARGETS:
        return as_category(frame[match])
    if match not in source.columns:
        ctx.problems.add(
            COLUMNS,
            path,
            f"column '{match}' named by data.lookups[{table.index}].match is "
            f"missing (found: {', '.join(map(str, source.columns))})",
            order=order,
        )
        return None
    return as_category(source[match])
