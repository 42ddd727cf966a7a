"""Rules on how text looks: its size and its contrast with what is behind it.

Both need a run's *effective* formatting, which Word builds up in layers: document
defaults, then the table style, the paragraph style, the character style and finally
direct formatting. A problem says which layer set the offending value, so an author
knows whether to fix one run or restyle the template (one problem per style, not one
per cell, when a style is at fault).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from builder.charts.colour import TEXT_MIN_CONTRAST, WHITE, contrast_ratio
from builder.check.ooxml import (
    DocxPackage,
    Para,
    StyleSheet,
    child,
    is_on,
    run_text,
    runs,
    snippet,
    table_style,
    w,
    wattr,
)
from builder.check.report import Problem, RuleResult, counted

MIN_TEXT_PT = 9.0
"""Smallest text the pack may print: 9pt stays legible on paper and when zoomed."""

WORD_DEFAULT_HALF_POINTS = 20
"""Word's size when no layer sets one (10pt)."""

LARGE_TEXT_PT, LARGE_BOLD_TEXT_PT = 18.0, 14.0
LARGE_TEXT_MIN_CONTRAST = 3.0
"""WCAG 1.4.3: large text (18pt, or 14pt bold) needs 3:1 rather than 4.5:1."""

HIGHLIGHTS = {
    "black": "000000",
    "blue": "0000FF",
    "cyan": "00FFFF",
    "green": "00FF00",
    "magenta": "FF00FF",
    "red": "FF0000",
    "yellow": "FFFF00",
    "white": "FFFFFF",
    "darkBlue": "000080",
    "darkCyan": "008080",
    "darkGreen": "008000",
    "darkMagenta": "800080",
    "darkRed": "800000",
    "darkYellow": "808000",
    "darkGray": "808080",
    "lightGray": "C0C0C0",
}

_RPR, _PPR, _TCPR, _SHD, _HIGHLIGHT, _RSTYLE = (w(t) for t in ("rPr", "pPr", "tcPr", "shd", "highlight", "rStyle"))
SZ, COLOR, BOLD = w("sz"), w("color"), w("b")
"""Tags looked up for every run, spelled out once."""

DIRECT = "direct formatting"
"""The origin of a run's own properties, as problems name it."""


@dataclass(frozen=True)
class Layer:
    """One layer of run properties and who set it ('style 'Table Text'', 'direct formatting')."""

    origin: str
    rpr: etree._Element


@dataclass
class _Finding:
    """Runs sharing one cause, so one problem names the cause once."""

    where: str
    message: str
    sample: str
    count: int = 1


class StyleLayers:
    """The layers under a run's direct formatting: character, paragraph and table styles, then defaults.

    A pack has a thousand runs but a handful of style combinations, so each
    combination is resolved once and remembers which layer sets each property.
    """

    def __init__(self, layers: tuple[Layer, ...]) -> None:
        self.layers = layers
        self.shading = next(filter(None, (_run_shading(layer.rpr) for layer in layers)), None)
        """The nearest run shading or highlight these layers set: (colour, 'shading' | 'highlight')."""
        self._found: dict[str, tuple[etree._Element | None, str]] = {}

    def effective(self, tag: str) -> tuple[etree._Element | None, str]:
        """The nearest layer that sets ``tag`` (a Clark name such as ``SZ``), and who that is."""
        if tag not in self._found:
            self._found[tag] = _effective(self.layers, tag)
        return self._found[tag]


@dataclass
class TextRun:
    """A run a reader sees, with its text and the layers its formatting comes from."""

    para: Para
    text: str
    direct: etree._Element | None
    styles: StyleLayers

    def effective(self, tag: str) -> tuple[etree._Element | None, str]:
        """The run's effective property ``tag`` (``SZ``, ``COLOR``, …) and the layer that set it."""
        found = child(self.direct, tag)
        return (found, DIRECT) if found is not None else self.styles.effective(tag)


def check_text_size(pkg: DocxPackage) -> RuleResult:
    """No text under 9pt, whether a style or a run's own formatting makes it small."""
    findings: dict[tuple[str, ...], _Finding] = {}
    text_runs = formatting(pkg).runs
    for run in text_runs:
        value, origin = run.effective(SZ)
        half_points = _half_points(value) or WORD_DEFAULT_HALF_POINTS
        if half_points / 2 >= MIN_TEXT_PT:
            continue
        size = _pt(half_points / 2)
        where = run.para.where if origin == DIRECT else origin
        key = (where, origin, size, str(id(run.para.element)) if origin == DIRECT else "")
        _note(findings, key, where, f"text is {size}pt, under the {_pt(MIN_TEXT_PT)}pt minimum", run.text)
    return RuleResult(
        "text-size",
        f"no text under {_pt(MIN_TEXT_PT)}pt",
        counted(len(text_runs), "run") + " of text",
        _problems("text-size", findings),
    )


