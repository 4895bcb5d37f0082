"""Segmentation: cut every line of normalised text into items.

A row ``规章 | 0 | 0 | 0 |`` becomes four items; so do tab-separated cells and columns aligned
with runs of spaces. Inside a piece, trailing numbers separated by single spaces
(``一、本年新收…数量 21 0 0 0 0 0 21``) are cut off one by one, and digits glued to a label
(``行政规范性文件77132470``) are cut off as one ``fused`` item that the decoder may split.
Blank lines and separator-only lines (``|||``) make no item; they are counted in ``gap_before``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List, NamedTuple, Optional, Set, Tuple

from .contents import MIN_LINES, ORDINALS, contents_lines
from .doc import Doc, Item
from .values import BLANK_MARK_PATTERN, Value, parse_value, unit_suffix

_SEP_ONLY = re.compile(r"^[\s|+\-=_:—]*$")
_PAGE = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[,/，]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$")
_MULTISPACE = re.compile(r" {2,}")
_TRAIL_NUM = re.compile(r"^(?P<head>.*?[^\d.,\s+\-/—无])(?P<num>(?:\d+(?:\.\d+)?(?:万|亿)?(?:件|条|元|万元)?|[-/—无](?=[-/—无\d]))+)$")
_VALUE_TOKEN = re.compile(r"^(?:[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?" + unit_suffix() +
                          f"|{BLANK_MARK_PATTERN})$")
_UNIT_ONLY = re.compile(r"^(?=.)" + unit_suffix() + "$")  # 件, 万元, (件): a unit printed apart
_HAS_DIGIT = re.compile(r"\d")
_BLANK_CELL = re.compile(r"^[ \t]+\|$")
_CLEAN_NUMBER = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d+)?$")
_BLANK_MARK = re.compile(r"^(?:[-—–/]{1,2}|无)$")  # a cell printed as a dash; '---' is a rule
_SEP_FIRST = "|+-=_:—"  # what a stripped separator-only piece can start with
_NO_COLS: Tuple[Optional[int], Optional[int]] = (None, None)
CACHE_SIZE = 4_096  # lines cached: table rows repeat (mostly within a report); memory stays bounded


def is_value_token(text: str) -> bool:
    """True for a token printed as one cell value: ``12``, ``1,234``, ``2.46万件``, ``—``, ``无``."""
    return _VALUE_TOKEN.match(text) is not None


def _is_empty(stripped: str) -> bool:
    """True for a stripped piece that is no cell: nothing, or a rule made of separators
    (but not a dash printed for a blank cell)."""
    return not stripped or (stripped[0] in _SEP_FIRST and _SEP_ONLY.match(stripped) is not None
                            and not _BLANK_MARK.match(stripped))


def is_page_number(text: str) -> bool:
    """``- 2 -``, ``第 3 页``, ``3/12``: a page number printed into the text."""
    return bool(_PAGE.match(text))


def _pieces(line: str, closing: bool = True) -> Tuple[List[Tuple[int, int, Tuple[Optional[int], Optional[int]]]], str]:
    """Spans of the pieces of one line, each with its cell positions from the last filled cell
    and from the end of the row (pipe/tab rows), and how they were separated. ``closing``:
    the text closes its pipe rows with a ``|`` (else a last ``|`` ends an empty last cell)."""
    if "|" not in line and "\t" not in line and "  " not in line:  # fast path: one piece
        stripped = line.strip()
        if _is_empty(stripped):
            return [], "line"
        a = len(line) - len(line.lstrip())
        return [(a, a + len(stripped), _NO_COLS)], "line"
    if "|" in line:
        sep, kind = "|", "pipe"
    elif "\t" in line:
        sep, kind = "\t", "tab"
    else:
        sep, kind = None, "space"
    spans: List[Tuple[int, int]] = []
    if sep is not None:
        pos = 0
        for part in line.split(sep):
            spans.append((pos, pos + len(part)))
            pos += len(part) + 1
    else:
        pos = 0
        for m in _MULTISPACE.finditer(line):
            spans.append((pos, m.start()))
            pos = m.end()
        spans.append((pos, len(line)))
    out = []
    for a, b in spans:
        seg = line[a:b]
        stripped = seg.strip()
        if _is_empty(stripped):
            out.append(None)  # an empty cell: kept only between two filled ones (below)
            continue
        a2 = a + (len(seg) - len(seg.lstrip()))
        out.append((a2, a2 + len(stripped)))
    if sep == "|" and out and out[-1] is None and line.rstrip().endswith("|") and (
            closing or line.lstrip().startswith("|")):  # a row opened with | is closed with one
        out = out[:-1]  # the empty piece after a closing pipe is no cell
    if sep == "|" and out and out[0] is None and line.lstrip().startswith("|"):
        out = out[1:]   # nor the one before an opening pipe
        spans = spans[1:]
    if sep is None:
        pieces = [(sp[0], sp[1], _NO_COLS) for sp in out if sp is not None]
        return pieces, "line" if len(pieces) <= 1 else kind
    filled = [k for k, sp in enumerate(out) if sp is not None]
    # blank cells inside a row of values are kept (between a label and its first value they may
    # also be merged label columns: the decoder prefers dropping blanks when a row has more
    # items than columns)
    inner = range(filled[0], filled[-1]) if len(filled) >= 2 and any(
        sp is not None and _VALUE_TOKEN.match(line[sp[0]:sp[1]]) for sp in out) else range(0)
    last = filled[-1] if filled else 0
    pieces = []
    for k, sp in enumerate(out):
        if sp is None:
            if k not in inner:
                continue
            sp = ((spans[k][0] + spans[k][1]) // 2,) * 2
        pieces.append((sp[0], sp[1], (last - k, len(out) - 1 - k)))
    return pieces, kind


def _split_piece(text: str, a: int, kind: str) -> List[Tuple[int, int, str]]:
    """Cut trailing single-space numbers or glued digits off one piece."""
    if text.isdigit():  # a plain number (most cells): no page number, nothing to cut
        return [(a, a + len(text), kind)]
    first = text[:1]
    if (first in "-—–第" or first.isdigit()) and _PAGE.match(text):  # a page number starts so
        return [(a, a + len(text), kind)]
    tokens = _units_joined(text.split(" "))
    if len(tokens) > 1:
        k = len(tokens)
        while k > 0 and _VALUE_TOKEN.match(tokens[k - 1].replace(" ", "") or "x"):
            k -= 1
        suffix = [t for t in tokens[k:] if t]
        if suffix and any(_HAS_DIGIT.search(t) for t in suffix):
            out = []
            head = " ".join(tokens[:k]).rstrip()
            pos = a
            if head:
                out.append((a, a + len(head), kind))
            pos = a + len(" ".join(tokens[:k])) + (1 if k else 0)
            for t in tokens[k:]:
                if t:
                    out.append((pos, pos + len(t), "trail" if head or kind == "line" else kind))
                pos += len(t) + 1
            return out
    last = text[-1:]
    m = _TRAIL_NUM.match(text) if last.isdigit() or last in "万亿件条元" else None  # a number ends so
    if m and re.search(r"[\u4e00-\u9fff]", m.group("head")) and not m.group("head").endswith(("第", "附件")):
        h = m.group("head").rstrip()
        return [(a, a + len(h), kind), (a + m.start("num"), a + len(text), "fused")]
    return [(a, a + len(text), kind)]


def _units_joined(tokens: List[str]) -> List[str]:
    """``tokens`` with each unit printed apart from its number (``5 件``, ``5 (件)``) joined to
    it as one token, ``"5 件"``: a cell that prints its unit (prose ``共 12 件`` then ends in a
    value, as ``共12件`` does)."""
    if len(tokens) < 2 or not any(_UNIT_ONLY.match(t) for t in tokens[1:]):
        return tokens
    out: List[str] = []
    for t in tokens:
        if out and out[-1][-1:].isdigit() and _UNIT_ONLY.match(t):
            out[-1] += " " + t
        else:
            out.append(t)
    return out


def _fused_value(text: str) -> Value:
    """A glued run of cells (``801000081``, ``-03``): a number only if it reads as one cleanly;
    ``digits`` keeps the run for the decoder to split."""
    v = parse_value(text)
    clean = v.kind == "number" and bool(_CLEAN_NUMBER.match(text))
    return Value(v.number if clean else None, text, "number", digits=text)


class Part(NamedTuple):
    """One item-to-be of a line: its span in the line, text, how it was cut, cell positions
    (pipe/tab rows) and parsed value (numbers and blanks only)."""

    start: int
    end: int
    text: str
    split: str
    col_r: Optional[int]
    col_end: Optional[int]
    value: Optional[Value]


@lru_cache(maxsize=CACHE_SIZE)
def _line_parts(line: str, after_cell: bool, closing: bool = True) -> Tuple[Tuple[Part, ...], int, bool]:
    """The parts of one line (cached: table rows repeat within and across reports), its
    indentation, and whether it is a DOCX cell line. ``after_cell``: the line before was one;
    ``closing``: see :func:`_pieces`."""
    if line.endswith("|") and _BLANK_CELL.match(line):  # "content |" export: an empty cell prints as " |"
        pieces, kind = [(len(line) - 1, len(line) - 1, _NO_COLS)], "pipe"
    elif after_cell and "\t" in line and not line.strip():
        # DOCX dump: an empty cell right after a filled (or empty) cell is a tab-only line
        # (``after_cell`` also when it starts a run of them that ends at a value)
        pieces, kind = [(len(line), len(line), _NO_COLS)], "tab"
    else:
        pieces, kind = _pieces(line, closing)
    cell_line = line.startswith("\t") and (bool(line.strip()) or kind == "tab" and bool(pieces))
    indent = len(line) - len(line.lstrip(" \t"))
    parts: List[Part] = []
    for a, b, cols in pieces:  # a piece cut in parts has no cell positions
        sub = _split_piece(line[a:b], a, kind)
        for x, y, how in sub:
            t = line[x:y]
            v = _fused_value(t) if how == "fused" else parse_value(t)
            col_r, col_end = cols if len(sub) == 1 else _NO_COLS
            parts.append(Part(x, y, t, how, col_r, col_end, v if v.kind in ("number", "blank") else None))
    return tuple(parts), indent, cell_line


def _tab_runs_before_values(lines: List[str]) -> set:
    """Indices of the tab-only lines of runs that end at a tab-led value line (DOCX dumps)."""
    out: set = set()
    run: List[int] = []
    for k, line in enumerate(lines):
        if "\t" in line and not line.strip():
            run.append(k)
            continue
        if run and line.startswith("\t") and _VALUE_TOKEN.match(line.strip()):
            out.update(run)
        run = []
    return out


def _closes_pipe_rows(lines: List[str]) -> bool:
    """Whether the text closes its pipe rows with a ``|`` (``规章 | 0 | 3 |``), as opposed to
    ending them at their last cell (``规章 | 0 | 3``; then, trailing spaces trimmed, a row
    ending in ``|`` has an empty last cell). A row ending in a value shows the latter."""
    return not any(line[-1:].isdigit() and line.count("|") >= 2 for line in lines)


def segment(text: str) -> Doc:
    """Cut normalised text into a :class:`Doc` of items (values parsed where they look like one)."""
    doc = Doc(text=text)
    offset = 0
    gap = 0
    cell_line = False
    lines = text.split("\n")
    # DOCX dump: tab-only lines right before a value cell are empty cells too (before a label
    # they are merged label cells)
    before_value = _tab_runs_before_values(lines)
    closing = _closes_pipe_rows(lines) if "|" in text else True
    headed: List[Tuple[int, str]] = []  # lines of a heading and a number: contents lines?
    for k, line in enumerate(lines):
        lineno = k + 1
        parts, indent, cell_line = _line_parts(line, cell_line or k in before_value, closing)
        if not parts:
            gap += 1
        n = len(parts)
        if n == 2 and parts[0].text[:1] in ORDINALS and parts[1].value is not None:
            headed.append((lineno, parts[0].text))
        for idx, p in enumerate(parts):
            # positional, in Item's field order (text, line, index, n_in_line, start, end, split,
            # indent, gap_before, value, col_r, col_end): keywords cost 2.5x the time
            doc.items.append(Item(p.text, lineno, idx, n, offset + p.start, offset + p.end, p.split, indent,
                                  gap if idx == 0 else 0, p.value, p.col_r, p.col_end))
        if parts:
            gap = 0
        offset += len(line) + 1
    if len(headed) >= MIN_LINES:
        _drop_page_numbers(doc, contents_lines(headed))
    return doc


def _drop_page_numbers(doc: Doc, lines: Set[int]) -> None:
    """The numbers ending the lines ``lines`` of a table of contents are pages, not values."""
    for it in doc.items:
        if it.line in lines and it.index == 1:
            it.value, it.is_value = None, False
