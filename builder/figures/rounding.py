"""Rounding the way UK statistical tables do: halves away from zero.

Python's ``round`` rounds halves to even (``round(0.5) == 0``), which would print
a 12.5% rise as 12%. Every figure shown is rounded here, once.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, digits: int = 0) -> float:
    """Round halves away from zero, e.g. 12.5 -> 13 and -12.5 -> -13."""
    quantum = Decimal(1).scaleb(-digits)
    rounded = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    result = float(rounded)
    return 0.0 if result == 0 else result
