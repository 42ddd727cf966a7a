"""What each sentence of a narrative field is about, and the figures it may be checked against.

A sentence's subjects are the section's own (its theme, or all crime), what it names (a
place, a crime type, another theme, a peer force: :meth:`Subjects.named_in`), what its
placeholders print, and what the sentence just before it in the same paragraph named
("Stafford saw the largest fall. It fell by 36%.").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from builder.narrative.subjects import ALL_CRIME, Described, Subjects
from builder.narrative.typed import GROUP_SIZE, RANK, RATE, TEMPLATE_TAG, blank

_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*+]|\d+[.)])\s)")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_LEADING_NAME = re.compile(r"^\{\{-?\s*(?:not\s+)?([A-Za-z_]\w*)")
_STATEMENT = re.compile(r"^\{%-?\s*(?:for\s+(\w+)(?:\s*,\s*\w+)*\s+in|set\s+(\w+)\s*=)\s*([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Sentence:
    """The subjects one sentence may quote figures of, best first."""

    named: frozenset[str]
    """Named in the sentence, or by its placeholders."""
    default: frozenset[str]
    """The section's own subject, and what the sentence before it named."""
    themes: frozenset[str]
    """The themes in play: the section's and any named."""


class SentenceReader:
    """The sentences of one field and the subjects each may quote."""

    def __init__(self, subjects: Subjects, source: str, section: str) -> None:
        self.subjects = subjects
        self.source = source
        self.section = section
        own = section if section in subjects.themes else ALL_CRIME
        self.own = frozenset({own})
        self.text = blank(TEMPLATE_TAG, source)
        self.spans = sentence_spans(self.text)
        self.variables: dict[str, frozenset[str]] = {}
        self.placeholders = list(self._placeholders())
        self._cache: dict[int, Sentence] = {}

    def at(self, offset: int) -> Sentence:
        """The sentence holding ``offset``, with what it may quote."""
        index = next((i for i, (start, end) in enumerate(self.spans) if start <= offset < end), len(self.spans) - 1)
        if index not in self._cache:
            self._cache[index] = self._sentence(index)
        return self._cache[index]

    def _sentence(self, index: int) -> Sentence:
        start, end = self.spans[index]
        scope = self.own
        named, themes = self.subjects.named_in(self.text[start:end], scope)
        held = frozenset(s for offset, found in self.placeholders if start <= offset < end for s in found)
        default = self.own
        if index > 0 and not _PARAGRAPH.search(self.text[self.spans[index - 1][0] : start + 1]):
            before, _ = self.subjects.named_in(self.text[slice(*self.spans[index - 1])], scope)
            default = default | before  # 'Stafford had the largest fall. It fell by 36%.'
        in_play = (scope if self.section in self.subjects.themes else frozenset()) | themes
        return Sentence(named | held, default, in_play)

    def _placeholders(self) -> Iterable[tuple[int, frozenset[str]]]:
        """(offset, subjects) of every placeholder; loop and set variables stand for what they were set from."""
        for match in TEMPLATE_TAG.finditer(self.source):
            tag = match.group(0)
            statement = _STATEMENT.match(tag)
            if statement:
                variable = statement[1] or statement[2]
                root = statement[3]
                rest = tag[statement.end() :]
                self.variables[variable] = self.variables.get(root) or self.subjects.of_path(root, rest)
                continue
            name = _LEADING_NAME.match(tag)
            if name:
                root, rest = name[1], tag[name.end() :]
                found = self.variables.get(root) or self.subjects.of_path(root, rest)
                if found:
                    yield match.start(), found


def candidates(subjects: Subjects, sentence: Sentence, kind: str, percent: bool) -> list[tuple[int, Described]]:
    """(tier, figure) for every figure the sentence may quote with this kind; tier 0 is what it names.

    Rates and ranks exist only in the peer comparison, so a rank typed in a theme's
    section is compared with the force's own peer figures even when the sentence does
    not say 'group'; another force's only when the sentence names it.
    """
    tiers: dict[str, int] = {s: 1 for s in sentence.default | sentence.named}
    # A row, an extra or a peer named in the sentence is what it is most likely about.
    tiers.update({s: 0 for s in sentence.named if s != ALL_CRIME and s not in subjects.themes})
    if kind in (RATE, RANK, GROUP_SIZE):
        for theme in sentence.themes:
            tiers.setdefault(f"{theme}.peers", 1)  # the force's own; another force's only when named
    return [(tiers[f.subject], f) for f in subjects.figures if f.subject in tiers and f.fits(kind, percent)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: ended by . ! ? ; before a space, a blank line or a list item."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text) + 1))
    return spans
