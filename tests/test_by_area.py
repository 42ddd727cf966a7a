"""One pack per area: `perfpack build --by npt` writes a pack for each NPT from one data load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CONFIG, read_golden, run_perfpack
from docx_helpers import open_docx

from builder.sample import ensure_sample

NPT_TABLE = "NPT"


def rows_of(table) -> list[list[str]]:  # a python-docx table
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_headed(doc, first: str) -> list[list[str]]:
    """The first table whose header row starts with ``first``."""
    return next(rows_of(t) for t in doc.tables if t.rows[0].cells[0].text == first)


@pytest.fixture(scope="module")
def npt_packs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The sample built once per NPT, through the real command, as the issue's acceptance does."""
    out = tmp_path_factory.mktemp("by-npt")
    result = run_perfpack(
        "build",
        "--by",
        "npt",
        "--data",
        str(ensure_sample()),
        "--no-pdf",
        "--config",
        str(CONFIG),
        "--output-dir",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    return {"out": out, "stdout": result.stdout}


def test_writes_one_pack_and_annex_per_npt_and_says_so(npt_packs: dict) -> None:
    npts = sorted(row["npt"] for row in read_golden("npt_2018.csv"))
    docx = sorted(npt_packs["out"].glob("*.docx"))
    assert len(docx) == len(npts) == 10
    assert len(list(npt_packs["out"].glob("*-data.xlsx"))) == 10
    titles = sorted(open_docx(path).core_properties.title.rsplit(": ", 1)[1] for path in docx)
    assert titles == npts
    assert npt_packs["stdout"].strip().splitlines()[-1].startswith("Built 10 packs from 247,231 rows")
    manifest = json.loads((npt_packs["out"] / "build-manifest.json").read_text(encoding="utf-8"))
    assert manifest  # one manifest for the run, beside the packs
    assert not [p for p in npt_packs["out"].iterdir() if p.name.startswith(".")]  # no staging left


def test_each_npt_pack_has_its_web_page_titled_with_the_npt(npt_packs: dict) -> None:
    import lxml.html

    pages = sorted(npt_packs["out"].glob("*.html"))
    assert [p.stem for p in pages] == [p.stem for p in sorted(npt_packs["out"].glob("*.docx"))]
    npts = sorted(row["npt"] for row in read_golden("npt_2018.csv"))
    found = sorted(lxml.html.parse(str(p)).xpath("string(//h1)").rsplit(": ", 1)[1] for p in pages)
    assert found == npts


def test_each_pack_counts_only_its_own_npt_and_they_add_up_to_the_force(npt_packs: dict) -> None:
    golden = {row["npt"]: int(row["last_12_months"]) for row in read_golden("npt_2018.csv")}
    total = 0
    for path in sorted(npt_packs["out"].glob("*.docx")):
        doc = open_docx(path)
        npt = doc.core_properties.title.rsplit(": ", 1)[1]
        table = table_headed(doc, NPT_TABLE)
        assert [row[0] for row in table] == [NPT_TABLE, npt, "Total"]
        assert table[1][1] == f"{golden[npt]:,}"  # the NPT's count, as in the published pack
        assert table[2][1] == table[1][1]  # the pack's total is its own NPT's
        total += int(table[1][1].replace(",", ""))
    assert total == sum(golden.values())


def test_an_npt_pack_leaves_out_the_one_bar_npt_comparison_charts_but_keeps_the_rest(
    npt_packs: dict, built_pack: dict
) -> None:
    """Comparing one NPT with itself says nothing the NPT table does not; every other chart stays."""
    force = open_docx(built_pack["docx"])
    force_charts = [shape._inline.docPr.get("name") for shape in force.inline_shapes]
    npt_charts = [name for name in force_charts if "by Neighbourhood Policing Team" in name]
    assert len(npt_charts) == 5
    for path in sorted(npt_packs["out"].glob("*.docx")):
        doc = open_docx(path)
        charts = [shape._inline.docPr.get("name") for shape in doc.inline_shapes]
        assert charts == [name for name in force_charts if name not in npt_charts], path.name


def test_peer_comparisons_stay_force_wide(npt_packs: dict) -> None:
    """Peers are other forces: every NPT's pack shows the same force-level comparison."""
    peer_tables = []
    for path in sorted(npt_packs["out"].glob("*.docx")):
        doc = open_docx(path)
        peer_tables.append([rows_of(t) for t in doc.tables if t.rows[0].cells[0].text == "Rank"])
    assert peer_tables[0] and all(tables == peer_tables[0] for tables in peer_tables)


def test_a_split_the_data_cannot_make_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_perfpack(
        "build",
        "--by",
        "force",
        "--data",
        str(ensure_sample()),
        "--no-pdf",
        "--config",
        str(CONFIG),
        "--output-dir",
        str(out),
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "no 'force' column" in result.stderr and "Traceback" not in result.stderr
    assert not list(out.glob("*.docx"))
