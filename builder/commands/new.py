"""``perfpack new``: start a pack project that builds as it is, or the next cycle's from the last.

Each meeting cycle someone starts the next pack from the last one. Copying folders by
hand loses the template or leaves last month's dates on the cover; this command makes
the folder (config, Word template, editor schema, a README for authors and a
.gitignore) from the bundled sample or from an existing project. From an existing one
it moves the config on one step of its cadence (``cycle.advance``) and records what the
narrative was written against (``cycle.baseline``), so ``perfpack check`` can flag
prose left unchanged while its figures moved.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import click
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from builder import defaults
from builder.commands.schema import MODELINE, SCHEMA_FILE, schema_text
from builder.cycle.advance import Advanced, Moved, advance, cadence_months
from builder.errors import PerfpackError

CONFIG_FILE = Path("config") / "pack.yaml"
TEMPLATE_FILE = Path("templates") / "pack.docx"
HTML_TEMPLATE_FILE = Path("templates") / "pack.html.j2"
GITIGNORE = "# Built packs: rebuild them with `perfpack build`.\noutput/\n"


class ProjectError(PerfpackError):
    """The folder cannot be made into a project (not empty, or the source is missing)."""

    exit_code = 2


@dataclass(frozen=True)
class NewProject:
    """What ``create_project`` wrote."""

    folder: Path
    files: list[Path]
    source: Path | None = None
    moved: list[Moved] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    baseline: Path | None = None
    """The last-cycle record beside the config, when the last cycle's figures could be computed."""


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
    default=None,
    help="With --from: move on this many months instead of one step of the config's period.cadence "
    "(1 monthly, 3 quarterly); 0 copies the project for the same meeting.",
)
@click.option(
    "--peers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="With --from: a newer peer file; the peer period moves to its latest period_end. "
    "Without it the peer comparison stays as it was.",
)
def new(folder: Path, source: Path | None, months: int | None, peers: Path | None) -> None:
    """Create a pack project in FOLDER, ready for `perfpack build`.

    FOLDER gets config/pack.yaml (settings and narrative), templates/pack.docx (the Word
    template), templates/pack.html.j2 (the web page's template),
    schema/perfpack.schema.json (editor help), a README.md for authors and a .gitignore.
    FOLDER must be new or empty.

    Without --from the project is the bundled sample pack. With --from it copies an
    existing project's config (comments kept) and template, moved on one step of its
    period.cadence (monthly unless it says quarterly): the period end and any YYYY-MM in
    the name move by the step; the meeting and report dates keep the weekday rule they
    followed ("second Friday of the month"), with a warning for a weekend or an England
    and Wales bank holiday; the version goes up by one, the status goes back to draft and
    the document-control table gets a row. The peer period moves only with --peers.
    The narrative is kept, and `perfpack check` flags each field left unchanged while
    its figures moved.

    \b
    Example:
        perfpack new mypack && cd mypack && perfpack build
        perfpack new packs/2018-12 --from packs/2018-11
        perfpack new packs/2019-01 --from packs/2018-12 --peers extract/peers-2018-11.csv
    """
    project = create_project(folder, source, months, peers)
    origin = f"from {project.source}" if project.source else "from the bundled sample"
    click.echo(f"Created {folder} {origin}:")
    for path in project.files:
        click.echo(f"  {path.relative_to(project.folder).as_posix()}")
    for change in project.moved:
        how = f" ({change.note})" if change.note else ""
        click.echo(f"  moved {change.key}: {change.old} -> {change.new}{how}")
    for warning in project.warnings:
        click.echo(f"warning: {warning}", err=True)
    if project.moved:
        click.echo("Check the cover dates; `perfpack check` lists narrative to re-read for the new figures.")
    click.echo(f"Next: cd {folder} && perfpack build   (or perfpack watch while you write)")


def create_project(
    folder: Path,
    source: Path | None = None,
    months: int | None = None,
    peers: Path | None = None,
    today: dt.date | None = None,
) -> NewProject:
    """Write a buildable project into ``folder``; everything is read and checked before writing.

    ``months`` None moves on one step of the source's cadence.
    """
    _check_empty(folder)
    done = Advanced()
    if source is None:
        config_text, template, config_path = defaults.read_text(defaults.CONFIG), None, None
    else:
        config_path = _source_config(source)
        config_text, template, done = next_cycle(
            config_path, folder / CONFIG_FILE, months, peers=peers, today=today or dt.date.today()
        )
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
    files.append(folder / HTML_TEMPLATE_FILE)
    old_html = config_path.parent.parent / HTML_TEMPLATE_FILE if config_path else None
    if old_html is not None and old_html.is_file():
        shutil.copyfile(old_html, files[-1])
    else:
        defaults.copy_to(defaults.HTML_TEMPLATE, files[-1])
    recorded = None
    if config_path is not None and done.moved:
        recorded = _record_last_cycle(config_path, files[0], done.warnings)
        files += [recorded] if recorded is not None else []
    return NewProject(folder, files, config_path, done.moved, done.warnings, recorded)


def next_cycle(
    config_path: Path, target: Path, months: int | None, *, peers: Path | None = None, today: dt.date
) -> tuple[str, Path | None, Advanced]:
    """The config moved on (``months``, or one step of its cadence), its template, and what moved.

    The config is validated first (a broken one stops here with its file and line).
    Paths in it are relative to the config file, so they are rewritten to work from
    ``target``; the template is copied beside the new config, so its key is dropped.
    """
    from builder.build.inputs import data_path, template_path
    from builder.config.load import load_config

    loaded = load_config(config_path)
    template: Path | None = template_path(loaded)
    if template is not None and not template.exists():
        template = None  # an installed perfpack without the repository: use the bundled one
    raw = _yaml().load(config_path.read_text(encoding="utf-8-sig"))  # again, keeping quotes as typed
    step = cadence_months(raw) if months is None else months
    folder = data_path(loaded, None) if peers is not None else None
    done = advance(
        raw, step, peers=peers, data_folder=folder if folder is None or folder.is_dir() else folder.parent, today=today
    )
    _rebase_paths(raw, config_path.parent, target.parent)
    if "template" in raw:
        del raw["template"]
    return _dump(raw), template, done


def _record_last_cycle(source: Path, target: Path, warnings: list[str]) -> Path | None:
    """Record the figures the narrative was written against, from the last project's own data.

    Without them ``perfpack check`` cannot say which prose is stale, so a failure is a
    warning, not a stop: the new project is still made.
    """
    from builder.build.inputs import read_inputs
    from builder.build.prepare import prepare
    from builder.cycle import baseline

    try:
        prepared = prepare(read_inputs(source))
    except PerfpackError as exc:
        warnings.append(f"could not compute {source}'s figures ({exc}); stale narrative will not be flagged")
        return None
    return baseline.write(baseline.baseline_path(target), baseline.record(prepared.loaded, prepared.context))


def with_modeline(text: str) -> str:
    """The config with the editor's schema line first (replacing any other)."""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith("# yaml-language-server:"):
        lines = lines[1:]
    return f"{MODELINE}\n" + "".join(lines)


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


def _rebase_paths(raw: CommentedMap, old_folder: Path, new_folder: Path) -> None:
    """Keep data.path, lookup files and an HTML template pointing at the same files from the new config's folder."""
    _rebase(raw, "html_template", old_folder, new_folder)
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
