"""Stale narrative: `perfpack check` flags prose kept from last cycle while its figures moved, until reviewed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_perfpack

pytestmark = pytest.mark.slow


def warnings_of(output: str) -> dict[str, str]:
    """Stale-narrative warnings by field name."""
    found = {}
    for line in output.splitlines():
        if "unchanged since" in line:
            found[line.split(": ")[2]] = line
    return found


@pytest.fixture()
def september(tmp_path: Path) -> Path:
    """A project for the August 2018 figures, moved on to September with `perfpack new --from`."""
    assert run_perfpack("new", "aug", cwd=tmp_path).returncode == 0
    config = tmp_path / "aug" / "config" / "pack.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  end: 2018-09 ", "  end: 2018-08 "), encoding="utf-8"
    )
    made = run_perfpack("new", "sep", "--from", "aug", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "config/pack.last-cycle.json" in made.stdout
    return tmp_path / "sep"


def test_unchanged_prose_under_moved_figures_is_flagged_until_edited_or_reviewed(september: Path):
    checked = run_perfpack("check", cwd=september)
    assert checked.returncode == 0, checked.stderr
    flagged = warnings_of(checked.stdout)
    assert flagged["drugs.trend"].endswith(
        "drugs.trend: unchanged since August 2018 while drugs.difference went from -375 to -416 "
        "— re-read it, then edit it or list it under review.reviewed"
    )
    assert flagged["drugs.trend"].startswith("warning: config/pack.yaml:")
    assert "bbc.where" in flagged, "bbc's difference went from 210 to 278"
    assert "robbery.trend" not in flagged, "robbery's figures moved by less than 10%"

    config = september / "config" / "pack.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("Recorded drug offences {{", "Drug offences recorded {{", 1)  # an edit
    config.write_text(text + "\nreview:\n  reviewed:\n    - bbc.where\n    - bbc.whre\n", encoding="utf-8")
    again = run_perfpack("check", "--strict", cwd=september)
    flagged = warnings_of(again.stdout)
    assert "drugs.trend" not in flagged and "bbc.where" not in flagged
    assert "drugs.where" in flagged and "bbc.trend" in flagged
    assert "review.reviewed: 'bbc.whre' is not a narrative field" in again.stdout
    assert again.returncode == 1


def test_build_strict_refuses_and_publishes_nothing(september: Path):
    refused = run_perfpack("build", "--strict", "--no-pdf", cwd=september)
    assert refused.returncode == 1
    assert "warning: config/pack.yaml:" in refused.stderr and "unchanged since August 2018" in refused.stderr
    assert refused.stderr.splitlines()[-1].startswith("error: ")
    assert "and --strict (cover.status: draft): nothing was published" in refused.stderr
    assert not list((september / "output").glob("*.docx"))
    built = run_perfpack("build", "--no-pdf", "--no-check", cwd=september)
    assert built.returncode == 0, built.stderr
    assert "unchanged since August 2018" in built.stderr


@pytest.mark.parametrize(
    ("record", "why"),
    [
        ("{bad json", "is not valid JSON"),
        ('{"format": 1, "fields": 5}', "is not a perfpack last-cycle record"),
        (
            '{"format": 1, "fields": {"drugs.trend": {"sha256": "x", "figures": {"a": "ten"}}}}',
            "has a figure of 'drugs.trend' that is not a number",
        ),
    ],
)
def test_a_damaged_last_cycle_record_is_a_warning_not_a_silent_pass(september: Path, record: str, why: str):
    """Read as 'no record', a damaged file would switch the stale-narrative check off without a word."""
    (september / "config" / "pack.last-cycle.json").write_text(record, encoding="utf-8")
    checked = run_perfpack("check", "--strict", cwd=september)
    assert checked.returncode == 1, checked.stderr  # a warning, so --strict refuses
    assert "Traceback" not in checked.stderr
    assert f"pack.last-cycle.json: {why}" in checked.stdout
    assert "no narrative could be checked for staleness" in checked.stdout
