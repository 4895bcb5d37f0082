"""Matching printed label text to template rows, titles and column headers.

Labels are compared after :func:`label_key`: no ordinal prefix (一、 （一） 1.), no spaces or
punctuation. Similarity is the Dice coefficient of character bigrams, raised when one string
is a fragment of the other (labels broken over lines), and adjusted by the ordinal: a row
printed as ``3.其他`` needs the ``3`` to be the row ``requests.other_other``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Dict, FrozenSet, Iterable, List, Optional, Tuple

from .templates import Template, get_template, load_aliases

_CN_NUM = "一二三四五六七八九十"
_ORDINAL = re.compile(r"^\s*(?:[(（]\s*(?P<p>[一二三四五六七八九十]{1,3})\s*[)）]|(?P<d>[一二三四五六七八九十]{1,3})\s*[、.]"
                      r"|(?P<n>\d{1,2})\s*[.、](?!\d))\s*")
CACHE_SIZE = 20_000  # per-text caches: hot short texts stay, a long batch does not grow memory
_INNER_ORDINAL = re.compile(r"[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]|(?<![\d.])\d{1,2}\s*[.、](?!\d)")
MATCH_FLOOR = 0.09  # a similarity this low cannot make a match (see LabelIndex._match_one)
_DROP = re.compile(r"[\s\u3000|:：,，。.、;；()（）\[\]【】“”\"'‘’《》<>/／\\·•\-—–_=+*#~`!！?？%％]")


def split_ordinal(text: str) -> Tuple[Optional[str], str]:
    """``"（三）不予公开"`` -> ``("三", "不予公开")``; ``"1.属于国家秘密"`` -> ``("1", ...)``."""
    m = _ORDINAL.match(text)
    if not m:
        return None, text
    return (m.group("p") or m.group("d") or m.group("n")), text[m.end():]


@lru_cache(maxsize=CACHE_SIZE)
def ordinal_key(text: str) -> Tuple[Optional[str], str]:
    """The printed ordinal of ``text`` and its :func:`label_key`, computed once per text."""
    ordinal, rest = split_ordinal(text)
    return ordinal, _DROP.sub("", rest)


def label_key(text: str) -> str:
    """The comparable form of a label: no ordinal, spaces or punctuation."""
    return ordinal_key(text)[1]


@lru_cache(maxsize=512)
def bigrams(s: str) -> FrozenSet[str]:
    """The character bigrams of ``s`` (``{s}`` when it is shorter). Cached, small: the ~100
    template keys are compared again and again and stay; a text's own key is hot while matched."""
    return frozenset(s[i:i + 2] for i in range(len(s) - 1)) if len(s) > 1 else frozenset([s])


