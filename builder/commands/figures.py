"""``perfpack figures``: every placeholder name with its value, for authors.

An author writing "robbery rose in most NPTs" needs to know that the count is
``robbery.npt.count_increased``; this lists every name the narrative can use, with
today's value, so they can search it (``perfpack figures | grep count_``) instead of
reading the code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.commands.options import by_option, source_options, window_options
from builder.narrative.helpers import NOT_AVAILABLE, date, number

if TYPE_CHECKING:  # pragma: no cover - imported in the command, so `perfpack --help` starts fast
    from builder.build.prepare import Prepared
    from builder.config.load import LoadedConfig

NAME_WIDTH_CAP = 64


@click.command("figures")
@source_options
@click.option(
    "--section",
    metavar="NAME",
    default=None,
    help="Only the names prose in this section may use: a theme key (e.g. drugs), all_crime, "
    "foreword or executive_summary.",
)
@window_options
@by_option
@click.option(
    "--scope", "place", metavar="NAME", default=None, help="With --by: whose pack, e.g. Moorlands (default: the first)."
)
def figures(
    config_path: Path,
    data: Path | None,
    section: str | None,
    window_months: int | None,
    period_end: str | None,
    by: str | None,
    place: str | None,
) -> None:
    """List every placeholder name with its value for the current data.

    With --section, the section's own names come first, then those it shares (the
    all-crime totals, the period, the cover). Write any of these names inside {{ }} in the narrative, with a filter to format it:
    {{ drugs.last_12 | number }}, {{ drugs.change_pct | pct }}, {{ drugs | change_phrase }}.
    A line "(same as X)" is a second route to X.

    With --by, the names are a local pack's: scope.described ("Moorlands NPT") and the
    figures comparing the place with the force and its group (robbery.standing.rank,
    robbery.standing.share_of_force_pct), which the force's own pack does not have.

    \b
    Example:
        perfpack figures --section drugs
        perfpack figures | grep change_pct
        perfpack figures --by npt --scope Moorlands --section robbery
    """
    from builder.build.inputs import read_inputs
    from builder.build.prepare import prepare
    from builder.config.load import load_config
    from builder.narrative.catalogue import belongs_to, figure_names, section_of

    loaded = load_config(config_path)
    if section is not None:
        _check_section(loaded, section)
    if place is not None and by is None:
        raise click.BadParameter("--scope names an NPT or area: give --by npt or --by area too", param_hint="--scope")
    prepared = prepare(read_inputs(loaded, data), window_months=window_months, period_end=period_end, by=by)
    context = prepared.context if by is None else local_context(prepared, place)
    listed = [f for f in figure_names(context) if section is None or belongs_to(f[0], section)]
    listed.sort(key=lambda f: section is not None and section_of(f[0]) != section)  # its own names first
    for line in format_figures(listed):
        click.echo(line)


def local_context(prepared: Prepared, place: str | None) -> dict[str, object]:
    """The placeholder names of one local pack: the one named, or the first."""
    from builder.build.prepare import scope_names
    from builder.narrative.context import build_context

    packs = prepared.computed.packs
    names = [p.scope.name for p in packs]
    if place is not None and place not in names:
        raise click.BadParameter(f"no pack for '{place}'; use one of: {', '.join(names)}", param_hint="--scope")
    pack = packs[names.index(place)] if place is not None else packs[0]
    if place is None and len(packs) > 1:
        click.echo(
            f"Figures of the {pack.scope.described} pack, the first of {len(packs)}; choose with --scope.", err=True
        )
    return build_context(prepared.loaded.config, pack.figures, scope_names(pack.scope))


def format_figures(listed: list[tuple[str, object]]) -> list[str]:
    """Names padded to one column, each followed by its value as an author would read it."""
    width = min(max((len(name) for name, _ in listed), default=0), NAME_WIDTH_CAP)
    return [f"{name:<{width}}  {format_value(value)}".rstrip() for name, value in listed]


def format_value(value: object) -> str:
    """Counts with separators, other numbers to two decimals, dates the UK way."""
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, (bool, str)):
        return str(value)
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, dt.date):
        return date(value)
    return str(value)


def _check_section(loaded: LoadedConfig, section: str) -> None:
    """Stop before loading the data when the section does not exist."""
    from builder.config.schema import BUILTIN_SECTIONS

    known = [*BUILTIN_SECTIONS, *(t.key for t in loaded.config.themes)]
    if section not in known:
        raise click.BadParameter(f"no section '{section}'; use one of: {', '.join(known)}", param_hint="--section")
