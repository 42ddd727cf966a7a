"""`perfpack new`: a project that builds as it is, from the sample or from last cycle's pack."""

from __future__ import annotations

import datetime as dt
import filecmp
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, run_perfpack

from builder import defaults
from builder.cli import cli
from builder.commands.schema import MODELINE, schema_text
from builder.config.load import load_config
from builder.cycle.advance import shift_months
from builder.cycle.dates import add_months

DEFAULTS = ROOT / "builder" / "defaults"


def perfpack(*args: str) -> Result:
    """Run a command in-process, through the real click group."""
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(
    ("original", "copy"),
    [
        ("config/pack.yaml", "pack.yaml"),
        ("templates/pack.docx", "pack.docx"),
        ("templates/pack.html.j2", "pack.html.j2"),
    ],
)
def test_bundled_defaults_match_the_originals(original: str, copy: str):
    assert filecmp.cmp(ROOT / original, DEFAULTS / copy, shallow=False), (
        f"builder/defaults/{copy} differs from {original}: run python scripts/sync_defaults.py"
    )


def test_new_then_build_gives_a_pack(tmp_path: Path):
    made = run_perfpack("new", "mypack", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "mypack"
    for name in ("config/pack.yaml", "templates/pack.docx", "schema/perfpack.schema.json", "README.md", ".gitignore"):
        assert (project / name).is_file(), name
    assert "output/" in (project / ".gitignore").read_text().splitlines()
    assert (project / "config" / "pack.yaml").read_text(encoding="utf-8").splitlines()[0] == MODELINE
    built = run_perfpack("build", "--no-pdf", cwd=project)
    assert built.returncode == 0, built.stderr
    assert [p.name for p in (project / "output").glob("*.docx")] == ["public-performance-pack-2018-11.docx"]


def test_new_fills_an_empty_folder(tmp_path: Path):
    result = perfpack("new", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "schema" / "perfpack.schema.json").read_text(encoding="utf-8") == schema_text()
    assert filecmp.cmp(tmp_path / "templates" / "pack.docx", DEFAULTS / "pack.docx", shallow=False)
    assert filecmp.cmp(tmp_path / "templates" / "pack.html.j2", DEFAULTS / "pack.html.j2", shallow=False)


def test_new_refuses_a_folder_with_files(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("keep me")
    result = perfpack("new", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "is not empty" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_new_refuses_a_file(tmp_path: Path):
    (tmp_path / "pack").write_text("")
    assert perfpack("new", str(tmp_path / "pack")).exit_code == 2


def test_from_moves_the_period_and_keeps_comments(tmp_path: Path):
    assert perfpack("new", str(tmp_path / "nov")).exit_code == 0
    result = perfpack("new", str(tmp_path / "feb"), "--from", str(tmp_path / "nov"), "--months", "3")
    assert result.exit_code == 0, result.output
    assert "moved period.end: 2018-09 -> 2018-12" in result.output
    config = load_config(tmp_path / "feb" / "config" / "pack.yaml").config
    assert config.period.end == "2018-12"
    assert config.peers is not None and config.peers.period_end == "2018-05", "peers move only with --peers"
    assert config.cover.meeting_date == dt.date(2019, 2, 8), "the second Friday, as 9 November 2018 was"
    assert config.cover.report_date == dt.date(2019, 1, 22), "the fourth Tuesday, as 23 October 2018 was"
    assert config.name == "public-performance-pack-2019-02"
    text = (tmp_path / "feb" / "config" / "pack.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    assert "end: 2018-12          # last month of the 'last 12 months'" in text
    assert filecmp.cmp(
        tmp_path / "nov" / "templates" / "pack.docx", tmp_path / "feb" / "templates" / "pack.docx", shallow=False
    )


def test_from_changes_only_what_moves(tmp_path: Path):
    """Everything but the moved values is byte for byte the source: narrative, quotes, layout."""
    assert perfpack("new", str(tmp_path / "nov")).exit_code == 0
    assert perfpack("new", str(tmp_path / "dec"), "--from", str(tmp_path / "nov")).exit_code == 0
    before = (tmp_path / "nov" / "config" / "pack.yaml").read_text(encoding="utf-8").splitlines()
    after = (tmp_path / "dec" / "config" / "pack.yaml").read_text(encoding="utf-8").splitlines()
    row = after.index("  - version: 2")  # the new document-control row, after the sample's one row
    assert [line.split(":")[0].strip() for line in after[row : row + 4]] == ["- version", "date", "author", "change"]
    after = after[:row] + after[row + 4 :]
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after)
    assert [a.split(":")[0].strip() for a, _ in changed] == ["name", "meeting_date", "report_date", "version", "end"]


def test_from_a_config_file_rewrites_paths_and_drops_the_template_key(tmp_path: Path):
    old = tmp_path / "old"
    assert perfpack("new", str(old)).exit_code == 0
    (tmp_path / "extract").mkdir()
    (old / "brand.docx").write_bytes((old / "templates" / "pack.docx").read_bytes())
    config = old / "config" / "pack.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "  path:                 # empty: the bundled sample data", "  path: ../../extract"
    )
    config.write_text(text + "template: ../brand.docx\n", encoding="utf-8")
    result = perfpack("new", str(tmp_path / "packs" / "next"), "--from", str(config))
    assert result.exit_code == 0, result.output
    new_config = tmp_path / "packs" / "next" / "config" / "pack.yaml"
    loaded = load_config(new_config).config
    assert (new_config.parent / loaded.data.path).resolve() == (tmp_path / "extract").resolve()
    assert loaded.template is None
    assert loaded.period.end == "2018-10"


def test_from_keeps_the_web_page_template_restyled_or_named(tmp_path: Path):
    old = tmp_path / "old"
    assert perfpack("new", str(old)).exit_code == 0
    restyled = (old / "templates" / "pack.html.j2").read_text(encoding="utf-8").replace("#12436d", "#0b0c0c")
    (old / "templates" / "pack.html.j2").write_text(restyled, encoding="utf-8")
    assert perfpack("new", str(tmp_path / "next"), "--from", str(old)).exit_code == 0
    assert (tmp_path / "next" / "templates" / "pack.html.j2").read_text(encoding="utf-8") == restyled
    (old / "brand.html.j2").write_text(restyled, encoding="utf-8")
    config = old / "config" / "pack.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "html_template: ../brand.html.j2\n", encoding="utf-8")
    assert perfpack("new", str(tmp_path / "packs" / "later"), "--from", str(old)).exit_code == 0
    later = tmp_path / "packs" / "later" / "config" / "pack.yaml"
    named = load_config(later).config.html_template
    assert named is not None and (later.parent / named).resolve() == (old / "brand.html.j2").resolve()


def test_from_a_missing_project_is_one_line(tmp_path: Path):
    result = perfpack("new", str(tmp_path / "new"), "--from", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "no such config" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "new").exists()


def test_months_zero_copies_for_the_same_meeting(tmp_path: Path):
    assert perfpack("new", str(tmp_path / "a")).exit_code == 0
    assert perfpack("new", str(tmp_path / "b"), "--from", str(tmp_path / "a"), "--months", "0").exit_code == 0
    assert (tmp_path / "a" / "config" / "pack.yaml").read_text() == (
        tmp_path / "b" / "config" / "pack.yaml"
    ).read_text()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2018, 11, 9), 3, dt.date(2019, 2, 9)),
        (dt.date(2019, 1, 31), 1, dt.date(2019, 2, 28)),
        (dt.date(2020, 1, 31), 1, dt.date(2020, 2, 29)),
        (dt.date(2018, 12, 1), 12, dt.date(2019, 12, 1)),
    ],
)
def test_add_months_keeps_the_day_when_it_can(day: dt.date, months: int, expected: dt.date):
    assert add_months(day, months) == expected


def test_shift_months_moves_every_month_in_a_name():
    assert shift_months("ppm-2018-11", 3) == "ppm-2019-02"
    assert shift_months("pack-2018-10-to-2018-12", 1) == "pack-2018-11-to-2019-01"
    assert shift_months("pack-2018", 3) == "pack-2018"


def test_project_readme_is_bundled():
    assert "perfpack watch" in defaults.read_text(defaults.README)
