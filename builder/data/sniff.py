"""Look at a file's bytes before reading it: its fingerprint, what it really is, its encoding.

Files arrive misnamed (an Excel workbook called ``.csv``, an HTML error page saved from
a browser, a JSON API response) and in the encodings Windows tools write. Deciding by
content, in one streaming pass that also computes the SHA-256 for the manifest, gives a
precise message instead of a parser's stack of confusion, and costs one read of the file.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHUNK = 1 << 20
HEAD = 64 * 1024
ENCODINGS = ("auto", "utf-8", "cp1252", "utf-16")
MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"PAR1", "parquet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
    (b"%PDF", "pdf"),
    (b"\x1f\x8b", "gzip"),
)
NOT_TABLES = {
    "xls": "an old Excel 97-2003 workbook (.xls); save it as .xlsx or CSV",
    "pdf": "a PDF document, not a table; export the data as CSV or Excel",
    "gzip": "a compressed (.gz) file; unpack it first",
    "zip": "a zip archive, not an Excel workbook; unpack it first",
    "binary": "not a table (binary data); export the data as CSV, Excel or Parquet",
    "html": "an HTML or XML page, not a table (a saved web page or a download error?); download the data file itself",
    "json": "JSON, not a table; export the data as CSV, Excel or Parquet",
    "empty": "the file is empty; export the data again",
}


@dataclass(frozen=True)
class Sniff:
    """What a file is: ``kind`` is 'text', 'xlsx', 'parquet' or a key of NOT_TABLES."""

    path: Path
    sha256: str
    size: int
    kind: str
    encoding: str | None = None
    head: str = ""
    problem: str = ""
    problem_row: int | None = None
    """The line the problem is on, when it is on one."""


@dataclass
class _Utf8Scan:
    """Whether a file is UTF-8, read chunk by chunk: where the first byte that is not is, and
    whether the rest of the file has UTF-8 characters beyond ASCII (so it is UTF-8 text with a
    few bad bytes, not Windows text)."""

    decoder: codecs.IncrementalDecoder = field(default_factory=lambda: codecs.getincrementaldecoder("utf-8")())
    error: str | None = None
    byte: int = 0
    line: int = 0
    newlines: int = 0
    wide: bool = False
    """A valid UTF-8 character beyond ASCII was seen (é, £, ’)."""

    def feed(self, chunk: bytes, offset: int) -> None:
        if self.error is not None:
            self.wide = self.wide or (not chunk.isascii() and not chunk.decode("utf-8", "ignore").isascii())
            return
        try:
            self.decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            decoded = exc.object
            pending = len(decoded) - len(chunk)
            self.byte = decoded[exc.start]
            self.line = self.newlines + decoded[: exc.start].count(b"\n") + 1
            self.error = f"byte 0x{self.byte:02x} at offset {offset - pending + exc.start}"
            before, after = decoded[: exc.start], decoded[exc.end :]
            self.wide = not before.isascii() or not after.decode("utf-8", "ignore").isascii()
            return
        self.newlines += chunk.count(b"\n")
        self.wide = self.wide or not chunk.isascii()

    def finish(self) -> None:
        if self.error is None:
            try:
                self.decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.error, self.line = "a character cut off at the end of the file", self.newlines + 1


_DIGESTS: dict[tuple[str, int, int, int, int], tuple[str, int]] = {}
"""Digests already computed in this process, by file version (see ``sha256_of``)."""


def sha256_of(path: Path) -> tuple[str, int]:
    """The SHA-256 and size of a file, read in chunks so memory stays flat.

    Remembered per version of the file (inode, size, modification and change times, any
    of which a write or a replacement changes), so ``watch`` and ``preview``, which
    rebuild on every save, hash a large extract once rather than on each save.
    """
    stat = path.stat()
    version = (str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    if version in _DIGESTS:
        return _DIGESTS[version]
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    if len(_DIGESTS) > 1024:
        _DIGESTS.clear()
    _DIGESTS[version] = (digest.hexdigest(), size)
    return _DIGESTS[version]


def sniff(path: Path, encoding: str = "auto") -> Sniff:
    """Fingerprint ``path`` and decide what it holds, checking text decodes as declared or detected."""
    digest, size, first = hashlib.sha256(), 0, b""
    utf8 = _Utf8Scan()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            if not first:
                first = chunk
            digest.update(chunk)
            utf8.feed(chunk, size)
            size += len(chunk)
        utf8.finish()
    fingerprint: dict[str, Any] = {"path": path, "sha256": digest.hexdigest(), "size": size}
    kind = _binary_kind(first)
    if kind is not None:
        return Sniff(kind=kind, **fingerprint)
    return _text(first, encoding, utf8, fingerprint)


def _binary_kind(first: bytes) -> str | None:
    """Container formats by magic number; 'binary' for other non-text; None for text."""
    if not first.strip():
        return "empty"
    for magic, kind in MAGIC:
        if first.startswith(magic):
            return "xlsx" if kind == "zip" and b"xl/" in first[:HEAD] else kind
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    return "binary" if b"\x00" in first[:HEAD] else None


def _text(first: bytes, declared: str, utf8: _Utf8Scan, fingerprint: dict) -> Sniff:
    """Choose the encoding of a text file and classify what its first characters say.

    A file that is not UTF-8 is read as Windows cp1252 only when nothing in it is UTF-8
    beyond ASCII: a UTF-8 file with a few bad bytes would otherwise have every é and £ in
    it turned into two wrong characters, without a word.
    """
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif declared not in ("auto", "utf-8"):
        encoding = declared
    elif utf8.error is None:
        encoding = "utf-8"
    elif declared == "utf-8":
        return Sniff(
            kind="text",
            problem=f"not UTF-8 text ({utf8.error}), but the config says "
            "encoding: utf-8; save the file as UTF-8 or set data.encoding",
            problem_row=utf8.line,
            **fingerprint,
        )
    elif utf8.wide:
        return Sniff(
            kind="text",
            problem=f"{utf8.error} is not UTF-8, though the rest of the file is UTF-8 text; correct that "
            "character (or save the whole file as UTF-8), or set data.encoding: cp1252 if the file is Windows text",
            problem_row=utf8.line,
            **fingerprint,
        )
    else:
        encoding = "cp1252"
    try:
        head = first[:HEAD].decode(encoding, errors="strict" if encoding != "utf-16" else "ignore")
    except UnicodeDecodeError as exc:
        cut = len(first[:HEAD]) - exc.start < 4 and encoding == "utf-8"
        if not cut:
            return Sniff(
                kind="text",
                encoding=encoding,
                problem=f"not {encoding} text (byte 0x"
                f"{exc.object[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
                problem_row=first[: exc.start].count(b"\n") + 1,
                **fingerprint,
            )
        head = first[: exc.start].decode(encoding)
    head = head.lstrip("\ufeff")
    start = head.lstrip()[:1]
    kind = "html" if start == "<" else "json" if start in ("{", "[") else "text"
    return Sniff(kind=kind, encoding=encoding, head=head, **fingerprint)
