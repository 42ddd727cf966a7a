"""Meeting and report dates: the rule a date follows, the same rule a cycle later, and working days.

Meetings are fixed as "the second Friday of the month", not "the 9th": adding a month
to 9 November gives Sunday 9 December. So a date's rule is inferred from the date itself
(its weekday and which one of the month it is) and applied to the next cycle's month.
A date that still lands on a weekend or an England-and-Wales bank holiday is reported,
never moved silently: only the author knows whether the meeting moves earlier or later.
Bank holidays come from the maintained ``holidays`` package, not a hand-kept list.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

ORDINALS = ("first", "second", "third", "fourth")
WEEKDAYS = tuple(calendar.day_name)


@dataclass(frozen=True)
class WeekdayRule:
    """'The second Friday of the month' (``nth`` 1-4) or 'the last Friday' (``nth`` -1)."""

    weekday: int
    nth: int

    def __str__(self) -> str:
        which = "last" if self.nth == -1 else ORDINALS[self.nth - 1]
        return f"{which} {WEEKDAYS[self.weekday]} of the month"

    def in_month(self, year: int, month: int) -> dt.date:
        """The day this rule gives in a month."""
        days = [d for d in _days_of(year, month) if d.weekday() == self.weekday]
        return days[-1] if self.nth == -1 else days[self.nth - 1]


def infer_rule(day: dt.date) -> WeekdayRule:
    """The rule a date follows: the 9 November 2018 is the second Friday.

    A fifth weekday (the 29th to the 31st) can only mean "the last"; a fourth that is also
    the last is read as "the fourth", the commoner rule, and the author sees it printed.
    """
    nth = (day.day - 1) // 7 + 1
    return WeekdayRule(day.weekday(), -1 if nth == 5 else nth)


def parse_rule(text: str) -> WeekdayRule | None:
    """'last Friday of the month' (as ``str(rule)`` writes it, in a date's comment) back to its rule."""
    words = text.strip().lstrip("#").strip().casefold().split()
    if len(words) < 2:
        return None
    which, day = words[0], words[1].capitalize()
    ordinals = [o.casefold() for o in ORDINALS]
    if day not in WEEKDAYS or (which != "last" and which not in ordinals):
        return None
    return WeekdayRule(WEEKDAYS.index(day), -1 if which == "last" else ordinals.index(which) + 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the last day of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    year, month = shift_month(day.year, day.month, months)
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    """The (year, month) ``months`` after (year, month)."""
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def move_by_rule(day: dt.date, months: int, said: WeekdayRule | None = None) -> tuple[dt.date, WeekdayRule]:
    """The date ``months`` later by the weekday rule ``day`` follows, and that rule.

    ``said`` is the rule written beside the date (by the last ``new --from``, or edited by
    the author): it wins, so "the last Friday" stays the last even in a month where it is
    also the fourth, and an author changes the rule by editing the comment.
    """
    rule = said if said is not None else infer_rule(day)
    year, month = shift_month(day.year, day.month, months)
    return rule.in_month(year, month), rule


def non_working(day: dt.date) -> str | None:
    """Why ``day`` is not a working day in England and Wales ('a Saturday', 'Christmas Day'), or None."""
    if day.weekday() >= 5:
        return f"a {WEEKDAYS[day.weekday()]}"
    name = _bank_holidays(day.year).get(day)
    return f"{name}, a bank holiday in England and Wales" if name else None


def working_day_before(day: dt.date) -> dt.date:
    """The last working day before ``day``: the usual place to move a meeting that falls on a holiday."""
    day -= dt.timedelta(days=1)
    while non_working(day):
        day -= dt.timedelta(days=1)
    return day


@lru_cache(maxsize=16)
def _bank_holidays(year: int) -> dict[dt.date, str]:
    import holidays

    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year).items())


def _days_of(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
