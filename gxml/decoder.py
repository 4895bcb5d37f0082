"""The constrained decoder: rebuilds the template grid from tagged items.

1. :func:`choose_template` reads the template from column headers, row wording and the year.
2. Anchors: items that name a row, a table title or the end of the tables; a monotone
   selection keeps the best chain in template order (so narrative mentions and repeated
   tables do not scramble the order).
3. Alignment: the value items, in text order, are aligned to the template's cell slots, in
   print order, by dynamic programming. A value scores its cell probability, minus a penalty
   when it lies outside the stretch between the anchors of its row (values may come after
   their label, before it, or where the label was lost). Values that fit nowhere (page
   numbers, narrative) are skipped; slots without a value stay blank.
4. Repair: a row with too few values (blank cells dropped), too many (an extra column) or
   fused digits (``801000081``) is re-placed by enumerating candidates and preferring those
   that satisfy the accounting identities.
Every cell gets a confidence and the line it came from.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from .doc import Doc, Item
from .labels import index_for, label_key
from .report import Report
from .templates import Row, Template, get_template, load_aliases
from .reorder import permute_runs, stream_rows
from .values import to_column_unit

ANCHOR_MIN = 0.55       # a label must match a row at least this well to anchor it
OUTSIDE = 1.0           # penalty for a value placed outside its row's stretch ...
OUTSIDE_PER_ROW = 0.3   # ... plus this per row of distance
SAME_LINE = 1.2         # penalty for leaving the row whose label shares the value's line
ATTACHED = 1.2          # penalty for moving a value printed right after a label to the next row
MAX_VALUES = 4000       # values considered in one document
MAX_CANDIDATES = 3000   # placements enumerated for one row
MAX_EXTRA = 2           # values beyond a row's columns considered as an extra column
LAST_IS_MAX = 0.02      # prior: a row's last column (total, in force) tends to be its largest
EXTRA_HEADERS = ("小计", "合计")
GRID_HINT = 0.5         # prior for the placement a pipe/tab row's cell positions show
EMPTY_CELL = 0.6        # weight of an empty cell between filled ones (the tagger sees no text)
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


@dataclass
class Anchor:
    pos: int        # item index
    row: float      # position in the layout (titles: first row - 0.5; end: len(layout))
    score: float
    kind: str
    target: str


@dataclass
class Placement:
    """The outcome of decoding one layout."""

    layout: Tuple[Row, ...]
    score: float
    anchors: List[Anchor]
    cells: Dict[str, Optional[float]] = field(default_factory=dict)
    conf: Dict[str, float] = field(default_factory=dict)
    src: Dict[str, int] = field(default_factory=dict)   # cell -> item index
    notes: List[dict] = field(default_factory=list)


# --------------------------------------------------------------------------- template choice
def choose_template(doc: Doc) -> Tuple[Optional[str], Dict[str, float]]:
    """The template a document follows (None when it shows no report table), with evidence."""
    al = load_aliases()
    ev = {name: [label_key(p) for p in phrases] for name, phrases in al["template_evidence"].items()}
    score = {name: 0.0 for name in ev}
    rows_seen = 0
    titles = 0
    for it in doc.items:
        if it.value is not None or len(it.text) > 80:
            continue
        key = label_key(it.text)
        if not key:
            continue
        for name, phrases in ev.items():
            if any(p in key for p in phrases):
                score[name] += 1
        for t, s in index_for("2021").match(it.text, top=1):
            if s >= 0.8:
                rows_seen += t.kind == "row"
                titles += t.kind == "title"
    head = "\n".join(doc.text.split("\n")[:8])
    m = _YEAR.search(head) or _YEAR.search(doc.text[:3000])
    if m:
        year = int(m.group(1))
        score["2019" if year <= 2020 else "2021"] += 1.5
    evidence = {"rows": rows_seen, "titles": titles, **{f"t{k}": v for k, v in score.items()}}
    if rows_seen < 4 and (rows_seen + titles) < 5:
        return None, evidence
    best = max(score, key=lambda k: (score[k], k))
    return best, evidence


# --------------------------------------------------------------------------- anchors
def _anchor_candidates(doc: Doc, tmpl: Template, layout: Sequence[Row]) -> List[Anchor]:
    ix = index_for(tmpl.name)
    pos_of = {r.id: k for k, r in enumerate(layout)}
    first_row = {}
    for k, r in enumerate(layout):
        first_row.setdefault(r.table, k)
    plab = doc.p("label") + doc.p("heading")
    items = doc.items
    out: List[Anchor] = []
    for i, it in enumerate(items):
        if it.value is not None or plab[i] < 0.15 or len(it.text) > 80:
            continue
        matches = list(ix.match(it.text))
        # a label broken over items: try it joined with the next one or two
        best = matches[0][1] if matches else 0.0
        if best < 0.9:
            joined = it.text
            for j in (i + 1, i + 2):
                if j >= len(items) or items[j].value is not None or items[j].line - it.line > 3:
                    break
                joined += items[j].text
                for t, s in ix.match(joined):
                    if s > best + 0.05:
                        matches.append((t, s))
        for t, s in matches:
            if s < ANCHOR_MIN:
                continue
            w = s * (0.4 + 0.6 * float(plab[i]))
            if t.kind == "row" and t.id in pos_of:
                out.append(Anchor(i, float(pos_of[t.id]), w, "row", t.id))
            elif t.kind == "title" and t.id in first_row:
                out.append(Anchor(i, first_row[t.id] - 0.5, w * 0.8, "title", t.id))
            elif t.kind == "end":
                out.append(Anchor(i, float(len(layout)), w * 0.8, "end", t.id))
    return out


def select_anchors(cands: List[Anchor]) -> List[Anchor]:
    """The best-scoring chain of anchors increasing in both text position and row."""
    if not cands:
        return []
    cands = sorted(cands, key=lambda a: (a.pos, a.row))
    n = len(cands)
    best = [0.0] * n
    prev = [-1] * n
    for k, a in enumerate(cands):
        best[k] = a.score
        for j in range(k - 1, -1, -1):
            b = cands[j]
            if b.pos < a.pos and b.row < a.row and best[j] + a.score > best[k]:
                best[k] = best[j] + a.score
                prev[k] = j
    k = max(range(n), key=lambda t: best[t])
    chain = []
    while k >= 0:
        chain.append(cands[k])
        k = prev[k]
    return chain[::-1]


# --------------------------------------------------------------------------- alignment
def _column_unit(tmpl: Template, cell: str) -> Optional[str]:
    return _units(tmpl.name).get(cell)


@lru_cache(maxsize=None)
def _units(name: str) -> Dict[str, str]:
    return dict(load_aliases().get("column_units", {}).get(name, {}))


def _align(values: List[int], items: List[Item], w: np.ndarray, lo: np.ndarray, hi: np.ndarray,
           slot_row: np.ndarray, slot_dec: np.ndarray, line_lo: np.ndarray,
           line_hi: np.ndarray, run_lo: np.ndarray, run_hi: np.ndarray
           ) -> Tuple[float, List[Tuple[int, int]], np.ndarray]:
    """Monotone alignment of values (in order) to slots (in order); returns pairs (value k, slot j).

    ``lo``/``hi`` are the rows of the anchors before/after each value; ``line_lo``/``line_hi``
    say whether the value shares its line with that anchor (then it belongs to that row);
    ``run_lo``/``run_hi`` whether only values stand between it and that anchor.
    """
    V, S = len(values), len(slot_row)
    r = slot_row[None, :]
    a = lo[:, None]
    b = hi[:, None]
    inside = (r >= a) & (r <= b)
    first = np.ceil(a)
    pen = np.where(inside, np.where(r == first, 0.0, np.where(r == b, -0.15, -0.1)),
                   -(OUTSIDE + OUTSIDE_PER_ROW * np.where(r < a, a - r, r - b)))
    pen = pen - SAME_LINE * ((line_lo[:, None] & (r != a)) | (line_hi[:, None] & (r != b)))
    # a run of values printed right after a label belongs to it: it does not spill into the
    # next labelled row (an extra value is left out instead); a run right before a label
    # belongs to that one
    pen = pen - ATTACHED * (run_lo[:, None] & (r == b) & (b > a)) - 0.35 * (run_hi[:, None] & (r == a))
    pen = pen + 0.15 * (run_hi[:, None] & (r == b))
    isdec = np.array([isinstance(items[v].value.number, float) for v in values])[:, None]
    pen = pen - 0.6 * (isdec & ~slot_dec[None, :])
    m = w[:, None] + pen
    score = np.zeros((V + 1, S + 1))
    for i in range(1, V + 1):
        prev = score[i - 1]
        cur = prev.copy()
        cur[1:] = np.maximum(prev[1:], prev[:-1] + m[i - 1])
        score[i] = np.maximum.accumulate(cur)
    pairs = []
    i, j = V, S
    while i > 0 and j > 0:
        if score[i, j] == score[i, j - 1]:
            j -= 1
        elif score[i, j] == score[i - 1, j]:
            i -= 1
        else:
            pairs.append((i - 1, j - 1))
            i -= 1
            j -= 1
    pairs.reverse()
    return float(score[V, S]), pairs, m


# --------------------------------------------------------------------------- repair
def _identities_for(tmpl: Template):
    ids = []
    for ident in tmpl.identities:
        ids.append((tuple(ident["lhs"]), tuple(ident["rhs"]), ident["name"]))
    return ids


def _sides_score(l: float, r: float) -> float:
    """+1 for a sum that holds, 0.1 for an all-zero one, -1 for a break."""
    if l == 0 and r == 0:
        return 0.1
    return 1.0 if math.isclose(l, r, rel_tol=1e-9, abs_tol=1e-6) else -1.0


def _breaks(cells: Dict[str, Optional[float]], idents) -> int:
    return sum(_sides_score(sum((cells.get(c) or 0) for c in lhs), sum((cells.get(c) or 0) for c in rhs)) < 0
               for lhs, rhs, _ in idents)


def _identity_score(cells: Dict[str, Optional[float]], idents) -> float:
    return sum(_sides_score(sum((cells.get(c) or 0) for c in lhs), sum((cells.get(c) or 0) for c in rhs))
               for lhs, rhs, _ in idents)


def _row_scorer(cells: Dict[str, Optional[float]], row_cells: Sequence[str], idents):
    """Scores of the identities ``idents`` for candidate values of one row's cells: takes a
    (candidates x columns) array, returns one score per candidate."""
    col = {c: k for k, c in enumerate(row_cells)}
    parts = []
    for lhs, rhs, _ in idents:
        base_l = sum((cells.get(c) or 0) for c in lhs if c not in col)
        base_r = sum((cells.get(c) or 0) for c in rhs if c not in col)
        parts.append((base_l, base_r, [col[c] for c in lhs if c in col], [col[c] for c in rhs if c in col]))

    def score(vals: np.ndarray) -> np.ndarray:
        out = np.zeros(len(vals))
        for bl, br, lc, rc in parts:
            left = bl + vals[:, lc].sum(axis=1)
            right = br + vals[:, rc].sum(axis=1)
            out += np.where((left == 0) & (right == 0), 0.1,
                            np.where(np.isclose(left, right, rtol=1e-9, atol=1e-6), 1.0, -1.0))
        return out
    return score


BLANK_MARKS = "-/—"


def _digit_splits(run: str, parts: int, limit: int = 500) -> List[List[Optional[int]]]:
    """Ways to cut a glued run of cells into ``parts`` values: digit groups without leading
    zeros; a blank marker (``-``, ``/``, ``—``) is always one empty cell."""
    out: List[List[Optional[int]]] = []

    def rec(start: int, left: int, acc: List[Optional[int]]):
        if len(out) >= limit:
            return
        if start == len(run):
            if left == 0:
                out.append(acc)
            return
        if left == 0:
            return
        if run[start] in BLANK_MARKS:
            rec(start + 1, left - 1, acc + [None])
            return
        L = 0
        while start + L < len(run) and run[start + L].isdigit() and L < 9:
            L += 1
            piece = run[start:start + L]
            if L > 1 and piece[0] == "0":
                break
            rec(start + L, left - 1, acc + [int(piece)])

    if 0 < parts <= len(run):
        rec(0, parts, [])
    return out


Token = Tuple[int, Optional[float], str]   # (item index, value, glued run or "")


def _expansions(tokens: List[Token], n: int) -> Iterable[Tuple[List[Tuple[int, Optional[float]]], float]]:
    """The row's values as printed, and with its longest glued run cut into several values."""
    plain = [(t, v) for t, v, _ in tokens]
    fused = [k for k, (_, _, run) in enumerate(tokens) if len(run) >= 2]
    unreadable = any(v is None and run for _, v, run in tokens)  # "0000001" is no single number
    if not unreadable:
        yield plain, (-0.3 if fused and len(tokens) < n else 0.0)
    if not fused:
        return
    k = max(fused, key=lambda q: len(tokens[q][2]))
    t, _, run = tokens[k]
    # cutting a run pays off only when the row lacks values (or the run is unreadable as one)
    gain = 0.05 if len(tokens) < n or unreadable else -0.2
    exact = n - len(tokens) + 1  # the cut that fills the row exactly is tried first
    for parts in [exact] + [q for q in range(2, exact + 1 + MAX_EXTRA) if q != exact]:
        for split in _digit_splits(run, parts):
            nums = [v for v in split if v is not None] or [0]
            # priors for cuts no identity decides: most cells are zero; magnitudes alike
            prior = gain - 0.01 * float(np.std([len(str(v)) for v in nums])) + 0.01 * nums.count(0) \
                - 0.001 * math.log10(1 + max(nums))
            yield plain[:k] + [(t, v) for v in split] + plain[k + 1:], prior


