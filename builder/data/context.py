"""What every file reader of one load shares: settings, problems, the report, unknown labels.

Files are read one at a time (memory stays bounded by the largest file) but some
judgements need them all: a crime type unknown to the mapping is listed once with its
count across every monthly file, not once per file. ``Unknowns`` gathers those counts
with the first place each label was seen, so the message can still name file and row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from builder.config.schema import Data
from builder.data.categories import counts_by_label
from builder.data.report import VALUES, FileReport, LoadReport, Problems

OTHER = "Other"
NO_LOCATION = "No location"
OUTSIDE = "Outside force area"


@dataclass
class Unknown:
    """A label the mapping or a lookup does not know, with its count and first sighting."""

    count: int
    path: Path
    row: int
    order: int


@dataclass
class Unknowns:
    """Unknown labels by what they are ('crime type', 'NPT for Beat', …) across all files."""

    seen: dict[tuple[str, str, str], Unknown] = field(default_factory=dict)

    def record(
        self, what: str, where: str, series: pd.Series, mask: np.ndarray, rows: np.ndarray, path: Path, order: int
    ) -> None:
        """Count each label of ``series`` on the rows in ``mask``; ``where`` says which setting to fix."""
        if not mask.any():
            return
        positions = np.flatnonzero(mask)
        firsts: dict[str, Any] = {}
        for label, count in counts_by_label(series, mask).items():
            key = (what, label, where)
            if key in self.seen:
                self.seen[key].count += count
                continue
            if not firsts:
                values = series.iloc[positions].astype(str).to_numpy()
                _, index = np.unique(values, return_index=True)
                firsts = {values[i]: positions[i] for i in index}
            self.seen[key] = Unknown(count, path, int(rows[firsts[label]]), order)

    def resolve(self, policy: str, problems: Problems, report: LoadReport) -> None:
        """Errors listing each label, or warnings and re-classification counts for 'other'."""
        ranked = sorted(self.seen.items(), key=lambda kv: (kv[0][0] != "crime type", -kv[1].count, kv[0]))
        for (what, label, where), unknown in ranked:
            rows = f"{unknown.count:,} row{'s' if unknown.count != 1 else ''}"
            if policy == "error":
                problems.add(
                    VALUES,
                    unknown.path,
                    f"{what} '{label}' is not known to {where} ({rows}); "
                    f"add it there, or set data.unknown: other to count it as '{OTHER}'",
                    row=unknown.row,
                    order=unknown.order,
                )
            else:
                report.count(f"{what} '{label}' counted as '{OTHER}'", unknown.count, reclassified=True)
        if policy != "error" and ranked:
            total = sum(u.count for _, u in ranked)
            report.warnings.append(
                f"{total:,} rows had a label not known to the mapping or lookups and were "
                f"counted as '{OTHER}' (data.unknown: other)"
            )


@dataclass
class LoadContext:
    """Settings and shared state of one load."""

    config: Data
    config_folder: Path | None
    problems: Problems
    report: LoadReport
    unknowns: Unknowns = field(default_factory=Unknowns)
    lookups: list = field(default_factory=list)
    file_reports: dict[int, FileReport] = field(default_factory=dict)
    """Each data file's report by its order, for counts made once the files are stacked."""
    today: dt.date = field(default_factory=dt.date.today)
