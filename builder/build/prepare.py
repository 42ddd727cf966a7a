"""Figures per scope and their narrative: the part of a build that ``check`` and ``figures`` share.

``perfpack figures`` and ``perfpack check`` stop before the document; they call the same
functions ``build`` does (same loaders, same computation, same rendering) so they can
never describe different figures from the ones the pack prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from builder.build.inputs import Inputs, load_data
from builder.build.scopes import FORCE, KIND_NAMES, Scope, split, whole, with_force_peers
from builder.errors import DataError, NarrativeError

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

    computed = compute(inputs, load_data(inputs, by), window_months=window_months, period_end=period_end, by=by)
    return Prepared(inputs, computed, build_context(inputs.config, computed.force))


def compute(
    inputs: Inputs,
    data: Dataset,
    *,
    window_months: int | None = None,
    period_end: str | None = None,
    by: str | None = None,
) -> Computed:
    """The whole data's figures and, with ``by``, one set per scope sharing its windows.

    An NPT's or area's pack shows its force's peer comparison; each force's pack of a
    ``--by force`` run is compared with its peers among the forces of the run (or the
    ONS figures), which needs every force's figures first.
    """
    from builder.build.peers import compare_forces
    from builder.data.forces import forces_in
    from builder.data.peer_sources import read_peer_sources
    from builder.figures.compute import compute_figures

    config = inputs.config
    origin = (
        "--period-end" if period_end else f"{inputs.loaded.path}:{inputs.loaded.line_of(('period', 'end'))}: period.end"
    )
    sources = read_peer_sources(config.peers, inputs.loaded.folder)
    warnings = data.report.warnings if data.report is not None else []
    force = compute_figures(config, data, window_months=window_months, period_end=period_end, end_origin=origin)
    if by != "force":
        home = next(iter(forces_in(data.crimes, None)), config.cover.force)
        force = compare_forces(config, {home: force}, sources, warnings)[home]
    end = f"{force.windows.last.end:%Y-%m}"  # every scope compares the same months as the whole data
    if by is None:
        packs: tuple[ScopeFigures, ...] = (ScopeFigures(whole(inputs.loaded), force),)
    elif by == "force":
        from builder.build.forces import split_forces

        scopes, figures = {}, {}
        for scope, subset in split_forces(inputs.loaded, data, inputs.source):
            scopes[scope.name] = scope
            try:
                figures[scope.name] = compute_figures(
                    config, subset, window_months=window_months, period_end=end, end_origin="the run's last month"
                )
            except DataError as exc:
                raise _force_error(inputs, scope.name, end, period_end, exc) from None
        compared = compare_forces(config, figures, sources, warnings)
        packs = tuple(ScopeFigures(scopes[name], compared[name]) for name in scopes)
    else:
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


def _force_error(inputs: Inputs, force: str, end: str, asked: str | None, exc: DataError) -> DataError:
    """One force's figures cannot be computed over the run's months: name the force, not just the months."""
    if asked is not None:
        return DataError(f"{inputs.source}: {force}: {exc}")
    return DataError(
        f"{inputs.source}: {force}'s data do not reach {end}, the last month of the other forces' data "
        f"({exc}); add its missing monthly files, or build every force to an earlier month with --period-end"
    )


def narrate(
    loaded: LoadedConfig, computed: Computed, *, warnings: bool = True
) -> tuple[list[dict[Location, str]], list[Any]]:
    """Every pack's narrative, and every warning to heed before publishing it (``build.warnings``).

    ``warnings=False`` (the preview, which leaves them to ``perfpack check``) skips the warnings.
    A force's pack of a ``--by force`` run names its own force (``pack_config``).
    """
    from builder.build.forces import pack_config
    from builder.build.warnings import ScopedWarning, publish_warnings
    from builder.narrative.context import build_context
    from builder.narrative.placeholders import render_narrative
    from builder.narrative.unformatted import Printed

    whole = build_context(loaded.config, computed.force)
    contexts = [
        whole
        if p.figures is computed.force
        else build_context(pack_config(loaded.config, p.scope), p.figures, scope_names(p.scope))
        for p in computed.packs
    ]
    raw: list[Printed] = []
    narratives = []
    for pack, context in zip(computed.packs, contexts):
        try:
            narratives.append(render_narrative(loaded, context, raw))
        except NarrativeError as exc:
            if len(computed.packs) == 1:
                raise
            raise NarrativeError(f"{exc} (in the pack for {pack.scope.name})") from None
    if not warnings:
        return narratives, []
    packs = [(p.scope.name, context) for p, context in zip(computed.packs, contexts)]
    forces = [p for p in computed.packs if p.scope.kind == FORCE and p.figures is not computed.force]
    if not forces:
        return narratives, publish_warnings(loaded, whole, packs, raw, computed.force.completeness)
    # --by force: each force's own months are judged, and the warning names the force
    found = publish_warnings(loaded, whole, packs, raw, None)
    for pack in forces:
        if pack.figures.completeness is not None:
            found += [ScopedWarning(w, (pack.scope.name,)) for w in pack.figures.completeness.warnings()]
    return narratives, found
