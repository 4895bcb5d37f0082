"""The rule-based baseline (``method="rules"``): labels by regex, numbers in order.

Line by line: a line whose text contains a row label (or an alias) starts that row; the
numbers that follow on the line and the next lines fill its columns left to right until
the row is full or another label starts. Table 四 takes the first 15 numbers after its
title and headers. No classifier, no alignment search, no identities: the honest
competitor the ML pipeline must beat.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from .anchors import choose_template
from .labels import label_key, split_ordinal
from .normalize import normalize
from .report import Report
from .segment import segment
from .templates import Row, get_template, load_aliases
from .values import parse_value, to_column_unit

_NUM = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:万|亿)?(?:件|条|元)?")
_PAGE = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页.*)\s*$")


def _row_keys(name: str) -> List[Tuple[str, Optional[str], Row]]:
    al = load_aliases()
    out = []
    for row in get_template(name).rows:
        if row.table == "disputes":
            continue
        ordinal, _ = split_ordinal(row.label)
        ordinal = al.get("row_ordinals", {}).get(row.id, ordinal)
        for form in [row.label] + al["rows"].get(row.id, []):
            out.append((label_key(form), ordinal, row))
    out.sort(key=lambda x: -len(x[0]))
    return out


def _find_row(line: str, keys) -> Tuple[Optional[Row], int]:
    """The row whose label the line contains, and where the label ends."""
    key_line = label_key(line)
    best = None
    for key, ordinal, row in keys:
        if len(key) < 2 or key not in key_line:
            continue
        if len(key) <= 3 and ordinal is not None:  # short labels (其他, 总计) need their ordinal
            if not re.search(r"[(（]?\s*" + re.escape(ordinal) + r"\s*[)）.、]\s*" + key[0], line):
                continue
        best = row
        break
    if best is None:
        return None, 0
    # numbers are read after the last CJK character of the label
    m = None
    for m in re.finditer(r"[\u4e00-\u9fff”)）]", line):
        pass
    return best, (m.end() if m else 0)


def parse_rules(text: str) -> Report:
    """Parse report text with the rule-based baseline."""
    norm = normalize(text)
    rep = Report(method="rules")
    name, evidence = choose_template(segment(norm))
    if name is None:
        rep.add_issue("no_tables", "no table of an annual report was found in the text", evidence=evidence)
        return rep
    tmpl = get_template(name)
    units = load_aliases().get("column_units", {}).get(name, {})
    keys = _row_keys(name)
    al = load_aliases()
    dis_title = [label_key(t) for t in al["titles"]["disputes"]]
    end_keys = [label_key(e) for e in al["end_markers"]]
    cells: Dict[str, Optional[float]] = {c: None for c in tmpl.cells}
    lines_of: Dict[str, Optional[int]] = {c: None for c in tmpl.cells}
    raw: Dict[str, Optional[str]] = {c: None for c in tmpl.cells}
    current: Optional[Row] = None
    filled = 0
    done = set()
    dispute_row = tmpl.rows[-1]
    for lineno, line in enumerate(norm.split("\n"), start=1):
        if not line.strip() or _PAGE.match(line):
            continue
        key_line = label_key(line)
        if any(k in key_line for k in dis_title):
            current, filled = dispute_row, 0
            continue
        if any(k in key_line for k in end_keys):
            current = None
            continue
        row, cut = _find_row(line, keys)
        rest = line
        if row is not None and row.id not in done:
            current, filled = row, 0
            rest = line[cut:]
        if current is None:
            continue
        for m in _NUM.finditer(rest):
            if filled >= len(current.cells):
                break
            cell = current.cells[filled]
            v = parse_value(m.group(0))
            cells[cell] = to_column_unit(v, units.get(cell))
            lines_of[cell] = lineno
            raw[cell] = m.group(0)
            filled += 1
        if filled >= len(current.cells):
            done.add(current.id)
            current = None
    rep.template = name
    rep.cells = cells
    rep.lines = lines_of
    rep.raw = raw
    rep.confidence = {c: (1.0 if lines_of[c] is not None else 0.5) for c in tmpl.cells}
    return rep
