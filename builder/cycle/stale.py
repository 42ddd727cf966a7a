"""Stale narrative: a field kept word for word from the last cycle while the figures under it moved.

Placeholders keep every quoted number right, but the prose around them ("robbery is
concentrated in the north", "the operation has brought it down") was written for last
cycle's figures. A field is flagged when its text is unchanged since the record made by
``perfpack new --from`` and a figure its section quotes moved by more than
``review.threshold_pct`` (a percentage: by more than that many points), or a rise
became a fall. Editing the field or listing it under ``review.reviewed`` clears it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.config.load import LoadedConfig
from builder.cycle import baseline
from builder.figures.model import PackFigures
from builder.narrative.fields import field_name, narrative_fields
from builder.narrative.helpers import number


@dataclass(frozen=True)
class StaleWarning:
    """One field to re-read, and the figure that moved most under it."""

    path: Path
    line: int | None
    field: str
    since: str
    figure: str
    old: float
    new: float
    more: int = 0

    def __str__(self) -> str:
        others = f" (and {self.more} more)" if self.more else ""
        return (
            f"{self.path}:{self.line}: {self.field}: unchanged since {self.since} while {self.figure} went from "
            f"{_show(self.old)} to {_show(self.new)}{others} — re-read it, then edit it or list it under "
            "review.reviewed"
        )


@dataclass(frozen=True)
class ReviewWarning:
    """A name under ``review.reviewed`` that is no narrative field: the mark would silently do nothing."""

    path: Path
    line: int | None
    name: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: review.reviewed: '{self.name}' is not a narrative field; "
            "use a name from the stale-narrative warning, e.g. robbery.what_happened"
        )


@dataclass(frozen=True)
class RecordWarning:
    """The last-cycle record is damaged: the stale-narrative check could not be made."""

    path: Path
    why: str

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.why}, so no narrative could be checked for staleness; "
            "restore the file from the last cycle's project or version control"
        )


def stale_warnings(loaded: LoadedConfig, figures: PackFigures) -> list[StaleWarning | ReviewWarning | RecordWarning]:
    """One warning per unedited, unreviewed field whose figures moved; nothing without a last-cycle record."""
    path = baseline.baseline_path(loaded.path)
    try:
        record = baseline.read(path)
    except baseline.RecordError as error:
        return [RecordWarning(path, str(error))]
    if record is None:
        return []
    from builder.narrative.context import build_context

    review = loaded.config.review
    current = baseline.numeric_figures(build_context(loaded.config, figures))
    found: list[StaleWarning | ReviewWarning | RecordWarning] = []
    names = set()
    for item in narrative_fields(loaded):
        name = field_name(loaded.config, item.location)
        names.add(name)
        entry = record["fields"].get(name)
        if entry is None or name in review.reviewed or baseline.digest(item.source) != entry["sha256"]:
            continue
        moved = sorted(
            (
                (_size(n, old, current[n]), n, old, current[n])
                for n, old in entry["figures"].items()
                if n in current and beyond(n, old, current[n], review.threshold_pct)
            ),
            reverse=True,
        )
        if moved:
            _, figure, old, new = moved[0]
            line = loaded.line_of(item.location)
            found.append(StaleWarning(loaded.path, line, name, record["period"], figure, old, new, len(moved) - 1))
    for i, name in enumerate(review.reviewed):
        if name not in names:
            found.append(ReviewWarning(loaded.path, loaded.line_of(("review", "reviewed", i)), name))
    return found


def beyond(name: str, old: float, new: float, threshold_pct: float) -> bool:
    """Whether a figure moved enough for prose written around it to need re-reading."""
    if (old > 0 > new) or (old < 0 < new):
        return True  # a rise became a fall, or the other way
    if name.endswith("_pct"):
        return abs(new - old) > threshold_pct
    return abs(new - old) > threshold_pct / 100 * abs(old) if old else new != 0


def _size(name: str, old: float, new: float) -> float:
    """How far a figure moved, comparably across counts and percentages (for choosing which to name)."""
    if name.endswith("_pct"):
        return abs(new - old) / 100
    return abs(new - old) / abs(old) if old else float("inf")


def _show(value: float) -> str:
    return number(value) if float(value).is_integer() else f"{value:,.1f}"
