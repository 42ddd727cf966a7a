"""Figures per scope and their narrative: the part of a build that ``check`` and ``figures`` share.

``perfpack figures`` and ``perfpack check`` stop before the document; they call the same
functions ``build`` does (same loaders, same computation, same rendering) so they can
never describe different figures from the ones the pack prints.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from builder.build.inputs import Inputs, load_data
from builder.build.scopes import FORCE, KIND_NAMES, Scope, split, whole, with_force_peers
from builder.errors import ConfigError, DataError, NarrativeError
from builder.figures.model import NOT_PLACES

if TYPE_CHECKING:
    from builder.config.load import LoadedConfig
    from builder.data.canonical import Dataset
    from builder.figures.model import PackFigures
    from builder.narrative.context import ScopeNames
    from builder.narrative.fields import Location
    from builder.narrative.local import LocalNarrative, Place

NOT_NAMES = NOT_PLACES | {"Other"}
"""Catch-all NPT and area labels (with ``data.context.OTHER``, whose module imports pandas):
words, not places a text might name."""


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
        packs = local_packs(inputs, data, by, force)
    return Computed(force, packs, data.rows, data.report)


def local_packs(inputs: Inputs, data: Dataset, by: str, force: PackFigures) -> tuple[ScopeFigures, ...]:
    """One pack's figures per NPT or area, each compared with the force and with its group.

    Each is counted in the force's own windows: a place whose crimes stop or start sooner
    (none last month, a new NPT) gets zeros there, not a refused build.
    """
    from builder.figures.compute import compute_figures
    from builder.figures.standing import Group, with_standing

    config = inputs.config
    scopes, figures = [], []
    for scope, subset in split(inputs.loaded, data, by, inputs.source):
        scopes.append(scope)
        own = compute_figures(config, subset, windows=force.windows)
        figures.append(local_peers(own, force, config.local.peers))
    places = [Group(s.name, s.group, group_name(s), KIND_NAMES[s.kind]) for s in scopes]
    figures = with_standing(places, figures, force, config.cover.force)
    return tuple(map(ScopeFigures, scopes, figures))


def local_peers(figures: PackFigures, force: PackFigures, choice: str) -> PackFigures:
    """Peers are forces: a local pack shows the force's comparison ('force') or none ('leave_out').

    A place's own counts against the force's population would be no rate at all, so the
    comparison computed from the place's data is never kept.
    """
    if choice == "force":
        return with_force_peers(figures, force)
    return replace(figures, themes={k: replace(t, peers=None) for k, t in figures.themes.items()})


def group_name(scope: Scope) -> str:
    """Who a local pack is compared with: 'NPTs in North area', 'areas of Staffordshire Police'."""
    if scope.kind == "npt":
        return f"NPTs in {scope.area} area" if scope.area else "NPTs"
    return f"{KIND_NAMES.get(scope.kind, scope.kind)}s of {scope.parent}"


def scope_names(scope: Scope) -> ScopeNames:
    """A scope as the narrative names it."""
    from builder.narrative.context import ScopeNames

    return ScopeNames(scope.name, KIND_NAMES.get(scope.kind, scope.kind), scope.parent, scope.area)


def _force_error(inputs: Inputs, force: str, end: str, asked: str | None, exc: DataError) -> DataError:
    """One force's figures cannot be computed over the run's months: name the force, not just the months."""
    if asked is not None:
        return DataError(f"{inputs.source}: {force}: {exc}")
    return DataError(
        f"{inputs.source}: {force}'s data do not reach {end}, the last month of the other forces' data "
        f"({exc}); add its missing monthly files, or build every force to an earlier month with --period-end"
    )


@dataclass(frozen=True)
class Narrated:
    """Every pack's narrative, the warnings to heed before publishing, and how each local pack's text was chosen."""

    texts: list[dict[Location, str]]
    warnings: list[Any]
    local: list[tuple[Scope, LocalNarrative]]
    """Each local pack's own text and neutral sentences (empty for a whole-force build)."""


