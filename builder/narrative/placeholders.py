"""Fill narrative placeholders in jinja2's sandbox, with errors an author can act on.

Narrative is untrusted text as far as code is concerned: the sandbox
(``narrative.sandbox``) stops ``{{ ''.__class__.__mro__ }}``-style escapes and bounds
the time and memory a field may take, and strict undefined turns a misspelt figure name
into a stopped build rather than a blank in a published report.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import numbers
import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from builder.config.load import LoadedConfig
from builder.errors import NarrativeError
from builder.narrative.fields import Location, NarrativeField, dotted, field_name, narrative_fields
from builder.narrative.notation import python_notation
from builder.narrative.phrases import FILTERS
from builder.narrative.placement import chart
from builder.narrative.sandbox import BoundedSandbox, BudgetExceeded, time_budget
from builder.narrative.unformatted import Printed, is_raw

TEMPLATE_OUTPUT = 20_000_000
"""Characters one part of the Word template may render to (its XML, with the cover filled in)."""

_NAME_WORDS = re.compile(r'"([^"]+)"|([A-Za-z_]\w*)')
_EMPTY_LIST = re.compile(r"No (first|last|random) item, sequence was empty|(?:list|tuple) object has no element (\d+)")
"""Jinja's words for taking an item of an empty list: ``x | first`` or ``x[0]`` when nothing is in ``x``."""
_NAME_IN_MESSAGE = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'|no element '?([^']+?)'?$")


def environment() -> BoundedSandbox:
    """The bounded, sandboxed Jinja environment with the UK helpers as filters and globals."""
    env = BoundedSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.add_filters(FILTERS)
    env.globals["chart"] = chart
    return env


def template_environment() -> BoundedSandbox:
    """The same sandbox for the Word template: XML-escaped output, a larger cap for a whole part.

    A new one per render, since docxtpl compiles each part afresh and may set options on it.
    """
    env = BoundedSandbox(undefined=StrictUndefined, autoescape=True, max_output=TEMPLATE_OUTPUT)
    env.add_filters(FILTERS)
    return env


_WATCH = "_perfpack_printed"
"""The filter wrapped round every placeholder's value to note raw numbers as they print."""
_RAW: ContextVar[list[tuple[int, float | int]] | None] = ContextVar("raw_numbers", default=None)
_PRINT_TAG = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_ANY_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


@functools.lru_cache(maxsize=4096)
def _compiled(source: str) -> Template:
    """A field's template, compiled once per process and text, each placeholder watched for raw numbers.

    Compiling is most of the cost of rendering; ``--by`` renders the same narrative for
    every area and ``perfpack watch`` for every save. The environment holds no state
    between renders (the context is passed to each), so sharing it is safe.
    """
    environment = _shared_environment()
    tree = environment.parse(source)
    for index, (holder, position, expression) in enumerate(_printed_expressions(tree)):
        if not _exempt(expression):
            holder.nodes[position] = nodes.Filter(
                expression, _WATCH, [nodes.Const(index)], [], None, None, lineno=expression.lineno
            )
    return environment.from_string(tree)


def _printed_expressions(tree: nodes.Template) -> list[tuple[nodes.Output, int, nodes.Expr]]:
    """Every ``{{ }}`` expression in source order (the order the parser met them)."""
    return [
        (output, i, node)
        for output in tree.find_all(nodes.Output)
        for i, node in enumerate(output.nodes)
        if not isinstance(node, nodes.TemplateData)
    ]


def _exempt(expression: nodes.Expr) -> bool:
    """A number typed in the placeholder itself ('{{ 20 }}') or a year prints as intended."""
    return isinstance(expression, nodes.Const) or (isinstance(expression, nodes.Getattr) and expression.attr == "year")


class NotAValue(Exception):
    """A placeholder printed something that is not one figure: a group of figures, a list, nothing."""

    def __init__(self, index: int, value: object) -> None:
        super().__init__(type(value).__name__)
        self.index = index
        self.value = value


def prints_as_text(value: object) -> bool:
    """Whether a value reads as text in a sentence: text, a number, a date, or an object written to print.

    A group of figures (``{{ bbc }}``), a list or None would print Python's own notation
    ("ThemeFigures(key='bbc', …)", "None") into a published sentence.
    """
    return isinstance(value, str | numbers.Real | dt.date) or type(value).__str__ is not object.__str__


def _note_raw(value: Any, index: int) -> Any:
    """Pass the value through, noting it when it would print as a raw number; refuse what is not a value."""
    if not prints_as_text(value):
        raise NotAValue(index, value)
    sink = _RAW.get()
    if sink is not None and is_raw(value):
        sink.append((index, value))
    return value


@functools.lru_cache(maxsize=1)
def _shared_environment() -> BoundedSandbox:
    env = environment()
    env.filters[_WATCH] = _note_raw
    return env


def render_narrative(
    loaded: LoadedConfig, context: dict[str, Any], raw: list[Printed] | None = None
) -> dict[Location, str]:
    """Render every narrative field; the first failure stops with file:line and advice.

    With ``raw``, every placeholder that printed a raw number (an unrounded float, a
    count without separators) is added to it.
    """
    return {f.location: render_field(f, context, loaded, raw) for f in narrative_fields(loaded)}


def render_field(
    field: NarrativeField, context: dict[str, Any], loaded: LoadedConfig, raw: list[Printed] | None = None
) -> str:
    """Render one field within its time and size budget, turning every failure into a NarrativeError.

    Whatever goes wrong while filling author text is the author's to fix, so every
    exception becomes one line naming the file, the line and the field, never a traceback.
    """
    if "{" not in field.source:
        return field.source
    noted: list[tuple[int, float | int]] = []
    token = _RAW.set(noted if raw is not None else None)
    try:
        with time_budget():
            text = _compiled(field.source).render(context)
    except Exception as exc:  # every failure of author text is reported, see the docstring
        raise NarrativeError(_describe(exc, field, context, loaded)) from None
    finally:
        _RAW.reset(token)
    if noted and raw is not None:
        raw.extend(_printed(field, noted))
    found = python_notation(text)
    if found is not None:
        raise NarrativeError(_notation(*found, field, loaded))
    return text


def _notation(shown: str, line: int, field: NarrativeField, loaded: LoadedConfig) -> str:
    """'config/pack.yaml:128: foreword.text: the text would print Python's notation …'.

    The line is the filled text's line, which is the field's line unless a loop or a
    block added or took lines before it.
    """
    name = field_name(loaded.config, field.location) if field.origin is None else dotted(field.origin)
    return (
        f"{loaded.path}:{_file_line(loaded, field, line)}: {name}: the text would print Python's notation "
        f"('{shown}…'): a placeholder gives a group of figures, not one figure; name one of its figures, "
        "for example {{ robbery.last_12 | number }} (`perfpack figures` lists them)"
    )


def _printed(field: NarrativeField, noted: list[tuple[int, float | int]]) -> list[Printed]:
    """The raw numbers noted while rendering a field, with each placeholder as written and its line."""
    source = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), field.source)
    tags = list(_PRINT_TAG.finditer(source))
    found = []
    first: dict[int, float | int] = {}
    for index, value in noted:  # a loop prints one placeholder many times: its first value will do
        first.setdefault(index, value)
    for index, value in first.items():
        if index < len(tags):
            tag = tags[index]
            found.append(Printed(field.source_location, source.count("\n", 0, tag.start()) + 1, tag.group(0), value))
    return found


