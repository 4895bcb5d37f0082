"""Columns of space-aligned text (``pdftotext -layout``): where values and headers stand.

A row whose blank cells were dropped (``2729      240      2969``) is placed by where its values
stand: under the columns of the table's complete rows or, when no row is complete, under the
table's column headers (``自然人  商业企业  科研机构 …``). Positions are measured two ways, in
characters (real pdftotext pads so) and in display columns, a CJK character counting two (text
padded for the eye); the measure under which the columns line up better is used, table by
table where the tables tell (pdftotext lays each page out anew).
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .doc import Doc
from .labels import label_key
from .templates import Row, Template

Positions = Dict[int, Tuple[float, float]]   # item -> centre in (characters, display columns)
Model = Dict[Tuple[str, int], List[float]]   # (table, columns) -> centre of each column
MAX_MISSING_HEADERS = 2  # header names a row's columns may lack and still place its values
SHIFT_COST = 0.5  # per character a row's values are taken to stand off their columns
MIN_GAP_SHARE = 0.3  # the narrowest gap between a table's column headers, as a share of the mean
HEADER_MISFIT = 0.5  # values further (in column gaps, on average) from the headers that would
#   place them stand nearer midway between two columns than on one: the headers do not tell
LONE_MEASURE_FIT = 0.3  # a table only one measure finds columns for takes it if its values fit
#   them this well (in column gaps, on average): 0.14-0.21 where that measure was right, 0.36-0.88
#   where the headers stood off rows laid out anew (typeset pdftotext -layout, zeros printed empty)
DISPLAY_FIT = 0.75  # display columns are the measure only when values fit them this much better
POOR_FIT = 0.3  # a table whose values stand this far (in column gaps, on average, in its measure)
#   from its columns places its rows with blank cells dropped by guesswork: over 82 typeset
#   pdftotext -layout texts with zeros printed empty whose table 三 has a measure, the 7 such
#   tables misplaced stood 0.34-1.17 off, and the 65 within 0.3 were all placed right


@lru_cache(maxsize=8192)
def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


@lru_cache(maxsize=4096)
def _display_offsets(line: str) -> Tuple[int, ...]:
    """Display column at which each character of ``line`` starts (and one past its end)."""
    return (0,) + tuple(accumulate(map(_char_width, line)))


ALIGNED_LINES = 5   # lines with a run of spaces inside that make a text space-aligned


def positions(doc: Doc, values_only: bool = True) -> Positions:
    """Centre of every item (every value with ``values_only``) cut from a space-aligned line, one
    with a run of spaces: single-space text such as pdfplumber's keeps no columns. In a text
    with :data:`ALIGNED_LINES` such lines, a value alone on an indented line keeps its column
    too (a wrapped label's values printed on a line of their own)."""
    out: Positions = {}
    lines = doc.text.split("\n")
    kept = [(i, it) for i, it in enumerate(doc.items) if it.text and (it.is_value or not values_only)]
    spaced = {k for k in {it.line - 1 for _, it in kept} if "  " in lines[k].strip()}
    if not spaced:
        return out  # no line with a run of spaces: no columns (and no lone values)
    lone = len(spaced) >= ALIGNED_LINES
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    for i, it in kept:
        k = it.line - 1
        line = lines[k]
        if (k in spaced and it.split in ("space", "trail")) or (
                lone and it.is_value and line.startswith("  ") and line.strip() == it.text):
            at = _display_offsets(line)
            a, b = it.start - starts[k], it.end - starts[k]
            out[i] = ((a + b) / 2, (at[a] + at[b]) / 2)
    return out


def row_model(layout: Sequence[Row], rows: Dict[str, List[int]], xs: Dict[int, float]) -> Model:
    """Median x of each column, learnt from the complete space-aligned rows of each table."""
    acc: Dict[Tuple[str, int], List[List[float]]] = {}
    for row in layout:
        toks = rows.get(row.id, [])
        if len(toks) == len(row.cells) and all(t in xs for t in toks):
            cols = acc.setdefault((row.table, len(row.cells)), [[] for _ in row.cells])
            for k, t in enumerate(toks):
                cols[k].append(xs[t])
    out = {}
    for key, cols in acc.items():
        centres = [float(np.median(c)) for c in cols]
        if all(b - a > 1 for a, b in zip(centres, centres[1:])):
            out[key] = centres
    return out


def header_centres(doc: Doc, tmpl: Template, row: Row, start: int, lo: int,
                   heads: Dict[int, float]) -> Optional[List[float]]:
    """Centres of ``row``'s column headers: the last header item naming each column between
    ``lo`` and the row's label at ``start`` (None unless every column is found, left to right)."""
    found = header_positions(doc, column_names(tmpl, row), start, lo, heads)
    centres = fill_missing(found, MAX_MISSING_HEADERS)
    return centres if centres and _spread(centres) else None


def column_names(tmpl: Template, row: Row) -> List[str]:
    """The label keys of ``row``'s column headers, a column each."""
    return [label_key(tmpl.column_labels.get(c, "")) for c in row.cells]


def header_positions(doc: Doc, names: Sequence[str], start: int, lo: int,
                     heads: Dict[int, float]) -> List[Optional[float]]:
    """The centre of the last header item naming each of the column ``names`` (label keys)
    between items ``lo`` and ``start`` (None where no item names it)."""
    found: List[Optional[float]] = [None] * len(names)
    for i in range(start - 1, lo - 1, -1):
        x = heads.get(i)
        if x is None or doc.items[i].is_value:
            continue
        key = label_key(doc.items[i].text)
        for k, name in enumerate(names):
            if found[k] is None and len(key) >= 2 and name.startswith(key):
                found[k] = x
                break
    return found


def _spread(centres: Sequence[float]) -> bool:
    """Whether column centres stand apart: each gap more than a character and at least
    :data:`MIN_GAP_SHARE` of the mean gap (headers stacked over lines laid out anew, measured
    in the wrong unit, crowd two columns into one place)."""
    gaps = [b - a for a, b in zip(centres, centres[1:])]
    mean = sum(gaps) / len(gaps) if gaps else 0.0
    return all(g > 1 and g >= MIN_GAP_SHARE * mean for g in gaps)


def fill_missing(found: Sequence[Optional[float]], most: int) -> Optional[List[float]]:
    """``found`` centres with up to ``most`` missing ones (a header broken past recognition,
    ``科 研机构``) put where their neighbours say: between them, or a mean gap beyond the
    last; None when more are missing or fewer than two are found."""
    known = [(k, float(x)) for k, x in enumerate(found) if x is not None]
    if len(found) - len(known) > most or len(known) < 2:
        return None
    ks = np.array([k for k, _ in known], dtype=float)
    xs = np.array([x for _, x in known])
    if np.any(np.diff(xs) <= 0):
        return None
    gap = (xs[-1] - xs[0]) / (ks[-1] - ks[0])
    out = []
    for k in range(len(found)):
        if k < ks[0]:
            out.append(float(xs[0] - gap * (ks[0] - k)))
        elif k > ks[-1]:
            out.append(float(xs[-1] + gap * (k - ks[-1])))
        else:
            out.append(float(np.interp(k, ks, xs)))
    return out


def line_centres(doc: Doc, n: int, heads: Dict[int, float]) -> Optional[List[float]]:
    """Centres of the ``n`` header pieces of the last header line with exactly ``n`` pieces:
    headers whose names the columns share (table 四's 结果维持 under three groups) or that
    are broken over lines (``结果维`` / ``持``) still stand one per column on some line."""
    by_line: Dict[int, List[float]] = {}
    for i, x in heads.items():
        if not doc.items[i].is_value:
            by_line.setdefault(doc.items[i].line, []).append(x)
    for line in sorted(by_line, reverse=True):
        xs = sorted(by_line[line])
        if len(xs) == n and all(b - a > 1 for a, b in zip(xs, xs[1:])):
            return [float(x) for x in xs]
    return None


STACK_TOLERANCE = 2.0  # header pieces on different lines this close stand over one column


def stacked_centres(doc: Doc, names: Sequence[str], heads: Dict[int, float]) -> Optional[List[float]]:
    """Centres of ``len(names)`` columns from header pieces stacked over several lines: every
    piece that is part of a column name (``结果`` / ``维持``, as pdftotext -layout breaks table
    四's headers, each group's words on lines of their own) stands over its column, and pieces
    on different lines within :data:`STACK_TOLERANCE` of each other over the same one (None
    unless they stand over exactly ``len(names)`` columns)."""
    keys = [label_key(name) for name in names]
    xs = sorted(x for i, x in heads.items() if not doc.items[i].is_value
                and _part_of_any(label_key(doc.items[i].text), keys))
    clusters: List[List[float]] = []
    for x in xs:
        if clusters and x - clusters[-1][-1] <= STACK_TOLERANCE:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    if len(clusters) != len(names):
        return None
    return [float(np.mean(c)) for c in clusters]


def _part_of_any(key: str, names: Sequence[str]) -> bool:
    return len(key) >= 2 and any(key in name for name in names)


def _gap_distance(x: float, centres: Sequence[float]) -> float:
    """Distance from ``x`` to the nearest of ``centres``, in mean gaps between them."""
    return min(abs(x - c) for c in centres) / _mean_gap(centres)


def _mean_gap(centres: Sequence[float]) -> float:
    """The mean gap between ``centres`` (at least a character; 1 for a lone column)."""
    return max((centres[-1] - centres[0]) / (len(centres) - 1), 1.0) if len(centres) > 1 else 1.0


def nearest_columns(xpos: Sequence[float], centres: Sequence[float]) -> Optional[Tuple[int, ...]]:
    """The order-keeping columns nearest to ``xpos``: where the values stand, or all moved
    alike when that fits them better by more than :data:`SHIFT_COST` per character moved, or
    when two of them want one column where they stand (pdftotext -layout lays each page out
    anew, and each line after its own label, so a row may stand off its header's columns);
    None when no move puts them on distinct columns."""
    fit = column_fit(xpos, centres)
    return fit[0] if fit is not None else None


def column_fit(xpos: Sequence[float], centres: Sequence[float]) -> Optional[Tuple[Tuple[int, ...], float]]:
    """:func:`nearest_columns` and the mean distance of the values from those columns once
    moved, in mean gaps between the columns (None when no move puts them on distinct ones)."""
    fit = _fit(xpos, centres, 0.0)
    best, cols, off = (fit[0], fit[1], fit[0]) if fit is not None else (float("inf"), None, 0.0)
    if len(xpos) > 1:
        # moves that put a value on a column, shortest first (of equal fits the shortest is
        # kept): a move costs SHIFT_COST a character, so none costing the best fit so far can win
        for shift in sorted({x - c for x in xpos for c in centres}, key=lambda s: (abs(s), s)):
            if SHIFT_COST * abs(shift) >= best:
                break
            moved = _fit(xpos, centres, shift)
            if moved is not None and moved[0] + SHIFT_COST * abs(shift) < best - 1e-9:
                best, cols, off = moved[0] + SHIFT_COST * abs(shift), moved[1], moved[0]
    if cols is None:
        return None
    return cols, off / len(xpos) / _mean_gap(centres)


def _fit(xpos: Sequence[float], centres: Sequence[float], shift: float) -> Optional[Tuple[float, Tuple[int, ...]]]:
    """Each value's nearest column after moving it by ``shift`` and the summed distance (None
    when two values want one column, or the columns go back)."""
    cols = []
    total = 0.0
    for x in xpos:
        d, k = min((abs(x - shift - c), k) for k, c in enumerate(centres))
        if cols and k <= cols[-1]:
            return None
        cols.append(k)
        total += d
    return total, tuple(cols)


def _mean(rows: Dict[str, List[float]]) -> float:
    """The mean of the rows' distances (inf for no row)."""
    return float(np.mean([d for ds in rows.values() for d in ds])) if rows else float("inf")


class ColumnFinder:
    """Places the values of space-aligned rows with dropped blank cells by their positions.

    ``pos`` are the item positions of :func:`positions` (headers included); ``labels`` the
    item of each row's label and ``titles`` that of each table's title, as the anchors found.
    Built models are cached: a document has one per measure.
    """

    def __init__(self, doc: Doc, tmpl: Template, layout: Sequence[Row], rows: Dict[str, List[int]],
                 pos: Positions, labels: Dict[str, int], titles: Dict[str, int]):
        self.doc, self.tmpl, self.layout, self.rows, self.pos = doc, tmpl, layout, rows, pos
        self.labels, self.titles = labels, titles
        self._models: Optional[List[Model]] = None
        self._measure: Optional[int] = None
        self._table_measure: Dict[str, int] = {}
        self._table_misfit: Dict[str, float] = {}  # per table, its values' mean misfit in its measure
        # per kind of row and measure: its column headers, and those printed again below rows
        self._headers: Dict[Tuple[str, Optional[str], str, int], List[Tuple[int, Optional[List[float]]]]] = {}

    def _xs(self, m: int) -> Dict[int, float]:
        return {i: p[m] for i, p in self.pos.items() if self.doc.items[i].is_value}

    def models(self) -> List[Model]:
        """The complete-row model in each measure; also fixes (once) the measure the
        document's values line up in best, and that of each table whose rows both measures
        find columns for (compared on those rows alone: one measure may find headers for rows
        of a page the other does not)."""
        if self._models is None:
            self._models = [row_model(self.layout, self.rows, self._xs(m)) for m in (0, 1)]
            per_row = [self._row_misfits(m) for m in (0, 1)]
            misfit = [_mean(rows) for rows in per_row]
            if min(misfit) < float("inf"):  # characters (as pdftotext pads) unless display fits better
                self._measure = int(misfit[1] < DISPLAY_FIT * misfit[0])
            for table in {row.table for row in self.layout}:
                # a table's own rows, where both measures find their columns, tell its measure
                # (pdftotext -layout lays each page out anew); where one measure alone finds
                # them, that one if the values fit them well
                ids = [r.id for r in self.layout if r.table == table]
                common = [r for r in ids if all(r in rows for rows in per_row)]
                found = [any(r in rows for r in ids) for rows in per_row]
                if common:
                    t0, t1 = (_mean({r: rows[r] for r in common}) for rows in per_row)
                    self._table_measure[table] = int(t1 < DISPLAY_FIT * t0)
                elif found[0] != found[1]:
                    m = int(found[1])
                    if _mean({r: per_row[m][r] for r in ids if r in per_row[m]}) <= LONE_MEASURE_FIT:
                        self._table_measure[table] = m
                m = self._table_measure.get(table, self._measure)
                if m is not None:
                    self._table_misfit[table] = _mean({r: per_row[m][r] for r in ids if r in per_row[m]})
        return self._models

    def poor_fit(self, row: Row) -> bool:
        """Whether the values of ``row``'s table stand too far from their columns
        (:data:`POOR_FIT`) for the positions to tell which cells a row's values fill."""
        self.models()
        return self._table_misfit.get(row.table, float("inf")) > POOR_FIT

    def _measure_of(self, row: Row) -> Optional[int]:
        """The measure ``row``'s table lines up in (the document's where its rows do not tell)."""
        return self._table_measure.get(row.table, self._measure)

    def _centres(self, row: Row, m: int) -> Optional[List[float]]:
        centres = self._models[m].get((row.table, len(row.cells))) if self._models else None
        return centres if centres is not None else self._header(row, m)

    def _row_misfits(self, m: int) -> Dict[str, List[float]]:
        """Per row, the distance in column gaps of each of its values from its nearest column:
        of a complete row from its model's, of any row from its header's (a row with dropped
        cells against a model learnt from other rows tells little; a row of one column, whose
        distance is in characters, not gaps, is left out, and so is a row with no columns)."""
        out: Dict[str, List[float]] = {}
        for row in self.layout:
            toks = [t for t in self.rows.get(row.id, []) if t in self.pos]
            if not toks or len(row.cells) < 2:  # a one-column row has no columns to tell apart
                continue
            centres = self._models[m].get((row.table, len(row.cells))) if self._models else None
            if centres is None or len(toks) != len(row.cells):
                centres = self._header(row, m)
            if centres:
                out[row.id] = [_gap_distance(self.pos[t][m], centres) for t in toks]
        return out

    def columns(self, row: Row, toks: Sequence[int]) -> Optional[Tuple[int, ...]]:
        """The column of each of ``toks`` (the row's values, in order), or None when their
        positions do not tell: no columns found, or only headers, which the values stand more
        than :data:`HEADER_MISFIT` column gaps off on average. In the document's measure, else,
        for a row printed without a label (table 四, placed by the headers above its values)
        whose headers it does not find, in the other: headers stacked over lines that start
        with CJK text line up in characters only."""
        if not toks or not all(t in self.pos for t in toks):
            return None
        self.models()
        measure = self._measure_of(row)
        if measure is None:
            return None
        for m in (measure, 1 - measure) if self._unlabelled(row) else (measure,):
            centres = self._centres(row, m)
            if centres:
                fit = column_fit([self.pos[t][m] for t in toks], centres)
                if fit is None or (fit[1] > HEADER_MISFIT and self.from_headers(row)):
                    return None
                return fit[0]
        return None

    def from_headers(self, row: Row) -> bool:
        """Whether :meth:`columns` places ``row`` by its column headers (no complete row of
        its table lines its columns up): headers stand roughly over their values, centred where
        the values are right-aligned, so they tell less than values do."""
        self.models()
        measure = self._measure_of(row)
        return measure is None or (row.table, len(row.cells)) not in self._models[measure]

    def _header(self, row: Row, m: int) -> Optional[List[float]]:
        """Header centres of ``row`` in measure ``m``: searched above the first labelled row of
        its table and group (below it, row labels such as 3.其他 would pass for headers), or
        those printed again above the row (:meth:`_repeated_headers`)."""
        key = (row.table, row.group, "|".join(row.columns), m)  # rows alike share their headers
        if key not in self._headers:
            first = self._find_header(row, m)
            self._headers[key] = [(-1, first)] + (self._repeated_headers(row, m) if first else [])
        at = self.labels.get(row.id, -1)
        return [centres for pos, centres in self._headers[key] if pos <= at][-1]

    def _repeated_headers(self, row: Row, m: int) -> List[Tuple[int, List[float]]]:
        """The column headers printed again between two row labels of ``row``'s table and
        group (a table broken over pages, its header repeated on each: pdftotext -layout lays
        each page out anew), each with the label of the first row under it: only where all
        the columns but one are named (row labels such as 3.其他 name one)."""
        names = column_names(self.tmpl, row)
        firsts = sorted(self._labelled(row))
        texts = sorted(i for i in self.pos if not self.doc.items[i].is_value)  # header candidates
        out = []
        for lo, start in zip(firsts, firsts[1:]):
            between = texts[bisect_right(texts, lo):bisect_left(texts, start)]
            if len(between) < len(names) - 1:
                continue
            found = header_positions(self.doc, names, start, lo + 1, {i: self.pos[i][m] for i in between})
            if sum(x is not None for x in found) >= len(names) - 1:
                centres = fill_missing(found, 1)
                if centres and _spread(centres):
                    out.append((start, centres))
        return out

    def _labelled(self, row: Row) -> List[int]:
        """The label items of ``row``'s table and group."""
        return [self.labels[r.id] for r in self.layout
                if r.table == row.table and r.group == row.group and r.id in self.labels]

    def _unlabelled(self, row: Row) -> bool:
        """Whether ``row`` was printed without a label (table 四): headers above its values."""
        return not self._labelled(row)

    def _find_header(self, row: Row, m: int) -> Optional[List[float]]:
        firsts = self._labelled(row)
        unlabelled = not firsts
        firsts = firsts or self.rows.get(row.id, [])[:1]
        if not firsts:
            return None
        start = min(firsts)
        lo = self.titles.get(row.table, max(0, start - 60))
        lo = lo if lo < start else max(0, start - 60)
        heads = {i: p[m] for i, p in self.pos.items() if lo <= i < start}
        if unlabelled:  # its column names repeat (结果维持 under three groups): one piece a column
            return line_centres(self.doc, len(row.cells), heads) or stacked_centres(
                self.doc, [self.tmpl.column_labels.get(c, "").rsplit("/", 1)[-1] for c in row.cells], heads)
        return header_centres(self.doc, self.tmpl, row, start, lo, heads)
