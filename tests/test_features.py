import numpy as np
from sklearn.feature_extraction import FeatureHasher

from gxml.features import feature_index, item_features
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
