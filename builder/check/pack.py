"""check_pack(): run every accessibility rule a machine can check on a built pack.

The public sector accessibility regulations (WCAG 2.1/2.2 AA) apply to the .docx, the
PDF and the web page the force publishes. The template and the chart code make the pack
accessible by construction; this proves it on each build, and explains each
problem in terms an author can act on. Whatever the files contain, the result is a
report: a broken or missing file is a problem in it, never a traceback.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from builder.charts.colour import GRAPHICS_MIN_CONTRAST, TEXT_MIN_CONTRAST, contrast_ratio
from builder.check import chart_rules, docx_rules, html_rules, table_rules, text_rules
from builder.check.ooxml import DocxError, DocxPackage, paragraph_text, w
from builder.check.report import PackReport, Problem, RuleResult, counted

if TYPE_CHECKING:  # pdf_rules imports pikepdf (~0.1 s): only a check with a PDF loads it
    from builder.check.pdf_rules import DocxFacts

Rule = Callable[[DocxPackage], RuleResult]

DOCX_RULES: tuple[tuple[str, Rule], ...] = (
    ("title", docx_rules.check_title),
    ("language", docx_rules.check_language),
    ("headings", docx_rules.check_headings),
    ("alt-text", docx_rules.check_alt_text),
    ("chart-text", chart_rules.check_chart_text),
    ("table-header-row", table_rules.check_table_headers),
    ("table-cells", table_rules.check_table_cells),
    ("table-title", table_rules.check_table_titles),
    ("text-size", text_rules.check_text_size),
    ("text-contrast", text_rules.check_text_contrast),
    ("link-text", docx_rules.check_links),
)
"""The .docx rules in report order, by the name their problems carry."""


def check_pack(docx: Path, pdf: Path | None = None, html: Path | None = None) -> PackReport:
    """Check a built pack: the .docx, its PDF and web page (given, else the same name beside it) and the chart colours.

    Without a PDF the .docx is checked alone and the report notes it.
    """
    started = time.perf_counter()
    docx = Path(docx)
    report = PackReport(docx=docx)
    pdf = _find_pdf(docx, pdf, report)
    report.pdf = pdf
    package = _open(docx, report)
    if package is not None:
        for name, rule in DOCX_RULES:
            report.add(_safely(name, functools.partial(rule, package)))
    report.add(_safely("chart-colours", check_chart_colours))
    if pdf is not None:
        _check_pdf(pdf, package, report)
    html = Path(html) if html is not None else docx.with_suffix(".html")
    if html.exists():
        report.html = html
        _check_html(html, report)
    report.seconds = time.perf_counter() - started
    return report


def check_html(html: Path) -> PackReport:
    """Check the web page of a pack on its own: the HTML rules and the chart colours."""
    started = time.perf_counter()
    report = PackReport(docx=None, html=Path(html))
    _check_html(Path(html), report)
    report.add(_safely("chart-colours", check_chart_colours))
    report.seconds = time.perf_counter() - started
    return report


def check_chart_colours() -> RuleResult:
    """Chart marks reach 3:1 and chart text 4.5:1 against the chart background (WCAG 1.4.11, 1.4.3)."""
    from builder.charts import palette

    background = palette.BACKGROUND
    marks = {f"PALETTE[{i}]": c for i, c in enumerate(palette.PALETTE)}
    marks |= {f"DUO[{i}]": c for i, c in enumerate(palette.DUO)}
    marks |= {"MAIN_COLOUR": palette.MAIN_COLOUR, "REFERENCE_COLOUR": palette.REFERENCE_COLOUR}
    texts = {"LABEL_COLOUR": palette.LABEL_COLOUR}
    result = RuleResult(
        "chart-colours",
        "chart colours: marks 3:1, labels 4.5:1 against the background",
        counted(len(marks) + len(texts), "colour"),
    )
    for group, minimum in ((marks, GRAPHICS_MIN_CONTRAST), (texts, TEXT_MIN_CONTRAST)):
        for name, colour in group.items():
            ratio = contrast_ratio(colour, background)
            if ratio < minimum:
                result.problems.append(
                    Problem(
                        "chart-colours",
                        f"builder.charts.palette.{name}",
                        f"{colour} on {background} has contrast {ratio:.2f}:1, under {minimum:g}:1",
                    )
                )
    return result


def docx_facts(package: DocxPackage | None) -> DocxFacts | None:
    """What the PDF should hold if it came from this .docx: its sections, pictures and tables."""
    from builder.check.pdf_rules import DocxFacts

    if package is None:
        return None
    headings = tuple(
        " ".join(paragraph_text(p.element).split())
        for p in package.paragraphs
        if p.table is None and package.styles.heading_level(p.style) == 1
    )
    pictures = sum(len(docx_rules.pictures(part)) for part in package.parts)
    tables = sum(1 for _ in package.body.root.iter(w("tbl")))
    return DocxFacts(tuple(h for h in headings if h), pictures, tables)


def _find_pdf(docx: Path, pdf: Path | None, report: PackReport) -> Path | None:
    if pdf is not None:
        return Path(pdf)
    beside = docx.with_suffix(".pdf")
    if beside.exists():
        return beside
    report.notes.append(f"no PDF found beside the .docx ({beside.name}): checked the .docx only")
    return None


def _open(docx: Path, report: PackReport) -> DocxPackage | None:
    """The opened package, or None with a 'cannot open' problem in the report."""
    try:
        return DocxPackage(docx)
    except DocxError as error:
        report.add_problem(Problem("docx-open", docx.name, str(error)))
    except Exception as error:  # any unreadable file is a report, not a traceback
        report.add_problem(Problem("docx-open", docx.name, f"cannot open {docx.name}: {error}"))
    return None


def _check_pdf(pdf: Path, package: DocxPackage | None, report: PackReport) -> None:
    from builder.check.pdf_rules import check_pdf

    try:
        facts = docx_facts(package)
        results, problems = check_pdf(pdf, facts)
    except Exception as error:  # a damaged PDF is a problem to report
        results, problems = [], [Problem("pdf-open", pdf.name, f"cannot read {pdf.name}: {error}")]
    for result in results:
        report.add(result)
    for problem in problems:
        report.add_problem(problem)


def _check_html(html: Path, report: PackReport) -> None:
    """The HTML rules, in order; a page that cannot be read is one problem in the report."""
    try:
        page = html_rules.HtmlDocument.open(html)
    except Exception as error:  # an unreadable file is a report, not a traceback
        report.add_problem(Problem("html-open", html.name, f"cannot read {html.name}: {error}"))
        return
    for name, rule in html_rules.RULES:
        report.add(_safely(name, functools.partial(rule, page)))


def _safely(name: str, rule: Callable[[], RuleResult]) -> RuleResult:
    """Run one rule; if the file defeats it, report that instead of stopping the check."""
    try:
        return rule()
    except Exception as error:  # one odd file must not hide the other rules' results
        return RuleResult(
            name,
            "could not be checked",
            "error",
            [Problem(name, "checker", f"could not check this rule: {type(error).__name__}: {error}")],
        )
