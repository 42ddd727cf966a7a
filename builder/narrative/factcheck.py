"""Find figures an author typed into narrative that the data do not bear out.

Placeholders are right by construction; a typed "419" is right only until the data
change (or never was, as in the 2018 pack whose prose said 419 where its table said
416). Each typed figure (found by :mod:`builder.narrative.typed`) is compared with the
computed figures of the same subject and kind (:mod:`builder.narrative.subjects`),
allowing only for the rounding the author showed: "26%" is 26.03 and "1,800" is 1,802.
One that matches none is a warning naming the file, the line and the nearest figure of
that subject and kind, so the author is pointed at the figure they meant, not at
whichever number of any table happens to be closest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.config.load import LoadedConfig
from builder.figures.rounding import round_half_up
from builder.narrative.catalogue import Figure
from builder.narrative.fields import NarrativeField, narrative_fields
from builder.narrative.helpers import number, ordinal
from builder.narrative.sentences import SentenceReader, candidates
from builder.narrative.subjects import Described, Subjects
from builder.narrative.typed import (
    CHANGE,
    GROUP_SIZE,
    INCREASE_SHARE,
    PERCENT,
    RANK,
    RATE,
    SHARE,
    Literal,
    typed_figures,
)
from builder.narrative.warning import line_in_file, section_for

KIND_WORDS = {
    CHANGE: "change",
    SHARE: "share",
    INCREASE_SHARE: "share of the increase",
    RATE: "rate",
    RANK: "rank",
    GROUP_SIZE: "group size",
    PERCENT: "percentage",
}
MARK = "{{{{ {} | not_from_data }}}}"
"""How a number that is not from the data is written so the check leaves it alone."""


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


@dataclass(frozen=True)
class Finding:
    """A typed figure of one field that matches no figure of its subject and kind."""

    literal: Literal
    nearest: Figure | None
    message: str


def fact_check_warnings(
    loaded: LoadedConfig, context: dict[str, Any], fields: Iterable[NarrativeField] | None = None
) -> list[Warning]:
    """Every typed figure in the narrative that no computed figure of its subject and kind matches.

    ``fields``: the text one pack prints (a local pack's own text and the force's it keeps);
    by default every narrative field of the config.
    """
    subjects = Subjects(context)
    file_lines = loaded.path.read_text(encoding="utf-8-sig").splitlines()
    warnings: list[Warning] = []
    for field in narrative_fields(loaded) if fields is None else fields:
        section = section_for(loaded, field)
        for finding in check_text(field.source, section, subjects):
            line = file_line(loaded, field, finding.literal, file_lines)
            warnings.append(Warning(loaded.path, line, finding.literal.text, finding.nearest, finding.message, section))
    return _unique(warnings)


def has_typed_figures(loaded: LoadedConfig) -> bool:
    """Whether any narrative holds a typed figure at all (most packs' do not: nothing to check per pack)."""
    return any(next(typed_figures(f.source), None) is not None for f in narrative_fields(loaded))


def check_text(source: str, section: str, subjects: Subjects) -> list[Finding]:
    """The typed figures of one field's source that the data do not bear out."""
    literals = list(typed_figures(source))
    if not literals:
        return []
    reader = SentenceReader(subjects, source, section)
    findings = []
    for literal in literals:
        sentence = reader.at(literal.start)
        found = check_literal(literal, candidates(subjects, sentence, literal.kind, literal.percent))
        if found is not None:
            findings.append(Finding(literal, *found))
    return findings


def check_literal(literal: Literal, figures: Sequence[tuple[int, Described]]) -> tuple[Figure | None, str] | None:
    """None when a figure matches; else the nearest figure and what to tell the author.

    ``figures`` are (tier, figure) pairs of the literal's subject and kind; the nearest is
    taken from the best tier (what the sentence names before the section's own subject).
    """
    fitting = [(tier, f) for tier, f in figures if f.fits(literal.kind, literal.percent)]
    if any(_matches(literal, f.value) for _, f in fitting):
        return None
    if not fitting:
        kind = KIND_WORDS.get(literal.kind, "count")
        return None, (
            f"no {kind} of what this sentence is about to compare with; use a placeholder, "
            f"or write a number from elsewhere as {MARK.format(literal.text)}"
        )
    best = min(tier for tier, _ in fitting)
    # Nearest in size: a figure typed with the wrong sign is closest to its own magnitude.
    nearest = min(
        (f for tier, f in fitting if tier == best),
        key=lambda f: (abs(abs(f.value) - abs(literal.value)), _depth(f.name)),
    )
    message = f"the data say {_shown(literal, nearest.value)} ({nearest.name})"
    if not literal.percent and literal.kind not in (CHANGE, RANK) and _far(literal.value, nearest.value):
        message += f"; if {literal.text} is not from the data, write {MARK.format(literal.text)}"
    return (nearest.name, _plain(nearest.value)), message


def file_line(loaded: LoadedConfig, field: NarrativeField, literal: Literal, file_lines: list[str]) -> int:
    """The YAML file line a typed figure stands on (found by the words before it, else by itself)."""
    return line_in_file(loaded, field, literal.line, (literal.before + literal.text, literal.text), file_lines)


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
    if literal.kind == RANK:
        return ordinal(int(value))
    text = number(value, literal.decimals)
    if literal.signed and value > 0:
        text = "+" + text
    return f"{text}%" if literal.percent else text


def _far(typed: float, nearest: float) -> bool:
    """More than twice as large or small: probably not a figure of the data at all."""
    typed, nearest = abs(typed), abs(nearest)
    return nearest == 0 or typed >= 2 * nearest or typed <= nearest / 2


def _plain(value: float) -> int | float:
    """A whole figure as an int, as the catalogue lists it."""
    return int(value) if float(value).is_integer() else value


def _depth(name: str) -> int:
    """How deep a name goes; of equal figures the shallowest ('drugs.difference') is the one to cite."""
    return name.count(".") + name.count("[")


def _unique(warnings: list[Warning]) -> list[Warning]:
    """One warning per literal per line, in file order."""
    seen: dict[tuple[int, str], Warning] = {}
    for warning in warnings:
        seen.setdefault((warning.line, warning.literal), warning)
    return sorted(seen.values(), key=lambda w: w.line)
