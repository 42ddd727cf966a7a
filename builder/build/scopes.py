"""What one pack is about: the whole force, or (``--by``) one NPT, area or force of the data.

``--by`` splits one data load into one dataset per scope; every scope then goes through
the same figures, charts, narrative and document stages as a single pack does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.errors import DataError
from builder.figures.model import NOT_PLACES
from builder.narrative.helpers import date

if TYPE_CHECKING:
    from builder.config.load import LoadedConfig
    from builder.data.canonical import Dataset
    from builder.figures.model import PackFigures

FORCE = "force"
KIND_NAMES = {"force": "force", "area": "area", "npt": "NPT"}
"""How a pack's kind of place is written in prose: 'Moorlands NPT', 'North area'."""
MAX_SLUG_BYTES = 120
"""Bytes of a label kept in a file name (file systems allow 255 for the whole name)."""


@dataclass(frozen=True)
class Scope:
    """What a pack covers, and the names its files and title take from it."""

    kind: str
    """'force' for a whole-force pack, else the ``--by`` column: 'npt', 'area' or 'force'."""
    name: str
    """The place: the force's name, or the NPT's, area's or force's label in the data."""
    stem: str
    """File name of the pack without extension."""
    title: str
    """The document title (PDF and .docx properties)."""
    parent: str = ""
    """The place this one is part of (the force of an NPT or area); empty for a whole force."""
    area: str = ""
    """For an NPT, the area it belongs to; empty otherwise."""
    group: tuple[str, ...] = ()
    """The places a local pack compares itself with, itself included: the NPTs of an NPT's
    area, or every area of the force for an area; empty for a whole force."""

    @property
    def local(self) -> bool:
        """True for a pack about part of the data (``--by``), not the config's whole force."""
        return self.kind != FORCE

    @property
    def described(self) -> str:
        """'Moorlands NPT', 'North area'; a whole force is its name alone."""
        return f"{self.name} {KIND_NAMES[self.kind]}" if self.local and self.kind in KIND_NAMES else self.name

    @property
    def folder(self) -> str:
        """A sub-folder name for this scope's charts (unique per run, like the stem)."""
        return self.stem


def whole(loaded: LoadedConfig) -> Scope:
    """The single pack of a plain build: the config's force, named by the config."""
    return Scope(FORCE, loaded.config.cover.force, loaded.config.name, pack_title(loaded))


def pack_title(loaded: LoadedConfig) -> str:
    """'Staffordshire Police: Public Performance Meeting, 9 November 2018'."""
    cover = loaded.config.cover
    return f"{cover.force}: {cover.title}, {date(cover.meeting_date)}"


def split(loaded: LoadedConfig, data: Dataset, by: str, source: Path) -> Iterator[tuple[Scope, Dataset]]:
    """One (scope, dataset) per value of the ``by`` column, in label order, from one load."""
    from builder.figures.compute import apply_areas

    crimes = apply_areas(data.crimes, loaded.config.areas)
    asb = apply_areas(data.asb, loaded.config.areas) if data.asb is not None else None
    if by not in crimes.columns:
        raise DataError(f"{source}: the data have no '{by}' column, so --by {by} cannot split them")
    keys = _Keys(crimes, asb, by)
    found = sorted(str(v) for v in crimes[by].dropna().unique())
    values = [v for v in found if v not in NOT_PLACES]  # their rows stay in the force's pack only
    for value in sorted(set(found) - set(values)):
        if data.report is not None:
            what = f"crimes with {KIND_NAMES[by]} '{value}' (in the force's figures, in no {KIND_NAMES[by]}'s pack)"
            data.report.count(what, keys.count(value))
    if not values:
        raise DataError(
            f"{source}: no {KIND_NAMES[by]} in the data is a place ({', '.join(found) or 'none'}), so --by {by} "
            "has no pack to write; check the lookups that place each row, or build the force's pack without --by"
        )
    stems = distinct_stems(loaded.config.name, values, by)
    areas = _area_of_each_npt(crimes) if by == "npt" else {}
    for value in values:
        area = areas.get(value, "")
        scope = Scope(
            by,
            value,
            stems[value],
            "",
            loaded.config.cover.force,
            area,
            tuple(v for v in values if areas.get(v, "") == area) if by == "npt" else tuple(values),
        )
        yield replace(scope, title=f"{pack_title(loaded)}: {scope.described}"), _subset(data, crimes, asb, keys, value)


def _area_of_each_npt(crimes: Any) -> dict[str, str]:
    """Each NPT's area: the area most of its crimes are in (an NPT normally lies in one)."""
    pairs = crimes[["npt", "area"]].dropna().astype("string")
    counts = pairs.value_counts().reset_index(name="n").sort_values(["n", "area"], ascending=[False, True])
    return {str(k): str(v) for k, v in counts.drop_duplicates("npt").set_index("npt")["area"].items()}


def distinct_stems(name: str, values: list[str], by: str) -> dict[str, str]:
    """Each label's file name, refusing two labels that would share one (before anything is written).

    'Stafford' and 'Stafford!' both make 'stafford': one pack would overwrite the other, so
    the build stops naming both rather than guessing which is which.
    """
    stems: dict[str, str] = {}
    owners: dict[str, str] = {}
    for value in values:
        stem = f"{name}-{slug(value)}"
        if stem.casefold() in owners:
            raise DataError(
                f"--by {by}: '{owners[stem.casefold()]}' and '{value}' would both be written as {stem}.docx; "
                f"give them names that differ in more than punctuation or case, in the data or its lookup"
            )
        owners[stem.casefold()], stems[value] = value, stem
    return stems


def with_force_peers(figures: PackFigures, force: PackFigures) -> PackFigures:
    """Peer comparisons are between forces, so an area's pack shows the force's."""
    themes = {k: replace(t, peers=force.themes[k].peers) for k, t in figures.themes.items()}
    return replace(figures, themes=themes)


def slug(value: str) -> str:
    """A file-name-safe form of a label: 'SOT North' -> 'sot-north', 'Ynys Môn' -> 'ynys-mon', '北区' -> '北区'.

    Accents are dropped, letters and digits of any script kept, everything else becomes a
    hyphen, and the result is cut to MAX_SLUG_BYTES bytes, well within any file system's limit.
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    text = re.sub(r"[\W_]+", "-", plain.casefold()).strip("-")
    return text.encode()[:MAX_SLUG_BYTES].decode("utf-8", "ignore").strip("-") or "blank"


class _Keys:
    """Each crime's and ASB incident's scope label as text, worked out once for every subset."""

    def __init__(self, crimes: Any, asb: Any, column: str) -> None:
        self.crimes = crimes[column].astype("string")
        self.asb = asb[column].astype("string") if asb is not None and column in asb.columns else None

    def count(self, value: str) -> int:
        """How many crimes have this label."""
        return int((self.crimes == value).sum())


def _subset(data: Dataset, crimes: Any, asb: Any, keys: _Keys, value: str) -> Dataset:
    """The crimes (and ASB incidents) of one scope, with only its own categories left."""
    chosen = crimes[keys.crimes == value].copy()
    for name in ("npt", "area"):
        chosen[name] = chosen[name].cat.remove_unused_categories()
    if asb is not None:
        asb = asb[keys.asb == value] if keys.asb is not None else asb.iloc[0:0]
    return replace(data, crimes=chosen.reset_index(drop=True), asb=asb)
