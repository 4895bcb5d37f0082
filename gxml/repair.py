"""Repair: rows whose values do not fit their columns are re-placed.

A row with too few values (blank cells dropped), too many (an extra column such as 小计, merged
label cells) or digits glued together (``801000081``) gets candidate placements — columns for
its values, values to keep, cuts of the glued run — each with a prior (cell positions in pipe
rows, character columns in space-aligned rows, a 小计 header, most cells being zero), and the
candidate that satisfies the most accounting identities wins. Between cuts of a glued run that
the identities do not tell apart, the learnt value prior (:mod:`gxml.value_prior`) decides.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Dict, Iterable, List, NamedTuple, Optional, Tuple

import numpy as np

from .columns import ColumnFinder
from .doc import Doc, Item
from .identities import identities_by_cell, row_scorer
from .labels import label_key
from .placement import Placement
from .templates import Row, Template
from .value_prior import ValuePrior
from .values import Value

MAX_CANDIDATES = 3000   # placements enumerated for one row
MAX_CUTS = 500          # cuts of a glued run enumerated for one count of values
MAX_EXTRA = 2           # values beyond a row's columns considered as an extra column
LAST_IS_MAX = 0.02      # prior: a row's last column, when a total-like one, tends to be its largest
EXTRA_HEADERS = ("小计", "合计")
FILLED_WHEN_ANY = ("total", "in_force", "total_published")  # a row's last column that holds
#   a value whenever any cell of the row does (a total; 现行有效, 对外公开总数量)
FILLED_LAST = 0.03      # prior for a row with dropped blanks whose values fill such a column
OVER_CUT = 10.0         # prior against cutting a glued run into more values than columns (a
#   printed digit dropped): a last resort, unless a header shows an extra column
EXACT_CUT = 0.01        # prior for the cut of a glued run that fills its row's columns exactly
SMALLER_THAN = (("change", "prev_year"),)  # 本年增/减 is a change of the items counted last year
SMALLER = 0.02          # prior against a placement that breaks such a pair
PRIOR_WEIGHT = 0.01     # weight of the learnt value prior's log-probabilities for cuts of glued runs
DROPPED_PRIOR_WEIGHT = 0.03  # ... and for the columns of a row whose blank cells were dropped,
#   blank and zero alike (a report fills 其他 more often than 科研机构); chosen on the
#   validation set (seed gxml-val2, 500 reports): 0.01 and 0.1 did no better, 0.3 worse
SURE = 0.9              # margin over the best rival placement for a repaired row to be sure
SURE_CERTAINTY = 0.9    # ... and the confidence of its cells then
POOR_FIT_CERTAINTY = 0.4  # at most, for a row placed by columns its table's values fit poorly
GRID_HINT = 0.5         # prior for the placement a pipe/tab row's cell positions show
POSITION_HINT = 2.5     # ... and for the one a space-aligned row's columns show (outweighs one
#   broken sum: a report that misprints a total keeps its values where they stand; chosen on
#   the validation set, seed gxml-val)
HEADER_HINT = 1.5       # ... and for the one its column headers show (no complete row lines the
#   columns up): below one broken sum, for a header stands only roughly over its values


BLANK_MARKS = "-/—无"
LONG_DASH = "——"   # the Chinese dash: one blank cell (read first) or two


def digit_splits(run: str, parts: int, limit: int = MAX_CUTS) -> List[List[Optional[int]]]:
    """Ways to cut a glued run of cells into ``parts`` values: digit groups without leading
    zeros; a blank marker (``-``, ``/``, ``—``, ``无``) is one empty cell, ``——`` one or two."""
    return [list(cut) for cut in _cuts(run, parts, limit)]


@lru_cache(maxsize=1024)
def _cuts(run: str, parts: int, limit: int) -> Tuple[Tuple[Optional[int], ...], ...]:
    """:func:`digit_splits` as tuples, memoised: the same runs (``0000000``) recur in a
    report and across reports."""
    out: List[Tuple[Optional[int], ...]] = []

    def rec(start: int, left: int, acc: Tuple[Optional[int], ...]):
        if len(out) >= limit:
            return
        if start == len(run):
            if left == 0:
                out.append(acc)
            return
        if left == 0 or len(run) - start < left:  # a value takes a character at least
            return
        if run.startswith(LONG_DASH, start):
            rec(start + 2, left - 1, acc + (None,))
        if run[start] in BLANK_MARKS:
            rec(start + 1, left - 1, acc + (None,))
            return
        L = 0
        while start + L < len(run) and run[start + L].isdigit() and L < 9:
            L += 1
            piece = run[start:start + L]
            if L > 1 and piece[0] == "0":
                break
            rec(start + L, left - 1, acc + (int(piece),))

    if 0 < parts <= len(run):
        rec(0, parts, ())
    return tuple(out)


Token = Tuple[int, Optional[float], str]   # (item index, value, glued run or "")


def _expansions(tokens: List[Token], n: int, extra: bool = False
                ) -> Iterable[Tuple[List[Tuple[int, Optional[float]]], float]]:
    """The row's values as printed, and with its longest glued run cut into several values.

    Cutting a run into more values than the row has columns means dropping printed cells: it
    pays :data:`OVER_CUT` per value too many unless a header shows an ``extra`` column."""
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
        for split in _cuts(run, parts, MAX_CUTS):
            # between cuts no identity decides, the learnt value prior does (see repair)
            prior = gain + (EXACT_CUT if parts == exact else 0.0) \
                - (0.0 if extra else OVER_CUT * max(0, parts - exact))
            yield plain[:k] + [(t, v) for v in split] + plain[k + 1:], prior


def last_is_total(row: Row) -> bool:
    """Whether the row's last column is filled whenever any of its cells is (a total)."""
    return row.cells[-1].rsplit(".", 1)[-1] in FILLED_WHEN_ANY


