"""Config, data, figures and placeholder context: what every command that reads the data needs.

``perfpack figures`` and ``perfpack check`` stop before the document; they share this
with ``build`` (same loaders, same computation) so they can never describe different
figures from the ones the pack prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - the real imports are in the functions, so the CLI starts fast
    from builder.config.load import LoadedConfig
    from builder.figures.model import PackFigures

DEFAULT_CONFIG = Path("config/pack.yaml")


@dataclass(frozen=True)
class Prepared:
    """A validated config with the figures computed from its data and the names authors use."""

    loaded: LoadedConfig
    figures: PackFigures
    context: dict[str, Any]
    rows: int


def prepare(config: Path, data: Path | None = None, *, window_months: int | None = None,
            period_end: str | None = None) -> Prepared:
    """Load and validate config and data, compute the figures, build the placeholder context.

    Raises ConfigError or DataError (one line, file and line) on anything the user can fix.
    """
    from builder.config.load import load_config

    return prepare_loaded(load_config(config), data, window_months=window_months, period_end=period_end)


def prepare_loaded(loaded: LoadedConfig, data: Path | None = None, *, window_months: int | None = None,
                   period_end: str | None = None) -> Prepared:
    """As :func:`prepare`, for a config already loaded (so options can be checked against it first)."""
    from builder.figures.compute import compute_figures
    from builder.narrative.context import build_context
    from builder.sources import check_theme_types, load_data

    dataset = load_data(loaded, data)
    check_theme_types(loaded, dataset)
    figures = compute_figures(loaded.config, dataset, window_months=window_months, period_end=period_end)
    return Prepared(loaded, figures, build_context(loaded.config, figures), dataset.rows)
