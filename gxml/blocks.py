"""Label blocks: row labels printed one right after another, no value between them, beside
one run of values.

Plain pdftotext reads a table's label column as one block where the rows between are blank
(zeros printed empty): ``1 3 12 规章 行政规范性文件`` or ``行政处罚 行政强制 76``. The run is one
row's, but the text does not say which; the decoder put it where the print order led
(the label after it, or the one before it). :func:`label_blocks` finds such blocks in a
placement, for the decoder to weigh the block's rows by the sums and the learnt value prior.
"""
from __future__ import annotations

from typing import List, NamedTuple, Sequence

from .doc import Doc
from .placement import Anchor, Placement
from .templates import Template


class Block(NamedTuple):
    """Row labels printed together (``rows``, in print order), the one row of them whose
    cells hold values (``filled``), printed ``before`` or after the labels as one run."""

    rows: tuple
    filled: str
    before: bool


def _runs_of_labels(doc: Doc, anchors: Sequence[Anchor], tmpl: Template) -> List[List[Anchor]]:
    """Maximal runs of two or more row anchors of one table, rows in layout order, with
    nothing between one and the next but pieces of labels (no value, no header)."""
    items = doc.items
    plabel = doc.p("label")
    out: List[List[Anchor]] = []
    run: List[Anchor] = []
    for a in anchors:
        prev = run[-1] if run else None
        if a.kind == "row" and prev is not None and a.row == prev.row + 1 and (
                tmpl.row(a.target).table == tmpl.row(prev.target).table) and all(
                not items[j].is_value and plabel[j] > 0.5 for j in range(prev.pos + 1, a.pos)):
            run.append(a)
            continue
        if len(run) >= 2:
            out.append(run)
        run = [a] if a.kind == "row" else []
    if len(run) >= 2:
        out.append(run)
    return out


def label_blocks(doc: Doc, tmpl: Template, p: Placement) -> List[Block]:
    """The label blocks of placement ``p`` whose rows are blank but one, whose values were all
    read from one run printed right before the block's first label or right after its last
    (between it and the anchors beside the block), the run holding no other row's value."""
    anchors = sorted(p.anchors, key=lambda a: a.pos)
    out: List[Block] = []
    for run in _runs_of_labels(doc, anchors, tmpl):
        rows = tuple(a.target for a in run)
        filled = [r for r in rows if any(c in p.src for c in tmpl.row(r).cells)]
        if len(filled) != 1:
            continue
        k0 = anchors.index(run[0])
        k1 = anchors.index(run[-1])
        lo = anchors[k0 - 1].pos if k0 > 0 else -1
        hi = anchors[k1 + 1].pos if k1 + 1 < len(anchors) else len(doc.items)
        src = {p.src[c] for c in tmpl.row(filled[0]).cells if c in p.src}
        for before, (a, b) in ((True, (lo, run[0].pos)), (False, (run[-1].pos, hi))):
            in_gap = {i for i in p.src.values() if a < i < b}
            if src <= in_gap and in_gap == src:
                out.append(Block(rows, filled[0], before))
                break
    return out

