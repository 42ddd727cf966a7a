"""Read the YAML config with line numbers and validate it into a ``PackConfig``.

ruamel.yaml keeps the line of every key (``yaml_text`` reads it, within bounds), so a
validation error can say ``config/pack.yaml:42`` instead of leaving an author to hunt
for ``themes.1.title``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from builder.config.schema import PackConfig
from builder.config.yaml_text import dotted, line_of, read_yaml
from builder.errors import ConfigError

__all__ = ["LoadedConfig", "line_of", "load_config", "read_yaml"]

MAX_PROBLEMS = 20
"""Validation problems shown at once: the first ones matter most."""


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config plus what is needed to point back into its file."""

    config: PackConfig
    path: Path
    raw: CommentedMap

    @property
    def folder(self) -> Path:
        """The folder relative paths in the config are resolved against."""
        return self.path.parent

    def node_at(self, loc: tuple[str | int, ...]) -> Any:
        """The raw YAML node at a key path (None if absent): tells block scalars from plain values."""
        node: Any = self.raw
        for key in loc:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def line_of(self, loc: tuple[str | int, ...]) -> int | None:
        """Return the 1-based line of a key path such as ('themes', 1, 'title')."""
        return line_of(self.raw, loc)


def load_config(path: Path) -> LoadedConfig:
    """Read and validate a config file, raising ConfigError with file:line on any problem."""
    raw = read_yaml(path)
    try:
        config = PackConfig.model_validate(_plain(raw))
    except ValidationError as exc:
        raise ConfigError(_describe(exc, raw, path)) from None
    return LoadedConfig(config=config, path=path, raw=raw)


def _describe(exc: ValidationError, raw: CommentedMap, path: Path) -> str:
    """Turn pydantic errors into 'file:line: key.path: message' lines, up to MAX_PROBLEMS, the first one first."""
    lines = []
    # An unknown key usually explains a 'missing' one beside it (a misspelling), so it goes first.
    for error in sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden"):
        located = (error.get("ctx") or {}).get("error")
        loc = tuple(getattr(located, "loc", None) or error["loc"])
        where = dotted(loc)
        line = line_of(raw, loc)
        message = _friendly(dict(error))
        prefix = f"{path}:{line}" if line else str(path)
        lines.append(f"{prefix}: {where}: {message}" if where else f"{prefix}: {message}")
    unique = list(dict.fromkeys(lines))
    shown, hidden = unique[:MAX_PROBLEMS], len(unique) - MAX_PROBLEMS
    if hidden > 0:
        shown.append(f"… and {hidden} more problem{'s' if hidden > 1 else ''} not shown")
    return "\n".join(shown)


PATTERN_ADVICE = {
    r"^\d{4}-(0[1-9]|1[0-2])$": "is not a month; write it as YYYY-MM, e.g. 2018-09",
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$": "cannot be a file name; use letters, digits, '.', '_' and '-', "
    "starting with a letter or digit",
    r"^[a-z][a-z0-9_]*$": "cannot be a key; use lower-case letters, digits and '_', starting with a letter",
}
"""What a value failing each of the schema's patterns should look like, in an author's words."""


def _friendly(error: dict[str, Any]) -> str:
    """Reword pydantic's messages into advice an author can act on."""
    kind = error["type"]
    if kind == "missing":
        return "required key is missing; add it"
    if kind == "extra_forbidden":
        return "unknown key; check its spelling (see `perfpack schema` for the keys allowed)"
    if kind == "string_pattern_mismatch":
        advice = PATTERN_ADVICE.get(str((error.get("ctx") or {}).get("pattern")))
        if advice:
            return f"'{error.get('input')}' {advice}"
    message = error["msg"]
    return message[len("Value error, ") :] if message.startswith("Value error, ") else message


def _plain(node: Any) -> Any:
    """Convert ruamel's commented containers into plain dicts and lists for pydantic."""
    if isinstance(node, CommentedMap):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, CommentedSeq):
        return [_plain(v) for v in node]
    return node
