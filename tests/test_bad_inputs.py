"""Bad input never hurts: one line per problem (file, row, what), exit 2, no traceback, old pack kept.

Each case corrupts one thing (a data file, the config, its narrative, the Word template) in a
small valid project and runs the real command: in-process through the click group (the same
code a user's process runs, without a Python start per case), and a handful of cases also as
the installed `perfpack` script in a process of their own, end to end. Cases about the config,
narrative or template start from ``config/policeuk.yaml`` and five months of police.uk files.
"""

from __future__ import annotations

import gzip
import os
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import ROOT, invoke, run_perfpack
from data_helpers import (
    CRIME_HEADER,
    MONTHS,
    STREET_HEADER,
    crime_row,
    crimes_file,
    street_folder,
    street_row,
    write_csv,
)

PACK = ROOT / "config" / "pack.yaml"
POLICEUK = ROOT / "config" / "policeuk.yaml"
NAMES = {PACK: "public-performance-pack-2018-11", POLICEUK: "policeuk-performance-pack"}
SENTINEL = b"the previous pack"


@dataclass(frozen=True)
class Expect:
    """Where the first line must point (file, row or line) and what it must say."""

    file: Path | None
    row: int | None
    says: str
    lines: int | None = 1
    line: int | None = None
    """A line of a config file: the message starts 'file:line: '."""
    published: bool = True
    """The build started, so the message says nothing was published (not for a mistyped option)."""


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], tuple[Path, Expect]]
    config: Path = PACK
    args: tuple[str, ...] = ()
    needs_wiring: bool = False
    """The case writes its own config, as tmp/config/pack.yaml."""
    command: str = "build"
    """'check' for a case that stops before any document: as quick, and it must stop there too."""
    output: str = "out"
    """The --output-dir, under the case's folder (the previous pack is always in 'out')."""


Edit = Callable[[list[list[str]]], None]


def street(tmp: Path, edit: Edit | None = None, month: str = "2018-11") -> tuple[Path, Path]:
    """A valid police.uk folder with one month's rows edited; returns the folder and that file."""
    folder = street_folder(tmp / "force")
    path = folder / f"{month}-testshire-street.csv"
    rows = [street_row(month, i) for i in range(24)]
    if edit:
        edit(rows)
    write_csv(path, STREET_HEADER, rows)
    return folder, path


def crimes(tmp: Path, edit: Edit) -> Path:
    """A valid crimes.csv in perfpack's columns, edited."""
    rows = [crime_row(m * 100 + i, month) for m, month in enumerate(MONTHS) for i in range(4)]
    edit(rows)
    return write_csv(tmp / "data" / "crimes.csv", CRIME_HEADER, rows)


def raw_file(name: str, content: bytes) -> Callable[[Path], tuple[Path, Expect]]:
    def make(tmp: Path) -> tuple[Path, Expect]:
        path = tmp / name
        path.write_bytes(content)
        return path, Expect(path, None, WHAT[name])

    return make


WHAT = {
    "empty.csv": "the file is empty",
    "blank.csv": "the file is empty",
    "binary.csv": "not a table (binary data)",
    "page.csv": "an HTML or XML page, not a table",
    "api.csv": "JSON, not a table",
    "report.csv": "a PDF document, not a table",
    "crimes.csv.gz": "a compressed (.gz) file",
    "crimes.xlsx": "a zip archive, not an Excel workbook",
    "crimes.xls": "an old Excel 97-2003 workbook",
    "crimes.parquet": "cannot be read as a table",
    "undecodable.csv": "not cp1252 text (byte 0x81",
}


def set_cell(row: int, column: int, value: str) -> Edit:
    """Edit the data row shown as spreadsheet row ``row``."""

    def edit(rows: list[list[str]]) -> None:
        rows[row - 2][column] = value

    return edit


def case_missing_path(tmp):
    return tmp / "nowhere", Expect(tmp / "nowhere", None, "no such file or folder; check the --data path")


def case_empty_folder(tmp):
    (tmp / "data").mkdir()
    return tmp / "data", Expect(tmp / "data", None, "no data files (.csv, .xlsx or .parquet) in this folder")


def case_no_data_files(tmp):
    (tmp / "data").mkdir()
    (tmp / "data" / "notes.md").write_text("# notes\n")
    return tmp / "data", Expect(tmp / "data", None, "no data files")


def case_header_only(tmp):
    path = write_csv(tmp / "crimes.csv", CRIME_HEADER, [])
    return path, Expect(path, None, "the file has a header but no rows")


def case_truncated(tmp):
    folder, path = street(tmp)
    text = path.read_text().splitlines()
    text[5] = text[5][:40]
    path.write_text("\n".join(text) + "\n")
    return folder, Expect(path, 6, "truncated: ")


def case_extra_fields(tmp):
    path = crimes(tmp, lambda rows: rows[2].extend(["x", "y"]))
    return path, Expect(path, 4, "11 fields where the header has 9")


