"""``perfpack diff`` results as readable text and as JSON items: one wording for the terminal and the page.

A manager reads "September 2018 all crime revised from 7,270 to 7,301", not a JSON
path; a script reads ``{"name": ..., "old": ..., "new": ...}``. Both come from the
same :class:`PackChanges`, so they can never disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from builder.cycle.compare import PackChanges, RowChange, SignalChange
from builder.narrative.helpers import NOT_AVAILABLE, number, ordinal

POINT_TYPES = {
    "common_cause": "common cause",
    "special_cause_improvement": "special cause (improvement)",
    "special_cause_concern": "special cause (concern)",
    "special_cause_neutral_high": "special cause (high)",
    "special_cause_neutral_low": "special cause (low)",
}
RULES = {
    "beyond_limit": "beyond a control limit",
    "trend": "a run of six rises or falls",
    "two_of_three": "two of three months near a limit",
    "shift": "seven or more months on one side of the mean",
}


def json_items(changes: list[PackChanges]) -> list[dict[str, Any]]:
    """Every changed figure, then every revised month, as ``{"name", "old", "new"}``.

    Names are those of ``perfpack figures``; a revised month is named
    ``<series>.values["YYYY-MM"]``. Comparing builds of several packs (``--by``) adds
    ``"pack"``, the pack's area, since the same name then occurs once per pack.
    """
    several = len(changes) > 1
    items: list[dict[str, Any]] = []
    for pack in changes:
        found = [(c.name, c.old, c.new) for c in pack.figures]
        found += [(r.name, r.old, r.new) for r in pack.revisions]
        for name, old, new in found:
            items.append({"name": name, "old": old, "new": new, **({"pack": pack.scope} if several else {})})
    return items


def text_lines(changes: list[PackChanges], old_label: str, new_label: str) -> list[str]:
    """The whole comparison as lines for the terminal."""
    lines = [f"Comparing {old_label} (old) with {new_label} (new)"]
    for pack in changes:
        lines += ["", *pack_lines(pack)]
    return lines


def pack_lines(pack: PackChanges) -> list[str]:
    """One pack's changes, section by section; a section with nothing to say is left out."""
    title = f"{pack.scope}: {pack.old_period} -> {pack.new_period}"
    if pack.only_in:
        return [f"{pack.scope}: only in the {pack.only_in} build"]
    lines = [title, "=" * len(title)]
    if pack.headline:
        lines += ["", "Headline figures"] + [f"  {c.name}: {show(c.old)} -> {show(c.new)}" for c in pack.headline]
    if pack.rows:
        lines += ["", "Table rows that moved or changed"]
        table = None
        for row in pack.rows:
            if row.table != table:
                table = row.table
                lines.append(f"  {table}")
            lines.append(f"    {row.label}: {row_summary(row)}")
    if pack.signals:
        lines += ["", "Trend charts whose signals changed"]
        for signal in pack.signals:
            lines += [f"  {signal.label} ({signal.series}): {signal_summary(signal)}"]
            if signal.old["sentence"] != signal.new["sentence"]:
                lines += [f"    was: {signal.old['sentence']}", f"    now: {signal.new['sentence']}"]
    if pack.prose:
        lines += ["", "Narrative paragraphs that changed"]
        for prose in pack.prose:
            lines.append(f"  {prose.field}")
            lines += [f"    - {p}" for p in prose.removed] + [f"    + {p}" for p in prose.added]
    if pack.revisions:
        lines += ["", "Data revisions: the same months counted differently by the newer extract"]
        lines += [f"  {revision_sentence(r.month, r.label, r.old, r.new)}" for r in pack.revisions]
    lines += ["", summary(pack)]
    return lines


def summary(pack: PackChanges) -> str:
    """How much changed, in one line."""
    return (
        f"{_count(len(pack.figures), 'figure')} changed; {_count(len(pack.rows), 'table row')} moved or changed; "
        f"{_count(len(pack.signals), 'trend signal')}, {_count(len(pack.prose), 'narrative field')} and "
        f"{_count(len(pack.revisions), 'revised month')}."
    )


def revision_sentence(month: str, label: str, old: int, new: int) -> str:
    """'September 2018 all crime revised from 7,270 to 7,301'."""
    when = dt.date.fromisoformat(f"{month}-01")
    return f"{when:%B %Y} {label} revised from {number(old)} to {number(new)}"


def row_summary(row: RowChange) -> str:
    """'3rd -> 1st; last_12 120 -> 131, difference 4 -> 15'."""
    parts = []
    if row.old_position != row.new_position:
        parts.append(f"{position(row.old_position)} -> {position(row.new_position)} in the table")
    parts += [f"{c.name.rsplit('.', 1)[-1]} {show(c.old)} -> {show(c.new)}" for c in row.changes]
    return "; ".join(parts)


def signal_summary(signal: SignalChange) -> str:
    """'latest month common cause -> special cause (concern): seven or more months on one side of the mean'."""
    return f"latest month {describe_point(signal.old)} -> {describe_point(signal.new)}"


def describe_point(signal: dict[str, Any]) -> str:
    """A latest month's signal in words."""
    kind = POINT_TYPES.get(signal["latest"], str(signal["latest"]))
    return f"{kind}, {RULES.get(signal['rule'], signal['rule'])}" if signal.get("rule") else kind


def position(value: int | None) -> str:
    """'3rd', or 'not listed' for a row that was not in the table."""
    return "not listed" if value is None else ordinal(value)


def show(value: Any) -> str:
    """A value as a reader reads it: counts with separators, other numbers to two decimals."""
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, (bool, str)):
        return str(value)
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _count(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
