"""The wording slips a reader would notice, found in a built pack's prose.

Shared by the matrix tests and by anyone measuring a build: each rule is a pattern a
careful editor would never let through ("1 crimes", "13 of the 13", "zero", "0%" for a
change that happened, a hyphen for a minus, two spellings of one crime type, "Drug
Offences has").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from docx_helpers import body_items, open_docx

NOUNS = (
    "crimes|offences|robberies|burglaries|incidents|outcomes|thefts|types|categories|districts|teams|areas"
    "|Neighbourhood Policing Teams|crime types|crime categories|vehicle crimes|drug offences"
)
RULES: dict[str, re.Pattern[str]] = {
    "1 with a plural noun": re.compile(rf"(?<![\d,.−-])1 (?:{NOUNS})\b"),
    "N of the N": re.compile(r"\b(\w+) of the \1\b"),
    "zero": re.compile(r"\bzero\b", re.IGNORECASE),
    "0% for a change or share": re.compile(r"(?<![\d.,])0%"),
    "hyphen for a minus": re.compile(r"(?<![\w)])-\d"),
    "n/a in prose": re.compile(r"\bn/a\b"),
    "plural title with a singular verb": re.compile(r"\b[Oo]ffences (?:has|was)\b|\b[Oo]ffences(?: \w+){0,3} its\b"),
    "verb missing after a name": re.compile(r"\bwas [A-Z][\w ]+ (?:rose|fell) by\b"),
}
PROSE_STYLES = ("Normal", "List Bullet", "List Number", "List Paragraph", None)


def pack_slips(docx: Path) -> list[tuple[str, str]]:
    """Every wording slip of a built pack: its prose by the rules, its names by their spellings."""
    names, texts = names_and_text(docx)
    return slips(prose(docx)) + [("one name, two spellings", pair) for pair in two_spellings(names, texts)]


def prose(docx: Path) -> list[str]:
    """The pack's narrative paragraphs: body text and lists, not headings, captions, tables or notes."""
    paragraphs = []
    for item in body_items(open_docx(docx)):
        style = getattr(getattr(item, "style", None), "name", None)
        if hasattr(item, "text") and style in PROSE_STYLES and item.text.strip():
            paragraphs.append(item.text)
    return paragraphs


def slips(paragraphs: Iterable[str]) -> list[tuple[str, str]]:
    """(rule, snippet) for every slip in ``paragraphs``."""
    found = []
    texts = list(paragraphs)
    for text in texts:
        for rule, pattern in RULES.items():
            for match in pattern.finditer(text):
                start = max(0, match.start() - 30)
                found.append((rule, text[start : match.end() + 30]))
    return found


def names_and_text(docx: Path) -> tuple[set[str], list[str]]:
    """The names a pack prints (table row labels and headings) and all its text, tables included."""
    names: set[str] = set()
    texts: list[str] = []
    for item in body_items(open_docx(docx)):
        if hasattr(item, "rows"):
            for row in item.rows:
                cells = [cell.text for cell in row.cells]
                names.add(cells[0])
                texts.extend(cells)
        else:
            texts.append(item.text)
            style = getattr(getattr(item, "style", None), "name", "") or ""
            if style.startswith("Heading"):
                names.add(item.text)
    return {n for n in names if sum(c.isupper() for c in n) >= 2}, texts


def two_spellings(names: Iterable[str], texts: Iterable[str]) -> list[str]:
    """Names printed in two spellings that differ only in capitals ('Theft Of' / 'Theft of Motor Vehicles').

    Lower-case uses in running text ("personal robbery") are words, not the name, and are allowed.
    """
    joined = "\n".join(texts)
    found = []
    for name in sorted(names):
        variants = {m.group(0) for m in re.finditer(re.escape(name), joined, re.IGNORECASE)}
        capitals = {v for v in variants if sum(c.isupper() for c in v) >= 2}
        if len(capitals) > 1:
            found.append(" / ".join(sorted(capitals)))
    return found
