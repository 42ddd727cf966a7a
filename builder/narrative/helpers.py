"""Formatting and phrase helpers for narrative, with UK conventions.

These are the Jinja filters authors use (``{{ robbery.change_pct | pct }}``). Tables use
the same functions, so a percentage reads the same in a sentence and in a table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from builder.figures.rounding import round_half_up

NOT_AVAILABLE = "n/a"


def number(value: float | int | None, digits: int = 0) -> str:
    """Thousands separators, halves rounded away from zero: 84187 -> '84,187'."""
    if value is None:
        return NOT_AVAILABLE
    rounded = round_half_up(float(value), digits)
    return f"{rounded:,.{digits}f}"


def pct(value: float | None, digits: int = 0) -> str:
    """A percentage from a percent number: 26.03 -> '26%', -18.76 -> '-19%'."""
    if value is None:
        return NOT_AVAILABLE
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


def change_phrase(item: Any, noun: str = "crimes") -> str:
    """'rose by 26% or 165 crimes', 'fell by 19% or 416 offences', 'was unchanged'.

    ``item`` is anything with ``difference`` and ``change_pct`` (a theme, a table row).
    """
    difference = item.difference
    if difference == 0:
        return "was unchanged"
    verb = "rose" if difference > 0 else "fell"
    count = number(abs(difference))
    if item.change_pct is None:
        return f"{verb} by {count} {noun}"
    return f"{verb} by {abs_pct(item.change_pct)} or {count} {noun}"


def share_of_increase(row: Any) -> str:
    """A rising row's share of the total increase: '55%' (n/a for rows that did not rise)."""
    return pct(getattr(row, "increase_share_pct", None))


def and_list(items: Any) -> str:
    """'a', 'a and b', 'a, b and c' — UK style, no serial comma."""
    words_ = [str(i) for i in items]
    return words_[0] if len(words_) == 1 else ", ".join(words_[:-1]) + " and " + words_[-1] if words_ else ""


def pct_list(rows: Any) -> str:
    """Rows as 'North (35%) and East (20%)', for sentences about where a change happened."""
    return and_list(f"{row.label} ({pct(row.change_pct)})" for row in rows)


def month(value: dt.date) -> str:
    """'July 2018'."""
    return f"{value:%B %Y}"


def date(value: dt.date) -> str:
    """'9 November 2018' (UK order, no leading zero)."""
    return f"{value.day} {value:%B %Y}"


def words(value: int) -> str:
    """Small counts as words, as style guides ask: 3 -> 'three', 12 -> '12'."""
    names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return names[value] if 0 <= value < len(names) else number(value)


def not_from_data(value: float | int | str) -> str:
    """A number the author vouches for (arrests, an age), printed as typed; the fact-check leaves it alone.

    Whole numbers get thousands separators, like every other figure: 1500 -> '1,500'.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return number(value)
    return number(value, len(repr(float(value)).split(".")[1]))


FILTERS = {
    "number": number,
    "pct": pct,
    "abs_pct": abs_pct,
    "signed": signed,
    "ordinal": ordinal,
    "rank": rank,
    "change_phrase": change_phrase,
    "share_of_increase": share_of_increase,
    "month": month,
    "date": date,
    "words": words,
    "and_list": and_list,
    "pct_list": pct_list,
    "not_from_data": not_from_data,
}
