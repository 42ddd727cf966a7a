"""Which config keys hold narrative, declared once, and every narrative field of a config.

The figure cache hashes the config *without* its narrative (so a wording edit reuses the
figures) and the renderer fills every narrative field: both read the lists below, so a
narrative key added to the schema is never cached as a figure input by mistake, nor left
unrendered.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from builder.config.load import LoadedConfig
from builder.config.schema import PackConfig

Location = tuple[str | int, ...]
"""Where a field stands in the YAML: ('themes', 2, 'narrative', 'where')."""

TEXT_SECTIONS = ("foreword", "executive_summary")
"""Top-level sections of free text: each has a ``heading`` and a ``text``."""
SECTION_KEYS = (*TEXT_SECTIONS, "all_crime")
"""Top-level keys whose whole value is narrative."""
THEME_KEYS = ("definition", "examples", "narrative")
"""Keys of each theme whose value is narrative."""
LOCAL_KEYS = ("neutral", "npt", "area")
"""Keys under ``local`` whose value is narrative (``local.peers`` decides figures, so it is not)."""


@dataclass(frozen=True)
class NarrativeField:
    """One piece of author text: the place in the pack it fills, and where it stands in the YAML."""

    location: Location
    source: str
    origin: Location | None = None
    """Where the text stands in the YAML when that is not ``location`` itself: a local
    pack's own text (``local.npt.Moorlands.themes.robbery.where``) fills the force's slot."""

    @property
    def source_location(self) -> Location:
        """Where to point an author: the key holding this text in the YAML."""
        return self.origin or self.location


def narrative_fields(loaded: LoadedConfig) -> Iterator[NarrativeField]:
    """Every narrative string in the config, with its location."""
    config = loaded.config
    for name in TEXT_SECTIONS:
        section = getattr(config, name)
        if section is not None:
            yield NarrativeField((name, "heading"), section.heading)
            yield NarrativeField((name, "text"), section.text)
    for key, value in config.all_crime.model_dump().items():
        yield NarrativeField(("all_crime", key), value)
    for i, theme in enumerate(config.themes):
        yield NarrativeField(("themes", i, "definition"), theme.definition)
        for j, example in enumerate(theme.examples):
            yield NarrativeField(("themes", i, "examples", j), example)
        for key, value in theme.narrative.model_dump().items():
            yield NarrativeField(("themes", i, "narrative", key), value)


def local_overrides(loaded: LoadedConfig, kind: str, name: str) -> Iterator[NarrativeField]:
    """The text written for one NPT's or area's own pack, each filling the force's slot."""
    places = getattr(loaded.config.local, kind, None) or {}
    text = places.get(name)
    if text is None:
        return
    at: Location = ("local", kind, name)
    for section in TEXT_SECTIONS:
        value = getattr(text, section)
        if value is not None:
            yield NarrativeField((section, "text"), value, (*at, section))
    for key, value in text.all_crime.model_dump().items():
        if value is not None:
            yield NarrativeField(("all_crime", key), value, (*at, "all_crime", key))
    index = {theme.key: i for i, theme in enumerate(loaded.config.themes)}
    for theme_key, blocks in text.themes.items():
        for key, value in blocks.model_dump().items():
            if value is not None:
                yield NarrativeField(
                    ("themes", index[theme_key], "narrative", key), value, (*at, "themes", theme_key, key)
                )


def without_narrative(config: PackConfig) -> dict[str, Any]:
    """The config as plain data less every narrative key: what figures and charts are made from."""
    dumped = config.model_dump(mode="json")
    for key in SECTION_KEYS:
        dumped.pop(key, None)
    for key in LOCAL_KEYS:
        dumped.get("local", {}).pop(key, None)
    for theme in dumped.get("themes", []):
        for key in THEME_KEYS:
            theme.pop(key, None)
    return dumped


def dotted(location: Location) -> str:
    """A location as authors read it: ``themes[3].narrative.where``."""
    out = ""
    for key in location:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def field_name(config: PackConfig, location: Location) -> str:
    """A field as authors call it: ``robbery.what_happened``, ``all_crime.trend``, ``foreword.text``.

    The theme's key stands for ``themes[i]`` and ``narrative`` is left out, so the name
    survives a theme being moved up or down the list.
    """
    if location[0] != "themes":
        return dotted(location)
    key = config.themes[int(location[1])].key
    rest = [part for part in location[2:] if part != "narrative"]
    return key + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest)
