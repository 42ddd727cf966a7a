"""Month arithmetic and the comparison windows.

Months are handled as integers (months since January 1970) because counting
millions of crimes into months is then one vectorised subtraction, not a parse.
"""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np

from builder.errors import DataError
from builder.figures.model import Window, Windows


def month_of(index: int) -> dt.date:
    """The first day of the month with this index."""
    return dt.date(1970 + index // 12, index % 12 + 1, 1)


def index_of(day: dt.date) -> int:
    """The month index of a date."""
    return (day.year - 1970) * 12 + day.month - 1


def parse_month(text: str) -> int:
    """Month index of 'YYYY-MM'."""
    year, month = text.split("-")[:2]
    return (int(year) - 1970) * 12 + int(month) - 1


def month_end(index: int) -> dt.date:
    """The last day of the month with this index."""
    first = month_of(index)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def window(first: int, last: int) -> Window:
    """The window from the first day of month ``first`` to the last day of month ``last``."""
    return Window(month_of(first), month_end(last))


def last_complete_month(latest: dt.date) -> int:
    """The month of ``latest`` if it is the month's last day, else the month before."""
    index = index_of(latest)
    return index if latest == month_end(index) else index - 1


def earliest_month(count_months: np.ndarray, default: int = 0) -> int:
    """The first month any row counts in (``default`` when no row has a date)."""
    valid = count_months[count_months > np.iinfo("int64").min]
    return int(valid.min()) if valid.size else default


def _ways_forward(*, fits: int, later: bool) -> str:
    """What the user can do about data too short for the windows: only the ways that would work."""
    ways = [f"--window-months {fits} (the longest these data hold)"] if fits else []
    if later:
        ways.append("--period-end with a later month")
    if not ways:
        return "add the files of earlier months"
    return "use " + " or ".join(ways) + (", or add the files of earlier months" if fits else "")


def resolve_windows(
    count_months: np.ndarray,
    latest: dt.date,
    *,
    end: str | None,
    months: int,
    trend_months: int,
    end_origin: str = "--period-end",
) -> Windows:
    """Work out the last and previous windows, checking the data cover both.

    ``end_origin`` names where ``end`` came from (the option, or the config's ``period.end``
    with its file and line), so a message blames what the user wrote.
    """
    end_index = parse_month(end) if end else last_complete_month(latest)
    if end and end_index > index_of(latest):
        raise DataError(
            f"{end_origin} {end} is after the data, which end in {latest:%B %Y}; use {latest:%Y-%m} or an earlier month"
        )
    first_needed = end_index - 2 * months + 1
    earliest = earliest_month(count_months, end_index)
    if earliest > first_needed:
        raise DataError(
            f"the data start in {month_of(earliest):%B %Y} but two {months}-month windows ending "
            f"{month_of(end_index):%B %Y} need data from {month_of(first_needed):%B %Y}; "
            + _ways_forward(fits=(end_index - earliest + 1) // 2, later=end_index < last_complete_month(latest))
        )
    return Windows(
        last=window(end_index - months + 1, end_index),
        previous=window(end_index - 2 * months + 1, end_index - months),
        trend=window(max(end_index - trend_months + 1, earliest), end_index),
        months=months,
    )