def _row_candidates(row: Row, tokens: List[Token], extra_at: Optional[int] = None,
                    cols_r: Optional[Dict[int, Optional[int]]] = None,
                    ends: Optional[Dict[int, Optional[int]]] = None
                    ) -> Iterable[Tuple[List[Tuple[int, Optional[float]]], float]]:
    """Candidate placements (column -> (item, value)) of a row's tokens, with a prior.

    ``extra_at`` is the position of an extra printed column (a 小计 header was seen);
    ``cols_r``/``ends`` the items' cell positions from the last filled cell / from the end of
    their pipe/tab row."""
    cols_r = cols_r or {}
    ends = ends or {}
    n = len(row.cells)
    has_total = row.cells[-1].endswith(".total")
    budget = MAX_CANDIDATES
    for vals, prior0 in _expansions(tokens, n):
        k = len(vals)
        if k == n:
            budget -= 1
            nums = [v or 0 for _, v in vals]
            yield vals, prior0 + (LAST_IS_MAX if n > 1 and nums[-1] == max(nums) else 0.0)
        elif k < n:  # blank cells dropped: choose the columns the values sit in
            # a pipe/tab row whose cells all fit the grid tells the columns by position
            grid = tuple(n - 1 - ends[t] if ends.get(t) is not None else -1 for t, _ in vals)
            if any(c < 0 for c in grid) or list(grid) != sorted(set(grid)):
                grid = None
            for cols in itertools.islice(itertools.combinations(range(n), k), max(budget, 0)):
                budget -= 1
                place: List[Tuple[int, Optional[float]]] = [(-1, None)] * n
                for c, tv in zip(cols, vals):
                    place[c] = tv
                prior = prior0 - 0.002 * sum(cols)
                if has_total and cols and cols[-1] == n - 1:
                    prior += 0.03
                if grid is not None and cols == grid:
                    prior += GRID_HINT
                yield place, prior
        else:  # an extra column: choose the values to keep
            blanks = {q for q, (_, v) in enumerate(vals) if v is None}
            # blanks left of a pipe row's value columns are merged label cells
            outside = {q for q in blanks if (cols_r.get(vals[q][0]) or 0) >= n}
            for keep in itertools.islice(itertools.combinations(range(k), n), max(budget, 0)):
                budget -= 1
                hint = 0.5 if k == n + 1 and extra_at is not None and extra_at not in keep else 0.0
                dropped_blanks = len(blanks) - len(blanks.intersection(keep))
                dropped_outside = len(outside) - len(outside.intersection(keep))
                yield [vals[q] for q in keep], prior0 - 0.002 * sum(keep) - 0.01 * (k - n) + hint + \
                    0.1 * dropped_blanks + 0.15 * dropped_outside
        if budget <= 0:
            return


