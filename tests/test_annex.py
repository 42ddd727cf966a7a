"""The data annex: laid out as the Analysis Function spreadsheet guidance asks, and equal to the pack.

The annex is written from the sample figures computed in-process; its crime-type and
NPT sheets must equal the golden published tables and the tables of the built .docx.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import CONFIG, read_golden
from docx_helpers import captioned_tables, open_docx
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from builder.build.inputs import load_data, read_inputs
from builder.config.load import load_config
from builder.figures.compute import compute_figures
from builder.render.annex import write_annex

FIRST_SHEETS = ["Cover", "Contents", "Notes"]
DATA_SHEETS = [
    "Crime_types",
    "NPT",
    "All_crime_monthly",
    *(f"{key}_{kind}" for key in ("robbery", "tomv", "bbc", "drugs") for kind in ("monthly", "NPT", "area", "peers")),
    "drugs_offence_types",
    "drugs_ASB_monthly",
    "drugs_outcomes_monthly",
]
SHORTHAND = {"[x]", "[z]"}
NUMBER_AS_TEXT = re.compile(r"^[-+]?[\d,]+(\.\d+)?%?$")


@pytest.fixture(scope="module")
def sample() -> tuple:
    loaded = load_config(CONFIG)
    return loaded.config, compute_figures(loaded.config, load_data(read_inputs(loaded)))


@pytest.fixture(scope="module")
def annex(sample: tuple, tmp_path_factory: pytest.TempPathFactory) -> Path:
    config, figures = sample
    return write_annex(figures, config, tmp_path_factory.mktemp("annex") / f"{config.name}-data.xlsx")


@pytest.fixture(scope="module")
def workbook(annex: Path) -> Workbook:
    return load_workbook(annex)


def table_of(ws: Worksheet) -> tuple[list[str], list[list]]:
    """The sheet's one Excel Table: its header row and its data rows."""
    assert len(ws.tables) == 1, ws.title
    ref = next(iter(ws.tables.values())).ref
    rows = [[cell.value for cell in row] for row in ws[ref]]
    return rows[0], rows[1:]


def rows_by_label(ws: Worksheet) -> dict[str, dict[str, object]]:
    header, rows = table_of(ws)
    return {row[0]: dict(zip(header, row)) for row in rows}


def shown(name: str) -> str:
    """The name the sample pack prints for a crime type of the published tables (its display name)."""
    return load_config(CONFIG).config.display_name(name)


def as_int(text: str) -> int:
    return int(text.replace(",", ""))


def test_sheets_are_cover_contents_notes_then_one_per_table(workbook: Workbook) -> None:
    assert workbook.sheetnames == FIRST_SHEETS + DATA_SHEETS
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def test_every_sheet_has_a_title_in_a1_and_no_merged_cells(workbook: Workbook) -> None:
    for ws in workbook.worksheets:
        assert isinstance(ws["A1"].value, str) and ws["A1"].value.strip(), ws.title
        assert ws["A1"].font.bold, ws.title
        assert not ws.merged_cells.ranges, ws.title


def test_tables_are_excel_tables_with_a_marked_header_and_no_blank_rows(workbook: Workbook) -> None:
    for ws in workbook.worksheets[1:]:
        table = next(iter(ws.tables.values()))
        assert table.headerRowCount == 1, ws.title
        header, rows = table_of(ws)
        assert all(isinstance(h, str) and h.strip() for h in header), ws.title
        assert [c.name for c in table.tableColumns] == header, ws.title
        assert rows and all(any(v not in (None, "") for v in row) for row in rows), ws.title
        assert all(v is not None for row in rows for v in row), f"blank cell in {ws.title}"
        first_row = int(re.match(r"[A-Z]+(\d+)", table.ref).group(1))
        above = [ws.cell(r, c).value for r in range(2, first_row) for c in range(2, len(header) + 1)]
        assert all(v is None for v in above), f"{ws.title}: text above the table must be in column A only"


def test_numbers_are_stored_as_numbers(workbook: Workbook) -> None:
    for name in DATA_SHEETS:
        _, rows = table_of(workbook[name])
        for row in rows:
            for value in row:
                if isinstance(value, str):
                    assert value in SHORTHAND or not NUMBER_AS_TEXT.match(value), f"{name}: number as text {value!r}"


def test_monthly_sheets_hold_dates_and_limits(workbook: Workbook, sample: tuple) -> None:
    _, figures = sample
    header, rows = table_of(workbook["All_crime_monthly"])
    assert header[:5] == [
        "Month",
        "Crimes",
        "Mean [note 4]",
        "Upper control limit [note 4]",
        "Lower control limit [note 4]",
    ]
    assert len(rows) == 36 and all(isinstance(r[0], dt.datetime) for r in rows)
    assert all(r[4] <= r[2] <= r[3] for r in rows)
    assert [r[1] for r in rows] == list(figures.all_crime_trend.values)
    assert sum(r[1] for r in rows[-12:]) == figures.all_crime.last_12


