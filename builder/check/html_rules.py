"""The accessibility rules a machine can check in the HTML edition, without a browser.

The web page is what most readers of a published pack will open (GOV.UK: HTML first),
so the same promises the .docx checker keeps are checked here in HTML terms: a language
and a title, one ``<h1>`` and headings in order, alt text, tables with a caption and
header cells that say what they head, links that say where they go and lead somewhere,
nothing fetched from elsewhere, and text colours in the page's own style sheet that
reach WCAG's 4.5:1. The template is where these can go wrong, since authors may
restyle it; the browser tests run axe-core on top of these rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html

from builder.charts.colour import TEXT_MIN_CONTRAST, WHITE, contrast_ratio
from builder.check.docx_rules import link_problem
from builder.check.report import Problem, RuleResult, counted

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
HEADER_SCOPES = frozenset({"col", "row", "colgroup", "rowgroup"})
FILE_NAME_ALT = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)
NOT_A_COLOUR = frozenset({"transparent", "none", "inherit", "initial", "unset", "currentcolor", "revert"})


@dataclass(frozen=True)
class HtmlDocument:
    """A parsed web page and the text of its own style sheets."""

    path: Path
    root: Any  # lxml.html.HtmlElement
    styles: tuple[str, ...]

    @classmethod
    def open(cls, path: Path) -> HtmlDocument:
        """Parse the page (lxml's HTML parser is forgiving, as browsers are)."""
        root = lxml.html.fromstring(Path(path).read_bytes())
        return cls(Path(path), root, tuple(s.text_content() for s in root.iter("style")))

    def where(self, element: Any) -> str:
        """'pack.html line 120 <table id="table-3">': enough to find the element in the file."""
        ident = f' id="{element.get("id")}"' if element.get("id") else ""
        return f"{self.path.name} line {element.sourceline} <{element.tag}{ident}>"


def check_language(page: HtmlDocument) -> RuleResult:
    """The page says which language it is in, so screen readers pronounce it right (WCAG 3.1.1)."""
    lang = page.root.get("lang") or ""
    problems = []
    if not lang.strip():
        problems.append(Problem("html-language", page.where(page.root), 'no lang attribute: add lang="en-GB"'))
    elif not LANGUAGE_TAG.match(lang.strip()):
        problems.append(Problem("html-language", page.where(page.root), f"lang={lang!r} is not a language tag"))
    return RuleResult("html-language", "the page's language is set", f"lang={lang!r}", problems)


def check_title(page: HtmlDocument) -> RuleResult:
    """A title names the page in tabs, bookmarks and search results (WCAG 2.4.2)."""
    titles = page.root.findall(".//title")
    text = " ".join(titles[0].text_content().split()) if titles else ""
    problems = [] if text else [Problem("html-title", page.path.name, "no <title>: name the page (the pack's title)")]
    return RuleResult("html-title", "the page has a title", repr(text) if text else "no title", problems)


def check_headings(page: HtmlDocument) -> RuleResult:
    """One ``<h1>``, then headings that go down one level at a time, none empty (WCAG 1.3.1, 2.4.6)."""
    headings = [h for h in page.root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    problems = []
    ones = [h for h in headings if h.tag == "h1"]
    if len(ones) != 1:
        problems.append(Problem("html-headings", page.path.name, f"{len(ones)} <h1> elements: a page has exactly one"))
    level = 0
    for heading in headings:
        this = int(heading.tag[1])
        if not " ".join(heading.text_content().split()):
            problems.append(Problem("html-headings", page.where(heading), "an empty heading"))
        if this > level + 1:
            problems.append(
                Problem(
                    "html-headings",
                    page.where(heading),
                    f"<{heading.tag}> follows <h{level}>"
                    if level
                    else f"the first heading is <{heading.tag}>, not <h1>",
                )
            )
        level = this
    return RuleResult("html-headings", "one h1, headings in order", counted(len(headings), "heading"), problems)


def check_alt_text(page: HtmlDocument) -> RuleResult:
    """Every image has alt text that says what it shows, not its file name (WCAG 1.1.1)."""
    images = list(page.root.iter("img"))
    problems = []
    for image in images:
        alt = image.get("alt")
        decorative = image.get("role") in ("presentation", "none")
        if alt is None:
            problems.append(Problem("html-alt-text", page.where(image), "an image with no alt attribute"))
        elif not alt.strip() and not decorative:
            problems.append(Problem("html-alt-text", page.where(image), "an image with empty alt text"))
        elif FILE_NAME_ALT.search(alt.strip()):
            problems.append(Problem("html-alt-text", page.where(image), f"alt text {alt!r} is a file name"))
    return RuleResult("html-alt-text", "images have alt text", counted(len(images), "image"), problems)


def check_tables(page: HtmlDocument) -> RuleResult:
    """Tables have a caption and header cells whose scope says what they head (WCAG 1.3.1)."""
    tables = list(page.root.iter("table"))
    problems = []
    for table in tables:
        caption = table.find("caption")
        if caption is None or not caption.text_content().strip():
            problems.append(Problem("html-tables", page.where(table), "a table with no <caption>"))
        headers = list(table.iter("th"))
        if not headers:
            problems.append(Problem("html-tables", page.where(table), "a table with no header cells (<th>)"))
        unscoped = [th for th in headers if th.get("scope") not in HEADER_SCOPES and not th.get("id")]
        if unscoped:
            problems.append(
                Problem(
                    "html-tables",
                    page.where(table),
                    f'{counted(len(unscoped), "header cell")} without scope="col" or "row", '
                    f"first {' '.join(unscoped[0].text_content().split())!r}",
                )
            )
    return RuleResult("html-tables", "tables have captions and scoped headers", counted(len(tables), "table"), problems)


def check_links(page: HtmlDocument) -> RuleResult:
    """Links say where they go, and links within the page lead to something (WCAG 2.4.4)."""
    links = [a for a in page.root.iter("a") if a.get("href") is not None]
    ids = {element.get("id") for element in page.root.iter() if element.get("id")}
    problems = []
    for link in links:
        href = link.get("href", "")
        message = link_problem(" ".join(link.text_content().split()), href)
        if message is None and href.startswith("#") and len(href) > 1 and href[1:] not in ids:
            message = f"the link to {href} leads nowhere: no element has id {href[1:]!r}"
        if message is not None:
            problems.append(Problem("html-links", page.where(link), message))
    return RuleResult("html-links", "links say where they go and lead somewhere", counted(len(links), "link"), problems)


def check_self_contained(page: HtmlDocument) -> RuleResult:
    """Nothing is fetched from elsewhere: the page works offline and tells no other server it was read."""
    fetched = [
        (element, value)
        for element in page.root.iter("img", "script", "link", "iframe", "source", "video", "audio", "object", "embed")
        for value in (element.get("src"), element.get("href") if element.tag == "link" else None, element.get("data"))
        if value and not value.startswith("data:")
    ]
    fetched += [
        (style, url)
        for style in page.root.iter("style")
        for url in re.findall(r"url\(([^)]*)\)", style.text_content())
        if "data:" not in url
    ]
    problems = [Problem("html-self-contained", page.where(e), f"fetches {value[:80]!r}") for e, value in fetched]
    return RuleResult(
        "html-self-contained", "nothing is fetched from elsewhere", counted(len(fetched), "request"), problems
    )


def check_contrast(page: HtmlDocument) -> RuleResult:
    """Text colours in the page's style sheet reach 4.5:1 against their background (WCAG 1.4.3).

    Each rule that sets a text colour is paired with the background it sets, or else the
    page's; a rule that sets only a background is paired with the page's text colour.
    Custom properties (``var(--text)``) are resolved from ``:root``.
    """
    rules = list(_css_rules(page.styles))
    variables = {
        k: v
        for selector, decls in rules
        if selector in (":root", "html")
        for k, v in decls.items()
        if k.startswith("--")
    }
    page_background, page_text = WHITE, "#0b0c0c"
    for selector, decls in rules:
        if selector in ("html", "body"):
            page_background = _colour(_background(decls), variables) or page_background
            page_text = _colour(decls.get("color"), variables) or page_text
    problems, pairs = [], 0
    for selector, decls in rules:
        text = _colour(decls.get("color"), variables)
        background = _colour(_background(decls), variables)
        if text is None and background is None:
            continue
        text, background = text or page_text, background or page_background
        pairs += 1
        ratio = contrast_ratio(text, background)
        if ratio < TEXT_MIN_CONTRAST:
            problems.append(
                Problem(
                    "html-contrast",
                    f"{page.path.name} CSS {selector!r}",
                    f"text {text} on {background} has contrast {ratio:.2f}:1, under {TEXT_MIN_CONTRAST:g}:1",
                )
            )
    return RuleResult("html-contrast", "text colours reach 4.5:1", counted(pairs, "colour pair"), problems)


RULES: tuple[tuple[str, Callable[[HtmlDocument], RuleResult]], ...] = (
    ("html-language", check_language),
    ("html-title", check_title),
    ("html-headings", check_headings),
    ("html-alt-text", check_alt_text),
    ("html-tables", check_tables),
    ("html-links", check_links),
    ("html-self-contained", check_self_contained),
    ("html-contrast", check_contrast),
)
"""The HTML rules in report order, by the name their problems carry."""


def _css_rules(styles: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    """(selector, {property: value}) for every style rule, those inside @media included."""
    import tinycss2

    def walk(nodes: list[Any]) -> Iterator[tuple[str, dict[str, str]]]:
        for node in nodes:
            if node.type == "qualified-rule":
                selector = tinycss2.serialize(node.prelude).strip()
                declarations = tinycss2.parse_declaration_list(node.content, skip_whitespace=True, skip_comments=True)
                values = {
                    d.lower_name: tinycss2.serialize(d.value).strip() for d in declarations if d.type == "declaration"
                }
                for single in selector.split(","):
                    yield " ".join(single.split()), values
            elif node.type == "at-rule" and node.content is not None and node.lower_at_keyword in ("media", "supports"):
                yield from walk(tinycss2.parse_rule_list(node.content, skip_whitespace=True, skip_comments=True))

    for style in styles:
        yield from walk(tinycss2.parse_stylesheet(style, skip_whitespace=True, skip_comments=True))


def _background(decls: dict[str, str]) -> str | None:
    return decls.get("background-color") or decls.get("background")


def _colour(value: str | None, variables: dict[str, str]) -> str | None:
    """A declared value as a hex colour, resolving var(); None when it is not one solid colour."""
    import tinycss2
    from tinycss2.color3 import parse_color

    if value is None:
        return None
    for _ in range(5):  # var() may point at another var()
        found = re.search(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^)]*))?\)", value)
        if found is None:
            break
        value = value.replace(found.group(0), variables.get(found.group(1), found.group(2) or ""))
    for token in tinycss2.parse_component_value_list(value, skip_comments=True):
        if token.type == "whitespace":
            continue
        if token.type == "ident" and token.lower_value in NOT_A_COLOUR:
            return None
        colour = parse_color(token)
        if colour is not None and not isinstance(colour, str) and colour.alpha == 1:
            return "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in colour[:3]))
    return None
