"""`perfpack check` and `perfpack figures`, run as an author runs them, on the bundled sample."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import CONFIG, run_perfpack

from builder.cli import cli

DRUGS_TREND = "        {{ drugs.spc.sentence }}\n"
WRONG = "        Drug offences fell by 419 (19%) to 1,802.\n"


def perfpack(*args: str) -> Result:
    """Run a command in-process, through the real click group (errors and exit codes included)."""
    return CliRunner().invoke(cli, list(args))


def edited(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the sample config with one edit, and the file line where ``new`` starts."""
    text = CONFIG.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path = tmp_path / "config" / "pack.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, text[: text.index(new)].count("\n") + 1


def test_check_passes_on_the_sample():
    result = run_perfpack("check", "--strict", "--config", str(CONFIG))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stdout.replace("0 warnings", "")
    assert re.search(r"Checked .*pack\.yaml: [\d,]+ rows, \d+ narrative fields, 0 warnings", result.stdout)


def test_wrong_literal_named_with_the_right_figure(tmp_path):
    config, line = edited(tmp_path, DRUGS_TREND, DRUGS_TREND + WRONG)
    expected = f"warning: {config}:{line + 1}: drugs: 419: the data say 416 (drugs.difference)"

    relaxed = perfpack("check", "--config", str(config))
    assert relaxed.exit_code == 0, relaxed.output
    assert expected in relaxed.stdout.splitlines()

    strict = perfpack("check", "--strict", "--config", str(config))
    assert strict.exit_code == 1, strict.output
    warnings = [line for line in strict.stdout.splitlines() if line.startswith("warning:")]
    assert warnings == [expected]  # the right 19% and 1,802 in the same sentence are not reported
    assert "1 warning and --strict" in strict.stderr


def test_undefined_name_stops_check_with_one_line_no_traceback(tmp_path):
    """As an author sees it: the real console script, one line, nothing written."""
    config, line = edited(tmp_path, "{{ tomv | change_phrase }} in", "{{ no_such_figure }} in")
    result = run_perfpack("check", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        (
            f"error: {config}:{line}: tomv.trend: unknown figure name 'no_such_figure'; "
            "run `perfpack figures` to list the names"
        )
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config"]  # nothing written, no pack


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "{{ robbery.spc.sentence }}",
            "{{ robbery.spc.sentance }}",
            "unknown figure name 'sentance' (did you mean 'sentence'?)",
        ),
        ("{{ drugs.spc.sentence }}", "{{ drugs.spc.sentence }", "placeholder syntax error"),
        ("{{ drugs.spc.sentence }}", "{{ ''.__class__.__mro__ }}", "not allowed in narrative"),
        ("{{ drugs.spc.sentence }}", "{{ cycler.__init__.__globals__ }}", "not allowed in narrative"),
        ("{{ drugs.spc.sentence }}", "{{ drugs.npt.keys.__func__.__globals__ }}", "not allowed in narrative"),
        ("{{ drugs.spc.sentence }}", "{{ drugs.__class__.__subclasses__() }}", "not allowed in narrative"),
    ],
    ids=["misspelt", "syntax", "mro", "globals", "func-globals", "subclasses"],
)
def test_narrative_errors_stop_with_file_line_and_name(tmp_path, old, new, says):
    config, line = edited(tmp_path, old, new)
    result = perfpack("check", "--config", str(config))
    assert result.exit_code == 2, result.output
    assert (result.stdout == "" and result.exception is None) or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {config}:{line}: ") and says in lines[0], lines[0]
    assert "themes[" not in lines[0]  # a theme is named by its key, as authors know it


def test_bad_config_is_one_line_exit_2(tmp_path):
    config, line = edited(tmp_path, "  months: 12\n", "  months: twelve\n")
    result = perfpack("check", "--config", str(config))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {config}:{line}: period.months")


def test_figures_lists_a_sections_names_with_values():
    result = perfpack("figures", "--config", str(CONFIG), "--section", "drugs")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"drugs\.last_12 +1,802", next(line for line in lines if line.startswith("drugs.last_12 ")))
    assert any(line.startswith("drugs.change_pct ") for line in lines)
    assert any(line.startswith('drugs.npt["Stafford"].difference ') for line in lines)
    assert any(line.startswith("all_crime.last_12 ") for line in lines)  # shared totals follow
    assert not any(line.startswith(("robbery.", "crime_type[")) for line in lines)
    assert lines[0].startswith("drugs.")  # its own names first
    title, count = (
        next(line for line in lines if line.startswith(name)) for name in ("drugs.title ", "drugs.npt | length ")
    )
    assert title.index("Drug Offences") == count.index("10")  # values in one column


def test_figures_rejects_an_unknown_section():
    result = perfpack("figures", "--config", str(CONFIG), "--section", "drug")
    assert result.exit_code == 2
    assert "no section 'drug'" in result.stderr and "drugs" in result.stderr


def test_help_has_examples():
    for command in ("check", "figures"):
        result = perfpack(command, "--help")
        assert result.exit_code == 0 and "Example:" in result.stdout and f"perfpack {command}" in result.stdout


def test_check_pack_missing_file(tmp_path):
    result = perfpack("check", "--pack", str(tmp_path / "nope.docx"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_check_pack_on_a_built_pack(request):
    pytest.importorskip("builder.check.pack")
    built_pack = request.getfixturevalue("built_pack")  # only build the pack when it can be checked
    result = perfpack("check", "--pack", str(built_pack["docx"]))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
