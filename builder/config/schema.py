"""The pack config as pydantic models: one attribute per YAML key, each described.

The descriptions are not decoration: they become the JSON Schema that editors use
to complete keys and explain them while authors type, so every field has one.
Unknown keys are errors (``extra="forbid"``) because a misspelt key silently
ignored is exactly the kind of mistake a non-programmer cannot see.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

BUILTIN_SECTIONS = ("foreword", "executive_summary", "all_crime")
EXTRAS = ("drug_offence_types", "drug_asb", "positive_outcomes")


class LocatedError(ValueError):
    """A cross-field error that knows which key it is about, so the loader can give its line."""

    def __init__(self, message: str, loc: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.loc = loc


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cover(_Model):
    """What the cover page says."""

    force: str = Field(description="Force name as printed on the cover, e.g. 'Staffordshire Police'.")
    title: str = Field("Public Performance Meeting", description="Title of the pack.")
    meeting_date: dt.date = Field(description="Date of the meeting (YYYY-MM-DD).")
    report_date: dt.date = Field(description="Date the report was produced (YYYY-MM-DD).")
    unit: str = Field("Service Development Unit", description="Unit that produces the pack.")
    version: str = Field("1", description="Document version.")
    owner: str = Field(description="Owner of the document (name and rank).")
    authors: str = Field(description="Authors of the document.")
    protective_marking: str = Field("Official", description="Protective marking; printed in capitals on every page.")
    transparency: str = Field("Full – proactively published", description="Transparency statement for the cover.")
    status: Literal["draft", "final"] = Field(
        "draft",
        description="'draft' marks every page DRAFT; set 'final' once the pack is signed off "
        "(`perfpack build --strict` then refuses it while warnings are open).",
    )

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        """Accept ``version: 1`` as well as ``version: "1"``: authors should not need quotes."""
        return str(value) if isinstance(value, (int, float)) else value


class Period(_Model):
    """The comparison windows."""

    end: str | None = Field(
        None,
        description="Last month of the 'last 12 months' window as YYYY-MM; "
        "empty means the last complete month in the data.",
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
    )
    months: int = Field(12, ge=1, le=60, description="Length of each comparison window in months.")
    cadence: Literal["monthly", "quarterly"] = Field(
        "monthly",
        description="How often the pack is made: `perfpack new NEXT --from LAST` moves the period "
        "and the meeting on by one month or one quarter.",
    )
    trend_months: int = Field(36, ge=12, le=120, description="Months shown in trend charts.")

    @field_validator("end", mode="before")
    @classmethod
    def _end_as_text(cls, value: object) -> object:
        """YAML reads 2018-09 as text but 2018-09-30 as a date; accept both."""
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m")
        return value


class DateBasis(_Model):
    """Which date each crime type is counted by."""

    default: Literal["committed", "recorded"] = Field(
        "committed", description="Date basis for every crime type not listed under 'recorded'."
    )
    recorded: list[str] = Field(
        default_factory=list,
        description="Crime types counted by recorded date (e.g. sexual and drug offences).",
    )
    committed: list[str] = Field(
        default_factory=list,
        description="Crime types counted by committed date when the default is 'recorded'.",
    )


class DataMapping(_Model):
    """How a force extract's own columns and classifications become perfpack's canonical table."""

    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Canonical column (crime_ref, crime_type, committed_date, recorded_date, npt, area, "
        "drug_offence_type, outcome, outcome_date, force) to the extract's column holding it, e.g. "
        "crime_ref: 'Crime Number'. Columns not listed are expected under their canonical names; "
        "force is optional and names the force that recorded each crime, for data of several forces.",
    )
    date_format: str | None = Field(
        None,
        description="strftime format of text dates, e.g. '%d/%m/%Y %H:%M'; empty reads ISO "
        "(YYYY-MM-DD) and day-first UK dates (DD/MM/YYYY).",
    )
    crime_types: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Crime type used in the pack to the extract's classifications counted as it, "
        "e.g. 'Personal Robbery': ['Robbery of personal property']; empty keeps the extract's own.",
    )
    crime_groups: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Optional crime group to its crime types (as named in the pack); fills a crime_group column.",
    )
    outcomes: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Outcome used in the pack (Charge, Caution, Community resolution, …) to the "
        "extract's outcome codes counted as it; empty keeps the extract's own.",
    )
    exclude: list[str] = Field(
        default_factory=list,
        description="Classifications in the extract that are not crimes for the pack (e.g. "
        "cancelled records); their rows are dropped and counted in the build summary.",
    )

    @field_validator("columns")
    @classmethod
    def _canonical_columns(cls, value: dict[str, str]) -> dict[str, str]:
        """A misspelt canonical name would silently map nothing, so name the allowed ones."""
        known = (
            "crime_ref",
            "crime_type",
            "committed_date",
            "recorded_date",
            "npt",
            "area",
            "drug_offence_type",
            "outcome",
            "outcome_date",
            "force",
        )
        unknown = [k for k in value if k not in known]
        if unknown:
            raise ValueError(f"unknown canonical column {', '.join(unknown)}; use one of: {', '.join(known)}")
        return value


class Lookup(_Model):
    """A lookup file that gives each row its NPT or area from a code in the data."""

    file: str = Field(description="Lookup file (CSV, Excel or Parquet), relative to this config file.")
    match: str = Field(
        description="Column of the data whose values are looked up, as named in the data file "
        "(e.g. 'LSOA code', 'Beat', 'Ward'), or 'npt' to look up the NPT already found.",
    )
    key: str = Field(description="Column of the lookup file holding those values, e.g. 'LSOA11CD'.")
    npt: str | None = Field(None, description="Column of the lookup file giving the NPT.")
    area: str | None = Field(None, description="Column of the lookup file giving the area.")

    @model_validator(mode="after")
    def _gives_something(self) -> Lookup:
        """A lookup that sets neither NPT nor area would do nothing."""
        if self.npt is None and self.area is None:
            raise ValueError("a lookup needs 'npt:' or 'area:' (the lookup column to take)")
        return self


class Data(_Model):
    """Where the data come from and how they are counted."""

    path: str | None = Field(
        None,
        description="Folder or file of record-level data, relative to this config file; "
        "empty means the bundled sample data.",
    )
    date_basis: DateBasis = Field(default_factory=DateBasis, description="Date basis per crime type.")
    encoding: Literal["auto", "utf-8", "cp1252", "utf-16"] = Field(
        "auto",
        description="Text encoding of CSV files; 'auto' detects UTF-8 (with or without BOM), "
        "UTF-16 and Windows cp1252.",
    )
    sheet: str | None = Field(None, description="Worksheet to read from Excel files; empty means the first.")
    mapping: DataMapping | None = Field(
        None,
        description="Column names and classifications of a force extract; omit for perfpack's own "
        "columns or police.uk files (recognised by their header).",
    )
    lookups: list[Lookup] = Field(
        default_factory=list,
        description="Lookups giving NPT and area from codes in the data, applied in order; a row "
        "whose code is not in a lookup keeps what it had.",
    )
    unknown: Literal["error", "other"] = Field(
        "error",
        description="Crime types, NPTs or areas the mapping or lookups do not know: 'error' "
        "stops the build listing them; 'other' counts them as 'Other' with a warning.",
    )
    duplicates: Literal["error", "keep"] | None = Field(
        None,
        description="Rows sharing a crime reference: 'error' stops the build, 'keep' counts "
        "every row; empty means 'error', except 'keep' for police.uk files, which publish some "
        "crimes twice under one Crime ID.",
    )
    home_area: str | None = Field(
        None,
        description="The force's own area; crimes located in any other area are counted under "
        "NPT and area 'Outside force area'. 'auto' takes the area most of each force's rows fall in; "
        "empty keeps every area as found.",
    )
    force: str | None = Field(
        None,
        description="The force this pack is about when the data hold several (police.uk's 'Reported by', "
        "or the extract's mapped force column): the other forces' rows are left out and counted. Empty: "
        "the cover's force, when it names one of them. perfpack build --by force ignores it and builds "
        "one pack per force.",
    )


class Peers(_Model):
    """How each force compares with its peers: other forces over the same months."""

    source: Literal["file", "run", "ons"] = Field(
        "file",
        description="Where the peers' figures come from: 'file' a peers table beside the data (see 'file'); "
        "'run' the forces in this run's data, counted like the pack (perfpack build --by force; the default "
        "there when there is no peers block); 'ons' the ONS police recorded crime by Police Force Area "
        "(rolling years, see 'ons_file').",
    )
    file: str = Field(
        "peers.csv",
        description="source 'file': peer data file (force, population, crime_type, period_end, last_12, "
        "previous_12), relative to the data folder.",
    )
    population: int | None = Field(
        None, gt=0, description="source 'file': the force's own population, for rates per 1,000."
    )
    period_end: str | None = Field(
        None,
        description="Last month of the peer comparison period (YYYY-MM), e.g. 2018-05. Needed for source "
        "'file'; for 'ons' a quarter end in the file (empty: the latest one no later than the pack's "
        "period); 'run' always compares the pack's own windows.",
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
    )
    groups: str | None = Field(
        None,
        description="CSV of peer groups (columns force, group; one row per force), relative to this "
        "config, e.g. HMICFRS Most Similar Force groups: each force is compared with the forces of its "
        "group. Empty: with every force in the run (source 'run'), or every force in the ONS file.",
    )
    populations: str | None = Field(
        None,
        description="CSV of populations (columns force, population), relative to this config: adds "
        "crimes per 1,000 people and ranks by that rate (sources 'run' and 'ons'). Without it forces "
        "are ranked by percentage change.",
    )
    ons_file: str | None = Field(
        None,
        description="source 'ons': the ONS file of police recorded crime by Police Force Area (columns "
        "'12 months ending', PFA, Offence, 'Rolling year total number of offences'), relative to this config.",
    )
    offences: dict[str, list[str]] = Field(
        default_factory=dict,
        description="source 'ons': a crime type of the pack to the ONS offences counted as it, e.g. "
        "Burglary: [Domestic burglary, Non-domestic burglary, Residential burglary, Non-residential "
        "burglary]; the police.uk categories are mapped already.",
    )
    group_name: str | None = Field(
        None,
        description="Name of the peer group as printed; empty: 'Most Similar Forces' for a peers file, "
        "the group's own name from 'groups', else 'Forces in this run' or 'Forces of England and Wales'.",
    )
    note: str = Field("", description="A note printed under each peer table, e.g. the data source.")

    @field_validator("period_end", mode="before")
    @classmethod
    def _period_end_as_text(cls, value: object) -> object:
        """Accept a full date as well as YYYY-MM."""
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m")
        return value

    @model_validator(mode="after")
    def _source_settings(self) -> Peers:
        """Each source needs its own settings; a missing one would otherwise fail deep in the build."""
        if self.source == "file":
            for key in ("population", "period_end"):
                if getattr(self, key) is None:
                    raise LocatedError(f"peers.{key} is needed with source 'file' (the peers table)", ("peers", key))
        if self.source == "ons" and not self.ons_file:
            raise LocatedError("peers.ons_file is needed with source 'ons'; name the ONS file", ("peers", "source"))
        return self


class Charts(_Model):
    """Chart options."""

    share_kind: Literal["bar", "pie"] = Field(
        "bar", description="'bar' (recommended for accessibility) or 'pie' for share charts."
    )
    dpi: int = Field(200, ge=72, le=600, description="Resolution of chart images.")


class Spc(_Model):
    """Control-limit options for a theme's trend chart."""

    direction: Literal["lower_is_better", "higher_is_better", "neutral"] = Field(
        "lower_is_better",
        description="Which way is better for this measure: special causes are then marked as "
        "improvement or concern. 'neutral' for counts that rise with police activity (drug and "
        "weapons offences), shown as high or low without improvement or concern colours.",
    )
    baseline: int | None = Field(None, ge=12, description="Fix the limits on the first N months (at least 12).")
    rebase: list[str] = Field(
        default_factory=list, description="Months (YYYY-MM) at which the limits are recalculated."
    )
    screen: bool = Field(True, description="Screen out very large moving ranges before the limits.")


