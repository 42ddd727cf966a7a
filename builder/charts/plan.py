"""Which charts the pack has, in order, with their titles and alt text: plain ``ChartJob`` values.

Each chart is a ``ChartJob``: a chart function's name and plain keyword arguments,
so jobs can be sent to worker processes and the same inputs always give the same
bytes. Alt text is written here from the same figures the chart is drawn from, so
it states the chart's key numbers, not a file name.
"""

from __future__ import annotations

from builder.charts.jobs import ChartJob
from builder.config.schema import PackConfig
from builder.figures.model import ComparisonTable, PackFigures, ThemeFigures, Trend
from builder.narrative.helpers import month, number, pct

MAX_CATEGORIES = 6
VARIATION = {
    "common_cause": "common cause",
    "special_cause_concern": "special cause: concern",
    "special_cause_improvement": "special cause: improvement",
    "special_cause_neutral_high": "special cause: high",
    "special_cause_neutral_low": "special cause: low",
}


def plan_charts(config: PackConfig, figures: PackFigures) -> list[ChartJob]:
    """Every chart of the pack, in the order they appear.

    A comparison of Neighbourhood Policing Teams is drawn only when there are at least two
    to compare: in one NPT's own pack (``--by npt``) a single pair of bars says nothing the
    table beside it does not, and the Analysis Function's advice is to leave out a chart
    that a table already shows.
    """
    jobs = [
        _trend_job("all_crime_trend", "All crime", figures.all_crime_trend, "Crimes"),
        _share_job(figures.crime_types, config.charts.share_kind, figures.windows.months),
        _increase_job(figures.crime_types),
        *_comparison_jobs(
            "npt_change", "All crime by Neighbourhood Policing Team", figures.npt, figures.windows.months
        ),
    ]
    for key in config.sections:
        if key in figures.themes:
            jobs.extend(_theme_jobs(figures.themes[key], figures.windows.months))
    return jobs


def _trend_job(key: str, subject: str, trend: Trend, y_label: str, noun: str = "crimes") -> ChartJob:
    """A trend chart of counts; a lower control limit below 0 is drawn (and described) at 0.

    A count cannot be negative, so a computed limit of −12 would mark a level no month can
    reach; the annex keeps the computed value and says so in its notes.
    """
    points = trend.spc.points
    first, last = trend.periods[0], trend.periods[-1]
    latest = points[-1]
    lcl = [max(0.0, p.lcl) for p in points]
    title = f"{subject} per month, {month(first)} to {month(last)}, with control limits"
    alt = (
        f"Line chart of {subject.lower()} per month from {month(first)} to {month(last)}. "
        f"Monthly counts ranged from {number(min(trend.values))} to {number(max(trend.values))} {noun}; "
        f"the mean is {number(latest.mean)}, with control limits from {number(lcl[-1])} to "
        f"{number(latest.ucl)}. {month(last)}: {number(trend.values[-1])} {noun}. {trend.sentence}"
    )
    label = f"{month(last)}: {number(trend.values[-1])} ({VARIATION[latest.point_type]})"
    return ChartJob(
        key,
        "trend",
        title,
        alt,
        {
            "periods": list(trend.periods),
            "values": list(trend.values),
            "mean": [p.mean for p in points],
            "ucl": [p.ucl for p in points],
            "lcl": lcl,
            "point_types": [p.point_type for p in points],
            "y_label": y_label,
            "latest_label": label,
        },
    )


def _share_job(table: ComparisonTable, kind: str, months: int) -> ChartJob:
    rows = sorted(table.rows, key=lambda r: -r.last_12)
    top = rows[: MAX_CATEGORIES - 1] if len(rows) > MAX_CATEGORIES else rows
    listed = "; ".join(f"{r.label} {pct(r.share_pct)}" for r in top)
    alt = (
        f"{'Bar' if kind == 'bar' else 'Pie'} chart of each crime type's share of all "
        f"{number(table.total.last_12)} crimes in the last {months} months. Largest shares: {listed}"
        f"{'; all other types together ' + pct(sum(r.share_pct for r in rows[len(top) :])) if len(rows) > len(top) else ''}."
    )
    return ChartJob(
        "type_shares",
        "share",
        f"Share of all crime by crime type, last {months} months",
        alt,
        {
            "labels": [r.label for r in rows],
            "shares": [r.share_pct / 100 for r in rows],
            "kind": kind,
            "max_categories": MAX_CATEGORIES,
        },
    )


