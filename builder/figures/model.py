"""Plain data holding every computed figure of a pack.

These objects are what narrative placeholders reach (``{{ robbery.change_pct | pct }}``),
what tables and charts are drawn from, and what tests check. They hold numbers, not
formatting, so the same figure is never rounded two ways in two places.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - imported for type checking only
    from builder.figures.completeness import Completeness
    from builder.figures.spc import SpcResult


@dataclass(frozen=True)
class Window:
    """An inclusive run of whole months."""

    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """'October 2017 – September 2018', as the pack prints it."""
        return f"{self.start:%B %Y} – {self.end:%B %Y}"

    @property
    def long_label(self) -> str:
        """'1 October 2017 to 30 September 2018', for table notes."""
        return f"{self.start.day} {self.start:%B %Y} to {self.end.day} {self.end:%B %Y}"

    @property
    def months(self) -> int:
        """How many months the window spans."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


@dataclass(frozen=True)
class Windows:
    """The two comparison windows and the span of the trend charts."""

    last: Window
    previous: Window
    trend: Window
    months: int


class Changing:
    """Difference, % change and direction of anything with ``last_12`` and ``previous_12``.

    Themes, table rows and all crime each hold their two counts; the arithmetic on them
    lives here once, so a theme and its table row can never compute a change two ways.
    """

    last_12: int
    previous_12: int

    @property
    def difference(self) -> int:
        """Last minus previous: positive is a rise."""
        return self.last_12 - self.previous_12

    @property
    def change_pct(self) -> float | None:
        """Percentage change, unrounded; None when there was nothing to compare with."""
        if self.previous_12 == 0:
            return None
        return 100.0 * self.difference / self.previous_12

    @property
    def direction(self) -> str:
        """'rose', 'fell' or 'unchanged'."""
        return "rose" if self.difference > 0 else "fell" if self.difference < 0 else "unchanged"


@dataclass(frozen=True)
class Change(Changing):
    """A count in the last window against the previous one."""

    label: str
    last_12: int
    previous_12: int


@dataclass(frozen=True)
class Row(Change):
    """A table row: a Change plus its share of the total and of the total increase."""

    share_pct: float = 0.0
    increase_share_pct: float | None = None


NOT_PLACES = frozenset({"No location", "Outside force area", "Unassigned"})
"""Rows of an NPT or area table that are not places (``data.context``, ``figures.compute``):
a sentence counting "districts" or naming the largest leaves them out."""


