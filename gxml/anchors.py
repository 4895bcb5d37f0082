"""Anchors: the items that name a template row, a table title or the end of the tables.

:func:`choose_template` reads the template from column headers, row wording and the year;
:func:`anchor_candidates` finds the items that name rows (joining a label broken over items);
:func:`select_anchors` keeps the best chain in template order, so narrative mentions and
repeated tables do not scramble the order; :func:`end_past_table_parts` moves the end marker past
parts of the last table printed after it.
"""
from __future__ import annotations

import math
import re
from dataclasses import replace
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from .doc import Doc
from .labels import CACHE_SIZE, Target, header_score, index_for, label_key
from .placement import Anchor
from .templates import Row, Template, load_aliases

CLEARLY_NAMED = 0.9     # a row label printed whole matches its row this well
PARTLY_NAMED = 0.6      # a row label printed broken still matches its row this well
ANCHOR_MIN = 0.55       # a label must match a row at least this well to anchor it
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def choose_template(doc: Doc) -> Tuple[Optional[str], Dict[str, float]]:
    """The template a document follows (None when it shows no report table), with evidence."""
    ev = _evidence()
    score = {name: 0.0 for name in ev}
    rows_seen = 0
    titles = 0
    names = list(ev)
    for it in doc.items:
        if it.value is not None or len(it.text) > 80:
            continue
        signs = _template_signs(it.text)
        if signs is None:
            continue
        hits, row, title = signs
        for name, hit in zip(names, hits):
            if hit:
                score[name] += 1
        rows_seen += row
        titles += title
    # the year of the report: in its first lines (of the document's own part of the text: a
    # copy of several in one file has its own)
    text = doc.text[doc.text.rfind("\n", 0, doc.items[0].start) + 1:] if doc.items else doc.text
    head = "\n".join(text.split("\n", 8)[:8])
    m = _YEAR.search(head) or _YEAR.search(text[:3000])
    if m:
        year = int(m.group(1))
        score["2019" if year <= 2020 else "2021"] += 1.5
    evidence = {"rows": rows_seen, "titles": titles, **{f"t{k}": v for k, v in score.items()}}
    if rows_seen < 4 and (rows_seen + titles) < 5:
        return None, evidence
    best = max(score, key=lambda k: (score[k], k))
    return best, evidence


@lru_cache(maxsize=CACHE_SIZE)
def _template_signs(text: str) -> Optional[Tuple[Tuple[bool, ...], bool, bool]]:
    """What a label's text says of the template (cached: labels recur from report to report):
    whether it holds each template's evidence phrases (in :func:`_evidence` order), names a
    row, names a table title (a 2021 match at 0.8 or more); None for text with no key."""
    key = label_key(text)
    if not key:
        return None
    hits = tuple(phrases.search(key) is not None for phrases in _evidence().values())
    named = [t.kind for t, s in index_for("2021").match(text, top=1) if s >= 0.8]
    return hits, "row" in named, "title" in named


@lru_cache(maxsize=None)
def _evidence() -> Dict[str, "re.Pattern[str]"]:
    """Per template, a pattern finding any of its evidence phrases (as label keys) in a key."""
    al = load_aliases()
    return {name: re.compile("|".join(re.escape(label_key(p)) for p in phrases) or "(?!)")
            for name, phrases in al["template_evidence"].items()}


Match = Tuple[int, Target, float]  # (item index, the target it names, anchor weight)


def label_matches(doc: Doc, tmpl: Template) -> List[Match]:
    """The items that name a row, title or end marker of ``tmpl`` well enough to anchor it
    (joining a label broken over items), weighted by their label probability: what
    :func:`anchor_candidates` finds whatever the layout, so a document computes it once."""
    ix = index_for(tmpl.name)
    plab = doc.p("label") + doc.p("heading")
    unlikely = (plab < 0.15).tolist()  # elementwise as plab[i] < 0.15; lists are cheap to index
    plab = plab.astype(float).tolist()
    items = doc.items
    out: List[Match] = []
    for i, it in enumerate(items):
        if it.value is not None or unlikely[i] or len(it.text) > 80:
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
                better = [(t, s) for t, s in ix.match(joined) if s > best + 0.05]
                if better:  # a label the next item names by itself is that item's, not this one's
                    alone = dict(ix.match(items[j].text))
                    matches += [(t, s) for t, s in better if alone.get(t, 0.0) < s - 0.05]
        out += [(i, t, s * (0.4 + 0.6 * plab[i])) for t, s in matches if s >= ANCHOR_MIN]
    return out


def anchor_candidates(doc: Doc, tmpl: Template, layout: Sequence[Row],
                      matches: Optional[List[Match]] = None) -> List[Anchor]:
    """The anchors the items of ``doc`` offer in ``layout`` (``matches``: the document's
    :func:`label_matches`, computed when not given)."""
    pos_of = {r.id: k for k, r in enumerate(layout)}
    first_row = {}
    for k, r in enumerate(layout):
        first_row.setdefault(r.table, k)
    out: List[Anchor] = []
    for i, t, w in label_matches(doc, tmpl) if matches is None else matches:
        if t.kind == "row" and t.id in pos_of:
            out.append(Anchor(i, float(pos_of[t.id]), w, "row", t.id))
        elif t.kind == "title" and t.id in first_row:
            out.append(Anchor(i, first_row[t.id] - 0.5, w * 0.8, "title", t.id))
        elif t.kind == "end":
            out.append(Anchor(i, float(len(layout)), w * 0.8, "end", t.id))
    return out


