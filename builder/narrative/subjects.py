"""What each computed figure is about, and which subjects a piece of prose names.

A typed figure is only evidence of anything when it is compared with figures of the
same subject and kind: "Drug offences fell by 23%" is wrong even if some NPT's robbery
rose by 23%. Figures get their subject from their name (``drugs.npt["Stafford"].change_pct``
is about drug offences in Stafford, a change); prose names subjects by the places,
crime types, themes and peer forces it mentions (``builder.narrative.sentences`` adds the
section and the placeholders). Names of tables and rows come from the figures
themselves, so a new force's NPTs or crime types need no list kept by hand.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from builder.figures.model import (
    Breakdown,
    Change,
    ComparisonTable,
    PeerComparison,
    PeerRow,
    Row,
    ThemeFigures,
    Trend,
)
from builder.figures.spc import SpcPoint, SpcResult
from builder.narrative.catalogue import ALL_CRIME_ROOTS, walk
from builder.narrative.typed import (
    CHANGE,
    COUNT,
    GROUP_SIZE,
    INCREASE_SHARE,
    PERCENT,
    RANK,
    RATE,
    SHARE,
)

ALL_CRIME = "all_crime"
GENERAL_ROOTS = ("force", "cover", "period", "scope", "data_quality")
"""Names that are about no subject: the cover, the windows, the data's completeness."""

MEASURES: dict[str, frozenset[str]] = {
    "difference": frozenset({CHANGE}),
    "change_pct": frozenset({CHANGE}),
    "home_change_pct": frozenset({CHANGE}),
    "group_change_pct": frozenset({CHANGE}),
    "share_pct": frozenset({SHARE}),
    "increase_share_pct": frozenset({SHARE, INCREASE_SHARE}),
    "rate": frozenset({RATE}),
    "home_rate": frozenset({RATE}),
    "rank": frozenset({RANK}),
    "group_size": frozenset({GROUP_SIZE, COUNT}),
    "total_increase": frozenset({CHANGE, COUNT}),
}
"""The kind of each measure; any other number (last_12, latest, a count of rows) is a count."""
NOT_QUOTED = ("amr", "moving_range", "group")
"""Chart internals nobody types into prose."""

SYNONYMS = {
    "asb": ("anti-social behaviour", "antisocial behaviour", "ASB"),
    "outcomes": ("positive outcomes", "outcomes", "charges", "cautions"),
    "peers": ("peer", "peers", "group", "similar forces", "other forces"),
}
"""Words that name a theme's extras and its peer comparison besides their own labels."""
ALL_CRIME_WORDS = ("all crime", "all crimes", "all recorded crime", "crime overall", "overall crime", "total crime")

_SEGMENT = re.compile(r'\.share_pct\("[^"]*"\)|\.\w+|\["[^"]*"\]|\[\d+\]| \| length')
_STEP = re.compile(
    r"\s*\.\s*(?P<attr>[A-Za-z_]\w*)(?:\(\s*(?:\"(?P<arg>[^\"]*)\"|'(?P<arg1>[^']*)')\s*\))?"
    r"|\s*\[\s*(?:\"(?P<key>[^\"]*)\"|'(?P<key1>[^']*)'|(?P<index>-?\d+)|(?P<slice>-?\d*\s*:\s*-?\d*))\s*\]"
)


@dataclass(frozen=True)
class Described:
    """A computed figure with what it is about and what kinds of typed figure it can stand for."""

    name: str
    value: float
    subject: str
    kinds: frozenset[str]
    percent: bool

    def fits(self, kind: str, percent: bool) -> bool:
        """Whether a typed figure of this kind (and percent or not) may be compared with this one."""
        if percent != self.percent:
            return False
        if kind == PERCENT:
            return bool(self.kinds & {CHANGE, SHARE})
        return kind in self.kinds


@dataclass(frozen=True)
class Label:
    """Words in prose that name a subject: an NPT, an area, a crime type, a theme, a peer force."""

    text: str
    pattern: re.Pattern[str]
    subjects: frozenset[str]


