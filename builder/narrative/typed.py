"""Find the figures an author typed into narrative, and what kind of figure each one is.

Placeholders are right by construction; a typed "419" is right only until the data
change. This module reads a field's *source* outside ``{{ }}``, ``{% %}`` and ``{# #}``
and picks out counts, percentages and peer ranks, leaving alone what cannot be a figure
of the data: years, dates, ordinals that are not ranks, durations ("12 months"), rate
bases ("per 1,000"), list numbers and money. Markdown emphasis is read through, so
"fell by **419**" is the same change as "fell by 419".

Each figure gets a *kind* from the words around it, because "fell by 416" can only be
checked against a change and "makes up 50%" only against a share: a number that
matches some unrelated figure of the right size is no evidence that it is right.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

CHANGE = "change"
"""A difference or a percentage change: 'fell by 416', 'a 19% fall', '(19%)' after a change."""
SHARE = "share"
"""A percentage of a whole: 'makes up 50%', '55% of drug offences'."""
INCREASE_SHARE = "increase_share"
"""A share of the total increase: '55% of the increase'."""
RATE = "rate"
"""A rate: '1.8 per 1,000 people', 'a rate of 1.8'."""
RANK = "rank"
"""A position among peers: 'ranks 4th'."""
GROUP_SIZE = "group_size"
"""How many are ranked: the 8 of '4th of 8'."""
COUNT = "count"
"""A number of crimes, incidents, rows: anything else typed without a percent sign."""
PERCENT = "percent"
"""A percentage with no word saying what of: a change or a share."""

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_NOT_FIGURES = re.compile(
    r"https?://\S+|\]\([^)]*\)"  # links
    r"|\b\d{4}-\d{1,2}(?:-\d{1,2})?\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"  # ISO and UK dates
    r"|\b\d{4}/\d{2,4}\b|\b\d{1,2}:\d{2}\b"  # financial years, times
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\b|\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:and|to|-|–)\s+(?=\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\b)"  # 4 and 12 May
    r"|\b(?:[01]?\d|2[0-3])\.[0-5]\d\s*(?:and|to|-|–)\s*(?:[01]?\d|2[0-3])\.[0-5]\d\b"  # 22.30 and 08.30
    r"|\b(?:call|calling|ring|dial|phone|contact|on)\s+(?:999|101|111)\b"  # police phone numbers
    r"|\bper\s+\d[\d,]*"  # rate bases: per 1,000
    r"|\b\d[\d,]*(?:\.\d+)?[\s-](?:second|minute|hour|day|week|fortnight|month|year|decade)s?\b",
    re.IGNORECASE,
)
_EMPHASIS = re.compile(r"\*+|~~|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")
_LIST_NUMBER = re.compile(r"^([ \t]*)(\d+)[.)](?=\s)")
_LIST_ITEM = re.compile(r"^[ \t]*(?:\d+[.)]|[-*+])\s")
_NUMBER = re.compile(
    r"(?<![\w.,£$€#/\\:])(?<!\w[-–/])"
    r"(?P<sign>[-−+](?=\d))?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<decimals>\.\d+)?"
    r"(?![\w]|[.,]\d)(?P<pct>\s?%|\s(?:per\s?cent|percent)\b)?",
    re.IGNORECASE,
)
_RANK = re.compile(
    r"\b(?:rank(?:s|ed|ing)?|placed|position(?:ed)?|comes?|came)\s+(?:(?:joint|equal)\s+)?"
    r"(?P<digits>\d{1,3})(?:st|nd|rd|th)\b"
    r"|\b(?P<digits_of>\d{1,3})(?:st|nd|rd|th)\s+(?:out\s+)?of\s+\d",
    re.IGNORECASE,
)
_HEDGE = r"(?:about|around|nearly|almost|over|more\s+than|less\s+than|fewer\s+than|some|roughly|approximately|just)\s+"
_CHANGE_BEFORE = re.compile(
    r"\b(?:rose|fell|grew|dropped|increased|decreased|reduced|went\s+(?:up|down)|up|down|rise|fall|increase"
    r"|decrease|reduction|drop|changes?|changed|rising|falling|growth|higher|lower)\s+(?:\w+ly\s+)?(?:by\s+|of\s+)?"
    rf"(?:{_HEDGE})?$"
    # 'a reduction in recorded drug offences of 19%'
    r"|\b(?:rise|fall|increase|decrease|reduction|drop|change|growth)\s+in\s+(?:[\w'-]+\s+){1,4}(?:of|by)\s+"
    rf"(?:{_HEDGE})?$",
    re.IGNORECASE,
)
_CHANGE_AFTER = re.compile(
    r"^\s*(?:(?:[a-z-]+\s+)??(?:more|fewer|less|higher|lower)\b|(?:rise|fall|increase|decrease|reduction|drop"
    r"|change|up|down)\b)",
    re.IGNORECASE,
)
_SHARE_BEFORE = re.compile(
    r"\b(?:share|proportion)\s+(?:of\s+|was\s+|is\s+)?(?:just\s+)?$"
    r"|\b(?:make|makes|made|making)\s+up\s+(?:just\s+)?$"
    r"|\baccount(?:s|ed|ing)?\s+for\s+(?:just\s+)?$"
    r"|\b(?:represent|represents|represented|comprise|comprises|comprised|constitute|constitutes)\s+$",
    re.IGNORECASE,
)
_SHARE_AFTER = re.compile(r"^\s*of\b", re.IGNORECASE)
_OF_INCREASE = re.compile(
    r"^\s*of\s+(?:the|that|this|all|its)?\s*(?:total\s+|overall\s+)?(?:crime\s+)?(?:increase|rise)\b", re.IGNORECASE
)
_RATE_BEFORE = re.compile(r"\brates?\s+(?:of\s+|was\s+|is\s+|at\s+)?$", re.IGNORECASE)
_RATE_AFTER = re.compile(r"^\s*(?:[a-z-]+\s+){0,3}?per\s+(?:\d|head|thousand|hundred|capita)", re.IGNORECASE)
_GROUP_SIZE_BEFORE = re.compile(r"\d(?:st|nd|rd|th)\s+(?:out\s+)?of\s+$", re.IGNORECASE)
_CONTINUES = re.compile(r"^[\s(,]*(?:or|and|–|—|-|/)?[\s(]*" rf"(?:{_HEDGE})?$", re.IGNORECASE)
_COUNT_NOUN = re.compile(
    r"\s+(?:crimes|offences|incidents|victims|arrests|outcomes|robberies|burglaries|thefts)", re.IGNORECASE
)


@dataclass(frozen=True)
class Literal:
    """A figure as typed: its magnitude, the decimals shown, what kind of figure it is, and where it is."""

    text: str
    value: float
    decimals: int
    percent: bool
    signed: bool
    line: int  # 1-based line within the field
    kind: str = COUNT
    before: str = ""  # the words just before it on its line, to find it in the YAML file
    start: int = 0  # offset in the field's source, to find its sentence
    end: int = 0

    @property
    def change(self) -> bool:
        """Typed as a change ('fell by 419')."""
        return self.kind == CHANGE


def typed_figures(source: str) -> Iterator[Literal]:
    """The counts, percentages and ranks typed in ``source``, outside placeholders, in order."""
    cues = blank(_EMPHASIS, blank(TEMPLATE_TAG, source))
    text = _blank_list_numbers(blank(_NOT_FIGURES, cues))
    found: list[Literal] = [_rank(m, source) for m in _RANK.finditer(cues)]
    previous: Literal | None = None
    for match in _NUMBER.finditer(text):
        literal = _literal(match, text, cues, source, previous)
        if literal is not None:
            found.append(literal)
            previous = literal
    yield from sorted(found, key=lambda lit: lit.start)


def blank(pattern: re.Pattern[str], text: str) -> str:
    """Replace every match with spaces, keeping newlines, so positions and lines still hold."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _rank(match: re.Match[str], source: str) -> Literal:
    """'ranks 4th' or '4th of 8' as a rank."""
    group = "digits" if match["digits"] else "digits_of"
    start = match.start(group)
    end = match.end(group) + 2  # the suffix: '4th'
    return Literal(
        source[start:end],
        float(match[group]),
        0,
        False,
        False,
        source.count("\n", 0, start) + 1,
        RANK,
        _words_before(source, start),
        start,
        end,
    )


