"""The perfpack command line: thin commands that parse options, call the library, report.

Every user-fixable problem arrives here as a PerfpackError and leaves as one line on
stderr with a non-zero exit code; nobody running a build should ever see a traceback.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from builder import __version__
from builder.commands.options import output_option, source_options, window_options
from builder.errors import PerfpackError



class PerfpackGroup(click.Group):
    """A click group that turns domain errors into one line and an exit code."""

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; a PerfpackError becomes 'error: …' on stderr, never a traceback."""
        try:
            return super().invoke(ctx)
        except PerfpackError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


@click.group(cls=PerfpackGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="perfpack")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
def cli(verbose: bool) -> None:
    """Build a police Public Performance Meeting pack (Word and PDF) from record-level data.

    \b
    Example:
        perfpack build                      # the sample pack, into output/
        perfpack build --data extract/ --config config/pack.yaml
    """
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@source_options
@output_option
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="Also write the accessible PDF (needs LibreOffice).")
@window_options
@click.option("--by", type=click.Choice(["npt", "area", "force"]), default=None,
              help="Write one pack per NPT, area or force instead of one for the whole force.")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Reuse figures and charts when only the narrative changed.")
@click.option("--check/--no-check", default=True, show_default=True,
              help="Check the built pack's accessibility and print the report.")
@click.option("--pdf-timeout", type=float, default=300.0, show_default=True, help="Seconds allowed for the PDF conversion.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and warnings.")
def build(config_path: Path, data: Path | None, output_dir: Path, pdf: bool, window_months: int | None,
          period_end: str | None, by: str | None, cache: bool, check: bool, pdf_timeout: float,
          quiet: bool) -> None:
    """Build the pack: figures, tables and charts from the data, narrative from the YAML.

    Writes OUTPUT_DIR/<name>.docx and, unless --no-pdf, OUTPUT_DIR/<name>.pdf. A failed
    build leaves the previous pack in OUTPUT_DIR untouched.

    \b
    Example:
        perfpack build
        perfpack build --no-pdf --output-dir /tmp/pack
        perfpack build --by npt --no-pdf --output-dir packs/
    """
    from builder.pipeline import BuildOptions
    from builder.pipeline import build as run_build

    started = time.perf_counter()
    interactive = sys.stderr.isatty() and not quiet
    options = BuildOptions(config=config_path, data=data, output_dir=output_dir, pdf=pdf, by=by, cache=cache,
                           check=check,
                           window_months=window_months, period_end=period_end, pdf_timeout=pdf_timeout)
    with _progress(interactive) as say:
        result = run_build(options, progress=say)
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
        packs = f" ({len(passed)} packs)" if len(passed) > 1 else ""
        click.echo(f"Accessibility{packs}: {passed[0].summary()}", err=True)
    if not quiet:
        packs = len(result.docx)
        written = ", ".join(str(p) for p in [*result.docx, *result.pdf][:4]) + (" …" if packs > 2 else "")
        reuse = " (figures and charts reused)" if result.cached else ""
        click.echo(f"Built {packs} pack{'s' if packs != 1 else ''} from {result.rows:,} rows in "
                   f"{time.perf_counter() - started:.1f} s{reuse}: {written}")


@cli.command("sample-data")
@click.option("--scale", type=click.IntRange(1, 100), default=1, show_default=True,
              help="Multiply the volume of every count (same shape), for benchmarks.")
@click.option("--output", type=click.Path(path_type=Path), default=Path("sample-data"), show_default=True,
              help="Folder to write crimes, asb and peers files into.")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True,
              help="File format of the crimes and ASB tables.")
def sample_data(scale: int, output: Path, fmt: str) -> None:
    """Write the synthetic sample data set (October 2015 to September 2018).

    The sample reproduces the published 2018 pack's tables exactly at --scale 1. The
    same options always give the same files.

    \b
    Example:
        perfpack sample-data --output data/sample
        perfpack sample-data --scale 10 --format parquet --output /tmp/big
    """
    from builder.sample import generate

    paths = generate(output, scale=scale, fmt=fmt)
    for name, path in paths.items():
        click.echo(f"{name}: {path}")


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


def _register_commands() -> None:
    """Commands that live in their own modules."""
    from builder.commands.check import check
    from builder.commands.figures import figures
    from builder.commands.new import new
    from builder.commands.schema import schema
    from builder.commands.spc import spc
    from builder.commands.watch import watch

    cli.add_command(spc)
    cli.add_command(figures)
    cli.add_command(check)
    cli.add_command(new)
    cli.add_command(watch)
    cli.add_command(schema)


_register_commands()


def main() -> None:
    """Entry point for the console script."""
    cli(prog_name="perfpack")
