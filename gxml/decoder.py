"""The constrained decoder: rebuilds the template grid from tagged items.

1. The template and the anchors (:mod:`gxml.anchors`): items that name a row, a table
   title or the end of the tables, kept as a chain in template order.
2. Alignment: the value items, in text order, are aligned to the template's cell slots, in
   print order, by dynamic programming. A value scores its cell probability, minus a penalty
   when it lies outside the stretch between the anchors of its row (values may come after
   their label, before it, or where the label was lost). Values that fit nowhere (page
   numbers, narrative) are skipped; slots without a value stay blank.
3. Repair (:mod:`gxml.repair`): a row with too few values (blank cells dropped), too many (an
   extra column) or fused digits (``801000081``) is re-placed by enumerating candidates and
   preferring those that satisfy the accounting identities.
4. Reading order (:mod:`gxml.reorder`): tables whose printed order breaks the identities
   (PDF text read column by column) are re-read.
5. Units (:mod:`gxml.header_units`): values under a header that prints another unit than
   their column's (``采购总金额（万元）``) are put in the column's.
Every cell gets a confidence and the line it came from.
"""
from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Dict, List, NamedTuple, Optional, Set, Tuple

import numpy as np

from .anchors import (CLEARLY_NAMED, PARTLY_NAMED, Match, anchor_candidates, choose_template, counts_at,
                      end_past_table_parts, label_matches, plausible_layouts, repeated_rows, row_label_items,
                      select_anchors)
from .blocks import column_runs, label_block_before, label_blocks
from .copies import MAX_COPIES, Copy, copy_starts, copy_to_read, note_copies, split_copies
from .doc import Doc, Item
from .header_units import rescale
from .identities import breaks, identities_for, identity_score
from .labels import label_key
from .placement import Placement
from .columns import ColumnFinder, Positions, positions
from .reorder import moved_lead, permute_runs, stream_orders, transposed
from .repair import MAX_EXTRA, extra_columns, last_is_total, repair
from .segment import is_page_number
from .report import Report
from .templates import Row, Template, get_template, load_aliases
from .value_prior import ValuePrior
from .values import to_column_unit

OUTSIDE = 1.0           # penalty for a value placed outside its row's stretch ...
OUTSIDE_PER_ROW = 0.3   # ... plus this per row of distance
SAME_LINE = 1.2         # penalty for leaving the row whose label shares the value's line
ATTACHED = 1.2          # penalty for moving a value printed right after a label to the next row
MAX_VALUES = 4000       # values considered in one document
EMPTY_CELL = 0.6        # weight of an empty cell between filled ones (the tagger sees no text)
LABELLED_BLANK = 0.6    # confidence of the cells of a row whose label was found with no values
NO_ANCHOR_BEFORE = -0.75  # the row before a value that follows no anchor is -1 (a title's is -0.5)
LOOSE_VALUE = 0.2       # cell probability of a doubted value a re-read may still count
MISPRINTS = 2           # sums a re-read of table 三 may break (a report's misprints) when the printed
#                         order left most values unread or breaks 4 times as many (over 700 typeset
#                         texts and the synthetic test set, no wrong re-read broke so few there; one
#                         that broke 2 where the printed order, right, broke 5 did)
MIN_UNPLACED = 5        # a table with this many (and at least half) of its values placed nowhere is flagged
BROKEN_ROW_CERTAINTY = 0.3  # at most, for the cells of a row printed whole whose own sum breaks
#   where other rows of its table had blank cells dropped: values of other rows read into it
#   (plain PDF text loses the columns)
VALUES_FIRST_GAIN = 1.0  # identity score by which reading values as their next label's must win
VALUES_FIRST_PRIOR = 1.0  # ... or, with no sum lost, the learnt value prior's log-probability
#   (规章 rarely has values where 行政规范性文件 often does; chosen on the validation set)
BLOCK_CERTAINTY = 0.5   # most a run printed before a block of labels is trusted when no sum says whose it is


# --------------------------------------------------------------------------- alignment
def _column_unit(tmpl: Template, cell: str) -> Optional[str]:
    return _units(tmpl.name).get(cell)


@lru_cache(maxsize=None)
def _units(name: str) -> Dict[str, str]:
    return dict(load_aliases().get("column_units", {}).get(name, {}))


def _align(values: List[int], items: List[Item], w: np.ndarray, lo: np.ndarray, hi: np.ndarray,
           slot_row: np.ndarray, slot_dec: np.ndarray, line_lo: np.ndarray,
           line_hi: np.ndarray, run_lo: np.ndarray, run_hi: np.ndarray, need: Optional[float] = None
           ) -> Optional[Tuple[float, List[Tuple[int, int]], np.ndarray]]:
    """Monotone alignment of values (in order) to slots (in order); returns pairs (value k, slot j).

    ``lo``/``hi`` are the rows of the anchors before/after each value; ``line_lo``/``line_hi``
    say whether the value shares its line with that anchor (then it belongs to that row);
    ``run_lo``/``run_hi`` whether only values stand between it and that anchor. With ``need``,
    returns None, without aligning, when no alignment can score more than ``need``.
    """
    isdec = np.array([isinstance(items[v].value.number, float) for v in values])
    # values with the same anchors and flags share a penalty row: compute each distinct one once
    keys: Dict[tuple, int] = {}
    inverse = [keys.setdefault(k, len(keys)) for k in zip(lo.tolist(), hi.tolist(), line_lo.tolist(),
                                                           line_hi.tolist(), run_lo.tolist(),
                                                           run_hi.tolist(), isdec.tolist())]
    u = np.array(list(keys), dtype=float)
    pen = _penalties(u[:, 0], u[:, 1], slot_row, slot_dec, u[:, 2] > 0, u[:, 3] > 0, u[:, 4] > 0,
                     u[:, 5] > 0, u[:, 6] > 0)
    m = w[:, None] + pen[inverse]
    if need is not None and _bound(m) <= need:
        return None
    score = _running_best(m)
    return float(score[-1, -1]), _traceback(score), m


def _bound(m: np.ndarray) -> float:
    """An upper bound of the score of any monotone matching with gains ``m`` (values x
    slots): matched pairs are distinct values in distinct slots, and a pair gaining <= 0 is
    never matched, so per value (or per slot) at most its best positive gain counts."""
    best = np.maximum(m, 0.0)
    return float(min(best.max(axis=1).sum(), best.max(axis=0).sum()))


def _penalties(lo: np.ndarray, hi: np.ndarray, slot_row: np.ndarray, slot_dec: np.ndarray,
               line_lo: np.ndarray, line_hi: np.ndarray, run_lo: np.ndarray, run_hi: np.ndarray,
               isdec: np.ndarray) -> np.ndarray:
    """(values x slots) penalty of placing each value in each slot (see :func:`_align`)."""
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
    return pen - 0.6 * (isdec[:, None] & ~slot_dec[None, :])


