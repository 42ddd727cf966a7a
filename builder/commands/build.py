"""``perfpack build``: the pack (or one per NPT, area or force), and a report of what was made."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from builder.build.options import BuildResult
from builder.commands.options import by_option, output_option, pdf_timeout_option, source_options, window_options
from builder.errors import PerfpackError, StrictError
from builder.lifetime import Stopped


@click.command("build")
@source_options
@output_option
@click.option(
    "--pdf/--no-pdf", default=True, show_default=True, help="Also write the accessible PDF (needs LibreOffice)."
)
@window_options
@by_option
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Reuse figures and charts when only the narrative changed.",
)
@click.option(
    "--check/--no-check",
    default=True,
    show_default=True,
    help="Check the built pack's accessibility and print the report.",
)
@pdf_timeout_option
@click.option(
    "--strict",
    is_flag=True,
    default=None,
    help="Fail (exit 1, publishing nothing) on any warning: use it to build a pack marked final. "
    "`strict: true` in the config does the same.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and warnings.")
def build(
    config_path: Path,
    data: Path | None,
    output_dir: Path,
    pdf: bool,
    window_months: int | None,
    period_end: str | None,
    by: str | None,
    cache: bool,
    check: bool,
    pdf_timeout: float,
    strict: bool | None,
    quiet: bool,
) -> None:
    """Build the pack: figures, tables and charts from the data, narrative from the YAML.

    Writes OUTPUT_DIR/<name>.docx, the web page OUTPUT_DIR/<name>.html, the data annex, the
    figures file and, unless --no-pdf, OUTPUT_DIR/<name>.pdf, with build-manifest.json, as one
    set: all of them or, if anything fails or the build is stopped, none, and the previous pack
    in OUTPUT_DIR is left as it was. Warnings (see `perfpack check`) are printed; with --strict
    any warning stops the build before anything is published.

    \b
    Example:
        perfpack build
        perfpack build --no-pdf --output-dir /tmp/pack
        perfpack build --by npt --no-pdf --output-dir packs/
        perfpack build --strict          # before publishing a pack marked final
    """
    from builder.build.pipeline import BuildOptions
    from builder.build.pipeline import build as run_build

    started = time.perf_counter()
    options = BuildOptions(
        config=config_path,
        data=data,
        output_dir=output_dir,
        pdf=pdf,
        by=by,
        cache=cache,
        check=check,
        window_months=window_months,
        period_end=period_end,
        pdf_timeout=pdf_timeout,
        strict=strict,
    )
    try:
        with _progress(quiet) as say:
            result = run_build(options, progress=say)
    except StrictError as refused:  # says itself that nothing was published
        for warning in refused.warnings:
            click.echo(f"warning: {warning}", err=True)
        raise
    except PerfpackError as error:
        raise error.nothing_published() from None
    except KeyboardInterrupt as stop:
        code = stop.exit_code if isinstance(stop, Stopped) else 130
        click.echo(
            f"Stopped ({str(stop) or 'Ctrl+C'}): nothing was published; the previous pack is as it was.", err=True
        )
        click.get_current_context().exit(code)
    _report(result, quiet, time.perf_counter() - started)


def _report(result: BuildResult, quiet: bool, seconds: float) -> None:
    """What the build did: what it finished of a killed build, warnings, the load summary, accessibility, the set."""
    for note in result.recovered:
        click.echo(f"note: {note}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.load_report is not None and not quiet:
        for line in result.load_report.summary_lines():
            click.echo(line, err=True)
    for report in result.reports:
        if not report.ok:
            click.echo(report.format(), err=True)
    passed = [r for r in result.reports if r.ok]
    if passed and not quiet:
        several = f" ({len(passed)} packs)" if len(passed) > 1 else ""
        click.echo(f"Accessibility{several}: {passed[0].summary()}", err=True)
    if result.removed:
        click.echo(f"Removed {', '.join(result.removed)}: part of the previous set, not made by this build.", err=True)
    if not quiet:
        for line in summary(result, seconds):
            click.echo(line)


COMPANIONS = (".html", ".pdf", "-data.xlsx", "-figures.json")
"""The files written beside each pack's .docx, as the summary shortens them."""


def summary(result: BuildResult, seconds: float) -> list[str]:
    """What was built: one line for a single pack; for several, a line naming each pack and its files."""
    packs = len(result.docx)
    reuse = " (figures and charts reused)" if result.cached else ""
    warned = result.warning_count
    head = (
        f"Built {packs} pack{'s' if packs != 1 else ''} from {result.rows:,} rows in {seconds:.1f} s{reuse}, "
        f"with {warned or 'no'} warning{'' if warned == 1 else 's'}"
    )
    if packs == 1 or len(result.local) != packs:
        files = [*result.docx, *result.html, *result.pdf]
        written = ", ".join(str(p) for p in files[:4]) + (" …" if len(files) > 4 else "")
        return [f"{head}: {written}"]
    width = max(len(scope.described) for scope, _ in result.local)
    beside = {p.name for p in [*result.html, *result.pdf, *result.annex, *result.figure_files]}
    lines = [f"{head}, in {result.docx[0].parent}:"]
    for docx, (scope, narrative) in zip(result.docx, result.local):
        names = [docx.name, *(end for end in COMPANIONS if docx.stem + end in beside)]
        notes = [_count(len(narrative.own), "own text"), _count(len(narrative.neutral), "neutral sentence")]
        said = "; ".join(n for n in notes if n)
        lines.append(f"  {scope.described:<{width}}  {', '.join(names)}" + (f"  ({said})" if said else ""))
    if any(narrative.neutral for _, narrative in result.local):
        kind = result.local[0][0].kind
        lines.append(
            f"A neutral sentence stands where the force's text does not fit a place; "
            f"`perfpack check --by {kind}` says where and why."
        )
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}" if n else ""


STAGE_WORDS = {
    "config": "reading the config",
    "load": "loading the data",
    "compute": "computing the figures",
    "narrative": "filling the narrative",
    "charts": "drawing the charts",
    "document": "writing the documents",
    "pdf": "converting to PDF",
    "publish": "publishing the set",
    "check": "checking accessibility",
}
"""How each stage reads in a log."""


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str], None]]:
    """A progress bar on a terminal ('charts', 'document 3/10', 'pdf 7/10'); one plain line per stage in a log."""
    if quiet:
        yield lambda _: None
    elif sys.stderr.isatty():
        with _bar() as say:
            yield say
    else:
        yield _plain_lines()


def _plain_lines() -> Callable[[str], None]:
    """'perfpack: loading the data', once per stage and per pack, for a scheduler's log."""
    last = ""

    def say(step: str) -> None:
        nonlocal last
        if step == last:
            return
        last = step
        name, _, count = step.partition(" ")
        words = STAGE_WORDS.get(name, name)
        done, _, total = count.partition("/")
        click.echo(f"perfpack: {words}" + (f" ({done} of {total})" if total else ""))

    return say


@contextmanager
def _bar() -> Iterator[Callable[[str], None]]:
    """A progress line on a terminal ('charts', 'document 3/10', 'pdf 7/10')."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("config", total=None)

        def say(step: str) -> None:
            name, _, count = step.partition(" ")
            done, _, total = count.partition("/")
            if total:
                bar.update(task, description=name, completed=int(done) - (name == "document"), total=int(total))
            else:
                bar.update(task, description=name, completed=0, total=None)

        yield say
