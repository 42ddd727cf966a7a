"""A warning about narrative, and the line of the YAML file it points at.

Every check of the narrative (typed figures, placeholders printed raw, text left to
replace) reports the same way, ``config/pack.yaml:281: drugs: what: why``, so an author
can go straight to the line whichever check spoke.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.scalarstring import LiteralScalarString

from builder.config.load import LoadedConfig
from builder.narrative.fields import NarrativeField


@dataclass(frozen=True)
class NarrativeWarning:
    """Something in the narrative to fix before publishing: where it is, what it is and what to do."""

    path: Path
    line: int
    section: str
    subject: str
    """What was found, as the author wrote it: '{{ drugs.change_pct }}', 'TBC'."""
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.section}: {self.subject}: {self.message}"


def section_for(loaded: LoadedConfig, field: NarrativeField) -> str:
    """The section a field belongs to: 'foreword', 'all_crime', or a theme's key."""
    if field.location[0] == "themes":
        return loaded.config.themes[int(field.location[1])].key
    return str(field.location[0])


def line_in_file(
    loaded: LoadedConfig, field: NarrativeField, line: int, snippets: tuple[str, ...], file_lines: list[str]
) -> int:
    """The YAML file line that line ``line`` of a field stands on.

    In a literal block (``text: |``) line n of the text is the key's line + n, even for a
    one-line block. Other styles fold or join lines, so the first of ``snippets`` found
    in the file from the key down to the end of the value gives the line.
    """
    key_line = loaded.line_of(field.source_location) or 1
    if isinstance(loaded.node_at(field.source_location), LiteralScalarString):
        return key_line + line
    end = _value_end(file_lines, key_line)
    for snippet in snippets:
        for index in range(key_line - 1, end):
            if snippet and snippet in file_lines[index]:
                return index + 1
    return key_line


def _value_end(file_lines: list[str], key_line: int) -> int:
    """Index past the last line of the value that starts on ``key_line`` (its indented block)."""

    def indent(text: str) -> int:
        return len(text) - len(text.lstrip())

    own = indent(file_lines[key_line - 1]) if key_line <= len(file_lines) else 0
    for index in range(key_line, len(file_lines)):
        if file_lines[index].strip() and indent(file_lines[index]) <= own:
            return index
    return len(file_lines)
