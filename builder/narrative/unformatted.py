"""Placeholders that print a raw number: '-18.755635707844906' or '83010' in a published sentence.

A percentage is unrounded on purpose (so it is rounded once, by ``pct``); printed without
a filter it reads as noise. The renderer notes every placeholder whose printed value is
a float with more than two decimals or a whole number of 1,000 or more without
separators; this module says which filter the author should add.
"""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass

from builder.config.load import LoadedConfig
from builder.narrative.fields import Location, NarrativeField
from builder.narrative.warning import NarrativeWarning, line_in_file, section_for

MAX_DECIMALS = 2
"""More decimals than this is a number nobody rounded."""
SEPARATED_FROM = 1000
"""Whole numbers from here up need thousands separators."""


@dataclass(frozen=True)
class Printed:
    """A placeholder of one field that printed a raw number."""

    location: Location
    line: int
    """1-based line of the placeholder in its field."""
    placeholder: str
    """As written: '{{ drugs.change_pct }}'."""
    value: float | int


def is_raw(value: object) -> bool:
    """A float with more than two decimals, or a whole number of 1,000 or more: printed as Python writes it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    if isinstance(value, numbers.Integral):
        return abs(int(value)) >= SEPARATED_FROM
    decimals = repr(float(value)).partition(".")[2]
    return "e" in decimals or len(decimals) > MAX_DECIMALS or abs(float(value)) >= SEPARATED_FROM


def filter_for(placeholder: str, value: float | int) -> str:
    """The filter that prints this figure as the pack prints figures."""
    if "pct" in placeholder:
        return "pct"
    if "rate" in placeholder and not isinstance(value, numbers.Integral):
        return "number(2)"
    return "number"


def with_filter(placeholder: str, name: str) -> str:
    """'{{ drugs.change_pct }}' -> '{{ drugs.change_pct | pct }}' (a '-}}' kept)."""
    return re.sub(r"\s*(-?\}\})$", rf" | {name} \1", placeholder)


def unformatted_warnings(
    loaded: LoadedConfig, printed: list[Printed], fields: dict[Location, NarrativeField]
) -> list[NarrativeWarning]:
    """One warning per raw placeholder, naming it and the filter to add."""
    file_lines = loaded.path.read_text(encoding="utf-8-sig").splitlines()
    warnings: dict[NarrativeWarning, None] = {}
    for found in printed:
        field = fields[found.location]
        name = filter_for(found.placeholder, found.value)
        line = line_in_file(loaded, field, found.line, (found.placeholder,), file_lines)
        message = f"prints {found.value!r}; write {with_filter(found.placeholder, name)}"
        warnings[NarrativeWarning(loaded.path, line, section_for(loaded, field), found.placeholder, message)] = None
    return sorted(warnings, key=lambda w: w.line)
