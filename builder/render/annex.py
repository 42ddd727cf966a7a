"""The data annex: every table's and chart's data in one .xlsx beside the pack.

Laid out as the Government Analysis Function's "Releasing statistics in spreadsheets"
guidance asks, so screen-reader users and analysts can use the data without the
charts: a cover, a contents page and a notes page first, then one table per sheet;
each sheet's title in A1 with its explanatory lines below it in column A; no merged
cells and no blank rows inside a table; the header row marked by an Excel Table;
numbers stored as numbers (only the shorthand [x] is text); notes referenced as
[note N] in column headings. The same figures always give the same bytes (fixed
timestamps inside the zip), and the file appears only complete (temp + os.replace).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from builder.config.schema import PackConfig
from builder.figures.model import ComparisonTable, PackFigures, PeerComparison, Row, Standing, ThemeFigures, Trend
from builder.figures.rounding import round_half_up
from builder.figures.spc import LIMIT_FACTOR

NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"
FORMATS = {"count": "#,##0", "pct": "0.0", "rate": "0.00", "limit": "#,##0.0", "month": "mmm yyyy", "text": "@"}
DIGITS = {"pct": 1, "rate": 2, "limit": 1}
POINT_TYPES = {
    "common_cause": "Common cause variation",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: high",
    "special_cause_neutral_low": "Special cause: low",
}
RULES = {
    "beyond_limit": "Beyond a control limit",
    "trend": "Trend of 7 points",
    "two_of_three": "2 of 3 points close to a limit",
    "shift": "Shift of 7 points",
}
FIRST_SHEETS = ("Cover", "Contents", "Notes")
TABLE_STYLE = "Table Style Light 1"
LINK_COLOUR = "#1D5C99"


@dataclass(frozen=True)
class Column:
    """A column heading and the kind of value below it (which sets the number format)."""

    heading: str
    kind: str = "count"


@dataclass
class Sheet:
    """One table of the annex: its sheet name, title, columns and rows of plain values."""

    name: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    notes: tuple[int, ...] = ()
    lines: list[str] = field(default_factory=list)


def write_annex(figures: PackFigures, config: PackConfig, path: Path, place: str = "") -> Path:
    """Write the annex workbook to ``path`` (complete or not at all) and return the path.

    ``place`` ('Moorlands NPT') names a local pack's place in the workbook's title.

    XlsxWriter builds the workbook in memory with a fixed date on every zip entry, so
    equal figures give equal bytes; it writes each cell once, where a reader-writer
    library keeps a model of the whole workbook (a third of the build's CPU for ten packs).
    """
    sheets, notes = numbered_notes(data_sheets(figures, config), _notes(figures, config))
    out = io.BytesIO()
    workbook = Workbook(
        out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    formats = _Formats(workbook)
    _cover(workbook.add_worksheet(FIRST_SHEETS[0]), figures, config, formats, place)
    _contents(workbook.add_worksheet(FIRST_SHEETS[1]), sheets, formats)
    _table_sheet(workbook.add_worksheet(FIRST_SHEETS[2]), _notes_sheet(notes), "notes", formats)
    for number, sheet in enumerate(sheets, start=1):
        _table_sheet(workbook.add_worksheet(sheet.name), sheet, f"table_{number}", formats)
    workbook.set_properties(
        {
            "title": _annex_title(config, place),
            "author": config.cover.unit,
            "created": dt.datetime.combine(config.cover.report_date, dt.time()),
        }
    )
    workbook.close()
    _write_atomically(out.getvalue(), path)
    return path


class _Formats:
    """The workbook's cell formats, made once: XlsxWriter keeps one record per Format object."""

    def __init__(self, workbook: Workbook) -> None:
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.heading = workbook.add_format({"bold": True})
        self.link = workbook.add_format({"font_color": LINK_COLOUR, "underline": 1, "num_format": FORMATS["text"]})
        self.number = {kind: workbook.add_format({"num_format": code}) for kind, code in FORMATS.items()}


def data_sheets(figures: PackFigures, config: PackConfig) -> list[Sheet]:
    """Every table and chart's data, in the order they appear in the pack (notes by their full numbers)."""
    window, months = figures.windows.last.label, figures.windows.months
    sheets = [
        _comparison(
            figures.crime_types, "Crime_types", "Crime type", f"Crimes by crime type, {window}", months, config
        ),
        _comparison(
            figures.npt,
            "NPT",
            "Neighbourhood Policing Team",
            f"Crimes by Neighbourhood Policing Team, {window}",
            months,
        ),
        _trend(figures.all_crime_trend, "All_crime_monthly", "All crime per month", "Crimes"),
        *_group(figures.standing, "All_crime_group", "Crimes", window, months),
    ]
    for key in config.sections:
        if key in figures.themes:
            sheets.extend(_theme_sheets(figures.themes[key], window, months))
    used = {name.lower() for name in FIRST_SHEETS}
    for number, sheet in enumerate(sheets, start=1):
        sheet.name, sheet.title = _sheet_name(sheet.name, used), f"Table {number}: {sheet.title}"
    return sheets


def _theme_sheets(theme: ThemeFigures, window: str, months: int) -> list[Sheet]:
    key, title = theme.key, theme.title
    sheets = [
        _trend(theme.spc, f"{key}_monthly", f"{title} per month", "Crimes"),
        _comparison(
            theme.npt,
            f"{key}_NPT",
            "Neighbourhood Policing Team",
            f"{title} by Neighbourhood Policing Team, {window}",
            months,
        ),
        _comparison(theme.area, f"{key}_area", "Area", f"{title} by area, {window}", months),
    ]
    sheets.extend(_group(theme.standing, f"{key}_group", title, window, months))
    if theme.peers is not None:
        sheets.append(_peers(theme.peers, f"{key}_peers", title))
    if theme.offence_types is not None:
        breakdown = theme.offence_types
        rows = [[label, n, _round(breakdown.share_pct(label), "pct")] for label, n in breakdown.rows]
        rows.append(["Total", breakdown.total, 100.0])
        sheets.append(
            Sheet(
                f"{key}_offence_types",
                f"Recorded drug offences by offence type, {window}",
                [
                    Column("Offence type", "text"),
                    Column(f"Last {months} months [note 2]"),
                    Column("Share of total (%) [note 3]", "pct"),
                ],
                rows,
                (1, 2, 3),
            )
        )
    if theme.asb is not None:
        sheets.append(
            _trend(theme.asb, f"{key}_ASB_monthly", "Drug-related anti-social behaviour per month", "Incidents")
        )
    if theme.outcomes is not None:
        sheets.append(
            _trend(
                theme.outcomes,
                f"{key}_outcomes_monthly",
                "Positive outcomes for drug offences per month",
                "Positive outcomes",
                note=8,
            )
        )
    return sheets


def _group(standing: Standing | None, name: str, subject: str, window: str, months: int) -> list[Sheet]:
    """A local pack's place among the NPTs of its area (or the force's areas), when there are others."""
    if standing is None or not standing.group.comparable:
        return []
    first = "Neighbourhood Policing Team" if standing.kind == "NPT" else standing.kind.capitalize()
    return [_comparison(standing.group, name, first, f"{subject}: {standing.group_name}, {window}", months)]


def _comparison(
    table: ComparisonTable, name: str, first: str, title: str, months: int, config: PackConfig | None = None
) -> Sheet:
    """A last-versus-previous table with its Total row; crime types also get their date basis."""
    columns = [Column(first, "text")]
    if config is not None:
        columns.append(Column("Date basis [note 1]", "text"))
    columns += [
        Column(f"Last {months} months [note 2]"),
        Column("Proportion of total (%) [note 3]", "pct"),
        Column(f"Previous {months} months [note 2]"),
        Column("Change (%) [note 3] [note 7]", "pct"),
        Column("Difference"),
    ]
    if config is not None:
        columns.append(Column("Share of the increase (%) [note 3]", "pct"))
    rows = []
    for row in (*table.rows, table.total):
        values: list[Any] = [row.label]
        if config is not None:
            values.append(
                f"{config.date_basis(row.label).capitalize()} date" if row is not table.total else NOT_APPLICABLE
            )
        values += [
            row.last_12,
            _round(row.share_pct, "pct"),
            row.previous_12,
            _round(row.change_pct, "pct"),
            row.difference,
        ]
        if config is not None:
            values.append(_increase_share(table, row))
        rows.append(values)
    return Sheet(name, title, columns, rows, (1, 2, 3, 7) if config is not None else (2, 3, 7))


def _increase_share(table: ComparisonTable, row: Row) -> float | str:
    """A rising row's share of the total increase; 100 for the total; [z] for rows that did not rise."""
    if row is table.total:
        return 100.0 if table.increased else NOT_APPLICABLE
    return _round(row.increase_share_pct, "pct") if row.difference > 0 else NOT_APPLICABLE


def _trend(trend: Trend, name: str, title: str, measure: str, note: int | None = None) -> Sheet:
    """A monthly series with its mean, control limits and each point's signal."""
    first, last = trend.periods[0], trend.periods[-1]
    rows = [
        [
            p.period,
            int(v),
            _round(p.mean, "limit"),
            _round(p.ucl, "limit"),
            _round(p.lcl, "limit"),
            POINT_TYPES.get(p.point_type, p.point_type),
            RULES.get(p.rule or "", "None"),
        ]
        for p, v in zip(trend.spc.points, trend.values)
    ]
    below_zero = any(p.lcl < 0 for p in trend.spc.points)
    columns = [
        Column("Month", "month"),
        Column(measure),
        Column("Mean [note 4]", "limit"),
        Column("Upper control limit [note 4]", "limit"),
        Column(f"Lower control limit [note 4]{' [note 9]' if below_zero else ''}", "limit"),
        Column("Point type [note 5]", "text"),
        Column("Signal rule [note 5]", "text"),
    ]
    notes = (4, 5, *((note,) if note else ()), *((9,) if below_zero else ()))
    return Sheet(name, f"{title}, {first:%B %Y} to {last:%B %Y}", columns, rows, notes, [trend.sentence])


def _peers(peers: PeerComparison, name: str, title: str) -> Sheet:
    """The peer group in rank order: by crimes per 1,000 population (lowest first), else by change."""
    n = peers.period.months
    rows = [
        [
            rank,
            r.force,
            "Yes" if r.is_home else "No",
            NOT_AVAILABLE if r.population is None else r.population,
            r.last_12,
            r.previous_12,
            _round(r.rate, "rate"),
            _round(r.change_pct, "pct"),
        ]
        for rank, r in enumerate(peers.rows, start=1)
    ]
    first = "Rank (1 is the lowest rate)" if peers.ranked_by == "rate" else "Rank (1 is the lowest % change)"
    columns = [
        Column(first),
        Column("Force", "text"),
        Column("This force", "text"),
        Column("Population"),
        Column(f"Last {n} months"),
        Column(f"Previous {n} months"),
        Column("Crimes per 1,000 population", "rate"),
        Column("Change (%) [note 3] [note 7]", "pct"),
    ]
    caption = f"{title}: {peers.group_name}, {n} months to {peers.period.end:%B %Y}"
    return Sheet(name, caption, columns, rows, (3, 6, 7))


def _notes(figures: PackFigures, config: PackConfig) -> dict[int, str]:
    """Every note the annex may refer to, by its number before renumbering (``numbered_notes``)."""
    w = figures.windows
    n = w.months
    basis = config.data.date_basis
    listed = ", ".join(basis.recorded if basis.default == "committed" else basis.committed) or "none"
    other = "recorded" if basis.default == "committed" else "committed"
    notes = [
        f"Date basis: crimes are counted by the date they were {basis.default}, except these crime types, "
        f"counted by the date they were {other}: {listed}.",
        f"Last {n} months: {w.last.long_label}. Previous {n} months: {w.previous.long_label}. Monthly series run "
        f"from {w.trend.start:%B %Y} to {w.trend.end:%B %Y}.",
        "Percentages are calculated from unrounded counts and rounded to 1 decimal place here (whole numbers "
        "in the pack), halves away from zero, so they may not sum to exactly 100.",
        f"Control limits: an XmR (individuals) chart. The mean and the average moving range come from the "
        f"baseline months; the limits are the mean plus or minus {LIMIT_FACTOR} times the average moving range. "
        "Mean and limits are rounded to 1 decimal place.",
        "Point types follow NHS England's Making Data Count rules: a point beyond a limit, a trend of 7 points "
        "rising or falling, 2 of 3 points close to a limit, or a shift of 7 points on one side of the mean is "
        "special cause variation; anything else is common cause variation.",
        _peer_note(figures, config),
        f"{NOT_AVAILABLE} means not available: a percentage change cannot be calculated because there were no "
        f"crimes in the previous {n} months. {NOT_APPLICABLE} means not applicable: a type that did not rise has "
        "no share of the increase, and the total has no single date basis.",
        "Positive outcomes (charges, cautions and community resolutions) are counted by the date of the outcome.",
        "A count cannot be below 0: where the computed lower control limit is negative, the pack's charts draw "
        "it at 0. This table gives the computed value.",
    ]
    return dict(enumerate(notes, start=1))


NOTE_REFERENCE = re.compile(r"\[note (\d+)\]")


def numbered_notes(sheets: list[Sheet], notes: dict[int, str]) -> tuple[list[Sheet], list[str]]:
    """Keep only the notes some sheet refers to, numbered 1, 2, 3… in order, and refer to them so.

    A pack without peers or positive outcomes has no use for their notes, and a reader
    should not meet a note about a table the annex does not have.
    """
    used = sorted(
        {n for sheet in sheets for n in sheet.notes}
        | {int(m) for sheet in sheets for column in sheet.columns for m in NOTE_REFERENCE.findall(column.heading)}
    )
    number = {old: new for new, old in enumerate(used, start=1)}

    def renumber(text: str) -> str:
        return NOTE_REFERENCE.sub(lambda m: f"[note {number[int(m.group(1))]}]", text)

    for sheet in sheets:
        sheet.columns = [Column(renumber(c.heading), c.kind) for c in sheet.columns]
        sheet.notes = tuple(number[n] for n in sheet.notes)
    return sheets, [notes[old] for old in used]


def _notes_sheet(notes: list[str]) -> Sheet:
    """The definitions every [note N] in a column heading refers to."""
    return Sheet(
        "Notes",
        "Notes",
        [Column("Note number", "text"), Column("Note text", "text")],
        [[f"[note {i}]", text] for i, text in enumerate(notes, start=1)],
        lines=["The notes are referred to in the column headings of the other worksheets."],
    )


def _cover(ws: Worksheet, figures: PackFigures, config: PackConfig, formats: _Formats, place: str) -> None:
    """Title, what the workbook is, period, source, contact: text in column A only."""
    cover, w = config.cover, figures.windows
    blocks = [
        (
            "About this workbook",
            [
                f"The data behind every table and chart of the {cover.title} pack for the meeting "
                f"on {cover.meeting_date.day} {cover.meeting_date:%B %Y}, one table per worksheet.",
                "The Contents worksheet lists the tables; the Notes worksheet defines the terms.",
            ],
        ),
        (
            "Period covered",
            [f"Last {w.months} months: {w.last.long_label}.", f"Previous {w.months} months: {w.previous.long_label}."],
        ),
        ("Source", [f"Police recorded crime and anti-social behaviour incident records of {cover.force}."]),
        (
            "Published",
            [
                f"{cover.report_date.day} {cover.report_date:%B %Y}. Protective marking: "
                f"{cover.protective_marking}. Transparency: {cover.transparency}."
            ],
        ),
        ("Contact", [f"{cover.owner}, {cover.unit}, {cover.force}."]),
    ]
    ws.write_string(0, 0, _annex_title(config, place), formats.title)
    row = 1
    for heading, lines in blocks:
        ws.write_string(row, 0, heading, formats.heading)
        for offset, line in enumerate(lines, start=1):
            ws.write_string(row + offset, 0, line)
        row += len(lines) + 1
    ws.set_column(0, 0, 100)


def _contents(ws: Worksheet, sheets: list[Sheet], formats: _Formats) -> None:
    rows = [["Notes", "Notes and definitions"], *([s.name, s.title] for s in sheets)]
    contents = Sheet(
        "Contents",
        "Table of contents",
        [Column("Worksheet", "text"), Column("Table", "text")],
        rows,
        lines=["Select a worksheet name to go to it."],
    )
    _table_sheet(ws, contents, "contents", formats)
    header = contents_header_row(contents)  # 1-based, so also the 0-based row of the first entry
    for offset, (name, _) in enumerate(rows):
        ws.write_url(header + offset, 0, f"internal:'{name}'!A1", formats.link, string=name)


def contents_header_row(sheet: Sheet) -> int:
    """The row of a sheet's table header: after the title (row 1) and the lines below it."""
    return 2 + len(_intro(sheet))


def _intro(sheet: Sheet) -> list[str]:
    """The lines between the title and the table: what the sheet holds and which notes apply."""
    lines = ["This worksheet contains one table.", *(line for line in sheet.lines if line)]
    if sheet.notes:
        lines.append(
            f"Some column headings refer to notes, in the Notes worksheet: "
            f"{', '.join(f'[note {n}]' for n in sheet.notes)}."
        )
    return lines


def _table_sheet(ws: Worksheet, sheet: Sheet, table_name: str, formats: _Formats) -> None:
    """Title in A1, explanatory lines below it, then the table, defined as an Excel Table."""
    ws.write_string(0, 0, sheet.title, formats.title)
    for offset, line in enumerate(_intro(sheet), start=1):
        ws.write_string(offset, 0, line)
    header = contents_header_row(sheet) - 1  # 0-based from here on
    ws.add_table(
        header,
        0,
        header + len(sheet.rows),
        len(sheet.columns) - 1,
        {
            "name": table_name,
            "style": TABLE_STYLE,
            "banded_rows": False,
            "columns": [{"header": column.heading, "header_format": formats.heading} for column in sheet.columns],
        },
    )
    for c, column in enumerate(sheet.columns):
        number = formats.number[column.kind]
        for r, values in enumerate(sheet.rows, start=header + 1):
            value = values[c]
            ws.write(r, c, value, number if not isinstance(value, str) or column.kind == "text" else None)
        ws.set_column(c, c, _width(column, sheet.rows, c))


def _width(column: Column, rows: list[list[Any]], index: int) -> float:
    longest = max([len(column.heading) // 2, *(len(str(r[index])) for r in rows)], default=10)
    return float(min(max(longest + 2, 12), 80 if column.kind == "text" else 30))


def _annex_title(config: PackConfig, place: str = "") -> str:
    cover = config.cover
    where = f" for {place}" if place else ""
    return f"{cover.force}: {cover.title} data annex{where}, {cover.meeting_date.day} {cover.meeting_date:%B %Y}"


def _peer_note(figures: PackFigures, config: PackConfig) -> str:
    """Where the peer figures come from, from the first theme that has a comparison."""
    peers = next((t.peers for t in figures.themes.values() if t.peers is not None), None)
    if peers is None:
        return "No peer comparison in this pack."
    note = config.peers.note if config.peers else ""
    ranked = (
        "rates are crimes per 1,000 population."
        if peers.ranked_by == "rate"
        else "forces are ranked by percentage change (no populations were given, so no rates)."
    )
    period = f"{peers.period.months} months to {peers.period.end:%B %Y}"
    return f"Peer data: {peers.group_name}, {period}; {ranked} {note}".strip()


def _month(text: str) -> str:
    """'2018-05' as 'May 2018'."""
    return f"{dt.datetime.strptime(text, '%Y-%m'):%B %Y}"


def _round(value: float | None, kind: str) -> float | str:
    """Rounded as published (halves away from zero); [x] when there is no value."""
    return NOT_AVAILABLE if value is None else round_half_up(value, DIGITS[kind])


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    base = re.sub(r"[\[\]:*?/\\']", "_", name)[:31]
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def _write_atomically(data: bytes, path: Path) -> None:
    """Write beside the target and rename, so readers never see half a workbook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx.tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)  # mkstemp makes it private; the annex is published like the pack
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
