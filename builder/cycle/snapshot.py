"""The machine-readable copy of a built pack: every figure by name, the series, tables, signals, prose.

A build writes it beside the pack as ``<name>-figures.json`` and lists it in the build
manifest, so ``perfpack diff`` compares what was *published*, not what today's data
would give. Figures carry the names of ``perfpack figures`` (aliases left out: each
value once, under its shortest name); the monthly series are kept by month, which is
what lets a newer extract's revisions of old months be seen.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import numbers
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from builder.config.schema import PackConfig
from builder.figures.model import ComparisonTable, PackFigures, Trend
from builder.narrative.catalogue import Alias, figure_names
from builder.narrative.fields import Location, field_name

FORMAT = 1
SUFFIX = "-figures.json"

Snapshot = dict[str, Any]


def snapshot(
    config: PackConfig, figures: PackFigures, context: Mapping[str, Any], narrative: Mapping[Location, str], scope: str
) -> Snapshot:
    """Everything ``perfpack diff`` compares, as plain JSON data."""
    return {
        "format": FORMAT,
        "pack": config.name,
        "scope": scope,
        "period": {"end": f"{figures.windows.last.end:%Y-%m}", "label": f"{figures.windows.last.end:%B %Y}"},
        "figures": {name: plain(value) for name, value in figure_names(context) if not isinstance(value, Alias)},
        "series": {name: _series(label, trend) for name, label, trend in trends(config, figures)},
        "tables": {name: list(table.keys()) for name, table in _tables(figures)},
        "signals": {name: _signal(trend) for name, _, trend in trends(config, figures)},
        "narrative": {field_name(config, location): text for location, text in narrative.items() if text},
    }


def trends(config: PackConfig, figures: PackFigures) -> list[tuple[str, str, Trend]]:
    """Every monthly series of the pack: (figure name, what it counts, the trend)."""
    found = [("all_crime.spc", "all crime", figures.all_crime_trend)]
    for key, theme in figures.themes.items():
        found.append((f"{key}.spc", theme.title, theme.spc))
        if theme.asb is not None:
            found.append((f"{key}.asb", "drug-related anti-social behaviour", theme.asb))
        if theme.outcomes is not None:
            found.append((f"{key}.outcomes", f"{theme.title} positive outcomes", theme.outcomes))
    return found


def write(path: Path, data: Snapshot) -> Path:
    """Write a snapshot atomically (a reader never sees half a file)."""
    partial = path.with_name(f".{path.name}.part")
    partial.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


def plain(value: Any) -> Any:
    """A figure as JSON holds it: numbers as numbers (NaN as null), dates as ISO text."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return None if math.isnan(number) else number
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _series(label: str, trend: Trend) -> dict[str, Any]:
    return {"label": label, "values": {f"{p:%Y-%m}": int(v) for p, v in zip(trend.periods, trend.values)}}


def _signal(trend: Trend) -> dict[str, Any]:
    """What the trend chart says: the latest month's signal, the special months and the sentence."""
    latest = trend.spc.latest
    return {
        "latest": latest.point_type,
        "rule": latest.rule,
        "special": [f"{p.period:%Y-%m}" for p in trend.spc.points if p.is_special],
        "sentence": trend.sentence,
    }


def _tables(figures: PackFigures) -> list[tuple[str, ComparisonTable]]:
    found = [("crime_type", figures.crime_types), ("npt", figures.npt)]
    for key, theme in figures.themes.items():
        found += [(f"{key}.npt", theme.npt), (f"{key}.area", theme.area)]
    return found
