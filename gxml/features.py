"""Item features for the line classifier, as plain dicts (name -> value).

Built by small pure functions: the item's shape (digits, length, punctuation, how it was
split, indentation, blank lines before it), its characters (uni/bigrams) and jieba words,
how well it matches a template label, title or column header, where it stands (inside the
tables or not), and the same shape facts for its neighbours.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, NamedTuple, Optional, Tuple

from .doc import Doc, Item
from .hashing import murmurhash3_32
from .labels import header_score, index_for, label_key, split_ordinal

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENT = re.compile(r"[,;。；，]")
_PAGE = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页.*|\d{1,4}\s*/\s*\d{1,4})\s*$")
_YEARISH = re.compile(r"(?:19|20)\d\d\s*年")

Features = Dict[str, float]
CACHE_SIZE = 20_000  # per-text caches: hot short texts stay, a long batch does not grow memory
# text feature tuples are large (~3 KB a text) and prediction caches each text's score instead:
# keep only the hottest texts (training meets '0' and the template labels over and over)
TEXT_FEATURES_CACHE_SIZE = 1_024


def _bucket(n: int, edges=(0, 1, 2, 4, 8, 16, 32, 64)) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return "big"


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=CACHE_SIZE)
def _words(text: str) -> tuple:
    return tuple(w for w in _jieba().lcut(text) if w.strip())


@lru_cache(maxsize=CACHE_SIZE)
def _label_facts(text: str) -> tuple:
    """(best row score, best title score, end score, header score) over both templates."""
    best = {"row": 0.0, "title": 0.0, "end": 0.0}
    for name in ("2019", "2021"):
        for t, s in index_for(name).match(text, top=3):
            if s > best[t.kind]:
                best[t.kind] = s
    return best["row"], best["title"], best["end"], header_score(text)


@lru_cache(maxsize=TEXT_FEATURES_CACHE_SIZE)
def text_features(text: str) -> tuple:
    """Features that depend on the item text alone (cached: tables repeat '0' a lot)."""
    f: Features = {}
    n = len(text)
    f["len=" + _bucket(n)] = 1.0
    ncjk = len(_CJK.findall(text))
    ndig = sum(c.isdigit() for c in text)
    f["cjk=" + _bucket(ncjk)] = 1.0
    f["dig=" + _bucket(ndig)] = 1.0
    if n:
        f["cjkr"] = ncjk / n
        f["digr"] = ndig / n
    if _SENT.search(text):
        f["sent"] = 1.0
    if text.endswith(("。", ";", "；")):
        f["endstop"] = 1.0
    if _PAGE.match(text):
        f["page"] = 1.0
    if _YEARISH.search(text):
        f["year"] = 1.0
    ordinal, _ = split_ordinal(text)
    if ordinal is not None:
        f["ord=" + ("d" if ordinal.isdigit() else "c")] = 1.0
        f["ordv=" + ordinal] = 1.0
    key = label_key(text)
    short = key[:24]
    for i, ch in enumerate(short):
        f["c1=" + ch] = 1.0
        if i + 1 < len(short):
            f["c2=" + short[i:i + 2]] = 1.0
    if ncjk and n <= 30:
        for w in _words(key):
            f["w=" + w] = 1.0
    if ncjk and n <= 60:
        row, title, end, hdr = _label_facts(text)
        f["lm_row"] = row
        f["lm_title"] = title
        f["lm_end"] = end
        f["lm_hdr"] = hdr
        f["lmb=" + str(int(max(row, title, end, hdr) * 4))] = 1.0
    return tuple(f.items())


def _shape(it: Item) -> str:
    if it.value is not None:
        return "num" if it.value.kind == "number" else "blank"
    if _PAGE.match(it.text):
        return "page"
    n = len(it.text)
    if n <= 2:
        return "s"
    if n <= 12:
        return "m"
    return "l" if n <= 40 else "xl"


_OFFSETS = (-2, -1, 1, 2)
_NUMERIC = ("num", "blank")
# the feature names about a neighbour at each offset: its shape, same line, none
_NEIGHBOURS = tuple((off, {shape: f"n{off}:{shape}" for shape in ("num", "blank", "page", "s", "m", "l", "xl")},
                     f"n{off}:same", f"n{off}:none") for off in _OFFSETS)
LABEL_NAMES = tuple(f"n{off}:lab" for off in _OFFSETS)  # the label score of the neighbour at each offset
_NO_NEIGHBOUR = float("nan")
_POS = tuple(f"pos={k}" for k in range(10))
_NUMRUN = tuple("numrun=" + _bucket(run) for run in range(21))


class ItemContext(NamedTuple):
    """An item's context features: ``own`` and ``place`` name features valued 1.0 (``own``
    depends on the item alone and is one shared tuple for alike items; ``place`` on where it
    stands), ``labels`` the values of the :data:`LABEL_NAMES` features: the label scores of
    its neighbours, NaN where there is no neighbour (and no feature)."""

    own: Tuple[str, ...]
    place: Tuple[str, ...]
    labels: Tuple[float, ...]

    def as_dict(self) -> Features:
        f: Features = dict.fromkeys(self.own, 1.0)
        f.update(dict.fromkeys(self.place, 1.0))
        f.update((name, v) for name, v in zip(LABEL_NAMES, self.labels) if v == v)  # NaN != NaN
        return f


@lru_cache(maxsize=CACHE_SIZE)
def _own_names(split: str, shape: str, kind: Optional[str], dec: bool, longdig: bool, first: bool,
               last: bool, n_in_line: int, indent: int, gap: int) -> Tuple[str, ...]:
    """The names of an item's context features that depend on itself alone (all valued 1.0):
    how it was cut, its shape and value, its place in its line, indentation and gap."""
    names = ["bias", "split=" + split, "shape=" + shape]
    if kind is not None:
        names.append("val=" + kind)
        if dec:
            names.append("dec")
        if longdig:
            names.append("longdig")
    names.append("idx0" if first else "idxN")
    if last:
        names.append("lastinline")
    names += ["nline=" + _bucket(n_in_line), "indent=" + _bucket(indent), "gap=" + _bucket(gap, (0, 1, 2))]
    return tuple(names)


_NOT_LABEL = (0.0, 0.0, 0.0)


@lru_cache(maxsize=CACHE_SIZE)
def _label_scores(text: str) -> Tuple[float, float, float]:
    """How much ``text`` looks like a row label or column header, a table title and an end
    marker (zeros for text that is no label: no CJK, or longer than 60 characters)."""
    if len(text) > 60 or not _CJK.search(text):
        return _NOT_LABEL
    row, title, end, hdr = _label_facts(text)
    return max(row, hdr), title, end


def _label_zone(items: List[Item]) -> Tuple[List[float], List[bool]]:
    """Per item, how much it looks like a row label or column header, and whether it stands
    inside the tables (after a table title, before an end marker)."""
    label_like, zone = [], []
    inside = False
    for it in items:
        like, title, end = _NOT_LABEL if it.value is not None else _label_scores(it.text)
        label_like.append(like)
        if title >= 0.8:
            inside = True
        elif end >= 0.8:
            inside = False
        zone.append(inside)
    return label_like, zone


def item_contexts(doc: Doc) -> List[ItemContext]:
    """Per item, the features beyond its own text: how it was cut, its value, where it stands
    and what its neighbours look like."""
    items = doc.items
    n = len(items)
    shapes = [_shape(it) for it in items]
    lines = [it.line for it in items]
    label_like, zone = _label_zone(items)
    out: List[ItemContext] = []
    run = 0  # numeric items just before this one
    for i, it in enumerate(items):
        v = it.value
        own = _own_names(it.split, shapes[i], None if v is None else v.kind,
                         v is not None and isinstance(v.number, float), v is not None and len(v.digits) > 6,
                         it.index == 0, it.index == it.n_in_line - 1, it.n_in_line, it.indent, it.gap_before)
        place = ["zone" if zone[i] else "nozone", _POS[int(10 * i / n)]]
        labels = []
        for off, shape_names, same, none in _NEIGHBOURS:
            j = i + off
            if 0 <= j < n:
                place.append(shape_names[shapes[j]])
                labels.append(label_like[j])
                if lines[j] == lines[i]:
                    place.append(same)
            else:
                place.append(none)
                labels.append(_NO_NEIGHBOUR)
        if shapes[i] in _NUMERIC:
            place.append(_NUMRUN[min(run, 20)])
            run += 1
        else:
            run = 0
        out.append(ItemContext(own, tuple(place), tuple(labels)))
    return out


def context_features(doc: Doc) -> List[Features]:
    """Per item, its context features as one dict (see :func:`item_contexts`)."""
    return [c.as_dict() for c in item_contexts(doc)]


def item_features(doc: Doc) -> List[Features]:
    """One feature dict per item of ``doc``: its text features and its context features."""
    out = []
    for it, ctx in zip(doc.items, context_features(doc)):
        f: Features = dict(text_features(it.text))
        f.update(ctx)
        out.append(f)
    return out


# -- hashing, as FeatureHasher does it -------------------------------------------------------
@lru_cache(maxsize=CACHE_SIZE)
def feature_index(name: str, n_features: int) -> int:
    """The column FeatureHasher(n_features, alternate_sign=False) gives feature ``name``
    (cached: character features recur in text after text)."""
    h = murmurhash3_32(name)
    return (2147483647 - (n_features - 1)) % n_features if h == -2147483648 else abs(h) % n_features
