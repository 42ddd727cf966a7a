"""Options shared by the commands that compute figures, so they mean the same everywhere."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

DEFAULT_CONFIG = Path("config/pack.yaml")


def _month(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise click.BadParameter(f"'{value}' is not a month; write it as YYYY-MM, e.g. 2018-09")
    return value


def window_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --window-months and --period-end, which override the config's comparison window."""
    command = click.option(
        "--period-end",
        default=None,
        metavar="YYYY-MM",
        callback=_month,
        help="Last month of the comparison window (default: the last complete month in the data).",
    )(command)
    return click.option(
        "--window-months",
        type=click.IntRange(1, 60),
        default=None,
        help="Months in each comparison window (default: the config's, usually 12).",
    )(command)


def by_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --by: one pack per NPT, area or force of the data."""
    from builder.build.options import BY_CHOICES

    return click.option(
        "--by",
        type=click.Choice(BY_CHOICES),
        default=None,
        help="One pack per NPT, area or force instead of one for the whole force.",
    )(command)


def strict_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --strict: any warning fails the command."""
    return click.option(
        "--strict",
        is_flag=True,
        default=None,
        help="Fail (exit 1) on any warning; `strict: true` in the config does the same.",
    )(command)


def source_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --config and --data, which every command reading a pack's data takes the same way."""
    command = click.option(
        "--data",
        type=click.Path(path_type=Path),
        default=None,
        help="Data folder or crimes file. Default: the config's data.path, else the bundled sample data.",
    )(command)
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path),
        default=DEFAULT_CONFIG,
        show_default=True,
        help="The pack's YAML config.",
    )(command)


def output_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --output-dir."""
    return click.option(
        "--output-dir",
        type=click.Path(path_type=Path),
        default=Path("output"),
        show_default=True,
        help="Folder the pack is written to.",
    )(command)


def _positive_seconds(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not (math.isfinite(value) and value > 0):
        raise click.BadParameter(f"'{value}' is not a number of seconds; give a positive number, e.g. 300")
    return value


def pdf_timeout_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --pdf-timeout: a positive, finite number of seconds."""
    return click.option(
        "--pdf-timeout",
        type=float,
        default=300.0,
        show_default=True,
        callback=_positive_seconds,
        help="Seconds allowed for the PDF conversion.",
    )(command)