Place = List[Tuple[int, Optional[float]]]   # per column: (item index or -1, value)


@lru_cache(maxsize=256)
def _combinations(n: int, k: int, limit: Optional[int] = None) -> np.ndarray:
    """The ``k``-subsets of ``range(n)`` in lexicographic order, one per row (the first
    ``limit`` of them: a row of 20 printed values has 77520 ways to keep 7)."""
    combos = list(itertools.islice(itertools.combinations(range(n), k), limit))
    return np.array(combos, dtype=np.int64).reshape(len(combos), k)


@dataclass
class Candidates:
    """The candidate placements of one row, as arrays: ``values`` (candidates x columns, blank
    cells 0) and ``prior``; :meth:`place` rebuilds one placement with its items and values.

    They are kept in blocks: tokens with the columns of each candidate ("cols") or the tokens
    each keeps ("keep"), or a run of candidates that fill every column in order ("full": the
    cuts of a glued run, up to hundreds of them, are one block, not one each)."""

    n: int
    blocks: List[Tuple[list, str, Optional[np.ndarray]]] = field(default_factory=list)  # (tokens, how, picks)
    priors: List = field(default_factory=list)  # per block: an array, or a list of floats ("full")

    def add(self, vals: Place, how: str, picks: np.ndarray, prior: np.ndarray) -> None:
        """``how`` is "cols" (picks: the column of each token) or "keep" (picks: the tokens kept)."""
        if len(picks):
            self.blocks.append((vals, how, picks))
            self.priors.append(prior)

    def add_full(self, vals: Place, prior: float) -> None:
        """One candidate whose tokens fill every column, in order."""
        if not self.blocks or self.blocks[-1][1] != "full":
            self.blocks.append(([], "full", None))
            self.priors.append([])
        self.blocks[-1][0].append(vals)
        self.priors[-1].append(prior)

    @staticmethod
    def _size(block: Tuple[list, str, Optional[np.ndarray]]) -> int:
        vals, how, picks = block
        return len(vals) if how == "full" else len(picks)

    def __len__(self) -> int:
        return sum(map(self._size, self.blocks))

    @property
    def prior(self) -> np.ndarray:
        return np.concatenate([np.asarray(p, dtype=float) for p in self.priors]) if self.priors else np.zeros(0)

    @property
    def values(self) -> np.ndarray:
        """The value of every cell of each candidate (candidates x columns; empty cells 0)."""
        return self._spread(lambda x: x or 0, 0.0, float)

    @property
    def blank(self) -> np.ndarray:
        """Which cells of each candidate are empty (candidates x columns)."""
        return self._spread(lambda x: x is None, True, bool)

    def _spread(self, of, fill, dtype) -> np.ndarray:
        """``of(value)`` of each token put in its candidates' columns; ``fill`` elsewhere."""
        out = []
        for vals, how, picks in self.blocks:
            if how == "full":
                out.append(np.array([[of(x) for _, x in place] for place in vals], dtype=dtype))
                continue
            v = np.array([of(x) for _, x in vals], dtype=dtype)
            if how == "keep":
                out.append(v[picks])
            else:
                block = np.full((len(picks), self.n), fill, dtype=dtype)
                block[np.arange(len(picks))[:, None], picks] = v
                out.append(block)
        return np.concatenate(out) if out else np.full((0, self.n), fill, dtype=dtype)

    def place(self, k: int) -> Place:
        """Candidate ``k`` as (item, value) per column (``(-1, None)`` for an empty cell)."""
        for block in self.blocks:
            vals, how, picks = block
            if k < self._size(block):
                if how == "full":
                    return list(vals[k])
                if how == "keep":
                    return [vals[q] for q in picks[k]]
                out: Place = [(-1, None)] * self.n
                for c, tv in zip(picks[k], vals):
                    out[int(c)] = tv
                return out
            k -= self._size(block)
        raise IndexError(k)


