"""Charts placed by the narrative: ``{{ chart("drug_asb") }}`` on a line of its own.

A section's charts come in a fixed order unless its text says where one belongs. The
``chart`` function writes a marker paragraph into the rendered narrative; the layout
replaces it with the chart and leaves the chart out of its usual place. Names are the
section's own: for every theme ``trend`` and ``npt``, and the drugs extras under the
names the config gives them; for the All Crime Summary ``trend``, ``type_shares``,
``increase_shares`` and ``npt``.
"""

from __future__ import annotations

import re

THEME_CHARTS = ("trend", "npt", "drug_offence_types", "drug_asb", "positive_outcomes")
ALL_CRIME_CHARTS = ("trend", "type_shares", "increase_shares", "npt")
MARK = "\u2063chart:{}\u2063"
"""The paragraph a placed chart stands in for; invisible separators keep it apart from any author text."""
_MARKED = re.compile("\u2063chart:([a-z_]+)\u2063")


def chart(name: str) -> str:
    """Place the section's chart ``name`` here, as a paragraph of its own."""
    known = sorted({*THEME_CHARTS, *ALL_CRIME_CHARTS})
    if name not in known:
        raise ValueError(f"there is no chart called '{name}'; the charts are {', '.join(known)}")
    return f"\n\n{MARK.format(name)}\n\n"


def placed(text: str) -> str | None:
    """The chart a paragraph places, when it is nothing but a marker."""
    match = _MARKED.fullmatch(text.strip())
    return match.group(1) if match else None


def placements(*texts: str) -> list[str]:
    """Every chart the rendered texts place, in order."""
    return [name for text in texts for name in _MARKED.findall(text)]