def _running_best(m: np.ndarray) -> np.ndarray:
    """``score[i, j]``: the best total of a monotone matching of the first i values to the
    first j slots, a pair (k, j) gaining ``m[k, j]``. Every entry is >= 0 (matching nothing
    scores 0), so column 0 stays 0 and each row is the running max of (the row above, the
    diagonal + m): three numpy calls a row."""
    V, S = m.shape
    score = np.zeros((V + 1, S + 1))
    heads, tails = score[:, :-1], score[:, 1:]
    add, maximum, running_max = np.add, np.maximum, np.maximum.accumulate
    for i in range(V):
        cur = tails[i + 1]
        add(heads[i], m[i], out=cur)
        maximum(cur, tails[i], out=cur)
        running_max(cur, out=cur)
    return score


def _traceback(score: np.ndarray) -> List[Tuple[int, int]]:
    """The pairs (value k, slot j) of the matching :func:`_running_best` scored, in order."""
    pairs = []
    at = score.item  # a Python float: quicker to read and compare than score[i, j]
    i, j = score.shape[0] - 1, score.shape[1] - 1
    while i > 0 and j > 0:
        s = at(i, j)
        if s == at(i, j - 1):
            j -= 1
        elif s == at(i - 1, j):
            i -= 1
        else:
            pairs.append((i - 1, j - 1))
            i -= 1
            j -= 1
    pairs.reverse()
    return pairs


def _label_end(items: List[Item], pos: int, stop: int, label: Optional[str]) -> Tuple[int, int]:
    """The line and the item where the row label at ``pos`` ends: a label broken over lines
    (``1.本机关不掌握相关政府信`` / ``息 185 0 0 185``) goes on while the next items, up to its
    first value, complete the printed part of ``label`` (a vertical 度办 does not). In
    single-space text the label column is the line's last piece: ``度 （四） 息`` goes on with 息."""
    end, last = items[pos].line, pos
    if label is None:
        return end, last
    full = label_key(label)
    text = label_key(items[pos].text)
    j = pos + 1
    while j < stop and not items[j].is_value and items[j].line <= end + 1:
        piece = items[j].text
        tail = label_key(piece)
        if text + tail not in full and " " in piece.strip():
            tail = label_key(piece.split()[-1])
        text += tail
        if not tail or text not in full:
            break
        end, last = items[j].line, j
        j += 1
    return end, last


def _after_heading(items: List[Item], i: int, pheading: np.ndarray) -> bool:
    j = i - 1
    while j >= 0 and not items[j].text:
        j -= 1
    return j >= 0 and pheading[j] > 0.5


# --------------------------------------------------------------------------- one layout
@lru_cache(maxsize=16)
def _slots(name: str, layout: Tuple[Row, ...]) -> Tuple[List[Tuple[int, str, Optional[str]]], np.ndarray, np.ndarray]:
    """The cell slots of ``layout`` in print order as (row position, cell, column unit), the
    row position of each (floats) and whether each holds money (万元/元) (read-only arrays)."""
    slots = [(k, c, _column_unit(get_template(name), c)) for k, row in enumerate(layout) for c in row.cells]
    slot_row = np.array([k for k, _, _ in slots], dtype=float)
    slot_dec = np.array([unit in ("万元", "元") for _, _, unit in slots], dtype=bool)
    slot_row.flags.writeable = slot_dec.flags.writeable = False
    return slots, slot_row, slot_dec


class DocFacts(NamedTuple):
    """What decoding needs of a document whatever the layout, computed once per document."""

    matches: List[Match]       # :func:`gxml.anchors.label_matches`
    nonval: np.ndarray         # prefix counts of the items that are no value
    soft: np.ndarray           # ... that are neither a value nor a page number
    lines_with_values: Set[int]
    positions: Positions       # :func:`gxml.columns.positions` of values and headers
    delimited: bool            # some cells were cut by pipes or tabs


def doc_facts(doc: Doc, tmpl: Template) -> DocFacts:
    """The layout-independent facts :func:`decode_layout` uses."""
    items = doc.items
    # prefix counts of the items that break a run of values; before a label, a page number
    # does not (values printed before their label may be cut by a page break)
    nonval = np.concatenate([[0], np.cumsum([not it.is_value for it in items])])
    soft = np.concatenate([[0], np.cumsum([not it.is_value and not is_page_number(it.text) for it in items])])
    return DocFacts(label_matches(doc, tmpl), nonval, soft, {it.line for it in items if it.is_value},
                    positions(doc, values_only=False), any(it.split in ("pipe", "tab") for it in items))


class Aligned(NamedTuple):
    """One layout's anchors and alignment: its placement holds the final score (the repair
    and what follows the alignment do not change it) and blank cells so far."""

    placement: Placement
    values: List[int]                 # item index of each value considered
    pairs: List[Tuple[int, int]]      # (value k, slot j) aligned
    gains: np.ndarray                 # (values x slots) alignment gains
    w: np.ndarray                     # weight of each value
    lo: np.ndarray                    # row of the anchor before each value
    between: int = 0                  # runs of values right between two labels, on neither's line


def decode_layout(doc: Doc, tmpl: Template, layout: Tuple[Row, ...],
                  prior: Optional[ValuePrior] = None, facts: Optional[DocFacts] = None) -> Placement:
    """Decode ``doc`` against one row layout of ``tmpl`` (``prior``: the learnt value prior
    that breaks ties between placements of a row; ``facts``: :func:`doc_facts`, computed
    when not given)."""
    facts = facts or doc_facts(doc, tmpl)
    return _place(doc, tmpl, _align_layout(doc, tmpl, layout, facts), facts, prior)


