"""Whether the data look complete in the months a pack compares: pure, no I/O.

An extract taken before a month's crimes were all recorded, or a police.uk file
published short, makes a window look like a fall (or the next one like a rise) that
never happened: built from police.uk files whose December holds half the rows of its
neighbours, a pack says "crime rose by 67%" and nothing in its figures is wrong. So
every monthly series the pack compares (all crime and each theme) is read month by
month across both windows, against what the months before it lead one to expect.

A month is *low* when its count per day is

* under three quarters of the median of the months before it (up to a year of them,
  leaving out months already found low), and further below it than chance explains
  (three standard deviations of a Poisson count), or
* for all crime, whose counts are large enough for control limits to mean something,
  below the lower control limit (XmR, as the trend charts use) of those months.

Counts are compared per day, so February is not short for having 28 days. A month
with nothing at all is *missing*. Themes are not tested against control limits: a
real fall in one crime (drug offences in the sample) is a finding, not a gap.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import statistics
from dataclasses import dataclass

from builder.figures.spc import LIMIT_FACTOR

Span = tuple[dt.date, dt.date]
"""A window's first and last days."""

BASELINE_MONTHS = 12
"""Months before a month that say what to expect of it."""
MIN_BASELINE = 1
"""Fewer months than this before it (the first month of the data): the months around it instead."""
LIMITS_BASELINE = 6
"""Months needed before control limits are worked out at all."""
LOW_FRACTION = 0.75
"""A month under this fraction of the expected level is far below it."""
NOISE = 3.0
"""...as long as the shortfall is more than this many standard deviations of a Poisson count."""
SHORT_WINDOW = 12
"""Windows shorter than this compare different seasons and unequal numbers of days."""
ALL_CRIME = "All crime"
"""The label of the all-crime series, named first in messages."""


