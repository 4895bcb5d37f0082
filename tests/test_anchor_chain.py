import random

from gxml.anchors import select_anchors
from gxml.placement import Anchor


def _reference(cands):
    """select_anchors as first written: every earlier anchor visited."""
    if not cands:
        return []
    cands = sorted(cands, key=lambda a: (a.pos, a.row))
    n = len(cands)
    best, prev = [0.0] * n, [-1] * n
    for k, a in enumerate(cands):
        best[k] = a.score
        for j in range(k - 1, -1, -1):
            b = cands[j]
            if b.pos < a.pos and b.row < a.row and best[j] + a.score > best[k]:
                best[k] = best[j] + a.score
                prev[k] = j
    k = max(range(n), key=lambda t: best[t])
    chain = []
    while k >= 0:
        chain.append(cands[k])
        k = prev[k]
    return chain[::-1]


def test_select_anchors_equals_the_full_search():
    rng = random.Random(1)
    for _ in range(300):
        n = rng.randint(0, 40)
        cands = [Anchor(rng.randint(0, 15), float(rng.randint(0, 12)) - 0.5 * rng.randint(0, 1),
                        rng.choice([0.5, 0.6, 0.75, 0.9, 1.0, rng.random()]), "row", f"r{k}") for k in range(n)]
        assert select_anchors(cands) == _reference(cands)