def _extra_columns(doc: Doc, p: Placement) -> Dict[str, int]:
    """Tables whose header shows an extra column (小计/合计 in table 三), with its position."""
    first = next((a.pos for a in p.anchors if a.kind == "row" and a.target.startswith("requests.")), None)
    title = next((a.pos for a in p.anchors if a.kind == "title" and a.target == "requests"), None)
    if first is None:
        return {}
    lo = title if title is not None else max(0, first - 60)
    if any(label_key(doc.items[i].text) in EXTRA_HEADERS for i in range(lo, first)):
        return {"requests": 6}  # printed between 其他 and 总计
    return {}


def _x_centres(doc: Doc) -> Dict[int, float]:
    """Character column of the centre of every value cut from a space-aligned line."""
    out = {}
    for i, it in enumerate(doc.items):
        if it.is_value and it.split in ("space", "trail") and it.text:
            line_start = doc.text.rfind("\n", 0, it.start) + 1
            out[i] = (it.start + it.end) / 2 - line_start
    return out


def _column_model(layout: Sequence[Row], rows: Dict[str, List[int]], xs: Dict[int, float]
                  ) -> Dict[Tuple[str, int], List[float]]:
    """Median x of each column, learnt from the complete space-aligned rows of each table."""
    acc: Dict[Tuple[str, int], List[List[float]]] = {}
    for row in layout:
        toks = rows.get(row.id, [])
        if len(toks) == len(row.cells) and all(t in xs for t in toks):
            cols = acc.setdefault((row.table, len(row.cells)), [[] for _ in row.cells])
            for k, t in enumerate(toks):
                cols[k].append(xs[t])
    return {key: [float(np.median(c)) for c in cols] for key, cols in acc.items()
            if all(cols) and all(b - a > 1 for a, b in zip([float(np.median(c)) for c in cols],
                                                          [float(np.median(c)) for c in cols][1:]))}


