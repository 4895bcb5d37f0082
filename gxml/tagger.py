"""The line classifier: tags each item heading / label / cell / noise.

An estimator in the scikit-learn manner: ``LineTagger().fit(docs, tags)`` learns from
segmented documents and their per-item tags; ``predict_proba(doc)`` returns an
``(n_items, 4)`` array in :data:`gxml.doc.TAGS` order. Features are hashed dicts
(:mod:`gxml.features`) fed to a logistic-loss SGD classifier. ``save``/``load`` wrap joblib
and write/check a JSON metadata file with the sha256 of the model file. A model trained by
:func:`gxml.train.train` also carries ``value_prior_`` (:class:`gxml.value_prior.ValuePrior`),
which the decoder uses; a model without one decodes without it.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import time
import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .doc import TAGS, Doc
from .errors import ModelError
from .features import (CACHE_SIZE, LABEL_NAMES, context_parts, feature_index, float_rows, item_features,
                       place_names, text_features)


class LineTagger:
    """Item tagger (heading / label / cell / noise) on hashed item features."""

    def __init__(self, n_features: int = 2 ** 18, alpha: float = 2e-6, max_iter: int = 25,
                 random_state: int = 0):
        self.n_features = n_features
        self.alpha = alpha
        self.max_iter = max_iter
        self.random_state = random_state

    def _hasher(self):
        from sklearn.feature_extraction import FeatureHasher

        return FeatureHasher(n_features=self.n_features, input_type="dict", alternate_sign=False)

    def _matrix(self, docs: Sequence[Doc]):
        import scipy.sparse as sp

        rows = [f for d in docs for f in item_features(d)]
        if not rows:
            return sp.csr_matrix((0, self.n_features))
        return self._hasher().transform(rows)

    def fit(self, docs: Sequence[Doc], tags: Sequence[Sequence[str]]) -> "LineTagger":
        """Learn from documents and their per-item tags; returns self."""
        from sklearn.linear_model import SGDClassifier

        y = np.array([t for ts in tags for t in ts])
        X = self._matrix(docs)
        if X.shape[0] != len(y):
            raise ValueError(f"{X.shape[0]} items but {len(y)} tags")
        unknown = set(y) - set(TAGS)
        if unknown:
            raise ValueError(f"unknown tags {sorted(unknown)}; tags are {TAGS}")
        clf = SGDClassifier(loss="log_loss", alpha=self.alpha, max_iter=self.max_iter, tol=1e-4,
                            random_state=self.random_state, class_weight=None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf.fit(X, y)
        self.classifier_ = clf  # kept in memory, not saved (see __getstate__)
        self.coef_ = np.asarray(clf.coef_, dtype=np.float64)
        self.intercept_ = np.asarray(clf.intercept_, dtype=np.float64)
        self.classes_ = [str(c) for c in clf.classes_]
        self.n_items_ = int(len(y))
        self.tag_counts_ = {t: int((y == t).sum()) for t in TAGS}
        return self

    def predict_proba(self, doc: Doc) -> np.ndarray:
        """``(n_items, 4)`` probabilities, columns in ``TAGS`` order."""
        if not hasattr(self, "coef_"):
            raise ModelError("LineTagger is not fitted")
        out = np.zeros((len(doc.items), len(TAGS)))
        if not doc.items:
            return out
        p = _proba(self._scorer().scores(doc))
        for j, c in enumerate(self.classes_):
            out[:, TAGS.index(c)] = p[:, j]
        return out

    def _scorer(self) -> "_Scorer":
        """The fitted weights arranged for fast scoring (built once, dropped when pickled)."""
        scorer = getattr(self, "_fast", None)
        if scorer is None:
            scorer = self._fast = _Scorer(self.coef_, self.intercept_, self.n_features)
        return scorer

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_fast", None)  # a cache, not part of the model
        # the weights are the model: without the SGDClassifier object, loading a model (and
        # parsing) never imports scikit-learn
        state.pop("classifier_", None)
        return state

    def __setstate__(self, state):
        clf = state.pop("classifier_", None)  # a model saved by gxml 0.1.0 holds the classifier
        if clf is not None and "coef_" not in state:
            state["coef_"] = np.asarray(clf.coef_, dtype=np.float64)
            state["intercept_"] = np.asarray(clf.intercept_, dtype=np.float64)
        self.__dict__.update(state)

    def predict(self, doc: Doc) -> List[str]:
        """The most probable tag of every item."""
        p = self.predict_proba(doc)
        return [TAGS[k] for k in p.argmax(axis=1)] if len(p) else []

    def tag(self, doc: Doc) -> Doc:
        """Fill ``doc.proba`` and ``doc.tags`` in place; returns the doc."""
        doc.proba = self.predict_proba(doc)
        doc.tags = [TAGS[k] for k in doc.proba.argmax(axis=1)] if len(doc.items) else []
        return doc

    # -- persistence -------------------------------------------------------------------------
    def save(self, path, training: Optional[Dict] = None) -> Dict:
        """Write the model (joblib) and ``<path>.json`` metadata; returns the metadata."""
        import joblib

        from . import __version__

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)
        meta = {
            "gxml_version": __version__,
            "sklearn_version": _sklearn_version(),
            "python": platform.python_version(),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "sha256": _sha256(path),
            "tags": list(TAGS),
            "params": {"n_features": self.n_features, "alpha": self.alpha, "max_iter": self.max_iter,
                       "random_state": self.random_state},
            "n_items": getattr(self, "n_items_", None),
            "tag_counts": getattr(self, "tag_counts_", None),
            "training": training or {},
        }
        _meta_path(path).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return meta

    @classmethod
    def load(cls, path) -> "LineTagger":
        """Load a model, checking it against its metadata (sha256; scikit-learn version)."""
        import joblib

        path = Path(path)
        if not path.is_file():
            raise ModelError(f"model file not found: {path}")
        mp = _meta_path(path)
        if mp.is_file():
            meta = json.loads(mp.read_text(encoding="utf-8"))
            digest = _sha256(path)
            if meta.get("sha256") and meta["sha256"] != digest:
                raise ModelError(f"{path}: sha256 {digest[:12]}… does not match its metadata "
                                 f"({meta['sha256'][:12]}…); the file is corrupt or was replaced")
            running = _sklearn_version()
            if meta.get("sklearn_version") and running and meta["sklearn_version"] != running:
                warnings.warn(f"{path} was trained with scikit-learn {meta['sklearn_version']}, "
                              f"running {running}; retrain with `gxml train` if results look off")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                obj = joblib.load(path)
        except Exception as e:  # corrupt pickle, wrong file
            raise ModelError(f"cannot load model {path}: {type(e).__name__}: {e}") from e
        if not isinstance(obj, cls):
            raise ModelError(f"{path} holds a {type(obj).__name__}, not a LineTagger")
        return obj


def _sklearn_version() -> Optional[str]:
    """The installed scikit-learn's version, read without importing it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scikit-learn")
    except PackageNotFoundError:
        return None


