"""Rules on the structure of the .docx: title, language, headings, pictures, tables, links.

Each rule takes the opened package and returns a ``RuleResult`` saying what it looked
at and what it found. They encode what a screen reader needs from a Word document:
a title to announce, a language to speak in, headings to navigate by, words for each
picture, table headers to read each cell against, and links that say where they go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from builder.check.ooxml import (
    DC_NS,
    R_NS,
    WP_NS,
    DocxPackage,
    Para,
    Part,
    child,
    is_on,
    paragraph_text,
    run_text,
    runs,
    snippet,
    w,
    wattr,
)
from builder.check.report import Problem, RuleResult, counted

LANGUAGE = "en-GB"
MIN_ALT_WORDS = 5
"""Fewer words than this cannot say what a chart shows; 'Bar chart' is a label, not a description."""

FILE_NAME = re.compile(r"^\S*\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp|docx?)$", re.IGNORECASE)
PLACEHOLDER = re.compile(r"^(image|picture|img|chart|figure|graphic|photo)\s*\d*$", re.IGNORECASE)
FAKE_HEADING_MAX_CHARS = 80
VAGUE_LINK_TEXT = frozenset(
    {
        "click here",
        "here",
        "link",
        "this link",
        "click",
        "click this link",
        "read more",
        "more",
        "more info",
        "more information",
        "this",
        "this page",
        "learn more",
        "find out more",
        "website",
        "this website",
        "page",
    }
)
BARE_URL = re.compile(r"^(https?://|ftp://|www\.)\S+$", re.IGNORECASE)
VML = "urn:schemas-microsoft-com:vml"
_RPR, _PPR, _LANG, _BOLD, _SZ = (w(tag) for tag in ("rPr", "pPr", "lang", "b", "sz"))
_HYPERLINK, _FLD_SIMPLE, _FLD_CHAR, _INSTR_TEXT, _T = (
    w(tag) for tag in ("hyperlink", "fldSimple", "fldChar", "instrText", "t")
)
"""Tags looked up for every paragraph or run, spelled out once."""


def check_title(pkg: DocxPackage) -> RuleResult:
    """The document title (File > Properties) is what screen readers and the PDF announce."""
    result = RuleResult("title", "document title set in the properties", "core properties")
    title = pkg.core.findtext(f"{{{DC_NS}}}title") if pkg.core is not None else None
    title = " ".join((title or "").split())
    if pkg.core is None:
        result.problems.append(Problem("title", "document properties", "the file has no core properties part"))
    elif not title:
        result.problems.append(Problem("title", "document properties", "the document has no title"))
    elif FILE_NAME.match(title):
        result.problems.append(Problem("title", "document properties", f"the title {snippet(title)} is a file name"))
    return result


def check_language(pkg: DocxPackage, language: str = LANGUAGE) -> RuleResult:
    """en-GB as the default language, and nothing switching text to another language."""
    result = RuleResult("language", f"document language {language}", "defaults, styles and runs")
    add = result.problems.append
    default = pkg.styles.default_rpr()
    lang = wattr(default.find(w("lang"))) if default is not None else None
    if not lang:
        add(Problem("language", "document defaults", f"no default language is set; set it to {language}"))
    elif lang.lower() != language.lower():
        add(Problem("language", "document defaults", f"the default language is {lang}, not {language}"))
    for style in pkg.styles.by_id.values():
        value = wattr(style.find(f"{w('rPr')}/{w('lang')}"))
        if value and value.lower() != language.lower():
            add(
                Problem(
                    "language",
                    f"style '{pkg.styles.name(wattr(style, 'styleId') or '')}'",
                    f"the style sets the language to {value}, not {language}",
                )
            )
    for para in pkg.all_paragraphs():
        others = sorted(
            {v for r in runs(para.element) if (v := wattr(child(r, _RPR, _LANG))) and v.lower() != language.lower()}
        )
        if others:
            add(
                Problem(
                    "language",
                    para.where,
                    f"text set to language {', '.join(others)}, not {language}: "
                    f"{snippet(paragraph_text(para.element))}",
                )
            )
    core_lang = pkg.core.findtext(f"{{{DC_NS}}}language") if pkg.core is not None else None
    if core_lang and core_lang.strip().lower() != language.lower():
        add(Problem("language", "document properties", f"the language property is {core_lang}, not {language}"))
    return result


def check_headings(pkg: DocxPackage) -> RuleResult:
    """Headings made with Heading styles, starting at level 1, never skipping a level."""
    problems: list[Problem] = []
    previous = 0
    seen_level_1: dict[str, int] = {}
    count = 0
    for para in pkg.paragraphs:
        if para.table is not None:
            continue
        level = pkg.styles.heading_level(para.style)
        text = " ".join(paragraph_text(para.element).split())
        if level is None:
            problems.extend(_heading_by_formatting(pkg, para, text))
            continue
        count += 1
        problems.extend(_heading_order(para, level, previous, text, seen_level_1))
        if level == 1:
            seen_level_1[text] = seen_level_1.get(text, 0) + 1
        previous = level
    if not seen_level_1:
        problems.append(Problem("headings", "body", "the document has no Heading 1: each section needs one"))
    return RuleResult(
        "headings", "headings by style, one level 1 per section, no skipped levels", counted(count, "heading"), problems
    )


def _heading_order(para: Para, level: int, previous: int, text: str, seen: dict[str, int]) -> list[Problem]:
    out = []
    where = f"{para.where}, heading {snippet(text)}"
    if not text:
        out.append(Problem("headings", para.where, f"an empty Heading {level}: delete it or give it text"))
    if previous == 0 and level != 1:
        out.append(Problem("headings", where, f"the first heading is Heading {level}; start with Heading 1"))
    elif previous and level > previous + 1:
        out.append(
            Problem("headings", where, f"Heading {level} follows Heading {previous}: level {previous + 1} is skipped")
        )
    if level == 1 and text and seen.get(text):
        out.append(Problem("headings", where, "the same Heading 1 appears twice: one Heading 1 per section"))
    return out


def _heading_by_formatting(pkg: DocxPackage, para: Para, text: str) -> list[Problem]:
    """Body text that looks or acts like a heading but is not one to a screen reader."""
    outline = wattr(child(para.element, _PPR, w("outlineLvl")))
    if outline is not None and outline != "9":
        return [
            Problem(
                "headings",
                para.where,
                f"{snippet(text)} is made a heading by direct formatting "
                "(outline level); apply a Heading style instead",
            )
        ]
    style = para.style
    if style not in (None, pkg.styles.defaults.get("paragraph")) or not _looks_like_heading(para.element, text):
        return []
    return [
        Problem(
            "headings",
            para.where,
            f"{snippet(text)} looks like a heading (bold or large on its own "
            "line) but is body text; apply a Heading style",
        )
    ]


def _looks_like_heading(p: etree._Element, text: str) -> bool:
    if not text or len(text) > FAKE_HEADING_MAX_CHARS or text[-1] in ".:;,!?":
        return False
    shown = [r for r in runs(p) if run_text(r).strip()]
    return bool(shown) and all(is_on(child(r, _RPR, _BOLD)) or _direct_size(r) >= 28 for r in shown)


def _direct_size(run: etree._Element) -> int:
    try:
        return int(wattr(child(run, _RPR, _SZ)) or 0)
    except ValueError:
        return 0


def check_alt_text(pkg: DocxPackage) -> RuleResult:
    """Every picture has alt text that says what it shows: not empty, not a file name, not one word."""
    problems: list[Problem] = []
    owners = {id(para.element): para for para in pkg.all_paragraphs()}
    found = [picture for part in pkg.parts for picture in pictures(part)]
    for number, picture in enumerate(found, start=1):
        para = _owner(picture.element, owners)
        label = f" {snippet(picture.label, 50)}" if picture.label else ""
        where = f"{para.where if para else 'document'}, picture {number}{label}"
        message = _alt_problem(picture.alt, picture.name)
        if message:
            problems.append(Problem("alt-text", where, message))
    return RuleResult(
        "alt-text", "pictures have alt text that describes them", counted(len(found), "picture"), problems
    )


@dataclass(frozen=True)
class Picture:
    """A picture a screen reader meets: its shape element, name, alt text and a label for the report."""

    element: etree._Element
    name: str
    alt: str
    label: str


def pictures(part: Part) -> list[Picture]:
    """Each drawing and legacy VML picture not marked decorative, in document order."""
    found = []
    for doc_pr in part.root.iter(f"{{{WP_NS}}}docPr"):
        if not _decorative(doc_pr):
            found.append(
                Picture(
                    doc_pr,
                    doc_pr.get("name", ""),
                    doc_pr.get("descr", ""),
                    doc_pr.get("title", "") or doc_pr.get("name", ""),
                )
            )
    for shape in part.root.iter(f"{{{VML}}}shape"):
        if shape.find(f"{{{VML}}}imagedata") is not None:
            found.append(Picture(shape, shape.get("id", ""), shape.get("alt", ""), shape.get("title", "")))
    return found


def _decorative(doc_pr: etree._Element) -> bool:
    """Word 365's 'Mark as decorative': such pictures are skipped by screen readers on purpose."""
    return any(etree.QName(e).localname == "decorative" and e.get("val") in ("1", "true") for e in doc_pr.iter())