def _literal(match: re.Match[str], text: str, cues: str, source: str, previous: Literal | None) -> Literal | None:
    """A Literal from a regex match, or None for a year."""
    digits, decimals = match["digits"], match["decimals"] or ""
    percent = match["pct"] is not None
    value = float(digits.replace(",", "") + decimals)
    if not percent and _looks_like_year(digits, decimals, text[match.end() :]):
        return None
    sign = (match["sign"] or "").replace("−", "-")
    return Literal(
        match.group(0).strip(),
        -value if sign == "-" else value,
        len(decimals) - bool(decimals),
        percent,
        bool(sign),
        text.count("\n", 0, match.start()) + 1,
        kind_of(cues, match.start(), match.end(), percent, previous, bool(sign)),
        _words_before(source, match.start()),
        match.start(),
        match.end(),
    )


def kind_of(
    cues: str, start: int, end: int, percent: bool, previous: Literal | None = None, signed: bool = False
) -> str:
    """What kind of figure the words around a number make it.

    ``cues`` is the source with placeholders and emphasis blanked, so 'fell by **419**'
    reads 'fell by 419'. A number joined to the change just before it ('fell by 19% or
    416 offences', 'fell by 416 (19%)') is a change too.
    """
    before = " ".join(cues[max(0, start - 60) : start].split()) + " "
    after = " ".join(cues[end : end + 40].split())
    if _GROUP_SIZE_BEFORE.search(before):
        return GROUP_SIZE
    if _RATE_AFTER.match(after) or _RATE_BEFORE.search(before):
        return RATE
    if percent and (_SHARE_BEFORE.search(before) or _SHARE_AFTER.match(after)):
        # before the change words: 'makes up 50%' is not 'up 50%'
        return INCREASE_SHARE if _OF_INCREASE.match(after) else SHARE
    if _CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(after) or signed:
        return CHANGE  # a typed sign ('-90', '+19%') is a change: levels are never negative
    if previous is not None and previous.kind == CHANGE and _CONTINUES.match(cues[previous.end : start]):
        return CHANGE
    return PERCENT if percent else COUNT


def _words_before(source: str, start: int) -> str:
    """Up to a dozen characters of the original text before a figure, from a word start, same line."""
    line_start = source.rfind("\n", 0, start) + 1
    before = source[max(line_start, start - 12) : start]
    return before[before.find(" ") :] if " " in before and start - 12 > line_start else before


def _looks_like_year(digits: str, decimals: str, after: str) -> bool:
    """1900-2100 typed without separators is a year, unless a count noun follows ('2018 crimes')."""
    return not decimals and len(digits) == 4 and 1900 <= int(digits) <= 2100 and not _COUNT_NOUN.match(after)


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
