"""One plain-English sentence per chart, written from its special-cause signals.

Authors used to type "breached the upper control limit in July" by hand, and
hand-typed claims drift from the chart. This module only words what the
rules in :mod:`builder.figures.spc` found, so the sentence can never claim a
signal the chart does not show. It describes the latest baseline group only,
because earlier signals were judged against limits that no longer apply.

Order of preference, first match wins:

1. a breach of a limit inside the current run on one side of the mean
   ("rose above its upper control limit in July 2018 and has stayed above
   its average since");
2. a signal the latest point is part of: a trend, two of three close to a
   limit, or a shift;
3. the most recent earlier signal, followed by "and has shown only
   common-cause variation since";
4. no signal: "has shown only common-cause variation".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from builder.figures.spc import SpcPoint, SpcResult

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_SINCE = " and has shown only common-cause variation since."


PLURAL_FORMS = (("has ", "have "), ("was ", "were "), ("its ", "their "))
"""Words of the sentences below that agree with a plural subject ("Drug offences have…")."""


def spc_sentence(result: SpcResult, subject: str, *, plural: bool = False) -> str:
    """Describe ``result``'s most relevant signal in one sentence about ``subject``.

    ``subject`` is used as given ("personal robbery"); only the first letter
    of the sentence is capitalised. With ``plural`` the verbs and pronouns agree
    with a plural subject ("Drug Offences have shown…", "…their upper control limit").
    """
    if not subject.strip():
        raise ValueError("subject must not be empty")
    if not result.points:
        raise ValueError("result has no points")
    body = _describe(_latest_group(result.points), result.points)
    if plural:
        body = _agree_plural(body)
    sentence = f"{subject} {body}"
    return sentence[0].upper() + sentence[1:]


def _agree_plural(body: str) -> str:
    """The sentence after the subject, with its verbs and pronouns made plural."""
    words = f" {body}"
    for singular, plural in PLURAL_FORMS:
        words = words.replace(f" {singular}", f" {plural}")
    return words[1:]


def month_year(when: date) -> str:
    """'July 2018': how the pack names a period in prose (locale-independent)."""
    return f"{_MONTHS[when.month - 1]} {when.year}"


def _latest_group(points: Sequence[SpcPoint]) -> list[SpcPoint]:
    """The points sharing the latest point's baseline group."""
    group = points[-1].group
    return [p for p in points if p.group == group]


def _describe(group: list[SpcPoint], everything: Sequence[SpcPoint]) -> str:
    """The sentence after the subject, chosen by the order in the module docstring."""
    special = [i for i, p in enumerate(group) if p.is_special]
    if not special:
        return _common_cause(group, everything)
    breach = _breach_in_current_run(group)
    if breach is not None:
        return breach
    last = special[-1]
    if last == len(group) - 1:
        return _current_signal(group)
    return _past_signal(group, last)


def _common_cause(group: list[SpcPoint], everything: Sequence[SpcPoint]) -> str:
    """No signal in the latest group; say whether limits were recalculated."""
    if group[0] is everything[0]:
        return "has shown only common-cause variation over the period."
    return f"has shown only common-cause variation since its limits were recalculated in {month_year(group[0].period)}."


def _side(point: SpcPoint) -> int:
    """+1 above the mean, -1 below, 0 on it."""
    return (point.value > point.mean) - (point.value < point.mean)


def _current_run_start(group: list[SpcPoint]) -> int | None:
    """Index where the run of points on the latest point's side of the mean begins."""
    side = _side(group[-1])
    if side == 0:
        return None
    start = len(group) - 1
    while start > 0 and _side(group[start - 1]) == side:
        start -= 1
    return start


def _breach_in_current_run(group: list[SpcPoint]) -> str | None:
    """Sentence for a limit breached since the series last crossed its mean."""
    start = _current_run_start(group)
    if start is None:
        return None
    run = group[start:]
    first = next((p for p in run if p.rule == "beyond_limit"), None)
    if first is None:
        return None
    above = _side(first) > 0
    verb = "rose above its upper" if above else "fell below its lower"
    if first is group[-1]:
        return f"{verb} control limit in {month_year(first.period)}, the latest period."
    where = "above" if above else "below"
    return f"{verb} control limit in {month_year(first.period)} and has stayed {where} its average since."


def _current_signal(group: list[SpcPoint]) -> str:
    """Sentence for a trend, two-of-three or shift that includes the latest point."""
    latest = group[-1]
    end = len(group) - 1
    if latest.rule == "trend":
        start, rising = _trend_span(group, end)
        way, comparison = ("rising", "higher") if rising else ("falling", "lower")
        return (
            f"has been on a {way} trend since {month_year(group[start].period)}, "
            f"with each value {comparison} than the one before."
        )
    if latest.rule == "two_of_three":
        return f"has come close to its {_limit_name(latest)} in two of the last three periods."
    start = _same_side_start(group, end)
    where = "above" if _side(latest) > 0 else "below"
    return f"has been {where} its average since {month_year(group[start].period)}."


def _past_signal(group: list[SpcPoint], last: int) -> str:
    """Sentence for the most recent signal when later points are all common cause."""
    point = group[last]
    when = month_year(point.period)
    if point.rule == "beyond_limit":
        start = last
        while start > 0 and group[start - 1].rule == "beyond_limit" and _side(group[start - 1]) == _side(point):
            start -= 1
        above = _side(point) > 0
        if start == last:
            verb = "rose above its upper" if above else "fell below its lower"
            return f"{verb} control limit in {when}{_SINCE}"
        where = "above its upper" if above else "below its lower"
        return f"was {where} control limit from {month_year(group[start].period)} to {when}{_SINCE}"
    if point.rule == "trend":
        start, rising = _trend_span(group, last)
        way = "rising" if rising else "falling"
        return f"showed a {way} trend from {month_year(group[start].period)} to {when}{_SINCE}"
    if point.rule == "two_of_three":
        return f"came close to its {_limit_name(point)} in two of three periods to {when}{_SINCE}"
    start = _same_side_start(group, last)
    where = "above" if _side(point) > 0 else "below"
    return f"was {where} its average from {month_year(group[start].period)} to {when}{_SINCE}"


def _limit_name(point: SpcPoint) -> str:
    """The limit a close-to-limit point is near."""
    return "upper control limit" if _side(point) > 0 else "lower control limit"


def _same_side_start(group: list[SpcPoint], end: int) -> int:
    """First index of the run on one side of the mean that ends at ``end``."""
    side = _side(group[end])
    start = end
    while start > 0 and _side(group[start - 1]) == side:
        start -= 1
    return start


def _trend_span(group: list[SpcPoint], end: int) -> tuple[int, bool]:
    """(start index, rising?) of the strictly monotonic run ending at ``end``."""
    rising = group[end].value > group[end - 1].value
    start = end
    while start > 0 and (
        group[start].value > group[start - 1].value if rising else group[start].value < group[start - 1].value
    ):
        start -= 1
    return start, rising
