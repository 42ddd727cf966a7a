"""Charts for the pack, in the Government Analysis Function style.

Each function takes plain data and returns a ``matplotlib.figure.Figure``; the
caller saves it with ``save_png``. Nothing here touches pyplot, and the style
is applied only while a chart is drawn, so charts can be drawn in worker
processes. (matplotlib is not thread-safe, and the style context changes
rcParams for the process while it is active: use processes, not threads.)

The names below are loaded on first use: importing ``builder.charts.palette`` or
``builder.charts.colour`` (as the accessibility checker does) must not cost a
matplotlib import.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "category_chart": "bars",
    "comparison_chart": "bars",
    "monthly_chart": "bars",
    "share_chart": "bars",
    "contrast_ratio": "colour",
    "relative_luminance": "colour",
    "limit_categories": "common",
    "save_png": "save",
    "trend_chart": "trend",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` when it is first asked for (PEP 562)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'builder.charts' has no attribute {name!r}")
    return getattr(import_module(f"builder.charts.{_EXPORTS[name]}"), name)
