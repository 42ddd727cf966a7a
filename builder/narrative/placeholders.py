"""Fill narrative placeholders in jinja2's sandbox, with errors an author can act on.

Narrative is untrusted text as far as code is concerned: the sandbox stops
``{{ ''.__class__.__mro__ }}``-style escapes, and strict undefined turns a misspelt
figure name into a stopped build rather than a blank in a published report.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from builder.config.load import LoadedConfig
from builder.errors import NarrativeError
from builder.narrative.fields import Location, NarrativeField, dotted, narrative_fields
from builder.narrative.helpers import FILTERS

_NAME_WORDS = re.compile(r'"([^"]+)"|([A-Za-z_]\w*)')
_NAME_IN_MESSAGE = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'|no element '?([^']+?)'?$")


def environment() -> SandboxedEnvironment:
    """The sandboxed Jinja environment with the UK helpers as filters and globals."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters.update(FILTERS)
    env.globals.update(FILTERS)
    return env


@functools.lru_cache(maxsize=4096)
def _compiled(source: str) -> Template:
    """A field's template, compiled once per process and text.

    Compiling is most of the cost of rendering; ``--by`` renders the same narrative for
    every area and ``perfpack watch`` for every save. The environment holds no state
    between renders (the context is passed to each), so sharing it is safe.
    """
    return _shared_environment().from_string(source)


@functools.lru_cache(maxsize=1)
def _shared_environment() -> SandboxedEnvironment:
    return environment()


def render_narrative(loaded: LoadedConfig, context: dict[str, Any]) -> dict[Location, str]:
    """Render every narrative field; the first failure stops with file:line and advice."""
    return {f.location: render_field(f, context, loaded) for f in narrative_fields(loaded)}


def render_field(field: NarrativeField, context: dict[str, Any], loaded: LoadedConfig) -> str:
    """Render one field, turning Jinja's exceptions into a NarrativeError."""
    if "{" not in field.source:
        return field.source
    try:
        return _compiled(field.source).render(context)
    except TemplateSyntaxError as exc:
        line = _file_line(loaded, field, exc.lineno)
        raise NarrativeError(
            f"{loaded.path}:{line}: {dotted(field.location)}: placeholder syntax error: {exc.message}; "
            "placeholders look like {{ robbery.last_12 }}"
        ) from None
    except SecurityError as exc:
        attribute = re.search(r"attribute '([^']+)'", str(exc))
        line = _file_line(loaded, field, _line_in(field.source, attribute.group(1) if attribute else "__"))
        raise NarrativeError(
            f"{loaded.path}:{line}: {dotted(field.location)}: not allowed in narrative ({exc}); "
            "use only figure names and filters"
        ) from None
    except UndefinedError as exc:
        name = _name_from(str(exc))
        line = _file_line(loaded, field, _line_in(field.source, name))
        if str(exc).startswith("'None' has no attribute"):
            raise NarrativeError(
                f"{loaded.path}:{line}: {dotted(field.location)}: the figure before '.{name}' has no value "
                "for these data (for example, nothing rose); guard the sentence with {% if … %}"
            ) from None
        hint = _suggest(name, context)
        raise NarrativeError(
            f"{loaded.path}:{line}: {dotted(field.location)}: unknown figure name '{name}'"
            f"{hint}; run `perfpack figures` to list the names"
        ) from None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        line = _file_line(loaded, field, 1)
        raise NarrativeError(
            f"{loaded.path}:{line}: {dotted(field.location)}: cannot fill a placeholder ({exc}); "
            "check the filter and the figure name"
        ) from None


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
    """1-based line of the first placeholder mentioning ``name`` in a field."""
    for number, text in enumerate(source.splitlines(), start=1):
        if name in text:
            return number
    return 1


def _file_line(loaded: LoadedConfig, field: NarrativeField, template_line: int | None) -> int:
    """Map a line inside a field to a line of the YAML file.

    A block scalar (``text: |``) starts on the line after its key, so the field's line
    n stands at key line + n; a one-line value stands on the key's line.
    """
    key_line = loaded.line_of(field.location) or 1
    if isinstance(loaded.node_at(field.location), (LiteralScalarString, FoldedScalarString)):
        return key_line + (template_line or 1)
    return key_line + (template_line or 1) - 1
