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
from builder.check.ooxml import DocxPackage, Para, StyleSheet, is_on, paragraph_style, run_text, runs
from builder.check.ooxml import snippet, table_style, w, wattr
from builder.check.report import Problem, RuleResult, counted

MIN_TEXT_PT = 9.0
"""Smallest text the pack may print: 9pt stays legible on paper and when zoomed."""

WORD_DEFAULT_HALF_POINTS = 20
"""Word's size when no layer sets one (10pt)."""

LARGE_TEXT_PT, LARGE_BOLD_TEXT_PT = 18.0, 14.0
LARGE_TEXT_MIN_CONTRAST = 3.0
"""WCAG 1.4.3: large text (18pt, or 14pt bold) needs 3:1 rather than 4.5:1."""

HIGHLIGHTS = {
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00", "magenta": "FF00FF",
    "red": "FF0000", "yellow": "FFFF00", "white": "FFFFFF", "darkBlue": "000080", "darkCyan": "008080",
    "darkGreen": "008000", "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000",
    "darkGray": "808080", "lightGray": "C0C0C0",
}


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


def check_text_size(pkg: DocxPackage) -> RuleResult:
    """No text under 9pt, whether a style or a run's own formatting makes it small."""
    findings: dict[tuple[str, ...], _Finding] = {}
    checked = 0
    for para, run in _text_runs(pkg):
        checked += 1
        value, origin = _effective(run_layers(pkg.styles, para, run), "sz")
        half_points = _half_points(value) or WORD_DEFAULT_HALF_POINTS
        if half_points / 2 >= MIN_TEXT_PT:
            continue
        size = _pt(half_points / 2)
        where = para.where if origin == "direct formatting" else origin
        key = (where, origin, size, str(id(para.element)) if origin == "direct formatting" else "")
        _note(findings, key, where, f"text is {size}pt, under the {_pt(MIN_TEXT_PT)}pt minimum", run_text(run))
    return RuleResult("text-size", f"no text under {_pt(MIN_TEXT_PT)}pt", counted(checked, "run") + " of text",
                      _problems("text-size", findings))


def check_text_contrast(pkg: DocxPackage) -> RuleResult:
    """Explicitly coloured text reaches 4.5:1 (3:1 when large) against its actual background."""
    findings: dict[tuple[str, ...], _Finding] = {}
    checked = 0
    for para, run in _text_runs(pkg):
        layers = run_layers(pkg.styles, para, run)
        colour, origin = _effective(layers, "color")
        text_colour = wattr(colour)
        if text_colour is None or text_colour.lower() == "auto":
            continue
        checked += 1
        background, behind = background_of(pkg, para, run, layers)
        try:
            ratio = contrast_ratio(text_colour, background)
        except ValueError:
            _note(findings, (para.where, text_colour), para.where, f"text colour {text_colour!r} is not a colour",
                  run_text(run))
            continue
        minimum = LARGE_TEXT_MIN_CONTRAST if _is_large(layers) else TEXT_MIN_CONTRAST
        if ratio >= minimum:
            continue
        style_fault = origin != "direct formatting" and behind == "white"
        where = origin if style_fault else para.where
        source = "" if style_fault or origin == "direct formatting" else f" (from {origin})"
        behind_text = behind if behind == "white" else f"{behind} #{background.lstrip('#').upper()}"
        message = (f"text colour #{text_colour.upper()}{source} on {behind_text} has contrast {ratio:.1f}:1, "
                   f"under {minimum:g}:1")
        _note(findings, (where, origin, text_colour, background), where, message, run_text(run))
    return RuleResult("text-contrast", "text contrast at least 4.5:1 (3:1 for large text)",
                      counted(checked, "coloured run"), _problems("text-contrast", findings))


def run_layers(styles: StyleSheet, para: Para, run: etree._Element) -> list[Layer]:
    """Every layer of a run's properties, nearest first, as Word resolves them."""
    direct = run.find(w("rPr"))
    layers = [Layer("direct formatting", direct)] if direct is not None else []
    character = wattr(direct.find(w("rStyle"))) if direct is not None else None
    if character:
        layers += _style_layers(styles, character, "character")
    layers += _style_layers(styles, paragraph_style(para.element), "paragraph")
    if para.table is not None:
        layers += _table_layers(styles, para, table_style(para.table))
    default = styles.default_rpr()
    if default is not None:
        layers.append(Layer("the document defaults", default))
    return layers