class Narrative(_Model):
    """The text blocks of a themed section. Each is Markdown with {{ placeholders }}."""

    trend: str = Field("", description="Text under the trend chart: what happened over the period.")
    where: str = Field("", description="'Where is this happening?'")
    compare: str = Field("", description="'How we compare to other areas?'")
    what_happened: str = Field("", description="'What has happened?'")
    what_doing: str = Field("", description="'What are we doing about it?'")


class Subheadings(_Model):
    """The sub-headings of a themed section; an empty one is left out (its text and tables stay)."""

    where: str = Field("Where is this happening?", description="Heading of the 'where' text, NPT chart and tables.")
    compare: str = Field("How we compare to other areas?", description="Heading of the 'compare' text and peer table.")
    what_happened: str = Field("What has happened?", description="Heading of the 'what_happened' text and extras.")
    what_doing: str = Field("What are we doing about it?", description="Heading of the 'what_doing' text.")


class Theme(_Model):
    """One themed section on a crime of concern."""

    key: str = Field(
        description="Short name used in placeholders and the sections list, e.g. 'robbery'.",
        pattern=r"^[a-z][a-z0-9_]*$",
    )
    title: str = Field(description="Heading of the section, e.g. 'Personal Robbery'.")
    crime_types: list[str] = Field(min_length=1, description="Crime types the theme counts.")
    definition: str = Field("", description="What the crime is, in plain words.")
    examples: list[str] = Field(default_factory=list, description="Examples of this type of crime.")
    narrative: Narrative = Field(default_factory=Narrative, description="The narrative blocks.")
    spc: Spc = Field(default_factory=Spc, description="Control-limit options.")
    extras: list[Literal["drug_offence_types", "drug_asb", "positive_outcomes"]] = Field(
        default_factory=list, description="Extra drugs analysis to include in this section."
    )
    subheadings: Subheadings = Field(
        default_factory=Subheadings,
        description="The section's sub-headings, renamed or left out (''): where, compare, what_happened, what_doing.",
    )
    plural: bool | None = Field(
        None,
        description="Whether the title is a plural noun, for sentences written from it ('Drug offences "
        "have…'); empty guesses from the title.",
    )


