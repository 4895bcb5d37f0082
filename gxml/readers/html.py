"""HTML reports (a saved web page, or Word's "save as web page").

The charset comes from a byte-order mark, then ``<meta charset>``/``http-equiv``, then guessing
(:func:`gxml.readers.text.decode_bytes`). Scripts, styles and comments are dropped; each block
element (``p``, ``div``, ``li``, ``h1``..., ``br``) gives its own line; each table without
nested tables becomes one line per ``<tr>`` with cells joined by ``" | "`` (spans laid out by
:func:`gxml.readers.span_grid`: a spanning cell is printed once, at its top-left position). A
table holding other tables is a layout table: its cells are just blocks. The tree is walked
with an explicit stack, so deeply nested markup cannot overflow Python's recursion limit; if
the parser fails anyway, a regex tag-stripper takes over.
"""
from __future__ import annotations

import html as _html
import re
from typing import List

from . import _HTML_START, ReaderError, format_row, missing_dependency, span_grid, to_int
from .text import decode_bytes

_META = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
DROP = frozenset(["script", "style", "noscript", "template", "head", "iframe", "object", "svg", "select"])
BLOCK = frozenset(["p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                   "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "section", "article",
                   "header", "footer", "nav", "aside", "main", "blockquote", "form", "fieldset", "hr",
                   "address", "figure", "figcaption", "center", "body", "html", "option"])


def declared_charset(data: bytes) -> str:
    """The charset a page declares in its first 4 KB (``""`` if none)."""
    m = _META.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else ""


def _soup(text: str):
    try:
        from bs4 import BeautifulSoup
    except ImportError:
        raise missing_dependency(".html", "beautifulsoup4", "html") from None
    try:
        import lxml  # noqa: F401

        return BeautifulSoup(text, "lxml")
    except ImportError:
        return BeautifulSoup(text, "html.parser")


def _is_text(node) -> bool:
    return getattr(node, "name", None) is None


def block_lines(root) -> List[str]:
    """Lines of text under ``root``: one per block element, tables flattened (no recursion)."""
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    skip = (Comment, Declaration, Doctype, ProcessingInstruction)
    lines: List[str] = []
    buf: List[str] = []

    def flush() -> None:
        text = " ".join("".join(buf).split())
        if text:
            lines.append(text)
        buf.clear()

    stack = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            flush()
            continue
        if _is_text(node):
            if not isinstance(node, skip):
                buf.append(str(node))
            continue
        name = node.name
        if name in DROP and node is not root:
            continue
        if name == "br":
            flush()
            continue
        if name == "pre":
            flush()
            lines.extend(line for line in node.get_text().splitlines() if line.strip())
            continue
        if name == "table" and node is not root and node.find("table") is None:
            flush()
            lines.extend(table_lines(node))
            continue
        if name in BLOCK:
            flush()
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    flush()
    return lines


def cell_text(cell) -> str:
    """The text of a table cell on one line (its own line breaks become spaces)."""
    return " ".join(block_lines(cell))


def table_lines(table) -> List[str]:
    """A table without nested tables as ``a | b | c`` lines, one per row."""
    out: List[str] = []
    caption = table.find("caption")
    if caption is not None:
        out.append(cell_text(caption))
    rows = []
    for tr in table.find_all("tr"):
        cells = tr.find_all(["td", "th"], recursive=False)
        rows.append([(cell_text(c), to_int(c.get("rowspan")), to_int(c.get("colspan"))) for c in cells])
    for cells in span_grid(rows):
        line = format_row(cells)
        if line.replace("|", "").strip():
            out.append(line)
    return [line for line in out if line]


_STRIP_BLOCKS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_CELL_END = re.compile(r"</t[dh]\s*>", re.I)
_LINE_END = re.compile(r"<br\b[^>]*>|</?(?:p|div|tr|li|h[1-6]|table|title|dt|dd|section|article)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def strip_tags(text: str) -> str:
    """Crude HTML to text with regular expressions: the fallback for pages the parser can't take."""
    text = _STRIP_BLOCKS.sub(" ", text)
    text = _CELL_END.sub(" | ", text)
    text = _LINE_END.sub("\n", text)
    text = _html.unescape(_TAG.sub("", text))
    lines = (" ".join(line.split()).strip(" |") for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def html_to_text(text: str) -> str:
    """Report text of an HTML document (see the module docstring)."""
    try:
        soup = _soup(text)
        return "\n".join(block_lines(soup))
    except ReaderError:
        raise
    except (RecursionError, MemoryError, ValueError, TypeError, AttributeError):
        return strip_tags(text)


# markup that only a page's source holds: block and table tags (or a page's start, as sniffed)
_BLOCK_TAG = re.compile(r"<(?:table|tr|td|th|p|div|br|li|h[1-6])\b[^>]*>", re.I)
MARKUP_TAGS = 6  # block or table tags that make text a page's markup (a stray <p> does not)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is HTML source (a page pasted or scraped as it came), not its text: it
    starts as a page does, or holds :data:`MARKUP_TAGS` block or table tags."""
    if "<" not in text:
        return False
    if _HTML_START.match(text[:4096].encode("utf-8", "ignore")):  # the start read_file sniffs a page by
        return True
    return sum(1 for _ in zip(range(MARKUP_TAGS), _BLOCK_TAG.finditer(text))) == MARKUP_TAGS


def markup_text(text: str) -> str:
    """The report text of HTML source: :func:`html_to_text`, or :func:`strip_tags` when the
    ``html`` extra (beautifulsoup4) is not installed."""
    try:
        return html_to_text(text)
    except ReaderError:
        return strip_tags(text)


def read_html(path: str) -> str:
    """Read an HTML report file."""
    with open(path, "rb") as fh:
        data = fh.read()
    return html_to_text(decode_bytes(data, declared_charset(data)))