def case_missing_columns(tmp):
    path = tmp / "crimes.csv"
    path.write_text("crime_ref,crime_type,committed_date,recorded_date\nA,Burglary,2018-10-01,2018-10-01\n")
    return path, Expect(
        path, None, "missing required columns npt, area (found: crime_ref, crime_type, committed_date, recorded_date)"
    )


def case_policeuk_missing_column(tmp):
    folder, path = street(tmp)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["Crime type"])
    frame.to_csv(path, index=False)
    return folder, Expect(path, None, "a police.uk street-level file without column Crime type (found: Crime ID")


def case_bad_month(tmp):
    folder, path = street(tmp, set_cell(7, 1, "2018-13"))
    return folder, Expect(path, 7, "Month '2018-13' is not a date")


def case_bad_date(tmp):
    path = crimes(tmp, set_cell(3, 2, "31/02/2018"))
    return path, Expect(path, 3, "committed_date '31/02/2018' is not a date")


def case_unknown_category(tmp):
    folder, path = street(tmp, set_cell(8, 9, "Cyber crime"))  # row 8 holds a Vehicle crime
    return folder, Expect(path, 8, "crime type 'Cyber crime' is not known to the 14 police.uk categories (1 row)")


def case_duplicate_refs(tmp):
    path = crimes(tmp, set_cell(8, 0, "CR/000001"))
    return path, Expect(path, 8, "crime_ref 'CR/000001' appears more than once (first at crimes.csv row 3)")


def case_future_date(tmp):
    path = crimes(tmp, lambda rows: rows[4].__setitem__(slice(2, 4), ["2099-01-01", "2099-01-02"]))
    return path, Expect(path, 6, "committed_date 2099-01-01 is in the future", lines=None)


def case_month_outside_file(tmp):
    folder, path = street(tmp, set_cell(5, 1, "2018-12"))
    return folder, Expect(path, 5, "Month 2018-12 is outside the file's month 2018-11")


def case_missing_month(tmp):
    folder = street_folder(tmp / "force")
    (folder / "2018-12-testshire-street.csv").unlink()
    return folder, Expect(folder, None, "no crimes recorded in December 2018, between October 2018 and February 2019")


def case_before_1900(tmp):
    path = crimes(tmp, set_cell(10, 2, "1899-12-31"))
    return path, Expect(path, 10, "committed_date 1899-12-31 is before 1900")


def case_swapped_dates(tmp):
    path = crimes(tmp, lambda rows: rows[3].__setitem__(slice(2, 4), ["2018-10-20", "2018-10-05"]))
    return path, Expect(path, 5, "recorded_date 2018-10-05 is before committed_date 2018-10-20")


def case_blank_ref(tmp):
    path = crimes(tmp, set_cell(12, 0, ""))
    return path, Expect(path, 12, "crime_ref is empty; fill it in or remove the row")


def case_blank_crime_id(tmp):
    folder, path = street(tmp, set_cell(3, 0, ""))  # row 3 holds a Robbery
    return folder, Expect(path, 3, "Crime ID is empty")


def case_only_outcomes(tmp):
    folder = tmp / "outcomes"
    write_csv(folder / "2018-10-testshire-outcomes.csv", [*STREET_HEADER[:9], "Outcome type"], [["a"] * 10])
    return folder, Expect(folder, None, "no crimes found (only anti-social behaviour or ignored files)")


def case_bad_peers(tmp):
    crimes_file(tmp / "data" / "crimes.csv")
    peers = write_csv(
        tmp / "data" / "peers.csv",
        ["force", "population", "crime_type", "period_end", "last_12", "previous_12"],
        [["A", "many", "Burglary", "2018-05", "1", "2"]],
    )
    return tmp / "data", Expect(peers, 2, "population 'many' is not a population; use a whole number above 0")


def case_duplicate_header(tmp):
    path = tmp / "crimes.csv"
    path.write_text(",".join([*CRIME_HEADER, "npt"]) + "\n" + ",".join([*crime_row(1), "x"]) + "\n")
    return path, Expect(path, None, "column npt appears more than once in the header")


def case_excel_missing_columns(tmp):
    path = tmp / "crimes.xlsx"
    pd.DataFrame({"Crime": ["A"], "Date": ["2018-10-01"]}).to_excel(path, index=False)
    return path, Expect(
        path,
        None,
        "missing required columns crime_ref, crime_type, committed_date, recorded_date, npt, area (found: Crime, Date)",
    )


def case_several_files(tmp):
    folder, _ = street(tmp, set_cell(4, 1, "Oct"), month="2018-10")
    later = folder / "2019-01-testshire-street.csv"
    later.write_text("<html><body>Service unavailable</body></html>\n")
    return folder, Expect(later, None, "an HTML or XML page, not a table", lines=3)


def case_too_many(tmp):
    folder = tmp / "many"
    folder.mkdir()
    for i in range(25):
        (folder / f"{i:02d}-crimes.csv").write_bytes(b"")
    return folder, Expect(folder / "00-crimes.csv", None, "the file is empty", lines=22)


