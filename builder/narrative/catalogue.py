"""Every figure name an author can write in a placeholder, with its value.

The placeholder context is a few nested objects (themes, tables, trends); authors
should not have to read Python to find ``robbery.npt["SOT North"].change_pct``. This
module flattens the context into readable names, which ``perfpack figures`` lists
and the fact-check compares typed figures against.

The walk is breadth first, so an object reached by two routes (``crime_type`` and
``all_crime.types`` are one table) is listed in full under its shortest name and the
other route is shown as an :class:`Alias`. Names are then sorted back into reading
order (each table's rows in table order).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import numbers
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from builder.figures.model import Breakdown, ComparisonTable, Row

log = logging.getLogger(__name__)
MAX_ITEMS = 12  # longer sequences are monthly series: not figures anyone quotes one by one
MAX_DEPTH = 8  # a guard; the real context is four or five levels deep
GENERAL = "general"
FRONT_SECTIONS = ("foreword", "executive_summary")
ALL_CRIME_ROOTS = ("all_crime", "crime_type", "npt")

Figure = tuple[str, object]


@dataclass(frozen=True)
class Alias:
    """A second route to an object already listed under ``target``."""

    target: str

    def __str__(self) -> str:
        return f"(same as {self.target})"


@dataclass
class _Node:
    name: str
    value: Any
    order: tuple[int, ...]
    depth: int


@dataclass(frozen=True)
class Walk:
    """The flattened context: every figure, and every object on the way under its first name."""

    figures: list[Figure]
    objects: dict[str, Any]
    """Name -> object, for every object (not leaf) listed under that name."""

    @property
    def names(self) -> dict[int, str]:
        """The name of each object by its ``id``, to tell what a placeholder points at."""
        return {id(obj): name for name, obj in self.objects.items()}


def figure_names(context: Mapping[str, Any]) -> list[Figure]:
    """Flatten the placeholder context into (name, value) pairs in reading order.

    Leaves are numbers, text, dates and None; an object reached a second time is
    an :class:`Alias` of its first (shortest) name, which also stops cycles.
    """
    return walk(context).figures


def walk(context: Mapping[str, Any]) -> Walk:
    """Flatten the context breadth first (see :func:`figure_names`), keeping the objects met."""
    found: list[tuple[tuple[int, ...], str, object]] = []
    seen: dict[int, tuple[str, Any]] = {}  # id -> (name, object), the object kept alive
    queue = deque(_Node(str(k), v, (i,), 1) for i, (k, v) in enumerate(context.items()))
    while queue:
        node = queue.popleft()
        if _is_leaf(node.value):
            found.append((node.order, node.name, node.value))
            continue
        first = seen.get(id(node.value))
        if first is not None and first[1] is node.value and not _shared_empty(node.value):
            found.append((node.order, node.name, Alias(first[0])))
            continue
        if not _shared_empty(node.value):
            seen[id(node.value)] = (node.name, node.value)
        if node.depth >= MAX_DEPTH:
            continue
        for j, (segment, child) in enumerate(children(node.value)):
            queue.append(_Node(node.name + segment, child, (*node.order, j), node.depth + 1))
    found.sort(key=lambda item: item[0])
    return Walk([(name, value) for _, name, value in found], {name: obj for name, obj in seen.values()})


def children(value: Any) -> Iterator[tuple[str, Any]]:
    """The (name segment, value) pairs one level below ``value``."""
    if isinstance(value, ComparisonTable):
        yield from _table_children(value)
    elif isinstance(value, Breakdown):
        yield from _breakdown_children(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield f"[{_quote(key)}]", item
    elif isinstance(value, (tuple, list)):
        yield from _sequence_children(value)
    else:
        yield from _attribute_children(value)


def _table_children(table: ComparisonTable) -> Iterator[tuple[str, Any]]:
    """Rows by label (as authors write them), the row count, then the table's own figures."""
    for row in table.rows:
        yield f"[{_quote(row.label)}]", row
    yield " | length", len(table)
    for segment, item in _attribute_children(table):
        if segment not in (".rows", ".increased", ".decreased"):
            yield segment, item


def _breakdown_children(breakdown: Breakdown) -> Iterator[tuple[str, Any]]:
    """Counts by category, each category's share, and the total."""
    for label, count in breakdown.rows:
        yield f"[{_quote(label)}]", count
    for label, _ in breakdown.rows:
        yield f".share_pct({_quote(label)})", breakdown.share_pct(label)
    yield ".total", breakdown.total


def _sequence_children(items: tuple[Any, ...] | list[Any]) -> Iterator[tuple[str, Any]]:
    """Short lists by index; rows only by count, since their tables list them by label."""
    if len(items) > MAX_ITEMS:
        return
    yield " | length", len(items)
    if any(isinstance(item, Row) for item in items):
        return
    for i, item in enumerate(items):
        yield f"[{i}]", item


def _attribute_children(value: Any) -> Iterator[tuple[str, Any]]:
    """Dataclass fields, pydantic fields and public properties (never methods)."""
    for name in _public_attributes(type(value)):
        try:
            item = getattr(value, name)
        except Exception as exc:  # a property that cannot answer is simply not listed
            log.debug("not listing %s.%s: %s", type(value).__name__, name, exc)
            continue
        if not callable(item):
            yield f".{name}", item


def _public_attributes(cls: type) -> list[str]:
    """Field names first, then properties from the base class down, without duplicates."""
    names: list[str] = []
    if dataclasses.is_dataclass(cls):
        names += [f.name for f in dataclasses.fields(cls)]
    if issubclass(cls, BaseModel):
        names += list(cls.model_fields)
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("pydantic"):  # BaseModel's own properties are not figures
            names += [n for n, attr in vars(klass).items() if isinstance(attr, property)]
    return [n for n in dict.fromkeys(names) if not n.startswith("_")]


def _shared_empty(value: Any) -> bool:
    """Python's one empty tuple: two empty lists of rows are not one object an author would call by one name."""
    return isinstance(value, tuple) and not value


def _is_leaf(value: Any) -> bool:
    return value is None or isinstance(value, (str, bool, numbers.Number, dt.date, dt.time))


def _quote(key: object) -> str:
    return f'"{key}"' if isinstance(key, str) else str(key)


def root_of(name: str) -> str:
    """The top-level name a figure hangs from: 'robbery' for 'robbery.npt["X"].last_12'."""
    for i, char in enumerate(name):
        if char in ".[ ":
            return name[:i]
    return name


def section_of(name: str) -> str:
    """The section that owns a figure: a theme key, 'all_crime', 'period' or 'general'."""
    root = root_of(name)
    if root in ALL_CRIME_ROOTS:
        return "all_crime"
    if root == "period":
        return "period"
    if root in ("force", "cover", "scope", "data_quality"):
        return GENERAL
    return root


def belongs_to(name: str, section: str) -> bool:
    """Whether prose in ``section`` may quote this figure.

    The foreword and summary quote anything; the All Crime Summary its totals and
    tables; a theme its own figures and the all-crime totals. The period and the
    cover are common to all.
    """
    owner = section_of(name)
    if section in FRONT_SECTIONS or owner in ("period", GENERAL, section):
        return True
    return root_of(name) == "all_crime"


def section_figures(figures: list[Figure], section: str) -> list[Figure]:
    """The figures prose in ``section`` may quote, aliases left out."""
    return [(n, v) for n, v in figures if not isinstance(v, Alias) and belongs_to(n, section)]
