"""Tables printed more than once: where each copy starts, and which copy to read.

A web page that carries the report twice (the page and its printable version), or a file
that holds an attachment's text after the report, or a volume of several agencies' reports,
names most template rows two or more times. Decoding the whole text then mixes rows of the
copies; instead the text is cut where each copy starts, each copy is decoded alone, and
``gxml.parse`` reads the copy that keeps its sums (``gxml.parse_all`` reads them all).
"""
from __future__ import annotations

from typing import List, NamedTuple, Optional, Sequence, Tuple

from .doc import Doc
from .identities import breaks, identities_for
from .labels import index_for
from .placement import Placement
from .report import Report
from .templates import Template

MAX_COPIES = 4   # copies looked for in one text when one is to be read
MIN_SHARED = 5   # rows a second copy must name again ...
SHARED_SHARE = 0.5  # ... and at least this share of the rows named on either side
STEP_BACK = 0.3  # share of the template's rows a copy's first row steps back
TITLE_MIN = 0.8  # a table title matches this well

Named = Tuple[int, str]  # (item index, the row its label names)


def copy_cuts(pos: Sequence[int], n_rows: int) -> List[int]:
    """Where each copy of the tables after the first starts, as indexes into ``pos`` (the
    template positions, among ``n_rows``, of the rows label items name, in text order): where
    the rows step back by :data:`STEP_BACK` of the template from the last few (a copy starts
    again from the top), and the rows named since the last cut and up to the next step back
    share at least :data:`MIN_SHARED`, and :data:`SHARED_SHARE` of the fewer: the same rows
    printed again, not rows read out of order or a label quoted in the prose."""
    steps = [k for k in range(1, len(pos))
             if pos[k] < pos[k - 1] and max(pos[max(0, k - 3):k]) - pos[k] >= STEP_BACK * n_rows]
    cuts: List[int] = []
    start = 0
    for q, k in enumerate(steps):
        before, after = set(pos[start:k]), set(pos[k:steps[q + 1] if q + 1 < len(steps) else len(pos)])
        if len(before & after) >= max(MIN_SHARED, SHARED_SHARE * min(len(before), len(after))):
            cuts.append(k)
            start = k
    return cuts


def _copy_start(doc: Doc, tmpl: Template, last: int, first: int) -> int:
    """Where the copy whose first row label is item ``first`` starts, the previous copy's
    last one being item ``last``: at the last table title between them, else before the
    column headers that lead into the row (items that are no value and no narrative)."""
    ix = index_for(tmpl.name)
    for j in range(first - 1, last, -1):
        it = doc.items[j]
        if it.value is None and len(it.text) <= 80 and any(
                t.kind == "title" and s >= TITLE_MIN for t, s in ix.match(it.text, top=1)):
            return j
    tags = doc.tags or []
    j = first
    while j - 1 > last and doc.items[j - 1].value is None and tags[j - 1:j] in (["heading"], ["label"]):
        j -= 1
    return j


def copy_starts(doc: Doc, tmpl: Template, named: Sequence[Named], max_copies: Optional[int] = MAX_COPIES) -> List[int]:
    """The item index where each copy of the tables of ``tmpl`` starts: ``[0]`` for tables
    printed once. ``named``: the items that clearly name a row, in text order, with that row;
    ``max_copies`` None: no limit."""
    order = {r.id: k for k, r in enumerate(tmpl.rows)}
    cuts = copy_cuts([order[row] for _, row in named], len(tmpl.rows))
    if max_copies is not None:
        cuts = cuts[:max_copies - 1]
    return [0] + [_copy_start(doc, tmpl, named[k - 1][0], named[k][0]) for k in cuts]


def sub_doc(doc: Doc, start: int, stop: int) -> Doc:
    """The items ``start:stop`` of ``doc`` as a document of their own (same text and lines)."""
    return Doc(text=doc.text, items=doc.items[start:stop],
               tags=None if doc.tags is None else doc.tags[start:stop],
               proba=None if doc.proba is None else doc.proba[start:stop], source=doc.source,
               origin=doc.origin)


def split_copies(doc: Doc, starts: Sequence[int]) -> List[Doc]:
    """``doc`` cut at ``starts`` (:func:`copy_starts`), one document per copy."""
    bounds = list(starts) + [len(doc.items)]
    return [sub_doc(doc, a, b) for a, b in zip(bounds, bounds[1:])]


class Copy(NamedTuple):
    """One copy of the tables: its part of the text, the template it follows, its placement."""

    doc: Doc
    tmpl: Template
    placement: Placement


def copy_to_read(copies: Sequence[Copy]) -> int:
    """Which copy of the tables to read: the one that breaks the fewest sums, then the one
    with the most cells found, then the first."""
    def rank(k: int) -> Tuple[int, int, int]:
        _, tmpl, p = copies[k]
        return (-breaks(p.cells, identities_for(tmpl)), sum(p.src.get(c) is not None for c in tmpl.cells), -k)
    return max(range(len(copies)), key=rank)


def note_copies(rep: Report, copies: Sequence[Copy], read: int) -> None:
    """The ``repeated_tables`` issue of a text whose tables are printed more than once (copy
    ``read`` is the one read)."""
    lines = [c.doc.source_line(c.doc.items[0].line) for c in copies]
    tmpl, cells = copies[read].tmpl, copies[read].placement.cells
    differ = sorted({k for c in copies for k in tmpl.cells
                     if c.tmpl is not tmpl or c.placement.cells.get(k) != cells.get(k)})
    if not differ:
        how = "the copies agree"
    else:
        names = sorted({c.tmpl.name for c in copies})
        what = f"follow templates {' and '.join(names)}" if len(names) > 1 else f"differ in {len(differ)} cells"
        how = (f"the copies {what}; the one from line {lines[read]} was read (fewest broken sums, then "
               "most cells found); if the file holds several reports, gxml.parse_all reads each")
    rep.add_issue("repeated_tables", f"the tables are printed {len(copies)} times (from lines "
                  f"{', '.join(map(str, lines))}): {how}", copies=lines, read=read,
                  breaks=[breaks(c.placement.cells, identities_for(c.tmpl)) for c in copies], differ=differ)
