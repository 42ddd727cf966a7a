"""What a reader sees in the built .docx: sections in order, charts with alt text, contents, marking."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, read_golden
from docx_helpers import field_instructions, full_text, headings, open_docx, pictures

THEMES = ["Personal Robbery", "Theft of Motor Vehicles", "Burglary Business and Community", "Drug Offences"]


def test_sections_in_the_example_order(built_pack):
    found = headings(open_docx(built_pack["docx"]))
    assert found[0].startswith("Foreword")
    assert found[1:] == ["Executive Summary", "All Crime Summary", *THEMES]


def test_theme_subsections(built_pack):
    level2 = headings(open_docx(built_pack["docx"]), level=2)
    for title in (
        "Where is this happening?",
        "How we compare to other areas?",
        "What has happened?",
        "What are we doing about it?",
    ):
        assert level2.count(title) == len(THEMES)


def test_at_least_twelve_charts_each_with_descriptive_alt_text(built_pack):
    found = pictures(open_docx(built_pack["docx"]))
    assert len(found) >= 12
    for picture in found:
        alt = picture["descr"]
        assert len(alt) > 60, picture
        assert not alt.lower().endswith((".png", ".jpg")), picture
        assert any(ch.isdigit() for ch in alt), f"alt text states no figure: {alt}"


def test_robbery_chart_alt_text_names_the_july_breach(built_pack):
    robbery = [
        p for p in pictures(open_docx(built_pack["docx"])) if p["name"].startswith("Chart: Personal Robbery per month")
    ]
    assert len(robbery) == 1
    assert "July 2018" in robbery[0]["descr"]


def test_contents_field_and_marking(built_pack):
    doc = open_docx(built_pack["docx"])
    assert any(instr.strip().startswith("TOC") for instr in field_instructions(doc))
    section = doc.sections[0]
    header = " ".join(p.text for p in section.header.paragraphs)
    footer = " ".join(p.text for p in section.footer.paragraphs)
    assert "OFFICIAL" in header and "OFFICIAL" in footer
    assert doc.core_properties.title.startswith("Staffordshire Police")


def test_cover_shows_config_metadata(built_pack):
    text = full_text(open_docx(built_pack["docx"]))
    for expected in (
        "STAFFORDSHIRE POLICE",
        "Public Performance Meeting",
        "9 November 2018",
        "Chief Superintendent Simon Tweats",
        "Protective Marking: Official",
    ):
        assert expected in text


def test_narrative_placeholders_carry_the_table_figures(built_pack):
    """The prose states the same change as the table, computed independently here."""
    golden = {r["crime_type"]: r for r in read_golden("crime_types_2018.csv")}
    text = " ".join(full_text(open_docx(built_pack["docx"])).split())
    for crime_type, noun in (("Personal Robbery", "crimes"), ("Drug Offences", "offences")):
        last, prev = int(golden[crime_type]["last_12_months"]), int(golden[crime_type]["previous_12_months"])
        pct = round(abs(last - prev) * 100 / prev)
        verb = "rose" if last > prev else "fell"
        assert f"{verb} by {pct}% or {abs(last - prev):,} {noun}" in text
    assert "{{" not in text and "}}" not in text


def test_markdown_becomes_word_formatting_and_each_numbered_list_restarts(built_pack):
    from docx.oxml.ns import qn

    doc = open_docx(built_pack["docx"])
    runs = [r for p in doc.paragraphs for r in p.runs]
    assert any(r.bold and r.text == "20 arrests" for r in runs)
    assert any(r.italic and r.text == "Personal robbery" for r in runs)
    numbered = [p for p in doc.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    lists = sorted(set(num_ids), key=num_ids.index)
    assert len(lists) == 4, "each theme's examples are a list of their own"
    numbering = doc.part.numbering_part.element
    for num_id in lists:
        num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
        start = num.find(qn("w:lvlOverride")).find(qn("w:startOverride"))
        assert start.get(qn("w:val")) == "1"
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert "licensed premises;" in bullets


def test_build_manifest_accounts_for_every_input(built_pack):
    import hashlib
    import json

    manifest = json.loads((built_pack["dir"] / "build-manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"], manifest
    for item in manifest["inputs"]:
        shown = item["path"]
        assert str(Path.home()) not in shown  # no home folder, no user name ($PERFPACK_CACHE may be elsewhere)
        path = Path.home() / shown[2:] if shown.startswith("~/") else ROOT / shown  # ROOT / an absolute path is it
        assert hashlib.sha256(path.read_bytes()).hexdigest() == item["sha256"]
    assert manifest["config"]["path"] == "config/pack.yaml"
    load = manifest["load"]
    assert load["rows_read"] == load["rows_used"] + sum(load["rows_dropped"].values())
    assert manifest["rows"] == load["rows_read"]
    published = {o["name"]: o["sha256"] for o in manifest["outputs"]}
    assert sorted(published) == sorted(p.name for p in built_pack["dir"].iterdir() if p.name != "build-manifest.json")
    for name, sha in published.items():  # the set is whole: every file is the one the manifest lists
        assert hashlib.sha256((built_pack["dir"] / name).read_bytes()).hexdigest() == sha
    assert manifest["windows"]["last"] == "2017-10-01/2018-09-30"
