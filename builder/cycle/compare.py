"""What changed between two built packs, read from the figures files their builds published.

The comparison is of published snapshots (``<name>-figures.json``, listed in each
build's manifest), never of a rebuild: "what changed since last month" must mean what
last month's readers saw. Every change is kept with the figure's name, so the same
result prints as text, as JSON for scripts and as a page for managers.
"""

from __future__ import annotations

import difflib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.cycle.snapshot import Snapshot
from builder.errors import PerfpackError

MANIFEST = "build-manifest.json"
HEADLINE_FIELDS = ("last_12", "previous_12", "difference", "change_pct")
ROW_FIELDS = ("last_12", "previous_12", "difference", "change_pct")


class DiffError(PerfpackError):
    """A folder given to ``perfpack diff`` is not a built pack."""

    exit_code = 2


@dataclass(frozen=True)
class Change:
    """One value under one name, before and after; None where the name did not exist."""

    name: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RowChange:
    """A table row that moved up or down the table, or whose counts changed."""

    table: str
    label: str
    old_position: int | None
    new_position: int | None
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class SignalChange:
    """A trend chart whose special-cause signals changed."""

    series: str
    label: str
    old: dict[str, Any]
    new: dict[str, Any]


@dataclass(frozen=True)
class ProseChange:
    """A narrative field whose printed paragraphs changed: those taken out and those put in."""

    field: str
    removed: tuple[str, ...]
    added: tuple[str, ...]


@dataclass(frozen=True)
class Revision:
    """A month both packs count, counted differently by the newer extract."""

    series: str
    label: str
    month: str
    old: int
    new: int

    @property
    def name(self) -> str:
        """The month's value as a figure name: ``all_crime.spc.values["2018-09"]``."""
        return f'{self.series}.values["{self.month}"]'


@dataclass
class PackChanges:
    """Everything that changed in one pack (one scope) between two builds."""

    scope: str
    old_period: str
    new_period: str
    figures: list[Change] = field(default_factory=list)
    headline: list[Change] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    signals: list[SignalChange] = field(default_factory=list)
    prose: list[ProseChange] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    only_in: str | None = None
    """'old' or 'new' when the pack exists in one build only (a new NPT, say)."""


def load_built(path: Path) -> list[Snapshot]:
    """The figures snapshots of a built pack folder (or a project folder with ``output/``, or a manifest)."""
    manifest = _manifest_path(path)
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DiffError(f"{manifest}: cannot be read ({exc}); rebuild the pack") from None
    listed = data.get("figures") if isinstance(data, dict) else None
    if not listed:
        raise DiffError(
            f"{manifest}: lists no figures file (not written by this perfpack); rebuild that pack with `perfpack build`"
        )
    if not isinstance(listed, list) or not all(isinstance(name, str) and name == Path(name).name for name in listed):
        raise DiffError(f"{manifest}: its 'figures' entry is not a list of file names; rebuild the pack")
    snapshots = []
    for name in listed:
        file = manifest.parent / name
        try:
            snapshot = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DiffError(f"{file}: listed in {manifest.name} but cannot be read ({exc}); rebuild the pack") from None
        problem = _malformed(snapshot)
        if problem is not None:
            raise DiffError(f"{file}: not a figures file perfpack wrote ({problem}); rebuild the pack")
        snapshots.append(snapshot)
    return snapshots


def _malformed(snapshot: object) -> str | None:
    """What in a figures file is not as ``perfpack build`` writes it, or None.

    Checked before comparing, so a hand-edited value ('lots', NaN) is refused, never
    shown as a change or turned into a traceback.
    """
    if not isinstance(snapshot, dict) or not isinstance(snapshot.get("scope"), str):
        return "no scope"
    figures = snapshot.get("figures")
    if not isinstance(figures, dict):
        return "no figures"
    for name, value in figures.items():
        if isinstance(value, float) and not math.isfinite(value):
            return f"{name} is {value}"
        if value is not None and not isinstance(value, str | int | float):
            return f"{name} is not a number or text"
    for name, series in (snapshot.get("series") or {}).items():
        values = series.get("values") if isinstance(series, dict) else None
        if not isinstance(values, dict):
            return f"series {name} has no values"
        for month, count in values.items():
            if isinstance(count, bool) or not isinstance(count, int | float) or not math.isfinite(count):
                return f"series {name} {month} is not a number"
    for key in ("tables", "signals", "narrative"):
        if not isinstance(snapshot.get(key, {}), dict):
            return f"{key} is not a mapping"
    return None


