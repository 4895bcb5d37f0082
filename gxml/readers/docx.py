"""Word .docx reports, read with python-docx.

Paragraphs and tables come out in document order (the body's XML children are walked, content
controls included). A table row is one line of cells joined by ``" | "``; a merged cell is
printed once: a horizontal merge (``gridSpan``) at its first column, a vertical merge
(``vMerge``) in its first row, the positions it covers left blank (as for HTML tables).
"""
from __future__ import annotations

from typing import Iterator, List

from . import ReaderError, format_row, missing_dependency, span_grid


def _docx():
    try:
        import docx  # python-docx
    except ImportError:
        raise missing_dependency(".docx", "python-docx", "docx") from None
    return docx


def _body_blocks(body) -> Iterator:
    """Paragraph and table elements of the body in order, looking inside content controls."""
    from docx.oxml.ns import qn

    p, tbl, sdt, content = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
    stack = list(reversed(list(body)))
    while stack:
        el = stack.pop()
        if el.tag in (p, tbl):
            yield el
        elif el.tag in (sdt, content):
            stack.extend(reversed(list(el)))


def _cell_text(tc, parent) -> str:
    """All paragraph text of a cell, nested tables included, on one line."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    return " ".join(Paragraph(p, parent).text for p in tc.iter(qn("w:p")))


def table_lines(tbl, parent) -> List[str]:
    """A ``w:tbl`` element as ``a | b | c`` lines, one per row."""
    from docx.oxml.ns import qn

    rows = []
    for tr in tbl.iterchildren(qn("w:tr")):
        cells = [("", 1, tr.grid_before)] if tr.grid_before else []
        for tc in tr.tc_lst:
            text = "" if tc.vMerge == "continue" else _cell_text(tc, parent)
            cells.append((text, 1, tc.grid_span))
        rows.append(cells)
    lines = (format_row(r) for r in span_grid(rows))
    return [line for line in lines if line.replace("|", "").strip()]


def docx_lines(document) -> List[str]:
    """Lines of a python-docx ``Document``: paragraphs, and tables row by row."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    lines: List[str] = []
    for el in _body_blocks(document.element.body):
        if el.tag == qn("w:tbl"):
            lines.extend(table_lines(el, document))
        else:
            lines.append(Paragraph(el, document).text)
    return lines


def read_docx(path: str) -> str:
    """Read a .docx report file."""
    docx = _docx()
    try:
        document = docx.Document(path)
    except Exception as e:  # python-docx raises assorted errors for damaged packages
        raise ReaderError(f"cannot open as .docx ({type(e).__name__}: {e})") from None
    return "\n".join(docx_lines(document))