def narrate(loaded: LoadedConfig, computed: Computed, *, warnings: bool = True) -> Narrated:
    """Every pack's narrative, and every warning to heed before publishing it (``build.warnings``).

    ``warnings=False`` (the preview, which leaves them to ``perfpack check``) skips the warnings.
    A force's pack of a ``--by force`` run names its own force (``pack_config``).

    A local pack (``--by npt|area``) takes its place's own text, else the force's where it
    reads right there, else the neutral sentence (``narrative.local``); what it prints is
    fact-checked against its own figures.
    """
    from builder.build.forces import pack_config
    from builder.build.warnings import PackText, ScopedWarning, publish_warnings
    from builder.narrative.context import build_context
    from builder.narrative.local import render_local
    from builder.narrative.placeholders import render_narrative
    from builder.narrative.unformatted import Printed

    check_local_names(loaded, computed)
    whole = build_context(loaded.config, computed.force)
    raw: list[Printed] = []
    texts, local, packs = [], [], []
    for pack in computed.packs:
        try:
            if pack.figures is computed.force:
                texts.append(render_narrative(loaded, whole, raw))
                packs.append(PackText(pack.scope.name, whole))
                continue
            context = build_context(pack_config(loaded.config, pack.scope), pack.figures, scope_names(pack.scope))
            if not pack.scope.local:  # a force of a --by force run: its own pack, not part of another
                texts.append(render_narrative(loaded, context, raw))
                packs.append(PackText(pack.scope.name, context))
                continue
            rendered = render_local(loaded, context, whole, local_place(pack, computed.force), raw)
        except NarrativeError as exc:
            if len(computed.packs) == 1:
                raise
            raise NarrativeError(f"{exc} (in the pack for {pack.scope.described})") from None
        texts.append(rendered.text)
        local.append((pack.scope, rendered))
        packs.append(PackText(pack.scope.described, context, tuple(rendered.printed)))
    if not warnings:
        return Narrated(texts, [], local)
    forces = [p for p in computed.packs if p.scope.kind == FORCE and p.figures is not computed.force]
    if not forces:
        return Narrated(texts, publish_warnings(loaded, whole, packs, raw, computed.force.completeness), local)
    # --by force: each force's own months are judged, and the warning names the force
    found = publish_warnings(loaded, whole, packs, raw, None)
    for pack in forces:
        if pack.figures.completeness is not None:
            found += [ScopedWarning(w, (pack.scope.name,)) for w in pack.figures.completeness.warnings()]
    return Narrated(texts, found, local)


def local_place(pack: ScopeFigures, force: PackFigures) -> Place:
    """A local pack's place: its name and the NPTs and areas it is not about."""
    from builder.narrative.local import Place

    scope = pack.scope
    areas = {row.label for theme in force.themes.values() for row in theme.area}
    known = {row.label for row in force.npt} | areas | (set(scope.group) if scope.kind == "area" else set())
    own = {scope.name, scope.area, *(row.label for row in pack.figures.npt)}
    return Place(scope.kind, scope.name, scope.described, frozenset(known - own - NOT_NAMES))


def check_local_names(loaded: LoadedConfig, computed: Computed) -> None:
    """Text written for a place the run has no pack for is a typo, not something to ignore."""
    import difflib

    kinds = {p.scope.kind for p in computed.packs if p.scope.local}
    for kind in kinds & {"npt", "area"}:
        names = [p.scope.name for p in computed.packs if p.scope.kind == kind]
        for name in getattr(loaded.config.local, kind):
            if name not in names:
                close = difflib.get_close_matches(name, names, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise ConfigError(
                    f"{loaded.path}:{loaded.line_of(('local', kind, name)) or 1}: local.{kind}.{name}: the data have "
                    f"no {KIND_NAMES[kind]} '{name}'; {hint}the {KIND_NAMES[kind]}s are: {', '.join(names)}"
                )
