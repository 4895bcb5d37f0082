"""Re-lining: text whose line breaks were lost gets them back before segmentation.

A page scraped to one paragraph, or a table pasted into one line, runs all its rows together:
``二、主动公开… 规章 0 0 0 行政规范性文件 1 0 5 …``. No row can be told from the next, so
such a line is cut at every run of spaces and pipes, one token per line (a page number, or a
number with its unit, ``303 条``, stays whole; a dashed number beside a dash, ``— — 5 — —``, or
one that is not the next page's number where its dash prints zeros, is a value among zero cells
printed as dashes), the form of a report copied one cell per line (which the tagger and decoder
read). A line is collapsed when it holds more values than the widest row of any template has
cells (:func:`collapsed_values`): a row of values cannot, a paragraph of prose rarely does.

The cut keeps every character offset (the last character of a separator run becomes the line
break), and :func:`reline` says which source line each new line came from, so a cell's line
still points into the text the user gave.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import List, Optional, Tuple

from .segment import is_value_token
from .values import BLANK_MARK_PATTERN, unit_suffix

MARKS = 3  # a dash alone this many times prints zero cells (not a hyphen of 0516 - 7182)
EXTRA_COLUMNS = 3  # columns a report may add to a row (合计, 备注 ...)
# a token led by a unit, after a number: ``303 条，其中`` is prose (a lone 年 is no unit: it is one
# character of the vertical label 本年度办理结果)
_UNIT_LED = re.compile(r"[月日件条次个项元人号%]|年.")
# what may be a value between separators: at least every token is_value_token accepts (and the
# parts of a page number), a cheap bound before the exact count
_VALUE_LIKE = re.compile(r"(?:(?<=[ \t|])|^)(?:[+-]?\d[\d,.]*" + unit_suffix() +
                         f"|{BLANK_MARK_PATTERN})(?=[ \t|]|$)")
# a token: a page number printed into the text as one ("- 3 -", the same dash both sides, or
# "第 2 页 共 6 页"), else a run of anything but spaces and pipes (:func:`tokens` splits a
# dashed number that is a value among dashes)
_TOKEN = re.compile(r"(?:([-—–]) ?\d{1,4} ?\1|第 ?\d{1,4} ?页(?: ?共 ?\d{1,4} ?页)?)(?=[ \t|]|$)|[^ \t|]+")
_DASHES = "-—–"
_NO_SPACE = re.compile(r"[^ ]+")


@lru_cache(maxsize=1)
def collapsed_values() -> int:
    """A line holding more values than this runs rows together: the widest row of any
    template has this many cells, plus :data:`EXTRA_COLUMNS` a report may add."""
    from .templates import get_template, template_names

    return max(len(r.cells) for n in template_names() for r in get_template(n).rows) + EXTRA_COLUMNS


def is_collapsed(line: str) -> bool:
    """True for a line holding more values (cut at spaces and pipes) than any row has cells."""
    limit = collapsed_values()
    if len(line) <= 2 * limit:  # each value needs a character and a separator
        return False
    if len(_VALUE_LIKE.findall(line)) <= limit:  # at most that many values (one C-speed scan)
        return False
    return sum(1 for tok in tokens(line) if is_value_token(tok)) > limit


def tokens(line: str) -> List[str]:
    """The tokens of ``line`` (see :data:`_TOKEN`), each a slice ``line[a:b]`` of it in order.
    A dashed number beside a blank mark of its own dash is no page number but a value among
    zero cells printed as dashes (``— — 5 — —``): it is three tokens."""
    return [line[a:b] for a, b in _token_spans(line)]


def _token_spans(line: str) -> List[Tuple[int, int]]:
    """The ``(start, end)`` of each of :func:`tokens`."""
    found = [(m.start(), m.end(), m.group(1)) for m in _TOKEN.finditer(line)]  # group 1: a page's dash
    lone = Counter(line[a] for a, b, _ in found if b - a == 1 and line[a] in _DASHES)
    marks = {d for d, n in lone.items() if n >= MARKS}  # dashes printing zeros
    out: List[Tuple[int, int]] = []
    page = 0  # the last page number read
    for k, (a, b, dash) in enumerate(found):
        if dash:
            number = int(line[a + 1:b - 1])
            if " " in line[a:b] and (
                    (k and line[found[k - 1][0]:found[k - 1][1]] == dash) or
                    (k + 1 < len(found) and line[found[k + 1][0]:found[k + 1][1]] == dash) or
                    # where this dash prints zeros, a page number is the next page's
                    (dash in marks and page and number != page + 1)):
                out += [(a + m.start(), a + m.end()) for m in _NO_SPACE.finditer(line[a:b])]
                continue
            page = number
        out.append((a, b))
    return out


def _cut(line: str) -> str:
    """``line`` with the last character of the separators before each token (but the first)
    made a line break; a number stays with the unit that follows it (prose, not a cell)."""
    chars = list(line)
    prev = ""
    for a, b in _token_spans(line):
        tok = line[a:b]
        if prev and not (prev[0].isdigit() and _UNIT_LED.match(tok) and is_value_token(prev)):
            chars[a - 1] = "\n"
        prev = tok
    return "".join(chars)


def reline(text: str) -> Tuple[str, Optional[Tuple[int, ...]]]:
    """``text`` with its collapsed lines cut one token per line (same length, same offsets),
    and the 1-based source line of each line of the result (None when no line was cut)."""
    lines = text.split("\n")
    shortest = 2 * collapsed_values()  # is_collapsed's first test, for all lines at C speed
    if max(map(len, lines)) <= shortest:
        return text, None
    collapsed = [len(line) > shortest and is_collapsed(line) for line in lines]
    if not any(collapsed):
        return text, None
    out: List[str] = []
    origin: List[int] = []
    for k, (line, cut_it) in enumerate(zip(lines, collapsed), 1):
        cut = _cut(line) if cut_it else line
        out.append(cut)
        origin.extend([k] * (cut.count("\n") + 1))
    return "\n".join(out), tuple(origin)
