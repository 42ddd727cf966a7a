"""What a project's narrative was written against: last cycle's text and the figures it quoted.

``perfpack new NEXT --from LAST`` records, beside the new config, a hash of each
narrative field's text and the figures its section quotes as LAST's data gave them
(``config/pack.last-cycle.json``). ``perfpack check`` then knows which fields nobody
has touched since, and whether the figures under them have moved (``cycle.stale``).
"""

from __future__ import annotations

import hashlib
import json
import numbers
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from builder.config.load import LoadedConfig
from builder.cycle.snapshot import plain
from builder.narrative.catalogue import Alias, figure_names
from builder.narrative.fields import TEXT_SECTIONS, Location, field_name, narrative_fields

FORMAT = 1
SUFFIX = ".last-cycle.json"
HEADLINE = ("last_12", "previous_12", "difference")
_BLOCK = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\s*(?:\"[^\"]*\"|'[^']*'|\d+)\s*\])*")


def baseline_path(config: Path) -> Path:
    """Where a config's last-cycle record lives: beside it, named after it."""
    return config.with_name(f"{config.stem}{SUFFIX}")


def record(loaded: LoadedConfig, context: Mapping[str, Any]) -> dict[str, Any]:
    """Each watched field's text hash and quoted figures, as ``loaded``'s data give them now."""
    figures = numeric_figures(context)
    fields = {}
    for item in narrative_fields(loaded):
        if not watched(item.location) or not item.source.strip():
            continue
        name = field_name(loaded.config, item.location)
        quoted = quoted_names(name, item.source, figures)
        fields[name] = {"sha256": digest(item.source), "figures": {n: figures[n] for n in quoted}}
    end = context["period"].end
    return {"format": FORMAT, "from": str(loaded.path), "period": f"{end:%B %Y}", "fields": fields}


def write(path: Path, data: dict[str, Any]) -> Path:
    """Write the record atomically."""
    partial = path.with_name(f".{path.name}.part")
    partial.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


class RecordError(Exception):
    """The last-cycle record is there but cannot be used; the message says why."""


def read(path: Path) -> dict[str, Any] | None:
    """The record, or None when there is none (a project not made with ``new --from``).

    A record that is there but damaged raises ``RecordError``: reading it as "no record"
    would silently turn the stale-narrative check off.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise RecordError(f"cannot be read ({error})") from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise RecordError(f"is not valid JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("fields"), dict):
        raise RecordError(f"is not a perfpack last-cycle record (format {FORMAT} with its fields)")
    for name, entry in data["fields"].items():
        figures = entry.get("figures") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str) or not isinstance(figures, dict):
            raise RecordError(f"has a damaged entry for '{name}'")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in figures.values()):
            raise RecordError(f"has a figure of '{name}' that is not a number")
    return data


def watched(location: Location) -> bool:
    """Prose that describes figures: theme narrative, the all-crime text, foreword and summary (not headings)."""
    head = location[0]
    if head == "themes":
        return len(location) > 2 and location[2] == "narrative"
    if head == "all_crime":
        return location[1] != "heading"
    return head in TEXT_SECTIONS and location[1] == "text"


def quoted_names(field: str, source: str, figures: Mapping[str, Any]) -> list[str]:
    """The figures a field stands on: its section's totals, then every figure its placeholders name."""
    section = field.split(".", 1)[0].split("[", 1)[0]
    root = section if f"{section}.last_12" in figures else "all_crime"
    names = [f"{root}.{h}" for h in HEADLINE]
    for match in _BLOCK.finditer(source):
        for name in _NAME.findall(match[1] or match[2] or ""):
            names.append(name.replace("'", '"'))
    return [n for n in dict.fromkeys(names) if n in figures]


def numeric_figures(context: Mapping[str, Any]) -> dict[str, float | int]:
    """Every number ``perfpack figures`` lists, by name (aliases and text left out)."""
    found = {}
    for name, value in figure_names(context):
        if isinstance(value, numbers.Real) and not isinstance(value, (bool, Alias)):
            found[name] = plain(value)
    return {n: v for n, v in found.items() if v is not None}


def digest(text: str) -> str:
    """A field's text as a hash: equal hashes mean the author has not edited it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
