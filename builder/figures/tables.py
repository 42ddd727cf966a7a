"""Last-versus-previous comparison tables (by crime type, NPT, area)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from builder.figures.model import ComparisonTable, Row


def comparison_table(
    last: Mapping[str, int], previous: Mapping[str, int], labels: Iterable[str] | None = None
) -> ComparisonTable:
    """Build rows for every label, ordered from the highest to the lowest % change.

    Ordering uses the unrounded change so ties in the printed percentage keep a true
    order; rows with nothing to compare with (previous of 0) go last, by count.
    """
    names = list(labels) if labels is not None else sorted(set(last) | set(previous))
    total_last = sum(int(last.get(n, 0)) for n in names)
    total_previous = sum(int(previous.get(n, 0)) for n in names)
    rising = sum(max(int(last.get(n, 0)) - int(previous.get(n, 0)), 0) for n in names)
    rows = [_row(n, int(last.get(n, 0)), int(previous.get(n, 0)), total_last, rising) for n in names]
    rows.sort(key=_order_key)
    total = Row("Total", total_last, total_previous, share_pct=100.0 if total_last else 0.0)
    return ComparisonTable(rows=tuple(rows), total=total)


def _row(label: str, last: int, previous: int, total_last: int, rising: int) -> Row:
    share = 100.0 * last / total_last if total_last else 0.0
    difference = last - previous
    increase_share = 100.0 * difference / rising if difference > 0 and rising else None
    return Row(label, last, previous, share_pct=share, increase_share_pct=increase_share)


def _order_key(row: Row) -> tuple[int, float, str]:
    pct = row.change_pct
    return (1, -row.last_12, row.label) if pct is None else (0, -pct, row.label)