def _nearest_columns(xpos: Sequence[float], centres: Sequence[float]) -> Optional[Tuple[int, ...]]:
    """The order-keeping columns nearest to ``xpos`` (None when two values want one column)."""
    cols = tuple(int(np.argmin([abs(x - c) for c in centres])) for x in xpos)
    return cols if list(cols) == sorted(set(cols)) else None


def _repair(p: Placement, tmpl: Template, rows: Dict[str, List[int]], items: List[Item],
            conf_of: Dict[int, float], extra: Optional[Dict[str, int]] = None,
            xs: Optional[Dict[int, float]] = None) -> None:
    """Re-place the rows whose value count does not match their columns, guided by identities."""
    xs = xs or {}
    model = _column_model(p.layout, rows, xs)
    idents = _identities_for(tmpl)
    by_cell: Dict[str, list] = {}
    for ident in idents:
        for c in ident[0] + ident[1]:
            by_cell.setdefault(c, []).append(ident)
    todo = []
    for row in p.layout:
        toks = rows.get(row.id, [])
        fused = any(items[t].split == "fused" for t in toks)
        if len(toks) != len(row.cells) or fused:
            todo.append(row)
    unsettled = {c for row in todo for c in row.cells}
    for sweep in range(2):
        for row in todo:
            toks = rows.get(row.id, [])
            if not toks:
                continue
            n = len(row.cells)
            # a glued run: digits glued to a label, or a row's lone value with a digit per cell
            tokens = [(t, items[t].value.number, items[t].value.digits
                       if items[t].split == "fused" or (len(toks) == 1 and n >= 3 and len(items[t].value.digits) >= n)
                       else "") for t in toks]
            mine = set(row.cells)
            rel = {id(x): x for c in row.cells for x in by_cell.get(c, [])
                   # first sweep: only sums whose other cells are settled (unrepaired rows mislead)
                   if sweep or all(cc in mine or cc not in unsettled for cc in x[0] + x[1])}
            scorer = _row_scorer(p.cells, row.cells, list(rel.values()))
            cols_r = {t: items[t].col_r for t in toks}
            ends = {t: items[t].col_end for t in toks}
            centres = model.get((row.table, len(row.cells)))
            if centres and len(toks) < len(row.cells) and all(t in xs for t in toks):
                near = _nearest_columns([xs[t] for t in toks], centres)
                if near is not None:  # a space-aligned row: its columns are where it stands
                    ends = {t: len(row.cells) - 1 - c for t, c in zip(toks, near)}
            cands = list(_row_candidates(row, tokens, (extra or {}).get(row.table), cols_r, ends))
            if not cands:
                continue
            vals = np.array([[v or 0 for _, v in place] for place, _ in cands], dtype=float)
            scores = scorer(vals) + np.array([prior for _, prior in cands])
            k_best = int(np.argmax(scores))  # the first of equals, as candidates come in order
            best = (float(scores[k_best]), cands[k_best][0])
            # doubt only counts between placements that give different cells
            rivals = np.any(vals != vals[k_best], axis=1)
            margin = best[0] - float(scores[rivals].max()) if rivals.any() else 1.0
            certainty = 0.9 if margin >= 0.9 else (0.6 if margin > 0.02 else 0.35)
            for cell, (t, v) in zip(row.cells, best[1]):
                p.cells[cell] = v
                if t >= 0:
                    p.src[cell] = t
                    p.conf[cell] = min(conf_of.get(t, 0.5), certainty)
                else:
                    p.src.pop(cell, None)
                    p.conf[cell] = certainty
            p.notes.append({"row": row.id, "values": len(toks), "columns": len(row.cells),
                            "certainty": certainty})


