"""Which forces each pack is compared with, and where their figures come from.

A peers table (source 'file') is compared as the figures are computed. The other two
sources need every pack's figures first: 'run' compares the forces of one ``--by force``
run with each other, counted exactly as their packs are (the default there), and 'ons'
compares a force with the ONS rolling-year totals by Police Force Area. Group and
population files are keyed by whatever names they use; each is matched to the data's
force names here, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from builder.data.forces import force_key, match_force
from builder.figures.peers import compare_group, ons_counts, run_peers
from builder.figures.periods import parse_month, window

if TYPE_CHECKING:
    from builder.config.schema import PackConfig, Peers
    from builder.data.peer_sources import PeerSources
    from builder.figures.model import PackFigures

ALL_FORCES = "Forces of England and Wales"
V = TypeVar("V")


def source_of(config: PackConfig, forces: int) -> str | None:
    """The peer source a build uses: the config's, else 'run' when the run has several forces."""
    if config.peers is not None:
        return config.peers.source
    return "run" if forces > 1 else None


def compare_forces(
    config: PackConfig, figures: dict[str, PackFigures], sources: PeerSources, warnings: list[str]
) -> dict[str, PackFigures]:
    """Each force's figures (keyed by its name in the data) with the 'run' or 'ons' comparison added.

    Figures are returned unchanged for a peers table (compared already) or no peers.
    """
    source = source_of(config, len(figures))
    peers = config.peers
    if source == "run":
        if len(figures) < 2:
            warnings.append("peers.source 'run' needs several forces in the data (--by force); no peer comparison")
            return figures
        groups = rekey(sources.groups, figures) if sources.groups is not None else None
        if groups is not None:
            _warn_ungrouped(figures, groups, warnings)
        populations = rekey(sources.populations, figures) if sources.populations is not None else None
        if populations is not None and len(populations) < len(figures):
            missing = sorted(set(figures) - set(populations))
            warnings.append(
                f"peers.populations has no population for {', '.join(missing)}; forces are ranked by change"
            )
        return run_peers(figures, groups, populations, peers.group_name if peers else None)
    if source == "ons" and peers is not None and sources.ons is not None:
        return {force: _ons(force, own, peers, sources, warnings) for force, own in figures.items()}
    return figures


def rekey(mapping: Mapping[str, V], names: Iterable[str]) -> dict[str, V]:
    """``mapping``'s values under the matching names of ``names`` (names no key matches are left out)."""
    by_key: dict[frozenset[str], list[str]] = {}
    for key in mapping:
        by_key.setdefault(force_key(key), []).append(key)
    out = {}
    for name in names:
        if name in mapping:
            out[name] = mapping[name]
            continue
        keys = by_key.get(force_key(name), [])
        if len(keys) == 1:
            out[name] = mapping[keys[0]]
    return out


def _warn_ungrouped(figures: Mapping[str, object], groups: Mapping[str, str], warnings: list[str]) -> None:
    missing = sorted(set(figures) - set(groups))
    if missing:
        warnings.append(
            f"peers.groups has no group for {', '.join(missing)}; their packs have no peer comparison "
            "(add a row for each)"
        )


def _ons(force: str, own: PackFigures, peers: Peers, sources: PeerSources, warnings: list[str]) -> PackFigures:
    """One force's themes compared with its peers' ONS rolling-year totals."""
    from builder.data.peer_sources import ons_offences

    ons = sources.ons
    assert ons is not None
    pfas = sorted(set(ons["force"]))
    home = match_force(force, pfas)
    if home is None:
        warnings.append(f"{force} is not a Police Force Area of the ONS file; its pack has no peer comparison")
        return own
    end = peers.period_end or _latest_quarter(sorted(set(ons["period_end"])), f"{own.windows.last.end:%Y-%m}")
    if end is None:
        warnings.append(f"the ONS file has no rolling year ending by {own.windows.last.end:%B %Y}; no peer comparison")
        return own
    members, group = _ons_members(home, pfas, sources, peers)
    populations = rekey(sources.populations, members) if sources.populations is not None else None
    period = window(parse_month(end) - 11, parse_month(end))
    themes = {}
    for key, theme in own.themes.items():
        offences = ons_offences(theme.crime_types, dict(peers.offences))
        if not offences:
            warnings.append(
                f"theme '{key}': no ONS offence is counted as {', '.join(theme.crime_types)}; "
                "list them under peers.offences"
            )
            themes[key] = theme
            continue
        counts = {force if f == home else f: n for f, n in ons_counts(ons, offences, end).items() if f in members}
        if populations is not None and home in populations:  # the home row is named as in the data
            populations = {**populations, force: populations[home]}
        comparison = compare_group(force, counts, populations, group_name=group, period=period)
        themes[key] = replace(theme, peers=comparison)
    return replace(own, themes=themes)


def _ons_members(home: str, pfas: list[str], sources: PeerSources, peers: Peers) -> tuple[set[str], str]:
    """The PFAs ``home`` is compared with, and the group's name.

    The ONS file covers every force, so every force is the comparison (or the force's
    group, when groups are given), however many forces this run builds: ``source: run``
    is the way to compare only the forces of the run.
    """
    if sources.groups is not None:
        groups = rekey(sources.groups, pfas)
        group = groups.get(home)
        members = {p for p, g in groups.items() if g == group} if group is not None else {home}
        return members, peers.group_name or str(group)
    return set(pfas), peers.group_name or ALL_FORCES


def _latest_quarter(ends: list[str], by: str) -> str | None:
    """The latest rolling year in the file ending no later than ``by`` (YYYY-MM)."""
    earlier = [e for e in ends if e <= by]
    return earlier[-1] if earlier else None
