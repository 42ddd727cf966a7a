"""The summary across forces of a ``--by force`` run: one CSV row of headline figures per force.

Regional collaborations and inspectors read many forces' packs at once; this table puts
each pack's headline beside the others' (the figures the packs print, from the same
computation), with a last row for all the forces of the run together.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from builder.figures.model import Changing, PackFigures, PeerComparison
from builder.figures.rounding import round_half_up

ALL_FORCES = "All forces in this run"


def write_forces_summary(
    path: Path, packs: Sequence[tuple[str, str, PackFigures]], total: PackFigures, theme_keys: Sequence[str]
) -> Path:
    """Write ``path``: a row per (force, pack file stem, figures), then the run's total; return the path."""
    header = ["force", "pack", "last_period", "previous_period", "peer_group", *_change_columns("all_crime")]
    for key in theme_keys:
        header += _change_columns(key)
        header += [f"{key}_rate_per_1000", f"{key}_rank_by_rate", f"{key}_rank_by_change", f"{key}_peer_group_size"]
    rows = [_row(force, stem, figures, theme_keys) for force, stem, figures in packs]
    rows.append(_row(ALL_FORCES, "", total, theme_keys, peers=False))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _change_columns(key: str) -> list[str]:
    return [f"{key}_last", f"{key}_previous", f"{key}_difference", f"{key}_change_pct"]


def _row(force: str, stem: str, figures: PackFigures, theme_keys: Sequence[str], *, peers: bool = True) -> list[object]:
    w = figures.windows
    compared = [t.peers for t in figures.themes.values() if t.peers is not None] if peers else []
    group = compared[0].group_name if compared else ""
    row: list[object] = [force, stem, w.last.label, w.previous.label, group, *_changes(figures.all_crime)]
    for key in theme_keys:
        theme = figures.themes[key]
        row += [*_changes(theme), *_peer_cells(theme.peers if peers else None)]
    return row


def _changes(item: Changing) -> list[object]:
    change = item.change_pct
    return [item.last_12, item.previous_12, item.difference, "" if change is None else round_half_up(change, 1)]


def _peer_cells(peers: PeerComparison | None) -> list[object]:
    """Rate per 1,000 and its rank (1 = lowest), rank by change (1 = lowest), group size; blank without."""
    if peers is None:
        return ["", "", "", ""]
    rate = peers.home_rate
    return [
        "" if rate is None else round_half_up(rate, 2),
        peers.rate_rank or "",
        peers.change_rank or "",
        peers.group_size,
    ]
