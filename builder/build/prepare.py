"""Figures per scope and their narrative: the part of a build that ``check`` and ``figures`` share.

``perfpack figures`` and ``perfpack check`` stop before the document; they call the same
functions ``build`` does (same loaders, same computation, same rendering) so they can
never describe different figures from the ones the pack prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from builder.build.inputs import Inputs, load_data
from builder.build.scopes import KIND_NAMES, Scope, split, whole, with_force_peers

if TYPE_CHECKING:
    from builder.config.load import LoadedConfig
    from builder.data.canonical import Dataset
    from builder.figures.model import PackFigures
    from builder.narrative.context import ScopeNames
    from builder.narrative.fields import Location


@dataclass(frozen=True)
class ScopeFigures:
    """One pack's scope and its computed figures."""

    scope: Scope
    figures: PackFigures


@dataclass(frozen=True)
class Computed:
    """Every pack's figures from one data load, and the whole force's."""

    force: PackFigures
    """The whole data's figures: the build's headline, and what typed figures are checked against."""
    packs: tuple[ScopeFigures, ...]
    rows: int
    report: Any = None


@dataclass(frozen=True)
class Prepared:
    """A validated config with the figures computed from its data and the names authors use."""

    inputs: Inputs
    computed: Computed
    context: dict[str, Any]
    """The placeholder names of the whole force, as ``perfpack figures`` lists them."""

    @property
    def loaded(self) -> LoadedConfig:
        """The validated config and its file."""
        return self.inputs.loaded

    @property
    def figures(self) -> PackFigures:
        """The whole force's figures."""
        return self.computed.force

    @property
    def rows(self) -> int:
        """Rows read."""
        return self.computed.rows


def prepare(
    inputs: Inputs, *, window_months: int | None = None, period_end: str | None = None, by: str | None = None
) -> Prepared:
    """Load the data, compute every scope's figures and the placeholder context.

    Raises ConfigError or DataError (one line, file and line) on anything the user can fix.
    """
    from builder.narrative.context import build_context

    computed = compute(inputs, load_data(inputs), window_months=window_months, period_end=period_end, by=by)
    return Prepared(inputs, computed, build_context(inputs.config, computed.force))


def compute(
    inputs: Inputs,
    data: Dataset,
    *,
    window_months: int | None = None,
    period_end: str | None = None,
    by: str | None = None,
) -> Computed:
    """The whole force's figures and, with ``by``, one set per scope sharing its windows and peers."""
    from builder.figures.compute import compute_figures

    config = inputs.config
    origin = (
        "--period-end" if period_end else f"{inputs.loaded.path}:{inputs.loaded.line_of(('period', 'end'))}: period.end"
    )
    force = compute_figures(config, data, window_months=window_months, period_end=period_end, end_origin=origin)
    if by is None:
        packs: tuple[ScopeFigures, ...] = (ScopeFigures(whole(inputs.loaded), force),)
    else:
        end = f"{force.windows.last.end:%Y-%m}"  # every scope compares the same months as the force
        packs = tuple(
            ScopeFigures(
                scope,
                with_force_peers(
                    compute_figures(
                        config,
                        subset,
                        window_months=window_months,
                        period_end=end,
                        end_origin=f"--by {by}: {scope.name}: the force's last month",
                    ),
                    force,
                ),
            )
            for scope, subset in split(inputs.loaded, data, by, inputs.source)
        )
    return Computed(force, packs, data.rows, data.report)


def scope_names(scope: Scope) -> ScopeNames:
    """A scope as the narrative names it."""
    from builder.narrative.context import ScopeNames

    return ScopeNames(scope.name, KIND_NAMES.get(scope.kind, scope.kind), scope.parent)


def narrate(
    loaded: LoadedConfig, computed: Computed, *, warnings: bool = True
) -> tuple[list[dict[Location, str]], list[Any]]:
    """Every pack's narrative, and every warning to heed before publishing it (``build.warnings``).

    ``warnings=False`` (the preview, which leaves them to ``perfpack check``) skips the warnings.
    """
    from builder.build.warnings import publish_warnings
    from builder.narrative.context import build_context
    from builder.narrative.placeholders import render_narrative
    from builder.narrative.unformatted import Printed

    whole = build_context(loaded.config, computed.force)
    contexts = [
        whole if p.figures is computed.force else build_context(loaded.config, p.figures, scope_names(p.scope))
        for p in computed.packs
    ]
    raw: list[Printed] = []
    narratives = [render_narrative(loaded, context, raw) for context in contexts]
    if not warnings:
        return narratives, []
    packs = [(p.scope.name, context) for p, context in zip(computed.packs, contexts)]
    return narratives, publish_warnings(loaded, whole, packs, raw, computed.force.completeness)