def row_candidates(row: Row, tokens: List[Token], extra_at: Optional[int] = None,
                   cols_r: Optional[Dict[int, Optional[int]]] = None,
                   ends: Optional[Dict[int, Optional[int]]] = None, hint: float = GRID_HINT) -> Candidates:
    """Candidate placements (column -> (item, value)) of a row's tokens, with a prior.

    ``extra_at`` is the position of an extra printed column (a 小计 header was seen);
    ``cols_r``/``ends`` the items' cell positions from the last filled cell / from the end of
    their pipe/tab row."""
    cols_r = cols_r or {}
    ends = ends or {}
    n = len(row.cells)
    out = Candidates(n)
    budget = MAX_CANDIDATES
    last_total = last_is_total(row)
    for vals, prior0 in _expansions(tokens, n, extra_at is not None):
        k = len(vals)
        if k == n:
            budget -= 1
            nums = [v or 0 for _, v in vals]
            prior = prior0 + (LAST_IS_MAX if last_total and n > 1 and nums[-1] == max(nums) else 0.0)
            out.add_full(vals, prior)
        elif k < n:  # blank cells dropped: choose the columns the values sit in
            # a pipe/tab row whose cells all fit the grid tells the columns by position
            grid = tuple(n - 1 - ends[t] if ends.get(t) is not None else -1 for t, _ in vals)
            if any(c < 0 for c in grid) or list(grid) != sorted(set(grid)):
                grid = None
            cols = _combinations(n, k)
            if grid is not None:  # the grid's placement first: the budget may stop before it
                at = (cols == np.array(grid)).all(axis=1)
                cols = np.concatenate([cols[at], cols[~at]])
            cols = cols[:max(budget, 0)]
            budget -= len(cols)
            prior = prior0 - 0.002 * cols.sum(axis=1)
            if grid is not None:
                prior = prior + hint * (cols == np.array(grid)).all(axis=1)
            out.add(vals, "cols", cols, prior)
        else:  # an extra column: choose the values to keep
            blank = np.array([v is None for _, v in vals])
            # blanks left of a pipe row's value columns are merged label cells
            outside = blank & np.array([(cols_r.get(t) or 0) >= n for t, _ in vals])
            keep = _combinations(k, n, MAX_CANDIDATES)[:max(budget, 0)]
            budget -= len(keep)
            hint = 0.5 * ~(keep == extra_at).any(axis=1) if k == n + 1 and extra_at is not None else 0.0
            dropped_blanks = blank.sum() - blank[keep].sum(axis=1)
            dropped_outside = outside.sum() - outside[keep].sum(axis=1)
            out.add(vals, "keep", keep, prior0 - 0.002 * keep.sum(axis=1) - 0.01 * (k - n) + hint
                    + 0.1 * dropped_blanks + 0.15 * dropped_outside)
        if budget <= 0:
            break
    return out


