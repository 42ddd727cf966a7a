"""Formatting numbers and dates with UK conventions, for tables, captions and alt text.

Tables and narrative round the same way (halves away from zero), so a figure reads the
same in a sentence and in the table beside it. Narrative writes them through
``phrases``, which adds what prose needs: a true minus sign, "less than 1%", nouns that
agree with their counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from builder.figures.rounding import round_half_up
from builder.narrative import grammar

NOT_AVAILABLE = "n/a"


def number(value: float | int | None, digits: int = 0) -> str:
    """Thousands separators, halves rounded away from zero: 84187 -> '84,187'."""
    if value is None:
        return NOT_AVAILABLE
    rounded = round_half_up(float(value), digits)
    return f"{rounded:,.{digits}f}"


def pct(value: float | None, digits: int = 0) -> str:
    """A percentage from a percent number: 26.03 -> '26%', -18.76 -> '-19%', 0.3 -> '<1%'.

    A value that is not 0 but rounds to it is shown as '<1%' (or '<0.1%'), never as a
    '0%' that would say nothing happened.
    """
    if value is None:
        return NOT_AVAILABLE
    if value != 0 and round_half_up(abs(value), digits) == 0:
        return f"<{number(10.0**-digits, digits)}%"
    return f"{number(value, digits)}%"


def abs_pct(value: float | None, digits: int = 0) -> str:
    """A percentage without its sign, for sentences that say 'fell by'."""
    return NOT_AVAILABLE if value is None else pct(abs(value), digits)


def signed(value: float | int | None, digits: int = 0) -> str:
    """A number with its sign: 536 -> '+536', -416 -> '-416'."""
    if value is None:
        return NOT_AVAILABLE
    text = number(value, digits)
    return text if text.startswith("-") or text == number(0, digits) else f"+{text}"


def ordinal(value: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    if 10 <= value % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def rank(comparison: Any) -> str:
    """A peer comparison as '4th of 8'."""
    return f"{ordinal(comparison.rank)} of {comparison.group_size}"


def month(value: dt.date) -> str:
    """'July 2018'."""
    return f"{value:%B %Y}"


def date(value: dt.date) -> str:
    """'9 November 2018' (UK order, no leading zero)."""
    return f"{value.day} {value:%B %Y}"


def words(value: int) -> str:
    """Small counts as words, as style guides ask: 3 -> 'three', 0 -> 'none', 12 -> '12'."""
    return grammar.words(value)


def not_from_data(value: float | int | str) -> str:
    """A number the author vouches for (arrests, an age), printed as typed; the fact-check leaves it alone.

    Whole numbers get thousands separators, like every other figure: 1500 -> '1,500'.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return number(value)
    return number(value, len(repr(float(value)).split(".")[1]))
