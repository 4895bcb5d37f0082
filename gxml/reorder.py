"""Alternative reading orders of a table's values, chosen by the accounting identities.

PDF text in reading order (``pdftotext`` without ``-layout``) often reads a block of rows
column by column, or prints the runs of a row out of order. When the first decoding breaks
identities, two alternatives are tried:

* :func:`stream_rows` — the table's values, in text order, cut into blocks of whole rows,
  each read row-major or column-major; a dynamic programme picks the cut that satisfies the
  most row sums (used only when the value count equals the cell count exactly). It is tried
  too when the printed order left most values unplaced (every label printed before the values);
* :func:`permute_runs` — for a single row (table 四), the runs of values between other
  items are tried in every order, keeping the one that satisfies the most sums (where
  orders tie on sums, a run goes to the group whose header was printed first since the
  value before it);
* :func:`moved_lead` — a row whose first values were printed before its label, moved to
  the place that keeps the row's sum; and
  :func:`transposed`, table 四 drawn with its groups as columns and its results as rows.
"""
from __future__ import annotations

import itertools
import math
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .identities import sides_score

MAX_BLOCK = 40  # rows in one block read column-major: a whole table 三 (25 rows) read by columns
COLUMN_MAJOR_COST = 0.3
TOTAL_MOVED_COST = 0.2  # a block read column-major whose total column was not printed last
MAX_RUNS = 7


def row_sum_score(vals: Sequence[float]) -> float:
    """+1 when the first values sum to the last, 0.1 for an all-zero row, -1 otherwise."""
    return sides_score(sum(v or 0 for v in vals[:-1]), vals[-1] or 0)


def stream_rows(values: Sequence[float], n_rows: int, n_cols: int, boundaries: Sequence[bool],
                total_anywhere: bool = False) -> Optional[List[List[int]]]:
    """Cut ``values`` into ``n_rows`` rows of ``n_cols``, block by block, row- or column-major.

    ``boundaries[p]`` is True where a run of values starts at position p (a label or other
    text stood before it); blocks that start on a boundary are preferred. With
    ``total_anywhere``, a block read by columns may print its total column before another
    (pdfminer orders a page's column boxes its own way): a column that sums to the others
    together is then tried as the rows' last. Returns, per row, the positions of its values,
    or None when the count does not fit.
    """
    return stream_orders(values, n_rows, n_cols, boundaries, (total_anywhere,))[0]


Cut = Tuple[int, Optional[int], float]  # a block: its rows, its total column (None: row-major), its score


def stream_orders(values: Sequence[float], n_rows: int, n_cols: int, boundaries: Sequence[bool],
                  anywhere: Sequence[bool] = (False, True)) -> List[Optional[List[List[int]]]]:
    """The :func:`stream_rows` order for each ``total_anywhere`` of ``anywhere``; the blocks
    are scored once for all."""
    if len(values) != n_rows * n_cols or n_rows == 0:
        return [None for _ in anywhere]
    cuts = _block_cuts([v or 0 for v in values], n_rows, n_cols, boundaries, any(anywhere))
    return [_best_cuts(cuts, n_rows, n_cols, a) for a in anywhere]


def _block_cuts(vals: List[float], n_rows: int, n_cols: int, boundaries: Sequence[bool],
                total_anywhere: bool) -> List[List[Cut]]:
    """Per first row r, every block that may start there (see :func:`stream_rows`), scored;
    with ``total_anywhere`` blocks read by columns with the total column elsewhere too."""
    V = len(vals)
    at = [0.0, *itertools.accumulate(vals)] if total_anywhere else []  # prefix sums: a block's column sums
    # a row read row-major scores the same in every block: once each
    row_major = [row_sum_score(vals[p:p + n_cols]) for p in range(0, V, n_cols)]
    out: List[List[Cut]] = []
    for r in range(n_rows):
        p = r * n_cols
        cuts: List[Cut] = []
        for k in range(1, min(MAX_BLOCK, n_rows - r) + 1):
            q = p + k * n_cols
            bonus = (0.2 if boundaries[p] else 0.0) + (0.2 if q == V or boundaries[q] else 0.0)
            cuts.append((k, None, sum(row_major[r:r + k]) + (bonus - 0.05)))
            if k == 1:
                continue
            # column-major, the total printed as column t
            for total in (n_cols - 1,) + (_total_columns(at, p, k, n_cols) if total_anywhere else ()):
                s = _column_major_score(vals, p, k, n_cols, total) - COLUMN_MAJOR_COST - (
                    TOTAL_MOVED_COST if total != n_cols - 1 else 0.0)
                cuts.append((k, total, s + (bonus - 0.05)))
        out.append(cuts)
    return out


def _best_cuts(cuts: List[List[Cut]], n_rows: int, n_cols: int, total_anywhere: bool) -> Optional[List[List[int]]]:
    """The positions of each row's values in the cut of the best summed score (a dynamic
    programme over the first rows read): the blocks of ``cuts`` whose total column is the
    last, or, with ``total_anywhere``, any."""
    NEG = -1e18
    best = [NEG] * (n_rows + 1)
    back: Dict[int, Tuple[int, Optional[int]]] = {}  # rows read -> rows read before, total column
    best[0] = 0.0
    for r in range(n_rows):
        if best[r] == NEG:
            continue
        for k, total, s in cuts[r]:
            if total is not None and total != n_cols - 1 and not total_anywhere:
                continue
            if best[r] + s > best[r + k]:
                best[r + k] = best[r] + s
                back[r + k] = (r, total)
    if best[n_rows] == NEG:
        return None
    out: List[List[int]] = []
    r = n_rows
    while r > 0:
        r0, total = back[r]
        out[0:0] = _block(r0 * n_cols, r - r0, n_cols, total)
        r = r0
    return out


