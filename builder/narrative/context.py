"""The names authors can use in placeholders, built from the computed figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.config.schema import PackConfig
from builder.figures.model import Changing, ComparisonTable, PackFigures, Row, Standing, Trend, Windows
from builder.narrative.phrases import WORDING


@dataclass(frozen=True)
class AllCrime(Changing):
    """All crime: totals, trend, and the tables by crime type and NPT."""

    total: Row
    spc: Trend
    types: ComparisonTable
    npt: ComparisonTable
    standing: Standing | None = None
    """In a local pack: how its place compares with the force and its group."""

    @property
    def last_12(self) -> int:  # type: ignore[override]
        """Crimes in the last 12 months."""
        return self.total.last_12

    @property
    def previous_12(self) -> int:  # type: ignore[override]
        """Crimes in the previous 12 months."""
        return self.total.previous_12

    @property
    def increase(self) -> tuple[Row, ...]:
        """Crime types that rose, largest share of the increase first."""
        return self.types.by_increase

    @property
    def total_increase(self) -> int:
        """Sum of the rises of the types that rose (the base of 'share of the increase')."""
        return self.types.total_increase


@dataclass(frozen=True)
class Period:
    """The windows as authors refer to them."""

    windows: Windows

    @property
    def last(self) -> str:
        """'October 2017 – September 2018'."""
        return self.windows.last.label

    @property
    def previous(self) -> str:
        """'October 2016 – September 2017'."""
        return self.windows.previous.label

    @property
    def end(self):  # a date, typed loosely for Jinja
        """Last day of the last window."""
        return self.windows.last.end

    @property
    def start(self):
        """First day of the last window."""
        return self.windows.last.start

    @property
    def months(self) -> int:
        """Length of each window in months."""
        return self.windows.months


@dataclass(frozen=True)
class ScopeNames:
    """What the pack is about, as narrative names it: the whole force, or one area or NPT of it.

    Prose that names its place through these (``{{ scope.described }} recorded …``) reads
    right in every pack of a ``--by`` run, where a force's name beside a local count would not.
    """

    name: str
    """'Staffordshire Police', 'North', 'Moorlands'."""
    kind: str
    """'force', 'area' or 'NPT'."""
    parent: str
    """The force an area or NPT belongs to; empty for a force."""
    area: str = ""
    """The area an NPT belongs to ('North' for Moorlands); empty for a force or an area."""

    @property
    def local(self) -> bool:
        """True for an area's or NPT's pack."""
        return self.kind != "force"

    @property
    def described(self) -> str:
        """'Staffordshire Police', 'North area', 'Moorlands NPT'."""
        return self.name if not self.local else f"{self.name} {self.kind}"


def build_context(config: PackConfig, figures: PackFigures, scope: ScopeNames | None = None) -> dict[str, Any]:
    """Every top-level name a placeholder may use (``scope``: the whole force named by the cover)."""
    all_crime = AllCrime(figures.all_crime, figures.all_crime_trend, figures.crime_types, figures.npt, figures.standing)
    context: dict[str, Any] = {
        "force": config.cover.force,
        "scope": scope or ScopeNames(config.cover.force, "force", ""),
        "cover": config.cover,
        "period": Period(figures.windows),
        "all_crime": all_crime,
        "crime_type": figures.crime_types,
        "npt": figures.npt,
        "data_quality": figures.completeness,
        WORDING: config.wording,
    }
    context.update(figures.themes)
    return context
