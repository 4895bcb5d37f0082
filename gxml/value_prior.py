"""A learnt prior over cell values: how likely each cell is blank, zero, or of a magnitude.

When nothing printed decides between placements of a row — blank cells dropped from
``1326 307 83 1716``, a glued run ``3010`` that reads 30|1|0 or 3|0|10 — the decoder
prefers the one whose values look like the values that cell usually holds: a 2019
处理决定数量 is often in the thousands while 本年增/减 is small, a 采购总金额 is in yuan
while its 采购项目数量 is a count. :class:`ValuePrior` learns, per cell key, the
distribution of a value's *bucket* (blank, zero, negative, fraction, 1, 2, 3, 4, 5+ digits)
from truth files, smoothed towards its template's overall distribution. It is fitted at
training time from the same labelled and generated reports as the tagger, and saved in
the model file.
"""
from __future__ import annotations

from typing import Dict, Iterable, Mapping, Optional, Sequence, Tuple

import numpy as np

BUCKETS = ("blank", "zero", "negative", "fraction", "1", "2", "3", "4", "5+")


def buckets(values: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """The bucket index (into :data:`BUCKETS`) of every value; ``blank`` marks empty cells."""
    v = np.asarray(values, dtype=float)
    a = np.abs(v)
    digits = np.floor(np.log10(np.where(a >= 1, a, 1.0))).astype(np.int64) + 1
    out = np.clip(digits, 1, 5) + 3
    out = np.where(a < 1, 3, out)
    out = np.where(v < 0, 2, out)
    out = np.where(v == 0, 1, out)
    return np.where(blank, 0, out)


def bucket_of(value: Optional[float]) -> int:
    """The bucket of one value (None = blank); :func:`buckets` for many."""
    if value is None:
        return 0
    v = float(value)
    if v == 0:
        return 1
    if v < 0:
        return 2
    if v < 1:
        return 3
    return min(len(str(int(v))), 5) + 3


class ValuePrior:
    """Per cell key, log-probabilities of the value buckets (an estimator: ``fit`` then use).

    ``smoothing`` is the weight, in pseudo-reports, of the template-wide distribution a
    cell's own counts are shrunk towards.
    """

    def __init__(self, smoothing: float = 5.0):
        self.smoothing = smoothing

    def fit(self, truths: Iterable[Tuple[str, Mapping[str, Optional[float]]]]) -> "ValuePrior":
        """Learn from ``(template name, cells)`` pairs (the ``cells`` of truth files)."""
        counts: Dict[Tuple[str, str], np.ndarray] = {}
        overall: Dict[str, np.ndarray] = {}
        n = 0
        for template, cells in truths:
            n += 1
            tot = overall.setdefault(template, np.zeros(len(BUCKETS)))
            for key, value in cells.items():
                b = bucket_of(value)
                counts.setdefault((template, key), np.zeros(len(BUCKETS)))[b] += 1
                tot[b] += 1
        self.log_prob_: Dict[Tuple[str, str], np.ndarray] = {
            (t, key): self._smoothed(c, overall[t]) for (t, key), c in counts.items()}
        self.n_reports_ = n
        return self

    def _smoothed(self, c: np.ndarray, base: np.ndarray) -> np.ndarray:
        share = (base + 1.0) / (base.sum() + len(BUCKETS))  # add-one: no bucket impossible
        return np.log((c + self.smoothing * share) / (c.sum() + self.smoothing))

    def knows(self, template: str, cell: str) -> bool:
        """Whether the prior has learnt ``cell`` of ``template``."""
        return (template, cell) in getattr(self, "log_prob_", {})

    def table(self, template: str, cells: Sequence[str]) -> Optional[np.ndarray]:
        """``(len(cells), len(BUCKETS))`` log-probabilities, or None if a cell is unknown."""
        lp = getattr(self, "log_prob_", {})
        rows = [lp.get((template, c)) for c in cells]
        if any(r is None for r in rows):
            return None
        return np.stack(rows)

    def score(self, template: str, cells: Sequence[str], values: np.ndarray, blank: np.ndarray,
              empty_alike: bool = False) -> np.ndarray:
        """Summed log-probability of each candidate row (``values``/``blank``: candidates x
        columns); zeros when the prior does not know the cells. With ``empty_alike`` a blank
        and a zero cell are one outcome (where blank cells were dropped, zeros may be too)."""
        tab = self.table(template, cells)
        if tab is None or not len(values):
            return np.zeros(len(values))
        b = buckets(values, blank)
        if empty_alike:
            tab = tab.copy()
            tab[:, 0] = tab[:, 1] = np.logaddexp(tab[:, 0], tab[:, 1])
        return tab[np.arange(len(cells))[None, :], b].sum(axis=1)