@dataclass(frozen=True)
class ComparisonTable:
    """Rows ordered from the highest to the lowest % change, and their total.

    ``aliases`` maps other names of a row to its label (a crime type's name in the data,
    when the pack prints another), so either finds it.
    """

    rows: tuple[Row, ...]
    total: Row
    aliases: dict[str, str] = field(default_factory=dict, compare=False)

    def __getitem__(self, label: str) -> Row:
        """Rows by label, so authors can write ``npt["SOT North"]``."""
        label = self.aliases.get(label, label)
        for row in self.rows:
            if row.label == label:
                return row
        raise KeyError(label)

    @property
    def places(self) -> tuple[Row, ...]:
        """The rows that are places (or categories): all but 'No location', 'Outside force area', 'Unassigned'."""
        return tuple(r for r in self.rows if r.label not in NOT_PLACES)

    @property
    def largest(self) -> Row | None:
        """The place (or category) with the most in the last window; None when there is none."""
        return max(self.places, key=lambda r: r.last_12, default=None)

    def subset(self, labels: list[str]) -> ComparisonTable:
        """The rows with these labels (in table order), with their own total: e.g. the acquisitive crime types."""
        wanted = {self.aliases.get(label, label) for label in labels}
        rows = tuple(r for r in self.rows if r.label in wanted)
        total = Row("Total", sum(r.last_12 for r in rows), sum(r.previous_12 for r in rows))
        return ComparisonTable(rows, total, self.aliases)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def keys(self) -> list[str]:
        """Row labels in table order."""
        return [row.label for row in self.rows]

    @property
    def increased(self) -> tuple[Row, ...]:
        """Rows that rose."""
        return tuple(r for r in self.rows if r.difference > 0)

    @property
    def decreased(self) -> tuple[Row, ...]:
        """Rows that fell."""
        return tuple(r for r in self.rows if r.difference < 0)

    @property
    def by_increase(self) -> tuple[Row, ...]:
        """Rows that rose, largest share of the total increase first."""
        return tuple(sorted(self.increased, key=lambda r: -(r.increase_share_pct or 0)))

    @property
    def total_increase(self) -> int:
        """Sum of the rises of the rows that rose (the base of 'share of the increase')."""
        return sum(r.difference for r in self.increased)

    @property
    def count_increased(self) -> int:
        """How many rows rose."""
        return len(self.increased)

    @property
    def count_decreased(self) -> int:
        """How many rows fell."""
        return len(self.decreased)

    @property
    def comparable(self) -> bool:
        """True when there are two or more rows to compare; the pack prints a table only then.

        In one NPT's own pack its NPT and area tables have one row each, and a sentence
        comparing NPTs has nothing to compare: ``{% if robbery.npt.comparable %}`` leaves it out.
        Rows that are not places ('No location', 'Outside force area') do not count: a
        force's area table of one area and 'No location' compares nothing either.
        """
        return len(self.places) > 1

    @property
    def shown(self) -> tuple[Row, ...]:
        """The rows a table prints: all but a not-a-place row with nothing in either window."""
        return tuple(r for r in self.rows if r.label not in NOT_PLACES or r.last_12 or r.previous_12)

    @property
    def largest_rise(self) -> Row | None:
        """The place with the highest % change, if any rose."""
        rising = [r for r in self.increased if r.label not in NOT_PLACES]
        return rising[0] if rising else None

    @property
    def largest_fall(self) -> Row | None:
        """The place with the lowest % change, if any fell."""
        falling = [r for r in self.decreased if r.label not in NOT_PLACES]
        return falling[-1] if falling else None


@dataclass(frozen=True)
class Trend:
    """A monthly series with its control limits and the sentence its signals support."""

    periods: tuple[dt.date, ...]
    values: tuple[int, ...]
    spc: SpcResult
    sentence: str

    @property
    def mean(self) -> float:
        """The mean of the latest limits group."""
        return self.spc.points[-1].mean

    @property
    def latest(self) -> int:
        """The latest month's count."""
        return self.values[-1]


@dataclass(frozen=True)
class PeerRow:
    """One force of the peer group in the comparison period."""

    force: str
    population: int | None
    """None when no population is known: the force has a change but no rate."""
    last_12: int
    previous_12: int
    is_home: bool

    @property
    def rate(self) -> float | None:
        """Crimes per 1,000 population in the last window (None without a population)."""
        return None if not self.population else 1000.0 * self.last_12 / self.population

    @property
    def change_pct(self) -> float | None:
        """Percentage change on the previous window."""
        return None if self.previous_12 == 0 else 100.0 * (self.last_12 - self.previous_12) / self.previous_12


@dataclass(frozen=True)
class PeerComparison:
    """The force's rank among its peers (1 = lowest rate, or lowest change when there are no rates).

    ``rows`` are in rank order; ``ranked_by`` says which: 'rate' when every force has a
    population, else 'change'. ``change_rank`` is the rank by percentage change either way.
    """

    group_name: str
    period: Window
    rows: tuple[PeerRow, ...]
    rank: int
    group_size: int
    group_change_pct: float | None
    home_change_pct: float | None
    ranked_by: str = "rate"
    change_rank: int | None = None

    @property
    def home(self) -> PeerRow:
        """The force's own row."""
        return next(r for r in self.rows if r.is_home)

    @property
    def home_rate(self) -> float | None:
        """The force's own rate per 1,000 (None without populations)."""
        return self.home.rate

    @property
    def rate_rank(self) -> int | None:
        """The rank by rate per 1,000 (1 = lowest), when there are rates."""
        return self.rank if self.ranked_by == "rate" else None

    @property
    def faster_than_group(self) -> bool:
        """True when the force's change is above the group's (a faster rise or slower fall)."""
        if self.group_change_pct is None or self.home_change_pct is None:
            return False
        return self.home_change_pct > self.group_change_pct


