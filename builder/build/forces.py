"""``--by force``: one pack per force of the data, each under its own name.

A run over several forces' files is one load, split here by the force each row belongs
to (police.uk's 'Reported by', or an extract's mapped force column). Each force's pack
is a whole-force pack (a ``Scope`` of kind 'force'), so its cover, title and narrative
name the force: the config's ``cover.force`` is replaced by the force's own name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from builder.build.scopes import FORCE, Scope, slug
from builder.errors import DataError
from builder.narrative.helpers import date

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import pandas as pd

    from builder.config.load import LoadedConfig
    from builder.config.schema import PackConfig
    from builder.data.canonical import Dataset


def force_scope(loaded: LoadedConfig, force: str) -> Scope:
    """A whole-force pack for ``force``: 'Kent Police: Public Performance Meeting, 29 March 2019'."""
    cover = loaded.config.cover
    title = f"{force}: {cover.title}, {date(cover.meeting_date)}"
    return Scope(FORCE, force, f"{loaded.config.name}-{slug(force)}", title)


def pack_config(config: PackConfig, scope: Scope) -> PackConfig:
    """The config as one pack sees it: a force's pack names its own force on the cover and in the narrative."""
    if scope.kind != FORCE or scope.name == config.cover.force:
        return config
    return config.model_copy(update={"cover": config.cover.model_copy(update={"force": scope.name})})


def split_forces(loaded: LoadedConfig, data: Dataset, source: Path) -> Iterator[tuple[Scope, Dataset]]:
    """One (scope, dataset) per force, in name order, from one load.

    The rows are sorted by force once and each force's taken as one slice, so 43 forces
    cost one sort rather than 43 passes over millions of rows.
    """
    crimes = data.crimes
    if "force" not in crimes.columns:
        raise DataError(
            f"{source}: the data have no 'force' column, so --by force cannot split them; police.uk files "
            "carry one ('Reported by'), an extract needs data.mapping.columns.force"
        )
    crime_rows = _rows_by_force(crimes)
    asb_rows = _rows_by_force(data.asb) if data.asb is not None and "force" in data.asb.columns else None
    for force in sorted(crime_rows):
        chosen = _subset(crimes, crime_rows[force])
        asb = None
        if data.asb is not None:
            rows = asb_rows.get(force) if asb_rows is not None else None
            asb = _subset(data.asb, rows) if rows is not None else data.asb.iloc[0:0]
        yield force_scope(loaded, force), replace(data, crimes=chosen, asb=asb)


def _rows_by_force(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each force's row positions, from one stable sort of the force codes (rows without a force left out)."""
    import numpy as np

    codes = frame["force"].cat.codes.to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(frame["force"].cat.categories) + 1))
    return {
        str(label): order[bounds[code] : bounds[code + 1]]
        for code, label in enumerate(frame["force"].cat.categories)
        if bounds[code + 1] > bounds[code]
    }


def _subset(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The rows of one force, with only its own NPTs, areas and force name left among the categories."""
    from builder.data.categories import drop_unused

    out = frame.take(rows).reset_index(drop=True)
    for name in ("npt", "area", "force"):
        if name in out.columns and hasattr(out[name], "cat"):
            out[name] = drop_unused(out[name])
    return out
