"""Read a data file or folder (crimes, optional ASB and peers) into a validated ``Dataset``.

Every file goes the same way, each step once: read (``sniff``, ``readers``) → canonical
records (``policeuk`` or ``extract``) → NPT and area (``lookup.locate``) → row checks
(``checks``) → split into crimes and ASB; then the stacked table is checked across files
(``assemble``: duplicates, missing months, the home area).

A data folder holds perfpack's own ``crimes.*`` (and optionally ``asb.*`` and
``peers.csv``), or monthly files to stack: police.uk street-level files (recognised by
their header) or force extracts described by ``data.mapping``. CSV, Excel and Parquet
are read alike. Every problem in every file is gathered before anything is raised, and
nothing is built from data with problems, so the previous pack is never touched.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from builder.config.schema import Data
from builder.data import policeuk
from builder.data.assemble import check_duplicates, check_months, group_outside, home_areas
from builder.data.canonical import (
    PEER_COLUMNS,
    Converted,
    Dataset,
    finish_asb,
    finish_crimes,
    split,
    validate_peers,
)
from builder.data.categories import concat_frames
from builder.data.checks import check_records
from builder.data.context import NO_LOCATION, OUTSIDE, LoadContext
from builder.data.extract import convert_asb, convert_crimes, plan_columns
from builder.data.files import find_data_files, require_exists
from builder.data.forces import ForceChoice, keep_one_force
from builder.data.lookup import load_lookups, locate, lookup_paths, match_columns
from builder.data.readers import RawTable, read_header, read_rows
from builder.data.report import COLUMNS, FILE, FileReport, LoadReport, Problems
from builder.data.sniff import Sniff, sniff

log = logging.getLogger(__name__)


def load_dataset(
    path: Path,
    *,
    peers_file: str | None = "peers.csv",
    data_config: Data | None = None,
    config_folder: Path | None = None,
    forces: ForceChoice | None = None,
) -> Dataset:
    """Load and validate the crimes, ASB and peer tables found at ``path``.

    ``data_config`` is the config's ``data:`` block (mapping, lookups, encoding, …);
    ``config_folder`` is where lookup paths are resolved from; ``forces`` says which
    force(s) to keep when the data hold several (default: the one ``data.force`` names).
    Raises DataError whose message has one line per problem (file, row, what), the most
    important first.
    """
    path = Path(path)
    require_exists(path)
    ctx = LoadContext(data_config or Data(), config_folder, Problems(), LoadReport(source=path))
    ctx.lookups = load_lookups(ctx)
    files = find_data_files(path, peers_file, lookup_paths(ctx), ctx.report.warnings)
    crimes_parts, asb_parts, street = [], [], False
    for order, file in enumerate(files):
        crimes, asb, is_street = _read_guarded(file, order, ctx)
        street |= is_street
        crimes_parts += [crimes] if crimes is not None else []
        asb_parts += [asb] if asb is not None and len(asb) else []
    folder = path if path.is_dir() else path.parent
    peers_path = folder / peers_file if peers_file else None
    peers = _read_peers(peers_path, ctx) if peers_path is not None and peers_path.is_file() else None
    ctx.unknowns.resolve(ctx.config.unknown, ctx.problems, ctx.report)
    crimes = _stack(crimes_parts, path, ctx)
    asb = concat_frames(asb_parts) if asb_parts else None
    ctx.problems.raise_if_any()
    crimes, asb = keep_one_force(crimes, asb, forces or ForceChoice(named=ctx.config.force), path, ctx)
    ctx.problems.raise_if_any()
    if street:
        _count_unlocated(crimes, asb, ctx)
    check_duplicates(crimes, files, ctx.config.duplicates or ("keep" if street else "error"), ctx)
    if not ctx.problems:  # a duplicated file would also show as a missing month: report the cause alone
        check_months(crimes, path, ctx)  # each force's own months: one force's missing file shows
    ctx.problems.raise_if_any()
    crimes, asb = _home_area(crimes, asb, path, ctx)
    ctx.problems.raise_if_any()
    ctx.report.crimes, ctx.report.asb = len(crimes), 0 if asb is None else len(asb)
    sources = tuple(files) + ((peers_path,) if peers is not None and peers_path is not None else ())
    log.info("loaded %d crimes from %d files under %s", len(crimes), len(files), path)
    return Dataset(
        crimes=finish_crimes(crimes),
        asb=finish_asb(asb) if asb is not None else None,
        peers=peers,
        sources=sources,
        report=ctx.report,
    )


def _read_guarded(path: Path, order: int, ctx: LoadContext) -> tuple[pd.DataFrame | None, pd.DataFrame | None, bool]:
    """Read one file; a failure nobody foresaw still becomes a line naming the file, not a traceback."""
    try:
        return _read_file(path, order, ctx)
    except Exception as exc:  # the analyst gets the file and the reason; -v logs the rest
        log.debug("reading %s failed", path, exc_info=True)
        ctx.problems.add(
            FILE,
            path,
            f"cannot be read ({type(exc).__name__}: {str(exc)[:200]}); check the file, "
            "and report this if it looks right",
            order=order,
        )
        return None, None, False


def _read_file(path: Path, order: int, ctx: LoadContext) -> tuple[pd.DataFrame | None, pd.DataFrame | None, bool]:
    """One data file as canonical crimes and ASB, with its report; (None, None) when unusable.

    The third value says whether it was a police.uk street-level file.
    """
    source = sniff(path, ctx.config.encoding)
    report = FileReport(path, "data", source.sha256, source.size, format=source.kind, encoding=source.encoding)
    ctx.report.files.append(report)
    ctx.file_reports[order] = report
    header = read_header(source, ctx.problems, order, ctx.config.sheet)
    kind = policeuk.kind_of(header) if header is not None else None
    street = kind == "street"
    converted = _convert(source, header, kind, report, order, ctx) if header is not None else None
    if converted is None:
        return None, None, street
    records = locate(converted, path, order, ctx)
    check_records(records, converted, path, order, ctx)
    crimes, asb = split(records, converted.role)
    report.crimes, report.asb = _length(crimes), _length(asb)
    return _in_file(crimes, order), _in_file(asb, order), street


def _convert(
    source: Sniff, header: list[str], kind: str | None, report: FileReport, order: int, ctx: LoadContext
) -> Converted | None:
    """Read a file's rows and turn them into canonical records; None when the file cannot be used."""
    path = source.path
    if kind is not None and kind != "street":
        report.role, report.note = "ignored", f"{kind}; only street-level files are read"
        ctx.report.warnings.append(f"{path.name}: {report.note}")
        return None
    missing = policeuk.missing_street_columns(header) if kind is None else []
    if missing:
        plural = "s" if len(missing) > 1 else ""
        ctx.problems.add(
            COLUMNS,
            path,
            f"a police.uk street-level file without column{plural} {', '.join(missing)} "
            f"(found: {', '.join(header)}); download the file again",
            order=order,
        )
        return None
    lookup_columns = match_columns(ctx)
    if kind == "street":
        report.format = "police.uk street"
        columns, text = policeuk.read_columns(header, lookup_columns)
        raw = _rows(source, columns, text, report, order, ctx)
        return policeuk.convert(raw, path, order, ctx) if raw is not None else None
    role = "asb" if path.stem.lower().startswith("asb") else "crimes"
    report.format = "mapped extract" if ctx.config.mapping else "perfpack columns"
    plan = plan_columns(header, role, lookup_columns, path, order, ctx)
    raw = _rows(source, plan.read, plan.text, report, order, ctx) if plan else None
    if raw is None or plan is None:
        return None
    if role == "asb":
        return convert_asb(raw, plan, path, order, ctx)
    return convert_crimes(raw, plan, path, order, report, ctx)


