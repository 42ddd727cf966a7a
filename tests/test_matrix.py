"""Publish-ready on any data: a matrix of packs, built once without a PDF, each checked as a reader would.

The sample at three period ends, one pack per NPT and per area, and police.uk packs of
every force in ``../shared/data/policeuk`` (skipped when absent) with 2-month windows.
Every pack passes the checker, chart-text rule included (no chart text cut off), and
its prose has none of the wording slips of ``wording_rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, SHARED, run_perfpack
from openpyxl import load_workbook
from wording_rules import pack_slips

from builder.check import check_pack

POLICEUK = SHARED / "data" / "policeuk"
FORCES = sorted(p.name for p in POLICEUK.iterdir() if p.is_dir()) if POLICEUK.is_dir() else []


@dataclass(frozen=True)
class Case:
    """One build of the matrix: its name and the arguments given to `perfpack build`."""

    name: str
    args: tuple[str, ...]
    months: int = 12
    needs_shared: bool = False


CASES = [
    Case("sample-2018-09", ()),
    Case("sample-2018-03", ("--period-end", "2018-03")),
    Case("sample-2017-12", ("--period-end", "2017-12")),
    Case("sample-by-npt", ("--by", "npt")),
    Case("sample-by-area", ("--by", "area")),
    *(
        Case(
            f"policeuk-{force}",
            ("--config", "config/policeuk.yaml", "--data", str(POLICEUK / force), "--window-months", "2"),
            months=2,
            needs_shared=True,
        )
        for force in FORCES or ["(none)"]
    ),
]


@pytest.fixture(scope="session")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every case built once per session, into its own folder (a failed build fails its tests only)."""
    root = tmp_path_factory.mktemp("matrix")
    built: dict[str, Path] = {}
    for case in CASES:
        if case.needs_shared and not FORCES:
            continue
        out = root / case.name
        result = run_perfpack("build", "--no-pdf", "--quiet", "--output-dir", str(out), *case.args, cwd=ROOT)
        (out / "build.log").parent.mkdir(parents=True, exist_ok=True)
        (out / "build.log").write_text(result.stdout + result.stderr + f"\nexit {result.returncode}\n")
        built[case.name] = out
    return built


def packs(matrix: dict[str, Path], case: Case) -> list[Path]:
    if case.needs_shared and not FORCES:
        pytest.skip(f"no police.uk files in {POLICEUK}")
    out = matrix[case.name]
    found = sorted(out.glob("*.docx"))
    assert found, (out / "build.log").read_text()
    return found


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_pack_passes_the_checker(matrix: dict[str, Path], case: Case) -> None:
    for docx in packs(matrix, case):
        report = check_pack(docx)
        assert report.problems == [], f"{docx.name}:\n{report.format()}"
        assert any(r.rule == "chart-text" and r.checked.endswith("charts") for r in report.results)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_no_wording_slips(matrix: dict[str, Path], case: Case) -> None:
    for docx in packs(matrix, case):
        assert pack_slips(docx) == [], docx.name


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_annex_names_the_packs_windows(matrix: dict[str, Path], case: Case) -> None:
    for docx in packs(matrix, case):
        workbook = load_workbook(docx.with_name(f"{docx.stem}-data.xlsx"))
        text = " ".join(str(c.value) for ws in workbook for row in ws.iter_rows() for c in row if c.value)
        assert f"Last {case.months} months" in text
        other = 12 if case.months != 12 else 2
        assert f"Last {other} months [note" not in text and f"Previous {other} months [note" not in text