def _align_layout(doc: Doc, tmpl: Template, layout: Tuple[Row, ...], facts: DocFacts,
                  values_first: bool = False, beat: Optional[float] = None) -> Optional[Aligned]:
    """Anchor ``layout`` in ``doc`` and align the values to its slots (the placement's score).

    A run of values right between two labels and on neither's line goes to the label before
    it, or with ``values_first`` (pdfplumber prints values above a lower-set label) to the one
    after it. With ``beat`` (another layout's score), returns None when the layout cannot score
    more (the alignment, most of the work, is then skipped)."""
    items = doc.items
    anchors = end_past_table_parts(doc, select_anchors(anchor_candidates(doc, tmpl, layout, facts.matches)))
    pcell = doc.p("cell")
    if anchors:
        start = max(0, anchors[0].pos - 40)
        end_anchor = next((a for a in anchors if a.kind == "end"), None)
        stop = end_anchor.pos if end_anchor else len(items)
    else:
        start, stop = 0, len(items)
    values = [i for i in range(start, stop) if items[i].is_value][:MAX_VALUES]
    p = _blank(layout, sum(a.score for a in anchors), anchors)
    if not values:
        return Aligned(p, values, [], np.zeros((0, 0)), np.zeros(0), np.zeros(0))
    apos = np.array([a.pos for a in anchors]) if anchors else np.array([], dtype=int)
    arow = np.array([a.row for a in anchors]) if anchors else np.array([])
    vpos = np.array(values)
    k_after = np.searchsorted(apos, vpos, side="left")   # first anchor after the value
    kb = np.maximum(k_after - 1, 0)                        # ... and the one before it
    lo = np.where(k_after > 0, arow[kb] if len(arow) else -1.0, -1.0)
    hi = np.where(k_after < len(apos), arow[np.minimum(k_after, max(len(apos) - 1, 0))] if len(arow) else 1e9, 1e9)
    if not anchors:
        lo = np.full(len(values), 0.0)
        hi = np.full(len(values), float(len(layout)))
    aline = np.array([items[a.pos].line for a in anchors]) if anchors else np.array([], dtype=int)
    vline = np.array([items[v].line for v in values])
    has_lo = k_after > 0
    has_hi = k_after < len(apos)
    ends = [_label_end(items, a.pos, b.pos if b is not None else len(items),
                       tmpl.row(a.target).label if a.kind == "row" else None)
            for a, b in zip(anchors, anchors[1:] + [None])]
    aend = np.array([e for e, _ in ends]) if anchors else aline
    alast = np.array([q for _, q in ends], dtype=int) if anchors else apos
    line_lo = has_lo & (aline[kb] <= vline) & (vline <= aend[kb]) if len(aline) else np.zeros(len(values), bool)
    line_hi = has_hi & (aline[np.minimum(k_after, max(len(aline) - 1, 0))] == vline) if len(aline) else np.zeros(len(values), bool)
    line_hi = line_hi & ~line_lo
    nonval, soft = facts.nonval, facts.soft
    # a run of values right after a label broken over lines: in space-aligned text (pdftotext
    # -layout) it is the label's, printed below it, and so in text that prints every cell on a
    # line of its own (plain pdftotext prints a label's lines, then its values); where rows
    # print on lines (pdfplumber) values come before a label's last part, and a run after it
    # is the next label's
    aligned = np.array([v in facts.positions for v in values], dtype=bool)
    if not facts.delimited and _values_after_broken_labels(items, anchors, aline, aend, alast,
                                                          facts.lines_with_values):
        aligned[:] = True  # (pdftotext -raw: values after the label's end, as -layout prints them)
    after_tail = aligned | (not facts.delimited and _cells_on_own_lines(anchors, aline, facts.lines_with_values))
    prev_pos = (np.where(after_tail, alast[kb], apos[kb]) if len(apos) else np.zeros(len(values), int))
    next_pos = apos[np.minimum(k_after, max(len(apos) - 1, 0))] if len(apos) else np.zeros(len(values), int)
    run_lo = has_lo & (nonval[vpos] - nonval[np.minimum(prev_pos + 1, len(items))] == 0) if len(apos) else np.zeros(len(values), bool)
    run_hi = has_hi & (soft[np.maximum(next_pos, 0)] - soft[vpos + 1] == 0) if len(apos) else np.zeros(len(values), bool)
    # a label whose own line carries values is a one-line row: other lines are not its run
    row_on_line = np.array([items[a.pos].line in facts.lines_with_values for a in anchors], dtype=bool)
    if len(apos):
        run_lo = run_lo & ~(row_on_line[kb] & (aline[kb] != vline))
        k_next = np.minimum(k_after, len(apos) - 1)
        run_hi = run_hi & ~(row_on_line[k_next] & (aline[k_next] != vline))
    if len(apos) > 1:  # a run that holds the next rows' values too: theirs go to them
        row_of = _shared_runs(anchors, layout, kb, run_lo & ~aligned)
        spill = ~np.isnan(row_of)
        run_lo = run_lo & ~spill
        lo, hi = np.where(spill, row_of, lo), np.where(spill, row_of, hi)
    between = run_lo & run_hi & ~line_lo & ~line_hi
    if values_first:
        run_lo = run_lo & ~between
    run_hi = run_hi & ~run_lo & ~line_lo
    slots, slot_row, slot_dec = _slots(tmpl.name, layout)
    w = np.clip(pcell[vpos], 0.0, 1.0)
    # blank cells kept by segmentation weigh EMPTY_CELL, unless they follow a header (a blank
    # header cell, not a table cell)
    pheading = doc.p("heading")
    empty = np.array([not items[v].text and not _after_heading(items, v, pheading) for v in values])
    w = np.where(empty, np.maximum(w, EMPTY_CELL), w)
    aligned_values = _align(values, items, w, lo, hi, slot_row, slot_dec, line_lo, line_hi, run_lo, run_hi,
                            None if beat is None else beat - p.score)
    if aligned_values is None:
        return None
    total, pairs, m = aligned_values
    p.score += total
    # (only text that prints some rows on lines can print values above their label: text with
    # every cell on its own line has its values "between" labels throughout)
    inline = bool((line_lo | line_hi).any())
    return Aligned(p, values, pairs, m, w, lo, int(between.sum()) if inline else 0)


def _blank(layout: Tuple[Row, ...], score: float, anchors: List) -> Placement:
    """A placement of ``layout`` with every cell blank, not yet placed (confidence 0.3)."""
    p = Placement(layout=layout, score=score, anchors=anchors)
    for row in layout:
        for c in row.cells:
            p.cells[c] = None
            p.conf[c] = 0.3
    return p


def _values_after_broken_labels(items: List[Item], anchors: List, aline: np.ndarray, aend: np.ndarray,
                                alast: np.ndarray, lines_with_values: Set[int]) -> bool:
    """Whether the text prints a row label broken over lines whole, then the row's values
    after it (pdftotext -raw), not the values on one of the label's lines (pdfplumber): rows
    print on lines (two one-line labels carry values), no broken label has values on its
    lines, and at least two are followed right away by a value on a line of its own (plain
    pdftotext prints every cell on a line of its own: no label carries values). Not asked of
    text whose cells pipes or tabs cut: they keep their own rows."""
    after = inline = 0
    for k, a in enumerate(anchors):
        if a.kind != "row":
            continue
        if aend[k] == aline[k]:
            inline += int(aline[k]) in lines_with_values
            continue
        if any(line in lines_with_values for line in range(aline[k], aend[k] + 1)):
            return False
        nxt = int(alast[k]) + 1
        after += nxt < len(items) and items[nxt].is_value and items[nxt].line > aend[k]
    return after >= 2 and inline >= 2