def _length(frame: pd.DataFrame | None) -> int:
    return 0 if frame is None else len(frame)


def _in_file(frame: pd.DataFrame | None, order: int) -> pd.DataFrame | None:
    """Each row remembers its file, for messages about rows from several files (duplicates)."""
    return None if frame is None else frame.assign(_file=order)


def _rows(
    source: Sniff, columns: list[str], text: set[str], report: FileReport, order: int, ctx: LoadContext
) -> RawTable | None:
    """Read the rows, counting blank ones, and refuse a file with a header but no rows."""
    raw = read_rows(source, columns, text, ctx.problems, order, ctx.config.sheet)
    if raw is None:
        return None
    report.rows_read = len(raw.frame) + raw.blank_rows
    report.drop("blank rows", raw.blank_rows)
    if raw.frame.empty:
        ctx.problems.add(FILE, source.path, "the file has a header but no rows; export the data again", order=order)
        return None
    return raw


def _read_peers(path: Path, ctx: LoadContext) -> pd.DataFrame | None:
    source = sniff(path, ctx.config.encoding)
    report = FileReport(path, "peers", source.sha256, source.size, format=source.kind, encoding=source.encoding)
    ctx.report.files.append(report)
    header = read_header(source, ctx.problems, 10_000)
    if header is None:
        return None
    missing = [c for c in PEER_COLUMNS if c not in header]
    if missing:
        ctx.problems.add(
            COLUMNS,
            path,
            f"missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (found: {', '.join(header)}); rename the columns",
            order=10_000,
        )
        return None
    raw = read_rows(source, list(PEER_COLUMNS), set(PEER_COLUMNS), ctx.problems, 10_000)
    if raw is None:
        return None
    report.rows_read = report.other_rows = len(raw.frame)
    return validate_peers(raw.frame, raw.rows, path, ctx.problems)


def _stack(parts: list[pd.DataFrame], source: Path, ctx: LoadContext) -> pd.DataFrame:
    """All files' crimes in one table."""
    if not parts:
        if not ctx.problems:
            ctx.problems.add(
                FILE,
                source,
                "no crimes found (only anti-social behaviour or ignored files); point --data at the crimes file(s)",
            )
        return pd.DataFrame()
    return concat_frames(parts)


def _count_unlocated(crimes: pd.DataFrame, asb: pd.DataFrame | None, ctx: LoadContext) -> None:
    """police.uk rows published without a location, once the rows of the pack's force(s) are known."""
    unlocated = sum(int((frame["npt"] == NO_LOCATION).sum()) for frame in (crimes, asb) if frame is not None)
    ctx.report.count(f"rows with no location (NPT and area '{NO_LOCATION}')", unlocated)


def _home_area(
    crimes: pd.DataFrame, asb: pd.DataFrame | None, source: Path, ctx: LoadContext
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Group crimes and ASB located outside their own force's area, counting them.

    Each force has its own home area, so one force's crimes are never another's
    'Outside force area'.
    """
    homes = home_areas(crimes, ctx, source)
    if not homes:
        return crimes, asb
    where = f"outside {next(iter(homes.values()))}" if len(homes) == 1 else "outside their own force's area"
    crimes, moved = group_outside(crimes, homes)
    ctx.report.count(f"crimes located {where} (NPT and area '{OUTSIDE}')", moved)
    if asb is not None:
        asb, moved = group_outside(asb, homes)
        ctx.report.count(f"ASB incidents located {where} (NPT and area '{OUTSIDE}')", moved)
    return crimes, asb