def check_text_contrast(pkg: DocxPackage) -> RuleResult:
    """Explicitly coloured text reaches 4.5:1 (3:1 when large) against its actual background."""
    findings: dict[tuple[str, ...], _Finding] = {}
    checked = 0
    resolved = formatting(pkg)
    ratios = _Contrast()
    for run in resolved.runs:
        colour, origin = run.effective(COLOR)
        text_colour = wattr(colour)
        if text_colour is None or text_colour.lower() == "auto":
            continue
        checked += 1
        background, behind = resolved.background(run)
        ratio = ratios(text_colour, background)
        if ratio is None:
            _note(
                findings,
                (run.para.where, text_colour),
                run.para.where,
                f"text colour {text_colour!r} is not a colour",
                run.text,
            )
            continue
        minimum = LARGE_TEXT_MIN_CONTRAST if _is_large(run) else TEXT_MIN_CONTRAST
        if ratio >= minimum:
            continue
        style_fault = origin != DIRECT and behind == "white"
        where = origin if style_fault else run.para.where
        source = "" if style_fault or origin == DIRECT else f" (from {origin})"
        behind_text = behind if behind == "white" else f"{behind} #{background.lstrip('#').upper()}"
        message = (
            f"text colour #{text_colour.upper()}{source} on {behind_text} has contrast {ratio:.1f}:1, "
            f"under {minimum:g}:1"
        )
        _note(findings, (where, origin, text_colour, background), where, message, run.text)
    return RuleResult(
        "text-contrast",
        "text contrast at least 4.5:1 (3:1 for large text)",
        counted(checked, "coloured run"),
        _problems("text-contrast", findings),
    )


def formatting(pkg: DocxPackage) -> RunFormatting:
    """The document's text runs with their formatting resolved, shared by the size and contrast rules."""
    return pkg.memo("text_rules.formatting", RunFormatting)


class RunFormatting:
    """Resolves formatting and backgrounds for one document, once per style, table and combination.

    Word builds a run's formatting in layers (document defaults, table style,
    paragraph style, character style, direct formatting). Only the direct layer
    differs from run to run; everything else is looked up here by style id.
    """

    def __init__(self, pkg: DocxPackage) -> None:
        self.styles = pkg.styles
        self.page = _page_colour(pkg.body.root)
        self._stacks: dict[tuple[str | bool | None, ...], StyleLayers] = {}
        self._tables: dict[etree._Element, tuple[str | None, bool]] = {}
        self._paragraph_fills: dict[str | None, str | None] = {}
        self._table_fills: dict[tuple[str | None, bool], str | None] = {}
        self.runs = [
            self._text_run(para, run, text)
            for para in pkg.all_paragraphs()
            for run in runs(para.element)
            if (text := run_text(run)).strip()
        ]
        """Runs a reader sees: with text, in every part."""

    def background(self, run: TextRun) -> tuple[str, str]:
        """The colour right behind a run, innermost first: run shading, highlight, paragraph, cell, page."""
        shading = (_run_shading(run.direct) if run.direct is not None else None) or run.styles.shading
        if shading:
            return shading
        para = run.para
        fill = _fill(child(child(para.element, _PPR), _SHD)) or self._paragraph_fill(para.style)
        if fill:
            return fill, "paragraph shading"
        if para.cell is not None:
            fill = _fill(child(para.cell, _TCPR, _SHD)) or self._table_fill(*self._table(para))
            if fill:
                return fill, "cell shading"
        return self.page

    def _text_run(self, para: Para, run: etree._Element, text: str) -> TextRun:
        direct = child(run, _RPR)
        character = wattr(child(direct, _RSTYLE))
        table, header = self._table(para)
        key = (character or None, para.style, para.table is not None, table, header)
        if key not in self._stacks:
            self._stacks[key] = StyleLayers(tuple(self._style_layers(para, character, table, header)))
        return TextRun(para, text, direct, self._stacks[key])

    def _style_layers(self, para: Para, character: str | None, table: str | None, header: bool) -> list[Layer]:
        """The layers every run with these styles shares, nearest first."""
        layers = _style_layers(self.styles, character, "character") if character else []
        layers += _style_layers(self.styles, para.style, "paragraph")
        if para.table is not None:
            layers += _table_layers(self.styles, table, header)
        default = self.styles.default_rpr()
        if default is not None:
            layers.append(Layer("the document defaults", default))
        return layers

    def _table(self, para: Para) -> tuple[str | None, bool]:
        """The paragraph's table style id, and whether it gets that style's header-row formatting."""
        if para.table is None:
            return None, False
        if para.table not in self._tables:
            self._tables[para.table] = (table_style(para.table), _first_row_look(para.table))
        style, look = self._tables[para.table]
        return style, para.row == 0 and look

    def _paragraph_fill(self, style_id: str | None) -> str | None:
        if style_id not in self._paragraph_fills:
            pprs = (child(style, _PPR) for style in self.styles.chain(style_id, "paragraph"))
            self._paragraph_fills[style_id] = next((fill for ppr in pprs if (fill := _fill(child(ppr, _SHD)))), None)
        return self._paragraph_fills[style_id]

    def _table_fill(self, style_id: str | None, header: bool) -> str | None:
        key = (style_id, header)
        if key not in self._table_fills:
            self._table_fills[key] = _table_style_fill(self.styles, style_id, header)
        return self._table_fills[key]


