"""``perfpack schema``: the JSON Schema of the config, for editors.

Editors such as VS Code (with Red Hat's YAML extension) read a JSON Schema named on
the first line of the YAML and then complete keys, show each key's description and
underline misspelt keys while the author types, long before a build would fail.
The schema comes from the same pydantic models that validate the config, so the two
cannot disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLE = "perfpack pack config"
SCHEMA_FILE = Path("schema") / "perfpack.schema.json"
MODELINE = f"# yaml-language-server: $schema=../{SCHEMA_FILE.as_posix()}"

# Keys the models type as text but whose validators also accept a YAML number
# (``version: 1``): without this the editor would underline what perfpack accepts.
_NUMBERS_AS_TEXT = (("Cover", "version"), ("ControlRow", "version"))


@click.command("schema")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the schema to this file instead of printing it.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the pack config, for editors that complete and check YAML.

    Every key has a description. The sample config's first line points VS Code's YAML
    extension (by Red Hat) at schema/perfpack.schema.json; refresh that file with
    --output after upgrading perfpack.

    \b
    Example:
        perfpack schema > schema/perfpack.schema.json
        perfpack schema --output schema/perfpack.schema.json
    """
    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}")


def schema_text() -> str:
    """The schema as the stable, indented JSON text that is committed and diffed."""
    return json.dumps(config_schema(), indent=2, ensure_ascii=False) + "\n"


def config_schema() -> dict[str, Any]:
    """PackConfig's JSON Schema with a title and dialect editors recognise."""
    from builder.config.schema import PackConfig

    generated = PackConfig.model_json_schema()
    _accept_numbers(generated)
    generated.pop("title", None)
    return {"$schema": DIALECT, "title": TITLE, **generated}


def _accept_numbers(generated: dict[str, Any]) -> None:
    """Let the keys in _NUMBERS_AS_TEXT take a number as well as text."""
    for model, key in _NUMBERS_AS_TEXT:
        prop = generated.get("$defs", {}).get(model, {}).get("properties", {}).get(key)
        if prop is not None and prop.get("type") == "string":
            prop["type"] = ["string", "number"]
