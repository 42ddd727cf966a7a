"""``perfpack build``: the pack (or one per NPT, area or force), and a report of what was made."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from builder.commands.options import by_option, output_option, source_options, window_options
from builder.errors import StrictError


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
@click.option(
    "--pdf-timeout", type=float, default=300.0, show_default=True, help="Seconds allowed for the PDF conversion."
)
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

    Writes OUTPUT_DIR/<name>.docx, the web page OUTPUT_DIR/<name>.html, the data annex
    and, unless --no-pdf, OUTPUT_DIR/<name>.pdf. A failed build leaves the previous pack
    in OUTPUT_DIR untouched. Warnings (see `perfpack check`) are printed; with --strict
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
    interactive = sys.stderr.isatty() and not quiet
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
        with _progress(interactive) as say:
            result = run_build(options, progress=say)
    except StrictError as stopped:
        for warning in stopped.warnings:
            click.echo(f"warning: {warning}", err=True)
        raise
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
    if not quiet:
        packs = len(result.docx)
        files = [*result.docx, *result.html, *result.pdf]
        written = ", ".join(str(p) for p in files[:4]) + (" …" if len(files) > 4 else "")
        reuse = " (figures and charts reused)" if result.cached else ""
        warned = result.warning_count
        click.echo(
            f"Built {packs} pack{'s' if packs != 1 else ''} from {result.rows:,} rows in "
            f"{time.perf_counter() - started:.1f} s{reuse}, with {warned or 'no'} warning{'' if warned == 1 else 's'}: "
            f"{written}"
        )


@contextmanager
def _progress(interactive: bool) -> Iterator[Callable[[str], None]]:
    """A progress line on a terminal ('charts', 'document 3/10', 'pdf 7/10'); silent otherwise."""
    if not interactive:
        yield lambda _: None
        return
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