def _after_heading(items: List[Item], i: int, pheading: np.ndarray) -> bool:
    j = i - 1
    while j >= 0 and not items[j].text:
        j -= 1
    return j >= 0 and pheading[j] > 0.5


# --------------------------------------------------------------------------- one layout
def decode_layout(doc: Doc, tmpl: Template, layout: Tuple[Row, ...]) -> Placement:
    """Decode ``doc`` against one row layout of ``tmpl``."""
    items = doc.items
    anchors = select_anchors(_anchor_candidates(doc, tmpl, layout))
    pcell = doc.p("cell")
    if anchors:
        start = max(0, anchors[0].pos - 40)
        end_anchor = next((a for a in anchors if a.kind == "end"), None)
        stop = end_anchor.pos if end_anchor else len(items)
    else:
        start, stop = 0, len(items)
    values = [i for i in range(start, stop) if items[i].is_value][:MAX_VALUES]
    p = Placement(layout=layout, score=sum(a.score for a in anchors), anchors=anchors)
    for row in layout:
        for c in row.cells:
            p.cells[c] = None
            p.conf[c] = 0.3
    if not values:
        return p
    apos = np.array([a.pos for a in anchors]) if anchors else np.array([], dtype=int)
    arow = np.array([a.row for a in anchors]) if anchors else np.array([])
    vpos = np.array(values)
    k_after = np.searchsorted(apos, vpos, side="left")   # first anchor after the value
    lo = np.where(k_after > 0, arow[np.maximum(k_after - 1, 0)] if len(arow) else -1.0, -1.0)
    hi = np.where(k_after < len(apos), arow[np.minimum(k_after, max(len(apos) - 1, 0))] if len(arow) else 1e9, 1e9)
    if not anchors:
        lo = np.full(len(values), 0.0)
        hi = np.full(len(values), float(len(layout)))
    aline = np.array([items[a.pos].line for a in anchors]) if anchors else np.array([], dtype=int)
    vline = np.array([items[v].line for v in values])
    has_lo = k_after > 0
    has_hi = k_after < len(apos)
    line_lo = has_lo & (aline[np.maximum(k_after - 1, 0)] == vline) if len(aline) else np.zeros(len(values), bool)
    line_hi = has_hi & (aline[np.minimum(k_after, max(len(aline) - 1, 0))] == vline) if len(aline) else np.zeros(len(values), bool)
    line_hi = line_hi & ~line_lo
    nonval = np.concatenate([[0], np.cumsum([not it.is_value for it in items])])  # prefix counts
    prev_pos = apos[np.maximum(k_after - 1, 0)] if len(apos) else np.zeros(len(values), int)
    next_pos = apos[np.minimum(k_after, max(len(apos) - 1, 0))] if len(apos) else np.zeros(len(values), int)
    run_lo = has_lo & (nonval[vpos] - nonval[np.minimum(prev_pos + 1, len(items))] == 0) if len(apos) else np.zeros(len(values), bool)
    run_hi = has_hi & (nonval[np.maximum(next_pos, 0)] - nonval[vpos + 1] == 0) if len(apos) else np.zeros(len(values), bool)
    # a label whose own line carries values is a one-line row: later lines are not its run
    lines_with_values = {it.line for it in items if it.is_value}
    row_on_line = np.array([items[a.pos].line in lines_with_values for a in anchors], dtype=bool)
    if len(apos):
        run_lo = run_lo & ~(row_on_line[np.maximum(k_after - 1, 0)] & (aline[np.maximum(k_after - 1, 0)] != vline))
    run_hi = run_hi & ~run_lo & ~line_lo
    slots = [(k, c) for k, row in enumerate(layout) for c in row.cells]
    slot_row = np.array([k for k, _ in slots], dtype=float)
    slot_dec = np.array([_column_unit(tmpl, c) in ("万元", "元") for _, c in slots])
    w = np.clip(pcell[vpos], 0.0, 1.0)
    # blank cells kept by segmentation weigh EMPTY_CELL, unless they follow a header (a blank
    # header cell, not a table cell)
    pheading = doc.p("heading")
    empty = np.array([not items[v].text and not _after_heading(items, v, pheading) for v in values])
    w = np.where(empty, np.maximum(w, EMPTY_CELL), w)
    total, pairs, m = _align(values, items, w, lo, hi, slot_row, slot_dec, line_lo, line_hi, run_lo, run_hi)
    p.score += total
    conf_of: Dict[int, float] = {}
    rows: Dict[str, List[int]] = {}
    for vk, j in pairs:
        it = values[vk]
        row = layout[slots[j][0]]
        cell = slots[j][1]
        p.cells[cell] = to_column_unit(items[it].value, _column_unit(tmpl, cell))
        p.src[cell] = it
        conf = min(1.0, max(0.0, float(m[vk, j])))
        p.conf[cell] = conf
        conf_of[it] = conf
        rows.setdefault(row.id, []).append(it)
    # unplaced confident values count as the row of their nearest placed neighbour (same line
    # first, else the value before them): an extra column; the repair decides what to keep
    row_of_vk = {vk: layout[slots[j][0]].id for vk, j in pairs}
    ncols = {row.id: len(row.cells) for row in layout}
    used = sorted(row_of_vk)
    for vk in range(len(values)):
        if vk in row_of_vk or w[vk] <= 0.5 or not used:
            continue
        it = items[values[vk]]
        if not it.text and it.col_r is not None and it.col_r >= max(ncols.values()):
            continue  # an empty cell left of every value column: a merged label cell
        k = int(np.searchsorted(used, vk))
        before = used[k - 1] if k > 0 else None
        after = used[k] if k < len(used) else None
        line = items[values[vk]].line
        label_row = layout[int(lo[vk])].id if 0 <= lo[vk] < len(layout) and lo[vk] == int(lo[vk]) else None
        if after is not None and items[values[after]].line == line and (
                before is None or items[values[before]].line != line):
            rid = row_of_vk[after]
        elif before is not None and items[values[before]].line == line:
            rid = row_of_vk[before]
        elif label_row in rows:  # the row whose label it follows
            rid = label_row
        else:
            rid = row_of_vk[before if before is not None else after]
        if not it.text and it.col_r is not None and it.col_r >= ncols[rid]:
            continue
        if len(rows[rid]) < ncols[rid] + MAX_EXTRA:
            rows[rid].append(values[vk])
            conf_of[values[vk]] = float(w[vk]) * 0.8
    for rid in rows:
        rows[rid].sort()
    for row in layout:
        if row.id in rows:
            for c in row.cells:
                if c not in p.src:
                    p.conf[c] = 0.85
    _repair(p, tmpl, rows, items, conf_of, _extra_columns(doc, p), _x_centres(doc))
    return p


