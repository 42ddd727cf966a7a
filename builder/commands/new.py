"""``perfpack new``: start a pack project that builds as it is.

Each meeting cycle someone starts the next pack from the last one. Copying folders by
hand loses the template or leaves last quarter's dates on the cover; this command
makes the folder (config, Word template, editor schema, a README for authors and a
.gitignore) from the bundled sample or from an existing project, moving the period
and the cover dates forward by the meeting cadence and keeping every comment.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from builder import defaults
from builder.commands.schema import MODELINE, SCHEMA_FILE, schema_text
from builder.errors import PerfpackError

CONFIG_FILE = Path("config") / "pack.yaml"
TEMPLATE_FILE = Path("templates") / "pack.docx"
GITIGNORE = "# Built packs: rebuild them with `perfpack build`.\noutput/\n"
DEFAULT_MONTHS = 3
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])(?!\d)")


class ProjectError(PerfpackError):
    """The folder cannot be made into a project (not empty, or the source is missing)."""

    exit_code = 2


@dataclass(frozen=True)
class Moved:
    """One value changed for the next cycle, so the author can check it."""

    key: str
    old: str
    new: str


@dataclass(frozen=True)
class NewProject:
    """What ``create_project`` wrote."""

    folder: Path
    files: list[Path]
    source: Path | None = None
    moved: list[Moved] = field(default_factory=list)


@click.command("new")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path),
    default=None,
    metavar="EXISTING",
    help="Start from an existing project folder (or its config file) instead of the sample.",
)
@click.option(
    "--months",
    type=click.IntRange(0, 24),
    default=DEFAULT_MONTHS,
    show_default=True,
    help="With --from: months between meetings. The period end, peer period, cover dates "
    "and any YYYY-MM in the pack's name move forward by this much.",
)
def new(folder: Path, source: Path | None, months: int) -> None:
    """Create a pack project in FOLDER, ready for `perfpack build`.

    FOLDER gets config/pack.yaml (settings and narrative), templates/pack.docx (the Word
    template), schema/perfpack.schema.json (editor help), a README.md for authors and a
    .gitignore. FOLDER must be new or empty.

    Without --from the project is the bundled sample pack. With --from it copies an
    existing project's config (comments kept) and template, moved forward one meeting:
    dates move by --months (a day past the month's end becomes its last day), the
    version goes back to 1 and the narrative is left for you to update. --months 0
    copies the project for the same meeting.

    \b
    Example:
        perfpack new mypack && cd mypack && perfpack build
        perfpack new packs/2019-02 --from packs/2018-11
        perfpack new packs/2018-12 --from packs/2018-11 --months 1
    """
    project = create_project(folder, source, months)
    origin = f"from {project.source}" if project.source else "from the bundled sample"
    click.echo(f"Created {folder} {origin}:")
    for path in project.files:
        click.echo(f"  {path.relative_to(project.folder).as_posix()}")
    for change in project.moved:
        click.echo(f"  moved {change.key}: {change.old} -> {change.new}")
    if project.moved:
        click.echo("Check the cover dates and rewrite the narrative for the new period.")
    click.echo(f"Next: cd {folder} && perfpack build   (or perfpack watch while you write)")


def create_project(folder: Path, source: Path | None = None, months: int = DEFAULT_MONTHS) -> NewProject:
    """Write a buildable project into ``folder``; everything is read and checked before writing."""
    _check_empty(folder)
    if source is None:
        moved: list[Moved] = []
        config_text, template, config_path = defaults.read_text(defaults.CONFIG), None, None
    else:
        config_path = _source_config(source)
        config_text, template, moved = next_cycle(config_path, folder / CONFIG_FILE, months)
    files = [
        folder / CONFIG_FILE,
        folder / TEMPLATE_FILE,
        folder / SCHEMA_FILE,
        folder / "README.md",
        folder / ".gitignore",
    ]
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
    files[0].write_text(with_modeline(config_text), encoding="utf-8")
    if template is None:
        defaults.copy_to(defaults.TEMPLATE, files[1])
    else:
        shutil.copyfile(template, files[1])
    files[2].write_text(schema_text(), encoding="utf-8")
    files[3].write_text(defaults.read_text(defaults.README), encoding="utf-8")
    files[4].write_text(GITIGNORE, encoding="utf-8")
    return NewProject(folder, files, config_path, moved)


def next_cycle(config_path: Path, target: Path, months: int) -> tuple[str, Path | None, list[Moved]]:
    """The config moved forward ``months``, its template, and what moved.

    The config is validated first (a broken one stops here with its file and line).
    Paths in it are relative to the config file, so they are rewritten to work from
    ``target``; the template is copied beside the new config, so its key is dropped.
    """
    from builder.build.inputs import template_path
    from builder.config.load import load_config

    loaded = load_config(config_path)
    template: Path | None = template_path(loaded)
    if template is not None and not template.exists():
        template = None  # an installed perfpack without the repository: use the bundled one
    raw = _yaml().load(config_path.read_text(encoding="utf-8-sig"))  # again, keeping quotes as typed
    moved = _move_dates(raw, months)
    _rebase_paths(raw, config_path.parent, target.parent)
    if "template" in raw:
        del raw["template"]
    return _dump(raw), template, moved


def with_modeline(text: str) -> str:
    """The config with the editor's schema line first (replacing any other)."""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith("# yaml-language-server:"):
        lines = lines[1:]
    return f"{MODELINE}\n" + "".join(lines)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the last day of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


def shift_months(text: str, months: int) -> str:
    """Every YYYY-MM in ``text`` moved forward: 'ppm-2018-11' + 3 -> 'ppm-2019-02'."""

    def moved(match: re.Match[str]) -> str:
        day = add_months(dt.date(int(match[1]), int(match[2]), 1), months)
        return f"{day:%Y-%m}"

    return _MONTH.sub(moved, text)


def _check_empty(folder: Path) -> None:
    """Never write over someone's work: the folder must be new or empty."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ProjectError(f"{folder} is not empty; choose a new folder name (perfpack new never overwrites files)")


def _source_config(source: Path) -> Path:
    """The config of an existing project, given its folder or the file itself."""
    config = source / CONFIG_FILE if source.is_dir() else source
    if not config.is_file():
        raise ProjectError(
            f"{config}: no such config; --from takes a project folder (with {CONFIG_FILE}) or a config file"
        )
    return config


def _move_dates(raw: CommentedMap, months: int) -> list[Moved]:
    """Move the period, the peer period, the cover dates and the name; reset the version."""
    moved: list[Moved] = []
    if not months:
        return moved  # --months 0: a copy for the same meeting
    for section, key in (("period", "end"), ("peers", "period_end")):
        _replace(raw.get(section), key, f"{section}.{key}", lambda v: shift_months(str(v), months), moved)
    for key in ("meeting_date", "report_date"):
        _replace(raw.get("cover"), key, f"cover.{key}", lambda v: _add_to_date(v, months), moved)
    _replace(raw, "name", "name", lambda v: shift_months(str(v), months), moved)
    _replace(raw.get("cover"), "version", "cover.version", lambda v: 1, moved)
    return moved


def _replace(node: Any, key: str, label: str, change: Any, moved: list[Moved]) -> None:
    """Apply ``change`` to node[key] when it is set, recording it when the value differs."""
    if not isinstance(node, CommentedMap) or node.get(key) in (None, ""):
        return
    old = node[key]
    new = change(old)
    if str(new) != str(old):
        node[key] = new
        moved.append(Moved(label, str(old), str(new)))


def _add_to_date(value: Any, months: int) -> Any:
    """A YAML date (or ISO text) moved forward, keeping its kind."""
    if isinstance(value, dt.date):
        return add_months(value, months)
    return add_months(dt.date.fromisoformat(str(value)), months).isoformat()


def _rebase_paths(raw: CommentedMap, old_folder: Path, new_folder: Path) -> None:
    """Keep data.path and lookup files pointing at the same files from the new config's folder."""
    data = raw.get("data")
    if not isinstance(data, CommentedMap):
        return
    _rebase(data, "path", old_folder, new_folder)
    for lookup in data.get("lookups") or []:
        if isinstance(lookup, CommentedMap):
            _rebase(lookup, "file", old_folder, new_folder)


def _rebase(node: CommentedMap, key: str, old_folder: Path, new_folder: Path) -> None:
    value = node.get(key)
    if not value or Path(str(value)).is_absolute():
        return
    target = (old_folder / str(value)).resolve()
    try:
        node[key] = Path(os.path.relpath(target, new_folder.resolve())).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        node[key] = str(target)


def _yaml() -> YAML:
    """Round-trip YAML in the sample config's layout: comments and quotes kept, lines never re-wrapped."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _dump(raw: CommentedMap) -> str:
    """The edited config as text."""
    out = io.StringIO()
    _yaml().dump(raw, out)
    return out.getvalue()
