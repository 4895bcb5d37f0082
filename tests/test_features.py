import numpy as np
from sklearn.feature_extraction import FeatureHasher

from gxml.features import hashed_rows, item_features
from gxml.normalize import normalize
from gxml.segment import segment

from conftest import make_report, zero_cells


def _doc():
    c = zero_cells("2021")
    c["requests.new_received.natural_person"] = 21
    return segment(normalize(make_report(c) + "\n- 3 -\n行政规范性文件77132470\n"))


def test_hashed_rows_equal_feature_hasher():
    doc = _doc()
    n = 2 ** 16
    ref = FeatureHasher(n_features=n, input_type="dict", alternate_sign=False).transform(item_features(doc))
    got = hashed_rows(doc, n)
    assert got.shape == ref.shape
    assert np.allclose(got.toarray(), ref.toarray())


def test_every_item_has_text_and_context_features():
    doc = _doc()
    feats = item_features(doc)
    assert len(feats) == len(doc.items)
    assert all(f["bias"] == 1.0 and any(k.startswith("split=") for k in f) for f in feats)
    page = next(f for it, f in zip(doc.items, feats) if it.text == "- 3 -")
    assert page.get("page") == 1.0
