import numpy as np
from sklearn.feature_extraction import FeatureHasher

from gxml.features import (SHAPES, _bucket, _item_facts, _own_of, _zone, feature_index, item_contexts,
                           item_features)
from gxml.normalize import normalize
from gxml.segment import segment

from conftest import make_report, zero_cells


def _doc():
    c = zero_cells("2021")
    c["requests.new_received.natural_person"] = 21
    return segment(normalize(make_report(c) + "\n- 3 -\n行政规范性文件77132470\n"))


def test_feature_index_is_feature_hasher_column():
    n = 2 ** 16
    names = sorted({k for f in item_features(_doc()) for k in f})
    ref = FeatureHasher(n_features=n, input_type="dict", alternate_sign=False).transform(
        [{k: 1.0} for k in names])
    assert [int(ref[i].indices[0]) for i in range(len(names))] == [feature_index(k, n) for k in names]


def test_every_item_has_text_and_context_features():
    doc = _doc()
    feats = item_features(doc)
    assert len(feats) == len(doc.items)
    assert all(f["bias"] == 1.0 and any(k.startswith("split=") for k in f) for f in feats)
    page = next(f for it, f in zip(doc.items, feats) if it.text == "- 3 -")
    assert page.get("page") == 1.0


def _reference_place(doc):
    """Per item, its place names and neighbour label values, item by item as the features
    were first written (the spec that the array code in ``context_parts`` must meet)."""
    items, n = doc.items, len(doc.items)
    facts = [_item_facts(it) for it in items]
    shapes = [SHAPES[f[0]] for f in facts]
    zone = _zone(np.array([f[2] for f in facts]), np.array([f[3] for f in facts]))
    out, run = [], 0
    for i, it in enumerate(items):
        place, labels = ["zone" if zone[i] else "nozone", f"pos={int(10 * i / n)}"], []
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                place.append(f"n{off}:{shapes[j]}")
                labels.append(facts[j][1])
                if items[j].line == it.line:
                    place.append(f"n{off}:same")
            else:
                place.append(f"n{off}:none")
                labels.append(None)
        if shapes[i] in ("num", "blank"):
            place.append("numrun=" + _bucket(min(run, 20)))
            run += 1
        else:
            run = 0
        out.append((tuple(place), labels))
    return out


def _varied_docs():
    from gxml import bench

    return [_doc()] + [segment(normalize(c.text)) for c in bench.synthetic_cases(1, 3)]


def test_item_contexts_match_the_item_by_item_reference():
    for doc in _varied_docs():
        got = item_contexts(doc)
        ref = _reference_place(doc)
        assert [c.place for c in got] == [place for place, _ in ref]
        assert [[None if v != v else v for v in c.labels] for c in got] == [labels for _, labels in ref]
        assert [c.own for c in got] == [_own_of(it, _item_facts(it)[0]) for it in doc.items]
    assert item_contexts(segment("")) == []


def test_shape_and_zone():
    doc = _doc()
    shapes = [SHAPES[_item_facts(it)[0]] for it in doc.items]
    assert shapes[[it.text for it in doc.items].index("- 3 -")] == "page"
    assert {"num", "m"} <= set(shapes)
    assert list(_zone(np.array([0, 0.9, 0, 0, 0.9, 0]), np.array([0.9, 0, 0, 0.9, 0.9, 0]))) == \
        [False, True, True, False, True, True]