def _cells_on_own_lines(anchors: List, aline: np.ndarray, lines_with_values: Set[int]) -> bool:
    """Whether no row label carries a value on its line: every cell printed on a line of its
    own, as plain pdftotext prints a table (at least two row labels found)."""
    rows = [int(aline[k]) for k, a in enumerate(anchors) if a.kind == "row"]
    return len(rows) >= 2 and not any(line in lines_with_values for line in rows)


def _shared_runs(anchors: List, layout: Tuple[Row, ...], kb: np.ndarray, run: np.ndarray) -> np.ndarray:
    """The row of each value of a run that holds the values of several rows, NaN for the
    others. Plain pdftotext reads a lower-set label cell after its row's values, so a row's
    values may follow the label of the row before, or come after labels that have none:
    ``3.其他 0 … 0 12 … 12 2 … 2 （七）总计 四、结转…``. A run right after a row's label (``run``;
    ``kb`` is the anchor before each value) with nothing else before the next anchor is read so
    when the labels of the rows just before and after it have no values of their own, and
    exactly one stretch of those rows, its label's among them, has a cell for every value."""
    out = np.full(len(kb), np.nan)
    n = len(anchors)
    after = np.bincount(kb, minlength=n)
    in_run = np.bincount(kb[run], minlength=n)

    def row_at(k: int) -> Optional[int]:
        return int(anchors[k].row) if 0 <= k < n and anchors[k].kind == "row" else None

    for k in range(n):
        if row_at(k) is None or not in_run[k] or in_run[k] != after[k]:
            continue
        first = last = k  # the value-less row labels around k, one a row in layout order
        while row_at(first - 1) is not None and row_at(first - 1) == row_at(first) - 1 and not after[first - 1]:
            first -= 1
        while row_at(last + 1) is not None and row_at(last + 1) == row_at(last) + 1 and not after[last + 1]:
            last += 1
        cells = [len(layout[row_at(j)].cells) for j in range(first, last + 1)]
        fits = [(a, b) for a in range(first, k + 1) for b in range(k, last + 1)
                if (a, b) != (k, k) and sum(cells[a - first:b - first + 1]) == in_run[k]]
        if len(fits) == 1:
            a, b = fits[0]
            out[np.flatnonzero(kb == k)] = [row_at(j) for j in range(a, b + 1) for _ in layout[row_at(j)].cells]
    return out


def _place(doc: Doc, tmpl: Template, al: Aligned, facts: DocFacts, prior: Optional[ValuePrior]) -> Placement:
    """Fill the placement of an aligned layout: the aligned values, confident values left
    out as extra columns of their neighbours' rows, then :func:`gxml.repair.repair`."""
    p, values, pairs, m, w, lo, _ = al
    if not values:
        return p
    items, layout, anchors = doc.items, p.layout, p.anchors
    slots = _slots(tmpl.name, layout)[0]
    conf_of: Dict[int, float] = {}
    rows: Dict[str, List[int]] = {}
    gains = m[[vk for vk, _ in pairs], [j for _, j in pairs]].tolist()
    for (vk, j), gain in zip(pairs, gains):
        it = values[vk]
        k, cell, unit = slots[j]
        row = layout[k]
        p.cells[cell] = to_column_unit(items[it].value, unit)
        p.src[cell] = it
        conf = min(1.0, max(0.0, gain))
        p.conf[cell] = conf
        conf_of[it] = conf
        rows.setdefault(row.id, []).append(it)
    # unplaced confident values count as the row of their nearest placed neighbour (same line
    # first, else the value before them): an extra column; the repair decides what to keep
    row_of_vk = {vk: layout[slots[j][0]].id for vk, j in pairs}
    ncols = {row.id: len(row.cells) for row in layout}
    used = sorted(row_of_vk)
    for vk in range(len(values)):
        if vk in row_of_vk or w[vk] <= 0.5 or not used or lo[vk] < NO_ANCHOR_BEFORE:
            continue  # (a value before every anchor, the title's too, is prose: no row's)
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
    labelled = {a.target for a in anchors if a.kind == "row"}
    for row in layout:
        if row.id in rows:
            for c in row.cells:
                if c not in p.src:
                    p.conf[c] = 0.85
        elif row.id in labelled:  # the label is there, its cells are blank
            for c in row.cells:
                p.conf[c] = LABELLED_BLANK
    columns = ColumnFinder(doc, tmpl, layout, rows, facts.positions,
                           labels={a.target: a.pos for a in anchors if a.kind == "row"},
                           titles={a.target: a.pos for a in anchors if a.kind == "title"})
    repair(p, tmpl, rows, items, conf_of, lambda: extra_columns(doc, p, tmpl), columns, prior)
    return p


def _blocks_before(doc: Doc, tmpl: Template, al: Aligned, best: Placement, facts: DocFacts,
                   prior: Optional[ValuePrior]) -> Placement:
    """A run of values printed before a block of row labels (:func:`gxml.blocks.label_blocks`:
    ``1 3 12 规章 行政规范性文件``) is one row's, but the text does not say which: it is read as
    the row that keeps the most sums, or, the sums alike, the one the value prior likes best,
    and is then trusted no more than :data:`BLOCK_CERTAINTY`. (A run after a block stays its
    last label's, as the print order has it: the prior picks worse there.)"""
    idents = identities_for(tmpl)
    for block in label_blocks(doc, tmpl, best):
        if not block.before:
            continue
        tries = {block.filled: (al, best)}
        for row in block.rows:
            moved = _moved(al, tmpl, block.filled, row) if row != block.filled else None
            if moved is not None:
                tries[row] = (moved, _place(doc, tmpl, moved, facts, prior))
        sums = {row: identity_score(q.cells, idents) for row, (_, q) in tries.items()}
        tied = [row for row, s in sums.items() if s >= max(sums.values()) - 1e-9]
        pick = tied[0]
        if len(tied) > 1 and prior is not None:
            pick = max(tied, key=lambda row: grid_prior(prior, tmpl, tries[row][1].cells))
        al, best = tries[pick]
        if len(tied) > 1:  # the block's blank rows are as doubtful as the one read
            for c in (c for row in block.rows for c in tmpl.row(row).cells):
                best.conf[c] = min(best.conf[c], BLOCK_CERTAINTY)
            best.notes.append({"row": pick, "block": list(block.rows), "certainty": BLOCK_CERTAINTY})
    return best