def similarity(a: str, b: str) -> float:
    """Dice of bigrams, or the covered share when one key is a fragment of the other."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ba, bb = bigrams(a), bigrams(b)
    return _boosted(a, b, 2 * len(ba & bb) / (len(ba) + len(bb)))


def _boosted(a: str, b: str, dice: float) -> float:
    """:func:`similarity` of non-empty ``a`` and ``b`` whose bigram Dice is ``dice``."""
    if a == b:
        return 1.0
    if len(a) >= 2 and a in b:  # a fragment of a longer label
        dice = max(dice, 0.35 + 0.6 * len(a) / len(b))
    elif len(b) >= 3 and b in a:  # label plus extra words
        dice = max(dice, 0.5 + 0.45 * len(b) / len(a))
    return dice


class KeyIndex:
    """Keys with their bigrams indexed: :func:`similarity` to every key sharing a bigram.

    A key sharing no bigram with the query scores 0 (a fragment or an equal key shares its
    bigrams), so only the keys found through the index are scored; the shared bigrams are
    counted while walking the index, the Dice needs no set intersection.
    """

    def __init__(self, keys: Iterable[str]):
        self.keys = list(keys)
        self.sizes = [len(bigrams(k)) for k in self.keys]
        self.index: Dict[str, List[int]] = {}
        for ki, k in enumerate(self.keys):
            for bg in bigrams(k):
                self.index.setdefault(bg, []).append(ki)

    def scores(self, key: str, floor: float = -1.0) -> List[Tuple[int, float]]:
        """``(key number, similarity(key, that key))`` for each indexed key sharing a bigram,
        leaving out the plain Dice scores not above ``floor``."""
        bq = bigrams(key)
        nq = len(bq)
        keys, sizes = self.keys, self.sizes
        shared: Dict[int, int] = {}  # key number -> bigrams shared (a Counter is slower)
        for bg in bq:
            for ki in self.index.get(bg, ()):
                shared[ki] = shared.get(ki, 0) + 1
        out = []
        for ki, n in shared.items():
            nk = sizes[ki]
            dice = 2 * n / (nq + nk)
            # a fragment of the other (or an equal key) shares all its bigrams: n is nq or nk
            if (n == nq or n == nk) and (key in keys[ki] or keys[ki] in key):
                out.append((ki, _boosted(key, keys[ki], dice)))
            elif dice > floor:
                out.append((ki, dice))
        return out


@dataclass(frozen=True)
class Target:
    """A thing a label can name: a template row, a table title or an end marker."""

    kind: str       # "row" | "title" | "end" | "header"
    id: str         # row id, table name, or the header text
    keys: Tuple[str, ...]
    ordinal: Optional[str] = None


class LabelIndex:
    """All targets of one template with a bigram index for fast candidate lookup."""

    def __init__(self, template: Template):
        al = load_aliases()
        self.template = template
        targets: List[Target] = []
        row_ord = al.get("row_ordinals", {})
        for row in template.rows:
            if row.table == "disputes":
                continue
            ordinal, _ = split_ordinal(row.label)
            keys = {label_key(row.label)} | {label_key(a) for a in al["rows"].get(row.id, [])}
            targets.append(Target("row", row.id, tuple(sorted(keys)), row_ord.get(row.id, ordinal)))
        for table, forms in al["titles"].items():
            targets.append(Target("title", table, tuple(label_key(f) for f in forms)))
        targets.append(Target("end", "end", tuple(label_key(f) for f in al["end_markers"])))
        self.targets = targets
        self._owners: Dict[str, List[int]] = {}  # key -> the targets it names
        for ti, t in enumerate(targets):
            for k in t.keys:
                self._owners.setdefault(k, []).append(ti)
        self.headers = frozenset(label_key(h) for h in al["column_headers"])
        # per index, keyed by the text alone: a report asks ~500 times (most answers cached)
        self._cached = lru_cache(maxsize=CACHE_SIZE)(partial(self._match, top=_CACHED_TOP))

    def match(self, text: str, top: int = 3) -> Tuple[Tuple[Target, float], ...]:
        """Best targets for ``text`` with scores in [0, 1], best first."""
        if 0 <= top <= _CACHED_TOP:  # one cached tuple serves top=1 and top=3 alike
            return self._cached(text)[:top]
        return self._match(text, top)

    def _match(self, text: str, top: int) -> Tuple[Tuple[Target, float], ...]:
        best: Dict[Target, float] = {}
        # a parent label printed with its row ("三、本年度办理结果(一)予以公开"): try the tail too
        for tail in [text] + [text[m.start():] for m in _INNER_ORDINAL.finditer(text) if m.start() > 0]:
            for t, s in self._match_one(tail):
                if s > best.get(t, 0.0):
                    best[t] = s
        scored = sorted(best.items(), key=lambda x: (-x[1], x[0].id))
        return tuple(scored[:top])

    def _match_one(self, text: str) -> List[Tuple[Target, float]]:
        ordinal, key = ordinal_key(text)
        if not key:
            return []
        best: Dict[int, float] = {}  # target -> best similarity over its keys
        # a target below MATCH_FLOOR is left out (the ordinal adds at most 0.1; 0.2 is needed)
        owners = self._owners
        for k, s in key_scores(key):
            for ti in owners.get(k, ()):
                if s > best.get(ti, -1.0):
                    best[ti] = s
        scored = []
        for ti, s in best.items():
            t = self.targets[ti]
            if t.kind == "row":
                s = _ordinal_adjust(s, ordinal, t.ordinal, key, self.headers)
            if s > 0.2:
                scored.append((t, round(min(1.0, s), 4)))
        return scored


def _ordinal_adjust(s: float, printed: Optional[str], expected: Optional[str], key: str,
                    headers: FrozenSet[str]) -> float:
    if printed is not None and expected is not None:
        return s + 0.1 if printed == expected else s - 0.35
    if printed is None and expected is not None and key in headers:
        return s - 0.5  # a bare column header such as 总计 or 其他
    return s


@lru_cache(maxsize=None)
def _all_keys() -> KeyIndex:
    """The keys of every template's targets in one index (the templates share most labels)."""
    from .templates import template_names

    return KeyIndex(sorted({k for name in template_names() for t in index_for(name).targets for k in t.keys}))


@lru_cache(maxsize=CACHE_SIZE)
def key_scores(key: str) -> Tuple[Tuple[str, float], ...]:
    """``(template key, similarity)`` of every template key sharing a bigram with ``key``,
    less plain Dice scores not above :data:`MATCH_FLOOR` (computed once for all templates: a
    text is matched against each)."""
    ix = _all_keys()
    return tuple((ix.keys[ki], s) for ki, s in ix.scores(key, MATCH_FLOOR))


@lru_cache(maxsize=None)
def index_for(name: str) -> LabelIndex:
    """The (cached) label index of template ``name``."""
    return LabelIndex(get_template(name))


_CACHED_TOP = 3  # the most targets any caller asks for


@lru_cache(maxsize=None)
def _header_index() -> KeyIndex:
    return KeyIndex(index_for("2021").headers)


@lru_cache(maxsize=CACHE_SIZE)
def header_score(text: str) -> float:
    """How much ``text`` looks like a column header (1.0 = exactly one)."""
    key = label_key(text)
    if not key:
        return 0.0
    if key in index_for("2021").headers:
        return 1.0
    # headers sharing no bigram with the key score 0
    return max((s for _, s in _header_index().scores(key)), default=0.0)