def _lone_run(value: Value, n: int) -> bool:
    """Whether a row's lone value may be its cells glued together: a digit per cell or more,
    and no thousands separators (``55,432`` is printed as one number)."""
    return n >= 3 and len(value.digits) >= n and "," not in value.raw


def _larger_than_bound(row: Row, vals: np.ndarray) -> np.ndarray:
    """Per candidate, how many of the row's :data:`SMALLER_THAN` pairs it breaks."""
    cols = {c.rsplit(".", 1)[-1]: k for k, c in enumerate(row.cells)}
    out = np.zeros(len(vals))
    for small, big in SMALLER_THAN:
        if small in cols and big in cols:
            out += np.abs(vals[:, cols[small]]) > vals[:, cols[big]]
    return out


def extra_columns(doc: Doc, p: Placement, tmpl: Template) -> Dict[str, int]:
    """Where a header shows a column the template lacks, with its position: keyed by table
    (小计/合计 in table 三) or by row (a 2019 fees row headed 处理决定数量 like the rows above)."""
    out: Dict[str, int] = {}
    first = next((a.pos for a in p.anchors if a.kind == "row" and a.target.startswith("requests.")), None)
    title = next((a.pos for a in p.anchors if a.kind == "title" and a.target == "requests"), None)
    if first is not None:
        lo = title if title is not None else max(0, first - 60)
        if any(label_key(doc.items[i].text) in EXTRA_HEADERS for i in range(lo, first)):
            out["requests"] = 6  # printed between 其他 and 总计
    out.update(_foreign_headers(doc, p, tmpl))
    return out


def _foreign_headers(doc: Doc, p: Placement, tmpl: Template) -> Dict[str, int]:
    """Table 一 rows whose own column headers are followed by another row's column header."""
    names = {label_key(lbl): cell.rsplit(".", 1)[-1] for cell, lbl in tmpl.column_labels.items()
             if cell.startswith("active.")}
    out = {}
    rows = sorted((a for a in p.anchors if a.kind == "row"), key=lambda a: a.pos)
    for prev, a in zip([None] + rows, rows):
        row = tmpl.row(a.target)
        if row.table != "active":
            continue
        lo = prev.pos + 1 if prev is not None else max(0, a.pos - 40)
        seen = [col for i in range(lo, a.pos) if not doc.items[i].is_value
                for col in _header_columns(label_key(doc.items[i].text), names)]
        own = [c.rsplit(".", 1)[-1] for c in row.cells]
        if len(seen) > 1 and seen[-1] not in own and seen[:-1] == [c for c in own if c in seen[:-1]]:
            out[row.id] = len(own)
    return out


def _header_columns(key: str, names: Dict[str, str]) -> List[str]:
    """The columns a header cell names: one, or several in print order when the header cells
    are glued together (``信息内容上一年项目数量本年减处理决定数量``)."""
    if key in names:
        return [names[key]]
    found = sorted((key.find(name), col) for name, col in names.items() if len(name) >= 4 and name in key)
    return [col for _, col in found]


class Options(NamedTuple):
    """A row's candidate placements and what scores them (see :func:`_row_options`)."""

    cands: Candidates
    vals: Optional[np.ndarray]    # their cell values (None: one candidate)
    static: Optional[np.ndarray]  # the part of their score that is prior, not identities
    scale: float                  # the weight of the value prior's log-probabilities in it
    guessed: bool                 # placed by columns its table's values fit poorly (ColumnFinder.poor_fit)


