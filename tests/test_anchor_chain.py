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


def test_a_broken_labels_tail_joined_with_the_next_label_is_not_that_label():
    from gxml.anchors import label_matches
    from gxml.heuristic import HeuristicTagger
    from gxml.pipeline import prepare
    from gxml.templates import get_template

    # the tail of （六）2.'s label, then 3.其他: joined, they read as "…3.其他", a perfect match
    # of 3.其他 that belongs to the next item
    doc = prepare("再处理其政府信息公开申请\n3.其他\n", HeuristicTagger())
    found = {(doc.items[i].text, t.id) for i, t, _ in label_matches(doc, get_template("2021"))}
    assert ("3.其他", "requests.other_other") in found
    assert ("再处理其政府信息公开申请", "requests.other_other") not in found
