"""Tables dumped from a pandas DataFrame read as the tables they were.

A crawler that turns each ``<table>`` into ``pd.read_html(page)[k]`` and writes it with
``to_csv``, ``to_markdown`` or ``to_string`` prints a header line of column numbers
(``,0,1,2,3``), the row's index before each row (``2,规章,0,0,0``), ``NaN`` for an empty cell,
and a merged (spanned) cell's text once for every column it spans (``行政许可,8,8,8`` under
``本年处理决定数量`` printed three times). In the rows of such a frame, and only there, the
header line and the index are blanked, ``NaN`` cells emptied, the columns of a
space-aligned frame cut by ``|``, and the copies a merged cell left collapse into one cell:
a text cell equal to the cell before it, and in a row of values the values under a header
cell that repeats the one before it, when they repeat too. A frame is a header line of
column numbers (three at least: ``0 1 2``) followed by rows indexed 0 and 1, or
:data:`MIN_INDEXED` rows indexed 0, 1, 2...

Runs before :func:`~gxml.delimited.comma_rows`: a ``to_csv`` frame's commas are cut here,
where its index tells its rows. Lines stay, and their lengths: a removed character becomes
a space.
"""
from __future__ import annotations

import re
from typing import List, Optional, Sequence, Tuple

from .delimited import separators
from .values import looks_like_value

MIN_INDEXED = 4  # rows indexed 0, 1, 2, 3 make a frame without its header line of column numbers
_NUMBERS = re.compile(r"^[ |,]*0[ |,]+1[ |,]+2(?:[ |,]+\d{1,3})*[ |,]*$")  # the header line: 0 1 2 ... k
_INDEXED = re.compile(r"^ *\|? *(\d{1,4})(?: *[|,]| +)(?=.*\S)")
_ALIGN = re.compile(r"^ *\|?(?: *:?-+:? *\|)+ *(?::?-+:?)? *$")  # markdown's |---:|:---| line
# a text may hold a frame: a line of column numbers, or a row indexed 0 (found at C speed)
_CANDIDATE = re.compile(r"^[ |,]*0[ |,]+\S", re.M)
_NAN = ("NaN", "nan")
_WORD = re.compile(r"\S+")
Span = Tuple[int, int]


def _index(line: str) -> Optional[Tuple[int, int, int]]:
    """(the row index, where it begins, where the row's cells begin) of a frame row, else None."""
    m = _INDEXED.match(line)
    return (int(m.group(1)), m.start(1), m.end()) if m else None


def _frame_rows(lines: Sequence[str], k: int) -> List[int]:
    """The lines of the frame whose first row (index 0) is line ``k``: rows indexed 0, 1, 2 …"""
    rows, want = [], 0
    while k < len(lines):
        ix = _index(lines[k])
        if ix is None or ix[0] != want:
            break
        rows.append(k)
        want += 1
        k += 1
    return rows


def _cells(line: str, start: int) -> List[Span]:
    """The cells of a frame row from offset ``start``: cut by ``|`` if it has one, else by
    runs of spaces (``to_string``); a trailing ``|`` ends the row."""
    if "|" in line[start:]:
        bounds = [start - 1] + [k for k in range(start, len(line)) if line[k] == "|"] + [len(line)]
        spans = [(a + 1, b) for a, b in zip(bounds, bounds[1:])]
        if spans and not line[spans[-1][0]:].strip():
            spans.pop()
        return spans
    return [(m.start() + start, m.end() + start) for m in _WORD.finditer(line[start:])]


def _piped(line: str, start: int) -> str:
    """CSV row ``line`` with its separating commas from ``start`` on turned into ``|``; a comma
    inside brackets is the text's (``（区分处理的，只计这一情形）``: pandas quotes a cell only
    for an ASCII comma, and normalisation made the full-width one ASCII)."""
    chars = list(line)
    depth = 0
    seps = set(separators(line[start:]))
    for k in range(start, len(line)):
        ch = line[k]
        depth += (ch in "(（") - (ch in ")）")
        if k - start in seps and depth <= 0:
            chars[k] = "|"
    return "".join(chars)


def _text(line: str, span: Span) -> str:
    t = line[span[0]:span[1]].strip().strip('"')
    return "" if t in _NAN else t