# --------------------------------------------------------------------------- reading order
def _zone(p: Placement, table: str, n_items: int) -> Optional[Tuple[int, int]]:
    """Item range of ``table``: from its title anchor to the next table's title or the end."""
    start = next((a.pos for a in p.anchors if a.kind == "title" and a.target == table), None)
    if start is None:
        return None
    later = [a.pos for a in p.anchors if a.pos > start and (a.kind in ("title", "end"))]
    return start, (min(later) if later else n_items)


def _runs(doc: Doc, vals: List[int]) -> List[List[int]]:
    """Value positions (indexes into ``vals``) grouped into runs broken by other text."""
    runs: List[List[int]] = []
    for k, i in enumerate(vals):
        if k == 0 or any(not doc.items[j].is_value for j in range(vals[k - 1] + 1, i)):
            runs.append([])
        runs[-1].append(k)
    return runs


def _reread(doc: Doc, tmpl: Template, p: Placement) -> None:
    """Try the other reading orders of :mod:`gxml.reorder` where identities are broken."""
    idents = _identities_for(tmpl)
    pcell = doc.p("cell")
    items = doc.items
    placed = set(p.src.values())
    for table in ("requests", "disputes"):
        rel = [x for x in idents if x[0][0].startswith(table + ".")]
        if not rel:
            continue
        z = _zone(p, table, len(items))
        if z is None:
            continue
        vals = [i for i in range(*z) if items[i].is_value and pcell[i] > 0.5]
        broken = any(_sides_score(sum((p.cells.get(c) or 0) for c in l), sum((p.cells.get(c) or 0) for c in r)) < 0
                     for l, r, _ in rel)
        if not broken and all(i in placed for i in vals):
            continue  # the printed order already reads right
        runs = _runs(doc, vals)
        current = _identity_score(p.cells, rel)
        if table == "requests":
            starts = [False] * (len(vals) + 1)
            for run in runs:
                starts[run[0]] = True
            for layout in tmpl.layouts():
                rows = [r for r in layout if r.table == "requests"]
                order = stream_rows([items[i].value.number for i in vals], len(rows), len(rows[0].cells), starts)
                if order is None:
                    continue
                trial = {c: v for c, v in p.cells.items() if not c.startswith("requests.")}
                src = {}
                for row, pos in zip(rows, order):
                    for cell, k in zip(row.cells, pos):
                        trial[cell] = items[vals[k]].value.number
                        src[cell] = vals[k]
                s = _identity_score(trial, rel)
                # a re-read must be (nearly) consistent and clearly better: a report that
                # misprints its sums is not to be "fixed" by reading it in another order
                if s > current + 1.0 and _breaks(trial, rel) <= min(1, _breaks(p.cells, rel) - 2):
                    _adopt(p, tmpl, trial, src, pcell, table, "stream")
                    p.layout = tuple(r for r in p.layout if r.table != "requests") + tuple(rows)
                    current = s
        elif len(vals) == 15:
            row = tmpl.rows[-1]

            def score(seq: List[int]) -> float:
                trial = dict(p.cells)
                for cell, k in zip(row.cells, seq):
                    trial[cell] = items[vals[k]].value.number
                return _identity_score(trial, rel)

            seq = permute_runs(runs, score)
            if seq is not None and score(seq) > current + 1.0 and _breaks(
                    {**p.cells, **{c: items[vals[k]].value.number for c, k in zip(row.cells, seq)}}, rel) == 0:
                trial = dict(p.cells)
                src = {}
                for cell, k in zip(row.cells, seq):
                    trial[cell] = items[vals[k]].value.number
                    src[cell] = vals[k]
                _adopt(p, tmpl, trial, src, pcell, table, "runs")