def _owner(element: etree._Element, owners: dict[int, Para]) -> Para | None:
    for ancestor in element.iterancestors(w("p")):
        if id(ancestor) in owners:
            return owners[id(ancestor)]
    return None


def _alt_problem(alt: str, name: str) -> str | None:
    text = " ".join(alt.split())
    if not text:
        return "no alt text: describe what the picture shows (Format Picture > Alt Text)"
    if FILE_NAME.match(text):
        return f"the alt text {snippet(text)} is a file name, not a description"
    if PLACEHOLDER.match(text) or (name and text.lower() == name.lower()):
        return f"the alt text {snippet(text)} is a placeholder name, not a description"
    words = len(text.split())
    if words < MIN_ALT_WORDS:
        return f"the alt text {snippet(text)} is too short to describe the picture ({words} words; write at least {MIN_ALT_WORDS})"
    return None


def check_links(pkg: DocxPackage) -> RuleResult:
    """Link text says where the link goes: not 'click here', not a bare web address."""
    problems, count = [], 0
    for para in pkg.all_paragraphs():
        for text, target in _links(pkg, para.element):
            count += 1
            message = link_problem(" ".join(text.split()), target)
            if message:
                problems.append(Problem("link-text", para.where, message))
    return RuleResult("link-text", "link text says where the link goes", counted(count, "link"), problems)


