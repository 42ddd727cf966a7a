"""Local packs: `perfpack build --by npt` and `--by area` write one pack per place that reads as local.

Every test opens what was built, as a neighbourhood commander would: the cover and the
executive summary name the place, no sentence gives the force's name to a local count,
no table has a single row, no heading stands empty, and the places add up to the force.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CONFIG, read_golden, run_perfpack
from docx.document import Document as DocxDocument
from docx.table import Table
from docx_helpers import body_items, captioned_tables, full_text, headings, open_docx
from openpyxl import load_workbook

from builder.sample import ensure_sample

FORCE = "Staffordshire Police"
NPT_TABLE = "NPT"
CRIME_TYPE_TABLE = "Crime type"
THIS_PACK = " (this pack)"
COUNT = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?![\d.,]*%|\w)")
"""A count as prose writes it: '4,700', not '26%', '4th' or '2018-09'."""
THEMES = ["Personal Robbery", "Theft of Motor Vehicles", "Burglary Business and Community", "Drug Offences"]


def rows_of(table) -> list[list[str]]:  # a python-docx table
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_headed(doc, first: str) -> list[list[str]]:
    """The first table whose header row starts with ``first``."""
    return next(rows_of(t) for t in doc.tables if t.rows[0].cells[0].text == first)


def count(text: str) -> int:
    return int(text.replace(",", ""))


def build_by(kind: str, out: Path):
    """The sample built once per place, through the real command, as the issue's acceptance does."""
    result = run_perfpack(
        "build",
        "--by",
        kind,
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


@pytest.fixture(scope="module")
def npt_packs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return build_by("npt", tmp_path_factory.mktemp("by-npt"))


@pytest.fixture(scope="module")
def area_packs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return build_by("area", tmp_path_factory.mktemp("by-area"))


@pytest.fixture(params=["npt", "area"])
def packs(request: pytest.FixtureRequest) -> dict[str, DocxDocument]:
    """Each pack of one run by the place its title names ('Moorlands NPT', 'North area')."""
    built = request.getfixturevalue(f"{request.param}_packs")
    docs = {}
    for path in sorted(built["out"].glob("*.docx")):
        doc = open_docx(path)
        docs[doc.core_properties.title.rsplit(": ", 1)[1]] = doc
    return docs


def section_text(doc: DocxDocument, heading: str) -> str:
    """The paragraphs under a level-1 heading, up to the next one."""
    out, inside = [], False
    for paragraph in doc.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style == "Heading 1":
            inside = paragraph.text.startswith(heading)
        elif inside:
            out.append(paragraph.text)
    return "\n".join(out)


def own_row(table: list[list[str]]) -> list[str]:
    """A group table's row for the pack's own place."""
    return next(row for row in table if row[0].endswith(THIS_PACK))


def group_table(doc: DocxDocument, subject: str) -> list[list[str]]:
    """'Personal Robbery: NPTs in North area, …' — the place among its group."""
    return next(
        t.rows for t in captioned_tables(doc) if re.match(rf"{re.escape(subject)}: (NPTs in|areas of)", t.caption)
    )


# --- what was written, and the summary that says so


def test_writes_one_pack_and_annex_per_npt_and_names_each_in_the_summary(npt_packs: dict) -> None:
    npts = sorted(row["npt"] for row in read_golden("npt_2018.csv"))
    docx = sorted(npt_packs["out"].glob("*.docx"))
    assert len(docx) == len(npts) == 10
    assert len(list(npt_packs["out"].glob("*-data.xlsx"))) == 10
    titles = sorted(open_docx(path).core_properties.title.rsplit(": ", 1)[1] for path in docx)
    assert titles == [f"{npt} NPT" for npt in npts]
    stdout = npt_packs["stdout"]
    built = next(line for line in stdout.splitlines() if line.startswith("Built "))  # after the progress lines
    assert built.startswith("Built 10 packs from 247,231 rows")
    for npt, path in zip(npts, docx):
        line = next(line for line in stdout.splitlines() if line.strip().startswith(f"{npt} NPT "))
        assert path.name in line and "-data.xlsx" in line
    assert "(1 own text)" in next(line for line in stdout.splitlines() if "Lichfield NPT" in line)
    manifest = json.loads((npt_packs["out"] / "build-manifest.json").read_text(encoding="utf-8"))
    assert manifest  # one manifest for the run, beside the packs
    assert not [p for p in npt_packs["out"].iterdir() if p.name.startswith(".")]  # no staging left


def test_each_npt_pack_has_its_web_page_titled_with_the_npt(npt_packs: dict) -> None:
    import lxml.html

    pages = sorted(npt_packs["out"].glob("*.html"))
    assert [p.stem for p in pages] == [p.stem for p in sorted(npt_packs["out"].glob("*.docx"))]
    npts = sorted(row["npt"] for row in read_golden("npt_2018.csv"))
    found = sorted(lxml.html.parse(str(p)).xpath("string(//h1)").rsplit(": ", 1)[1] for p in pages)
    assert found == [f"{npt} NPT" for npt in npts]


def test_the_annex_names_its_place(npt_packs: dict) -> None:
    annex = next(npt_packs["out"].glob("*-moorlands-data.xlsx"))
    workbook = load_workbook(annex, read_only=True)
    assert "Moorlands NPT" in workbook.properties.title
    assert "Moorlands NPT" in str(workbook.worksheets[0]["A1"].value)


# --- each pack names its place


def test_the_cover_and_the_headings_name_the_place(packs: dict[str, DocxDocument]) -> None:
    for place, doc in packs.items():
        cover = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Subtitle"]
        assert place in cover, place
        level1 = headings(doc)
        assert level1[0].startswith("Foreword")  # the Chief Constable's, for the whole force
        assert level1[1:] == [f"{h}: {place}" for h in ("Executive Summary", "All Crime Summary", *THEMES)]


def test_the_executive_summary_gives_the_place_its_own_count(packs: dict[str, DocxDocument]) -> None:
    for place, doc in packs.items():
        total = table_headed(doc, CRIME_TYPE_TABLE)[-1]
        summary = " ".join(section_text(doc, "Executive Summary").split())
        assert f"{place} recorded {total[1]} crimes" in summary, place
        assert f"{FORCE} recorded" not in summary


def test_no_sentence_gives_the_force_a_local_count(packs: dict[str, DocxDocument]) -> None:
    """Wherever the force is named, the counts beside it are the force's, never the place's own."""
    for place, doc in packs.items():
        local = set()
        for subject in ("Crimes", *THEMES):
            row = own_row(group_table(doc, subject))
            local |= {count(row[1]), count(row[3]), abs(count(row[5]))}
        local -= set(range(13))  # small numbers are months, ranks and group sizes too
        notes = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Table Note"]
        local -= {count(n) for note in notes if f"{FORCE} as a whole:" in note for n in COUNT.findall(note)}
        prose = [p.text for p in doc.paragraphs if p.style is not None and p.style.name in ("Normal", "List Bullet")]
        for sentence in re.split(r"(?<=[.;:])\s+", " ".join(prose)):
            if FORCE in sentence:
                numbers = {count(n) for n in COUNT.findall(sentence)}
                assert not numbers & local, f"{place}: {sentence}"


# --- what does not apply is left out


def breakdowns(doc: DocxDocument) -> list[Table]:
    """The tables of figures: all but the document control after the cover, a version history."""
    return [t.table for t in captioned_tables(doc) if t.caption != "Document control"]


def test_no_table_has_a_single_row(packs: dict[str, DocxDocument]) -> None:
    for place, doc in packs.items():
        tables = breakdowns(doc)
        assert len(tables) > len(THEMES)
        for table in tables:
            rows = rows_of(table)[1:]
            data = [r for r in rows if r[0] != "Total"]
            assert len(data) > 1, f"{place}: a table of one row: {rows_of(table)[0]}"


def test_no_heading_stands_empty(packs: dict[str, DocxDocument]) -> None:
    for place, doc in packs.items():
        items = [
            item
            for item in body_items(doc)
            if isinstance(item, Table) or item.text.strip() or item.style.name.startswith("Heading")
        ]
        for index, item in enumerate(items):
            if isinstance(item, Table) or not item.style.name.startswith("Heading "):
                continue
            level = int(item.style.name.split()[1])
            following = items[index + 1] if index + 1 < len(items) else None
            empty = following is None or (
                not isinstance(following, Table)
                and following.style.name.startswith("Heading ")
                and int(following.style.name.split()[1]) <= level
            )
            assert not empty, f"{place}: '{item.text}' has nothing under it"


def test_an_npt_pack_has_no_npt_or_area_breakdown_and_no_empty_where_heading(npt_packs: dict) -> None:
    for path in sorted(npt_packs["out"].glob("*.docx")):
        doc = open_docx(path)
        captions = [t.caption for t in captioned_tables(doc)]
        assert not [c for c in captions if "by Neighbourhood Policing Team" in c or " by area" in c], path.name
        if "-sot-" not in path.name:  # SOT North and South have their own text on where drug offences are
            assert "Where is this happening?" not in headings(doc, level=2), path.name


def test_an_area_pack_keeps_its_npt_tables_and_drops_its_one_row_area_tables(area_packs: dict) -> None:
    doc = open_docx(next(area_packs["out"].glob("*-north.docx")))
    captions = [t.caption for t in captioned_tables(doc)]
    assert len([c for c in captions if "by Neighbourhood Policing Team" in c]) == 1 + len(THEMES)
    assert not [c for c in captions if " by area," in c]
    assert headings(doc, level=2).count("Where is this happening?") == len(THEMES)


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


def test_peer_tables_are_headed_as_the_whole_force(npt_packs: dict) -> None:
    """Peers are other forces: every NPT's pack shows the same force-level comparison, said to be the force's."""
    peer_tables = []
    for path in sorted(npt_packs["out"].glob("*.docx")):
        tables = [t for t in captioned_tables(open_docx(path)) if t.rows[0][0] == "Rank"]
        assert len(tables) == len(THEMES)
        for table in tables:
            assert f"{FORCE} as a whole" in table.caption
        peer_tables.append([t.rows for t in tables])
    assert all(tables == peer_tables[0] for tables in peer_tables)


# --- the places add up to the force


def test_each_npt_pack_counts_only_its_own_npt_and_they_add_up_to_the_force(npt_packs: dict) -> None:
    golden = {row["npt"]: int(row["last_12_months"]) for row in read_golden("npt_2018.csv")}
    total = 0
    for path in sorted(npt_packs["out"].glob("*.docx")):
        doc = open_docx(path)
        npt = doc.core_properties.title.rsplit(": ", 1)[1].removesuffix(" NPT")
        crimes = count(table_headed(doc, CRIME_TYPE_TABLE)[-1][1])
        assert crimes == golden[npt]  # the NPT's count, as in the published pack
        group = group_table(doc, "Crimes")
        assert count(own_row(group)[1]) == crimes  # the group table shows the pack's own count
        total += crimes
    assert total == sum(golden.values())


def test_every_theme_adds_up_across_the_packs_of_a_run(packs: dict[str, DocxDocument], built_pack: dict) -> None:
    force = open_docx(built_pack["docx"])
    for subject in ("Crimes", *THEMES):
        own = [count(own_row(group_table(doc, subject))[1]) for doc in packs.values()]
        if subject == "Crimes":
            expected = count(table_headed(force, CRIME_TYPE_TABLE)[-1][1])
        else:
            caption = f"{subject} by Neighbourhood Policing Team"
            expected = count(next(t for t in captioned_tables(force) if t.caption.startswith(caption)).rows[-1][1])
        assert sum(own) == expected, subject


def test_a_group_table_shows_each_place_as_its_own_pack_does(packs: dict[str, DocxDocument]) -> None:
    """The NPTs of Moorlands' area in Moorlands' pack carry the counts of their own packs."""
    own = {place.rsplit(" ", 1)[0]: own_row(group_table(doc, "Personal Robbery")) for place, doc in packs.items()}
    for place, doc in packs.items():
        for row in group_table(doc, "Personal Robbery")[1:-1]:
            label = row[0].removesuffix(THIS_PACK)
            assert row[1:] == own[label][1:], (place, label)


# --- narrative written for one place


def test_a_place_s_own_text_appears_in_its_pack_only(npt_packs: dict, area_packs: dict) -> None:
    texts = {
        path.name: full_text(open_docx(path))
        for built in (npt_packs, area_packs)
        for path in sorted(built["out"].glob("*.docx"))
    }
    monkey = sorted(name for name, text in texts.items() if "monkey dust" in text)
    assert monkey == [
        "public-performance-pack-2018-11-sot-north.docx",
        "public-performance-pack-2018-11-sot-south.docx",
    ]
    lichfield = sorted(name for name, text in texts.items() if "A recent operation in Lichfield" in text)
    assert lichfield == ["public-performance-pack-2018-11-lichfield.docx"]


def test_a_force_text_naming_other_places_gives_way_to_the_neutral_sentence(npt_packs: dict) -> None:
    doc = open_docx(next(npt_packs["out"].glob("*-moorlands.docx")))
    vehicle = section_text(doc, "Theft of Motor Vehicles")
    assert "South Staffs and Lichfield" not in vehicle
    assert f"The force's pack describes this for {FORCE} as a whole." in vehicle


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