def _adopt(p: Placement, tmpl: Template, cells: Dict[str, Optional[float]], src: Dict[str, int],
           pcell: np.ndarray, table: str, how: str) -> None:
    for c in tmpl.cells:
        if c.startswith(table + "."):
            p.cells[c] = cells.get(c)
            if c in src:
                p.src[c] = src[c]
                p.conf[c] = round(0.8 * float(pcell[src[c]]), 3)
            else:
                p.src.pop(c, None)
                p.conf[c] = 0.8
    p.notes.append({"row": table, "reread": how, "certainty": 0.8})


def _repeated_rows(doc: Doc, tmpl: Template) -> List[str]:
    """Rows whose label is printed twice or more, when most rows are (a report's tables twice)."""
    ix = index_for(tmpl.name)
    plab = doc.p("label")
    count: Dict[str, int] = {}
    for i, it in enumerate(doc.items):
        if it.value is None and plab[i] > 0.5 and len(it.text) <= 80:
            for t, sc in ix.match(it.text, top=1):
                if t.kind == "row" and sc >= 0.9:
                    count[t.id] = count.get(t.id, 0) + 1
    twice = sorted(r for r, n in count.items() if n >= 2)
    return twice if count and len(twice) >= 0.5 * len(count) else []


def _plausible_layouts(doc: Doc, tmpl: Template) -> List[Tuple[Row, ...]]:
    """The layouts worth decoding: where the text names a row only one layout has (the
    （六） sub-rows), that layout alone; otherwise all of them."""
    layouts = tmpl.layouts()
    if len(layouts) == 1:
        return layouts
    ix = index_for(tmpl.name)
    only = {}
    for k, lay in enumerate(layouts):
        ids = {r.id for r in lay}
        for other in layouts:
            ids -= {r.id for r in other if other is not lay}
        only[k] = ids
    seen = set()
    plab = doc.p("label")
    for i, it in enumerate(doc.items):
        if it.value is None and plab[i] > 0.5 and len(it.text) <= 80:
            for t, sc in ix.match(it.text, top=1):
                if t.kind == "row" and sc >= 0.9:
                    seen.add(t.id)
    named = [k for k, ids in only.items() if ids & seen]
    if len(named) == 1 and any(len(ids) > 1 for ids in only.values() if ids & seen):
        return [layouts[named[0]]]
    return layouts


