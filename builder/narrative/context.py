"""The names authors can use in placeholders, built from the computed figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.config.schema import PackConfig
from builder.figures.model import Changing, ComparisonTable, PackFigures, Row, Trend, Windows


@dataclass(frozen=True)
class AllCrime(Changing):
    """All crime: totals, trend, and the tables by crime type and NPT."""

    total: Row
    spc: Trend
    types: ComparisonTable
    npt: ComparisonTable

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


def build_context(config: PackConfig, figures: PackFigures) -> dict[str, Any]:
    """Every top-level name a placeholder may use."""
    all_crime = AllCrime(figures.all_crime, figures.all_crime_trend, figures.crime_types, figures.npt)
    context: dict[str, Any] = {
        "force": config.cover.force,
        "cover": config.cover,
        "period": Period(figures.windows),
        "all_crime": all_crime,
        "crime_type": figures.crime_types,
        "npt": figures.npt,
    }
    context.update(figures.themes)
    return context
