"""Turning report files into text: :func:`read_file` and :class:`ReaderError`.

The reader is chosen by the file's content first (a PDF, a ZIP, an OLE2 document or RTF has
magic bytes; HTML starts with a tag) and by its extension second, so a ``.txt`` that is really
HTML or a PDF is still read right:

=================  ==============================================================
``.txt .md`` etc.  :mod:`gxml.readers.text` (guesses UTF-8/UTF-16/GB18030/Big5)
``.html .htm``     :mod:`gxml.readers.html` (tables flattened to ``a | b | c`` rows)
``.docx``          :mod:`gxml.readers.docx` (paragraphs and tables in order)
``.doc``           :mod:`gxml.readers.doc` (Word 97-2003: the same, from the binary format)
``.pdf``           :mod:`gxml.readers.pdf` (the text layer, page by page)
=================  ==============================================================

Tables become one line per row with cells joined by ``" | "`` (a row's empty cells after its
last value kept, with a closing ``|``: where its values stand is told from the row's end). A
cell spanning several rows or columns is printed once, at its top-left position, and the
positions it covers are left blank:
this keeps the columns aligned without repeating a row label (``三、本年度办理结果``) on every
row it spans, or a number on every column it spans, which a reader (or the segmenter, which
skips blank cells) would otherwise count twice.
"""
from __future__ import annotations

import os
import re
import zipfile
from typing import List, Optional, Sequence, Tuple, Union

from ..values import looks_like_value

__all__ = ["ReaderError", "read_file", "sniff", "format_row", "span_grid"]

