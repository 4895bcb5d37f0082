"""Item features for the line classifier, as plain dicts (name -> value).

Built by small pure functions: the item's shape (digits, length, punctuation, how it was
split, indentation, blank lines before it), its characters (uni/bigrams) and jieba words,
how well it matches a template label, title or column header, where it stands (inside the
tables or not), and the same shape facts for its neighbours.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import chain
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np

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
CHAR_PREFIX = 12  # characters (and bigrams) of a label key that are features: labels tell
#   themselves apart early; 24 took more time per new text for no cell of the benchmark


_EDGES = (0, 1, 2, 4, 8, 16, 32, 64)
_GAP_EDGES = (0, 1, 2)
_EDGE_ARRAYS = {edges: np.array(edges) for edges in (_EDGES, _GAP_EDGES)}


def _bucket(n: int, edges: Tuple[int, ...] = _EDGES) -> str:
    """The first of ``edges`` at least ``n``, or 'big'."""
    return _bucket_name(bisect_left(edges, n), edges)


def _bucket_name(k: int, edges: Tuple[int, ...] = _EDGES) -> str:
    """The name of bucket ``k`` of ``edges`` (as :func:`_bucket_indices` numbers them)."""
    return str(edges[k]) if k < len(edges) else "big"


def _bucket_indices(values: np.ndarray, edges: Tuple[int, ...] = _EDGES) -> np.ndarray:
    """Per value, the index of its :func:`_bucket` among ``edges`` (``len(edges)``: 'big')."""
    return np.searchsorted(_EDGE_ARRAYS[edges], values, side="left")


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=CACHE_SIZE)
def _words(text: str) -> tuple:
    """jieba's words of ``text``, from its dictionary alone: its HMM for unknown words took 1.8x
    the time, and dropping it changed no cell of the benchmark (seeds, dev, synthetic)."""
    return tuple(w for w in _jieba().lcut(text, HMM=False) if w.strip())


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
    ndig = sum(map(str.isdigit, text))
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
    short = key[:CHAR_PREFIX]
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


def _text_shape(text: str) -> str:
    """The shape of an item without a value: a page number, or how long it is."""
    if _PAGE.match(text):
        return "page"
    n = len(text)
    if n <= 2:
        return "s"
    if n <= 12:
        return "m"
    return "l" if n <= 40 else "xl"


SHAPES = ("num", "blank", "page", "s", "m", "l", "xl")  # the item shapes, the numeric ones first
_SHAPE_CODE = {shape: k for k, shape in enumerate(SHAPES)}
_N_NUMERIC = 2  # SHAPES[:_N_NUMERIC] are numeric
_OFFSETS = (-2, -1, 1, 2)
_REACH = max(abs(off) for off in _OFFSETS)
# the feature names about a neighbour at each offset: its shape (by shape code), same line, none
_NEIGHBOURS = tuple((tuple(f"n{off}:{shape}" for shape in SHAPES), f"n{off}:same", f"n{off}:none")
                    for off in _OFFSETS)
LABEL_NAMES = tuple(f"n{off}:lab" for off in _OFFSETS)  # the label score of the neighbour at each offset
_NO_NEIGHBOUR = float("nan")
_POS = tuple(f"pos={k}" for k in range(10))
_MAX_RUN = 20  # longer numeric runs share the feature of this one
# a place code packs, lowest digit first: inside the tables (2), position decile (10), per offset
# the neighbour (0 none, 1 + shape code, 1 + shape code + len(SHAPES) on the same line), and
# above them the numeric run (0 not numeric, 1 + the bucket index of the run): one code per
# tuple of names, so that the caches keyed by code hold no duplicates
_NEIGHBOUR_RADIX = 1 + 2 * len(SHAPES)
_PLACE_RADICES = (2, len(_POS)) + (_NEIGHBOUR_RADIX,) * len(_OFFSETS)


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


class ContextParts(NamedTuple):
    """The context features of a document's items in array form (see :func:`context_parts`):
    item ``i`` has the names ``owns[own_index[i]]`` and ``place_names(place_codes[i])`` valued
    1.0, and the :data:`LABEL_NAMES` features valued ``labels[i]`` (the fill value where there
    is no neighbour)."""

    owns: List[Tuple[str, ...]]
    own_index: np.ndarray
    place_codes: np.ndarray
    labels: np.ndarray


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
    names += ["nline=" + _bucket(n_in_line), "indent=" + _bucket(indent), "gap=" + _bucket(gap, _GAP_EDGES)]
    return tuple(names)


def _value_facts(it: Item) -> Optional[Tuple[str, bool, bool]]:
    """What :func:`_own_names` reads of an item's value: its kind, decimal, long digits."""
    v = it.value
    return None if v is None else (v.kind, isinstance(v.number, float), len(v.digits) > 6)