def compare_builds(old: list[Snapshot], new: list[Snapshot]) -> list[PackChanges]:
    """Pair the packs of two builds by their scope (a one-pack build pairs with a one-pack build) and compare."""
    if len(old) == 1 and len(new) == 1:
        return [compare(old[0], new[0])]
    old_by, new_by = {s["scope"]: s for s in old}, {s["scope"]: s for s in new}
    result = [compare(old_by[scope], snap) for scope, snap in new_by.items() if scope in old_by]
    result += [_alone(s, "new") for scope, s in new_by.items() if scope not in old_by]
    result += [_alone(s, "old") for scope, s in old_by.items() if scope not in new_by]
    return result


def compare(old: Snapshot, new: Snapshot) -> PackChanges:
    """Every change between two snapshots of one pack."""
    changes = PackChanges(new["scope"], old["period"]["label"], new["period"]["label"])
    changes.figures = figure_changes(old["figures"], new["figures"])
    changed = {c.name: c for c in changes.figures}
    changes.headline = [changed[n] for n in _headline_names(new) if n in changed]
    changes.rows = _row_changes(old, new, changed)
    changes.signals = _signal_changes(old, new)
    changes.prose = _prose_changes(old.get("narrative", {}), new.get("narrative", {}))
    changes.revisions = revisions(old.get("series", {}), new.get("series", {}))
    return changes


def figure_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Names whose value differs, in the newer pack's reading order; a name in one pack only has None on the other side."""
    names = [*new, *(n for n in old if n not in new)]
    return [Change(n, old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n) or (n in old) != (n in new)]


def revisions(old: dict[str, Any], new: dict[str, Any]) -> list[Revision]:
    """Months in both packs' series whose counts differ: the newer extract revised them."""
    found = []
    for name, series in new.items():
        before = old.get(name, {}).get("values", {})
        for month, value in series["values"].items():
            if month in before and before[month] != value:
                found.append(Revision(name, series["label"], month, before[month], value))
    return found


def _headline_names(snap: Snapshot) -> list[str]:
    """All crime's and each theme's totals and change, then each theme's peer rank."""
    roots = ["all_crime", *(name.removesuffix(".spc") for name in snap["series"] if name.endswith(".spc"))]
    roots = list(dict.fromkeys(roots))
    names = ["period.last"]
    for root in roots:
        names += [f"{root}.{f}" for f in HEADLINE_FIELDS] + [f"{root}.peers.rank"]
    return names


def _row_changes(old: Snapshot, new: Snapshot, changed: dict[str, Change]) -> list[RowChange]:
    found = []
    for table, labels in new["tables"].items():
        before = old["tables"].get(table, [])
        for label in [*labels, *(x for x in before if x not in labels)]:
            old_pos = before.index(label) + 1 if label in before else None
            new_pos = labels.index(label) + 1 if label in labels else None
            values = tuple(c for f in ROW_FIELDS if (c := changed.get(f'{table}["{label}"].{f}')) is not None)
            if old_pos != new_pos or values:
                found.append(RowChange(table, label, old_pos, new_pos, values))
    return found


def _signal_changes(old: Snapshot, new: Snapshot) -> list[SignalChange]:
    found = []
    for name, signal in new["signals"].items():
        before = old["signals"].get(name)
        if before is None:
            continue
        if (before["latest"], before["rule"], before["sentence"]) != (
            signal["latest"],
            signal["rule"],
            signal["sentence"],
        ):
            found.append(SignalChange(name, new["series"][name]["label"], before, signal))
    return found


def _prose_changes(old: dict[str, str], new: dict[str, str]) -> list[ProseChange]:
    """Fields whose printed paragraphs changed, paragraph by paragraph (a blank line parts them)."""
    found = []
    for name in [*new, *(n for n in old if n not in new)]:
        before, after = _paragraphs(old.get(name, "")), _paragraphs(new.get(name, ""))
        if before == after:
            continue
        removed: list[str] = []
        added: list[str] = []
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                removed += before[i1:i2]
                added += after[j1:j2]
        found.append(ProseChange(name, tuple(removed), tuple(added)))
    return found


def _paragraphs(text: str) -> list[str]:
    """Paragraphs with their line breaks joined, so re-wrapping a paragraph is no change."""
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _alone(snap: Snapshot, side: str) -> PackChanges:
    period = snap["period"]["label"]
    return PackChanges(snap["scope"], period, period, only_in=side)


def _manifest_path(path: Path) -> Path:
    for candidate in (path, path / MANIFEST, path / "output" / MANIFEST):
        if candidate.is_file() and candidate.name == MANIFEST:
            return candidate
    raise DiffError(
        f"{path}: no {MANIFEST} there; give the folder `perfpack build` wrote the pack into (its --output-dir)"
    )