MAX_BYTES = 512 * 1024 * 1024  # larger files are not reports
TEXT_EXTS = frozenset(["", ".txt", ".md", ".text", ".csv", ".tsv", ".log"])
HTML_EXTS = frozenset([".html", ".htm", ".xhtml", ".shtml", ".mht", ".asp", ".aspx", ".jsp", ".php"])
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Word 97-2003 (.doc), .xls, .ppt
_MAGIC = (
    (b"{\\rtf", "RTF"), (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7z archive"),
    (b"\x1f\x8b", "a gzip archive"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
)
_HTML_START = re.compile(rb"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body|meta|title|table|div)\b",
                         re.I | re.S)
_ANY_TAG = re.compile(rb"<(?:html|body|table|tr|td|div|p|br|span|font)\b", re.I)

PathLike = Union[str, "os.PathLike[str]"]


class ReaderError(Exception):
    """A file that cannot be turned into report text; the message says why and what to do."""


def unsupported(path: PathLike, what: str) -> ReaderError:
    return ReaderError(f"{path}: {what} is not a supported format; save it as .docx, .pdf or .txt")


def missing_dependency(ext: str, package: str, extra: str) -> ReaderError:
    """The error for an optional library that is not installed."""
    return ReaderError(f"reading {ext} needs {package}: pip install 'gxml[{extra}]'")


def _without_bom(head: bytes) -> bytes:
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: look at the ASCII bytes only
        return head[2:].replace(b"\x00", b"")
    return head


def sniff(path: PathLike, head: bytes) -> str:
    """Which reader a file needs: "pdf", "docx", "doc", "html" or "text" (ReaderError if none)."""
    ext = os.path.splitext(str(path))[1].lower()
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError) as e:
            raise ReaderError(f"{path}: a damaged ZIP/.docx file ({e})") from None
        if "word/document.xml" in names:
            return "docx"
        kind = "an .xlsx workbook" if any(n.startswith("xl/") for n in names) else \
            "a .pptx presentation" if any(n.startswith("ppt/") for n in names) else f"a ZIP file ({ext or 'no extension'})"
        raise unsupported(path, kind)
    if head.startswith(OLE2):
        return "doc"  # the reader tells a Word document from a workbook or a presentation
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise unsupported(path, what)
    body = _without_bom(head)
    if _HTML_START.match(body) or (ext in HTML_EXTS and _ANY_TAG.search(body)):
        return "html"
    if ext in TEXT_EXTS or ext in HTML_EXTS or _is_text(head):
        return "text"  # plain-text extensions always; any other file whose bytes read as text
    if ext in (".pdf", ".docx"):
        raise ReaderError(f"{path}: not a valid {ext} file (damaged or mislabelled)")
    raise unsupported(path, f"a {ext} file" if ext else "a binary file")


def _is_text(head: bytes) -> bool:
    from .text import decode_bytes

    try:
        decode_bytes(head)
    except ReaderError:
        return False
    return True


def read_file(path: PathLike) -> str:
    """The text of a report file (.txt/.md/.html/.docx/.doc/.pdf, any common Chinese encoding).

    Raises :class:`ReaderError` (never another exception for a bad file) with a message that
    says what is wrong: missing file, unsupported format, no text layer, missing library.
    """
    p = os.fspath(path)
    if not os.path.exists(p):
        raise ReaderError(f"{p}: no such file")
    if os.path.isdir(p):
        raise ReaderError(f"{p}: is a directory, not a report file")
    try:
        size = os.path.getsize(p)
        if size > MAX_BYTES:
            raise ReaderError(f"{p}: {size / 2**20:.0f} MB is too large for a report (limit {MAX_BYTES // 2**20} MB)")
        with open(p, "rb") as fh:
            head = fh.read(8192)
        kind = sniff(p, head)
        if kind == "pdf":
            from .pdf import read_pdf as reader
        elif kind == "docx":
            from .docx import read_docx as reader
        elif kind == "doc":
            from .doc import read_doc as reader
        elif kind == "html":
            from .html import read_html as reader
        else:
            from .text import read_text as reader
        return reader(p)
    except ReaderError as e:
        msg = str(e)
        raise ReaderError(msg if msg.startswith(p) or msg.startswith("reading ") else f"{p}: {msg}") from None
    except (OSError, MemoryError) as e:
        raise ReaderError(f"{p}: cannot read: {e}") from None


def format_row(cells: Sequence[str]) -> str:
    """One table row as a line: cells joined by ``" | "``; trailing blank cells are dropped
    after text (the positions a header spans) but kept after a value (a row of values whose
    last cells are empty: where its values stand is told from the row's end)."""
    cells = [" ".join(c.split()) for c in cells]
    filled = [c for c in cells if c]
    if not filled or not looks_like_value(filled[-1]):
        while cells and not cells[-1]:
            cells.pop()
    # a closing '|' after a kept blank cell: a line's trailing spaces are no cell boundary
    return " | ".join(cells) + (" |" if cells and not cells[-1] else "")


Cell = Tuple[str, int, int]  # (text, rowspan, colspan)
MAX_SPAN = 200  # a colspan="65534" must not blow up memory


def span_grid(rows: Sequence[Sequence[Cell]]) -> List[List[str]]:
    """Lay out rows of ``(text, rowspan, colspan)`` cells on a grid.

    A spanning cell's text is put at its top-left position; the other positions it covers
    are ``""`` so that later cells land in the right column.
    """
    taken: set = set()
    width: dict = {}  # row -> number of grid columns covered
    grid: List[List[str]] = []
    n = len(rows)
    for r, row in enumerate(rows):
        out: List[str] = []
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            rs = n - r if rowspan <= 0 else min(rowspan, n - r, MAX_SPAN)
            cs = max(1, min(colspan, MAX_SPAN))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
                width[r + dr] = max(width.get(r + dr, 0), c + cs)
            out.extend([""] * (c - len(out)) + [text] + [""] * (cs - 1))
            c += cs
        out.extend([""] * (width.get(r, 0) - len(out)))
        grid.append(out)
    return grid


def to_int(value: Optional[str], default: int = 1) -> int:
    """An HTML/OOXML span attribute as an int (``"2"``, ``" 3 "``, junk -> default)."""
    m = re.match(r"\s*(\d{1,6})", value or "")
    return int(m.group(1)) if m else default
