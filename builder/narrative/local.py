"""One local pack's narrative: the place's own text, else the force's where it reads right, else a neutral sentence.

A ``--by npt`` run renders the force's narrative for every NPT with that NPT's figures.
Most of it reads right there, because it quotes figures through placeholders and names
its place through ``scope``. Some does not: "recent operations in South Staffs and
Lichfield" is about other places, and a sentence about the force's peers has nothing to
say where the pack leaves peers out. So each prose field of a local pack is, in order:

1. the text the config gives for this place (``local.npt.Moorlands…``), rendered as is;
2. the force's text rendered with the place's figures, unless it names another NPT or
   area, or needs a figure the place does not have (no robberies, no peers);
3. otherwise the neutral sentence (``local.neutral``), and a note saying why.

A mistake in the force's text (a misspelt name) still stops the build: a field that
fails for a place is rendered once more with the force's figures, and only a field the
force can fill is taken to be missing data.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from builder.config.load import LoadedConfig
from builder.errors import NarrativeError
from builder.narrative.fields import TEXT_SECTIONS, Location, NarrativeField, local_overrides, narrative_fields
from builder.narrative.phrases import and_list
from builder.narrative.placeholders import render_field
from builder.narrative.unformatted import Printed

NEUTRAL_AT: Location = ("local", "neutral")


@dataclass(frozen=True)
class Place:
    """The pack's place as its narrative needs it."""

    kind: str
    """'npt' or 'area': which block of ``local`` holds its own text."""
    name: str
    """'Moorlands', as keyed under ``local.npt``."""
    described: str
    """'Moorlands NPT', for notes."""
    elsewhere: frozenset[str]
    """NPTs and areas this pack is not about: the force's text naming one is not used here."""


@dataclass(frozen=True)
class Fallback:
    """A field of a local pack given the neutral sentence, and why."""

    location: Location
    line: int
    reason: str


@dataclass
class LocalNarrative:
    """A local pack's rendered narrative and what it was made from."""

    text: dict[Location, str] = field(default_factory=dict)
    printed: list[NarrativeField] = field(default_factory=list)
    """Every field whose text the pack prints, own or the force's: what the fact-check reads."""
    own: list[Location] = field(default_factory=list)
    """Slots filled with the place's own text."""
    neutral: list[Fallback] = field(default_factory=list)


def render_local(
    loaded: LoadedConfig,
    context: dict[str, Any],
    force_context: Mapping[str, Any],
    place: Place,
    raw: list[Printed] | None = None,
) -> LocalNarrative:
    """Every narrative field of one place's pack (see the module's docstring for the order).

    With ``raw``, the placeholders of the printed text that printed raw numbers are added to it.
    """
    own = {f.location: f for f in local_overrides(loaded, place.kind, place.name)}
    out = LocalNarrative()
    neutral: str | None = None
    for force_field in narrative_fields(loaded):
        chosen = own.get(force_field.location, force_field)
        if chosen is not force_field or not is_prose(chosen.location):
            out.text[chosen.location] = render_field(chosen, context, loaded, raw)
            out.printed.append(chosen)
            if chosen is not force_field:
                out.own.append(chosen.location)
            continue
        noted: list[Printed] = []
        text, reason = _force_text_here(chosen, context, force_context, loaded, place, noted)
        if not reason:
            out.text[chosen.location] = text
            out.printed.append(chosen)
            if raw is not None:
                raw.extend(noted)
            continue
        if neutral is None:
            neutral = render_field(NarrativeField(NEUTRAL_AT, loaded.config.local.neutral), context, loaded, raw)
        out.text[chosen.location] = neutral
        out.neutral.append(Fallback(chosen.location, loaded.line_of(chosen.location) or 1, reason))
    return out


def _force_text_here(
    field_: NarrativeField,
    context: dict[str, Any],
    force_context: Mapping[str, Any],
    loaded: LoadedConfig,
    place: Place,
    raw: list[Printed],
) -> tuple[str, str]:
    """The force's text rendered for this place and '', or '' and why it does not read right here."""
    try:
        text = render_field(field_, context, loaded, raw)
    except NarrativeError:
        render_field(field_, dict(force_context), loaded)  # a mistake in the text stops here, as for the force
        return "", f"needs a figure {place.described} does not have"
    named = places_named(text, place.elsewhere)
    return (text, "") if not named else ("", f"names {and_list(named)}")


def is_prose(location: Location) -> bool:
    """Paragraphs that may describe places: not headings, definitions or examples."""
    if location[0] in TEXT_SECTIONS:
        return location[1] == "text"
    if location[0] == "all_crime":
        return location[1] != "heading"
    return len(location) > 2 and location[2] == "narrative"


def places_named(text: str, places: Collection[str]) -> list[str]:
    """The places ``text`` names, as whole words and case as written, in order of first mention.

    The longest name wins where names overlap, so "East Staffs" is not also "East".
    """
    if not places or not text:
        return []
    names = sorted(places, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
    return list(dict.fromkeys(m.group(0) for m in pattern.finditer(text)))
