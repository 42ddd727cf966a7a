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
@click.option(
    "--forces",
    type=click.IntRange(1, 43),
    default=None,
    help="Instead of the sample: police.uk street files for this many forces of England and Wales.",
)
@click.option(
    "--months", type=click.IntRange(1, 120), default=36, show_default=True, help="With --forces: months of files."
)
@click.option(
    "--crimes",
    type=click.IntRange(1, None),
    default=None,
    help="With --forces: crimes in all (default: the national volume, about 20 million for 43 forces).",
)
def sample_data(scale: int, output: Path, fmt: str, forces: int | None, months: int, crimes: int | None) -> None:
    """Write the synthetic sample data set (October 2015 to September 2018).

    The sample reproduces the published 2018 pack's tables exactly at --scale 1. With
    --forces, writes synthetic police.uk street-level files instead, one folder per force
    and one file per month as police.uk publishes them (real force and district names,
    synthetic rows), for trying --by force at national scale. The same options always
    give the same files.

    \b
    Example:
        perfpack sample-data --output data/sample
        perfpack sample-data --scale 10 --format parquet --output /tmp/big
        perfpack sample-data --forces 43 --crimes 2000000 --output /tmp/national
    """
    if forces is not None:
        from builder.sample.forces import generate_forces

        written = generate_forces(output, forces, month_count=months, crimes=crimes, fmt=fmt)
        click.echo(f"{len(written)} files for {forces} forces under {output}")
        return
    from builder.sample import generate

    for name, path in generate(output, scale=scale, fmt=fmt).items():
        click.echo(f"{name}: {path}")
