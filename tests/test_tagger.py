import json

import numpy as np
import pytest

from gxml.doc import TAGS
from gxml.heuristic import heuristic_tags
from gxml.normalize import normalize
from gxml.segment import segment
from gxml.tagger import LineTagger, ModelError

from conftest import make_report, zero_cells


def _docs():
    docs, tags = [], []
    for n in range(4):
        c = zero_cells("2021")
        c["requests.new_received.natural_person"] = n
        d = segment(normalize(make_report(c)))
        docs.append(d)
        tags.append(heuristic_tags(d))
    return docs, tags


def test_fit_predict_shapes_and_learning():
    docs, tags = _docs()
    m = LineTagger(n_features=2 ** 12, max_iter=10).fit(docs, tags)
    p = m.predict_proba(docs[0])
    assert p.shape == (len(docs[0].items), len(TAGS))
    assert np.allclose(p.sum(axis=1), 1.0)
    acc = np.mean([a == b for a, b in zip(m.predict(docs[0]), tags[0])])
    assert acc > 0.9


def test_fast_proba_equals_feature_hasher_and_sgd():
    from sklearn.feature_extraction import FeatureHasher

    from gxml.features import item_features

    docs, tags = _docs()
    m = LineTagger(n_features=2 ** 12, max_iter=10).fit(docs, tags)
    doc = segment(normalize(make_report(zero_cells("2019")) + "\n- 3 -\n行政规范性文件77132470\n"))
    X = FeatureHasher(n_features=2 ** 12, input_type="dict", alternate_sign=False).transform(item_features(doc))
    ref = m.classifier_.predict_proba(X)  # columns in classes_ order
    got = m.predict_proba(doc)
    assert np.allclose(got[:, [TAGS.index(c) for c in m.classes_]], ref, rtol=0, atol=1e-12)
    assert np.array_equal(m.predict_proba(doc), got)  # the cached path gives the same


def test_same_seed_same_predictions():
    docs, tags = _docs()
    a = LineTagger(n_features=2 ** 12, random_state=3).fit(docs, tags).predict_proba(docs[1])
    b = LineTagger(n_features=2 ** 12, random_state=3).fit(docs, tags).predict_proba(docs[1])
    assert np.array_equal(a, b)


def test_save_load_checks_sha256(tmp_path):
    docs, tags = _docs()
    m = LineTagger(n_features=2 ** 12).fit(docs, tags)
    path = tmp_path / "m.joblib"
    meta = m.save(path, training={"note": "test"})
    assert json.loads(path.with_suffix(".json").read_text())["sha256"] == meta["sha256"]
    again = LineTagger.load(path)
    assert np.array_equal(again.predict_proba(docs[0]), m.predict_proba(docs[0]))
    with open(path, "ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(ModelError, match="sha256"):
        LineTagger.load(path)


def test_load_missing_and_unfitted(tmp_path):
    with pytest.raises(ModelError):
        LineTagger.load(tmp_path / "nope.joblib")
    with pytest.raises(ModelError):
        LineTagger().predict_proba(segment("规章 | 0"))


def test_fit_rejects_unknown_tags():
    docs, tags = _docs()
    tags[0] = ["bogus"] * len(tags[0])
    with pytest.raises(ValueError):
        LineTagger(n_features=2 ** 10).fit(docs, tags)


def test_saved_model_holds_weights_and_parsing_imports_no_scikit_learn(tmp_path):
    import subprocess
    import sys

    docs, tags = _docs()
    m = LineTagger(n_features=2 ** 12).fit(docs, tags)
    path = tmp_path / "m.joblib"
    m.save(path)
    code = ("import sys; from gxml.tagger import LineTagger; from gxml.pipeline import run; "
            f"m = LineTagger.load({str(path)!r}); r = run('规章 | 0 | 0 | 0', 'ml', m); "
            "print(sorted(k for k in sys.modules if k.split('.')[0] == 'sklearn'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    again = LineTagger.load(path)
    assert not hasattr(again, "classifier_") and again.coef_.shape == (4, 2 ** 12)


def test_model_saved_with_its_classifier_still_loads(tmp_path):
    import joblib

    docs, tags = _docs()
    m = LineTagger(n_features=2 ** 12).fit(docs, tags)
    old = dict(m.__dict__)
    for k in ("coef_", "intercept_"):
        old.pop(k)
    path = tmp_path / "old.joblib"
    joblib.dump(old, path)  # the 0.1.0 layout: the SGDClassifier object, no weight arrays
    legacy = LineTagger.__new__(LineTagger)
    legacy.__setstate__(joblib.load(path))
    assert np.array_equal(legacy.predict_proba(docs[0]), m.predict_proba(docs[0]))


def test_context_scores_are_the_summed_weights_of_the_context_features():
    from sklearn.feature_extraction import FeatureHasher

    from gxml import bench
    from gxml.features import context_features, item_contexts

    docs, tags = _docs()
    m = LineTagger(n_features=2 ** 12, max_iter=10).fit(docs, tags)
    scorer = m._scorer()
    hasher = FeatureHasher(n_features=2 ** 12, input_type="dict", alternate_sign=False)
    for doc in docs[:1] + [segment(normalize(c.text)) for c in bench.synthetic_cases(1, 3)]:
        got = scorer.context_scores(doc)
        assert np.allclose(got, hasher.transform(context_features(doc)) @ m.coef_.T, rtol=0, atol=1e-12)
        # bit for bit the sums of the item-by-item path: own + place + neighbour labels
        ctx = item_contexts(doc)
        ref = (np.array([scorer.names_score(c.own) for c in ctx]) + np.array([scorer.names_score(c.place) for c in ctx])
               + np.nan_to_num(np.array([c.labels for c in ctx]), nan=0.0) @ scorer.label_weights)
        assert np.array_equal(got, ref)
