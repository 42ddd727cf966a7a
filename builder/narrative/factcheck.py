"""Find figures an author typed into narrative that the data do not bear out.

Placeholders are right by construction; a typed "419" is right only until the data
change (or never was, as in the 2018 pack whose prose said 419 where its table said
416). This scans the narrative *source* outside ``{{ }}``, ``{% %}`` and ``{# #}``,
picks out counts and percentages, and compares each with the computed figures its
section may quote, allowing for the rounding the author showed ("26%" is 26.03,
"1,800" is 1,802). What cannot be a figure of the data is left alone: years, dates,
ordinals, durations ("12 months"), rate bases ("per 1,000"), list numbers, money.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.scalarstring import LiteralScalarString

from builder.config.load import LoadedConfig
from builder.figures.rounding import round_half_up
from builder.narrative.catalogue import Figure, figure_names, section_figures
from builder.narrative.fields import NarrativeField, narrative_fields
from builder.narrative.helpers import number

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_NOT_FIGURES = re.compile(
    r"https?://\S+|\]\([^)]*\)"  # links
    r"|\b\d{4}-\d{1,2}(?:-\d{1,2})?\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"  # ISO and UK dates
    r"|\b\d{4}/\d{2,4}\b|\b\d{1,2}:\d{2}\b"  # financial years, times
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\b|\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    r"|\bper\s+\d[\d,]*"  # rate bases: per 1,000
    r"|\b\d[\d,]*(?:\.\d+)?[\s-](?:second|minute|hour|day|week|fortnight|month|year|decade)s?\b",
    re.IGNORECASE,
)
_LIST_NUMBER = re.compile(r"^([ \t]*)(\d+)[.)](?=\s)")
_LIST_ITEM = re.compile(r"^[ \t]*(?:\d+[.)]|[-*+])\s")
_NUMBER = re.compile(
    r"(?<![\w.,£$€#/\\:])(?<!\w[-–/])"
    r"(?P<sign>[-−+](?=\d))?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<decimals>\.\d+)?"
    r"(?![\w]|[.,]\d)(?P<pct>\s?%|\s(?:per\s?cent|percent)\b)?",
    re.IGNORECASE,
)
_CHANGE_WORDS = re.compile(
    r"\b(?:rose|fell|grew|dropped|increased|decreased|reduced|went (?:up|down)|up|down|rise|fall|increase"
    r"|decrease|reduction|drop|change)\s+(?:by\s+|of\s+)?(?:about\s+|around\s+|nearly\s+|almost\s+"
    r"|over\s+|more than\s+|less than\s+|some\s+)?$",
    re.IGNORECASE,
)
_COUNT_NOUN = re.compile(
    r"\s+(?:crimes|offences|incidents|victims|arrests|outcomes|robberies|burglaries|thefts)", re.IGNORECASE
)


@dataclass(frozen=True)
class Literal:
    """A figure as typed: its magnitude, the decimals shown, and whether it is a percentage."""

    text: str
    value: float
    decimals: int
    percent: bool
    signed: bool
    line: int  # 1-based line within the field
    change: bool = False  # typed as a change ("fell by 419"), so compared first with changes
    before: str = ""  # the words just before it on its line, to find it in the YAML file


@dataclass(frozen=True)
class Warning:
    """A typed figure that matches nothing the data say, with where it is and the nearest figure.

    It shadows the builtin ``Warning`` inside this module only; nothing here raises warnings.
    """

    path: Path
    line: int
    literal: str
    nearest: Figure | None
    message: str
    section: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.section}: {self.literal}: {self.message}"


def fact_check_warnings(loaded: LoadedConfig, context: dict[str, Any]) -> list[Warning]:
    """Every typed figure in the config's narrative that no computed figure of its section matches."""
    figures = figure_names(context)
    file_lines = loaded.path.read_text(encoding="utf-8-sig").splitlines()
    by_section: dict[str, list[Figure]] = {}
    warnings: list[Warning] = []
    for field in narrative_fields(loaded):
        section = section_for(loaded, field)
        if section not in by_section:
            by_section[section] = _numeric(section_figures(figures, section))
        for literal in typed_figures(field.source):
            found = check_literal(literal, by_section[section])
            if found is not None:
                line = file_line(loaded, field, literal, file_lines)
                warnings.append(Warning(loaded.path, line, literal.text, found[0], found[1], section))
    return _unique(warnings)


def file_line(loaded: LoadedConfig, field: NarrativeField, literal: Literal, file_lines: list[str]) -> int:
    """The YAML file line a typed figure stands on.

    In a literal block (``text: |``) line n of the text is the key's line + n, even for a
    one-line block. Other styles fold or join lines, so the figure is looked for in the
    file from the key down to the end of the value, with the words before it first.
    """
    key_line = loaded.line_of(field.location) or 1
    if isinstance(loaded.node_at(field.location), LiteralScalarString):
        return key_line + literal.line
    end = _value_end(file_lines, key_line)
    for snippet in (literal.before + literal.text, literal.text):
        for index in range(key_line - 1, end):
            if snippet in file_lines[index]:
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


def section_for(loaded: LoadedConfig, field: NarrativeField) -> str:
    """The section a field belongs to: 'foreword', 'all_crime', or a theme's key."""
    if field.location[0] == "themes":
        return loaded.config.themes[int(field.location[1])].key
    return str(field.location[0])


def typed_figures(source: str) -> Iterator[Literal]:
    """The counts and percentages typed in ``source``, outside placeholders."""
    text = _blank_list_numbers(_blank(_NOT_FIGURES, _blank(_TEMPLATE_TAG, source)))
    for match in _NUMBER.finditer(text):
        literal = _literal(match, text, source)
        if literal is not None:
            yield literal