@dataclass(frozen=True)
class Standing:
    """Where one NPT or area stands: against the whole force, and among the places it is grouped with.

    A local pack has no peer forces of its own; what a neighbourhood meeting can fairly
    ask is how its place compares with the force it is part of and with the NPTs of its
    area (or, for an area, with the force's other areas). Counts rank the group, since
    NPTs have no population figures for rates.
    """

    label: str
    """The pack's own place, as labelled in the data: 'Moorlands'."""
    force: Change
    """The whole force's count of the same crimes, labelled with the force's name."""
    group: ComparisonTable
    """The place and those it is compared with (the NPTs of its area, or the force's areas)."""
    group_name: str
    """'NPTs in North area', 'areas of Staffordshire Police'."""
    kind: str = "NPT"
    """What the group's members are, as a table heads them: 'NPT' or 'area'."""

    @property
    def own(self) -> Row:
        """The place's own row of the group table."""
        return self.group[self.label]

    @property
    def group_size(self) -> int:
        """How many places the group holds, this one included."""
        return len(self.group)

    @property
    def rank(self) -> int:
        """Position by count in the last window, 1 = the most crimes ('2nd of 4')."""
        counts = sorted((r.last_12 for r in self.group), reverse=True)
        return counts.index(self.own.last_12) + 1

    @property
    def change_rank(self) -> int:
        """Position by % change, 1 = the largest rise (the group table's own order)."""
        return self.group.keys().index(self.label) + 1

    @property
    def share_of_force_pct(self) -> float:
        """The place's share of the force's crimes in the last window, in percent."""
        return 100.0 * self.own.last_12 / self.force.last_12 if self.force.last_12 else 0.0

    @property
    def share_of_force_change_pct(self) -> float | None:
        """The place's difference as a percentage of the force's (negative when they went opposite ways)."""
        return None if self.force.difference == 0 else 100.0 * self.own.difference / self.force.difference


@dataclass(frozen=True)
class Breakdown:
    """Counts by category in the last window, e.g. drug offences by offence type."""

    rows: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        """Sum of all categories."""
        return sum(n for _, n in self.rows)

    def share_pct(self, label: str) -> float:
        """A category's share of the total, in percent."""
        return 100.0 * dict(self.rows).get(label, 0) / self.total if self.total else 0.0

    def __getitem__(self, label: str) -> int:
        return dict(self.rows)[label]


@dataclass(frozen=True)
class ThemeFigures(Changing):
    """Every figure of one themed section."""

    key: str
    title: str
    crime_types: tuple[str, ...]
    last_12: int
    previous_12: int
    spc: Trend
    npt: ComparisonTable
    area: ComparisonTable
    peers: PeerComparison | None = None
    offence_types: Breakdown | None = None
    asb: Trend | None = None
    asb_change: Change | None = None
    outcomes: Trend | None = None
    outcomes_change: Change | None = None
    standing: Standing | None = None
    """In a local pack (``--by``): how its place compares with the force and its group."""

    plural: bool = False
    """Whether the title is a plural noun ("Drug offences"), for verbs and pronouns that agree with it."""

    @property
    def label(self) -> str:
        """The theme's title, as a table row's label: what phrases name it by."""
        return self.title


@dataclass(frozen=True)
class PackFigures:
    """Everything computed for one pack."""

    windows: Windows
    all_crime: Row
    all_crime_trend: Trend
    crime_types: ComparisonTable
    npt: ComparisonTable
    themes: dict[str, ThemeFigures] = field(default_factory=dict)
    completeness: Completeness | None = None
    standing: Standing | None = None
    """All crime in a local pack (``--by``) against the force and its group."""
