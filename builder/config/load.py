"""Read the YAML config with line numbers and validate it into a ``PackConfig``.

ruamel.yaml keeps the line of every key, so a validation error can say
``config/pack.yaml:42`` instead of leaving an author to hunt for ``themes.1.title``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from builder.config.schema import PackConfig
from builder.errors import ConfigError


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


def read_yaml(path: Path) -> CommentedMap:
    """Parse YAML keeping line numbers; YAML syntax errors become one-line ConfigErrors."""
    if not path.exists():
        raise ConfigError(f"{path}: config file not found; pass --config with the path of your pack's YAML")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason}); save the file as UTF-8") from None
    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise ConfigError(
            f"{path}{line}: YAML syntax error: {problem}; check indentation and quotes on that line"
        ) from None
    except YAMLError as exc:
        raise ConfigError(f"{path}: YAML syntax error: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, CommentedMap):
        raise ConfigError(f"{path}: the config must be a YAML mapping of keys such as 'name:' and 'cover:'")
    return data


def line_of(raw: Any, loc: tuple[str | int, ...]) -> int | None:
    """Walk a ruamel tree along a pydantic location and return the deepest known line."""
    node, line = raw, None
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    return line


def _describe(exc: ValidationError, raw: CommentedMap, path: Path) -> str:
    """Turn pydantic errors into 'file:line: key.path: message' lines, the first one first."""
    lines = []
    # An unknown key usually explains a 'missing' one beside it (a misspelling), so it goes first.
    for error in sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden"):
        located = (error.get("ctx") or {}).get("error")
        loc = tuple(getattr(located, "loc", None) or error["loc"])
        where = _dotted(loc)
        line = line_of(raw, loc)
        message = _friendly(dict(error))
        prefix = f"{path}:{line}" if line else str(path)
        lines.append(f"{prefix}: {where}: {message}" if where else f"{prefix}: {message}")
    first, rest = lines[0], len(lines) - 1
    return first + (f" (and {rest} more problem{'s' if rest > 1 else ''})" if rest else "")


def _dotted(loc: tuple[str | int, ...]) -> str:
    """Format a location as themes[1].title, the way authors see their YAML."""
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def _friendly(error: dict[str, Any]) -> str:
    """Reword pydantic's messages into advice an author can act on."""
    kind = error["type"]
    if kind == "missing":
        return "required key is missing; add it"
    if kind == "extra_forbidden":
        return "unknown key; check its spelling (see `perfpack schema` for the keys allowed)"
    message = error["msg"]
    return message[len("Value error, ") :] if message.startswith("Value error, ") else message


def _plain(node: Any) -> Any:
    """Convert ruamel's commented containers into plain dicts and lists for pydantic."""
    if isinstance(node, CommentedMap):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, CommentedSeq):
        return [_plain(v) for v in node]
    return node