class Wording(_Model):
    """How figures are put into words throughout the pack."""

    small_base: int = Field(
        10,
        ge=0,
        description="A change from fewer than this many is written as the two counts ('rose from 2 to "
        "5 crimes'), not a percentage, which on a tiny base says little; 0 always gives percentages.",
    )
    display_names: dict[str, str] = Field(
        default_factory=dict,
        description="Crime type as named in the data to the one name printed for it throughout the pack, "
        "e.g. 'Theft Of Motor Vehicles': 'Theft of Motor Vehicles'. A theme whose title differs from its "
        "one crime type only in capital letters names that type already. Placeholders accept either name.",
    )


class TextSection(_Model):
    """A section of free narrative."""

    heading: str = Field(description="Heading of the section.")
    text: str = Field("", description="Markdown with {{ placeholders }}.")


class AllCrime(_Model):
    """Narrative of the All Crime Summary."""

    heading: str = Field("All Crime Summary", description="Heading of the section.")
    trend: str = Field("", description="Text beside the all-crime trend chart.")
    types: str = Field("", description="Text before the crime-type table.")
    shares: str = Field("", description="Text after the chart of each type's share.")
    increase: str = Field("", description="Text after the chart of each type's share of the increase.")
    npt: str = Field("", description="Text before the NPT table.")