TABLE_PART_CHARS = 12  # text this short after the end marker may be a header piece of the table


def end_past_table_parts(doc: Doc, anchors: List[Anchor]) -> List[Anchor]:
    """``anchors`` with the end marker moved past the parts of the table printed after it:
    pdfminer may print the next section's title (五、存在的问题…) before the last boxes of
    table 四 (``五、存在的问题… 复议后起诉 结果 维持 24 …``). Short items, values among them and a
    column header, right after the marker are the table's: the tables end at the first
    longer item (or the text's end: no end anchor)."""
    items = doc.items
    for k, a in enumerate(anchors):
        if a.kind != "end":
            continue
        j, value, header = a.pos + 1, False, False
        while j < len(items) and (items[j].is_value or len(items[j].text) <= TABLE_PART_CHARS):
            value = value or items[j].is_value
            header = header or (not items[j].is_value and header_score(items[j].text) >= CLEARLY_NAMED)
            j += 1
        if not (value and header):
            return anchors
        moved = [replace(a, pos=j)] if j < len(items) else []
        return anchors[:k] + moved + anchors[k + 1:]
    return anchors


def select_anchors(cands: List[Anchor]) -> List[Anchor]:
    """The best-scoring chain of anchors increasing in both text position and row."""
    if not cands:
        return []
    cands = sorted(cands, key=lambda a: (a.pos, a.row))
    best, prev = _chain_scores(cands)
    k = best.index(max(best))
    chain = []
    while k >= 0:
        chain.append(cands[k])
        k = prev[k]
    return chain[::-1]


def _chain_scores(cands: List[Anchor]) -> Tuple[List[float], List[int]]:
    """Best chain score ending at each anchor (sorted by position, row) and its predecessor.
    Anchors on the same item as ``a`` cannot precede it. The best predecessor is looked up
    among the rows above: per row, the best chain so far ending there (ties: the later one)."""
    ranks = {r: q for q, r in enumerate(sorted({a.row for a in cands}))}
    top: List[Tuple[float, int]] = [(-math.inf, -1)] * len(ranks)  # per row: (best, anchor)
    best = [0.0] * len(cands)
    prev = [-1] * len(cands)
    pending: List[int] = []  # the anchors of the current item: no predecessors of each other
    for k, a in enumerate(cands):
        if pending and cands[pending[0]].pos != a.pos:
            for j in pending:
                q = ranks[cands[j].row]
                top[q] = max(top[q], (best[j], j))
            pending = []
        s = a.score
        q = ranks[a.row]
        b, j = max(top[:q]) if q else (-math.inf, -1)
        best[k], prev[k] = (b + s, j) if j >= 0 and b + s > s else (s, -1)
        pending.append(k)
    return best, prev


def row_label_counts(doc: Doc, tmpl: Template, min_score: float = CLEARLY_NAMED) -> Dict[str, int]:
    """How often each row's label is printed clearly (a label item matching it at
    ``min_score`` or more: :data:`CLEARLY_NAMED` a clear print, :data:`PARTLY_NAMED` a broken one)."""
    return counts_at(row_label_items(doc, tmpl), min_score)


def row_label_items(doc: Doc, tmpl: Template) -> List[Tuple[int, str, float]]:
    """The label items that name a row, in text order: (item index, the row it best
    matches, the score)."""
    ix = index_for(tmpl.name)
    plab = doc.p("label")
    out = []
    for i, it in enumerate(doc.items):
        if it.value is None and plab[i] > 0.5 and len(it.text) <= 80:
            out += [(i, t.id, sc) for t, sc in ix.match(it.text, top=1) if t.kind == "row"]
    return out


def counts_at(named: List[Tuple[int, str, float]], min_score: float) -> Dict[str, int]:
    """Per row, how many of the label items naming it (:func:`row_label_items`) reach ``min_score``."""
    count: Dict[str, int] = {}
    for _, row, sc in named:
        if sc >= min_score:
            count[row] = count.get(row, 0) + 1
    return count


def repeated_rows(count: Dict[str, int]) -> List[str]:
    """Rows whose label is printed twice or more, when most rows are (a report's tables twice);
    ``count`` is :func:`row_label_counts`."""
    twice = sorted(r for r, n in count.items() if n >= 2)
    return twice if count and len(twice) >= 0.5 * len(count) else []


def plausible_layouts(tmpl: Template, count: Dict[str, int],
                      partly: Optional[Dict[str, int]] = None) -> List[Tuple[Row, ...]]:
    """The layouts worth decoding: where the text names a row only one layout has (the
    （六） sub-rows), that layout alone; otherwise all of them, less a layout of several own
    rows none of which the text names even partly. ``count`` is :func:`row_label_counts`,
    ``partly`` the same at :data:`PARTLY_NAMED`."""
    layouts = tmpl.layouts()
    if len(layouts) == 1:
        return layouts
    only = {}
    for k, lay in enumerate(layouts):
        ids = {r.id for r in lay}
        for other in layouts:
            ids -= {r.id for r in other if other is not lay}
        only[k] = ids
    seen = set(count)
    named = [k for k, ids in only.items() if ids & seen]
    if len(named) == 1 and any(len(ids) > 1 for ids in only.values() if ids & seen):
        return [layouts[named[0]]]
    if partly is not None:
        kept = [layouts[k] for k, ids in only.items() if len(ids) < 2 or ids & set(partly)]
        if kept:
            return kept
    return layouts