def _total_columns(at: List[float], p: int, k: int, n_cols: int) -> Tuple[int, ...]:
    """The columns but the last of the block of ``k`` rows at ``p`` read column-major whose sum
    is that of the other columns together (``at``: prefix sums of the values), none for a
    block of zeros: the columns that can be its rows' totals, rightmost first (a column that
    equals the total one, 自然人 where no organisation applied, sums so too)."""
    sums = [at[p + (c + 1) * k] - at[p + c * k] for c in range(n_cols)]
    whole = sum(sums)
    if whole == 0:
        return ()
    return tuple(c for c in range(n_cols - 2, -1, -1) if math.isclose(2 * sums[c], whole, rel_tol=1e-9, abs_tol=1e-6))


def _column_major_score(vals: List[float], p: int, k: int, n_cols: int, total: int) -> float:
    """The summed :func:`row_sum_score` of the ``k`` rows of the block at ``p`` read
    column-major, column ``total`` the rows' totals (the rows of :func:`_block`)."""
    last = (n_cols - 1) * k
    if total == n_cols - 1:
        return sum([sides_score(sum(vals[p + i:p + i + last:k]), vals[p + i + last]) for i in range(k)])
    t = total * k
    return sum([sides_score(sum(vals[p + i:p + i + last + k:k]) - vals[p + i + t], vals[p + i + t])
                for i in range(k)])


def _block(p: int, k: int, n_cols: int, total: Optional[int]) -> List[List[int]]:
    """Positions of the values of the ``k`` rows of the block at ``p``: row-major (``total``
    None) or column-major with the rows' totals printed as column ``total``, read last."""
    if total is None:
        return [[p + i * n_cols + c for c in range(n_cols)] for i in range(k)]
    order = [c for c in range(n_cols) if c != total] + [total]
    return [[p + c * k + i for c in order] for i in range(k)]


HEAD_WEIGHT = 0.05  # a run printed under its group's header: above an order shift, below a sum


def permute_runs(runs: Sequence[Sequence[int]], score: Callable[[List[int]], float],
                 groups: Optional[Sequence[str]] = None,
                 heads: Optional[Sequence[Optional[str]]] = None) -> Optional[List[int]]:
    """The order of ``runs`` (lists of positions) whose concatenation scores best; None if
    there are too many runs. ``groups`` names the group of each cell the concatenation fills
    and ``heads`` the group whose header was printed first since the value before each run
    (None: no header since): a run landing in its header's group scores :data:`HEAD_WEIGHT`
    more, one landing elsewhere that much less (orders that keep the same sums differ so).
    Remaining ties keep the printed order."""
    if len(runs) > MAX_RUNS:
        return None
    best, best_s = None, -math.inf
    for perm in itertools.permutations(range(len(runs))):
        seq = [p for k in perm for p in runs[k]]
        s = score(seq) - 0.01 * sum(abs(a - b) for a, b in zip(perm, range(len(runs))))
        if groups is not None and heads is not None:
            s += HEAD_WEIGHT * _head_agreement(perm, runs, groups, heads)
        if s > best_s + 1e-9:
            best, best_s = seq, s
    return best


def _head_agreement(perm: Sequence[int], runs: Sequence[Sequence[int]], groups: Sequence[str],
                    heads: Sequence[Optional[str]]) -> int:
    """Runs of ``perm`` that land wholly in the group their header names, less those that do
    not (runs without a header count neither way)."""
    out, slot = 0, 0
    for k in perm:
        n = len(runs[k])
        if heads[k] is not None:
            out += 1 if all(g == heads[k] for g in groups[slot:slot + n]) else -1
        slot += n
    return out


def moved_lead(values: Sequence[Optional[float]], lead: int) -> Optional[List[int]]:
    """Positions of a row's values (its last cell the total of the others) in the order that
    keeps its sum, when its first ``lead`` values were printed before its label (plain PDF text
    puts a cell that sits higher than the label first): the lead run moved to the one place
    among the others where the sum holds. None when the printed order keeps the sum, or no
    place or more than one does."""
    n = len(values)
    if not 0 < lead < n or row_sum_score(values) > 0:
        return None
    head, rest = list(range(lead)), list(range(lead, n))
    fits = [order for order in (rest[:k] + head + rest[k:] for k in range(1, len(rest) + 1))
            if row_sum_score([values[i] for i in order]) > 0]
    return fits[0] if len(fits) == 1 else None


def transposed(n_groups: int, n_each: int) -> List[int]:
    """Per cell of a row of ``n_groups`` groups of ``n_each`` cells (table 四: 3 cases of 5
    results), the position of its value in a table drawn transposed: ``n_each`` lines of
    ``n_groups`` values (a line per result, a column per case)."""
    return [(j % n_each) * n_groups + j // n_each for j in range(n_groups * n_each)]
