"""Python's own notation in filled text: a group of figures printed where one figure was meant.

``{{ bbc }}`` is refused where it is printed, but the same object reaches the text through
``| string``, ``~``, ``format`` or ``join`` ("ThemeFigures(key='bbc', …)",
"Row(label='Tamworth', …)"). Looking at what was written catches every way in: these
shapes do not occur in a police pack's English.
"""

from __future__ import annotations

import re

NOTATION = re.compile(
    r"\b[A-Z][A-Za-z]+\((?:[a-z_]\w*=|\))"  # a dataclass: ThemeFigures(key=…, Window(start=…
    r"|\bdatetime\.(?:date|datetime)\("  # a date inside one of them
    r"|<[\w.]+ object at 0x[0-9a-fA-F]+>"  # an object without a text form
    r"|<\w*(?:Reference|Module|Namespace)\b"  # Jinja's own objects: {{ self }}
    r"|\{'[^'\n]{1,80}': "  # a dict
    r"|\b[a-z_]+='[^'\n]*' [a-z_]+="  # a pydantic model's fields: force='…' title=…
)


def python_notation(text: str) -> tuple[str, int] | None:
    """The first piece of Python notation in ``text`` (up to 40 characters) and its 1-based line, or None."""
    found = NOTATION.search(text)
    if found is None:
        return None
    return text[found.start() : found.start() + 40], text.count("\n", 0, found.start()) + 1
