"""The built pack's all-crime tables equal the published golden tables, derived figures included."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from conftest import CONFIG, read_golden
from docx_helpers import captioned_tables, open_docx

from builder.config.load import load_config

COLUMNS = ["Last 12 months", "Proportion of total", "Previous 12 months", "% change", "Difference"]


def half_up_pct(numerator: int, denominator: int) -> str:
    """Percentages as a statistician rounds them by hand: halves away from zero; '<1%' for a non-zero 0."""
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return "<1%" if value == 0 and numerator != 0 else f"{int(value)}%"


def shown(name: str) -> str:
    """The name the sample pack prints for a crime type or NPT of the published tables."""
    return load_config(CONFIG).config.display_name(name)


def expected_rows(golden: list[dict[str, str]], key: str) -> tuple[list[list[str]], list[str]]:
    total_last = sum(int(r["last_12_months"]) for r in golden)
    total_prev = sum(int(r["previous_12_months"]) for r in golden)
    rows = []
    for r in golden:
        last, prev = int(r["last_12_months"]), int(r["previous_12_months"])
        rows.append(
            [
                shown(r[key]),
                f"{last:,}",
                half_up_pct(last, total_last),
                f"{prev:,}",
                half_up_pct(last - prev, prev),
                f"{last - prev:,}",
            ]
        )
    rows.sort(
        key=lambda row: (
            -(
                Decimal(int(row[1].replace(",", "")) - int(row[3].replace(",", "")))
                / Decimal(int(row[3].replace(",", "")))
            )
        )
    )
    total = [
        "Total",
        f"{total_last:,}",
        "100%",
        f"{total_prev:,}",
        half_up_pct(total_last - total_prev, total_prev),
        f"{total_last - total_prev:,}",
    ]
    return rows, total


def find_table(pack, first_column: str, caption_start: str):
    doc = open_docx(pack["docx"])
    matches = [t for t in captioned_tables(doc) if t.rows[0][0] == first_column and t.caption.startswith(caption_start)]
    assert matches, f"no table '{caption_start}…' in the pack"
    return matches[0]


@pytest.mark.parametrize(
    ("golden_file", "key", "first_column", "caption"),
    [
        ("crime_types_2018.csv", "crime_type", "Crime type", "Crimes by crime type"),
        ("npt_2018.csv", "npt", "NPT", "Crimes by Neighbourhood Policing Team"),
    ],
)
def test_all_crime_tables_equal_golden(built_pack, golden_file, key, first_column, caption):
    table = find_table(built_pack, first_column, caption)
    rows, total = expected_rows(read_golden(golden_file), key)
    assert table.rows[0] == [first_column, *COLUMNS]
    assert table.rows[1:-1] == rows
    assert table.rows[-1] == total


def test_golden_order_is_by_percentage_change(built_pack):
    """The published table lists types from the highest to the lowest % change; so must ours."""
    table = find_table(built_pack, "Crime type", "Crimes by crime type")
    assert [r[0] for r in table.rows[1:-1]] == [shown(r["crime_type"]) for r in read_golden("crime_types_2018.csv")]


def test_header_row_repeats_and_numbers_right_aligned(built_pack):
    table = find_table(built_pack, "NPT", "Crimes by Neighbourhood Policing Team").table
    header = table.rows[0]._tr
    assert (
        header.trPr is not None
        and header.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    )
    body_row = table.rows[1]
    alignments = [cell.paragraphs[0].alignment for cell in body_row.cells]
    assert alignments[0] is None or int(alignments[0]) == 0
    assert all(a is not None and int(a) == 2 for a in alignments[1:])  # 2 = right