def _describe(exc: Exception, field: NarrativeField, context: dict[str, Any], loaded: LoadedConfig) -> str:
    """'config/pack.yaml:42: drugs.trend: <what is wrong>; <what to do>'."""
    name = field_name(loaded.config, field.location) if field.origin is None else dotted(field.origin)

    def at(template_line: int | None) -> str:
        return f"{loaded.path}:{_file_line(loaded, field, template_line)}: {name}"

    if isinstance(exc, TemplateSyntaxError):
        return (
            f"{at(exc.lineno)}: placeholder syntax error: {exc.message}{_filter_hint(exc.message or '')}; "
            "placeholders look like {{ robbery.last_12 }}"
        )
    if isinstance(exc, SecurityError):
        attribute = unsafe_attribute(exc, field.source)
        return f"{at(_line_in(field.source, attribute))}: not allowed in narrative: {why_unsafe(attribute)}; use only figure names and filters"
    if isinstance(exc, UndefinedError):
        empty = _EMPTY_LIST.search(str(exc))
        if empty:
            line, advice = _empty_list(field, empty)
            return f"{at(line)}: {advice}"
        missing = _name_from(str(exc))
        line = _line_in(field.source, missing)
        if str(exc).startswith("'None' has no attribute"):
            return (
                f"{at(line)}: the figure before '.{missing}' has no value for these data "
                "(for example, nothing rose); guard the sentence with {% if … %}"
            )
        return (
            f"{at(line)}: unknown figure name '{missing}'{_suggest(missing, context)}; "
            "run `perfpack figures` to list the names"
        )
    if isinstance(exc, NotAValue):
        return _not_a_value(exc, field, at)
    return f"{at(_template_line(exc))}: {runtime_problem(exc)}"


def _not_a_value(exc: NotAValue, field: NarrativeField, at: Callable[[int | None], str]) -> str:
    """'{{ bbc }} prints a group of figures, not one figure; …' with the placeholder's line."""
    source = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), field.source)
    tags = list(_PRINT_TAG.finditer(source))
    tag = tags[exc.index] if exc.index < len(tags) else None
    shown = tag.group(0) if tag else "a placeholder"
    line = source.count("\n", 0, tag.start()) + 1 if tag else None
    if exc.value is None:
        return (
            f"{at(line)}: {shown} has no value for these data (for example, nothing rose); "
            "guard the sentence with {% if … %}"
        )
    what = "a list" if isinstance(exc.value, list | tuple) else f"a group of figures ({type(exc.value).__name__})"
    return (
        f"{at(line)}: {shown} prints {what}, not one figure; name one of its figures, "
        "for example {{ robbery.last_12 | number }} (`perfpack figures` lists them)"
    )


