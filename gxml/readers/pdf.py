"""PDF reports, read with pdfplumber: ``page.extract_text()`` of each page, joined by newlines.

A PDF without a text layer (a scan) raises :class:`~gxml.readers.ReaderError`: it needs OCR.
"""
from __future__ import annotations

from . import ReaderError, missing_dependency


def read_pdf(path: str) -> str:
    """Read the text layer of a PDF report file."""
    try:
        import pdfplumber
    except ImportError:
        raise missing_dependency(".pdf", "pdfplumber", "pdf") from None
    try:
        with pdfplumber.open(path) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as e:  # pdfminer raises many kinds of errors for damaged or encrypted files
        raise ReaderError(f"cannot read the PDF ({type(e).__name__}: {e})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ReaderError(f"the PDF ({len(pages)} page(s)) has no text layer, so it is probably "
                          "a scan: it needs OCR first (e.g. ocrmypdf), or a text version of the report")
    return text
