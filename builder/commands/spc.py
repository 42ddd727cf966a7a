"""``perfpack spc``: XmR limits and special-cause signals for one series.

Analysts check a chart's limits and signals before they reach the pack; this
command runs exactly the statistics the pack uses on a ``period,value`` CSV
and prints them as a table (with the pack's sentence) or as JSON.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import click

from builder.errors import DataError
from builder.figures.spc import SpcResult, xmr
from builder.figures.spc_sentence import spc_sentence

_REQUIRED = ("period", "value")


@click.command("spc")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per point.")
@click.option(
    "--direction",
    type=click.Choice(["increase", "decrease", "neutral"]),
    default="decrease",
    show_default=True,
    help="Direction of improvement (crime counts: decrease).",
)
@click.option(
    "--no-screen",
    is_flag=True,
    help="Keep outlying moving ranges, as the NHS Excel tools do.",
)
@click.option(
    "--baseline",
    type=int,
    metavar="N",
    help="Fix each group's limits on its first N points (N >= 12).",
)
@click.option(
    "--rebase",
    multiple=True,
    metavar="YYYY-MM[-DD]",
    help="Recalculate limits from this period; repeat for several.",
)
@click.option(
    "--subject",
    metavar="TEXT",
    help="What the series measures, for the sentence (default: the file name).",
)
def spc(
    csv_file: Path,
    as_json: bool,
    direction: str,
    no_screen: bool,
    baseline: int | None,
    rebase: tuple[str, ...],
    subject: str | None,
) -> None:
    """XmR control limits and special-cause signals for FILE.csv.

    FILE.csv needs a header row with columns period,value; period is
    YYYY-MM or YYYY-MM-DD. Limits, rules and point types follow NHS
    England's Making Data Count method (as in NHSRplotthedots).

    \b
    Example:
      perfpack spc robbery.csv
      perfpack spc robbery.csv --json --baseline 12 --rebase 2019-04
      perfpack spc satisfaction.csv --direction increase --no-screen
    """
    periods, values = read_series(csv_file)
    rebase_dates = [_parse_rebase(text) for text in rebase]
    try:
        result = xmr(
            periods,
            values,
            direction=direction,  # type: ignore[arg-type]  # click.Choice checked it
            screen=not no_screen,
            baseline=baseline,
            rebase=rebase_dates,
        )
    except ValueError as error:
        raise DataError(f"{csv_file}: {error}.") from error
    except ArithmeticError:
        raise DataError(f"{csv_file}: the values are too large to compute limits from; check the column.") from None
    if as_json:
        click.echo(strict_json(result.to_records()))
        return
    click.echo(format_table(result))
    click.echo()
    click.echo(spc_sentence(result, subject or _subject_from(csv_file)))


def read_series(path: Path) -> tuple[list[date], list[float]]:
    """Periods and values from a ``period,value`` CSV, sorted by period.

    Row numbers in messages count the header as row 1, as a spreadsheet does.
    """
    rows = _read_rows(path)
    seen: dict[date, int] = {}
    series: list[tuple[date, float]] = []
    for number, row in rows:
        period = _parse_period(row["period"], path, number)
        if period in seen:
            raise DataError(
                f"{path}, row {number}: period {period.isoformat()} repeats row "
                f"{seen[period]}; keep one row per period."
            )
        seen[period] = number
        series.append((period, _parse_value(row["value"], path, number)))
    if len(series) < 2:
        raise DataError(f"{path}: {len(series)} data row(s); add at least 2 periods (12 or more for reliable limits).")
    series.sort()
    return [p for p, _ in series], [v for _, v in series]


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number, row) pairs with lower-cased, stripped column names."""
    if not path.is_file():
        raise DataError(f"{path}: no such file; check the path to the CSV.")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip().lower() for name in reader.fieldnames or []]
            missing = [name for name in _REQUIRED if name not in header]
            if missing:
                raise DataError(
                    f"{path}, row 1: missing column(s) {', '.join(missing)}; the header "
                    "must name the columns period,value."
                )
            reader.fieldnames = header
            return [
                (number, {k: (v or "") for k, v in row.items() if k is not None})
                for number, row in enumerate(reader, start=2)
                if any((v or "").strip() for k, v in row.items() if k is not None)
            ]
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text ({error.reason}); save it as UTF-8 CSV.") from error


def _parse_period(text: str, path: Path, number: int) -> date:
    """A YYYY-MM or YYYY-MM-DD period; a month means its first day."""
    raw = text.strip()
    try:
        if len(raw) == 7:
            return date.fromisoformat(raw + "-01")
        if len(raw) == 10:
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise DataError(f"{path}, row {number}: period {raw!r} is not a date; write it as YYYY-MM or YYYY-MM-DD.")


MAX_VALUE = 1e12
"""Largest value a monthly series may hold: far beyond any count or rate, well short of overflowing."""


def _parse_value(text: str, path: Path, number: int) -> float:
    """A finite number of a sensible size; blanks and text are errors rather than silently skipped."""
    raw = text.strip()
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        shown = repr(raw) if raw else "empty"
        raise DataError(f"{path}, row {number}: value {shown} is not a number; correct it or remove the row.")
    if abs(value) > MAX_VALUE:
        raise DataError(f"{path}, row {number}: value {raw!r} is too large for a monthly figure; correct it.")
    return value


def strict_json(records: list[dict[str, object]]) -> str:
    """JSON any parser accepts: a value that is not a finite number (no limits yet, say) is null, never NaN."""

    def plain(value: object) -> object:
        return None if isinstance(value, float) and not math.isfinite(value) else value

    return json.dumps([{k: plain(v) for k, v in record.items()} for record in records], indent=2, allow_nan=False)


def _parse_rebase(text: str) -> date:
    """A --rebase period in the same forms as the CSV's periods."""
    raw = text.strip()
    try:
        return date.fromisoformat(raw + "-01" if len(raw) == 7 else raw)
    except ValueError:
        raise click.BadParameter(
            f"{raw!r} is not a date; write it as YYYY-MM or YYYY-MM-DD.",
            param_hint="'--rebase'",
        ) from None


def _subject_from(path: Path) -> str:
    """'personal_robbery.csv' -> 'personal robbery'."""
    return path.stem.replace("_", " ").replace("-", " ")


def format_table(result: SpcResult) -> str:
    """An aligned text table of the chart, one row per point."""
    decimals = 2 if max(abs(p.value) for p in result.points) >= 10 else 4
    header = ("period", "value", "mean", "lcl", "ucl", "point_type", "rule", "limits")
    rows = [
        (
            p.period.isoformat(),
            f"{p.value:.{decimals}f}",
            f"{p.mean:.{decimals}f}",
            f"{p.lcl:.{decimals}f}",
            f"{p.ucl:.{decimals}f}",
            p.point_type,
            p.rule or "-",
            "trial" if p.trial_limits else "fixed",
        )
        for p in result.points
    ]
    return _align([header, *rows], numeric=(1, 2, 3, 4))


def _align(rows: Sequence[Sequence[str]], numeric: Sequence[int]) -> str:
    """Pad columns to equal width; numbers right-aligned so decimals line up."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if i in numeric else cell.ljust(width) for i, (cell, width) in enumerate(zip(row, widths))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
