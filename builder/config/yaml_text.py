"""Read a YAML file into ruamel's commented tree, within bounds, every problem one line with its line number.

A config is text anyone may edit, so reading it is bounded: a file over
``MAX_CONFIG_BYTES`` is refused before it is parsed, nesting is limited by ruamel's own
``max_depth``, and aliases may not expand the document beyond ``MAX_NODES`` values (a
"billion laughs" alias bomb is refused while it is composed, before anything expands it).
Text a Word document cannot hold (control characters) and dates that do not exist
(``2018-02-30``) are refused at their line. ruamel keeps the line of every key, which
``line_of`` reads back for messages about a key path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, MaxDepthExceededError
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode
from ruamel.yaml.reader import ReaderError

from builder.errors import ConfigError

MAX_CONFIG_BYTES = 2_000_000
"""A pack's config is tens of kilobytes; anything this large is not one."""
MAX_DEPTH = 50
"""Nesting a config may have (it needs about six levels)."""
MAX_NODES = 100_000
"""Values a config may hold once its aliases are expanded (the sample config has about 1,500)."""
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters a Word document cannot hold, or never meant in text: control characters, lone surrogates."""


def read_yaml(path: Path) -> CommentedMap:
    """Parse a YAML mapping keeping line numbers, within bounds; every problem becomes a one-line ConfigError."""
    text = _read_text(path)
    yaml = YAML(typ="rt")
    yaml.Composer = _BoundedComposer
    yaml.Constructor = _CheckedConstructor
    yaml.max_depth = MAX_DEPTH
    try:
        data = yaml.load(text)
    except ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else 0
        code = exc.character if isinstance(exc.character, int) else 0
        raise ConfigError(f"{path}:{line}: {describe_control(chr(code))}; remove it") from None
    except _ValueProblem as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else 0
        raise ConfigError(f"{path}:{line}: {exc.problem}") from None
    except MaxDepthExceededError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else 0
        raise ConfigError(
            f"{path}:{line}: nested more than {MAX_DEPTH} levels deep, far more than a config needs; "
            "check the brackets and indentation"
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f":{mark.line + 1}" if mark is not None else ""
        problem = (exc.problem or exc.context or "invalid YAML").strip().splitlines()[0]
        raise ConfigError(
            f"{path}{at}: YAML syntax error: {problem}; check indentation and quotes on that line"
        ) from None
    except YAMLError as exc:
        raise ConfigError(f"{path}: YAML syntax error: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise ConfigError(f"{path}: the YAML is nested too deeply to read; a config needs a few levels") from None
    if not isinstance(data, CommentedMap):
        raise ConfigError(f"{path}: the config must be a YAML mapping of keys such as 'name:' and 'cover:'")
    _refuse_control_characters(data, path)
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


def dotted(loc: tuple[str | int, ...]) -> str:
    """Format a location as themes[1].title, the way authors see their YAML."""
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def describe_control(character: str) -> str:
    """'a control character (U+0007) that a document cannot hold'."""
    return f"a control character (U+{ord(character):04X}) that a document cannot hold"


def _read_text(path: Path) -> str:
    """The file's text: a UTF-8 file of a sensible size, or a one-line ConfigError."""
    if not path.exists():
        raise ConfigError(f"{path}: config file not found; pass --config with the path of your pack's YAML")
    if not path.is_file():
        raise ConfigError(f"{path}: not a file; pass --config with the path of your pack's YAML file")
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror}); check the file and its permissions") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"{path}: over {MAX_CONFIG_BYTES // 1_000_000} MB, far more than a pack's config; "
            "check you passed the right file to --config"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"{path}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        ) from None


class _ValueProblem(ConstructorError):
    """Well-formed YAML that cannot be what it says: a date that does not exist, a runaway alias."""


class _CheckedConstructor(RoundTripConstructor):
    """ruamel's round-trip constructor, with an impossible date reported at its line rather than raised bare."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        """A date or timestamp; '2018-02-30' is a _ValueProblem naming the value."""
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError) as exc:
            raise _ValueProblem(
                None,
                None,
                f"'{node.value}' is not a real date ({exc}); write a date that exists, as YYYY-MM-DD",
                node.start_mark,
            ) from None


_CheckedConstructor.add_constructor("tag:yaml.org,2002:timestamp", _CheckedConstructor.construct_yaml_timestamp)


class _BoundedComposer(Composer):
    """ruamel's composer, counting how many values each node stands for once aliases are expanded.

    A node's size is 1 plus its children's; an alias counts the whole size of the node it
    names. So ten aliases of ten aliases of ... are refused as soon as the document would
    expand past MAX_NODES, at the line where it would, without anything being expanded.
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self._sizes: dict[int, int] = {}
        self._open: set[Any] = set()

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose as ruamel does, then record (and bound) the node's expanded size."""
        node = super().compose_node(parent, index)
        size = self._sizes.get(id(node))
        if size is None:
            self._sizes[id(node)] = self._size_of(node)
        return node

    def compose_sequence_node(self, anchor: Any) -> Any:
        return self._composing(super().compose_sequence_node, anchor)

    def compose_mapping_node(self, anchor: Any) -> Any:
        return self._composing(super().compose_mapping_node, anchor)

    def _composing(self, compose: Any, anchor: Any) -> Any:
        """While a collection is composed, an alias to it would make it contain itself: refuse that."""
        if anchor is not None:
            self._open.add(anchor)
        try:
            return compose(anchor)
        finally:
            self._open.discard(anchor)

    def return_alias(self, node: Any) -> Any:
        """An alias: refused if it names a collection still being composed (it would hold itself)."""
        if getattr(node, "anchor", None) in self._open and id(node) not in self._sizes:
            raise _ValueProblem(
                None, None, "an alias refers to the list or mapping that holds it; remove the alias", node.start_mark
            )
        return node

    def _size_of(self, node: Node) -> int:
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        size = 1 + sum(self._sizes.get(id(child), 1) for child in children)
        if size > MAX_NODES:
            raise _ValueProblem(
                None,
                None,
                f"with its aliases (*name) expanded this would hold over {MAX_NODES:,} values, far more than "
                "a config needs; use fewer aliases",
                node.start_mark,
            )
        return size


def _refuse_control_characters(root: CommentedMap, path: Path) -> None:
    """Stop at the first key or text holding a control character, naming its line and key."""

    def walk(node: Any, loc: tuple[str | int, ...]) -> None:
        if isinstance(node, str):
            found = CONTROL.search(node)
            if found:
                where = f"{path}:{line_of(root, loc) or 0}: {dotted(loc)}"
                raise ConfigError(f"{where}: {describe_control(found.group())}; remove it")
        elif isinstance(node, CommentedMap):
            for key, value in node.items():
                bad = CONTROL.search(key) if isinstance(key, str) else None
                if bad:
                    line = line_of(root, (*loc, key)) or 0
                    raise ConfigError(f"{path}:{line}: a key holds {describe_control(bad.group())}; remove it")
                walk(value, (*loc, key))
        elif isinstance(node, CommentedSeq):
            for index, value in enumerate(node):
                walk(value, (*loc, index))

    walk(root, ())
