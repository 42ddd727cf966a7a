"""One chart to draw, as plain data a worker process receives, and the function that draws it.

Workers receive ``ChartJob`` values and write PNG files, so the same jobs always give the
same bytes whether they are drawn in a worker or, for debugging, in the build process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.figure import Figure


@dataclass(frozen=True)
class ChartJob:
    """One chart to draw: the chart function's kind and keyword arguments, its title and alt text."""

    key: str
    kind: str
    title: str
    alt: str
    kwargs: dict[str, Any] = field(default_factory=dict)


def draw_chart(job: ChartJob, path: Path, dpi: int) -> Path:
    """Draw one chart and save it as PNG at ``path``; safe to run in a worker process."""
    from builder.charts import bars, trend
    from builder.charts.save import save_png

    functions: dict[str, Callable[..., Figure]] = {
        "trend": trend.trend_chart,
        "share": bars.share_chart,
        "comparison": bars.comparison_chart,
        "category": bars.category_chart,
        "monthly": bars.monthly_chart,
    }
    figure = functions[job.kind](title=job.title, **job.kwargs)
    return save_png(figure, path, dpi=dpi)