def case_too_short(tmp):
    return street_folder(tmp / "force"), Expect(None, None, "use --window-months 2 (the longest these data hold)")


MAPPING = """data:
  mapping:
    columns: {crime_ref: Ref, crime_type: Offence, committed_date: Date, recorded_date: Date}
    crime_types: {Burglary: [Burglary dwelling]}
  lookups:
    - {file: beats.csv, match: Beat, key: Beat, npt: NPT, area: Area}
"""


def mapped(tmp: Path, rows: list[list[str]], header: tuple[str, ...] = ("Ref", "Offence", "Date", "Beat")) -> Path:
    config = tmp / "config" / "pack.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(PACK.read_text(encoding="utf-8").replace("data:\n", MAPPING, 1), encoding="utf-8")
    write_csv(config.parent / "beats.csv", ["Beat", "NPT", "Area"], [["B1", "North", "Area 1"]])
    return write_csv(tmp / "extract.csv", list(header), rows)


def case_mapped_unknown_type(tmp):
    path = mapped(tmp, [["R1", "Burglary dwelling", "01/10/2018", "B1"], ["R2", "Arson", "02/10/2018", "B1"]])
    return path, Expect(path, 3, "crime type 'Arson' is not known to data.mapping.crime_types (1 row)")


def case_mapped_unknown_beat(tmp):
    path = mapped(
        tmp, [["R1", "Burglary dwelling", "01/10/2018", "B1"], ["R2", "Burglary dwelling", "02/10/2018", "B7"]]
    )
    return path, Expect(path, 3, "Beat 'B7' is not known to beats.csv (data.lookups[0]) (1 row)")


def case_mapped_missing_column(tmp):
    path = mapped(tmp, [["R1", "01/10/2018", "B1"]], header=("Ref", "Date", "Beat"))
    return path, Expect(path, None, "missing required column 'Offence' (crime_type) (found: Ref, Date, Beat)")


# --------------------------------------------------------------------------- config cases


def config_text(tmp: Path, text: str, says: str, line: int | None = None) -> tuple[Path, Expect]:
    """A case whose config is ``text`` (written over the project's)."""
    config, data, _ = project(tmp)
    config.write_text(text, encoding="utf-8")
    return data, Expect(config, None, says, line=line)


def alias_bomb(tmp: Path) -> tuple[Path, Expect]:
    """A 'billion laughs': nine aliases of nine aliases ... of a list of nine strings."""
    base = POLICEUK.read_text(encoding="utf-8")
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    line = base.count("\n") + 6  # a5 is the first to hold over 100,000 values once expanded
    return config_text(tmp, base + "\n".join(lines) + "\n", "with its aliases (*name) expanded this would hold", line)


def recursive_alias(tmp: Path) -> tuple[Path, Expect]:
    text = POLICEUK.read_text(encoding="utf-8") + "loop: &loop [1, *loop]\n"
    return config_text(tmp, text, "an alias refers to the list or mapping that holds it", text.count("\n"))


def deep_nesting(tmp: Path) -> tuple[Path, Expect]:
    text = POLICEUK.read_text(encoding="utf-8") + "deep: " + "[" * 5000 + "]" * 5000 + "\n"
    return config_text(tmp, text, "nested more than 50 levels deep", text.count("\n"))


def huge_config(tmp: Path) -> tuple[Path, Expect]:
    text = POLICEUK.read_text(encoding="utf-8") + "# " + "x" * 2_100_000 + "\n"
    return config_text(tmp, text, "over 2 MB, far more than a pack's config")


def two_problems(tmp: Path) -> tuple[Path, Expect]:
    """Every validation problem is shown (up to 20), not '(and 1 more problem)'."""
    config, data, _ = project(tmp)
    text = config.read_text(encoding="utf-8")
    both = text.replace("  months: 12 ", "  months: twelve ", 1).replace(
        "  trend_months: 12 ", "  trend_months: lots ", 1
    )
    config.write_text(both, encoding="utf-8")
    line = text[: text.index("  months: 12 ")].count("\n") + 1
    return data, Expect(config, None, "period.months: Input should be a valid integer", lines=2, line=line)


def config_folder(tmp: Path) -> tuple[Path, Expect]:
    config, data, _ = project(tmp)
    config.unlink()
    config.mkdir()
    return data, Expect(config, None, "not a file; pass --config with the path of your pack's YAML file")


def no_asb(tmp: Path) -> tuple[Path, Expect]:
    """A theme asking for drug-related ASB, and police.uk files without one ASB row."""
    config, _, _ = project(tmp, "    crime_types: [Drugs]\n", "    crime_types: [Drugs]\n    extras: [drug_asb]\n")
    text = config.read_text(encoding="utf-8")
    line = text[: text.index("    extras: [drug_asb]")].count("\n") + 1
    folder = tmp / "crimes-only"
    for month in MONTHS:
        rows = [street_row(month, i, ("Burglary", "Drugs", "Robbery")[i % 3]) for i in range(24)]
        write_csv(folder / f"{month}-testshire-street.csv", STREET_HEADER, rows)
    return folder, Expect(config, None, "drugs.extras: drug_asb needs anti-social behaviour data", line=line)


