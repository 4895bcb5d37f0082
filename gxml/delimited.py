"""Table rows cut by commas (a spreadsheet saved as CSV) read as pipe rows.

Excel and WPS save a sheet as ``规章,0,0,0,,,,`` rows: commas between the cells, a merged
area as empty fields, each row padded with commas to the sheet's width, and quotes only
around a cell that holds a comma. Prose has commas too (by normalisation every full-width
``，`` is one), so a line is read as a row only when it looks like one: three fields or more,
no pipe or tab of its own, no field that reads like prose (a sentence end, a run of spaces),
and two cells that hold values or an empty field before the last (a line of prose wrapped
after a comma ends in an empty field); and a text's rows only when it has :data:`MIN_ROWS`
of them. Each comma between fields becomes a ``|``, one character for one, so
that offsets and columns stay put; commas inside quotes are kept (``"1,234"``).

A sheet converted by pandas or markitdown names its empty header cells ``Unnamed: 3``: they are
blanked, so that their numbers are not read as values.
"""
from __future__ import annotations

import re
from typing import List, Optional

from .values import looks_like_value

MIN_ROWS = 3  # comma rows a text needs before its commas are read as cell separators
_PROSE_MARKS = "。；;！？!?"
_PROSE = re.compile(f"[{_PROSE_MARKS}]| {{2}}")
_COMMA = re.compile(",")
# a line with two commas or more and no prose mark, pipe or tab: a row, maybe (found at C speed)
_CANDIDATE = re.compile(f"^(?:[^,\n|\t{_PROSE_MARKS}]*,){{2}}[^\n|\t{_PROSE_MARKS}]*$", re.M)
# a line with one comma: a row of one value (行政强制,23) in a text whose rows are not padded
_PAIR = re.compile(f"^[^,\n|\t{_PROSE_MARKS}]+,[^,\n|\t{_PROSE_MARKS}]+$", re.M)


def separators(line: str) -> List[int]:
    """Offsets of the commas of ``line`` that stand outside double quotes."""
    if '"' not in line:
        return [m.start() for m in _COMMA.finditer(line)]
    out, quoted = [], False
    for k, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            out.append(k)
    return out


def comma_row(line: str) -> Optional[List[int]]:
    """The separating commas of ``line`` when it is a spreadsheet row cut by commas, else None."""
    if line.count(",") < 2 or "|" in line or "\t" in line or _PROSE.search(line):
        return None  # (a prose mark anywhere: some field reads like prose)
    seps = separators(line)
    if len(seps) < 2:
        return None
    bounds = [-1] + seps + [len(line)]
    fields = [line[a + 1:b].strip().strip('"').strip() for a, b in zip(bounds, bounds[1:])]
    # two values, or an empty field before the last (a wrapped sentence may end in a comma)
    values = sum(" " not in f and looks_like_value(f) for f in fields)  # ("1 2" is two cells)
    return seps if values >= 2 or "" in fields[:-1] else None


# pandas (and markitdown, which uses it) names a sheet's unnamed column "Unnamed: 3" in the
# header row it prints: no header, an empty cell
_UNNAMED = re.compile(r"Unnamed: ?\d{1,3}")


def blank_unnamed(text: str) -> str:
    """``text`` with pandas' ``Unnamed: 3`` column names blanked (spaces: offsets stay)."""
    return _UNNAMED.sub(lambda m: " " * len(m.group()), text) if "Unnamed" in text else text


def pair_row(line: str) -> Optional[int]:
    """The comma of ``line`` when it is a label and one value (``行政强制,23``), else None."""
    if _PROSE.search(line) or '"' in line:
        return None
    label, value = line.split(",")
    value = value.strip()
    return line.index(",") if " " not in value and looks_like_value(value) and not looks_like_value(label) else None


def comma_rows(text: str) -> str:
    """``text`` with the commas of its spreadsheet rows turned into ``|`` (unchanged unless it
    holds :data:`MIN_ROWS` such rows; then a label and one value, unpadded, is a row too)."""
    cuts: List[int] = []
    rows = 0
    for m in _CANDIDATE.finditer(text):
        seps = comma_row(m.group())
        if seps:
            rows += 1
            cuts += [m.start() + s for s in seps]
    if rows < MIN_ROWS:
        return text
    for m in _PAIR.finditer(text):
        sep = pair_row(m.group())
        if sep is not None:
            cuts.append(m.start() + sep)
    chars = list(text)
    for k in cuts:
        chars[k] = "|"
    return "".join(chars)
