"""`perfpack new --from`: the next cycle's project, moved on by the cadence and the meeting's weekday rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder.cli import cli
from builder.config.load import load_config
from builder.cycle.advance import bump_version
from builder.cycle.dates import infer_rule, move_by_rule, non_working, working_day_before

TODAY = dt.date.today()


def perfpack(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def config_of(project: Path):
    return load_config(project / "config" / "pack.yaml").config


def edit(project: Path, old: str, new: str) -> None:
    path = project / "config" / "pack.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_monthly_project_moved_on_twice(tmp_path: Path):
    """Dates keep their weekday rule, the version goes up, the status is draft, a weekend is warned about."""
    assert perfpack("new", str(tmp_path / "nov")).exit_code == 0
    edit(tmp_path / "nov", "meeting_date: 2018-11-09", "meeting_date: 2018-11-10")  # a Saturday meeting
    edit(tmp_path / "nov", "status: draft ", "status: final ")
    first = perfpack("new", str(tmp_path / "dec"), "--from", str(tmp_path / "nov"))
    assert first.exit_code == 0, first.output
    second = perfpack("new", str(tmp_path / "jan"), "--from", str(tmp_path / "dec"))
    assert second.exit_code == 0, second.output

    dec, jan = config_of(tmp_path / "dec"), config_of(tmp_path / "jan")
    assert (dec.period.cadence, jan.period.cadence) == ("monthly", "monthly")
    assert (dec.period.end, jan.period.end) == ("2018-10", "2018-11")
    assert (dec.name, jan.name) == ("public-performance-pack-2018-12", "public-performance-pack-2019-01")
    assert (dec.cover.meeting_date, jan.cover.meeting_date) == (dt.date(2018, 12, 8), dt.date(2019, 1, 12))
    assert (dec.cover.report_date, jan.cover.report_date) == (dt.date(2018, 11, 27), dt.date(2018, 12, 25))
    assert (dec.cover.version, jan.cover.version) == ("2", "3")
    assert (dec.cover.status, jan.cover.status) == ("draft", "draft")
    assert [r.version for r in jan.document_control] == ["1", "2", "3"]
    assert jan.document_control[-1].date == TODAY
    assert jan.document_control[-1].change == "Draft for the meeting on 12 January 2019, figures to November 2018"
    assert dec.peers is not None and dec.peers.period_end == "2018-05", "no newer peer file was given"

    assert "moved cover.meeting_date: 2018-11-10 -> 2018-12-08 (second Saturday of the month)" in first.output
    assert "moved cover.status: final -> draft" in first.output
    assert "cover.meeting_date: Saturday 8 December 2018 is a Saturday" in first.stderr
    assert "cover.meeting_date: Saturday 12 January 2019 is a Saturday" in second.stderr
    assert "Tuesday 25 December 2018 is Christmas Day, a bank holiday in England and Wales" in second.stderr
    assert "the working day before is Monday 24 December 2018" in second.stderr


def test_quarterly_cadence_moves_three_months_and_months_overrides(tmp_path: Path):
    assert perfpack("new", str(tmp_path / "q3")).exit_code == 0
    edit(tmp_path / "q3", "cadence: monthly", "cadence: quarterly")
    assert perfpack("new", str(tmp_path / "q4"), "--from", str(tmp_path / "q3")).exit_code == 0
    q4 = config_of(tmp_path / "q4")
    assert (q4.period.end, q4.cover.meeting_date, q4.period.cadence) == ("2018-12", dt.date(2019, 2, 8), "quarterly")
    assert perfpack("new", str(tmp_path / "m"), "--from", str(tmp_path / "q3"), "--months", "1").exit_code == 0
    assert config_of(tmp_path / "m").period.end == "2018-10"


def test_peers_move_only_with_a_newer_peer_file(tmp_path: Path):
    assert perfpack("new", str(tmp_path / "nov")).exit_code == 0
    newer = tmp_path / "peers-2018-08.csv"
    newer.write_text(
        "force,population,crime_type,period_end,last_12,previous_12\nPeer A,1000,Personal Robbery,2018-08,10,9\n",
        encoding="utf-8",
    )
    result = perfpack("new", str(tmp_path / "dec"), "--from", str(tmp_path / "nov"), "--peers", str(newer))
    assert result.exit_code == 0, result.output
    peers = config_of(tmp_path / "dec").peers
    assert peers is not None and peers.period_end == "2018-08"
    assert Path(peers.file).name == "peers-2018-08.csv"
    assert "moved peers.period_end: 2018-05 -> 2018-08" in result.output
    checked = perfpack("check", "--config", str(tmp_path / "dec" / "config" / "pack.yaml"), "--period-end", "2018-09")
    assert checked.exit_code == 0, checked.output  # last cycle's peers.csv in the data folder is not read as crimes

    older = tmp_path / "peers-old.csv"
    older.write_text(newer.read_text(encoding="utf-8").replace("2018-08", "2018-02"), encoding="utf-8")
    refused = perfpack("new", str(tmp_path / "x"), "--from", str(tmp_path / "nov"), "--peers", str(older))
    assert refused.exit_code == 2
    assert "not newer than the pack's 2018-05" in refused.stderr and refused.stderr.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_reviewed_marks_are_cleared_for_the_next_cycle(tmp_path: Path):
    assert perfpack("new", str(tmp_path / "nov")).exit_code == 0
    config = tmp_path / "nov" / "config" / "pack.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\nreview:\n  reviewed:\n    - robbery.where\n", encoding="utf-8"
    )
    assert config_of(tmp_path / "nov").review.reviewed == ["robbery.where"]
    assert perfpack("new", str(tmp_path / "dec"), "--from", str(tmp_path / "nov")).exit_code == 0
    assert config_of(tmp_path / "dec").review.reviewed == []


@pytest.mark.parametrize(
    ("day", "rule", "months", "moved"),
    [
        (dt.date(2018, 11, 9), "second Friday of the month", 1, dt.date(2018, 12, 14)),
        (dt.date(2018, 10, 23), "fourth Tuesday of the month", 2, dt.date(2018, 12, 25)),
        (dt.date(2018, 11, 30), "last Friday of the month", 3, dt.date(2019, 2, 22)),
        (dt.date(2019, 4, 1), "first Monday of the month", 1, dt.date(2019, 5, 6)),
    ],
)
def test_a_date_keeps_its_weekday_rule(day: dt.date, rule: str, months: int, moved: dt.date):
    assert str(infer_rule(day)) == rule
    assert move_by_rule(day, months) == (moved, infer_rule(day))


def test_working_days_of_england_and_wales():
    assert non_working(dt.date(2019, 5, 6)) == "May Day, a bank holiday in England and Wales"
    assert non_working(dt.date(2019, 5, 27)) == "Spring Bank Holiday, a bank holiday in England and Wales"
    assert non_working(dt.date(2018, 12, 8)) == "a Saturday"
    assert non_working(dt.date(2018, 12, 14)) is None
    assert working_day_before(dt.date(2018, 12, 26)) == dt.date(2018, 12, 24)


@pytest.mark.parametrize(("old", "new"), [(1, 2), ("1", "2"), ("1.3", "1.4"), ("v2", "v3"), ("draft", "draft 2")])
def test_bump_version(old: object, new: object):
    assert bump_version(old) == new


def test_the_rule_a_date_follows_is_kept_from_cycle_to_cycle(tmp_path: Path):
    """30 November 2018 is the last Friday; so is 28 December, though it is also the fourth."""
    assert perfpack("new", str(tmp_path / "c0")).exit_code == 0
    edit(tmp_path / "c0", "meeting_date: 2018-11-09", "meeting_date: 2018-11-30")
    edit(tmp_path / "c0", "report_date: 2018-10-23", "report_date: 2018-10-23  # the agenda deadline")
    for n in range(1, 6):
        made = perfpack("new", str(tmp_path / f"c{n}"), "--from", str(tmp_path / f"c{n - 1}"))
        assert made.exit_code == 0, made.output
    last = config_of(tmp_path / "c5").cover
    assert last.meeting_date == dt.date(2019, 4, 26)
    text = (tmp_path / "c4" / "config" / "pack.yaml").read_text(encoding="utf-8")
    assert "meeting_date: 2019-03-29 # last Friday of the month" in text  # not the fourth, the 22nd
    assert "# the agenda deadline" in text  # an author's own comment is kept


def test_an_edited_rule_is_followed_and_one_it_cannot_read_is_said(tmp_path: Path):
    assert perfpack("new", str(tmp_path / "a")).exit_code == 0
    edit(tmp_path / "a", "meeting_date: 2018-11-09", "meeting_date: 2018-11-09  # last Friday of the month")
    edit(tmp_path / "a", "report_date: 2018-10-23", "report_date: 2018-10-23  # fifth Tuesday of the month")
    made = perfpack("new", str(tmp_path / "b"), "--from", str(tmp_path / "a"))
    assert made.exit_code == 0, made.output
    assert config_of(tmp_path / "b").cover.meeting_date == dt.date(2018, 12, 28)  # the comment's rule, not the date's
    assert "2018-11-09 is not the last Friday of the month its comment says" in made.output
    assert "the comment '# fifth Tuesday of the month' is not a rule perfpack reads" in made.output
    assert config_of(tmp_path / "b").cover.report_date == dt.date(2018, 11, 27)  # worked out from the date