def _blocks_by_columns(doc: Doc, tmpl: Template, p: Placement) -> None:
    """A block of row labels followed by one value per cell of its rows
    (:func:`gxml.blocks.column_runs`) is read column by column, as pdfminer prints a grid,
    unless that keeps fewer sums or the values were placed in other rows too. (Over the
    typeset, dev and seed texts such a run read by columns was right 32 times, by rows never.)"""
    idents = identities_for(tmpl)
    for rows, src in column_runs(doc, tmpl, p.anchors):
        mine = {c for row in rows for c in tmpl.row(row).cells}
        if any(i in src.values() for c, i in p.src.items() if c not in mine):
            continue
        trial = {**p.cells, **{c: to_column_unit(doc.items[i].value, _column_unit(tmpl, c)) for c, i in src.items()}}
        if trial == p.cells or identity_score(trial, idents) < identity_score(p.cells, idents):
            continue
        p.cells.update(trial)
        p.src.update(src)
        for c in mine:
            p.conf[c] = min(p.conf.get(c, 0.8), 0.8)
        p.notes.append({"row": rows[0], "rows": list(rows), "columns": len(src), "certainty": 0.8})


def _moved(al: Aligned, tmpl: Template, source: str, target: str) -> Optional[Aligned]:
    """The alignment ``al`` with the values aligned to row ``source`` aligned, column by column,
    to row ``target`` instead, each gaining what it gained where it was (a blank placement to
    fill): None when the rows differ in their number of cells."""
    a, b = tmpl.row(source).cells, tmpl.row(target).cells
    slots = _slots(tmpl.name, al.placement.layout)[0]
    index = {cell: j for j, (_, cell, _) in enumerate(slots)}
    if len(a) != len(b) or any(c not in index for c in a + b):
        return None
    to = {index[x]: index[y] for x, y in zip(a, b)}
    gains = al.gains.copy()
    for vk, j in al.pairs:
        if j in to:
            gains[vk, to[j]] = al.gains[vk, j]
    pairs = sorted(((vk, to.get(j, j)) for vk, j in al.pairs), key=lambda pair: pair[1])
    p = al.placement
    return al._replace(placement=_blank(p.layout, p.score, p.anchors), pairs=pairs, gains=gains)


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


def _group_headers(tmpl: Template, row: Row) -> Dict[str, str]:
    """Label key of each group header of table 四's row -> the group (``复议后起诉`` ->
    ``litigation_after_review``), from the column labels ``行政诉讼/复议后起诉/结果维持``."""
    return {label_key(tmpl.column_labels[c].split("/")[-2]): c.split(".")[1] for c in row.cells}


def _run_heads(doc: Doc, vals: List[int], runs: List[List[int]], headers: Dict[str, str],
               start: int) -> List[Optional[str]]:
    """Per run of values, the group whose header was printed first since the previous value
    (or from the zone's start): None when there is none. The first, not the nearest: a header of
    two levels prints 行政复议, 行政诉讼, 未经复议直接起诉 before the first run, which is 行政复议's."""
    out: List[Optional[str]] = []
    for run in runs:
        head = None
        for j in range(vals[run[0]] - 1, start - 1, -1):  # the start too: a title found as
            # 行政复议 when the real one is missing (the real title names 行政复议 first too)
            it = doc.items[j]
            if it.is_value:
                break
            key = label_key(it.text)
            head = next((g for h, g in headers.items() if h in key), head)
        out.append(head)
    return out


LEAD_REACH = 20  # items between a label and a value printed before it: the pieces of vertical
#   labels (三、本年度办理结果 one character a line, （三）不予公开, （四）无法提供) and column headers


def _value_before(doc: Doc, pos: int, anchored: Set[int]) -> Optional[int]:
    """The numeric value nearest before item ``pos``, past text that names no row or table
    (a vertical label's pieces stand between, in plain pdftotext), within :data:`LEAD_REACH`."""
    for k in range(pos - 1, max(pos - 1 - LEAD_REACH, -1), -1):
        it = doc.items[k]
        if it.is_value:
            return k if it.value.number is not None else None
        if k in anchored:
            return None
    return None


def _move_leads(doc: Doc, tmpl: Template, p: Placement) -> None:
    """Rows whose first values stand before their label and break the row's sum, re-placed
    by :func:`gxml.reorder.moved_lead` when that breaks fewer identities: a row read whole in
    printed order, or one a value short whose missing value is the unused one before its
    label (the row before took it as an extra column and let it go)."""
    idents = identities_for(tmpl)
    used = set(p.src.values())
    anchored = {a.pos for a in p.anchors}
    in_layout = set(p.layout)  # hashed once: a Row compares field by field
    for a in p.anchors:
        row = tmpl.row(a.target) if a.kind == "row" else None
        if row is None or row not in in_layout or not last_is_total(row):
            continue
        placed = [(p.src[c], p.cells[c]) for c in row.cells if c in p.src]
        if [t for t, _ in placed] != sorted(t for t, _ in placed):
            continue  # not read in printed order: the repair placed it
        lead_at = _value_before(doc, a.pos, anchored)
        if len(placed) == len(row.cells) - 1 and lead_at is not None and lead_at not in used:
            placed.insert(0, (lead_at, doc.items[lead_at].value.number))
        if len(placed) != len(row.cells):
            continue
        lead = sum(t < a.pos for t, _ in placed)
        order = moved_lead([v for _, v in placed], lead)
        if order is None:
            continue
        trial = {**p.cells, **{c: placed[k][1] for c, k in zip(row.cells, order)}}
        if identity_score(trial, idents) <= identity_score(p.cells, idents):
            continue
        conf = {p.src[c]: p.conf.get(c, 0.8) for c in row.cells if c in p.src}
        for c, k in zip(row.cells, order):
            p.src[c] = placed[k][0]
            p.conf[c] = round(0.8 * conf.get(placed[k][0], 0.8), 3)
        p.cells.update(trial)
        p.notes.append({"row": row.id, "lead": lead, "certainty": 0.8})