def name_collision(tmp: Path) -> tuple[Path, Expect]:
    """Two districts whose file names would be the same: 'Stafford' and 'Stafford!'."""
    config, data, _ = project(tmp)
    lookup = config.parent / "lookups" / "policeuk-districts.csv"
    text = lookup.read_text(encoding="utf-8")
    lookup.write_text(text.replace("Cannock Chase,Cannock Chase,", "Cannock Chase,Stafford!,", 1), encoding="utf-8")
    return data, Expect(None, None, "--by npt: 'Stafford' and 'Stafford!' would both be written as")


def output_is_a_file(tmp: Path) -> tuple[Path, Expect]:
    (tmp / "afile").write_text("a file, not a folder")
    _, data, _ = project(tmp)
    return data, Expect(tmp / "afile", None, "this is a file, not a folder; choose another --output-dir")


def output_below_a_file(tmp: Path) -> tuple[Path, Expect]:
    (tmp / "afile").write_text("a file, not a folder")
    _, data, _ = project(tmp)
    return data, Expect(tmp / "afile" / "sub", None, "cannot write it (part of the path is a file, not a folder)")


# --------------------------------------------------------------------------- more data cases


def case_option(says: str) -> Callable[[Path], tuple[Path, Expect]]:
    """A bad option value: refused by the command line before anything is read."""

    def make(tmp: Path) -> tuple[Path, Expect]:
        return crimes_file(tmp / "data" / "crimes.csv"), Expect(None, None, says, published=False)

    return make


def case_control_character(tmp):
    path = crimes(tmp, set_cell(7, 4, "North\x07"))
    return path, Expect(path, 7, "npt 'North\\x07' holds a control character (U+0007)")


def case_long_label(tmp):
    path = crimes(tmp, set_cell(5, 1, "Burglary " * 30_000))
    return path, Expect(
        path, 5, "crime_type 'Burglary Burglary Burglary Burglary Burg…' is 269,999 characters long"
    )  # trailing space trimmed


def peers_with(column: str, value: str, says: str) -> Callable[[Path], tuple[Path, Expect]]:
    def make(tmp: Path) -> tuple[Path, Expect]:
        crimes_file(tmp / "data" / "crimes.csv")
        row = {"force": "A", "population": "1000", "crime_type": "Burglary", "period_end": "2018-05"}
        row.update({"last_12": "1", "previous_12": "2", column: value})
        header = ["force", "population", "crime_type", "period_end", "last_12", "previous_12"]
        peers = write_csv(tmp / "data" / "peers.csv", header, [[row[c] for c in header]])
        return tmp / "data", Expect(peers, 2, says)

    return make


def case_mixed_utf8(tmp):
    """UTF-8 text with one stray Windows byte: refused at its row, not read as Windows text whole."""
    path = crimes(tmp, set_cell(3, 4, "Café Quarter"))
    path.write_bytes(path.read_bytes().replace(b"CR/000003", b"CR/00\xa3003"))
    return path, Expect(path, 5, "is not UTF-8, though the rest of the file is UTF-8 text")


def case_broken_link(tmp):
    crimes_file(tmp / "data" / "crimes.csv")
    link = tmp / "data" / "2018-12.csv"
    link.symlink_to(tmp / "nowhere.csv")
    return tmp / "data", Expect(link, None, "which does not exist; fix or remove the link")


def case_link_loop(tmp):
    crimes_file(tmp / "data" / "sub" / "crimes.csv")
    link = tmp / "data" / "sub" / "up"
    link.symlink_to(tmp / "data")
    return tmp / "data", Expect(link, None, "a link back to a folder already read")


def case_pipe(tmp):
    crimes_file(tmp / "data" / "crimes.csv")
    pipe = tmp / "data" / "feed.csv"
    os.mkfifo(pipe)
    return tmp / "data", Expect(pipe, None, "not a file (a pipe, socket or device)")


LOOKUPS = ROOT / "config" / "lookups"
SHORT = ("--window-months", "2")
"""Five months of police.uk files make two windows of two months."""


def project(tmp: Path, old: str | None = None, new: str = "", template: Path | None = None) -> tuple[Path, Path, int]:
    """tmp/config/pack.yaml (config/policeuk.yaml with one edit, its lookups beside it) and a data folder.

    Returns the config, the data folder and the 1-based line of the edit.
    """
    text = POLICEUK.read_text(encoding="utf-8")
    line = 0
    if old is not None:
        assert old in text, old
        line = text[: text.index(old)].count("\n") + 1
        text = text.replace(old, new, 1)
    if template is not None:
        text = text.replace("\nsections:", f"\ntemplate: {template}\nsections:", 1)
        line = text[: text.index("\ntemplate:")].count("\n") + 2
    config = tmp / "config" / "pack.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(LOOKUPS, config.parent / "lookups", dirs_exist_ok=True)
    config.write_text(text, encoding="utf-8")
    return config, street_folder(tmp / "force"), line


