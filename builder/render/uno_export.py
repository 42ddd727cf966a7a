"""Drive a running LibreOffice over UNO: load each .docx, make its contents true, export a tagged PDF.

Why a separate script: the UNO bridge (``import uno``) lives in the Python that LibreOffice
was built against (on Debian the system ``/usr/bin/python3`` with ``python3-uno``), not in
the project's virtualenv. ``builder.render.pdf`` starts LibreOffice and runs this file with
that Python, so it may use only the standard library and ``uno``; it must never import
``builder``.

Protocol (kept tiny so both sides stay simple):

* stdin: one JSON object ``{"connect": <UNO connection string>, "connect_timeout": <s>, "parent": <pid>,
  "jobs": [{"source": <.docx path>, "target": <.pdf path>, "title": <str|null>}, ...],
  "quit": <bool, default true: ask LibreOffice to quit when done; false keeps it for the next batch>}``.
* stdout: one JSON line per event: ``{"event": "connected"}``, then ``{"event": "done",
  "index": i, "contents": [[heading, pages], ...], "pages": n}`` per job (the contents
  entries as exported, pages as "10-11"), or ``{"event": "error", "index": i|null, "message": ...}``.
* exit status 0 when every job was exported, 1 otherwise. The parent owns the
  LibreOffice process, its profile and the deadline; this script never starts or kills it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import signal
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]
from com.sun.star.lang import Locale  # type: ignore[import-not-found]

#: Import filter per extension. Naming it makes LibreOffice refuse a damaged .docx cleanly
#: (loadComponentFromURL returns None); left to type detection, LibreOffice 7.4 dropped the
#: UNO bridge on a file of random bytes, and could open other junk as plain text.
IMPORT_FILTERS = {".docx": "MS Word 2007 XML", ".odt": "writer8", ".doc": "MS Word 97"}

#: How often the indexes are rebuilt. The first pass inserts the real entries, which can
#: move later headings to other pages; the second pass writes the page numbers of that layout.
INDEX_PASSES = 2


class UnreadableDocument(Exception):
    """The source could not be opened as a Writer document; its message is already user-ready."""


def emit(event: str, **fields: Any) -> None:
    """Tell the parent what happened, one JSON line, flushed so it can track progress."""
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def prop(name: str, value: Any) -> PropertyValue:
    """A ``PropertyValue``, the argument type of nearly every UNO call used here."""
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def connect(connection: str, timeout: float) -> Any:
    """Return the Desktop of the LibreOffice listening on ``connection``.

    LibreOffice takes a few seconds to open its pipe after start, so keep retrying until
    ``timeout``; the parent's own deadline kills us if even that is too long.
    """
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            context = resolver.resolve(connection)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def load(desktop: Any, path: str) -> Any:
    """Open ``path`` hidden, with macros and link updates off, as a Writer document."""
    args = [prop("Hidden", True), prop("MacroExecutionMode", 0), prop("UpdateDocMode", 0)]
    suffix = path[path.rfind(".") :].lower() if "." in path else ""
    if suffix in IMPORT_FILTERS:
        args.append(prop("FilterName", IMPORT_FILTERS[suffix]))
    try:
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, tuple(args))
    except Exception as error:  # IOException / IllegalArgumentException for damaged files
        raise UnreadableDocument(f"it is not a readable Word document ({describe(error)})") from error
    if document is None or not document.supportsService("com.sun.star.text.TextDocument"):
        if document is not None:
            document.close(True)
        raise UnreadableDocument("it is not a readable Word document")
    return document


def carry_language(document: Any) -> None:
    """Make the document default language the one the Word styles give the body text.

    Writer writes the PDF's /Lang from the document *default* language. A .docx that sets
    the language on its Normal style rather than in ``w:docDefaults`` would otherwise come
    out in LibreOffice's UI language (en-US), which screen readers then use to pronounce it.
    """
    styles = document.getStyleFamilies().getByName("ParagraphStyles")
    if not styles.hasByName("Standard"):
        return
    wanted = styles.getByName("Standard").getPropertyValue("CharLocale")
    if not wanted.Language or wanted.Language == "zxx":
        return
    defaults = document.createInstance("com.sun.star.text.Defaults")
    current = defaults.getPropertyValue("CharLocale")
    if (current.Language, current.Country) != (wanted.Language, wanted.Country):
        defaults.setPropertyValue("CharLocale", Locale(wanted.Language, wanted.Country, wanted.Variant))


def refresh(document: Any) -> None:
    """Bring fields and indexes up to date so the contents show true page numbers."""
    indexes = document.getDocumentIndexes()
    for _ in range(INDEX_PASSES):
        document.getTextFields().refresh()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
    document.getTextFields().refresh()


def page_count(document: Any) -> int:
    """Pages in the laid-out document (the view cursor works on a hidden document too)."""
    cursor = document.getCurrentController().getViewCursor()
    cursor.jumpToLastPage()
    return int(cursor.getPage())


def contents_with_ranges(document: Any) -> list[list[str]]:
    """Turn the contents' page numbers into page ranges, as the 2018 pack prints them ("10-11").

    Every level-1 section starts a page, so a section runs from its page to the page
    before the next one (the last to the last page). Contents with deeper levels keep
    LibreOffice's single pages. The entries are rewritten in the
    document, so the PDF shows the ranges, and returned, so the .docx can show the same.
    """
    indexes = document.getDocumentIndexes()
    contents = next(
        (
            indexes.getByIndex(i)
            for i in range(indexes.getCount())
            if indexes.getByIndex(i).supportsService("com.sun.star.text.ContentIndex")
        ),
        None,
    )
    if contents is None:
        return []
    paragraphs = []
    enumeration = contents.getAnchor().getText().createTextCursorByRange(contents.getAnchor()).createEnumeration()
    while enumeration.hasMoreElements():
        paragraph = enumeration.nextElement()
        if paragraph.supportsService("com.sun.star.text.Paragraph") and "\t" in paragraph.getString():
            paragraphs.append(paragraph)
    if any(paragraph.ParaStyleName != "Contents 1" for paragraph in paragraphs):
        return [list(paragraph.getString().rpartition("\t")[::2]) for paragraph in paragraphs]  # not one level
    starts = []
    for paragraph in paragraphs:
        number = paragraph.getString().rpartition("\t")[2].strip()
        starts.append(int(number) if number.isdigit() else None)
    last_page = page_count(document)
    contents.IsProtected = False
    entries = []
    for i, paragraph in enumerate(paragraphs):
        heading, _, number = paragraph.getString().rpartition("\t")
        start = starts[i]
        if start is None:
            entries.append([heading, number])
            continue
        following = next((s for s in starts[i + 1 :] if s is not None), last_page + 1)
        end = max(start, following - 1)
        pages = str(start) if end == start else f"{start}-{end}"
        if pages != number:
            cursor = paragraph.getText().createTextCursorByRange(paragraph.getEnd())
            cursor.goLeft(len(number), True)
            cursor.setString(pages)
        entries.append([heading, pages])
    contents.IsProtected = True
    return entries


def pdf_filter_data() -> tuple[PropertyValue, ...]:
    """The ``writer_pdf_Export`` options, each checked against a real export with pikepdf.

    Tagged + PDF/UA give the structure tree, /MarkInfo and the PDF/UA identifier; the
    bookmarks come from the headings; the viewer shows the title, not the file name, and
    opens with the bookmarks pane. Lossless images at full resolution keep chart lines and
    labels crisp. Blank pages LibreOffice inserts for odd/even-page section breaks are left
    out (``IsSkipEmptyPages``), because they carry no header or footer and so no marking.
    """
    options = {
        "UseTaggedPDF": True,
        "PDFUACompliance": True,
        "ExportBookmarks": True,
        "OpenBookmarkLevels": -1,
        "ExportBookmarksToPDFDestination": False,
        "DisplayPDFDocumentTitle": True,
        "InitialView": 1,
        "UseLosslessCompression": True,
        "ReduceImageResolution": False,
        "ExportFormFields": False,
        "ExportNotes": False,
        "IsSkipEmptyPages": True,
    }
    return tuple(prop(name, value) for name, value in options.items())


def export(document: Any, target: str) -> None:
    """Store ``document`` as PDF at ``target``.

    FilterData must travel as a typed ``[]PropertyValue`` Any: passed as a plain tuple it
    arrives as ``[]any`` and the PDF filter silently ignores every option.
    """
    filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", pdf_filter_data())
    args = (prop("FilterName", "writer_pdf_Export"), prop("FilterData", filter_data), prop("Overwrite", True))
    uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target), args))


def convert(desktop: Any, job: dict[str, Any]) -> dict[str, Any]:
    """One document: load, fix language and title, update twice, page ranges, export, close.

    Returns what the .docx needs to show the same contents: the entries and the page count.
    """
    document = load(desktop, job["source"])
    try:
        carry_language(document)
        if job.get("title"):
            document.getDocumentProperties().Title = job["title"]
        refresh(document)
        contents = contents_with_ranges(document)
        export(document, job["target"])
        return {"contents": contents, "pages": page_count(document)}
    finally:
        document.close(True)


def describe(error: BaseException) -> str:
    """A one-line reason from a UNO or Python exception (UNO ones carry ``Message``)."""
    if isinstance(error, UnreadableDocument):
        return str(error)
    message = getattr(error, "Message", "") or str(error)
    return f"{type(error).__name__}: {message}".strip().splitlines()[0] if message else type(error).__name__


def die_with_parent(parent: Any) -> None:
    """Ask the kernel to kill this script when the build that started it dies (Linux), as ``builder.lifetime`` does."""
    if not sys.platform.startswith("linux") or not isinstance(parent, int):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:
            sys.exit(1)


def main() -> int:
    """Read the request, convert every job in order, report each one."""
    request = json.load(sys.stdin)
    die_with_parent(request.get("parent"))
    try:
        desktop = connect(request["connect"], float(request.get("connect_timeout", 60)))
    except Exception as error:  # reported to the parent, which raises ConversionError
        emit("error", index=None, message=f"could not connect to LibreOffice ({describe(error)})")
        return 1
    emit("connected")
    try:
        for index, job in enumerate(request["jobs"]):
            try:
                layout = convert(desktop, job)
            except Exception as error:  # any UNO failure becomes one line for the user
                emit("error", index=index, message=describe(error))
                return 1
            emit("done", index=index, **layout)
        return 0
    finally:
        if request.get("quit", True):
            quit_office(desktop)


def quit_office(desktop: Any) -> None:
    """Ask LibreOffice to quit, so the parent rarely has to kill it; the bridge dies with it."""
    with contextlib.suppress(Exception):
        desktop.terminate()


if __name__ == "__main__":
    sys.exit(main())
