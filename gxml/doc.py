"""The plain data objects that flow through the pipeline: :class:`Item` and :class:`Doc`.

normalize -> segment -> tag -> decode -> validate each read and fill a ``Doc``; a user who
wonders why a cell is wrong can print ``doc.items`` with their tags (``Doc.table()``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import numpy as np

from .values import Value

TAGS = ("heading", "label", "cell", "noise")


@dataclass
class Item:
    """One piece of a line: a whole line, or one cell of a row split by pipes/tabs/spaces."""

    text: str
    line: int          # 1-based line number in the normalised text
    index: int         # position among the items of its line (0-based)
    n_in_line: int     # how many items its line has
    start: int         # character offsets in the normalised text
    end: int
    split: str         # how it was cut: line | pipe | tab | space | trail | fused
    indent: int = 0    # leading spaces/tabs of its line
    gap_before: int = 0  # blank or separator-only lines just before its line (0 unless index 0)
    value: Optional[Value] = None  # parsed when the text looks like a cell value
    col_r: Optional[int] = None    # pipe/tab rows: cell position counted from the row's last filled cell
    col_end: Optional[int] = None  # pipe/tab rows: cell position counted from the row's end
    # whether it is a cell value, a number or a blank mark (set from ``value`` when made: the
    # decoder asks this of every item again and again)
    is_value: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.is_value = self.value is not None and self.value.kind in ("number", "blank")


@dataclass
class Doc:
    """A report under analysis: its normalised text, items and (once tagged) their tags."""

    text: str
    items: List[Item] = field(default_factory=list)
    tags: Optional[List[str]] = None
    proba: Optional[np.ndarray] = None  # shape (len(items), len(TAGS)), columns in TAGS order
    source: Optional[str] = None
    # the 1-based line of the user's text each line of ``text`` came from, when re-lining
    # (:mod:`gxml.reline`) cut lines; None: the same lines
    origin: Optional[Tuple[int, ...]] = None

    def source_line(self, line: int) -> int:
        """Line ``line`` of ``text`` as a line of the user's text."""
        return self.origin[line - 1] if self.origin is not None else line

    def p(self, tag: str) -> np.ndarray:
        """Probability of ``tag`` for every item (0/1 when tagged without probabilities)."""
        j = TAGS.index(tag)
        if self.proba is not None:
            return self.proba[:, j]
        return np.array([1.0 if t == tag else 0.0 for t in (self.tags or [])])

    def table(self, limit: Optional[int] = None) -> str:
        """The items with their line, split kind and tag, one per line, for debugging."""
        rows = []
        for i, it in enumerate(self.items[:limit]):
            tag = self.tags[i] if self.tags else "?"
            pr = f"{self.proba[i].max():.2f}" if self.proba is not None else ""
            rows.append(f"{it.line:5d} {it.index:2d} {it.split:6s} {tag:8s} {pr:4s} {it.text[:60]}")
        return "\n".join(rows)
