"""The perfpack command line: thin commands that parse options, call the library, report.

Every user-fixable problem arrives here as a PerfpackError and leaves as one line on
stderr with a non-zero exit code; nobody running a build should ever see a traceback.
"""

from __future__ import annotations

import logging

import click

from builder import __version__
from builder.errors import PerfpackError
from builder.lifetime import Stopped, stop_signals_raise
from builder.runtime import end_at_exit, pace_collector


class PerfpackGroup(click.Group):
    """A click group that turns domain errors into one line and an exit code."""

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; a PerfpackError becomes 'error: …' on stderr, never a traceback.

        SIGTERM and SIGHUP stop a command as Ctrl+C does (its clean-up runs), with the
        shell's exit code for the signal: 143 for SIGTERM, 130 for Ctrl+C.
        """
        with stop_signals_raise():
            try:
                return super().invoke(ctx)
            except PerfpackError as error:
                click.echo(f"error: {error}", err=True)
                ctx.exit(error.exit_code)
            except click.UsageError as error:  # a mistyped option: one line too, and where to look
                command = f" {error.ctx.command.name}" if error.ctx and error.ctx.command is not self else ""
                click.echo(f"error: {error.format_message()} (see `perfpack{command} --help`)", err=True)
                ctx.exit(error.exit_code)
            except Stopped as stop:
                click.echo(f"Stopped ({stop}).", err=True)
                ctx.exit(stop.exit_code)
            except KeyboardInterrupt:
                click.echo("Interrupted.", err=True)
                ctx.exit(130)


@click.group(cls=PerfpackGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="perfpack")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
def cli(verbose: bool) -> None:
    """Build a police Public Performance Meeting pack (Word, PDF and web page) from record-level data.

    \b
    Example:
        perfpack build                      # the sample pack, into output/
        perfpack build --data extract/ --config config/pack.yaml
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if verbose:  # perfpack's own stages only: the libraries' debug logs would bury them (and slow the build)
        logging.getLogger("builder").setLevel(logging.DEBUG)


def _register_commands() -> None:
    """Every command lives in its own module under ``builder.commands``."""
    from builder.commands.build import build
    from builder.commands.check import check
    from builder.commands.diff import diff
    from builder.commands.figures import figures
    from builder.commands.new import new
    from builder.commands.preview import preview
    from builder.commands.sample_data import sample_data
    from builder.commands.schema import schema
    from builder.commands.spc import spc
    from builder.commands.watch import watch

    cli.add_command(build)
    cli.add_command(sample_data)
    cli.add_command(spc)
    cli.add_command(figures)
    cli.add_command(check)
    cli.add_command(diff)
    cli.add_command(new)
    cli.add_command(watch)
    cli.add_command(preview)
    cli.add_command(schema)


_register_commands()


def main() -> None:
    """Entry point for the console script (and ``python -m builder``).

    The process collects garbage less often and ends without the interpreter's teardown
    once the command and every exit handler have run (``builder.runtime``).
    """
    pace_collector()
    status = [1]  # an unexpected error: Python prints the traceback, and 1 is its exit code
    end_at_exit(status)
    try:
        cli(prog_name="perfpack")
    except SystemExit as done:  # click always ends this way
        status[0] = _exit_status(done.code)
        raise
    except KeyboardInterrupt:
        status[0] = 130
        raise


def _exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` gives: 0 for None, the number, else 1 (a message was printed)."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1