def _merged(header: List[str]) -> List[bool]:
    """Per column, whether a header cell repeats the one before it (a spanned cell's copy)."""
    return [c > 0 and bool(h) and h == header[c - 1] for c, h in enumerate(header)]


def _copies(texts: List[str], merged: List[bool]) -> List[int]:
    """The columns of a row that copy a merged cell: a text equal to the one before it, and
    values under a merged header that all repeat the first of their run."""
    drop = [c for c in range(1, len(texts))
            if texts[c] and not looks_like_value(texts[c]) and texts[c] == texts[c - 1]]
    c = 1
    while c < len(texts):
        if c < len(merged) and merged[c]:
            end = c
            while end < len(texts) and end < len(merged) and merged[end]:
                end += 1
            run = texts[c - 1:end]
            if run[0] and looks_like_value(run[0]) and all(t == run[0] for t in run):
                drop += range(c, end)
            c = end
        else:
            c += 1
    return sorted(set(drop))


def _rewrite(line: str, index: int, start: int, merged: List[bool]) -> Tuple[str, List[str]]:
    """Frame row ``line`` with its index blanked (from ``index``; cells from ``start``), its
    ``NaN`` cells emptied, its quoted cells unquoted, a space-aligned row cut by ``|``, and its
    merged cells' copies removed; and its cells' texts."""
    if "," in line[index:start]:  # to_csv: its commas (outside quotes) cut the cells
        line = _piped(line, start)
    spans = _cells(line, start)
    texts = [_text(line, s) for s in spans]
    chars = list(line)
    chars[index:start] = " " * (start - index)
    piped = "|" in line[start:]
    for (a, b), t in zip(spans, texts):
        cell = line[a:b].strip()
        if not t:
            chars[a:b] = " " * (b - a)
        elif len(cell) > 1 and cell[0] == cell[-1] == '"':  # to_csv quoted it: "69,849"
            chars[line.index('"', a)] = chars[line.rindex('"', a, b)] = " "
    if not piped:  # to_string: a '|' in each gap between two cells
        for _, b in spans[:-1]:
            chars[b] = "|"
    for c in _copies(texts, merged):
        a, b = spans[c]
        cut = a - 1 if piped else spans[c - 1][1]  # from the separator before the cell
        chars[cut:b] = " " * (b - cut)
    return "".join(chars), texts


def _is_header(texts: List[str]) -> bool:
    """A row of column headers: two cells or more, none a value."""
    return len([t for t in texts if t]) >= 2 and not any(looks_like_value(t) for t in texts)


def frame_rows(text: str) -> str:
    """``text`` with its DataFrame dumps read as tables (unchanged if it has none)."""
    lines: Optional[List[str]] = None
    done = 0  # lines before this one are read (a frame's rows are not looked at again)
    k = at = 0  # line k starts at or before offset at
    for m in _CANDIDATE.finditer(text):
        k, at = k + text.count("\n", at, m.start()), m.start()
        if k < done:
            continue
        lines = text.split("\n") if lines is None else lines
        rows = _frame(lines, k)
        if rows:
            _read_frame(lines, k, rows)
            done = rows[-1] + 1
    return "\n".join(lines) if done else text


def _frame(lines: List[str], k: int) -> List[int]:
    """The rows of the frame whose header line (or row 0) is line ``k``, or []."""
    numbered = bool(_NUMBERS.match(lines[k]))
    first = k + 1 if numbered else k
    if numbered and first < len(lines) and _ALIGN.match(lines[first]):
        first += 1
    rows = _frame_rows(lines, first)
    return rows if len(rows) >= (2 if numbered else MIN_INDEXED) else []


def _read_frame(lines: List[str], k: int, rows: List[int]) -> None:
    """Rewrite in place the frame of header line (or row 0) ``k`` and rows ``rows``."""
    for h in range(k, rows[0]):  # the header line of column numbers and markdown's |---| line
        lines[h] = " " * len(lines[h])
    merged: List[bool] = []
    for r in rows:
        _, index, start = _index(lines[r])
        lines[r], texts = _rewrite(lines[r], index, start, merged)
        if _is_header(texts):
            merged = _merged(texts)
