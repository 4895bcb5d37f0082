"""Label blocks: row labels printed one right after another, no value between them, beside
one run of values.

Plain pdftotext reads a table's label column as one block where the rows between are blank
(zeros printed empty): ``1 3 12 规章 行政规范性文件`` or ``行政处罚 行政强制 76``. The run is one
row's, but the text does not say which; the decoder put it where the print order led
(the label after it, or the one before it). :func:`label_blocks` finds such blocks in a
placement, for the decoder to weigh the block's rows by the sums and the learnt value prior.

pdfminer.six prints a grid of cells box by box, column by column, after the block of its
row labels: ``规章 行政规范性文件 0 0 0 5 0 5`` is 规章 0 0 0 and 行政规范性文件 0 5 5.
:func:`column_runs` finds a block followed by exactly one value per cell of its rows, and
:func:`label_block_before` the block printed before each value of table 三 (pdfminer boxes a
row's first values with its label, the rest of the grid column by column).
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Dict, List, NamedTuple, Sequence, Tuple

from .anchors import CLEARLY_NAMED, row_label_items
from .doc import Doc
from .placement import Anchor, Placement
from .templates import Template


class Block(NamedTuple):
    """Row labels printed together (``rows``, in print order), the one row of them whose
    cells hold values (``filled``), printed ``before`` or after the labels as one run."""

    rows: Tuple[str, ...]
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
            if in_gap == src:
                out.append(Block(rows, filled[0], before))
                break
    return out


def column_runs(doc: Doc, tmpl: Template, anchors: Sequence[Anchor]) -> List[Tuple[Tuple[str, ...], Dict[str, int]]]:
    """Per block of row labels (rows of as many cells, two or more) followed, before the next
    anchor, by exactly one value per cell of its rows: the rows, and the item of each cell
    with the values read column by column (cell j of row k is value ``j * rows + k``)."""
    anchors = sorted(anchors, key=lambda a: a.pos)
    items = doc.items
    out = []
    for run in _runs_of_labels(doc, anchors, tmpl):
        rows = [tmpl.row(a.target) for a in run]
        width = len(rows[0].cells)
        if width < 2 or any(len(row.cells) != width for row in rows):
            continue
        k = anchors.index(run[-1])
        stop = anchors[k + 1].pos if k + 1 < len(anchors) else len(items)
        values = [i for i in range(run[-1].pos + 1, stop) if items[i].is_value]
        if len(values) == len(rows) * width:
            out.append((tuple(row.id for row in rows),
                        {c: values[j * len(rows) + r] for r, row in enumerate(rows) for j, c in enumerate(row.cells)}))
    return out


def label_block_before(doc: Doc, p: Placement, tmpl: Template, vals: List[int]) -> Dict[int, Tuple[str, ...]]:
    """Per value of ``vals``, the rows of table 三 of the last block of its row labels printed
    before it: labels with no value between them, the anchors and the labels printed whole
    that the anchors left out (printed out of order: pdfminer boxes a label with the values
    on its line)."""
    at = {a.pos: a.target for a in p.anchors if a.kind == "row"}
    at.update((i, row) for i, row, sc in row_label_items(doc, tmpl) if sc >= CLEARLY_NAMED and i not in at)
    labels = sorted((pos, row) for pos, row in at.items() if row.startswith("requests."))
    blocks: List[Tuple[int, List[str]]] = []  # (position of the block's last label, its rows)
    for pos, row in labels:
        if blocks and not any(doc.items[j].is_value for j in range(blocks[-1][0] + 1, pos)):
            blocks[-1] = (pos, blocks[-1][1] + [row])
        else:
            blocks.append((pos, [row]))
    last = [pos for pos, _ in blocks]
    return {i: tuple(blocks[k - 1][1]) for i in vals for k in [bisect_right(last, i)] if k}
