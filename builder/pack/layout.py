"""Lay the pack out, section by section, in the order the config gives.

Each section is a function returning content elements. Numbers are formatted here
with the same helpers the narrative uses, so a table and a sentence agree.
"""

from __future__ import annotations

from collections.abc import Callable

from builder.config.schema import PackConfig, Theme
from builder.figures.model import ComparisonTable, PackFigures, PeerComparison, ThemeFigures, Windows
from builder.narrative.fields import Location
from builder.narrative.helpers import number, ordinal, pct
from builder.narrative.markdown import Block, ListBlock, Paragraph, Run, to_blocks
from builder.narrative.placement import placed, placements
from builder.pack.content import Element, Figure, Heading, Table, Text

NUMERIC = (True, True, True, True, True)
SUBSECTIONS = ("where", "compare", "what_happened", "what_doing")
"""A theme's parts under its sub-headings, in order; the headings' words are the config's."""
ALL_CRIME_CHART_KEYS = {
    "trend": "all_crime_trend",
    "type_shares": "type_shares",
    "increase_shares": "increase_shares",
    "npt": "npt_change",
}
THEME_CHART_KEYS = {
    "trend": "{key}_trend",
    "npt": "{key}_npt",
    "drug_offence_types": "{key}_offence_types",
    "drug_asb": "{key}_asb",
    "positive_outcomes": "{key}_outcomes",
}
"""A section's chart names, as ``{{ chart("…") }}`` gives them, to the keys of the drawn charts."""


class Layout:
    """Builds the content of each section from figures, narrative and charts."""

    def __init__(
        self, config: PackConfig, figures: PackFigures, narrative: dict[Location, str], charts: dict[str, Figure]
    ) -> None:
        self.config, self.figures, self.narrative, self.charts = config, figures, narrative, charts
        self._names: dict[str, str] = {}
        """The current section's chart names -> chart keys (``{{ chart(name) }}``)."""
        self._placed: set[str] = set()
        """Chart keys the current section's text places, left out of their usual place."""
        self._shown: set[str] = set()
        """Chart keys already in the current section, never shown twice."""

    def elements(self) -> list[Element]:
        """The whole body of the pack, after the cover and contents."""
        builders: dict[str, Callable[[], list[Element]]] = {
            "foreword": lambda: self._text_section("foreword"),
            "executive_summary": lambda: self._text_section("executive_summary"),
            "all_crime": self._all_crime,
        }
        out: list[Element] = []
        for name in self.config.sections:
            out.extend(builders[name]() if name in builders else self._theme(name))
        return out

    def _section(self, names: dict[str, str], *locations: Location) -> None:
        """Start a section: its chart names, and the charts its texts place (by ``{{ chart(…) }}``)."""
        self._names, self._shown = names, set()
        texts = [self.narrative.get(location, "") for location in locations]
        self._placed = {names[name] for name in placements(*texts) if name in names}

    def _text(self, *location: str | int) -> list[Element]:
        """A narrative field as Text, split where it places a chart, with the chart in between."""
        out: list[Element] = []
        blocks: list[Block] = []
        for block in to_blocks(self.narrative.get(location, "")):
            name = placed(block.text) if isinstance(block, Paragraph) else None
            if name is None:
                blocks.append(block)
                continue
            if blocks:
                out.append(Text(tuple(blocks)))
                blocks = []
            out.extend(self._chart(self._names.get(name, ""), placing=True))
        if blocks:
            out.append(Text(tuple(blocks)))
        return out

    def _chart(self, key: str, *, placing: bool = False) -> list[Element]:
        """The chart ``key`` where the layout puts it, unless the text places it; never twice."""
        if key not in self.charts or key in self._shown or (key in self._placed and not placing):
            return []
        self._shown.add(key)
        return [self.charts[key]]

    def _text_section(self, name: str) -> list[Element]:
        self._section({})  # no charts of its own to place
        return [Heading(self.narrative[(name, "heading")]), *self._text(name, "text")]

    def _all_crime(self) -> list[Element]:
        f, w = self.figures, self.figures.windows
        self._section(
            ALL_CRIME_CHART_KEYS, *(("all_crime", field) for field in ("trend", "types", "shares", "increase", "npt"))
        )
        return [
            Heading(self.config.all_crime.heading),
            *self._text("all_crime", "trend"),
            *self._chart("all_crime_trend"),
            *self._text("all_crime", "types"),
            comparison_table(f.crime_types, "Crime type", f"Crimes by crime type, {w.last.label}", w),
            *self._chart("type_shares"),
            *self._text("all_crime", "shares"),
            *self._chart("increase_shares"),
            *self._text("all_crime", "increase"),
            *self._text("all_crime", "npt"),
            comparison_table(f.npt, "NPT", f"Crimes by Neighbourhood Policing Team, {w.last.label}", w),
            *self._chart("npt_change"),
        ]

    def _theme(self, key: str) -> list[Element]:
        index = next(i for i, t in enumerate(self.config.themes) if t.key == key)
        theme, figures = self.config.themes[index], self.figures.themes[key]
        w = self.figures.windows
        fields = [
            ("themes", index, "definition"),
            *(("themes", index, "narrative", f) for f in ("trend", *SUBSECTIONS)),
        ]
        self._section({name: chart.format(key=key) for name, chart in THEME_CHART_KEYS.items()}, *fields)
        out: list[Element] = [Heading(theme.title), *self._text("themes", index, "definition")]
        out.extend(self._examples(theme, index))
        out.extend(self._text("themes", index, "narrative", "trend"))
        out.extend(self._chart(f"{key}_trend"))
        for field in SUBSECTIONS:
            heading = getattr(theme.subheadings, field).strip()
            if heading:
                out.append(Heading(heading, level=2))
            out.extend(self._text("themes", index, "narrative", field))
            if field == "where":
                out.extend(self._chart(f"{key}_npt"))
                out.append(
                    comparison_table(
                        figures.npt, "NPT", f"{theme.title} by Neighbourhood Policing Team, {w.last.label}", w
                    )
                )
                out.append(comparison_table(figures.area, "Area", f"{theme.title} by area, {w.last.label}", w))
            if field == "compare" and figures.peers is not None:
                note = self.config.peers.note if self.config.peers else ""
                out.append(peer_table(theme.title, figures.peers, self.config.cover.force, note))
            if field == "what_happened":
                out.extend(self._extras(figures))
        return out

    def _examples(self, theme: Theme, index: int) -> list[Element]:
        if not theme.examples:
            return []
        items = [to_blocks(self.narrative[("themes", index, "examples", j)]) for j in range(len(theme.examples))]
        paragraphs = tuple(b for blocks in items for b in blocks if isinstance(b, Paragraph))
        lead = Paragraph((Run("Examples of this type of crime:"),))
        return [Text((lead, ListBlock(ordered=True, items=paragraphs)))]

    def _extras(self, figures: ThemeFigures) -> list[Element]:
        key = figures.key
        return [*self._chart(f"{key}_offence_types"), *self._chart(f"{key}_asb"), *self._chart(f"{key}_outcomes")]


