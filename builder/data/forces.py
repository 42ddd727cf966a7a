"""Which force each row belongs to, and which forces a load keeps when the data hold several.

police.uk publishes every force's files in one format, and a folder of them is easily
built from several forces at once. Summing them into one "force" would print a wrong
headline without a word, so a load that finds several forces keeps only the one the
config names (``data.force``, or the cover's force name matched to the data) and
counts every row it leaves out by file, or stops with one line naming the forces and
the two ways forward. ``--by force`` keeps them all, one pack each.

Names are matched loosely because the same force is spelt differently by each source:
police.uk says 'Devon & Cornwall Police', the ONS 'Devon and Cornwall', an author
'Devon and Cornwall'. The words that only say "police force" are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from builder.data.categories import counts_by_label
from builder.data.context import LoadContext
from builder.data.report import VALUES

GENERIC_WORDS = frozenset({"police", "constabulary", "service", "force", "the", "of", "area", "pfa"})
SHOWN_FORCES = 6
"""Forces named one by one in a message; more are counted ('… and 37 more')."""


def force_key(name: str) -> frozenset[str]:
    """The words that tell forces apart: 'City of London Police' and 'London, City of' give the same."""
    words = re.findall(r"[a-z0-9]+", name.lower().replace("&", " and "))
    return frozenset(w for w in words if w not in GENERIC_WORDS)


def match_force(name: str, forces: Iterable[str]) -> str | None:
    """The one force in ``forces`` that ``name`` means: spelt the same, else the same distinctive words."""
    forces = list(forces)
    if name in forces:
        return name
    key = force_key(name)
    found = [f for f in forces if key and force_key(f) == key]
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class ForceChoice:
    """What the config and the command say about the force(s) a build is about."""

    every: bool = False
    """``--by force``: keep every force, each becomes its own pack."""
    named: str | None = None
    """``data.force``: the force this pack is about; must be in the data."""
    cover: str | None = None
    """``cover.force``: used when it names one of the forces in the data."""


def forces_in(crimes: pd.DataFrame, asb: pd.DataFrame | None) -> dict[str, int]:
    """Rows (crimes and ASB incidents) of each force in the data, most first; empty without a force column."""
    counts: dict[str, int] = {}
    for frame in (crimes, asb):
        if frame is None or "force" not in frame.columns or not len(frame):
            continue
        for label, n in counts_by_label(frame["force"], np.ones(len(frame), dtype=bool)).items():
            counts[label] = counts.get(label, 0) + n
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def listed(counts: dict[str, int]) -> str:
    """'Kent Police 75,735, Cheshire Constabulary 43,589 … and 3 more'."""
    shown = ", ".join(f"{force} {n:,}" for force, n in list(counts.items())[:SHOWN_FORCES])
    rest = len(counts) - SHOWN_FORCES
    return shown + (f" … and {rest} more" if rest > 0 else "")


def keep_one_force(
    crimes: pd.DataFrame, asb: pd.DataFrame | None, choice: ForceChoice, source: Path, ctx: LoadContext
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The rows of the force the pack is about, each other force's rows dropped and counted by file.

    Data of one force (or without a force column) are returned as they are, whatever the
    cover says: the cover's wording is the author's. ``data.force`` must name a force of
    the data. Several forces with neither ``--by force`` nor a name that matches one of
    them is a problem that says how to go on.
    """
    counts = forces_in(crimes, asb)
    if not counts:
        return crimes, asb
    if choice.every:  # one pack per force: a row without a force would be in none, so it is counted
        reason = "rows with no force (the force column is blank), so in no force's pack"
        return _keep(crimes, None, reason, "crimes", ctx), (
            _keep(asb, None, reason, "asb", ctx) if asb is not None else None
        )
    if choice.named is not None:
        chosen = match_force(choice.named, counts)
        if chosen is None:
            ctx.problems.add(
                VALUES,
                source,
                f"data.force '{choice.named}' is not a force in the data (found: {listed(counts)}); "
                "use one of these names, or --by force for one pack per force",
            )
            return crimes, asb
        how = "data.force"
    elif len(counts) == 1:
        return crimes, asb
    else:
        chosen = match_force(choice.cover, counts) if choice.cover else None
        if chosen is None:
            ctx.problems.add(
                VALUES,
                source,
                f"the data hold {len(counts)} forces ({listed(counts)}) and cover.force "
                f"'{choice.cover}' is none of them; build one pack per force with --by force, "
                "or set data.force to the force this pack is about",
            )
            return crimes, asb
        how = "cover.force"
    others = {f: n for f, n in counts.items() if f != chosen}
    if not others:
        return crimes, asb
    reason = (
        f"rows of other forces than {chosen} (named by {how}): {listed(others)}; --by force builds one pack per force"
    )
    return _keep(crimes, chosen, reason, "crimes", ctx), (
        _keep(asb, chosen, reason, "asb", ctx) if asb is not None else None
    )


def _keep(frame: pd.DataFrame, force: str | None, reason: str, kind: str, ctx: LoadContext) -> pd.DataFrame:
    """The rows of ``force`` (None: of any force); each file's report drops the rest under ``reason``."""
    if "force" not in frame.columns:
        return frame
    if force is None:
        mine = frame["force"].notna().to_numpy()
    else:
        mine = (frame["force"] == force).to_numpy(na_value=False)
    if mine.all():
        return frame
    dropped = np.bincount(frame["_file"].to_numpy()[~mine].astype(np.int64))
    for order in np.flatnonzero(dropped):
        report = ctx.file_reports[int(order)]
        report.drop(reason, int(dropped[order]))
        setattr(report, kind, getattr(report, kind) - int(dropped[order]))
    return frame[mine].reset_index(drop=True)