# --------------------------------------------------------------------------- entry point
def decode(doc: Doc, template: Optional[str] = None) -> Report:
    """Rebuild the template grid of a tagged document."""
    rep = Report(method="ml")
    name, evidence = (template, {}) if template else choose_template(doc)
    if name is None:
        rep.add_issue("no_tables", "no table of an annual report was found in the text", evidence=evidence)
        return rep
    tmpl = get_template(name)
    best: Optional[Placement] = None
    for layout in _plausible_layouts(doc, tmpl):
        pl = decode_layout(doc, tmpl, layout)
        if best is None or pl.score > best.score + 1e-9:
            best = pl
    assert best is not None
    _reread(doc, tmpl, best)
    rep.template = name
    for cell in tmpl.cells:
        rep.cells[cell] = best.cells.get(cell)
        rep.confidence[cell] = round(float(best.conf.get(cell, 0.9)), 3)
        it = best.src.get(cell)
        rep.lines[cell] = doc.items[it].line if it is not None else None
        rep.raw[cell] = doc.items[it].text if it is not None else None
    repeated = _repeated_rows(doc, tmpl)
    if repeated:
        rep.add_issue("repeated_tables", f"{len(repeated)} row labels are printed more than once "
                      "(tables repeated?); one copy was read", rows=repeated)
    for table in ("active", "requests", "disputes"):
        keys = [c for c in tmpl.cells if c.startswith(table + ".")]
        if not any(best.src.get(c) is not None for c in keys):
            rep.add_issue("missing_table", f"table {table} ({tmpl.titles[table]}) was not found", table=table)
    for note in best.notes:
        if note.get("reread"):
            rep.add_issue("reading_order", f"table {note['row']}: values re-read in another order "
                          f"({note['reread']}) because the printed order broke the identities", table=note["row"])
        elif note["certainty"] < 0.6:
            rep.add_issue("ambiguous_row", f"row {note['row']}: {note['values']} values for "
                          f"{note['columns']} columns; placement uncertain", **note)
    return rep