class ControlRow(_Model):
    """One version of the pack in the document-control table."""

    version: str = Field(description="The version, as on the cover, e.g. '2'.")
    date: dt.date = Field(description="Date of this version (YYYY-MM-DD).")
    author: str = Field(description="Who made this version.")
    change: str = Field(description="What changed in this version, e.g. 'Figures to October 2018; signed off'.")

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        """Accept ``version: 2`` as well as ``version: "2"``."""
        return str(value) if isinstance(value, (int, float)) else value


class Review(_Model):
    """Narrative kept from the last cycle: when it is flagged for re-reading, and what was re-read."""

    reviewed: list[str] = Field(
        default_factory=list,
        description="Narrative fields re-read this cycle and still right although their figures moved, "
        "e.g. 'robbery.what_happened'; `perfpack check` stops flagging them. `perfpack new` empties the list.",
    )
    threshold_pct: float = Field(
        10.0,
        gt=0,
        description="A field kept unchanged from the last cycle is flagged when a figure its section quotes "
        "moved by more than this percentage (percentages: by more than this many points), or a rise became a fall.",
    )


class LocalThemeText(_Model):
    """A theme's narrative blocks for one NPT's or area's pack; a block not given keeps the force's."""

    trend: str | None = Field(None, description="Replaces the theme's narrative.trend in this pack.")
    where: str | None = Field(None, description="Replaces 'Where is this happening?' in this pack.")
    compare: str | None = Field(None, description="Replaces 'How we compare to other areas?' in this pack.")
    what_happened: str | None = Field(None, description="Replaces 'What has happened?' in this pack.")
    what_doing: str | None = Field(None, description="Replaces 'What are we doing about it?' in this pack.")