def _row_options(row: Row, toks: List[int], items: List[Item], tmpl: Template, extra: Optional[Dict[str, int]],
                 columns: Optional[ColumnFinder], prior: Optional[ValuePrior]) -> Optional[Options]:
    """A row's candidate placements, their cell values, the part of their score that is
    prior, not identities, the weight the learnt value prior's log-probabilities have in it,
    and whether columns its table fits poorly placed it (None for a row without values; values
    and prior None for a row with one candidate)."""
    if not toks:
        return None
    n = len(row.cells)
    # a glued run: digits glued to a label, or a row's lone value with a digit per cell
    tokens = [(t, items[t].value.number, items[t].value.digits
               if items[t].split == "fused" or (len(toks) == 1 and _lone_run(items[t].value, n))
               else "") for t in toks]
    cols_r = {t: items[t].col_r for t in toks}
    ends = {t: items[t].col_end for t in toks}
    hint = GRID_HINT
    guessed = False
    if len(toks) < n and columns is not None:
        near = columns.columns(row, toks)
        if near is not None:  # a space-aligned row: its columns are where it stands
            ends = {t: n - 1 - c for t, c in zip(toks, near)}
            hint = HEADER_HINT if columns.from_headers(row) else POSITION_HINT
            guessed = columns.poor_fit(row)
    extra_at = (extra or {}).get(row.id, (extra or {}).get(row.table))
    cands = row_candidates(row, tokens, extra_at, cols_r, ends, hint)
    if not len(cands):
        return None
    glued = any(run for _, _, run in tokens)
    scale = PRIOR_WEIGHT if glued else DROPPED_PRIOR_WEIGHT
    if len(cands) == 1:  # nothing to weigh (an all-zero glued run has one cut)
        return Options(cands, None, None, scale, guessed)
    vals = cands.values
    static = cands.prior.copy()
    if last_is_total(row) and not glued:
        static += FILLED_LAST * (vals[:, -1] != 0)
    static -= SMALLER * _larger_than_bound(row, vals)
    if prior is not None and glued:
        static += PRIOR_WEIGHT * prior.score(tmpl.name, row.cells, vals, cands.blank)
    elif prior is not None and len(toks) < n:  # which columns are filled
        static += DROPPED_PRIOR_WEIGHT * prior.score(tmpl.name, row.cells, vals, cands.blank, empty_alike=True)
    return Options(cands, vals, static, scale, guessed)


def _certainty(margin: float) -> float:
    """A repaired row's certainty from the margin of its placement over the best rival."""
    return SURE_CERTAINTY if margin >= SURE else (0.6 if margin > 0.02 else 0.35)


def _scores(cells: Dict[str, Optional[float]], row: Row, option: Options, idents) -> Optional[np.ndarray]:
    """The score of each of a row's candidates (None for a lone candidate)."""
    return None if option.vals is None else row_scorer(cells, row.cells, idents)(option.vals) + option.static


def _margin(vals: Optional[np.ndarray], scores: Optional[np.ndarray]) -> Tuple[int, float]:
    """(the best candidate, its margin over the best rival giving other cells) of a row whose
    candidates' cell values are ``vals``."""
    if scores is None:
        return 0, 1.0  # a lone candidate has no rival
    k_best = int(np.argmax(scores))  # the first of equals, as candidates come in order
    rivals = np.any(vals != vals[k_best], axis=1)  # doubt only counts between different cells
    return k_best, (float(scores[k_best]) - float(scores[rivals].max()) if rivals.any() else 1.0)


def cell_shares(vals: np.ndarray, scores: np.ndarray, k_best: int, scale: float) -> np.ndarray:
    """Per column, the share of the candidates' weight on those giving the cell the value the
    best candidate gives it (blank and zero alike). A candidate weighs ``exp(score / scale)``:
    with ``scale`` the weight of the value prior's log-probabilities in the scores, the prior's
    own odds between placements no sum tells apart (a broken sum counts as ``2 / scale`` nats)."""
    w = np.exp((scores - scores.max()) / scale)
    return (w @ (vals == vals[k_best])) / w.sum()


def _settled_sums(row: Row, by_cell, unsettled) -> list:
    """The identities of ``row``'s cells whose other cells are all settled."""
    mine = set(row.cells)
    return list({id(x): x for c in row.cells for x in by_cell.get(c, [])
                 if all(cc in mine or cc not in unsettled for cc in x[0] + x[1])}.values())


