"""Strict checks and builds: the sample passes everywhere; a pack with a warning is never published."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import CONFIG

from builder.cli import cli

DRUGS_TREND = "        {{ drugs.spc.sentence }}\n"
WRONG = "        Drug offences fell by 419. The lead officer is TBC.\n"


def perfpack(*args: str) -> Result:
    """Run a command in-process, through the real click group (errors and exit codes included)."""
    return CliRunner().invoke(cli, list(args))


def project(tmp_path: Path, extra: str = "") -> Path:
    """A copy of the sample config with a wrong figure and a leftover in the drugs trend."""
    text = CONFIG.read_text(encoding="utf-8").replace(DRUGS_TREND, DRUGS_TREND + WRONG) + extra
    path = tmp_path / "config" / "pack.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "options",
    [
        ["--period-end", "2018-03"],
        ["--period-end", "2018-06"],
        ["--period-end", "2017-12"],
        ["--window-months", "2"],
        ["--by", "npt"],
        ["--by", "area", "--period-end", "2018-06"],
    ],
)
def test_the_sample_passes_a_strict_check_at_other_period_ends_and_scopes(options):
    result = perfpack("check", "--strict", "--config", str(CONFIG), *options)
    assert result.exit_code == 0, result.output
    assert " 0 warnings in " in result.output


def test_a_strict_build_with_a_warning_publishes_nothing(tmp_path):
    config = project(tmp_path)
    out = tmp_path / "out"
    result = perfpack("build", "--strict", "--no-pdf", "--config", str(config), "--output-dir", str(out))
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert [line.split(": ", 3)[-1] for line in lines if line.startswith("warning:")] == [
        "419: the data say 416 (drugs.difference)",
        '"TBC": text to replace before the pack is published',
    ]
    assert lines[-1].startswith("error: 2 warnings and --strict (cover.status: draft): nothing was published")
    assert not out.exists() or list(out.iterdir()) == []


def test_strict_true_in_the_config_does_the_same_and_check_says_why(tmp_path):
    config = project(tmp_path, extra="strict: true\n")
    out = tmp_path / "out"
    built = perfpack("build", "--no-pdf", "--config", str(config), "--output-dir", str(out))
    assert built.exit_code == 1 and "2 warnings and strict: true in the config" in built.output
    assert not out.exists() or list(out.iterdir()) == []
    checked = perfpack("check", "--config", str(config))
    assert checked.exit_code == 1 and "2 warnings and strict: true in the config" in checked.output


def test_a_published_pack_says_how_many_warnings_it_had(tmp_path):
    config = project(tmp_path)
    out = tmp_path / "out"
    result = perfpack("build", "--no-pdf", "--no-check", "--config", str(config), "--output-dir", str(out))
    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    assert summary.startswith("Built 1 pack from ") and ", with 2 warnings: " in summary
    assert sorted(p.suffix for p in out.iterdir() if p.suffix in (".docx", ".xlsx")) == [".docx", ".xlsx"]
