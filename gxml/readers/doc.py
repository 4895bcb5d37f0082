"""Word 97-2003 ``.doc`` reports, read from the binary format (the compound file with olefile).

Many agencies still publish their report as a ``.doc``. Its text is the main document's run of
characters, pieced together by the piece table (the CLX of the table stream); a paragraph ends
with ``\\r``, a table cell with ``\\x07``, and a table row with a ``\\x07`` whose paragraph
properties carry the row-end flag (``sprmPFTtp``; found through the paragraph FKPs). A row is one
line of cells joined by ``" | "`` (a merged cell's covered positions are empty cells, as Word
stores them); a field keeps its result, not its code; pictures and other anchors are dropped.
Word 6/95 files, encrypted ones and other OLE2 files (``.xls``, ``.ppt``) get a
:class:`~gxml.readers.ReaderError` that says so.
"""
from __future__ import annotations

import struct
from bisect import bisect_right
from typing import Dict, Iterator, List, Tuple

from . import ReaderError, format_row, missing_dependency

WORD_IDENT = 0xA5EC
MIN_NFIB = 0x00C1  # Word 97; older files are Word 6/95
FKP_SIZE = 512
# indices in FibRgFcLcb97 (pairs of fc, lcb) and in FibRgLw97
FC_PLCF_BTE_PAPX, FC_CLX, CCP_TEXT = 13, 33, 3
# paragraph sprms: the paragraph is in a table; its mark ends a table row (outer or nested)
IN_TABLE_SPRMS, ROW_END_SPRMS = (0x2416,), (0x2417, 0x244C)
IN_TABLE, ROW_END = 1, 2  # paragraph flags
SPRM_TDEF_TABLE, SPRM_PCHG_TABS = 0xD608, 0xC615
SPRM_HUGE_PAPX = 0x6646  # the paragraph's properties are too large for its FKP: in the Data stream
_OPERAND = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}  # operand size by spra (6: variable)
CELL, PARA, FIELD_BEGIN, FIELD_SEP, FIELD_END = "\x07", "\r", "\x13", "\x14", "\x15"
_DROP = dict.fromkeys(map(ord, "\x01\x02\x03\x04\x05\x08\x1f"))  # anchors, optional hyphen
# a line or page break starts a line (in a cell, where whitespace is one space, a space)
_BREAKS = {0x0B: "\n", 0x0C: "\n", 0x1E: "-", 0xA0: " "}


def _olefile():
    try:
        import olefile
    except ImportError:
        raise missing_dependency(".doc", "olefile", "doc") from None
    return olefile


def _u16(b: bytes, at: int) -> int:
    return struct.unpack_from("<H", b, at)[0]


def _u32(b: bytes, at: int) -> int:
    return struct.unpack_from("<I", b, at)[0]


def _streams(path: str) -> Tuple[bytes, bytes, bytes]:
    """The WordDocument, table and Data streams of a .doc file (Data may be empty)."""
    olefile = _olefile()
    try:
        ole = olefile.OleFileIO(path)
    except Exception as e:  # not a compound file, or a damaged one
        raise ReaderError(f"a damaged OLE2 file (.doc/.wps/.xls; {type(e).__name__}: {e})") from None
    with ole:
        if not ole.exists("WordDocument"):
            what = "an Excel workbook (.xls)" if ole.exists("Workbook") or ole.exists("Book") else \
                "a PowerPoint file (.ppt)" if ole.exists("PowerPoint Document") else "an OLE2 file without a Word document"
            raise ReaderError(f"{what} is not a supported format; save it as .docx, .pdf or .txt")
        wd = ole.openstream("WordDocument").read()
        if len(wd) < 0x200 or _u16(wd, 0) != WORD_IDENT:
            raise ReaderError("a damaged .doc file (no Word file information block)")
        if _u16(wd, 2) < MIN_NFIB:
            raise ReaderError("a Word 6/95 .doc file is not supported; save it as .docx")
        flags = _u16(wd, 0x0A)
        if flags & 0x0100:
            raise ReaderError("an encrypted .doc file; save it unprotected as .docx")
        name = "1Table" if flags & 0x0200 else "0Table"
        if not ole.exists(name):
            raise ReaderError(f"a damaged .doc file (no {name} stream)")
        data = ole.openstream("Data").read() if ole.exists("Data") else b""
        return wd, ole.openstream(name).read(), data


