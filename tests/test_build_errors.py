"""Bad config never hurts: one line naming file and line, exit 2, no traceback, old pack untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CONFIG, run_perfpack

PACK_NAME = "public-performance-pack-2018-11"


def broken_config(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the sample config with one edit; returns it and the 1-based line of the edit."""
    text = CONFIG.read_text(encoding="utf-8")
    assert old in text, old
    edited = text.replace(old, new, 1)
    path = tmp_path / "config" / "pack.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(edited, encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    return path, line


def previous_pack(tmp_path: Path) -> tuple[Path, bytes]:
    out = tmp_path / "out"
    out.mkdir()
    old = out / f"{PACK_NAME}.docx"
    old.write_bytes(b"the previous pack")
    return out, old.read_bytes()


CASES = [
    ("  title: Theft of Motor Vehicles", "  titel: Theft of Motor Vehicles", "titel", "unknown key"),
    ("  months: 12\n", "  months: twelve\n", "period.months", "integer"),
    ("  - drugs\n", "  - drug\n", "sections", "unknown section 'drug'"),
    ("  meeting_date: 2018-11-09", "  meeting_date: 9th November", "cover.meeting_date", "date"),
    ("  force: Staffordshire Police", "  force: [Staffordshire Police", "YAML syntax error", ""),
    ("{{ robbery.spc.sentence }}", "{{ robbery.spc.sentance }}", "sentance", "did you mean 'sentence'"),
    ("{{ tomv | change_phrase }} in", "{{ no_such_figure }} in", "no_such_figure", "perfpack figures"),
    (
        "These burglaries {{ bbc | change_phrase }} in",
        "These burglaries {{ bbc | change_phrase } in",
        "syntax error",
        "",
    ),
    ("{{ drugs.spc.sentence }}", "{{ ''.__class__.__mro__ }}", "not allowed", ""),
]


@pytest.mark.parametrize(("old", "new", "names", "says"), CASES, ids=[c[2] for c in CASES])
def test_bad_config_one_clear_line(tmp_path, old, new, names, says):
    config, line = broken_config(tmp_path, old, new)
    out, before = previous_pack(tmp_path)
    result = run_perfpack("build", "--config", str(config), "--output-dir", str(out), "--no-pdf")
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    # every problem is shown: a misspelt key is also a missing one, then the build says it published nothing
    assert len(lines) == (3 if names == "titel" else 1), result.stderr
    message = lines[0]
    assert "Traceback" not in result.stderr
    assert message.startswith(f"error: {config}:"), message
    reported = int(message.split(f"{config}:")[1].split(":")[0])
    if "syntax error" in names or "YAML" in names:
        assert abs(reported - line) <= 1, (reported, line, message)
    else:
        assert reported == line, (reported, line, message)
    assert names in message and says in message
    assert (out / f"{PACK_NAME}.docx").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [f"{PACK_NAME}.docx"]


def test_missing_config_file(tmp_path):
    result = run_perfpack("build", "--config", str(tmp_path / "nope.yaml"), "--no-pdf")
    assert result.returncode == 2
    assert "config file not found" in result.stderr and "Traceback" not in result.stderr


def test_missing_data_path(tmp_path):
    result = run_perfpack("build", "--data", str(tmp_path / "nowhere"), "--no-pdf", "--output-dir", str(tmp_path))
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr and "Traceback" not in result.stderr


def test_bad_period_end_option(tmp_path):
    result = run_perfpack("build", "--period-end", "Sept", "--no-pdf", "--output-dir", str(tmp_path))
    assert result.returncode == 2
    assert "YYYY-MM" in result.stderr and "Traceback" not in result.stderr


def test_a_misspelt_theme_crime_type_is_an_error_with_its_line(tmp_path):
    config, line = broken_config(tmp_path, "crime_types: [Personal Robbery]", "crime_types: [Personal Robery]")
    out, before = previous_pack(tmp_path)
    result = run_perfpack("build", "--config", str(config), "--output-dir", str(out), "--no-pdf")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: {config}:{line}: themes[0].crime_types: no crime in the data has the type 'Personal Robery' "
        "(did you mean 'Personal Robbery'?); use a crime type from the data; nothing was published"
    ]
    assert (out / f"{PACK_NAME}.docx").read_bytes() == before


def test_a_template_without_a_body_paragraph_is_one_clear_line(tmp_path):
    """A custom template that lost its ``{{p body }}`` paragraph names the template and what to add."""
    import zipfile

    from builder.build.inputs import BUNDLED_TEMPLATE

    template = tmp_path / "config" / "no-body.docx"
    template.parent.mkdir(parents=True)
    with zipfile.ZipFile(BUNDLED_TEMPLATE) as source, zipfile.ZipFile(template, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                assert b"{{p body }}" in data
                data = data.replace(b"{{p body }}", b"The body was here.")
            target.writestr(item, data)
    config, _ = broken_config(tmp_path, "sections:", f"template: {template.name}\nsections:")
    out, before = previous_pack(tmp_path)
    result = run_perfpack("build", "--config", str(config), "--output-dir", str(out), "--no-pdf")
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(template) in lines[0] and "{{p body }}" in lines[0], lines[0]
    assert (out / f"{PACK_NAME}.docx").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [f"{PACK_NAME}.docx"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{# {{ cover.unit }} #}", None),  # a placeholder commented out
        ('{{ "}}" }}', None),  # braces inside a string
        ("{% raw %}}}{% endraw %}", None),
        ("{%p if cover.status %}", None),  # docxtpl's paragraph, row and run tags
        ("{{r cover.title }} and {%tr endfor %}", None),
        ("a { single } brace", None),
        ("{{ cover.title ", "'{{' is not closed with '}}'"),
        ("cover.title }}", "'}}' closes a placeholder that was not opened"),
        ("{{ a {{ b }}", "'{{' is not closed with '}}' before the next '{{'"),
        ("{# a note", "'{#' is not closed with '#}'"),
    ],
)
def test_a_template_paragraphs_tags_are_closed(text: str, problem: str | None) -> None:
    from builder.render.template import _unbalanced

    assert _unbalanced(text) == problem
