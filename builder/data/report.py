"""What a load read, used, dropped and changed, and the problems that stop it.

Nothing may be lost silently: every row read is used, dropped with a reason, or
re-classified with a count, so the build summary and ``build-manifest.json`` can
account for the lot. Problems are collected rather than raised one at a time, so an
analyst can fix a file in one pass instead of one error per build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from builder.errors import DataError

MAX_PROBLEMS = 20
"""Most problem lines shown at once; more would hide the first, most important ones."""

# Problem ranks: a lower rank is reported first because fixing it often fixes the rest.
FILE, COLUMNS, ROWS, DATES, VALUES, DUPLICATES, SPAN = range(7)


@dataclass(frozen=True, order=True)
class Problem:
    """One line of a data error, sortable by importance, then file, then row."""

    rank: int
    file_order: int
    row: int
    sequence: int
    text: str


class Problems:
    """Collects problems across files and raises them together as one DataError."""

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        self.limit = limit
        self.items: list[Problem] = []

    def add(self, rank: int, path: Path | str, text: str, *, row: int | None = None, order: int = 0) -> None:
        """Record a problem; ``row`` is the spreadsheet row (the header is row 1)."""
        where = f"{path}: row {row}: " if row is not None else f"{path}: "
        self.items.append(Problem(rank, order, row or 0, len(self.items), where + text))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        """Stop with every problem found so far, the most important first."""
        if not self.items:
            return
        ordered, seen = [], set()
        for problem in sorted(self.items):
            if problem.text not in seen:
                seen.add(problem.text)
                ordered.append(problem)
        lines = [p.text for p in ordered[: self.limit]]
        hidden = len(ordered) - self.limit
        if hidden > 0:
            lines.append(f"… and {hidden} more problem{'s' if hidden > 1 else ''} not shown")
        raise DataError("\n".join(lines))


@dataclass
class FileReport:
    """One input file: its fingerprint, what was read from it and where every row went."""

    path: Path
    role: str
    sha256: str
    size: int
    format: str = ""
    encoding: str | None = None
    rows_read: int = 0
    crimes: int = 0
    asb: int = 0
    other_rows: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    note: str = ""

    @property
    def rows_used(self) -> int:
        """Rows that became crimes, ASB incidents or peer/lookup rows."""
        return self.crimes + self.asb + self.other_rows

    @property
    def rows_dropped(self) -> int:
        """Rows read but not used, for any reason."""
        return sum(self.dropped.values())

    def drop(self, reason: str, count: int) -> None:
        """Count ``count`` rows dropped for ``reason``."""
        if count:
            self.dropped[reason] = self.dropped.get(reason, 0) + int(count)

    def to_dict(self, shown: Callable[[Path], str] = str) -> dict[str, Any]:
        """JSON-ready, for the build manifest; ``shown`` writes the path."""
        return {
            "path": shown(self.path),
            "role": self.role,
            "format": self.format,
            "sha256": self.sha256,
            "bytes": self.size,
            "encoding": self.encoding,
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "crimes": self.crimes,
            "asb": self.asb,
            "rows_dropped": self.rows_dropped,
            "dropped": dict(self.dropped),
            "note": self.note,
        }


@dataclass
class LoadReport:
    """Everything a load did to the rows it read, for the build summary and manifest."""

    source: Path
    files: list[FileReport] = field(default_factory=list)
    crimes: int = 0
    asb: int = 0
    reclassified: dict[str, int] = field(default_factory=dict)
    counted: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def count(self, what: str, n: int, *, reclassified: bool = False) -> None:
        """Add ``n`` to a named tally (a re-classification or a fact about the rows)."""
        if n:
            target = self.reclassified if reclassified else self.counted
            target[what] = target.get(what, 0) + int(n)

    @property
    def rows_read(self) -> int:
        """Data rows read from crime and ASB files (not peers or lookups)."""
        return sum(f.rows_read for f in self.files if f.role == "data")

    @property
    def rows_used(self) -> int:
        """Data rows that became crimes or ASB incidents."""
        return sum(f.crimes + f.asb for f in self.files if f.role == "data")

    @property
    def rows_dropped(self) -> dict[str, int]:
        """Dropped data rows by reason, across files."""
        out: dict[str, int] = {}
        for report in self.files:
            for reason, n in report.dropped.items():
                out[reason] = out.get(reason, 0) + n
        return out

    def to_dict(self, shown: Callable[[Path], str] = str) -> dict[str, Any]:
        """JSON-ready, for ``build-manifest.json``; ``shown`` writes each path (relative to the project)."""
        return {
            "source": shown(self.source),
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "crimes": self.crimes,
            "asb": self.asb,
            "rows_dropped": self.rows_dropped,
            "reclassified": dict(self.reclassified),
            "counted": dict(self.counted),
            "warnings": list(self.warnings),
            "inputs": [f.to_dict(shown) for f in self.files],
        }

    def summary_lines(self) -> list[str]:
        """Short lines for the build summary: totals, then anything dropped, changed or odd."""
        files = sum(1 for f in self.files if f.role == "data")
        lines = [
            f"Read {self.rows_read:,} rows from {files} file{'s' if files != 1 else ''}: "
            f"{self.crimes:,} crimes, {self.asb:,} ASB incidents."
        ]
        lines += [f"Dropped {n:,} rows: {reason}." for reason, n in self.rows_dropped.items()]
        lines += [f"Re-classified {n:,} rows: {what}." for what, n in self.reclassified.items()]
        lines += [f"{what[0].upper()}{what[1:]}: {n:,} rows." for what, n in self.counted.items()]
        lines += [f"Warning: {w}" for w in self.warnings]
        return lines


def more(count: int) -> str:
    """' (12 rows like this)' after a problem that has more than one row."""
    return f" ({count:,} rows like this)" if count > 1 else ""


def first_row(mask: np.ndarray, rows: np.ndarray) -> tuple[int, int]:
    """The spreadsheet row of the first row in ``mask`` and how many rows are in it."""
    return int(rows[int(np.flatnonzero(mask)[0])]), int(mask.sum())