def comparison_table(table: ComparisonTable, first: str, caption: str, windows: Windows) -> Table:
    """A last-versus-previous table with its Total row and the window notes."""
    n = windows.months
    columns = (f"Last {n} months", "Proportion of total", f"Previous {n} months", "% change", "Difference")
    return Table(
        caption=caption,
        columns=(first, *columns),
        rows=tuple(_cells(r) for r in table.rows),
        numeric=(False, *NUMERIC),
        total=_cells(table.total),
        notes=(f"Last {n} months: {windows.last.long_label}.", f"Previous {n} months: {windows.previous.long_label}."),
        description=f"{caption}, ordered from the highest to the lowest percentage change.",
    )


def _cells(row) -> tuple[str, ...]:  # a figures Row
    return (
        row.label,
        number(row.last_12),
        pct(row.share_pct),
        number(row.previous_12),
        pct(row.change_pct),
        number(row.difference),
    )


def peer_table(title: str, peers: PeerComparison, force: str, note: str = "") -> Table:
    """The peer group in rank order: by rate per 1,000 population (lowest first), else by % change."""
    n, end = peers.period.months, peers.period.end
    caption = f"{title}: {peers.group_name}, {n} months to {end:%B %Y}"
    if peers.ranked_by == "rate":
        rows = tuple(
            (ordinal(i), r.force, number(r.rate, 2), number(r.last_12), pct(r.change_pct))
            for i, r in enumerate(peers.rows, start=1)
        )
        return Table(
            caption=caption,
            columns=("Rank", "Force", "Crimes per 1,000 population", "Crimes", "% change"),
            rows=rows,
            numeric=(False, False, True, True, True),
            notes=(
                f"Rank 1 is the lowest rate. {force} ranks {ordinal(peers.rank)} of {peers.group_size}; "
                f"the group's change was {pct(peers.group_change_pct)}.",
                *((note,) if note else ()),
            ),
            description=f"{title} rates per 1,000 population for the {peers.group_name}, lowest first.",
        )
    rows = tuple(
        (ordinal(i), r.force, number(r.last_12), number(r.previous_12), pct(r.change_pct))
        for i, r in enumerate(peers.rows, start=1)
    )
    return Table(
        caption=caption,
        columns=("Rank", "Force", f"Last {n} months", f"Previous {n} months", "% change"),
        rows=rows,
        numeric=(False, False, True, True, True),
        notes=(
            f"Rank 1 is the lowest percentage change (the largest fall). {force} ranks {ordinal(peers.rank)} "
            f"of {peers.group_size}; the group's change was {pct(peers.group_change_pct)}.",
            f"Last {n} months: {peers.period.long_label}.",
            *((note,) if note else ()),
        ),
        description=f"{title} for the {peers.group_name}, from the lowest to the highest percentage change.",
    )
