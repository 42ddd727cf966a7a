"""``perfpack check``: everything a build checks, in seconds, without making a document.

Authors edit the YAML many times before a meeting; this validates the config and the
data, renders every narrative field (so a misspelt placeholder stops here, with its
file and line) and fact-checks the figures they typed. With ``--pack`` it checks a
built pack instead.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.build.scopes import KIND_NAMES
from builder.commands.options import by_option, source_options, strict_option, window_options
from builder.errors import PerfpackError

if TYPE_CHECKING:  # pragma: no cover - imported in the command, so `perfpack --help` starts fast
    from builder.build.scopes import Scope
    from builder.config.load import LoadedConfig
    from builder.narrative.fields import Location
    from builder.narrative.local import LocalNarrative


@click.command("check")
@source_options
@strict_option
@click.option(
    "--pack",
    "pack_file",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Check a built pack (.docx, with the .pdf and .html beside it; or a .html alone) instead of the config.",
)
@window_options
@by_option
def check(
    config_path: Path,
    data: Path | None,
    strict: bool | None,
    pack_file: Path | None,
    window_months: int | None,
    period_end: str | None,
    by: str | None,
) -> None:
    """Check the config, the data and the narrative without building the pack.

    Renders every narrative field and the Word template, and compares each figure typed
    into the prose (such as "419" or "26%") with the figures of what its sentence is about
    and of its kind (a change, a share, a count, a rate, a rank), allowing for rounding. Also warns of
    placeholders that print raw numbers, text left to replace (TBC, TODO, XX, [insert …])
    and months of the data that look incomplete. Each warning names the file and line,
    or the month. Errors exit 2; warnings exit 0, or 1 with --strict (or strict: true).

    With --by npt or --by area, every local pack's narrative is rendered with its own
    figures and checked against them; a note names each field that gets the neutral
    sentence (local.neutral) instead of the force's text, and why.

    \b
    Example:
        perfpack check
        perfpack check --by npt
        perfpack check --strict --config config/pack.yaml --data extract/
        perfpack check --strict --by npt --period-end 2018-06
        perfpack check --pack output/public-performance-pack-2018-11.docx
        perfpack check --pack output/public-performance-pack-2018-11.html
    """
    if pack_file is not None:
        check_built_pack(pack_file, bool(strict))
        return
    from builder.build.documents import template_context
    from builder.build.inputs import read_inputs, template_path
    from builder.build.prepare import narrate, prepare
    from builder.cycle.stale import stale_warnings
    from builder.render.template import check_template

    started = time.perf_counter()
    inputs = read_inputs(config_path, data)
    prepared = prepare(inputs, window_months=window_months, period_end=period_end, by=by)
    narrated = narrate(prepared.loaded, prepared.computed)
    found = narrated.warnings + stale_warnings(prepared.loaded, prepared.figures)
    report = prepared.computed.report
    warnings = [*found, *(f"data: {w}" for w in (report.warnings if report is not None else []))]
    check_template(
        template_path(prepared.loaded), template_context(prepared.loaded.config, prepared.computed.packs[0].scope)
    )
    fields = narrated.texts[0]
    for line in local_notes(prepared.loaded, narrated.local):
        click.echo(f"note: {line}")
    for kind in ("npt", "area"):
        if by is None and getattr(prepared.loaded.config.local, kind):
            click.echo(
                f"note: the text under local.{kind} is used in local packs only; `perfpack check --by {kind}` checks it"
            )
    for warning in warnings:
        click.echo(f"warning: {warning}")
    count = len(narrated.texts)
    packs = f", {count} pack{'s' if count != 1 else ''}" if by else ""
    click.echo(
        f"Checked {prepared.loaded.path}: {prepared.rows:,} rows{packs}, {len(fields)} narrative fields, "
        f"{_plural(len(warnings), 'warning')} in {time.perf_counter() - started:.1f} s"
    )
    reason = "--strict" if strict else "strict: true in the config"
    strict = inputs.config.strict if strict is None else strict
    _fail_if(strict and bool(warnings), f"{_plural(len(warnings), 'warning')} and {reason}")


def local_notes(loaded: LoadedConfig, local: list[tuple[Scope, LocalNarrative]]) -> list[str]:
    """One line per field and reason that gives local packs the neutral sentence: which packs, and how to say more."""
    from builder.narrative.fields import field_name

    grouped: dict[tuple[Location, int, str], list[Scope]] = {}
    for scope, narrative in local:
        for fallback in narrative.neutral:
            grouped.setdefault((fallback.location, fallback.line, fallback.reason), []).append(scope)
    lines = []
    for (location, line, reason), scopes in grouped.items():
        kind = KIND_NAMES.get(scopes[0].kind, scopes[0].kind)
        packs = f"the {scopes[0].described} pack" if len(scopes) == 1 else f"{len(scopes)} {kind} packs"
        names = "" if len(scopes) == 1 else f" ({', '.join(s.name for s in scopes)})"
        own = own_text_key(loaded, scopes[0] if len(scopes) == 1 else None, location, scopes[0].kind)
        lines.append(
            f"{loaded.path}:{line}: {field_name(loaded.config, location)}: the force's text {reason}; {packs} "
            f"{'says' if len(scopes) == 1 else 'say'} the neutral "
            f"sentence instead{names}. Write {own} to say more"
        )
    return lines


def own_text_key(loaded: LoadedConfig, scope: Scope | None, location: Location, kind: str) -> str:
    """Where a place's own text for a slot goes: 'local.npt.Moorlands.themes.tomv.what_doing'."""
    if location[0] == "themes":
        tail = f"themes.{loaded.config.themes[int(location[1])].key}.{location[3]}"
    elif location[0] == "all_crime":
        tail = f"all_crime.{location[1]}"
    else:
        tail = str(location[0])
    name = "<name>" if scope is None else scope.name if " " not in scope.name else f'"{scope.name}"'
    return f"local.{kind}.{name}.{tail}"


def check_built_pack(path: Path, strict: bool) -> None:
    """Run the checks of a finished pack (or of its web page alone) and print their report."""
    try:
        from builder.check.pack import check_html, check_pack
    except ModuleNotFoundError as exc:
        if exc.name not in ("builder.check", "builder.check.pack"):
            raise
        raise PerfpackError("checking a built pack is not available in this version of perfpack") from None
    if path.suffix.lower() in (".html", ".htm"):
        if not path.is_file():
            raise click.BadParameter(
                f"{path} does not exist; build the pack first or fix the path", param_hint="--pack"
            )
        report = check_html(path)
    else:
        docx, pdf = pack_files(path)
        report = check_pack(docx, pdf)
    click.echo(report.format())
    _fail_if(strict and bool(report.problems), f"{_plural(len(report.problems), 'problem')} and --strict")


def pack_files(path: Path) -> tuple[Path, Path | None]:
    """The .docx and, when it exists, the .pdf of the same name, from either one."""
    docx, pdf = path.with_suffix(".docx"), path.with_suffix(".pdf")
    if path.suffix.lower() not in (".docx", ".pdf"):
        raise click.BadParameter(f"{path} is not a .docx, .pdf or .html pack", param_hint="--pack")
    if not docx.exists():
        raise click.BadParameter(f"{docx} does not exist; build the pack first or fix the path", param_hint="--pack")
    return docx, pdf if pdf.exists() else None


def _fail_if(condition: bool, reason: str) -> None:
    if condition:
        click.echo(f"check failed: {reason}", err=True)
        click.get_current_context().exit(1)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
