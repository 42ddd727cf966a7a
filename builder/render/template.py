"""Open the Word template and fill its placeholders in the sandbox, with errors that name the placeholder.

A template is a file anyone can edit in Word, and docxtpl runs its ``{{ … }}`` and
``{% … %}`` as Jinja: rendered the way docxtpl does by default, a template could reach
Python's internals (``{{ cover.__class__.__init__.__globals__ }}``). So the template is
rendered in the same bounded sandbox as the narrative (``narrative.sandbox``), with
strict undefined names: a misspelt ``{{ cover.titel }}`` stops the build with the
template, where the placeholder is (body, header, footer) and the name it probably
meant, instead of printing a blank on the cover. ``perfpack check`` fills the template
the same way, so it finds these before a build.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from pathlib import Path
from typing import Any

from docx.oxml.ns import nsmap, qn
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from lxml import etree
from lxml.etree import _Element
from markupsafe import Markup

from builder.errors import ConfigError
from builder.narrative.notation import python_notation
from builder.narrative.placeholders import runtime_problem, template_environment, unsafe_attribute, why_unsafe
from builder.narrative.sandbox import time_budget

# Importing docxtpl imports docxcompose, which rebinds python-docx's ``cp`` prefix from the
# core-properties namespace to the custom-properties one; python-docx's core properties
# (keywords, version, status) would then be written and read where no other program looks.
# perfpack uses no docxcompose feature, so python-docx's own meaning is put back.
nsmap["cp"] = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"

BODY_MARK = "perfpack:body"
"""The text of the paragraph the template's ``{{p body }}`` becomes, which the body replaces."""
TIME_BUDGET = 10.0
"""Seconds filling a template may take: a handful of placeholders take milliseconds."""
MAX_XML_BYTES = 50_000_000
"""Uncompressed size the template's Word parts may have: a template with a logo is far below."""
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_XML_TAG = re.compile(r"<[^>]+>")
_NAME_IN_MESSAGE = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'|no element '?([^']+?)'?$")
_P = qn("w:p")
_T = qn("w:t")


def open_template(path: Path) -> DocxTemplate:
    """The template, checked to be a Word document of a sane size before docxtpl reads it."""
    advice = "save it from Word as a .docx (Word Document), or remove the template: key to use the bundled one"
    try:
        with zipfile.ZipFile(path) as archive:
            names = {info.filename: info.file_size for info in archive.infolist()}
    except (OSError, zipfile.BadZipFile) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "not a Word document"
        raise ConfigError(f"{path}: the template cannot be read ({reason}); {advice}") from None
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise ConfigError(f"{path}: the template is not a Word document (.docx); {advice}")
    if sum(size for name, size in names.items() if name.endswith(".xml")) > MAX_XML_BYTES:
        raise ConfigError(f"{path}: the template's text is over {MAX_XML_BYTES // 1_000_000} MB unpacked; {advice}")
    template = DocxTemplate(str(path))
    try:
        template.init_docx()
    except Exception as error:  # python-docx refuses a .dotx, a .docm or a damaged package in several ways
        raise ConfigError(f"{path}: {_not_a_document(error)}; {advice}") from None
    _check_delimiters(path)
    return template


_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_DELIMITER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_CLOSES = {"{{": "}}", "{%": "%}", "{#": "#}"}
_IN_TAG = re.compile(r"\"[^\"]*\"|'[^']*'|\{\{|\}\}|\{%|%\}|\{#|#\}")
"""Inside a tag: a quoted string (skipped) or a delimiter."""
_RAW_BLOCK = re.compile(r"\{%-?\s*raw\s*-?%\}")


def _check_delimiters(path: Path) -> None:
    """Every '{{', '{%' and '{#' closed in its own paragraph, before docxtpl reads the text.

    docxtpl joins a tag's pieces across Word's runs by looking for the closing braces; a tag
    left open (``{{ cover.title ``) would swallow the text up to the next tag's close and
    print nothing, silently losing a cover line.
    """
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
        for name in parts:
            root = etree.fromstring(archive.read(name), _XML_PARSER)
            for paragraph in root.iter(_P):
                text = "".join(t.text or "" for t in paragraph.iter(_T))
                problem = _unbalanced(text)
                if problem:
                    shown = text if len(text) <= 60 else text[:57] + "..."
                    raise ConfigError(
                        f"{path}: {_where(name)}: in the paragraph '{shown}', {problem}; "
                        "fix the placeholder in Word (placeholders look like {{ cover.title }})"
                    )


def _unbalanced(text: str) -> str | None:
    """What is wrong with a paragraph's tag delimiters, or None.

    Inside a comment (``{# … #}``) anything goes; inside ``{{ }}`` and ``{% %}`` quoted
    text is skipped (``{{ "}}" }}``); a paragraph with a ``{% raw %}`` block is left alone.
    """
    if _RAW_BLOCK.search(text):
        return None
    opened: str | None = None
    position = 0
    while True:
        found = (_IN_TAG if opened in ("{{", "{%") else _DELIMITER).search(text, position)
        if found is None:
            return f"'{opened}' is not closed with '{_CLOSES[opened]}'" if opened else None
        mark, position = found.group(0), found.end()
        if mark[0] in "'\"":
            continue  # a string inside a tag, skipped whole
        if opened is None:
            if mark not in _CLOSES:
                return f"'{mark}' closes a placeholder that was not opened"
            opened = mark
        elif mark == _CLOSES[opened]:
            opened = None
        elif opened != "{#" and mark in _CLOSES:
            return f"'{opened}' is not closed with '{_CLOSES[opened]}' before the next '{mark}'"


def _not_a_document(error: Exception) -> str:
    """Why python-docx would not open a file, in Word's words."""
    kind = re.search(r"content type is '([^']+)'", str(error))
    if kind and "template" in kind.group(1):
        return "the template is a Word template (.dotx), not a Word document"
    if kind and "macroEnabled" in kind.group(1):
        return "the template is a macro-enabled document (.docm), not a Word document"
    if kind:
        return f"the template is not a Word document (it is {kind.group(1).rsplit('.', 1)[-1]})"
    return "the template is not a Word document, or is damaged"


def fill_template(path: Path, context: dict[str, Any]) -> DocxTemplate:
    """The template with its placeholders filled and ``{{p body }}`` marked for the body writer.

    ConfigError naming the template, the part and the placeholder on any problem.
    """
    template = open_template(path)
    mark = Markup(f"<w:p><w:r><w:t>{BODY_MARK}</w:t></w:r></w:p>")
    try:
        with time_budget(TIME_BUDGET):
            template.render({**context, "body": mark}, jinja_env=template_environment())
    except Exception as error:  # whatever the template's text does wrong is the author's to fix
        raise ConfigError(_describe(path, template, error, context)) from None
    _check_printed(path, template)
    return template


def _check_printed(path: Path, template: DocxTemplate) -> None:
    """No paragraph of the filled template shows Python's notation (``{{ cover }}`` prints every field)."""
    document = template.docx.part
    related = [r.target_part for r in document.rels.values() if not r.is_external]
    for part in [document, *(p for p in related if "header" in str(p.partname) or "footer" in str(p.partname))]:
        for paragraph in part.element.iter(_P):
            found = python_notation("".join(t.text or "" for t in paragraph.iter(_T)))
            if found is not None:
                raise ConfigError(
                    f"{path}: {_where(str(part.partname))}: a placeholder prints Python's notation ('{found[0]}…'): "
                    "it gives a group of names, not one value; name one, for example {{ cover.title }}"
                )


def check_template(path: Path, context: dict[str, Any]) -> None:
    """Fill the template as a build would, for ``perfpack check``, and check it has its body paragraph."""
    body_anchor(fill_template(path, context).docx, path)


def body_anchor(document: Any, template: Path) -> _Element:
    """The paragraph that stands where the body goes (the rendered ``{{p body }}``)."""
    for p in document.element.body.iterchildren(_P):
        if [t.text for t in p.iter(_T)] == [BODY_MARK]:
            return p
    raise ConfigError(
        f"{template}: the template has no paragraph holding just {{{{p body }}}}, where the pack's "
        f"body goes; add one after the contents (as in the bundled template)"
    )


def _describe(path: Path, template: DocxTemplate, error: Exception, context: dict[str, Any]) -> str:
    """'<template>: the cover and body: {{ cover.titel }}: unknown name 'titel' (did you mean 'title'?); …'."""
    part = getattr(template, "current_rendering_part", None)
    where = _part_name(part)
    if isinstance(error, TemplateSyntaxError):
        paragraph = _paragraph_at(template, part, error.lineno)
        near = f" in the paragraph '{paragraph}'" if paragraph else ""
        return (
            f"{path}: {where}: placeholder syntax error{near}: {error.message}; "
            "placeholders look like {{ cover.title }}; correct it in Word"
        )
    if isinstance(error, UndefinedError) and not isinstance(error, SecurityError):
        name = _name_from(str(error))
        tag = _tag_with(template, name)
        known = _known_names(context)
        close = difflib.get_close_matches(name, sorted(known - {name}), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return (
            f"{path}: {where}: {tag or name}: unknown name '{name}'{hint}; correct the placeholder in Word "
            f"(the names are {', '.join(sorted(_top_names(context)))})"
        )
    if isinstance(error, SecurityError):
        named = re.search(r"attribute '([^']+)'", str(error))
        tag = _tag_with(template, named.group(1)) if named else None
        attribute = unsafe_attribute(error, tag or "")
        return (
            f"{path}: {where}: {tag or 'a placeholder'}: not allowed in a template: {why_unsafe(attribute)}; "
            f"use only the names ({', '.join(sorted(_top_names(context)))})"
        )
    return f"{path}: {where}: {runtime_problem(error)}"


def _part_name(part: Any) -> str:
    """Where in the document a part is, as a Word user sees it."""
    return _where(str(getattr(part, "partname", "") or ""))


def _where(name: str) -> str:
    """A part's name in the package ('word/header1.xml') as a Word user knows the place."""
    if "header" in name:
        return "a page header"
    if "footer" in name:
        return "a page footer"
    if "footnotes" in name:
        return "the footnotes"
    if name.endswith("document.xml"):
        return "the cover and body"
    return "the document properties"


def _part_xml(template: DocxTemplate, part: Any) -> str:
    """A part's XML as docxtpl hands it to Jinja: runs joined, one paragraph per line."""
    try:
        xml = template.get_xml() if part is template.docx._part else template.get_part_xml(part)
        xml = template.patch_xml(xml if isinstance(xml, str) else xml.decode("utf-8"))
    except Exception:  # a part docxtpl could not patch: no paragraph to quote
        return ""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def _paragraph_at(template: DocxTemplate, part: Any, line: int | None) -> str:
    """The text of the paragraph on a line of a part's XML, shortened, for a syntax error."""
    if part is None or not line:
        return ""
    lines = _part_xml(template, part).splitlines()
    text = _XML_TAG.sub("", lines[line - 1]).strip() if 0 < line <= len(lines) else ""
    return text[:80]


def _tag_with(template: DocxTemplate, name: str) -> str | None:
    """The first ``{{ … }}`` or ``{% … %}`` of the template that mentions ``name``."""
    parts = [
        template.docx._part,
        *(rel.target_part for rel in template.docx._part.rels.values() if not rel.is_external),
    ]
    for part in parts:
        if not str(getattr(part, "partname", "")).endswith(".xml"):
            continue
        for tag in _TAG.findall(_part_xml(template, part)):
            if re.search(rf"\b{re.escape(name)}\b", tag):
                return _XML_TAG.sub("", tag)
    return None


def _name_from(message: str) -> str:
    match = _NAME_IN_MESSAGE.search(message)
    return next((g for g in match.groups() if g), message) if match else message


def _top_names(context: dict[str, Any]) -> set[str]:
    return {name for name in context if name != "body"}


def _known_names(context: dict[str, Any]) -> set[str]:
    """Every name a template may use: the context's keys and, one level down, the cover's."""
    names = _top_names(context)
    for value in context.values():
        if isinstance(value, dict):
            names |= {str(key) for key in value}
    return names