def narrative(new: str, says: str, old: str = "{{ drugs.spc.sentence }}") -> Callable[[Path], tuple[Path, Expect]]:
    """A case whose narrative has ``new`` in place of ``old`` (by default in drugs.trend)."""

    def make(tmp: Path) -> tuple[Path, Expect]:
        config, data, line = project(tmp, old, new)
        return data, Expect(config, None, says, line=line)

    return make


def config_edit(old: str, new: str, says: str, offset: int = 0) -> Callable[[Path], tuple[Path, Expect]]:
    """A case whose config has ``new`` in place of ``old``; the message must name the edit's line (+ offset)."""

    def make(tmp: Path) -> tuple[Path, Expect]:
        config, data, line = project(tmp, old, new)
        return data, Expect(config, None, says, line=line + offset)

    return make


def template_variant(tmp: Path, part: str, old: str, new: str) -> Path:
    """A copy of the bundled template with one placeholder edited in one part."""
    from builder.build.inputs import BUNDLED_TEMPLATE

    path = tmp / "templates" / "edited.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(BUNDLED_TEMPLATE) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == part:
                assert old.encode() in data, (part, old)
                data = data.replace(old.encode(), new.encode(), 1)
            target.writestr(item, data)
    return path


def template(
    new: str, says: str, old: str = "{{ cover.title }}", part: str = "word/document.xml"
) -> Callable[[Path], tuple[Path, Expect]]:
    """A case whose Word template has ``new`` in place of ``old``."""

    def make(tmp: Path) -> tuple[Path, Expect]:
        path = template_variant(tmp, part, old, new)
        _, data, _ = project(tmp, template=path)
        return data, Expect(path, None, says)

    return make


def html_template(
    new: str, says: str, old: str = "<title>{{ title }}</title>"
) -> Callable[[Path], tuple[Path, Expect]]:
    """A case whose web-page template (html_template:) has ``new`` in place of ``old``."""

    def make(tmp: Path) -> tuple[Path, Expect]:
        source = (ROOT / "templates" / "pack.html.j2").read_text(encoding="utf-8")
        assert old in source, old
        path = tmp / "templates" / "page.html.j2"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source.replace(old, new, 1), encoding="utf-8")
        config, data, _ = project(tmp)
        text = config.read_text(encoding="utf-8").replace("\nsections:", f"\nhtml_template: {path}\nsections:", 1)
        config.write_text(text, encoding="utf-8")
        return data, Expect(path, None, says, line=source[: source.index(old)].count("\n") + 1)

    return make


def not_a_template(
    content: bytes, name: str, says: str, at_config: bool = False
) -> Callable[[Path], tuple[Path, Expect]]:
    """A template that is not a Word document: refused at the config's template: line, or on opening."""

    def make(tmp: Path) -> tuple[Path, Expect]:
        path = tmp / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        config, data, line = project(tmp, template=path)
        return data, Expect(config, None, says, line=line) if at_config else Expect(path, None, says)

    return make


def _fake_docx() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not Word")
    return buffer.getvalue()


def wired(make: Callable[[Path], tuple[Path, Expect]], command: str = "check", **options: Any) -> Case:
    """A case on the police.uk project, run with short windows."""
    return Case(make, POLICEUK, options.pop("args", SHORT), needs_wiring=True, command=command, **options)


