"""Lay the pack out, section by section, in the order the config gives.

Each section is a function returning content elements. Numbers are formatted here
with the same helpers the narrative uses, so a table and a sentence agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from builder.config.schema import PackConfig, Theme
from builder.figures.model import ComparisonTable, PackFigures, PeerComparison, Standing, ThemeFigures, Windows
from builder.narrative.fields import Location
from builder.narrative.helpers import number, ordinal, pct, signed
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
    """Builds the content of each section from figures, narrative and charts.

    What does not apply is left out: a table of one row (one NPT's own NPT table), and a
    heading with nothing under it. In a local pack (``place``, e.g. 'Moorlands NPT') the
    section headings name the place, peer tables are headed as the whole force's, and
    each theme compares the place with its group (the NPTs of its area).
    """

    def __init__(
        self,
        config: PackConfig,
        figures: PackFigures,
        narrative: dict[Location, str],
        charts: dict[str, Figure],
        place: str = "",
    ) -> None:
        self.config, self.figures, self.narrative, self.charts = config, figures, narrative, charts
        self.place = place
        """A local pack's place ('Moorlands NPT'); empty for the whole force."""
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
            "executive_summary": lambda: self._text_section("executive_summary", placed=True),
            "all_crime": self._all_crime,
        }
        out: list[Element] = []
        for name in self.config.sections:
            out.extend(builders[name]() if name in builders else self._theme(name))
        return without_empty_headings(out)

    def _with_place(self, heading: str) -> str:
        """'Personal Robbery: Moorlands NPT' in a local pack, unless the heading names the place already."""
        return f"{heading}: {self.place}" if self.place and self.place not in heading else heading

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

    def _text_section(self, name: str, placed: bool = False) -> list[Element]:
        self._section({})  # no charts of its own to place
        heading = self.narrative[(name, "heading")]
        return [Heading(self._with_place(heading) if placed else heading), *self._text(name, "text")]

    def _all_crime(self) -> list[Element]:
        f, w = self.figures, self.figures.windows
        self._section(
            ALL_CRIME_CHART_KEYS, *(("all_crime", field) for field in ("trend", "types", "shares", "increase", "npt"))
        )
        heading = self.narrative.get(("all_crime", "heading"), self.config.all_crime.heading)
        return [
            Heading(self._with_place(heading)),
            *self._text("all_crime", "trend"),
            *self._chart("all_crime_trend"),
            *self._text("all_crime", "types"),
            comparison_table(f.crime_types, "Crime type", f"Crimes by crime type, {w.last.label}", w),
            *self._chart("type_shares"),
            *self._text("all_crime", "shares"),
            *self._chart("increase_shares"),
            *self._text("all_crime", "increase"),
            *self._text("all_crime", "npt"),
            *comparison_tables(f.npt, "NPT", f"Crimes by Neighbourhood Policing Team, {w.last.label}", w),
            *self._chart("npt_change"),
            *self._group_table("Crimes", f.standing),
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
        out: list[Element] = [Heading(self._with_place(theme.title)), *self._text("themes", index, "definition")]
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
                npt_caption = f"{theme.title} by Neighbourhood Policing Team, {w.last.label}"
                out.extend(comparison_tables(figures.npt, "NPT", npt_caption, w))
                out.extend(comparison_tables(figures.area, "Area", f"{theme.title} by area, {w.last.label}", w))
            if field == "compare":
                out.extend(self._group_table(theme.title, figures.standing))
                if figures.peers is not None:
                    note = self.config.peers.note if self.config.peers else ""
                    whole = self.place and self.config.cover.force
                    out.append(peer_table(theme.title, figures.peers, self.config.cover.force, note, whole))
            if field == "what_happened":
                out.extend(self._extras(figures))
        return out

    def _group_table(self, subject: str, standing: Standing | None) -> list[Element]:
        """A local pack's place among its group (the NPTs of its area), with the force's figures below."""
        if standing is None or not standing.group.comparable:
            return []
        w, n = self.figures.windows, self.figures.windows.months
        first = standing.kind if standing.kind.isupper() else standing.kind.capitalize()
        table = comparison_table(standing.group, first, f"{subject}: {standing.group_name}, {w.last.label}", w)
        rows = tuple((f"{r[0]} (this pack)", *r[1:]) if r[0] == standing.label else r for r in table.rows)
        force = standing.force
        change = f"{signed(force.change_pct)}%" if force.change_pct is not None else "n/a"
        note = (
            f"{force.label} as a whole: {number(force.last_12)} in the last {n} months, "
            f"{number(force.previous_12)} in the previous {n} months ({change}, {signed(force.difference)})."
        )
        return [replace(table, rows=rows, notes=(*table.notes, note))]

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


def without_empty_headings(elements: list[Element]) -> list[Element]:
    """Leave out every heading with nothing under it before the next heading of its level or above."""
    out: list[Element] = []
    for element in reversed(elements):
        if isinstance(element, Heading):
            following = out[-1] if out else None  # what comes straight after it
            if following is None or (isinstance(following, Heading) and following.level <= element.level):
                continue
        out.append(element)
    return out[::-1]


def comparison_tables(table: ComparisonTable, first: str, caption: str, windows: Windows) -> list[Table]:
    """The table, or none when it has a single row: one NPT compared with itself says nothing."""
    return [comparison_table(table, first, caption, windows)] if table.comparable else []


def comparison_table(table: ComparisonTable, first: str, caption: str, windows: Windows) -> Table:
    """A last-versus-previous table with its Total row and the window notes."""
    n = windows.months
    columns = (f"Last {n} months", "Proportion of total", f"Previous {n} months", "% change", "Difference")
    return Table(
        caption=caption,
        columns=(first, *columns),
        rows=tuple(_cells(r) for r in table.shown),
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


def peer_table(title: str, peers: PeerComparison, force: str, note: str = "", whole_force: str = "") -> Table:
    """The peer group in rank order: by rate per 1,000 population (lowest first), else by % change.

    ``whole_force`` (the force's name, in a local pack): the caption and a note say these
    are the whole force's figures, since forces are compared only at force level.
    """
    n, end = peers.period.months, peers.period.end
    scope = f", {whole_force} as a whole" if whole_force else ""
    caption = f"{title}{scope}: {peers.group_name}, {n} months to {end:%B %Y}"
    whole = (
        (f"These are {whole_force}'s figures as a whole: forces are compared with each other only at force level.",)
        if whole_force
        else ()
    )
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
                *whole,
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
            *whole,
            *((note,) if note else ()),
        ),
        description=f"{title} for the {peers.group_name}, from the lowest to the highest percentage change.",
    )