class LocalAllCrimeText(_Model):
    """All Crime Summary blocks for one NPT's or area's pack; a block not given keeps the force's."""

    trend: str | None = Field(None, description="Replaces all_crime.trend in this pack.")
    types: str | None = Field(None, description="Replaces all_crime.types in this pack.")
    shares: str | None = Field(None, description="Replaces all_crime.shares in this pack.")
    increase: str | None = Field(None, description="Replaces all_crime.increase in this pack.")
    npt: str | None = Field(None, description="Replaces all_crime.npt in this pack.")


class LocalText(_Model):
    """Narrative written for one NPT's or area's own pack.

    Each block given replaces the force's text in that pack only; an empty block ('')
    leaves it out there. Blocks not given fall back to the force's text.
    """

    foreword: str | None = Field(None, description="Replaces foreword.text in this pack; '' leaves the foreword out.")
    executive_summary: str | None = Field(None, description="Replaces executive_summary.text in this pack.")
    all_crime: LocalAllCrimeText = Field(
        default_factory=LocalAllCrimeText, description="All Crime Summary blocks for this pack."
    )
    themes: dict[str, LocalThemeText] = Field(
        default_factory=dict, description="Theme narrative for this pack, by theme key, e.g. 'robbery: {where: …}'."
    )


NEUTRAL_SENTENCE = "The force's pack describes this for {{ scope.parent }} as a whole."


class Local(_Model):
    """How the packs of `perfpack build --by npt` or `--by area` read: one pack per NPT or area."""

    peers: Literal["force", "leave_out"] = Field(
        "force",
        description="Peer forces are compared at force level only. 'force': a local pack shows the force's "
        "peer table, headed as the whole force's; 'leave_out': local packs have no peer table.",
    )
    neutral: str = Field(
        NEUTRAL_SENTENCE,
        description="Said in a local pack where the force's text names other NPTs or areas, or needs a "
        "figure the place does not have (e.g. no robberies); Markdown with {{ placeholders }}; '' says nothing.",
    )
    npt: dict[str, LocalText] = Field(
        default_factory=dict, description="Narrative for each NPT's own pack (--by npt), by the NPT's name in the data."
    )
    area: dict[str, LocalText] = Field(
        default_factory=dict, description="Narrative for each area's own pack (--by area), by the area's name."
    )


