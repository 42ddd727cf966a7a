"""The annex follows the pack it belongs to: its windows' length, and notes only for what it holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CONFIG
from openpyxl import load_workbook

from builder.build.inputs import load_data, read_inputs
from builder.config.load import load_config
from builder.figures.compute import compute_figures
from builder.render.annex import write_annex


@pytest.fixture(scope="module")
def two_month_annex(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with 2-month windows, without peers and without the drugs section's extras."""
    loaded = load_config(CONFIG)
    themes = [t.model_copy(update={"extras": []}) for t in loaded.config.themes]
    config = loaded.config.model_copy(update={"peers": None, "themes": themes})
    figures = compute_figures(config, load_data(read_inputs(loaded)), window_months=2)
    return write_annex(figures, config, tmp_path_factory.mktemp("annex") / "two-months.xlsx")


def all_text(path: Path) -> str:
    workbook = load_workbook(path)
    return "\n".join(str(cell.value) for ws in workbook for row in ws.iter_rows() for cell in row if cell.value)


def test_window_labels_say_the_packs_months(two_month_annex: Path) -> None:
    text = all_text(two_month_annex)
    assert "Last 2 months" in text and "Previous 2 months" in text
    assert "Last 12 months" not in text and "Previous 12 months" not in text


def test_notes_are_only_for_what_the_annex_holds_and_numbered_in_order(two_month_annex: Path) -> None:
    workbook = load_workbook(two_month_annex)
    rows = [row for row in workbook["Notes"].iter_rows() if str(row[0].value or "").startswith("[note")]
    notes = [str(row[1].value) for row in rows]
    assert not any("Positive outcomes" in n or "Peer data" in n or "peer comparison" in n for n in notes)
    numbers = [row[0].value for row in rows]
    assert numbers == [f"[note {i}]" for i in range(1, len(numbers) + 1)]
    referred = {
        int(n)
        for ws in workbook
        if ws.title != "Notes"
        for row in ws.iter_rows()
        for cell in row
        if cell.value
        for n in re.findall(r"\[note (\d+)\]", str(cell.value))
    }
    assert referred == set(range(1, len(numbers) + 1))


def test_a_negative_lower_limit_is_explained_and_kept(two_month_annex: Path) -> None:
    workbook = load_workbook(two_month_annex)
    notes = " ".join(str(row[1].value) for row in workbook["Notes"].iter_rows() if row[1].value)
    limits = [
        (ws.title, cell.value)
        for ws in workbook
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("Lower control limit")
    ]
    negative = [title for title, heading in limits if "[note" in heading and heading.count("[note") == 2]
    if negative:
        assert "computed lower control limit is negative" in notes
    else:
        assert "computed lower control limit is negative" not in notes