def _empty_list(field: NarrativeField, empty: re.Match[str]) -> tuple[int, str]:
    """Taking the first (or n-th) item of a list that is empty for these data: the line, and what to do."""
    which, index = empty.groups()
    needle = f"| {which}" if which else f"[{index}]"
    item = f"its {which} item" if which else f"item [{index}]"
    return _line_in(field.source, needle) if needle in field.source else 1, (
        f"a list in this sentence is empty for these data (for example, no district recorded any), so {item} "
        "has no value; write the sentence inside {% if the_list %} … {% else %}wording for when there is none{% endif %}"
    )


def _filter_hint(message: str) -> str:
    """' (did you mean 'number'?)' after Jinja's 'No filter named 'numbr'.'"""
    named = re.search(r"No (?:filter|test) named '([^']+)'", message)
    if not named:
        return ""
    close = difflib.get_close_matches(named.group(1), sorted(_shared_environment().filters), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def unsafe_attribute(exc: SecurityError, source: str) -> str:
    """The name the sandbox refused: the first ``._private`` name in the text, else the one in the message."""
    private = re.search(r"\.\s*(_\w*)", source)
    if private:
        return private.group(1)
    named = re.search(r"attribute '([^']+)'", str(exc))
    return named.group(1) if named else "__"


def why_unsafe(attribute: str) -> str:
    """Why the sandbox refused a name, in an author's words."""
    if attribute.startswith("_"):
        return f"'{attribute}' reaches into Python's internals"
    return f"'{attribute}' would change a list or table, and placeholders may only read"


def runtime_problem(exc: BaseException) -> str:
    """What went wrong while a placeholder was being filled, and what to do, in an author's words."""
    if isinstance(exc, BudgetExceeded):
        return str(exc)
    if isinstance(exc, ZeroDivisionError):
        return "a placeholder divides by zero; guard it with {% if … %} or use a figure that is never 0"
    if isinstance(exc, OverflowError):
        return "a placeholder makes a number too large to compute; use figures of a sensible size"
    if isinstance(exc, RecursionError):
        return "a macro calls itself without end; remove the call"
    if isinstance(exc, MemoryError):
        return "a placeholder needs more memory than this machine has; simplify it"
    text = str(exc)
    if "NoneType" in text:
        return (
            "a figure used in a placeholder has no value for these data (for example, nothing rose); "
            "guard the sentence with {% if … %}"
        )
    if isinstance(exc, IndexError | KeyError):
        return f"a placeholder asks for an item that is not there ({text}); check the position or label"
    shown = text[:200] if isinstance(exc, ValueError) else f"{type(exc).__name__}: {text[:200]}"
    return f"cannot fill a placeholder ({shown}); check the filter and the figure name"


def _template_line(exc: BaseException) -> int:
    """The line of the field being run when ``exc`` was raised (Jinja names its frames '<template>')."""
    line = 1
    traceback = exc.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _name_from(message: str) -> str:
    match = _NAME_IN_MESSAGE.search(message)
    if not match:
        return message
    return next(g for g in match.groups() if g)


def _suggest(name: str, context: dict[str, Any]) -> str:
    """' (did you mean 'sentence'?)' when a known name, at any depth, is close."""
    close = difflib.get_close_matches(name, sorted(_known_names(context) - {name}), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _known_names(context: dict[str, Any]) -> set[str]:
    """Every word of every placeholder name ``perfpack figures`` lists: names, attributes, row labels."""
    from builder.narrative.catalogue import figure_names

    names = (name for name, _ in figure_names(context))
    return {word for name in names for pair in _NAME_WORDS.findall(name) for word in pair if word}


def _line_in(source: str, name: str) -> int:
    """1-based line of the first placeholder mentioning ``name`` in a field.

    The name is looked for as a whole name inside a tag first: 'on' must find
    ``{{ on }}``, not the "on" of "not only" in the prose before it.
    """
    before = r"(?<![\w.])" if name[:1].isalnum() or name[:1] == "_" else ""
    after = r"(?!\w)" if name[-1:].isalnum() or name[-1:] == "_" else ""
    whole = re.compile(before + re.escape(name) + after)
    for tag in _ANY_TAG.finditer(source):
        found = whole.search(tag.group(0))
        if found is not None:
            return source.count("\n", 0, tag.start() + found.start()) + 1
    for number, text in enumerate(source.splitlines(), start=1):
        if name in text:
            return number
    return 1


def _file_line(loaded: LoadedConfig, field: NarrativeField, template_line: int | None) -> int:
    """Map a line inside a field to a line of the YAML file.

    A block scalar (``text: |``) starts on the line after its key, so the field's line
    n stands at key line + n; a one-line value stands on the key's line.
    """
    key_line = loaded.line_of(field.source_location) or 1
    if isinstance(loaded.node_at(field.source_location), (LiteralScalarString, FoldedScalarString)):
        return key_line + (template_line or 1)
    return key_line + (template_line or 1) - 1