def _settled_margins(cells: Dict[str, Optional[float]], todo: List[Row], options, by_cell,
                     unsettled: set) -> Tuple[Dict[str, float], Dict[str, Optional[np.ndarray]]]:
    """Per row to repair, the margin of its best placement on the evidence of settled cells
    alone, and its candidates' scores on that evidence: the printed rows, then each repaired
    row that this evidence places surely, in turn. Rows that only agree with each other (blank
    cells dropped from several rows, no column positions: the same columns swapped in all of
    them keep every sum) stay doubtful, however well they agree."""
    cells, unsettled = dict(cells), set(unsettled)
    margins: Dict[str, float] = {}
    scores: Dict[str, Optional[np.ndarray]] = {}
    grew = True
    while grew:
        grew = False
        for row in todo:
            if options[row.id] is None or margins.get(row.id, 0.0) >= SURE:
                continue
            option = options[row.id]
            scores[row.id] = _scores(cells, row, option, _settled_sums(row, by_cell, unsettled))
            k, margins[row.id] = _margin(option[1], scores[row.id])
            if margins[row.id] >= SURE:
                cells.update((c, v) for c, (_, v) in zip(row.cells, options[row.id][0].place(k)))
                unsettled -= set(row.cells)
                grew = True
    return margins, scores


def repair(p: Placement, tmpl: Template, rows: Dict[str, List[int]], items: List[Item],
            conf_of: Dict[int, float], extra: Optional[Callable[[], Dict[str, int]]] = None,
            columns: Optional[ColumnFinder] = None, prior: Optional[ValuePrior] = None) -> None:
    """Re-place the rows whose value count does not match their columns, guided by identities
    (and, between placements they do not tell apart, by the learnt value ``prior``). ``extra``
    gives the extra columns (:func:`extra_columns`); it is asked only when a row has values to
    re-place."""
    by_cell = identities_by_cell(tmpl)
    todo = []
    for row in p.layout:
        toks = rows.get(row.id, [])
        fused = any(items[t].split == "fused" for t in toks)
        if len(toks) != len(row.cells) or fused:
            todo.append(row)
    if not any(rows.get(row.id) for row in todo):
        return  # every row printed whole, or blank: nothing to re-place
    unsettled = {c for row in todo for c in row.cells}
    extra_at = extra() if extra is not None else None
    # a row's candidates and the prior part of their scores do not change between sweeps
    options = {row.id: _row_options(row, rows.get(row.id, []), items, tmpl, extra_at, columns, prior)
               for row in todo}
    notes: Dict[str, dict] = {}  # per row, what its last sweep decided
    known, known_scores = _settled_margins(p.cells, todo, options, by_cell, unsettled)
    for sweep in range(2):
        for row in todo:
            toks = rows.get(row.id, [])
            if options[row.id] is None:
                continue
            # first sweep: only sums whose other cells are settled (unrepaired rows mislead)
            idents = _settled_sums(row, by_cell, set() if sweep else unsettled)
            option = options[row.id]
            scores = _scores(p.cells, row, option, idents)
            k_best, margin = _margin(option[1], scores)
            certainty = _certainty(min(margin, known.get(row.id, margin)))
            if option.guessed:
                certainty = min(certainty, POOR_FIT_CERTAINTY)
            sure = [certainty] * len(row.cells)
            if sweep and certainty < SURE_CERTAINTY and scores is not None:
                # a doubtful row, as last placed: each cell as sure as the placements giving it
                # this value weigh, on all the evidence and on that of settled cells alone
                shares = [cell_shares(option[1], s, k_best, option[3]) for s in (scores, known_scores.get(row.id))
                          if s is not None]
                sure = np.minimum.reduce([np.full(len(row.cells), certainty)] + shares).round(3).tolist()
            for cell, (t, v), c in zip(row.cells, option[0].place(k_best), sure):
                p.cells[cell] = v
                if t >= 0:
                    p.src[cell] = t
                    p.conf[cell] = min(conf_of.get(t, 0.5), c)
                else:
                    p.src.pop(cell, None)
                    p.conf[cell] = c
            notes[row.id] = {"row": row.id, "values": len(toks), "columns": len(row.cells), "certainty": certainty}
    p.notes.extend(notes.values())