class _Contrast:
    """Contrast ratios by (text, background) colour: a pack uses a few pairs a thousand times."""

    def __init__(self) -> None:
        self._ratios: dict[tuple[str, str], float | None] = {}

    def __call__(self, text: str, background: str) -> float | None:
        """The WCAG ratio, or None when either is not a colour."""
        key = (text, background)
        if key not in self._ratios:
            try:
                self._ratios[key] = contrast_ratio(text, background)
            except ValueError:
                self._ratios[key] = None
        return self._ratios[key]


def _run_shading(rpr: etree._Element) -> tuple[str, str] | None:
    """Run properties' shading, else their highlight, as (colour, 'shading' | 'highlight')."""
    fill = _fill(child(rpr, _SHD))
    if fill:
        return fill, "shading"
    highlight = wattr(child(rpr, _HIGHLIGHT))
    if highlight in HIGHLIGHTS:
        return HIGHLIGHTS[highlight], "highlight"
    return None


def _page_colour(body: etree._Element) -> tuple[str, str]:
    page = wattr(body.find(w("background")), "color")
    if page and page.lower() != "auto":
        return page, "page colour"
    return WHITE, "white"


def _style_layers(styles: StyleSheet, style_id: str | None, kind: str) -> list[Layer]:
    """A style's run properties and those of the styles it is based on, nearest first."""
    return [
        Layer(f"style '{styles.name(wattr(style, 'styleId') or '')}'", rpr)
        for style in styles.chain(style_id, kind)
        if (rpr := style.find(_RPR)) is not None
    ]


def _table_layers(styles: StyleSheet, style_id: str | None, header: bool) -> list[Layer]:
    """The table style's run properties, its header-row formatting first for row 1."""
    layers = []
    for style in styles.chain(style_id, "table"):
        name = f"table style '{styles.name(wattr(style, 'styleId') or '')}'"
        if header:
            conditional = _first_row_properties(style)
            rpr = conditional.find(_RPR) if conditional is not None else None
            if rpr is not None:
                layers.append(Layer(f"{name} (header row)", rpr))
        rpr = style.find(_RPR)
        if rpr is not None:
            layers.append(Layer(name, rpr))
    return layers


def _table_style_fill(styles: StyleSheet, style_id: str | None, header: bool) -> str | None:
    for style in styles.chain(style_id, "table"):
        if header:
            conditional = _first_row_properties(style)
            if conditional is not None:
                fill = _fill(child(conditional, _TCPR, _SHD))
                if fill:
                    return fill
        fill = _fill(child(style, _TCPR, _SHD))
        if fill:
            return fill
    return None


def _first_row_properties(style: etree._Element) -> etree._Element | None:
    return next((c for c in style.findall(w("tblStylePr")) if wattr(c, "type") == "firstRow"), None)


def _first_row_look(table: etree._Element | None) -> bool:
    """Whether the table asks for its style's header-row formatting (tblLook)."""
    look = table.find(f"{w('tblPr')}/{w('tblLook')}") if table is not None else None
    if look is None:
        return True
    if wattr(look, "firstRow") is not None:
        return wattr(look, "firstRow") in ("1", "true", "on")
    try:
        return bool(int(wattr(look) or "0", 16) & 0x0020)
    except ValueError:
        return True


def _effective(layers: tuple[Layer, ...], tag: str) -> tuple[etree._Element | None, str]:
    """The nearest layer that sets ``tag`` (Clark name), and who that is."""
    for layer in layers:
        found = child(layer.rpr, tag)
        if found is not None:
            return found, layer.origin
    return None, "Word's default"


def _is_large(run: TextRun) -> bool:
    size = (_half_points(run.effective(SZ)[0]) or WORD_DEFAULT_HALF_POINTS) / 2
    bold = is_on(run.effective(BOLD)[0])
    return size >= LARGE_TEXT_PT or (bold and size >= LARGE_BOLD_TEXT_PT)


def _half_points(element: etree._Element | None) -> int | None:
    try:
        return int(wattr(element) or "") if element is not None else None
    except ValueError:
        return None


def _fill(shading: etree._Element | None) -> str | None:
    fill = wattr(shading, "fill")
    return None if not fill or fill.lower() == "auto" else fill


def _pt(value: float) -> str:
    return f"{value:g}"


def _note(findings: dict[tuple[str, ...], _Finding], key: tuple[str, ...], where: str, message: str, text: str) -> None:
    if key in findings:
        findings[key].count += 1
    else:
        findings[key] = _Finding(where, message, text)


def _problems(rule: str, findings: dict[tuple[str, ...], _Finding]) -> list[Problem]:
    out = []
    for finding in findings.values():
        runs_note = (
            f" ({finding.count} runs, e.g. {snippet(finding.sample)})"
            if finding.count > 1
            else f": {snippet(finding.sample)}"
        )
        out.append(Problem(rule, finding.where, finding.message + runs_note))
    return out
