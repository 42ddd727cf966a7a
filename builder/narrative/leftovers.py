"""Text an author must replace before publishing: 'TBC', 'TODO', 'XX', '[insert …]', and the config's own markers.

A template pack is full of prompts ("For the force to complete: the actions taken…");
one left in a published pack is an embarrassment no figure check would catch. The
narrative and the cover are read as written, outside Jinja comments (which never print).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.config.load import LoadedConfig
from builder.narrative.fields import NarrativeField, narrative_fields
from builder.narrative.warning import NarrativeWarning, line_in_file, section_for

BUILT_IN = (
    re.compile(r"(?<!\w)(?:TBC|TBA|TODO)(?!\w)", re.IGNORECASE),
    re.compile(r"(?<![\w£$€])X{2,}(?:,X{3})*(?![\w])"),  # XX, XX%, £XX, XX,XXX
    re.compile(r"\[\s*insert\b[^\]\n]*\]?", re.IGNORECASE),
    re.compile(r"\bfor the force to complete\b", re.IGNORECASE),
)
"""The prompts every template uses."""
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
MESSAGE = "text to replace before the pack is published"


def leftover_warnings(loaded: LoadedConfig) -> list[NarrativeWarning]:
    """Every prompt left in the narrative or on the cover, with its file line."""
    patterns = [*BUILT_IN, *(re.compile(re.escape(m), re.IGNORECASE) for m in loaded.config.leftover_markers if m)]
    file_lines = loaded.path.read_text(encoding="utf-8-sig").splitlines()
    warnings = []
    for field in [*narrative_fields(loaded), *cover_fields(loaded)]:
        for line, found in leftovers(field.source, patterns):
            where = line_in_file(loaded, field, line, (found,), file_lines)
            warnings.append(NarrativeWarning(loaded.path, where, section_for(loaded, field), f'"{found}"', MESSAGE))
    return sorted(dict.fromkeys(warnings), key=lambda w: w.line)


def leftovers(source: str, patterns: list[re.Pattern[str]]) -> Iterator[tuple[int, str]]:
    """(line in the field, text) of each prompt in ``source``, in order."""
    text = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    found = sorted((m.start(), m.group(0).strip()) for pattern in patterns for m in pattern.finditer(text))
    for start, match in found:
        yield text.count("\n", 0, start) + 1, match


def cover_fields(loaded: LoadedConfig) -> Iterator[NarrativeField]:
    """The cover's text (owner, authors, …), where 'TBC' is as easily left as in the prose."""
    for key, value in loaded.config.cover.model_dump().items():
        if isinstance(value, str):
            yield NarrativeField(("cover", key), value)