def _reread(doc: Doc, tmpl: Template, p: Placement) -> None:
    """Try the other reading orders of :mod:`gxml.reorder` where identities are broken or most
    values were left unplaced; note a table whose values still mostly fit no cell."""
    idents = identities_for(tmpl)
    pcell = doc.p("cell")
    items = doc.items
    placed = set(p.src.values())
    active = _zone_values(doc, p, "active", pcell)
    if active is not None:
        _active_by_columns(doc, tmpl, p, active, pcell)
        _note_unplaced(p, "active", active)
    for table in ("requests", "disputes"):
        rel = [x for x in idents if x[0][0].startswith(table + ".")]
        if not rel:
            continue
        vals = _zone_values(doc, p, table, pcell)
        if vals is None:
            continue
        broken = breaks(p.cells, rel)
        unread = sum(i not in placed for i in vals)
        if not unread and (not broken or _rows_on_label_lines(doc, p, table)):
            # the printed order reads right, or each row printed whole on its label's line
            # (a broken sum there is a misprint)
            continue
        # a re-read is adopted only if it breaks two sums fewer, and at most one, or if most
        # values were left unread (every label printed first, the values after them)
        if table == "requests" and broken < 2 and unread * 2 < len(vals):
            continue
        current = identity_score(p.cells, rel)
        allowed = 1 if unread * 2 >= len(vals) else min(1, broken - 2)  # sums a re-read may break
        if unread * 2 >= len(vals) or broken >= 4 * MISPRINTS:
            allowed = max(allowed, MISPRINTS)  # the printed order reads little or breaks far more
        if table == "requests":
            for rows, src, how in _requests_rereads(doc, p, tmpl, vals, pcell):
                trial = {c: v for c, v in p.cells.items() if not c.startswith("requests.")}
                trial.update((cell, items[i].value.number) for cell, i in src.items())
                s = identity_score(trial, rel)
                # a re-read must be (nearly) consistent and clearly better: a report that
                # misprints its sums is not to be "fixed" by reading it in another order
                if s > current + 1.0 and breaks(trial, rel) <= allowed:
                    _adopt(p, tmpl, trial, src, pcell, table, how)
                    p.layout = tuple(r for r in p.layout if r.table != "requests") + tuple(rows)
                    current = s
        elif len(vals) == 15:
            row = tmpl.rows[-1]

            def score(seq: List[int]) -> float:
                trial = dict(p.cells)
                for cell, k in zip(row.cells, seq):
                    trial[cell] = items[vals[k]].value.number
                return identity_score(trial, rel)

            groups = [c.split(".")[1] for c in row.cells]  # review, litigation x2, 5 cells each
            runs = _runs(doc, vals)
            heads = _run_heads(doc, vals, runs, _group_headers(tmpl, row), _zone(p, table, len(items))[0])
            orders = {"runs": permute_runs(runs, score, groups, heads),
                      "transposed": transposed(len(set(groups)), len(row.cells) // len(set(groups)))}
            how, seq = max(((h, s) for h, s in orders.items() if s is not None), key=lambda hs: score(hs[1]))
            if score(seq) > current + 1.0 and breaks(
                    {**p.cells, **{c: items[vals[k]].value.number for c, k in zip(row.cells, seq)}}, rel) == 0:
                trial = dict(p.cells)
                src = {}
                for cell, k in zip(row.cells, seq):
                    trial[cell] = items[vals[k]].value.number
                    src[cell] = vals[k]
                _adopt(p, tmpl, trial, src, pcell, table, how)
        _note_unplaced(p, table, vals)


def _rows_on_label_lines(doc: Doc, p: Placement, table: str) -> bool:
    """Whether every row of ``table`` got a value for each cell, all printed on the line of
    its label (no other reading order can then be meant)."""
    at = {a.target: a.pos for a in p.anchors if a.kind == "row"}
    items = doc.items
    for row in p.layout:
        if row.table != table:
            continue
        if row.id not in at:
            return False
        line = items[at[row.id]].line
        if any(p.src.get(c) is None or items[p.src[c]].line != line for c in row.cells):
            return False
    return True


def _active_by_columns(doc: Doc, tmpl: Template, p: Placement, vals: List[int], pcell: np.ndarray) -> None:
    """Table 一 re-read group by group (第二十条第（一）项 …), each group's rows column by
    column, when the printed order left most of its values ``vals`` unplaced and they are as
    many as its cells: its labels were all printed before the values, as pdfminer prints a
    page box by box. (No sum checks table 一: over the typeset, -raw, seed and dev texts, 65
    tables fit so, all pdfminer's; 53 read right by columns, 17 by rows, all 17 by columns too.)"""
    placed = set(p.src.values())
    rows = [row for row in p.layout if row.table == "active"]
    if sum(i not in placed for i in vals) * 2 < len(vals) or len(vals) != sum(len(row.cells) for row in rows):
        return
    cells: Dict[str, Optional[float]] = {}
    src: Dict[str, int] = {}
    start = 0
    for _, group in itertools.groupby(rows, key=lambda row: row.group):
        group = list(group)
        for k, row in enumerate(group):
            for j, c in enumerate(row.cells):
                src[c] = vals[start + j * len(group) + k]
                cells[c] = to_column_unit(doc.items[src[c]].value, _column_unit(tmpl, c))
        start += len(group) * len(group[0].cells)
    _adopt(p, tmpl, cells, src, pcell, "active", "columns")


def _requests_rereads(doc: Doc, p: Placement, tmpl: Template, vals: List[int], pcell: np.ndarray):
    """``(rows, {cell: item}, how)`` for each other reading of table 三 tried: the
    :func:`_streams` orders, then :func:`_column_fills`."""
    for layout, stream, order in _streams(doc, p, tmpl, vals, pcell):
        rows = [r for r in layout if r.table == "requests"]
        yield rows, {cell: stream[k] for row, pos in zip(rows, order) for cell, k in zip(row.cells, pos)}, "stream"
    for rows, src in _column_fills(doc, p, tmpl, vals):
        yield rows, src, "columns"


def _column_fills(doc: Doc, p: Placement, tmpl: Template, vals: List[int]):
    """``(rows, {cell: item})``: table 三 read as pdfminer prints a grid whose cells it boxes
    by columns. The values of the first runs belong to the labels printed before them: to
    the rows of the last block of labels with no value between them, filled column by
    column from the first column on (one label: its row, left to right; 一、 and 二、 boxed
    together: both rows' 自然人, then both rows' 商业企业…), or, when they do not fill whole
    columns of the block, to its last row alone; every later value fills the cells
    still blank column by column, each from the top row down. Tried after each run whose
    later values are exactly as many as the blank cells, for each layout."""
    block_of = label_block_before(doc, p, tmpl, vals)
    ends = [0] + list(itertools.accumulate(len(run) for run in _runs(doc, vals)))
    for layout in tmpl.layouts():
        rows = [r for r in layout if r.table == "requests"]
        if not rows:
            continue
        width = len(rows[0].cells)
        by_id = {r.id: r for r in rows if len(r.cells) == width}
        for s in ends[:-1]:
            kept: Dict[Tuple[str, ...], List[int]] = {}
            for i in vals[:s]:
                kept.setdefault(block_of.get(i, ()), []).append(i)
            # values for some of a block's rows only: its last label's, printed on its line
            kept = {(b if len(v) % max(len(b), 1) == 0 else b[-1:]): v for b, v in kept.items()}
            if any(not block or any(r not in by_id for r in block) or len(v) > width * len(block)
                   for block, v in kept.items()):
                break  # a value in no row of this layout, or too many: no later run fits either
            src = {by_id[r].cells[j]: i for block, v in kept.items()
                   for (j, r), i in zip(itertools.product(range(width), block), v)}
            if width * len(by_id) - len(src) == len(vals) - s:  # as many blank cells as later values
                free = [row.cells[j] for j in range(width) for row in by_id.values() if row.cells[j] not in src]
                src.update(zip(free, vals[s:]))
                yield rows, src


def _streams(doc: Doc, p: Placement, tmpl: Template, vals: List[int], pcell: np.ndarray):
    """``(layout, values, order)`` for every layout of table 三 whose cells the zone's values
    fill exactly in some :func:`~gxml.reorder.stream_rows` order (blocks read by columns print their total
    column last, or, a second order, anywhere): its confident values ``vals``, or, when they do
    not fit, its values the tagger doubted too (a blank mark after a page's running head reads
    like prose)."""
    fitted = False
    for stream in (vals, None):
        if stream is None:  # the doubted values only when the confident ones fit no layout
            stream = _zone_values(doc, p, "requests", pcell, LOOSE_VALUE)
            if fitted or stream == vals:
                return
        starts = [False] * (len(stream) + 1)
        for run in _runs(doc, stream):
            starts[run[0]] = True
        numbers = [doc.items[i].value.number for i in stream]
        for layout in tmpl.layouts():
            rows = [r for r in layout if r.table == "requests"]
            orders: List[List[List[int]]] = []
            for order in stream_orders(numbers, len(rows), len(rows[0].cells), starts):
                if order is not None and order not in orders:
                    orders.append(order)
            for order in orders:
                fitted = True
                yield layout, stream, order


def _zone_values(doc: Doc, p: Placement, table: str, pcell: np.ndarray,
                 least: float = 0.5) -> Optional[List[int]]:
    """The values printed in ``table``'s zone whose cell probability is above ``least`` (None
    when its title was not found)."""
    z = _zone(p, table, len(doc.items))
    if z is None:
        return None
    return [i for i in range(*z) if doc.items[i].is_value and pcell[i] > least]


def _note_unplaced(p: Placement, table: str, vals: List[int]) -> None:
    """A note when most of the confident values printed in ``table`` were placed in no cell
    (an order no reading explains): its grid is then mostly blanks that were not printed so."""
    placed = set(p.src.values())
    left = sum(i not in placed for i in vals)
    if left >= MIN_UNPLACED and left * 2 >= len(vals):
        p.notes.append({"row": table, "unplaced": left, "values": len(vals), "certainty": 0.5})


def grid_prior(prior: ValuePrior, tmpl: Template, cells: Dict[str, Optional[float]]) -> float:
    """Log-probability of a grid's cells that the learnt value prior knows (blank and zero
    alike)."""
    known = [c for c in tmpl.cells if prior.knows(tmpl.name, c)]
    vals = np.array([[cells.get(c) or 0 for c in known]], dtype=float)
    blank = np.array([[cells.get(c) is None for c in known]])
    return float(prior.score(tmpl.name, known, vals, blank, empty_alike=True)[0])


def _adopt(p: Placement, tmpl: Template, cells: Dict[str, Optional[float]], src: Dict[str, int],
           pcell: np.ndarray, table: str, how: str) -> None:
    """Put the re-read ``cells`` (from items ``src``) in ``table``; what was noted of its rows
    (uncertain rows, runs read by columns) is dropped with the reading it was about."""
    for c in tmpl.table_cells(table):
        p.cells[c] = cells.get(c)
        if c in src:
            p.src[c] = src[c]
            p.conf[c] = round(0.8 * float(pcell[src[c]]), 3)
        else:
            p.src.pop(c, None)
            p.conf[c] = 0.8
    p.notes[:] = [n for n in p.notes if not str(n.get("row", "")).startswith(table + ".")]
    p.notes.append({"row": table, "reread": how, "certainty": 0.8})


# --------------------------------------------------------------------------- entry point
def decode(doc: Doc, template: Optional[str] = None, prior: Optional[ValuePrior] = None) -> Report:
    """Rebuild the template grid of a tagged document (``prior``: a fitted
    :class:`~gxml.value_prior.ValuePrior`, usually the model's). Tables printed more than once
    are decoded copy by copy and the copy that keeps its sums is read (:func:`decode_all`
    reads every copy)."""
    return _decode(doc, template, prior, MAX_COPIES, every=False)[0]


def decode_all(doc: Doc, template: Optional[str] = None, prior: Optional[ValuePrior] = None) -> List[Report]:
    """One report per copy of the tables in a tagged document, in text order: a file that
    holds several reports (a volume of an office's subordinate agencies) yields each one's
    grid. A document with one copy gives one report, as :func:`decode` does."""
    return _decode(doc, template, prior, None, every=True)


def _decode(doc: Doc, template: Optional[str], prior: Optional[ValuePrior], max_copies: Optional[int],
            every: bool) -> List[Report]:
    """The reports of :func:`decode` (one: the copy that keeps its sums) or, with ``every``,
    of :func:`decode_all`."""
    name, evidence = (template, {}) if template else choose_template(doc)
    if name is None:
        return [_no_tables(evidence)]
    tmpl = get_template(name)
    named = row_label_items(doc, tmpl)
    copies = _copies(doc, tmpl, named, template, prior, max_copies)
    if len(copies) == 1:
        return [_one_copy(copies[0], named)]
    if every:
        return [_report(c) for c in copies]
    k = copy_to_read(copies)
    rep = _report(copies[k])
    note_copies(rep, copies, k)
    return [rep]


def _one_copy(copy: Copy, named: List[Tuple[int, str, float]]) -> Report:
    """The report of a document read as one copy, flagged when most rows are named twice all
    the same (``named``: its row label items)."""
    rep = _report(copy)
    repeated = repeated_rows(counts_at(named, CLEARLY_NAMED))
    if repeated:
        rep.add_issue("repeated_tables", f"{len(repeated)} row labels are printed more than once "
                      "(tables repeated?); one copy was read", rows=repeated)
    return rep


def _no_tables(evidence: Dict[str, float]) -> Report:
    rep = Report(method="ml")
    rep.add_issue("no_tables", "no table of an annual report was found in the text", evidence=evidence)
    return rep


def _copies(doc: Doc, tmpl: Template, named: List[Tuple[int, str, float]], template: Optional[str],
            prior: Optional[ValuePrior], max_copies: Optional[int]) -> List[Copy]:
    """Each copy of the tables decoded alone (``template`` None: each in the template it
    follows, for two reports may differ); ``named``: the document's row label items."""
    starts = copy_starts(doc, tmpl, [(i, row) for i, row, sc in named if sc >= CLEARLY_NAMED], max_copies)
    if len(starts) == 1:
        return [Copy(doc, tmpl, decode_tables(doc, tmpl, prior, named))]
    copies = []
    for sub in split_copies(doc, starts):
        own = get_template(template or choose_template(sub)[0] or tmpl.name)
        copies.append(Copy(sub, own, decode_tables(sub, own, prior)))
    return copies


def _report(copy: Copy) -> Report:
    """The report of one decoded copy: every cell with its confidence, line and printed text;
    missing tables, re-read tables and uncertain rows as issues."""
    doc, tmpl, best = copy
    rep = Report(method="ml", template=tmpl.name)
    for cell in tmpl.cells:
        rep.cells[cell] = best.cells.get(cell)
        rep.confidence[cell] = round(float(best.conf.get(cell, 0.9)), 3)
        it = best.src.get(cell)
        rep.lines[cell] = doc.source_line(doc.items[it].line) if it is not None else None
        rep.raw[cell] = doc.items[it].text if it is not None else None
    for table in ("active", "requests", "disputes"):
        if any(best.src.get(c) is not None for c in tmpl.table_cells(table)):
            continue
        if any(a.target == table or a.target.startswith(table + ".") for a in best.anchors):
            rep.add_issue("empty_table", f"table {table} ({tmpl.titles[table]}) was found but no value was "
                          "read in it: its cells are blank (printed empty, or its values lost)", table=table)
        else:
            rep.add_issue("missing_table", f"table {table} ({tmpl.titles[table]}) was not found", table=table)
    for note in best.notes:
        if note.get("reread"):
            rep.add_issue("reading_order", f"table {note['row']}: values re-read in another order "
                          f"({note['reread']}): the printed order broke its sums or left its values unplaced",
                          table=note["row"])
        elif note.get("lead"):
            rep.add_issue("reading_order", f"row {note['row']}: {note['lead']} value(s) printed before its "
                          "label moved to keep its sum", table=note["row"].split(".")[0], row=note["row"])
        elif note.get("unplaced"):
            rep.add_issue("unplaced_values", f"table {note['row']}: {note['unplaced']} of the "
                          f"{note['values']} values printed in it were placed in no cell (their order "
                          f"could not be read); its blank cells are not to be trusted", table=note["row"],
                          unplaced=note["unplaced"], values=note["values"])
        elif note.get("rows"):
            rep.add_issue("reading_order", f"rows {', '.join(note['rows'])}: their {note['columns']} values, "
                          "printed after all their labels, were read column by column (as text taken from "
                          "a PDF box by box prints a grid)", table=note["row"].split(".")[0], rows=note["rows"])
        elif note.get("block"):
            rep.add_issue("ambiguous_row", f"row {note['row']}: its values were printed before the labels of "
                          f"rows {', '.join(note['block'])}, printed together; whose they are, no sum says "
                          "(read by the values the rows usually hold)", **note)
        elif note["certainty"] < 0.6:
            rep.add_issue("ambiguous_row", f"row {note['row']}: {note['values']} values for "
                          f"{note['columns']} columns; placement uncertain", **note)
    return rep


def decode_tables(doc: Doc, tmpl: Template, prior: Optional[ValuePrior] = None,
                  named: Optional[List[Tuple[int, str, float]]] = None) -> Placement:
    """The placement of the cells of ``tmpl`` in ``doc`` (one copy of the tables): the best
    layout aligned and repaired, values read before their label if that keeps more sums,
    tables re-read in another order if theirs breaks the sums. ``named``: the document's
    :func:`~gxml.anchors.row_label_items`, computed when not given."""
    named = row_label_items(doc, tmpl) if named is None else named
    labels_seen = counts_at(named, CLEARLY_NAMED)
    partly = counts_at(named, PARTLY_NAMED)
    facts = doc_facts(doc, tmpl)
    aligned: Optional[Aligned] = None
    for layout in plausible_layouts(tmpl, labels_seen, partly):
        al = _align_layout(doc, tmpl, layout, facts, beat=None if aligned is None else aligned.placement.score)
        if al is not None and (aligned is None or al.placement.score > aligned.placement.score + 1e-9):
            aligned = al
    assert aligned is not None
    best = _place(doc, tmpl, aligned, facts, prior)  # the layout's score is final: repair the best only
    if aligned.between:  # values between two labels: read them as the next label's too
        first = _align_layout(doc, tmpl, best.layout, facts, values_first=True)
        other = _place(doc, tmpl, first, facts, prior)
        idents = identities_for(tmpl)
        gain = identity_score(other.cells, idents) - identity_score(best.cells, idents)
        if gain > VALUES_FIRST_GAIN or (gain >= 0 and prior is not None and grid_prior(prior, tmpl, other.cells)
                                        > grid_prior(prior, tmpl, best.cells) + VALUES_FIRST_PRIOR):
            best, aligned = other, first
    best = _blocks_before(doc, tmpl, aligned, best, facts, prior)
    _blocks_by_columns(doc, tmpl, best)
    _move_leads(doc, tmpl, best)
    _reread(doc, tmpl, best)
    rescale(doc, tmpl, best, _units(tmpl.name))
    if not facts.delimited:
        _doubt_broken_rows(tmpl, best)
    return best


def _doubt_broken_rows(tmpl: Template, p: Placement) -> None:
    """Cells of a row printed with a value for each cell whose own sum breaks, in a table some
    row of which had blank cells dropped (fewer values than cells), are no surer than
    :data:`BROKEN_ROW_CERTAINTY` (rows re-placed by :func:`~gxml.repair.repair` have their own
    certainty). For text whose cells no pipe or tab cuts: where they do, a row printed whole
    was read whole."""
    repaired = {n["row"]: n for n in p.notes if "values" in n and "columns" in n}
    dropped = {row.split(".")[0] for row, n in repaired.items() if n["values"] < n["columns"]}
    if not dropped:
        return
    replaced = set(repaired) | {r for n in p.notes for r in n.get("rows", ())}  # repaired, or read as a block
    for lhs, rhs, _ in identities_for(tmpl):
        cells = lhs + rhs
        rows = {c.rsplit(".", 1)[0] for c in cells}
        if (len(rows) == 1 and not rows & replaced and cells[0].split(".")[0] in dropped
                and breaks(p.cells, [(lhs, rhs, None)])):
            for c in cells:
                p.conf[c] = min(p.conf.get(c, 0.9), BROKEN_ROW_CERTAINTY)