CASES: dict[str, Case] = {
    "missing_path": Case(case_missing_path),
    "empty_folder": Case(case_empty_folder),
    "no_data_files": Case(case_no_data_files),
    "header_only": Case(case_header_only),
    **{
        name.split(".")[0] + "_" + name.split(".")[-1]: Case(raw_file(name, content))
        for name, content in {
            "empty.csv": b"",
            "blank.csv": b"\n  \n\n",
            "binary.csv": bytes(range(256)) * 8,
            "page.csv": b"<!DOCTYPE html><html><body>404 Not Found</body></html>",
            "api.csv": b'{"crimes": [{"id": 1}]}',
            "report.csv": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
            "crimes.csv.gz": gzip.compress(b"crime_ref\nA\n"),
            "crimes.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "crimes.parquet": b"PAR1" + b"garbage" * 20 + b"PAR1",
            "undecodable.csv": b"crime_ref,crime_type\nA\x81\x8d,Burglary\xff\n",
        }.items()
    },
    "zip_as_xlsx": Case(lambda tmp: _zip(tmp)),
    "truncated_row": Case(case_truncated, POLICEUK),
    "extra_fields": Case(case_extra_fields),
    "missing_columns": Case(case_missing_columns),
    "policeuk_missing_column": Case(case_policeuk_missing_column, POLICEUK),
    "bad_month": Case(case_bad_month, POLICEUK),
    "bad_date": Case(case_bad_date),
    "unknown_category": Case(case_unknown_category, POLICEUK),
    "duplicate_refs": Case(case_duplicate_refs),
    "future_date": Case(case_future_date),
    "month_outside_file": Case(case_month_outside_file, POLICEUK),
    "missing_month": Case(case_missing_month, POLICEUK),
    "before_1900": Case(case_before_1900),
    "swapped_dates": Case(case_swapped_dates),
    "blank_ref": Case(case_blank_ref),
    "blank_crime_id": Case(case_blank_crime_id, POLICEUK),
    "only_outcomes": Case(case_only_outcomes, POLICEUK),
    "bad_peers": Case(case_bad_peers),
    "duplicate_header": Case(case_duplicate_header),
    "excel_missing_columns": Case(case_excel_missing_columns),
    "several_files": Case(case_several_files, POLICEUK),
    "too_many_problems": Case(case_too_many),
    "too_short": Case(case_too_short, POLICEUK),
    "mapped_unknown_type": Case(case_mapped_unknown_type, needs_wiring=True),
    "mapped_unknown_beat": Case(case_mapped_unknown_beat, needs_wiring=True),
    "mapped_missing_column": Case(case_mapped_missing_column, needs_wiring=True),
    # narrative: every runtime error of author text is one line naming the field by its theme key
    "narrative_divide": wired(narrative("{{ 1/0 }}", "drugs.trend: a placeholder divides by zero"), "build"),
    "narrative_pop": wired(narrative("{{ [].pop() }}", "drugs.trend: not allowed in narrative: 'pop' would change")),
    "narrative_overflow": wired(narrative("{{ 10.0 ** 400 }}", "drugs.trend: a placeholder makes a number too large")),
    "narrative_recursion": wired(
        narrative("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "drugs.trend: a macro calls itself")
    ),
    "narrative_huge": wired(narrative("{{ 'x' * 10**10 }}", "drugs.trend: the repeated text would be longer than")),
    "narrative_endless": wired(
        narrative(
            "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
            "drugs.trend: took longer than 2 s to fill",
        )
    ),
    "narrative_group": wired(narrative("{{ drugs }}", "drugs.trend: {{ drugs }} prints a group of figures")),
    "narrative_list": wired(narrative("{{ drugs.npt.rows }}", "drugs.trend: {{ drugs.npt.rows }} prints a list")),
    "narrative_self": wired(narrative("{{ self }}", "drugs.trend: {{ self }} prints a group of figures")),
    "narrative_string": wired(narrative("{{ drugs | string }}", "drugs.trend: the text would print Python's notation")),
    "narrative_join": wired(
        narrative('{{ drugs.npt.rows | join(", ") }}', "drugs.trend: the text would print Python's notation ('Row(")
    ),
    "narrative_format": wired(narrative('{{ "%s" | format(drugs) }}', "the text would print Python's notation")),
    "narrative_concat": wired(narrative('{{ drugs ~ "" }}', "the text would print Python's notation")),
    "narrative_escape": wired(narrative("{{ ''.__class__.__mro__ }}", "not allowed in narrative: '__class__' reaches")),
    "narrative_key": wired(
        narrative(
            "{{ drugs.spc.mean | numbr }}",
            "drugs.what_happened: placeholder syntax error: No filter named 'numbr'. (did you mean 'number'?)",
            old="{{ drugs.spc.mean | number }}",
        )
    ),
    # the Word template: sandboxed and strict, errors name the template and the placeholder
    "template_misspelt": wired(
        template("{{ cover.titel }}", "{{ cover.titel }}: unknown name 'titel' (did you mean 'title'?)"), "build"
    ),
    "template_header": wired(
        template(
            "{{ markng }}", "a page header: {{ markng }}: unknown name 'markng'", "{{ marking }}", "word/header1.xml"
        )
    ),
    "template_broken_tag": wired(
        template(
            "{{ cover.version }",
            "in the paragraph 'Version: {{ cover.version }', '{{' is not closed",
            "{{ cover.version }}",
        )
    ),
    "template_escape": wired(
        template(
            "{{ cover.__class__.__init__.__globals__ }}",
            "not allowed in a template: '__class__' reaches into Python's internals",
        ),
        "build",
    ),
    "template_runtime": wired(template("{{ 1/0 }}", "a placeholder divides by zero")),
    "template_group": wired(template("{{ cover }}", "a placeholder prints Python's notation")),
    "template_unclosed": wired(template("{{ cover.title ", "the cover and body: in the paragraph '{{ cover.title ',")),
    "template_stray_close": wired(template("cover.title }}", "'}}' closes a placeholder that was not opened")),
    "template_bomb": wired(template("{{ 'x' * 10**10 }}", "the repeated text would be longer than 100,000")),
    "template_not_docx": wired(
        not_a_template(b"just some notes", "notes.txt", "is not a Word document (.docx)", at_config=True), "build"
    ),
    "template_not_word": wired(
        not_a_template(_fake_docx(), "fake.docx", "the template is not a Word document (.docx)")
    ),
    # the web-page template: the same sandbox and budgets
    "html_template_divide": wired(
        html_template("<title>{{ 1/0 }}</title>", "HTML template: a placeholder divides by zero"), "build"
    ),
    "html_template_bomb": wired(
        html_template("<title>{{ 'x' * 10**10 }}</title>", "HTML template: the repeated text would be longer than"),
        "build",
    ),
    "html_template_escape": wired(
        html_template("<title>{{ title.__class__.__mro__ }}</title>", "HTML template: access to attribute '__class__'"),
        "build",
    ),
    # the config: bounded, dates that exist, no control characters, messages that say what to write
    "config_impossible_date": wired(
        config_edit("  meeting_date: 2019-03-29", "  meeting_date: 2019-02-30", "'2019-02-30' is not a real date")
    ),
    "config_control_escaped": wired(
        config_edit(
            "  force: police.uk open data",
            '  force: "police.uk\\x07 open data"',
            "cover.force: a control character (U+0007)",
        )
    ),
    "config_control_raw": wired(
        config_edit("  force: police.uk open data", "  force: police.uk\x07 open data", "a control character (U+0007)")
    ),
    "config_alias_bomb": wired(alias_bomb, "build"),
    "config_recursive_alias": wired(recursive_alias),
    "config_deep": wired(deep_nesting),
    "config_huge": wired(huge_config),
    "config_is_a_folder": wired(config_folder),
    "config_bad_month": wired(
        config_edit(
            "  end:                  # empty",
            "  end: 2018-13   # empty",
            "'2018-13' is not a month; write it as YYYY-MM",
        )
    ),
    "config_bad_name": wired(
        config_edit("name: policeuk-performance-pack", "name: my pack!", "name: 'my pack!' cannot be a file name")
    ),
    "config_end_after_data": wired(
        config_edit(
            "  end:                  # empty", "  end: 2030-01   # empty", "period.end 2030-01 is after the data"
        )
    ),
    "config_two_problems": wired(two_problems),
    "config_no_asb": wired(no_asb),
    "pdf_timeout_infinite": Case(
        case_option("'--pdf-timeout': 'inf' is not a number of seconds"), args=("--pdf-timeout", "inf")
    ),
    "pdf_timeout_zero": Case(
        case_option("'--pdf-timeout': '0.0' is not a number of seconds"), args=("--pdf-timeout", "0")
    ),
    # publishing: distinct file names, an output folder that can be written
    "by_name_collision": wired(name_collision, "build", args=(*SHORT, "--by", "npt")),
    "output_is_a_file": wired(output_is_a_file, "build", output="afile"),
    "output_below_a_file": wired(output_below_a_file, "build", output="afile/sub"),
    # data: nothing wrong is read in silence
    "control_character": Case(case_control_character),
    "long_label": Case(case_long_label),
    "peers_zero_population": Case(peers_with("population", "0", "population '0' is not a population")),
    "peers_fraction": Case(peers_with("last_12", "1.5", "last_12 '1.5' is not a count; use a whole number")),
    "peers_infinite": Case(peers_with("previous_12", "inf", "previous_12 'inf' is not a count")),
    "peers_huge": Case(peers_with("last_12", "1e308", "last_12 '1e308' is not a count; use a whole number of 0 or")),
    "peers_past_int64": Case(peers_with("previous_12", "99999999999999999999999", "and at most 10,000,000,000")),
    "mixed_utf8": Case(case_mixed_utf8),
    "broken_link": Case(case_broken_link),
    "link_loop": Case(case_link_loop),
    "pipe_in_folder": Case(case_pipe),
}


def _zip(tmp: Path) -> tuple[Path, Expect]:
    path = tmp / "crimes.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("crimes.csv", "crime_ref\nA\n")
    return path, Expect(path, None, WHAT["crimes.xlsx"])


END_TO_END = ("missing_path", "undecodable_csv", "bad_month", "mapped_unknown_type")
"""Cases also run as the installed console script, in a process of their own."""


@dataclass(frozen=True)
class Outcome:
    """What a user saw: the exit code, stderr, any exception that escaped, and the output folder."""

    code: int
    stderr: str
    escaped: BaseException | None
    expect: Expect
    out: Path
    pack: str
    command: str = "build"


def run_case(name: str, tmp: Path, *, process: bool) -> Outcome:
    """Make the case's input beside a previous pack, then build from it."""
    case = CASES[name]
    data, expect = case.make(tmp)
    config = tmp / "config" / "pack.yaml" if case.needs_wiring else case.config
    out = tmp / "out"
    out.mkdir()
    (out / f"{NAMES[case.config]}.docx").write_bytes(SENTINEL)
    args = ("--config", str(config), "--data", str(data), *case.args)
    if case.command == "build":
        args = ("build", *args, "--output-dir", str(tmp / case.output), "--no-pdf")
    else:
        args = (case.command, *args)
    if process:
        done = run_perfpack(*args)
        return Outcome(done.returncode, done.stderr, None, expect, out, NAMES[case.config], case.command)
    result = invoke(*args)
    escaped = None if isinstance(result.exception, SystemExit | None) else result.exception
    return Outcome(result.exit_code, result.stderr, escaped, expect, out, NAMES[case.config], case.command)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case's build, in-process."""
    return {name: run_case(name, tmp_path_factory.mktemp(name), process=False) for name in CASES}


def test_corpus_is_large_enough():
    assert len([c for c in CASES.values() if not c.needs_wiring]) >= 25


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_one_clear_line(outcomes: dict[str, Outcome], name: str) -> None:
    assert_one_clear_line(outcomes[name])


@pytest.mark.slow
@pytest.mark.parametrize("name", END_TO_END)
def test_bad_input_one_clear_line_from_the_installed_command(tmp_path: Path, name: str) -> None:
    assert_one_clear_line(run_case(name, tmp_path, process=True))


def assert_one_clear_line(outcome: Outcome) -> None:
    """Exit 2, one line naming the file and row, no traceback, the previous pack untouched and alone."""
    expect, out, pack = outcome.expect, outcome.out, outcome.pack
    assert outcome.escaped is None, repr(outcome.escaped)
    assert outcome.code == 2, (outcome.code, outcome.stderr)
    assert "Traceback" not in outcome.stderr and outcome.stderr.startswith("error: ")
    lines = outcome.stderr.strip().splitlines()
    where = "error: " + (f"{expect.file}:{expect.line}: " if expect.line else f"{expect.file}: " if expect.file else "")
    where += f"row {expect.row}: " if expect.row else ""
    assert lines[0].startswith(where), (where, lines[0])
    assert expect.says in lines[0], lines[0]
    if expect.lines is not None:
        assert len(lines) == expect.lines, outcome.stderr
    if outcome.command == "build" and expect.published:  # a failed build says that it published nothing
        told = lines[0] if len(lines) == 1 else lines[-1]
        assert told.endswith(("; nothing was published", "Nothing was published; the previous pack is as it was.")), (
            told
        )
    assert (out / f"{pack}.docx").read_bytes() == SENTINEL
    assert sorted(p.name for p in out.iterdir()) == [f"{pack}.docx"]


@pytest.mark.slow
def test_a_file_size_limit_is_one_line_and_publishes_nothing(tmp_path: Path) -> None:
    """Under a file-size limit (RLIMIT_FSIZE) a write fails: one line naming it, nothing half-written."""
    import resource
    import subprocess

    from conftest import perfpack_command

    config, data, _ = project(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{NAMES[POLICEUK]}.docx").write_bytes(SENTINEL)
    limit = 60_000  # the document, the annex and the charts are each larger

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    args = ["build", "--config", str(config), "--data", str(data), *SHORT, "--output-dir", str(out)]
    done = subprocess.run(
        [*perfpack_command(), *args, "--no-pdf", "--no-cache"],
        capture_output=True,
        text=True,
        preexec_fn=limited,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=600,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "cannot write it (the file is larger than this process may write (a file-size limit))" in lines[0]
    assert lines[0].endswith("; nothing was published")
    assert sorted(p.name for p in out.iterdir()) == [f"{NAMES[POLICEUK]}.docx"]
    assert (out / f"{NAMES[POLICEUK]}.docx").read_bytes() == SENTINEL


def test_watch_survives_every_kind_of_bad_input_and_keeps_the_last_good_pack(tmp_path: Path) -> None:
    """A rebuild that fails (narrative, template, YAML, data, output folder) is one line; the watch goes on."""
    from builder.build.options import BuildOptions
    from builder.build.watcher import rebuild

    for name in ("narrative_divide", "template_escape", "config_alias_bomb", "mixed_utf8", "output_is_a_file"):
        case = CASES[name]
        folder = tmp_path / name
        folder.mkdir()
        data, _ = case.make(folder)
        config = folder / "config" / "pack.yaml" if case.needs_wiring else case.config
        window = 2 if case.needs_wiring else None
        options = BuildOptions(
            config=config, data=data, output_dir=folder / case.output, pdf=False, window_months=window
        )
        event = rebuild(options, ())
        assert event.result is None and event.error is not None, name
        assert "\n" not in event.error and "Traceback" not in event.error, event.error
        assert not event.error.startswith("unexpected"), event.error


def test_diff_of_figures_files_perfpack_did_not_write_is_one_line(tmp_path: Path) -> None:
    """`perfpack diff` reads two folders' figures files: a hand-made one is one line, never a traceback."""
    for folder in ("old", "new"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "build-manifest.json").write_text('{"figures": ["x-figures.json"]}', encoding="utf-8")
        (tmp_path / folder / "x-figures.json").write_text('{"not": "figures"}', encoding="utf-8")
    result = invoke("diff", str(tmp_path / "old"), str(tmp_path / "new"))
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit | None)
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'old' / 'x-figures.json'}: not a figures file perfpack wrote (no scope); rebuild the pack"
    ]
