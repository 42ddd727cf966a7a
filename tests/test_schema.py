"""`perfpack schema`: the JSON Schema editors use to complete and check the config."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import CONFIG, ROOT
from ruamel.yaml import YAML

from builder.cli import cli
from builder.commands.schema import MODELINE, SCHEMA_FILE, config_schema

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test dependency: pip install -e '.[test]'")
COMMITTED = ROOT / SCHEMA_FILE


def as_editor_sees(node: Any) -> Any:
    """The YAML as JSON data, dates as text: the YAML language server reads YAML 1.2, which has no dates."""
    if isinstance(node, dict):
        return {str(k): as_editor_sees(v) for k, v in node.items()}
    if isinstance(node, list):
        return [as_editor_sees(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def sample() -> dict[str, Any]:
    return as_editor_sees(YAML(typ="safe").load(CONFIG.read_text(encoding="utf-8")))


def errors(data: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(json.loads(COMMITTED.read_text(encoding="utf-8")))
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every key of every object in the schema, as (Model.key, its schema)."""
    for model, definition in [("PackConfig", schema), *schema.get("$defs", {}).items()]:
        for key, prop in definition.get("properties", {}).items():
            yield f"{model}.{key}", prop


def test_schema_command_prints_the_schema():
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == config_schema()
    assert printed["title"] == "perfpack pack config"
    assert printed["$schema"].startswith("https://json-schema.org/")


def described(prop: dict[str, Any], schema: dict[str, Any]) -> bool:
    """A key has a description of its own or, as pydantic leaves it when they are equal, its model's."""
    if prop.get("description"):
        return True
    ref = prop.get("$ref", "")
    return bool(ref) and bool(schema["$defs"][ref.rsplit("/", 1)[-1]].get("description"))


def test_every_key_has_a_description():
    schema = config_schema()
    missing = [name for name, prop in properties(schema) if not described(prop, schema)]
    assert not missing, f"give these fields a description in builder/config/schema.py: {missing}"


def test_committed_schema_is_current():
    """Compared as data, not text, so only a real change to the models makes it stale."""
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == config_schema(), (
        f"{SCHEMA_FILE} is stale: run perfpack schema --output {SCHEMA_FILE}"
    )


def test_sample_config_points_editors_at_the_schema():
    first = CONFIG.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE
    assert (CONFIG.parent / first.split("$schema=")[1]).resolve() == COMMITTED.resolve()


def test_schema_accepts_the_sample_config():
    assert errors(sample()) == []


@pytest.mark.parametrize(
    ("where", "wrong", "right"),
    [
        ((), "sectons", "sections"),
        (("cover",), "meting_date", "meeting_date"),
        (("themes", 0, "narrative"), "wher", "where"),
    ],
)
def test_schema_rejects_a_misspelt_key(where: tuple[Any, ...], wrong: str, right: str):
    data = sample()
    node = data
    for step in where:
        node = node[step]
    node[wrong] = node.pop(right)
    assert any(f"'{wrong}' was unexpected" in e for e in errors(data)), errors(data)


def test_schema_accepts_a_number_where_perfpack_does():
    data = sample()
    data["cover"]["version"] = 2
    assert errors(data) == []


def test_schema_rejects_a_bad_value():
    data = sample()
    data["period"]["end"] = "Sept 2018"
    assert any(e.startswith("period.end:") for e in errors(data))


def test_schema_output_option_writes_the_file(tmp_path):
    target = tmp_path / "schema" / "perfpack.schema.json"
    result = CliRunner().invoke(cli, ["schema", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8")) == config_schema()
