"""Accounting identities as scores: how many sums a set of cells satisfies.

A sum that holds scores +1, an all-zero one 0.1, a break -1. :func:`row_scorer` scores many
candidate values of one row at once (numpy), the others cells held fixed.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .templates import Template, get_template


Identity = Tuple[Tuple[str, ...], Tuple[str, ...], str]  # (lhs cells, rhs cells, name)


def identities_for(tmpl: Template) -> Tuple[Identity, ...]:
    """The identities of ``tmpl`` (built once for a shipped template: the decoder asks often)."""
    return _shipped(tmpl.name)[0] if _is_shipped(tmpl) else _identities(tmpl)


def identities_by_cell(tmpl: Template) -> Dict[str, Tuple[Identity, ...]]:
    """The identities of ``tmpl`` that involve each cell (built once for a shipped template)."""
    return _shipped(tmpl.name)[1] if _is_shipped(tmpl) else _by_cell(_identities(tmpl))


def _is_shipped(tmpl: Template) -> bool:
    try:
        return get_template(tmpl.name) is tmpl
    except KeyError:
        return False


@lru_cache(maxsize=None)
def _shipped(name: str) -> Tuple[Tuple[Identity, ...], Dict[str, Tuple[Identity, ...]]]:
    idents = _identities(get_template(name))
    return idents, _by_cell(idents)


def _identities(tmpl: Template) -> Tuple[Identity, ...]:
    return tuple((tuple(ident["lhs"]), tuple(ident["rhs"]), ident["name"]) for ident in tmpl.identities)


def _by_cell(idents: Tuple[Identity, ...]) -> Dict[str, Tuple[Identity, ...]]:
    out: Dict[str, List[Identity]] = {}
    for ident in idents:
        for c in ident[0] + ident[1]:
            out.setdefault(c, []).append(ident)
    return {c: tuple(v) for c, v in out.items()}


def sides_score(l: float, r: float) -> float:
    """+1 for a sum that holds, 0.1 for an all-zero one, -1 for a break."""
    if l == 0 and r == 0:
        return 0.1
    return 1.0 if math.isclose(l, r, rel_tol=1e-9, abs_tol=1e-6) else -1.0


def cells_sum(cells: Dict[str, Optional[float]], keys: Sequence[str]) -> float:
    """The sum of cells ``keys`` (blank or missing cells count 0)."""
    return sum(filter(None, map(cells.get, keys)))  # None and 0 add nothing: skip both


def breaks(cells: Dict[str, Optional[float]], idents) -> int:
    return sum(sides_score(cells_sum(cells, lhs), cells_sum(cells, rhs)) < 0 for lhs, rhs, _ in idents)


def identity_score(cells: Dict[str, Optional[float]], idents) -> float:
    return sum(sides_score(cells_sum(cells, lhs), cells_sum(cells, rhs)) for lhs, rhs, _ in idents)


def row_scorer(cells: Dict[str, Optional[float]], row_cells: Sequence[str], idents):
    """Scores of the identities ``idents`` for candidate values of one row's cells: takes a
    (candidates x columns) array, returns one score per candidate."""
    pick, others = _row_plan(tuple(row_cells), tuple(idents))
    # what each side sums beyond the row, the other cells held fixed
    base = np.array([(cells_sum(cells, lhs), cells_sum(cells, rhs)) for lhs, rhs in others],
                    dtype=float).reshape(len(others), 2)

    def score(vals: np.ndarray) -> np.ndarray:
        if not len(others):
            return np.zeros(len(vals))
        left = base[:, 0] + vals @ pick[0].T     # candidates x identities
        right = base[:, 1] + vals @ pick[1].T
        # np.isclose(left, right, rtol=1e-9, atol=1e-6) for finite sums, without its overhead
        close = np.abs(left - right) <= 1e-6 + 1e-9 * np.abs(right)
        s = np.where((left == 0) & (right == 0), 0.1, np.where(close, 1.0, -1.0))
        return s.sum(axis=1)
    return score


@lru_cache(maxsize=4096)
def _row_plan(row_cells: Tuple[str, ...], idents: Tuple[Identity, ...]
              ) -> Tuple[np.ndarray, Tuple[Tuple[Tuple[str, ...], Tuple[str, ...]], ...]]:
    """Which of the row's columns each side of each identity sums (2 x identities x columns,
    read-only), and the cells beyond the row each side sums: the same for a row in every
    report, so built once."""
    col = {c: k for k, c in enumerate(row_cells)}
    pick = np.zeros((2, len(idents), len(row_cells)))
    for q, (lhs, rhs, _) in enumerate(idents):
        for side, cs in enumerate((lhs, rhs)):
            for c in cs:
                if c in col:
                    pick[side, q, col[c]] = 1.0
    pick.flags.writeable = False
    others = tuple((tuple(c for c in lhs if c not in col), tuple(c for c in rhs if c not in col))
                   for lhs, rhs, _ in idents)
    return pick, others
