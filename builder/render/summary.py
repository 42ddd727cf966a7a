"""The summary across forces of a ``--by force`` run: one row of headline figures per force.

Regional collaborations and inspectors read many forces' packs at once; this table puts
each pack's headline beside the others' (the figures the packs print, from the same
computation), with a last row for all the forces of the run together. It is written
twice: a CSV for analysts, and a web page beside the packs' HTML editions that links
each force to its own pack.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment

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


PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font-family: Arial, sans-serif; color: #0b0c0c; max-width: 75rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { color: #12436d; }
a { color: #1d70b8; } a:focus { outline: 3px solid #ffdd00; background: #ffdd00; color: #0b0c0c; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 0 0 1.5rem; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
td, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tfoot th, tfoot td { font-weight: bold; }
</style>
</head>
<body>
<main>
<h1>{{ title }}</h1>
<p>{{ last }} compared with {{ previous }}: recorded crimes in each force's pack. Each force's
name opens its pack.</p>
<div class="scroll" role="region" aria-label="{{ caption }}" tabindex="0">
<table>
<caption>{{ caption }}</caption>
<thead>
<tr><th scope="col">Force</th><th scope="col" class="n">All crime, {{ last }}</th><th scope="col" class="n">All crime, {{ previous }}</th><th scope="col" class="n">All crime, % change</th>
{% for key, name in themes %}<th scope="col" class="n">{{ name }}, {{ last }}</th><th scope="col" class="n">{{ name }}, % change</th>{% endfor %}</tr>
</thead>
<tbody>
{% for row in rows %}<tr><th scope="row"><a href="{{ row.link }}">{{ row.force }}</a></th>{% for cell in row.cells %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
<tfoot><tr><th scope="row">{{ total.force }}</th>{% for cell in total.cells %}<td>{{ cell }}</td>{% endfor %}</tr></tfoot>
</table>
</div>
</main>
</body>
</html>
"""


def write_forces_page(
    path: Path,
    packs: Sequence[tuple[str, str, PackFigures]],
    total: PackFigures,
    themes: Sequence[tuple[str, str]],
    title: str,
) -> Path:
    """Write ``path``: the run's headline figures as an accessible page linking each force's HTML pack."""
    windows = total.windows
    rows = [
        {"force": force, "link": f"{stem}.html", "cells": _page_cells(figures, themes)}
        for force, stem, figures in packs
    ]
    environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    html = environment.from_string(PAGE).render(
        title=title,
        caption=f"Recorded crime by force, {windows.last.label} and {windows.previous.label}",
        last=windows.last.label,
        previous=windows.previous.label,
        themes=themes,
        rows=rows,
        total={"force": ALL_FORCES, "cells": _page_cells(total, themes)},
    )
    path.write_text(html, encoding="utf-8")
    return path


def _page_cells(figures: PackFigures, themes: Sequence[tuple[str, str]]) -> list[str]:
    """All crime's last, previous and change, then each theme's last and change, as the page prints them."""
    crime = figures.all_crime
    cells = [f"{crime.last_12:,}", f"{crime.previous_12:,}", _change(crime)]
    for key, _ in themes:
        theme = figures.themes[key]
        cells += [f"{theme.last_12:,}", _change(theme)]
    return cells


def _change(item: Changing) -> str:
    """'+3.2%', '-0.4%', or 'n/a' from nothing."""
    change = item.change_pct
    return "n/a" if change is None else f"{round_half_up(change, 1):+.1f}%"