def _own_of(it: Item, shape: int) -> Tuple[str, ...]:
    """The :func:`_own_names` of item ``it`` of shape code ``shape``."""
    kind, dec, longdig = _value_facts(it) or (None, False, False)
    return _own_names(it.split, SHAPES[shape], kind, dec, longdig, it.index == 0, it.index == it.n_in_line - 1,
                      it.n_in_line, it.indent, it.gap_before)


def _categories(values: list) -> np.ndarray:
    """Per value a small integer, equal for equal values."""
    codes = {v: k for k, v in enumerate(dict.fromkeys(values))}
    return np.array([codes[v] for v in values], dtype=np.int64)


def _pack(digits: Sequence[Tuple[np.ndarray, int]], top: np.ndarray) -> np.ndarray:
    """Per item one integer from its ``(digit, radix)`` fields, lowest first, with ``top``
    above them all: equal integers for equal fields."""
    code = top.astype(np.int64)
    for digit, radix in reversed(digits):
        code = code * radix + digit
    return code


def _own_codes(items: List[Item], shapes: np.ndarray) -> np.ndarray:
    """Per item an integer, equal for items with equal :func:`_own_of` (within ``items``)."""
    cut = _categories([(it.split, _value_facts(it)) for it in items])
    index = np.array([it.index for it in items], dtype=np.int64)
    n_in_line = np.array([it.n_in_line for it in items], dtype=np.int64)
    indent = np.array([it.indent for it in items], dtype=np.int64)
    gap = np.array([it.gap_before for it in items], dtype=np.int64)
    return _pack([(shapes, len(SHAPES)), (index == 0, 2), (index == n_in_line - 1, 2),
                  (_bucket_indices(n_in_line), len(_EDGES) + 1), (_bucket_indices(indent), len(_EDGES) + 1),
                  (_bucket_indices(gap, _GAP_EDGES), len(_GAP_EDGES) + 1)], cut)


_NOT_LABEL = (0.0, 0.0, 0.0)


def _label_scores(text: str) -> Tuple[float, float, float]:
    """How much ``text`` looks like a row label or column header, a table title and an end
    marker (zeros for text that is no label: no CJK, or longer than 60 characters; not cached:
    :func:`_text_facts` is)."""
    if len(text) > 60 or not _CJK.search(text):
        return _NOT_LABEL
    row, title, end, hdr = _label_facts(text)
    return max(row, hdr), title, end


@lru_cache(maxsize=CACHE_SIZE)
def _text_facts(text: str) -> Tuple[int, float, float, float]:
    """The shape code and :func:`_label_scores` of an item without a value (one lookup)."""
    return (_SHAPE_CODE[_text_shape(text)],) + _label_scores(text)


_NUMBER_FACTS = (_SHAPE_CODE["num"],) + _NOT_LABEL
_BLANK_FACTS = (_SHAPE_CODE["blank"],) + _NOT_LABEL  # any other value: a blank marker or text


def _item_facts(it: Item) -> Tuple[int, float, float, float]:
    """An item's shape code and how much it looks like a row label or column header, a table
    title and an end marker (an item holding a value is none of them)."""
    v = it.value
    if v is None:
        return _text_facts(it.text)
    return _NUMBER_FACTS if v.kind == "number" else _BLANK_FACTS