def _fib(wd: bytes) -> Tuple[int, List[Tuple[int, int]]]:
    """(characters of the main document, the (fc, lcb) pairs of the FIB)."""
    at = 32
    at += 2 + 2 * _u16(wd, at)            # fibRgW
    cslw = _u16(wd, at)
    lw = at + 2
    ccp_text = _u32(wd, lw + 4 * CCP_TEXT)
    at = lw + 4 * cslw
    n = _u16(wd, at)
    pairs = [struct.unpack_from("<II", wd, at + 2 + 8 * k) for k in range(n) if at + 10 + 8 * k <= len(wd)]
    return ccp_text, pairs


def _pieces(table: bytes, fc: int, lcb: int) -> List[Tuple[int, int, int, bool]]:
    """The piece table: (first cp, last cp, fc of its first character, compressed) per piece."""
    clx = table[fc:fc + lcb]
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc: formatting, skipped
        size = struct.unpack_from("<h", clx, at + 1)[0]
        if size < 0:
            raise ReaderError("a damaged .doc file (piece table)")
        at += 3 + size
    if at + 5 > len(clx) or clx[at] != 0x02:
        raise ReaderError("a damaged .doc file (no piece table)")
    size = _u32(clx, at + 1)
    plc = clx[at + 5:at + 5 + size]
    n = (len(plc) - 4) // 12
    cps = [_u32(plc, 4 * k) for k in range(n + 1)]
    out = []
    for k in range(n):
        raw = _u32(plc, 4 * (n + 1) + 8 * k + 2)
        compressed = bool(raw & 0x40000000)
        out.append((cps[k], cps[k + 1], (raw & 0x3FFFFFFF) // 2 if compressed else raw, compressed))
    return out


def _characters(wd: bytes, pieces, ccp_text: int) -> Iterator[Tuple[str, int]]:
    """The main document's characters with each one's file offset."""
    for first, last, fc, compressed in pieces:
        if first >= ccp_text:
            break
        n = min(last, ccp_text) - first
        if compressed:
            text = wd[fc:fc + n].decode("cp1252", errors="replace")
            yield from zip(text, range(fc, fc + n))
        else:
            text = wd[fc:fc + 2 * n].decode("utf-16-le", errors="replace")
            yield from zip(text, range(fc, fc + 2 * n, 2))


class _Paragraphs:
    """The table flags of the paragraph a mark at a file offset ends (:data:`IN_TABLE`,
    :data:`ROW_END`), from the paragraph properties (PlcBtePapx and its FKPs)."""

    def __init__(self, wd: bytes, table: bytes, data: bytes, fc: int, lcb: int):
        self.wd, self.data = wd, data
        n = (lcb - 4) // 8 if lcb >= 12 else 0
        self.fcs = [_u32(table, fc + 4 * k) for k in range(n + 1)]
        self.pages = [_u32(table, fc + 4 * (n + 1) + 4 * k) & 0x3FFFFF for k in range(n)]
        self.runs: Dict[int, Tuple[List[int], List[int]]] = {}

    def __call__(self, fc: int) -> int:
        k = bisect_right(self.fcs, fc) - 1
        if not 0 <= k < len(self.pages):
            return 0
        fcs, flags = self._page(self.pages[k])
        j = bisect_right(fcs, fc) - 1
        return flags[j] if 0 <= j < len(flags) else 0

    def _page(self, pn: int) -> Tuple[List[int], List[int]]:
        if pn not in self.runs:
            page = self.wd[pn * FKP_SIZE:(pn + 1) * FKP_SIZE]
            if len(page) < FKP_SIZE:
                self.runs[pn] = ([], [])
            else:
                crun = page[-1]
                fcs = [_u32(page, 4 * k) for k in range(crun + 1)]
                flags = [_papx_flags(page, page[4 * (crun + 1) + 13 * j] * 2, self.data) for j in range(crun)]
                self.runs[pn] = (fcs, flags)
        return self.runs[pn]


def _papx_flags(page: bytes, at: int, data: bytes) -> int:
    """The table flags of the PapxInFkp at ``at`` of an FKP page (``data``: the Data stream)."""
    if at == 0 or at >= len(page) - 1:
        return 0
    cb = page[at]
    start, size = (at + 2, 2 * page[at + 1]) if cb == 0 else (at + 1, 2 * cb - 1)
    return _sprm_flags(page[start + 2:start + size], data)  # after the style index


def _sprm_flags(grpprl: bytes, data: bytes) -> int:
    """The table flags the sprms of ``grpprl`` set."""
    flags, k = 0, 0
    while k + 2 < len(grpprl):
        op = _u16(grpprl, k)
        k += 2
        if op in IN_TABLE_SPRMS and grpprl[k]:
            flags |= IN_TABLE
        elif op in ROW_END_SPRMS and grpprl[k]:
            flags |= ROW_END | IN_TABLE
        elif op == SPRM_HUGE_PAPX and k + 4 <= len(grpprl):
            at = _u32(grpprl, k)
            if at + 2 <= len(data):
                flags |= _sprm_flags(data[at + 2:at + 2 + _u16(data, at)], data)
        spra = op >> 13
        if spra != 6:
            k += _OPERAND[spra]
        elif op == SPRM_TDEF_TABLE:
            k += 1 + _u16(grpprl, k) if k + 2 <= len(grpprl) else len(grpprl)
        elif op == SPRM_PCHG_TABS and grpprl[k] == 255:
            break  # a rare long form; the table flags come before it
        else:
            k += 1 + grpprl[k]
    return flags


def doc_lines(wd: bytes, table: bytes, data: bytes = b"") -> List[str]:
    """The lines of a .doc file's main document: paragraphs, and table rows as ``a | b``."""
    ccp_text, pairs = _fib(wd)
    if len(pairs) <= FC_CLX:
        raise ReaderError("a damaged .doc file (short file information block)")
    para = _Paragraphs(wd, table, data, *pairs[FC_PLCF_BTE_PAPX])
    lines: List[str] = []
    cells: List[str] = []
    buf: List[str] = []
    fields: List[bool] = []  # per open field: still in its code (before the separator)
    for ch, fc in _characters(wd, _pieces(table, *pairs[FC_CLX]), ccp_text):
        if ch == FIELD_BEGIN:
            fields.append(True)
        elif ch == FIELD_SEP:
            if fields:
                fields[-1] = False
        elif ch == FIELD_END:
            if fields:
                fields.pop()
        elif fields and fields[-1]:
            continue  # a field's code (HYPERLINK "...", PAGE): its result follows
        elif ch == CELL:
            if para(fc) & ROW_END:
                lines.append(format_row(cells))
                cells = []
            else:
                cells.append("".join(buf))
            buf = []
        elif ch == PARA:
            if para(fc) & IN_TABLE:
                buf.append(" ")  # a paragraph inside a cell
            else:
                lines.append("".join(buf))
                buf = []
        else:
            buf.append(ch)
    lines.append("".join(buf))
    return [line.translate(_DROP).translate(_BREAKS).rstrip() for line in lines]


def read_doc(path: str) -> str:
    """The text of a Word 97-2003 ``.doc`` file."""
    try:
        wd, table, data = _streams(path)
        return "\n".join(doc_lines(wd, table, data)).strip("\n") + "\n"
    except (struct.error, IndexError, KeyError, ValueError, OverflowError) as e:
        raise ReaderError(f"a damaged .doc file ({type(e).__name__}: {e})") from None
