"""Charts for the pack, in the Government Analysis Function style.

Each function takes plain data and returns a ``matplotlib.figure.Figure``; the
caller saves it with ``save_png``. Nothing here touches pyplot, and the style
is applied only while a chart is drawn, so charts can be drawn in worker
processes. (matplotlib is not thread-safe, and the style context changes
rcParams for the process while it is active: use processes, not threads.)
"""

from builder.charts.bars import category_chart, comparison_chart, monthly_chart, share_chart
from builder.charts.colour import contrast_ratio, relative_luminance
from builder.charts.common import limit_categories
from builder.charts.save import save_png
from builder.charts.trend import trend_chart

__all__ = [
    "category_chart",
    "comparison_chart",
    "contrast_ratio",
    "limit_categories",
    "monthly_chart",
    "relative_luminance",
    "save_png",
    "share_chart",
    "trend_chart",
]
