"""``perfpack diff``: what changed between two built packs (last month's and this month's)."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help='Print a JSON list of {"name", "old", "new"}, one per change.')
@click.option(
    "--html",
    "html_file",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Also write the comparison as a web page a manager can read.",
)
def diff(old: Path, new: Path, as_json: bool, html_file: Path | None) -> None:
    """Say what changed between two built packs: OLD and NEW are folders `perfpack build` wrote.

    Prints the headline figures that changed, table rows that moved or changed, trend
    charts whose special-cause signals changed, narrative paragraphs that changed, and
    data revisions: months both packs count that the newer extract counts differently.
    Figures are read from each build's <name>-figures.json (listed in its
    build-manifest.json), so the comparison is of what was published.

    With --json, prints every changed figure as {"name", "old", "new"} with the names of
    `perfpack figures` (numbers as numbers), then every revised month, named like
    all_crime.spc.values["2018-09"].

    \b
    Example:
        perfpack diff packs/2018-10/output packs/2018-11/output
        perfpack diff old/ new/ --json > changes.json
        perfpack diff old/ new/ --html changes.html
    """
    from builder.cycle.compare import DiffError, compare_builds, load_built
    from builder.cycle.report import json_items, text_lines

    before, after = load_built(old), load_built(new)
    try:  # every output is worked out before anything is written or printed
        changes = compare_builds(before, after)
        said = json.dumps(json_items(changes), indent=1, ensure_ascii=False) if as_json else None
        lines = None if as_json else text_lines(changes, str(old), str(new))
    except (KeyError, TypeError, AttributeError, ValueError) as error:  # a figures file perfpack did not write
        raise DiffError(
            f"{old} and {new}: a figures file is not one perfpack wrote ({type(error).__name__}: {error}); "
            "rebuild the packs with `perfpack build`"
        ) from None
    if changes and all(change.only_in for change in changes):
        raise DiffError(
            f"{old} and {new}: no pack of one build pairs with a pack of the other "
            f"({_scopes(before)} against {_scopes(after)}); compare two builds of the same kind (both --by npt, say)"
        )
    if html_file is not None:
        from builder.render.diff_html import write_diff_page

        try:
            write_diff_page(html_file, changes, str(old), str(new))
        except OSError as error:
            raise DiffError(
                f"{html_file}: cannot write the page ({error.strerror or error}); choose a file path"
            ) from None
    if said is not None:
        click.echo(said)
        return
    for line in lines or []:
        click.echo(line)
    if html_file is not None:
        click.echo(f"Wrote {html_file}")


def _scopes(snapshots: list[dict[str, object]]) -> str:
    """'Cannock, Lichfield, …' — the packs a build holds, as the figures files name them."""
    names = [str(s.get("scope")) for s in snapshots]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