@pytest.mark.parametrize(
    ("sheet", "golden_file", "key"),
    [("Crime_types", "crime_types_2018.csv", "crime_type"), ("NPT", "npt_2018.csv", "npt")],
)
def test_all_crime_sheets_equal_the_golden_tables(workbook: Workbook, sheet: str, golden_file: str, key: str) -> None:
    golden = read_golden(golden_file)
    rows = rows_by_label(workbook[sheet])
    assert [label for label in rows if label != "Total"] == [shown(g[key]) for g in golden]
    for g in golden:
        row = rows[shown(g[key])]
        assert (row["Last 12 months [note 2]"], row["Previous 12 months [note 2]"]) == (
            int(g["last_12_months"]),
            int(g["previous_12_months"]),
        )
        assert row["Difference"] == int(g["last_12_months"]) - int(g["previous_12_months"])
    total = rows["Total"]
    assert total["Last 12 months [note 2]"] == sum(int(g["last_12_months"]) for g in golden)
    assert total["Previous 12 months [note 2]"] == sum(int(g["previous_12_months"]) for g in golden)


def test_crime_type_date_basis_matches_the_golden_table(workbook: Workbook) -> None:
    rows = rows_by_label(workbook["Crime_types"])
    for g in read_golden("crime_types_2018.csv"):
        assert rows[shown(g["crime_type"])]["Date basis [note 1]"] == f"{g['date_basis'].capitalize()} date"


def test_crime_type_sheet_equals_the_docx_table(workbook: Workbook, built_pack: dict[str, Path]) -> None:
    docx_table = next(t for t in captioned_tables(open_docx(built_pack["docx"])) if t.rows[0][0] == "Crime type")
    rows = rows_by_label(workbook["Crime_types"])
    assert [r[0] for r in docx_table.rows[1:]] == list(rows)
    for cells in docx_table.rows[1:]:
        row = rows[cells[0]]
        assert (as_int(cells[1]), as_int(cells[3]), as_int(cells[5])) == (
            row["Last 12 months [note 2]"],
            row["Previous 12 months [note 2]"],
            row["Difference"],
        )


def test_every_note_referred_to_is_defined(workbook: Workbook) -> None:
    _, notes = table_of(workbook["Notes"])
    defined = {n[0] for n in notes}
    for name in DATA_SHEETS:
        header, _ = table_of(workbook[name])
        for reference in re.findall(r"\[note \d+\]", " ".join(header)):
            assert reference in defined, f"{name} refers to undefined {reference}"


def test_contents_links_to_every_sheet(workbook: Workbook) -> None:
    ws = workbook["Contents"]
    _header, rows = table_of(ws)
    assert [r[0] for r in rows] == ["Notes", *DATA_SHEETS]
    links = [c.hyperlink.location for c in ws["A"] if c.hyperlink is not None]
    assert links == [f"'{name}'!A1" for name in ["Notes", *DATA_SHEETS]]


def test_cover_says_what_where_when_and_who(workbook: Workbook, sample: tuple) -> None:
    config, _ = sample
    text = "\n".join(str(c.value) for c in workbook["Cover"]["A"] if c.value)
    for needle in (config.cover.force, config.cover.owner, "1 October 2017 to 30 September 2018", "Source", "Contact"):
        assert needle in text


def test_same_figures_give_the_same_bytes_and_no_temporary_files(sample: tuple, annex: Path, tmp_path: Path) -> None:
    config, figures = sample
    again = write_annex(figures, config, tmp_path / annex.name)
    assert again.read_bytes() == annex.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == [annex.name]


def test_a_failed_write_leaves_the_previous_annex(
    sample: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, figures = sample
    target = tmp_path / "annex.xlsx"
    target.write_bytes(b"previous")
    import builder.render.annex as annex_module

    def broken(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(annex_module.os, "replace", broken)
    with pytest.raises(OSError):
        write_annex(figures, config, target)
    assert target.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == ["annex.xlsx"]


def test_properties_name_the_workbook_its_owner_and_the_report_date(workbook: Workbook, sample: tuple) -> None:
    config, _ = sample
    properties = workbook.properties
    assert (
        properties.title == f"{config.cover.force}: {config.cover.title} data annex, "
        f"{config.cover.meeting_date.day} {config.cover.meeting_date:%B %Y}"
    )
    assert properties.creator == config.cover.unit
    assert properties.created == properties.modified == dt.datetime.combine(config.cover.report_date, dt.time())


def test_columns_are_wide_enough_for_their_headings(annex: Path) -> None:
    """Column widths are set per column, so no heading or label is cut off when the sheet opens."""
    import zipfile

    with zipfile.ZipFile(annex) as archive:
        sheet = archive.read("xl/worksheets/sheet4.xml").decode()  # Crime_types
    widths = [float(w) for w in re.findall(r'<col [^>]*width="([\d.]+)"', sheet)]
    assert widths and min(widths) >= 12