def _zone(title: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per item, whether it stands inside the tables: a title opens them, else an end marker
    closes them, and each item is where the last of these left it."""
    event = np.where(title >= 0.8, 1, np.where(end >= 0.8, -1, 0))
    at = np.arange(len(event))
    last = np.maximum.accumulate(np.where(event != 0, at, -1))
    return (last >= 0) & (event[last] == 1)


def _neighbours(values: np.ndarray, fill) -> np.ndarray:
    """``(n, len(_OFFSETS))``: the value of each item's neighbour at each offset, or ``fill``."""
    edge = np.full(_REACH, fill, dtype=values.dtype)
    padded = np.concatenate([edge, values, edge])
    return np.stack([padded[_REACH + off:_REACH + off + len(values)] for off in _OFFSETS], axis=1)


def _numeric_runs(numeric: np.ndarray) -> np.ndarray:
    """Per item, how many numeric items stand just before it."""
    at = np.arange(len(numeric))
    last_other = np.maximum.accumulate(np.where(numeric, -1, at))
    return at - last_other - 1


def _place_codes(shapes: np.ndarray, lines: np.ndarray, zone: np.ndarray) -> np.ndarray:
    """Per item, its place code (see ``_PLACE_RADICES``)."""
    n = len(shapes)
    exists = _neighbours(np.ones(n, dtype=bool), False)
    same_line = exists & (_neighbours(lines, 0) == lines[:, None])
    neighbour = exists * (1 + _neighbours(shapes, 0)) + len(SHAPES) * same_line
    numeric = shapes < _N_NUMERIC
    run = numeric * (1 + _bucket_indices(np.minimum(_numeric_runs(numeric), _MAX_RUN)))
    decile = 10 * np.arange(n) // n  # int(10 * i / n) as the features were first written: equal below 2**49 items
    neighbours = [(neighbour[:, k], _NEIGHBOUR_RADIX) for k in range(len(_OFFSETS))]
    return _pack([(zone, 2), (decile, len(_POS))] + neighbours, run)


@lru_cache(maxsize=CACHE_SIZE)
def place_names(code: int) -> Tuple[str, ...]:
    """The names of the context features (valued 1.0) of an item with place code ``code``:
    inside the tables or not, its position decile, its neighbours' shapes and whether they
    share its line, and (for a numeric item) how many numeric items stand just before it."""
    digits = []
    for radix in _PLACE_RADICES:
        code, digit = divmod(code, radix)
        digits.append(digit)
    zone, decile, *neighbours = digits
    names = ["zone" if zone else "nozone", _POS[decile]]
    for nb, (shape_names, same, none) in zip(neighbours, _NEIGHBOURS):
        if nb == 0:
            names.append(none)
            continue
        names.append(shape_names[(nb - 1) % len(SHAPES)])
        if nb > len(SHAPES):
            names.append(same)
    if code:
        names.append("numrun=" + _bucket_name(code - 1))
    return tuple(names)


def context_parts(doc: Doc, fill: float = _NO_NEIGHBOUR) -> ContextParts:
    """The context features of the items of ``doc`` (see :class:`ContextParts`), computed
    with arrays; ``fill`` is the label value where there is no neighbour."""
    items = doc.items
    facts = float_rows([_item_facts(it) for it in items], 4)
    shapes = facts[:, 0].astype(np.int64)
    lines = np.array([it.line for it in items], dtype=np.int64)
    _, first, own_index = np.unique(_own_codes(items, shapes), return_index=True, return_inverse=True)
    owns = [_own_of(items[i], shapes[i]) for i in first.tolist()]
    return ContextParts(owns, own_index.reshape(-1), _place_codes(shapes, lines, _zone(facts[:, 2], facts[:, 3])),
                        _neighbours(facts[:, 1], fill))


def item_contexts(doc: Doc) -> List[ItemContext]:
    """Per item, the features beyond its own text: how it was cut, its value, where it stands
    and what its neighbours look like."""
    parts = context_parts(doc)
    rows = zip(parts.own_index.tolist(), parts.place_codes.tolist(), parts.labels.tolist())
    return [ItemContext(parts.owns[k], place_names(code), tuple(labels)) for k, code, labels in rows]


def float_rows(rows: List[Tuple[float, ...]], width: int) -> np.ndarray:
    """Tuples of ``width`` floats as a ``(len(rows), width)`` array (much faster than
    ``np.array(rows)``)."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.float64, count=len(rows) * width)
    return flat.reshape(len(rows), width)


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
