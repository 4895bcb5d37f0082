"""PDF reports, read with pdfplumber: ``page.extract_text(layout=True)`` of each page, joined by
newlines, trailing spaces trimmed.

The layout mode keeps each character where it stands on the page (spaces for the distance),
so a table's columns stay lined up: a row whose zero cells are printed empty keeps its values
under their columns. The plain mode joins a line's words with single spaces, and such a row
then no longer tells which columns its values belong to (typeset reports that print zeros
empty, ``benchmarks/typeset_pdf.py``: 17 of 33 exact read plainly, 32 of 33 in layout mode).

A PDF without a text layer (a scan) raises :class:`~gxml.readers.ReaderError`: it needs OCR.
"""
from __future__ import annotations

from . import ReaderError, missing_dependency


def read_pdf(path: str, layout: bool = True) -> str:
    """Read the text layer of a PDF report file (``layout``: characters where they stand on
    the page, as above; False: pdfplumber's plain text)."""
    try:
        import pdfplumber
    except ImportError:
        raise missing_dependency(".pdf", "pdfplumber", "pdf") from None
    try:
        with pdfplumber.open(path) as pdf:
            pages = [page.extract_text(layout=layout) or "" for page in pdf.pages]
    except Exception as e:  # pdfminer raises many kinds of errors for damaged or encrypted files
        raise ReaderError(f"cannot read the PDF ({type(e).__name__}: {e})") from None
    text = "\n".join(line.rstrip() for page in pages for line in page.split("\n"))
    if not text.strip():
        raise ReaderError(f"the PDF ({len(pages)} page(s)) has no text layer, so it is probably "
                          "a scan: it needs OCR first (e.g. ocrmypdf), or a text version of the report")
    return text
