"""``perfpack sample-data``: write the synthetic sample data set, e.g. for benchmarks."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("sample-data")
@click.option(
    "--scale",
    type=click.IntRange(1, 100),
    default=1,
    show_default=True,
    help="Multiply the volume of every count (same shape), for benchmarks.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=Path("sample-data"),
    show_default=True,
    help="Folder to write crimes, asb and peers files into.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="File format of the crimes and ASB tables.",
)
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