class Subjects:
    """Every figure of a placeholder context by subject and kind, and the words that name each subject."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        walked = walk(context)
        self.context = context
        self.objects = walked.objects
        self.names = walked.names
        self.themes = frozenset(n for n, o in self.objects.items() if isinstance(o, ThemeFigures))
        self.figures = [d for n, v in walked.figures if (d := self.describe(n, v)) is not None]
        self.labels = _merge_labels(self._labels())

    # --- what a figure is about ------------------------------------------------------------

    def subject_of(self, name: str) -> str | None:
        """The subject of an object's name: a theme, a table row, a peer force, a theme's extra."""
        root, segments = split_name(name)
        if root in GENERAL_ROOTS or (root not in self.objects and root not in self.context):
            return None
        subject = ALL_CRIME if root in ALL_CRIME_ROOTS else root
        path, obj = root, self.objects.get(root)
        for segment in segments:
            parent, path = obj, path + segment
            obj = self.objects.get(path)
            if segment == ".spc":
                break  # a trend's internals are about the trend's own subject
            if segment.startswith("["):
                if isinstance(parent, (ComparisonTable, Breakdown)) or isinstance(obj, PeerRow):
                    subject = path
            elif segment.endswith("_change"):
                subject = path[: -len("_change")]
            elif isinstance(obj, (PeerComparison, Trend)) or (isinstance(obj, Change) and not isinstance(obj, Row)):
                subject = path
        return subject

    def describe(self, name: str, value: object) -> Described | None:
        """A numeric figure's subject and kinds; None for text, flags, dates and figures of no subject."""
        if not _is_number(value):
            return None
        root, segments = split_name(name)
        if not segments or self._inside_control_limits(root, segments):
            return None
        last = segments[-1]
        owner = name[: len(name) - len(last)]
        subject: str | None
        if last.startswith(".share_pct("):
            subject = owner + "[" + last[len(".share_pct(") : -1] + "]"
            kinds = frozenset({SHARE})
        elif last.startswith("[") and isinstance(self.objects.get(owner), Breakdown):
            subject, kinds = name, frozenset({COUNT})
        else:
            measure = last.strip(" .|")
            if measure in NOT_QUOTED or (measure == "share_pct" and owner.endswith(".total")):
                return None  # a total's share is always 100%
            subject, kinds = self.subject_of(owner), MEASURES.get(measure, frozenset({COUNT}))
        if subject is None:
            return None
        assert isinstance(value, numbers.Real)
        return Described(name, float(value), subject, kinds, "pct" in name)

    def _inside_control_limits(self, root: str, segments: list[str]) -> bool:
        """Figures of a chart's control limits (``drugs.spc.spc.latest.ucl``): nobody types them."""
        path = root
        for segment in segments[:-1]:
            path += segment
            if isinstance(self.objects.get(path), (SpcResult, SpcPoint)):
                return True
        return False

    def _labels(self) -> Iterable[tuple[str, bool, str]]:
        """(words, case-sensitive, subject) for everything prose can name."""
        for word in ALL_CRIME_WORDS:
            yield word, False, ALL_CRIME
        for name, obj in self.objects.items():
            if isinstance(obj, ThemeFigures):
                for text in (obj.title, obj.key, *obj.crime_types):
                    yield text, False, name
            elif isinstance(obj, Row) and name.endswith('"]'):
                # Places are proper nouns ('North', not 'the north of the county'); crime types are not.
                yield obj.label, split_name(name)[0] not in ("crime_type",), name
            elif isinstance(obj, PeerRow) and not obj.is_home:
                # The force's own name in prose is about the force, not its row in a peer table.
                yield obj.force, True, name
                short = re.sub(r"\s+(?:Police(?:\s+Service)?|Constabulary)$", "", obj.force)
                if short != obj.force:
                    yield short, True, name
            elif isinstance(obj, PeerComparison):
                yield obj.group_name, False, name
                yield from ((w, False, name) for w in SYNONYMS["peers"])
            elif isinstance(obj, Change) and not isinstance(obj, Row) and name.endswith("_change"):
                subject = name[: -len("_change")]
                yield obj.label, False, subject
                yield from ((w, w.isupper(), subject) for w in SYNONYMS.get(subject.rsplit(".", 1)[-1], ()))
        for figure in self.figures:
            if isinstance(self.objects.get(figure.subject.rsplit("[", 1)[0]), Breakdown):
                yield figure.subject.rsplit("[", 1)[1][1:-2], False, figure.subject

    # --- what prose names -------------------------------------------------------------------

    def named_in(self, text: str, scope: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """The subjects a piece of prose names, and the themes among them.

        A place names the row of the themes in play ('North' in the drugs section is
        ``drugs.area["North"]``), or every row of that name when none is in play.
        """
        taken = [False] * len(text)
        found: list[frozenset[str]] = []
        for label in self.labels:
            for match in label.pattern.finditer(text):
                if not any(taken[match.start() : match.end()]):
                    taken[match.start() : match.end()] = [True] * (match.end() - match.start())
                    found.append(label.subjects)
        themes = frozenset(s for subjects in found for s in subjects if s in self.themes)
        in_play = scope | themes | ({ALL_CRIME} if any(ALL_CRIME in s for s in found) else frozenset())
        named: set[str] = set()
        for subjects in found:
            kept = {s for s in subjects if owner_of(s) in in_play or s in themes}
            named |= kept or subjects
        return frozenset(named), themes

    def of_object(self, obj: Any) -> frozenset[str]:
        """The subjects of a value a placeholder prints: a row, a theme, a table's rows, a list of rows."""
        name = self.names.get(id(obj))
        if isinstance(obj, ComparisonTable):
            return frozenset(s for row in obj.rows for s in self.of_object(row)) | (
                {self.subject_of(name) or ALL_CRIME} if name else frozenset()
            )
        if name is not None:
            subject = self.subject_of(name)
            return frozenset({subject}) if subject else frozenset()
        if isinstance(obj, (tuple, list)) and len(obj) <= 64:
            return frozenset(s for item in obj for s in self.of_object(item))
        return frozenset()

    def of_path(self, root: str, rest: str) -> frozenset[str]:
        """The subjects a placeholder's name reaches: the deepest object on its path that has one."""
        if root not in self.context:
            return frozenset()
        obj, best = self.context[root], self.of_object(self.context[root])
        position = 0
        while (step := _STEP.match(rest, position)) is not None:
            position = step.end()
            key = step["key"] if step["key"] is not None else step["key1"]
            attr, argument = step["attr"], step["arg"] if step["arg"] is not None else step["arg1"]
            if attr == "share_pct" and argument is not None and isinstance(obj, Breakdown):
                name = self.names.get(id(obj))
                return frozenset({f'{name}["{argument}"]'}) if name else best
            try:
                obj = _step(obj, attr, key, step["index"], step["slice"])
            except (AttributeError, KeyError, IndexError, TypeError, ValueError):
                break
            found = self.of_object(obj)
            if found:
                best = found
        return best


def split_name(name: str) -> tuple[str, list[str]]:
    """'drugs.npt["Stafford"].last_12' -> ('drugs', ['.npt', '["Stafford"]', '.last_12'])."""
    root = re.match(r"[A-Za-z_]\w*", name)
    if root is None:
        return name, []
    return root.group(0), _SEGMENT.findall(name, root.end())


def owner_of(subject: str) -> str:
    """The theme a subject belongs to, or 'all_crime' for the force-wide tables."""
    root = split_name(subject)[0]
    return ALL_CRIME if root in ALL_CRIME_ROOTS else root


def _step(obj: Any, attr: str | None, key: str | None, index: str | None, part: str | None) -> Any:
    """One step along a placeholder's name: an attribute, a row by label, an item, a slice."""
    if attr is not None:
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(obj, attr)
    if key is not None:
        return obj[key]
    if index is not None:
        return obj[int(index)]
    first, _, last = (part or ":").partition(":")
    return obj[slice(int(first) if first.strip() else None, int(last) if last.strip() else None)]


def _merge_labels(found: Iterable[tuple[str, bool, str]]) -> list[Label]:
    """One label per distinct wording, longest first so 'East Staffs' wins over 'East'."""
    merged: dict[tuple[str, bool], set[str]] = {}
    for text, case_sensitive, subject in found:
        if text and text.strip():
            key = (text.strip() if case_sensitive else text.strip().lower(), case_sensitive)
            merged.setdefault(key, set()).add(subject)
    labels = [
        Label(text, _label_pattern(text, case_sensitive), frozenset(subjects))
        for (text, case_sensitive), subjects in merged.items()
    ]
    return sorted(labels, key=lambda label: -len(label.text))


def _label_pattern(text: str, case_sensitive: bool) -> re.Pattern[str]:
    """Whole words; a crime type or theme read as singular or plural ('Theft from motor vehicle')."""
    if case_sensitive:
        return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)")
    stem = text[:-1] if text.endswith("s") and not text.endswith("ss") else text
    return re.compile(rf"(?<!\w){re.escape(stem)}s?(?!\w)", re.IGNORECASE)


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not math.isnan(float(value))
