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

from builder.commands.options import source_options, window_options
from builder.narrative.helpers import NOT_AVAILABLE, date, number

if TYPE_CHECKING:  # pragma: no cover - imported in the command, so `perfpack --help` starts fast
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
def figures(
    config_path: Path, data: Path | None, section: str | None, window_months: int | None, period_end: str | None
) -> None:
    """List every placeholder name with its value for the current data.

    With --section, the section's own names come first, then those it shares (the
    all-crime totals, the period, the cover). Write any of these names inside {{ }} in the narrative, with a filter to format it:
    {{ drugs.last_12 | number }}, {{ drugs.change_pct | pct }}, {{ drugs | change_phrase }}.
    A line "(same as X)" is a second route to X.

    \b
    Example:
        perfpack figures --section drugs
        perfpack figures | grep change_pct
    """
    from builder.build.inputs import read_inputs
    from builder.build.prepare import prepare
    from builder.config.load import load_config
    from builder.narrative.catalogue import belongs_to, figure_names, section_of

    loaded = load_config(config_path)
    if section is not None:
        _check_section(loaded, section)
    prepared = prepare(read_inputs(loaded, data), window_months=window_months, period_end=period_end)
    listed = [f for f in figure_names(prepared.context) if section is None or belongs_to(f[0], section)]
    listed.sort(key=lambda f: section is not None and section_of(f[0]) != section)  # its own names first
    for line in format_figures(listed):
        click.echo(line)


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