def check_literal(literal: Literal, figures: list[Figure]) -> tuple[Figure | None, str] | None:
    """None when a figure matches; else the nearest figure and what to tell the author."""
    candidates = [(n, v) for n, v in figures if _is_percent(n) == literal.percent and isinstance(v, numbers.Real)]
    if any(_matches(literal, float(v)) for _, v in candidates):
        return None
    if not candidates:
        return None, "no computed figure of this section to compare with; use a placeholder"
    likely = [f for f in candidates if _is_change(f[0])] if literal.change else []
    # Nearest in size: a figure typed with the wrong sign is closest to its own magnitude.
    nearest = min(likely or candidates, key=lambda f: (abs(abs(float(f[1])) - abs(literal.value)), _depth(f[0])))
    return nearest, f"the data say {_shown(literal, float(nearest[1]))} ({nearest[0]})"


def _literal(match: re.Match[str], text: str, source: str) -> Literal | None:
    """A Literal from a regex match, or None for a year."""
    digits, decimals = match["digits"], match["decimals"] or ""
    percent = match["pct"] is not None
    value = float(digits.replace(",", "") + decimals)
    if not percent and _looks_like_year(digits, decimals, text[match.end() :]):
        return None
    sign = (match["sign"] or "").replace("−", "-")
    line = text.count("\n", 0, match.start()) + 1
    before = " ".join(text[max(0, match.start() - 40) : match.start()].split()) + " "
    return Literal(
        match.group(0).strip(),
        -value if sign == "-" else value,
        len(decimals) - bool(decimals),
        percent,
        bool(sign),
        line,
        bool(_CHANGE_WORDS.search(before)),
        _words_before(source, match),
    )


def _words_before(source: str, match: re.Match[str]) -> str:
    """Up to a dozen characters of the original text before a figure, from a word start, same line."""
    line_start = source.rfind("\n", 0, match.start()) + 1
    before = source[max(line_start, match.start() - 12) : match.start()]
    return before[before.find(" ") :] if " " in before and match.start() - 12 > line_start else before


def _looks_like_year(digits: str, decimals: str, after: str) -> bool:
    """1900-2100 typed without separators is a year, unless a count noun follows ('2018 crimes')."""
    return not decimals and len(digits) == 4 and 1900 <= int(digits) <= 2100 and not _COUNT_NOUN.match(after)


def _matches(literal: Literal, value: float) -> bool:
    """Whether ``value`` shown at the literal's precision reads as the literal.

    Whole numbers ending in zeros may be rounded further ('1,800' for 1,802), as long
    as two significant digits remain, so '20' never stands for 15 to 24.
    """
    value = _comparable(literal, value)
    if round_half_up(value, literal.decimals) == literal.value:
        return True
    if literal.decimals or literal.percent:
        return False
    digits = str(int(abs(literal.value)))
    zeros = len(digits) - len(digits.rstrip("0"))
    return any(round_half_up(value, -j) == literal.value for j in range(1, min(zeros, len(digits) - 2) + 1))


def _comparable(literal: Literal, value: float) -> float:
    """Signed when the author typed a sign, else the magnitude ('fell by 416' is -416)."""
    return value if literal.signed else abs(value)


def _shown(literal: Literal, value: float) -> str:
    """A figure written the way the author wrote theirs."""
    value = _comparable(literal, value)
    text = number(value, literal.decimals)
    if literal.signed and value > 0:
        text = "+" + text
    return f"{text}%" if literal.percent else text


def _is_percent(name: str) -> bool:
    return "pct" in name


def _depth(name: str) -> int:
    """How deep a name goes; of equal figures the shallowest ('drugs.difference') is the one to cite."""
    return name.count(".") + name.count("[")


def _is_change(name: str) -> bool:
    """Figures a sentence like 'fell by …' quotes: a difference or a percentage change."""
    return name.endswith((".difference", "change_pct"))


def _numeric(figures: list[Figure]) -> list[Figure]:
    """Numbers only: no text, dates, flags, None or NaN."""
    return [(n, v) for n, v in figures if isinstance(v, numbers.Real) and not isinstance(v, bool) and not math.isnan(v)]


def _blank(pattern: re.Pattern[str], text: str) -> str:
    """Replace every match with spaces, keeping newlines, so positions and lines still hold."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _blank_list_numbers(text: str) -> str:
    """Blank Markdown list numbers ('1. ', '2) ') where they open a list item.

    As in CommonMark, an item starts a list after a blank line (or a '1.' interrupts a
    paragraph) and the list goes on through continuation lines until a blank line and
    an unindented paragraph; '416.' wrapped to the start of a line of prose stays a figure.
    """
    lines = text.split("\n")
    in_list, after_blank = False, True
    for i, line in enumerate(lines):
        if not line.strip():
            after_blank = True
            continue
        item, numbered = _LIST_ITEM.match(line), _LIST_NUMBER.match(line)
        if item and (in_list or after_blank or (numbered and numbered.group(2) == "1")):
            in_list = True
            if numbered:
                lines[i] = " " * numbered.end() + line[numbered.end() :]
        elif after_blank and not line[:1].isspace():
            in_list = False
        after_blank = False
    return "\n".join(lines)


def _unique(warnings: list[Warning]) -> list[Warning]:
    """One warning per literal per line, in file order."""
    seen: dict[tuple[int, str], Warning] = {}
    for warning in warnings:
        seen.setdefault((warning.line, warning.literal), warning)
    return sorted(seen.values(), key=lambda w: w.line)
