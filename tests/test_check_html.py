"""`perfpack check --pack FILE.html`: the web page's static accessibility rules, each one broken on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx_helpers import captioned_tables, open_docx, pictures

from builder.check import check_html
from builder.cli import cli

GOOD = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>A pack</title>
<style>
:root { --text: #0b0c0c; --link: #1d70b8; }
body { color: var(--text); background: #ffffff; }
a { color: var(--link); }
.band { background: #12436d; color: #ffffff; }
@media print { a { color: #000000; } }
</style></head>
<body>
<main>
<h1>Public Performance Meeting</h1>
<nav><h2 id="contents">Contents</h2><a href="#robbery">Personal robbery</a></nav>
<h2 id="robbery">Personal robbery</h2>
<h3>Where is this happening?</h3>
<figure><img src="data:image/png;base64,iVBORw0KGgo=" alt="Robbery rose by 26% to 799 crimes."></figure>
<table><caption>Robbery by NPT</caption>
<thead><tr><th scope="col">NPT</th><th scope="col">Crimes</th></tr></thead>
<tbody><tr><th scope="row">North</th><td>120</td></tr></tbody></table>
<p class="band">OFFICIAL</p>
</main>
</body>
</html>
"""

BROKEN = [
    ("html-language", '<html lang="en-GB">', "<html>", "no lang attribute"),
    ("html-language", '<html lang="en-GB">', '<html lang="English please">', "is not a language tag"),
    ("html-title", "<title>A pack</title>", "<title> </title>", "no <title>"),
    ("html-headings", "<h3>Where", "<h4>Where", "<h4> follows <h2>"),
    ("html-headings", "<h1>Public Performance Meeting</h1>", "<h1>One</h1><h1>Two</h1>", "2 <h1> elements"),
    ("html-alt-text", ' alt="Robbery rose by 26% to 799 crimes."', "", "no alt attribute"),
    ("html-alt-text", "Robbery rose by 26% to 799 crimes.", "robbery_trend.png", "is a file name"),
    ("html-tables", "<caption>Robbery by NPT</caption>", "", "no <caption>"),
    ("html-tables", '<th scope="col">NPT</th>', "<th>NPT</th>", "1 header cell without scope"),
    ("html-links", 'href="#robbery">Personal robbery', 'href="#robbery">click here', "does not say where"),
    ("html-links", 'href="#robbery"', 'href="#burglary"', "leads nowhere"),
    ("html-self-contained", 'src="data:image/png;base64,iVBORw0KGgo="', 'src="https://cdn.example/r.png"', "fetches"),
    ("html-self-contained", "</style>", "body { background: url(https://cdn.example/bg.png) }</style>", "fetches"),
    ("html-contrast", "--link: #1d70b8", "--link: #8cb4dc", "text #8cb4dc on #ffffff has contrast"),
    ("html-contrast", ".band { background: #12436d;", ".band { background: #5694ca;", "text #ffffff on #5694ca"),
    (
        "html-contrast",
        "@media print { a { color: #000000; } }",
        "@media print { a { color: rgb(170, 170, 170); } }",
        "#aaaaaa",
    ),
]


def write(tmp_path: Path, text: str) -> Path:
    page = tmp_path / "pack.html"
    page.write_text(text, encoding="utf-8")
    return page


def test_a_good_page_passes_every_rule(tmp_path: Path):
    report = check_html(write(tmp_path, GOOD))
    assert report.problems == [], report.format()
    assert [r.rule for r in report.results] == [
        "html-language",
        "html-title",
        "html-headings",
        "html-alt-text",
        "html-tables",
        "html-links",
        "html-self-contained",
        "html-contrast",
        "chart-colours",
    ]


@pytest.mark.parametrize(("rule", "good", "bad", "message"), BROKEN)
def test_each_rule_finds_what_it_is_for(tmp_path: Path, rule: str, good: str, bad: str, message: str):
    assert good in GOOD
    report = check_html(write(tmp_path, GOOD.replace(good, bad, 1)))
    assert report.rules_failed == [rule], report.format()
    assert message in report.problems[0].message, report.format()


def test_the_built_page_passes(built_pack: dict[str, Path]):
    report = check_html(built_pack["docx"].with_suffix(".html"))
    assert report.problems == [], report.format()
    doc = open_docx(built_pack["docx"])
    text = report.format()
    assert f"({len(pictures(doc))} images)" in text and f"({len(captioned_tables(doc))} tables)" in text


def test_the_command_reports_like_the_docx_checker(tmp_path: Path):
    runner = CliRunner()
    good = runner.invoke(cli, ["check", "--pack", str(write(tmp_path, GOOD))])
    assert good.exit_code == 0, good.output
    assert good.stdout.startswith("Accessibility check of pack.html\n")
    assert good.stdout.rstrip().endswith("Passed: 9 rules checked, no problems found.")
    broken = write(tmp_path, GOOD.replace(' alt="Robbery rose by 26% to 799 crimes."', ""))
    failed = runner.invoke(cli, ["check", "--pack", str(broken), "--strict"])
    assert failed.exit_code == 1
    assert "[html-alt-text] pack.html line 17 <img>: an image with no alt attribute" in failed.stdout
    missing = runner.invoke(cli, ["check", "--pack", str(tmp_path / "nowhere.html")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_a_page_that_is_not_html_is_a_problem_not_a_traceback(tmp_path: Path):
    page = tmp_path / "pack.html"
    page.write_bytes(b"")
    report = check_html(page)
    assert report.rules_failed[0] == "html-open"
