"""How each local pack's place stands against the force and the places it is grouped with: pure.

Every scope of a ``--by`` run is computed from the same load, so the rows of an NPT's
group (the NPTs of its area) are taken from the other scopes' own figures. The group
table therefore shows exactly the counts each of those packs prints, and an area's
group (the force's areas) adds up to the force.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from builder.figures.model import Change, Changing, PackFigures, Standing
from builder.figures.tables import comparison_table

Pick = Callable[[PackFigures], Changing]
"""Which figure of a pack is compared: all crime, or one theme."""


@dataclass(frozen=True)
class Group:
    """One local pack's place and the places it is compared with."""

    label: str
    """The place: 'Moorlands'."""
    members: tuple[str, ...]
    """The group's labels, the place included: the NPTs of its area."""
    name: str
    """'NPTs in North area'."""
    kind: str
    """'NPT' or 'area'."""


def with_standing(
    places: Sequence[Group], figures: Sequence[PackFigures], force: PackFigures, force_name: str
) -> list[PackFigures]:
    """Each place's figures with its standing set, for all crime and for every theme."""
    by_label = dict(zip((p.label for p in places), figures))
    out = []
    for place, own in zip(places, figures):
        group = {label: by_label[label] for label in place.members if label in by_label}
        themes = {
            key: replace(theme, standing=_standing(place, group, _theme(key), force.themes[key], force_name))
            for key, theme in own.themes.items()
        }
        all_crime = _standing(place, group, _all_crime, force.all_crime, force_name)
        out.append(replace(own, themes=themes, standing=all_crime))
    return out


def _standing(place: Group, group: Mapping[str, PackFigures], pick: Pick, force: Changing, force_name: str) -> Standing:
    last = {label: pick(figures).last_12 for label, figures in group.items()}
    previous = {label: pick(figures).previous_12 for label, figures in group.items()}
    table = comparison_table(last, previous, list(group))
    force_change = Change(force_name, force.last_12, force.previous_12)
    return Standing(place.label, force_change, table, place.name, place.kind)


def _all_crime(figures: PackFigures) -> Changing:
    return figures.all_crime


def _theme(key: str) -> Pick:
    return lambda figures: figures.themes[key]