def background_of(pkg: DocxPackage, para: Para, run: etree._Element, layers: list[Layer]) -> tuple[str, str]:
    """The colour right behind a run, innermost first: run shading, highlight, paragraph, cell, page."""
    for layer in layers:
        fill = _fill(layer.rpr.find(w("shd")))
        if fill:
            return fill, "shading"
        highlight = wattr(layer.rpr.find(w("highlight")))
        if highlight in HIGHLIGHTS:
            return HIGHLIGHTS[highlight], "highlight"
    for ppr in _paragraph_pprs(pkg.styles, para):
        fill = _fill(ppr.find(w("shd")))
        if fill:
            return fill, "paragraph shading"
    if para.cell is not None:
        fill = _fill(para.cell.find(f"{w('tcPr')}/{w('shd')}")) or _table_style_fill(pkg.styles, para)
        if fill:
            return fill, "cell shading"
    page = wattr(pkg.body.root.find(w("background")), "color")
    if page and page.lower() != "auto":
        return page, "page colour"
    return WHITE, "white"


def _text_runs(pkg: DocxPackage) -> list[tuple[Para, etree._Element]]:
    """Runs a reader sees: with text, in every part."""
    return [(para, run) for para in pkg.all_paragraphs() for run in runs(para.element) if run_text(run).strip()]


def _style_layers(styles: StyleSheet, style_id: str | None, kind: str) -> list[Layer]:
    """A style's run properties and those of the styles it is based on, nearest first."""
    key = ("layers", kind, style_id or "")
    if key not in styles.cache:
        styles.cache[key] = [
            Layer(f"style '{styles.name(wattr(style, 'styleId') or '')}'", rpr)
            for style in styles.chain(style_id, kind) if (rpr := style.find(w("rPr"))) is not None
        ]
    return list(styles.cache[key])  # type: ignore[call-overload]


def _table_layers(styles: StyleSheet, para: Para, style_id: str | None) -> list[Layer]:
    """The table style's run properties, its header-row formatting first for row 1."""
    layers = []
    for style in styles.chain(style_id, "table"):
        name = f"table style '{styles.name(wattr(style, 'styleId') or '')}'"
        if para.row == 0 and _first_row_look(para.table):
            conditional = _first_row_properties(style)
            rpr = conditional.find(w("rPr")) if conditional is not None else None
            if rpr is not None:
                layers.append(Layer(f"{name} (header row)", rpr))
        rpr = style.find(w("rPr"))
        if rpr is not None:
            layers.append(Layer(name, rpr))
    return layers


def _table_style_fill(styles: StyleSheet, para: Para) -> str | None:
    for style in styles.chain(table_style(para.table), "table"):
        if para.row == 0 and _first_row_look(para.table):
            conditional = _first_row_properties(style)
            if conditional is not None:
                fill = _fill(conditional.find(f"{w('tcPr')}/{w('shd')}"))
                if fill:
                    return fill
        fill = _fill(style.find(f"{w('tcPr')}/{w('shd')}"))
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


def _paragraph_pprs(styles: StyleSheet, para: Para) -> list[etree._Element]:
    direct = para.element.find(w("pPr"))
    styled = [s.find(w("pPr")) for s in styles.chain(paragraph_style(para.element), "paragraph")]
    return [p for p in (direct, *styled) if p is not None]


def _effective(layers: list[Layer], tag: str) -> tuple[etree._Element | None, str]:
    """The nearest layer that sets ``tag``, and who that is."""
    for layer in layers:
        found = layer.rpr.find(w(tag))
        if found is not None:
            return found, layer.origin
    return None, "Word's default"


def _is_large(layers: list[Layer]) -> bool:
    size = (_half_points(_effective(layers, "sz")[0]) or WORD_DEFAULT_HALF_POINTS) / 2
    bold = is_on(_effective(layers, "b")[0])
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


def _note(findings: dict[tuple[str, ...], _Finding], key: tuple[str, ...], where: str, message: str,
          text: str) -> None:
    if key in findings:
        findings[key].count += 1
    else:
        findings[key] = _Finding(where, message, text)


def _problems(rule: str, findings: dict[tuple[str, ...], _Finding]) -> list[Problem]:
    out = []
    for finding in findings.values():
        runs_note = f" ({finding.count} runs, e.g. {snippet(finding.sample)})" if finding.count > 1 \
            else f": {snippet(finding.sample)}"
        out.append(Problem(rule, finding.where, finding.message + runs_note))
    return out
