"""Each pack's data annex, figures file, Word document and web page, written as its charts are drawn, then the PDFs.

The document is written while the chart workers still draw: it waits for a picture
only when it reaches it (``_when_drawn``), by which time most are done.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.build.forces import pack_config
from builder.build.inputs import Inputs, html_template_path, template_path
from builder.build.options import BuildOptions, BuildResult, Progress, Timer
from builder.build.scopes import Scope
from builder.narrative.helpers import date
from builder.pack.content import Element, Figure

if TYPE_CHECKING:
    from builder.charts.drawing import PackCharts
    from builder.config.schema import PackConfig
    from builder.figures.model import PackFigures
    from builder.narrative.fields import Location
    from builder.render.pdf import Office


@dataclass
class Pack:
    """One document to write: its scope, figures, charts (perhaps still being drawn) and narrative."""

    scope: Scope
    figures: PackFigures
    charts: PackCharts
    narrative: dict[Location, str] = field(default_factory=dict)
    annex: Path | None = None
    """A cached build's annex: the same figures give the same bytes, so it is copied, not written."""


def write_documents(
    inputs: Inputs, packs: list[Pack], stage: Path, options: BuildOptions, result: BuildResult, timer: Timer
) -> tuple[list[Path], list[Path], list[Path]]:
    """Each pack's annex, Word document and web page, in the staging folder: (documents, pages, annexes).

    Both editions are made from the same content elements, so they say the same thing.
    Without a PDF to wait for, each pack is checked as soon as it is written, so the
    checks of the first packs overlap the drawing of the last packs' charts.
    """
    documents, pages, annexes = [], [], []
    for number, pack in enumerate(packs, start=1):
        if len(packs) > 1:
            timer.progress(f"document {number}/{len(packs)}")
        annexes.append(_annex(inputs, pack, stage / f"{pack.scope.stem}-data.xlsx"))
        elements, front = _elements(inputs, pack), _front(inputs)
        context = _cover_context(inputs, pack)
        if "docx" in options.editions:
            documents.append(_docx(inputs, pack, elements, front, context, stage / f"{pack.scope.stem}.docx"))
        if "html" in options.editions:
            pack.charts.wait()  # the page embeds every chart
            context["annex"] = annexes[-1].name
            pages.append(_html(inputs, elements, front, context, stage / f"{pack.scope.stem}.html", pack.scope.title))
        if options.check and not options.pdf and documents:
            from builder.check import check_pack

            page = pages[-1] if pages else None
            with timer("check"):
                report = check_pack(documents[-1], html=page)  # in the staging folder: no stale PDF beside it
            published = options.output_dir / page.name if page is not None else None
            result.reports.append(replace(report, docx=options.output_dir / documents[-1].name, html=published))
    return documents, pages, annexes


def write_figures(inputs: Inputs, pack: Pack, stage: Path) -> Path:
    """The pack's ``<name>-figures.json``: every figure by name, for ``perfpack diff`` next cycle."""
    from builder.build.prepare import scope_names
    from builder.cycle import snapshot
    from builder.narrative.context import build_context

    context = build_context(inputs.config, pack.figures, scope_names(pack.scope) if pack.scope.local else None)
    data = snapshot.snapshot(inputs.config, pack.figures, context, pack.narrative, pack.scope.name)
    return snapshot.write(stage / f"{pack.scope.stem}{snapshot.SUFFIX}", data)


def convert_pdfs(
    documents: list[Path], packs: list[Pack], options: BuildOptions, progress: Progress, office: Office | None = None
) -> list[Path]:
    """Every document's PDF, with one LibreOffice start; each .docx then gets the PDF's contents pages.

    With an ``office`` the caller keeps running (``watch --pdf``), no LibreOffice is started.
    """
    from builder.render.contents import fill_pages
    from builder.render.pdf import convert_documents

    jobs = [(d, d.with_suffix(".pdf")) for d in documents]
    converted = convert_documents(
        jobs,
        titles=[p.scope.title for p in packs],
        timeout=options.pdf_timeout,
        progress=lambda done, total: progress(f"pdf {done}/{total}"),
        office=office,
    )
    for document, made in zip(documents, converted):
        fill_pages(document, made.contents)
    return [made.pdf for made in converted]


def _annex(inputs: Inputs, pack: Pack, out: Path) -> Path:
    if pack.annex is not None:
        return Path(shutil.copyfile(pack.annex, out))
    from builder.render.annex import write_annex  # xlsxwriter: imported while charts are drawn

    return write_annex(pack.figures, pack_config(inputs.config, pack.scope), out, _place(pack))


def _elements(inputs: Inputs, pack: Pack) -> list[Element]:
    """The pack's body as content elements: what both editions print."""
    from builder.pack.layout import Layout

    config = pack_config(inputs.config, pack.scope)  # a force's pack of a --by force run names its force
    return Layout(config, pack.figures, pack.narrative, pack.charts.figures, _place(pack)).elements()


def _place(pack: Pack) -> str:
    """A local pack's place as its headings and annex name it ('Moorlands NPT'); empty for a force."""
    return pack.scope.described if pack.scope.local else ""


def _front(inputs: Inputs) -> list[Element]:
    """What comes after the cover and before the contents: the document-control table, if kept."""
    from builder.pack.control import control_table

    control = control_table(inputs.config)
    return [control] if control else []


def _cover_context(inputs: Inputs, pack: Pack) -> dict[str, Any]:
    """What the templates' cover, header and footer say (the Word template's names, ``template_context``)."""
    return template_context(pack_config(inputs.config, pack.scope), pack.scope)


def _docx(
    inputs: Inputs, pack: Pack, elements: list[Element], front: list[Element], context: dict[str, Any], out: Path
) -> Path:
    from builder.render.docx import render_docx

    return render_docx(
        template_path(inputs.loaded),
        out,
        context,
        _when_drawn(elements, pack.charts),
        title=pack.scope.title,
        front=front,
    )


def _html(
    inputs: Inputs, elements: list[Element], front: list[Element], context: dict[str, Any], out: Path, title: str
) -> Path:
    from builder.render.html import render_html

    return render_html(html_template_path(inputs.loaded), out, context, elements, front=front, title=title)


def template_context(config: PackConfig, scope: Scope) -> dict[str, Any]:
    """The names the Word template's placeholders may use (``perfpack check`` fills it with the same).

    Plain values only (the cover as a dict of its fields), so the sandboxed template sees
    text and dates, not the config's objects and their methods.
    """
    cover = config.cover
    return {
        "cover": cover.model_dump(),
        "marking": cover.protective_marking.upper(),
        "meeting_date": date(cover.meeting_date),
        "report_date": date(cover.report_date),
        "author": cover.authors,
        "subject": f"{cover.title} performance pack, version {cover.version}, {cover.status}",
        "area": scope.described if scope.local else "",
        "version": cover.version,
        "status": cover.status.capitalize(),
        "draft": cover.status == "draft",
        "keywords": cover.status.capitalize(),
        "issued": cover.report_date,
    }


def _when_drawn(elements: list[Element], charts: PackCharts) -> Iterator[Element]:
    """The elements in order, each chart only once its file is written."""
    for element in elements:
        if isinstance(element, Figure):
            charts.wait(element.path)
        yield element