def _links(pkg: DocxPackage, p: etree._Element) -> list[tuple[str, str]]:
    """(text, target) of every hyperlink in a paragraph: elements, simple and complex fields."""
    if next(p.iter(_HYPERLINK, _FLD_SIMPLE, _FLD_CHAR), None) is None:
        return []  # most paragraphs: nothing that can make a link
    out = []
    for link in p.iter(_HYPERLINK):
        rel = pkg.rels.get(link.get(f"{{{R_NS}}}id", ""))
        target = rel.target if rel else "#" + (wattr(link, "anchor") or "")
        out.append(("".join(run_text(r) for r in link.iter(w("r"))), target))
    for field in p.iter(_FLD_SIMPLE):
        instruction = wattr(field, "instr") or ""
        if instruction.strip().upper().startswith("HYPERLINK"):
            out.append(("".join(run_text(r) for r in field.iter(w("r"))), instruction))
    out.extend(_complex_field_links(p))
    return out


def _complex_field_links(p: etree._Element) -> list[tuple[str, str]]:
    """HYPERLINK fields written as begin / instruction / separate / result / end runs."""
    out, stack = [], []
    for run in runs(p):
        for item in run:
            kind = wattr(item, "fldCharType") if item.tag == _FLD_CHAR else None
            if kind == "begin":
                stack.append({"instr": "", "text": "", "result": False})
            elif kind == "separate" and stack:
                stack[-1]["result"] = True
            elif kind == "end" and stack:
                field = stack.pop()
                if str(field["instr"]).strip().upper().startswith("HYPERLINK"):
                    out.append((str(field["text"]), str(field["instr"])))
            elif item.tag == _INSTR_TEXT and stack:
                stack[-1]["instr"] = str(stack[-1]["instr"]) + (item.text or "")
            elif item.tag == _T and stack and stack[-1]["result"]:
                stack[-1]["text"] = str(stack[-1]["text"]) + (item.text or "")
    return out


def link_problem(text: str, target: str) -> str | None:
    """What is wrong with a link's text (none, vague, a bare address), or None; the HTML rules use it too."""
    if not text:
        return f"a link with no text (to {target}): give it words that say where it goes"
    plain = re.sub(r"[^\w\s]", "", text.lower()).strip()
    if plain in VAGUE_LINK_TEXT:
        return f"link text {snippet(text)} does not say where the link goes (to {target})"
    if BARE_URL.match(text):
        return f"link text {snippet(text)} is a bare web address: say where it goes instead"
    return None