@dataclass(frozen=True)
class Series:
    """A monthly count the pack compares, from its first month."""

    label: str
    """'All crime' or a theme's title."""
    noun: str
    """What is counted, for messages: 'crimes'."""
    start: dt.date
    values: tuple[int, ...]
    limits: bool = False
    """Whether the control-limit test applies (all crime)."""

    def month(self, index: int) -> dt.date:
        """The first day of the series' ``index``-th month."""
        months = self.start.month - 1 + index
        return dt.date(self.start.year + months // 12, months % 12 + 1, 1)


@dataclass(frozen=True)
class LowMonth:
    """A month of a series far below what the months before it lead one to expect."""

    series: str
    noun: str
    month: dt.date
    count: int
    expected: float

    @property
    def missing(self) -> bool:
        """Nothing at all in that month."""
        return self.count == 0

    def detail(self) -> str:
        """'4,402 crimes in September 2018 against about 7,100 expected', the series named unless all crime."""
        counted = "none" if self.missing else f"{self.count:,}"
        what = f"{counted} {self.noun}" if self.series == ALL_CRIME else f"{self.series}: {counted}"
        return f"{what} in {self.month:%B %Y} against about {about(self.expected)} expected"

    def describe(self) -> str:
        """'September 2018: 4,402 crimes against about 7,100 expected'."""
        counted = f"no {self.noun}" if self.missing else f"{self.count:,} {self.noun}"
        return f"{self.month:%B %Y}: {counted} against about {about(self.expected)} expected"


@dataclass(frozen=True)
class CompletenessWarning:
    """One month that looks incomplete, as a build or a check reports it."""

    low: LowMonth
    also: tuple[str, ...] = ()
    """Other series low in the same month."""

    def __str__(self) -> str:
        also = f" (also low: {', '.join(self.also)})" if self.also else ""
        subject = "" if self.low.series == ALL_CRIME else f"{self.low.series}: "
        return f"data: {subject}{self.low.describe()} — is the extract complete?{also}"


@dataclass(frozen=True)
class Completeness:
    """What the pack can say about the completeness of the months it compares."""

    low: tuple[LowMonth, ...]
    """Every low or missing month of every series, all crime first, in month order."""
    months: int
    """Months in each comparison window."""
    last_days: int
    previous_days: int

    @property
    def complete(self) -> bool:
        """No month of any series looks incomplete."""
        return not self.low

    @property
    def sentence(self) -> str:
        """A sentence for the pack when a month looks incomplete; empty when none does."""
        firsts = self._first_of_each_month()
        if not firsts:
            return ""
        details = "; ".join(low.detail() for low in firsts)
        them = "them" if len(firsts) > 1 else "it"
        return (
            f"The data for {months_phrase([low.month for low in firsts])} look incomplete ({details}), so changes over periods "
            f"that include {them} may come partly from missing records rather than from crime."
        )

    @property
    def caveat(self) -> str:
        """For windows under a year: the change also reflects the season and the number of days."""
        if self.months >= SHORT_WINDOW:
            return ""
        months = "month" if self.months == 1 else f"{self.months} months"
        return (
            f"Each period compared is only {months} long ({self.last_days} days against "
            f"{self.previous_days}), so part of any change may come from the time of year and "
            "the number of days in it rather than from crime itself."
        )

    def warnings(self) -> list[CompletenessWarning]:
        """One warning per low month: all crime's when it is low, else the first series', naming the rest."""
        return [
            CompletenessWarning(low, tuple(o.series for o in self.low if o.month == low.month and o is not low))
            for low in self._first_of_each_month()
        ]

    def _first_of_each_month(self) -> list[LowMonth]:
        firsts: dict[dt.date, LowMonth] = {}
        for low in self.low:
            firsts.setdefault(low.month, low)
        return [firsts[m] for m in sorted(firsts)]


def assess(series: list[Series], previous: Span, last: Span, months: int) -> Completeness:
    """Every low or missing month of every series in the two comparison windows (first and last days)."""
    low = [found for s in series for found in low_months(s, previous[0], last[1])]
    order = {s.label: i for i, s in enumerate(series)}
    low.sort(key=lambda m: (m.month, order[m.series]))
    return Completeness(tuple(low), months, _span_days(last), _span_days(previous))


def low_months(series: Series, first: dt.date, last: dt.date) -> list[LowMonth]:
    """The months of one series between ``first`` and ``last`` far below what came before them."""
    rates = [v / _days(series.month(i)) for i, v in enumerate(series.values)]
    low: list[LowMonth] = []
    flagged: set[int] = set()
    for i, value in enumerate(series.values):
        month = series.month(i)
        if not first <= month <= last:
            continue
        before = [rates[j] for j in range(i) if j not in flagged][-BASELINE_MONTHS:]
        baseline = before if len(before) >= MIN_BASELINE else _around(rates, i, flagged)
        if not baseline:
            continue
        days = _days(month)
        expected = statistics.median(baseline) * days
        if _far_below(value, expected) or (
            series.limits and len(before) >= LIMITS_BASELINE and value < _lower_limit(before) * days
        ):
            flagged.add(i)
            low.append(LowMonth(series.label, series.noun, month, value, expected))
    return low


def about(value: float) -> str:
    """A level to two significant figures, as 'about 7,100' reads: 7,134 -> '7,100', 83 -> '83'."""
    if value < 100:
        return f"{round(value):,}"
    digits = math.floor(math.log10(value)) - 1
    return f"{round(value, -digits):,.0f}"


def _far_below(value: int, expected: float) -> bool:
    """Under three quarters of the expected level, by more than chance explains."""
    return value < LOW_FRACTION * expected and expected - value > NOISE * math.sqrt(expected)


def _lower_limit(rates: list[float]) -> float:
    """The XmR lower control limit of a run of daily rates."""
    ranges = [abs(b - a) for a, b in zip(rates, rates[1:])]
    return statistics.fmean(rates) - LIMIT_FACTOR * statistics.fmean(ranges)


def _around(rates: list[float], i: int, flagged: set[int]) -> list[float]:
    """Up to a year of the nearest months on either side, for a month near the start of the data."""
    others = sorted((j for j in range(len(rates)) if j != i and j not in flagged), key=lambda j: abs(j - i))
    return [rates[j] for j in others[:BASELINE_MONTHS]]


def _days(month: dt.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def _span_days(span: Span) -> int:
    return (span[1] - span[0]).days + 1


def months_phrase(months: list[dt.date]) -> str:
    """'September 2018', 'November and December 2018', 'December 2018 and January 2019'."""
    names = [f"{m:%B}" if m.year == months[-1].year else f"{m:%B %Y}" for m in months[:-1]]
    names.append(f"{months[-1]:%B %Y}")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