def _proba(scores: np.ndarray) -> np.ndarray:
    """One-vs-rest probabilities from class scores, as ``SGDClassifier.predict_proba``."""
    prob = 1.0 / (1.0 + np.exp(-np.clip(scores, -500, 500)))
    return prob / prob.sum(axis=1, keepdims=True)


class _Scorer:
    """The class scores of a linear model on hashed item features, without a sparse matrix.

    The model is linear, so an item's score is its text's share plus its context's share plus
    the intercept. A text's share is computed once per distinct text, and that of a tuple of
    context feature names or of a place code once per tuple or code (capped LRU caches: alike
    items share them); the neighbours' label scores are weighted in one matrix product.
    """

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, n_features: int):
        # only the columns some feature of the training data hashed to have weights (a few
        # thousand of 2**18): those rows, and one row of zeros that every other column reads,
        # fit in a CPU cache where the whole (n_features, n_classes) matrix does not
        used = np.flatnonzero((coef != 0).any(axis=0))
        self.weights = np.zeros((len(used) + 1, coef.shape[0]))  # (used columns + 1, n_classes)
        self.weights[:len(used)] = coef.T[used]
        self.row_of = np.full(n_features, len(used), dtype=np.int32)  # feature column -> row of weights
        self.row_of[used] = np.arange(len(used))
        self.intercept = intercept
        self.n_features = n_features
        self.n_classes = self.weights.shape[1]
        self.label_weights = self.weights[[self._column(k) for k in LABEL_NAMES]]
        self.text_score = lru_cache(maxsize=CACHE_SIZE)(self._text_score)
        self.names_score = lru_cache(maxsize=CACHE_SIZE)(self._names_score)
        self.place_score = lru_cache(maxsize=CACHE_SIZE)(self._place_score)
        # keyed by the name alone: a one-argument cache is the cheapest lookup per feature
        self.column = lru_cache(maxsize=CACHE_SIZE)(self._column)

    def _text_score(self, text: str) -> tuple:
        """The summed weights of the features of ``text`` alone, one per class."""
        return self._sum(text_features(text))

    def _names_score(self, names: Tuple[str, ...]) -> tuple:
        """The summed weights of features ``names`` valued 1.0, one per class."""
        return self._sum([(name, 1.0) for name in names])

    def _place_score(self, code: int) -> tuple:
        """The :meth:`_names_score` of the place features of place code ``code``."""
        return self._names_score(place_names(code))

    def _column(self, name: str) -> int:
        """The row of :attr:`weights` that feature ``name`` reads."""
        return int(self.row_of[feature_index(name, self.n_features)])

    def _sum(self, pairs: Sequence[Tuple[str, float]]) -> tuple:
        """The summed weights of features ``pairs`` (name, value; not empty), one per class."""
        names, values = zip(*pairs)
        rows = self.weights.take(list(map(self.column, names)), axis=0)  # take: quicker than [cols]
        return tuple((np.array(values) @ rows).tolist())  # floats: fast to stack

    def context_scores(self, doc: Doc) -> np.ndarray:
        """``(n_items, n_classes)`` summed weights of each item's context features (the items
        of ``doc``, not empty): own + place + neighbour labels, as :func:`item_contexts` has them."""
        parts = context_parts(doc, fill=0.0)  # no neighbour: no label feature, a zero value
        places, place_index = np.unique(parts.place_codes, return_inverse=True)
        own = float_rows([self.names_score(names) for names in parts.owns], self.n_classes)[parts.own_index]
        place = float_rows([self.place_score(code) for code in places.tolist()], self.n_classes)
        return own + place[place_index.reshape(-1)] + parts.labels @ self.label_weights

    def scores(self, doc: Doc) -> np.ndarray:
        """``(n_items, n_classes)`` decision scores of the items of ``doc`` (not empty)."""
        text = float_rows([self.text_score(it.text) for it in doc.items], self.n_classes)
        return text + self.context_scores(doc) + self.intercept


def _meta_path(path: Path) -> Path:
    return path.with_suffix(".json")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def default_model_path() -> Path:
    """Where the shipped default model lives (``models/default.joblib``)."""
    env = os.environ.get("GXML_MODEL")
    if env:
        return Path(env)
    return Path(str(resources.files("gxml.models").joinpath("default.joblib")))


@lru_cache(maxsize=1)
def load_default() -> LineTagger:
    """The shipped default model, loaded once."""
    return LineTagger.load(default_model_path())
