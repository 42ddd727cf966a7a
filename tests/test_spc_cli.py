"""``perfpack spc`` through click's CliRunner: JSON, table, options and errors.

The command is invoked through a small local group that does what the main
CLI does with a ``PerfpackError`` (one line on stderr, the error's exit code),
so these tests see what an analyst sees without importing the whole CLI.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from builder.commands.spc import spc
from builder.errors import DataError, PerfpackError

DATA = Path(__file__).parent / "data" / "spc"


class _CleanErrors(click.Group):
    """Turns PerfpackError into a one-line message, as the main CLI does."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except PerfpackError as error:
            click.echo(str(error), err=True)
            sys.exit(error.exit_code)


@click.group(cls=_CleanErrors)
def cli() -> None:
    """Stand-in for the perfpack main group."""


cli.add_command(spc)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["spc", *map(str, args)])


def write_csv(path: Path, rows: list[tuple[str, str]], header: str = "period,value") -> Path:
    lines = [header, *(f"{p},{v}" for p, v in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def performance_csv(tmp_path: Path) -> tuple[Path, dict]:
    """The NHSRplotthedots A&E performance reference series as period,value."""
    fixture = json.loads((DATA / "ae_all_performance_fix12.json").read_text(encoding="utf-8"))
    rows = [(p["period"][:7], repr(p["value"])) for p in fixture["points"]]
    return write_csv(tmp_path / "ae_performance.csv", rows), fixture


@pytest.fixture
def robbery_csv(tmp_path: Path) -> Path:
    """Limits on 2017, a breach in July 2018, above average since."""
    values = [12, 10] * 6 + [12, 10] * 3 + [20, 12, 13, 12, 13, 12]
    months = [f"{2017 + i // 12}-{i % 12 + 1:02d}" for i in range(len(values))]
    return write_csv(tmp_path / "personal_robbery.csv", list(zip(months, map(str, values))))


# --- output ---------------------------------------------------------------------------


def test_json_reproduces_the_reference_series(performance_csv):
    path, fixture = performance_csv
    result = run(path, "--json", "--direction", "increase", "--baseline", "12")
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert len(records) == 36
    assert records[0]["period"] == "2016-04-01"
    assert [r["point_type"] for r in records] == [p["point_type"] for p in fixture["points"]]
    expected = fixture["expected_groups"][0]
    assert records[0]["mean"] == pytest.approx(expected["mean"], rel=1e-12)
    assert records[0]["lcl"] == pytest.approx(expected["lcl"], rel=1e-12)
    assert records[0]["ucl"] == pytest.approx(expected["ucl"], rel=1e-12)
    assert {"value", "rule", "trial_limits"} <= set(records[0])


def test_json_direction_defaults_to_decrease(performance_csv):
    path, _ = performance_csv
    records = json.loads(run(path, "--json", "--baseline", "12").output)
    assert records[9]["point_type"] == "special_cause_improvement"  # January 2017, below the LCL


def test_table_shows_limits_and_ends_with_the_sentence(robbery_csv):
    # Baseline [12, 10] * 6: mean 11, AMR 2, limits 11 +/- 5.32.
    result = run(robbery_csv, "--baseline", "12")
    assert result.exit_code == 0, result.output
    lines = result.output.rstrip("\n").split("\n")
    header = lines[0].split()
    assert header == ["period", "value", "mean", "lcl", "ucl", "point_type", "rule", "limits"]
    july = next(line for line in lines if line.startswith("2018-07-01"))
    assert july.split()[1:] == ["20.00", "11.00", "5.68", "16.32", "special_cause_concern", "beyond_limit", "fixed"]
    assert len(lines) == 1 + 24 + 2  # header, one row per point, blank, sentence
    assert lines[-1] == (
        "Personal robbery rose above its upper control limit in July 2018 and has stayed above its average since."
    )


def test_table_columns_line_up(robbery_csv):
    lines = run(robbery_csv).output.split("\n")
    table = lines[: lines.index("")]
    column = table[0].index("point_type")
    assert all(line[column - 2 : column] == "  " for line in table)
    assert all(line[column] != " " for line in table)


def test_subject_option_changes_the_sentence(robbery_csv):
    result = run(robbery_csv, "--subject", "robbery of personal property")
    assert result.output.rstrip().split("\n")[-1].startswith("Robbery of personal property rose")


def test_baseline_option_fixes_limits(robbery_csv):
    free = json.loads(run(robbery_csv, "--json").output)
    fixed = json.loads(run(robbery_csv, "--json", "--baseline", "12").output)
    assert fixed[0]["mean"] == pytest.approx(11.0)
    assert free[0]["mean"] != pytest.approx(11.0)


def test_no_screen_widens_limits(tmp_path):
    fixture = json.loads((DATA / "rnorm_seed123.json").read_text(encoding="utf-8"))
    values = list(fixture["values"])
    values[fixture["outlier_index"]] = fixture["outlier_value"]
    rows = [(f"2020-01-{day:02d}", repr(v)) for day, v in enumerate(values, start=2)]
    path = write_csv(tmp_path / "rnorm.csv", rows)
    screened = json.loads(run(path, "--json").output)[0]
    unscreened = json.loads(run(path, "--json", "--no-screen").output)[0]
    expected = fixture["expected"]
    assert screened["ucl"] == pytest.approx(expected["r2_outlier_screened"]["ucl"], rel=1e-6)
    assert unscreened["ucl"] == pytest.approx(expected["r3_outlier_unscreened"]["ucl"], rel=1e-6)


def test_rebase_option_accepts_months_and_dates(performance_csv):
    path, _ = performance_csv
    for when in ("2017-04", "2017-04-01"):
        records = json.loads(run(path, "--json", "--rebase", when).output)
        assert [r["group"] for r in records] == [0] * 12 + [1] * 24
        assert records[0]["trial_limits"] is True and records[12]["trial_limits"] is False


def test_rebase_option_repeats(performance_csv):
    path, _ = performance_csv
    records = json.loads(run(path, "--json", "--rebase", "2017-04", "--rebase", "2018-04").output)
    assert sorted({r["group"] for r in records}) == [0, 1, 2]


def test_rows_are_sorted_by_period(tmp_path):
    path = write_csv(tmp_path / "s.csv", [("2018-02", "2"), ("2018-01", "1"), ("2018-03", "3")])
    records = json.loads(run(path, "--json").output)
    assert [r["period"] for r in records] == ["2018-01-01", "2018-02-01", "2018-03-01"]
    assert [r["value"] for r in records] == [1.0, 2.0, 3.0]


def test_extra_columns_blank_lines_and_header_case_are_tolerated(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("\ufeffPeriod, Value ,note\n2018-01,1,a\n\n2018-02,3,b\n", encoding="utf-8")
    records = json.loads(run(path, "--json").output)
    assert [r["value"] for r in records] == [1.0, 3.0]


def test_help_has_an_example():
    result = run("--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "perfpack spc robbery.csv" in result.output
    assert "--no-screen" in result.output and "--rebase" in result.output


# --- errors ------------------------------------------------------------------------------


def assert_clean_error(result: Result, *fragments: str) -> None:
    """Exit code 2, one line on stderr with every fragment, no traceback."""
    assert result.exit_code == DataError.exit_code, result.output
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.csv"
    assert_clean_error(run(missing), str(missing), "no such file")


def test_missing_column(tmp_path):
    path = write_csv(tmp_path / "s.csv", [("2018-01", "1")], header="month,value")
    assert_clean_error(run(path), str(path), "row 1", "period", "period,value")


def test_non_numeric_value_names_its_row(tmp_path):
    path = write_csv(tmp_path / "s.csv", [("2018-01", "1"), ("2018-02", "2"), ("2018-03", "twelve")])
    assert_clean_error(run(path), str(path), "row 4", "'twelve'", "not a number")


def test_empty_value_names_its_row(tmp_path):
    path = write_csv(tmp_path / "s.csv", [("2018-01", "1"), ("2018-02", "")])
    assert_clean_error(run(path), "row 3", "empty")


def test_unparseable_period_names_its_row(tmp_path):
    path = write_csv(tmp_path / "s.csv", [("2018-01", "1"), ("Feb 2018", "2")])
    assert_clean_error(run(path), str(path), "row 3", "'Feb 2018'", "YYYY-MM")


def test_impossible_date_is_unparseable(tmp_path):
    path = write_csv(tmp_path / "s.csv", [("2018-01", "1"), ("2018-13", "2")])
    assert_clean_error(run(path), "row 3", "'2018-13'")


def test_duplicate_period(tmp_path):
    path = write_csv(tmp_path / "s.csv", [("2018-01", "1"), ("2018-02", "2"), ("2018-01-01", "3")])
    assert_clean_error(run(path), "row 4", "repeats row 2")


def test_too_few_points(tmp_path):
    path = write_csv(tmp_path / "s.csv", [("2018-01", "1")])
    assert_clean_error(run(path), str(path), "at least 2")


def test_short_baseline_is_a_data_error(robbery_csv):
    result = run(robbery_csv, "--baseline", "6")
    assert_clean_error(result, str(robbery_csv), "at least 12")


def test_rebase_outside_the_series_is_a_data_error(robbery_csv):
    assert_clean_error(run(robbery_csv, "--rebase", "2030-01"), "2030-01-01", "not one of")


def test_malformed_rebase_is_a_usage_error(robbery_csv):
    result = run(robbery_csv, "--rebase", "soon")
    assert result.exit_code == 2
    assert "--rebase" in result.stderr and "'soon'" in result.stderr


def test_without_the_wrapper_the_command_raises_data_error(tmp_path):
    path = write_csv(tmp_path / "s.csv", [("2018-01", "x")])
    result = CliRunner().invoke(spc, [str(path)])
    assert isinstance(result.exception, DataError)
    assert str(result.exception).startswith(f"{path}, row 2: value 'x' is not a number")


def test_json_is_strict_and_huge_values_are_refused(tmp_path):
    """Any JSON parser must read the output: no NaN or Infinity, and values that would overflow are refused."""
    from builder.commands.spc import strict_json

    assert json.loads(strict_json([{"ucl": float("inf"), "lcl": float("nan"), "mean": 1.5}])) == [
        {"ucl": None, "lcl": None, "mean": 1.5}
    ]
    huge = tmp_path / "huge.csv"
    huge.write_text("period,value\n2018-01,1e308\n2018-02,1e308\n2018-03,-1e308\n", encoding="utf-8")
    result = run(str(huge), "--json")
    assert result.exit_code == 2
    assert "row 2: value '1e308' is too large for a monthly figure" in result.stderr