class PackConfig(_Model):
    """The whole pack: cover, period, data, sections and their narrative."""

    name: str = Field(
        description="File name of the pack, without extension, e.g. 'ppm-2018-11'.",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    )
    cover: Cover = Field(description="Cover page.")
    period: Period = Field(default_factory=Period, description="Comparison windows.")
    data: Data = Field(default_factory=Data, description="Data source and counting rules.")
    peers: Peers | None = Field(None, description="Peer comparison; omit to leave it out.")
    charts: Charts = Field(default_factory=Charts, description="Chart options.")
    wording: Wording = Field(default_factory=Wording, description="How figures are put into words.")
    template: str | None = Field(
        None, description="Word template (.docx) relative to this file; empty means the bundled template."
    )
    html_template: str | None = Field(
        None,
        description="Template of the HTML edition (a Jinja .html.j2 file) relative to this file; empty means "
        "templates/pack.html.j2 beside the config's folder if there is one, else the bundled template.",
    )
    areas: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Optional mapping of area name to its NPTs; empty means use the data's area column.",
    )
    sections: list[str] = Field(description="Order of sections: foreword, executive_summary, all_crime and theme keys.")
    foreword: TextSection | None = Field(None, description="The foreword.")
    executive_summary: TextSection | None = Field(None, description="The executive summary.")
    all_crime: AllCrime = Field(default_factory=AllCrime, description="All Crime Summary narrative.")
    themes: list[Theme] = Field(default_factory=list, description="Themed sections.")
    document_control: list[ControlRow] = Field(
        default_factory=list,
        description="The document-control table printed after the cover: one row per version, oldest first.",
    )
    review: Review = Field(default_factory=Review, description="Narrative re-read since the last cycle.")
    strict: bool = Field(
        False,
        description="Treat every warning (a typed figure the data do not bear out, a month that looks "
        "incomplete, text left to replace) as an error: the build stops and publishes nothing, as "
        "`perfpack build --strict` does. For scheduled builds.",
    )
    leftover_markers: list[str] = Field(
        default_factory=list,
        description="Text that marks something still to be written, besides TBC, TODO, XX, [insert …] and "
        "'For the force to complete', e.g. '[name]' or 'Lorem ipsum'; narrative or cover text holding "
        "one is a warning.",
    )
    local: Local = Field(
        default_factory=Local, description="Local packs (--by npt or --by area): peers and each place's own narrative."
    )

    @model_validator(mode="after")
    def _sections_known(self) -> PackConfig:
        """Every listed section must exist, so a typo never drops a section silently."""
        keys = [t.key for t in self.themes]
        duplicates = {k for k in keys if keys.count(k) > 1}
        if duplicates:
            index = max(i for i, k in enumerate(keys) if k in duplicates)
            raise LocatedError(f"theme key used twice: {', '.join(sorted(duplicates))}", ("themes", index, "key"))
        known = set(BUILTIN_SECTIONS) | set(keys)
        for index, name in enumerate(self.sections):
            if name not in known:
                raise LocatedError(
                    f"unknown section '{name}'; use one of: {', '.join(sorted(known))}", ("sections", index)
                )
        for name in ("foreword", "executive_summary"):
            if name in self.sections and getattr(self, name) is None:
                index = self.sections.index(name)
                raise LocatedError(f"section '{name}' is listed but has no '{name}:' block", ("sections", index))
        for kind in ("npt", "area"):
            for place, text in getattr(self.local, kind).items():
                for key in text.themes:
                    if key not in keys:
                        raise LocatedError(
                            f"no theme '{key}'; use one of: {', '.join(keys)}", ("local", kind, place, "themes", key)
                        )
        return self

    def theme(self, key: str) -> Theme:
        """Return the theme with this key."""
        return next(t for t in self.themes if t.key == key)

    def display_name(self, crime_type: str) -> str:
        """The one name the pack prints for a crime type: ``wording.display_names``, else a theme's title.

        A theme counting one crime type whose title differs from it only in capitals
        ("Theft of Motor Vehicles" for "Theft Of Motor Vehicles") names it, so the table
        row and the section heading agree.
        """
        if crime_type in self.wording.display_names:
            return self.wording.display_names[crime_type]
        for theme in self.themes:
            if (
                len(theme.crime_types) == 1
                and theme.crime_types[0] == crime_type
                and theme.title.lower() == crime_type.lower()
            ):
                return theme.title
        return crime_type

    def data_name(self, name: str) -> str:
        """The crime type as the data name it, for a name written either way."""
        for data, shown in self.wording.display_names.items():
            if name == shown:
                return data
        for theme in self.themes:
            if len(theme.crime_types) == 1 and theme.title == name and theme.crime_types[0].lower() == name.lower():
                return theme.crime_types[0]
        return name

    def date_basis(self, crime_type: str) -> str:
        """Return 'committed' or 'recorded' for a crime type (by its data name or its display name)."""
        crime_type = self.data_name(crime_type)
        basis = self.data.date_basis
        if crime_type in basis.recorded:
            return "recorded"
        if crime_type in basis.committed:
            return "committed"
        return basis.default