def _increase_job(table: ComparisonTable) -> ChartJob:
    rising, total = table.by_increase, table.total_increase
    listed = "; ".join(f"{r.label} {pct(r.increase_share_pct)} ({number(r.difference)})" for r in rising)
    alt = (
        f"Bar chart of how the {number(total)} extra crimes in the {len(rising)} crime types that rose "
        f"are shared between them: {listed or 'no crime type rose'}."
    )
    return ChartJob(
        "increase_shares",
        "share",
        "Share of the increase in crime by crime type",
        alt,
        {
            "labels": [r.label for r in rising],
            "shares": [(r.increase_share_pct or 0) / 100 for r in rising],
            "kind": "bar",
            "max_categories": MAX_CATEGORIES,
        },
    )


def _comparison_jobs(key: str, subject: str, table: ComparisonTable, months: int) -> list[ChartJob]:
    """The comparison chart, or none when the table has fewer than two rows to compare."""
    return [_comparison_job(key, subject, table, months)] if len(table.rows) > 1 else []


def _comparison_job(key: str, subject: str, table: ComparisonTable, months: int) -> ChartJob:
    rows = sorted(table.rows, key=lambda r: r.label)
    listed = "; ".join(f"{r.label} {number(r.previous_12)} to {number(r.last_12)}" for r in rows)
    alt = (
        f"Bar chart comparing {subject.lower()} in the previous and last {months} months: "
        f"{table.count_increased} of {len(rows)} rose. {listed}."
    )
    return ChartJob(
        key,
        "comparison",
        f"{subject}, previous and last {months} months",
        alt,
        {
            "labels": [r.label for r in rows],
            "previous": [r.previous_12 for r in rows],
            "last": [r.last_12 for r in rows],
            "previous_label": f"Previous {months} months",
            "last_label": f"Last {months} months",
        },
    )


def _theme_jobs(theme: ThemeFigures, months: int) -> list[ChartJob]:
    jobs = [
        _trend_job(f"{theme.key}_trend", theme.title, theme.spc, "Crimes"),
        *_comparison_jobs(f"{theme.key}_npt", f"{theme.title} by Neighbourhood Policing Team", theme.npt, months),
    ]
    if theme.offence_types is not None:
        jobs.append(_offence_types_job(theme, months))
    if theme.asb is not None and theme.asb_change is not None:
        jobs.append(_trend_job(f"{theme.key}_asb", theme.asb_change.label, theme.asb, "Incidents", noun="incidents"))
    if theme.outcomes is not None:
        jobs.append(_outcomes_job(theme, months))
    return jobs


def _offence_types_job(theme: ThemeFigures, months: int) -> ChartJob:
    breakdown = theme.offence_types
    assert breakdown is not None
    listed = "; ".join(f"{label} {number(n)} ({pct(breakdown.share_pct(label))})" for label, n in breakdown.rows)
    alt = (
        f"Bar chart of {number(breakdown.total)} recorded drug offences in the last {months} months "
        f"by offence type: {listed}."
    )
    return ChartJob(
        f"{theme.key}_offence_types",
        "category",
        f"Recorded drug offences by offence type, last {months} months",
        alt,
        {"labels": [r[0] for r in breakdown.rows], "values": [r[1] for r in breakdown.rows]},
    )


def _outcomes_job(theme: ThemeFigures, months: int) -> ChartJob:
    trend, change = theme.outcomes, theme.outcomes_change
    assert trend is not None and change is not None
    first, last = trend.periods[0], trend.periods[-1]
    alt = (
        f"Column chart of positive outcomes (charges, cautions and community resolutions) for drug offences "
        f"per month from {month(first)} to {month(last)}: {number(change.last_12)} in the last {months} "
        f"months against {number(change.previous_12)} in the previous {months} ({pct(change.change_pct)}). "
        f"{trend.sentence}"
    )
    return ChartJob(
        f"{theme.key}_outcomes",
        "monthly",
        f"Positive outcomes for drug offences per month, {month(first)} to {month(last)}",
        alt,
        {"periods": list(trend.periods), "values": list(trend.values), "y_label": "Positive outcomes"},
    )
