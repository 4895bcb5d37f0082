"""Corpora: deterministic, cycling renderers, held-out test set, files on disk."""
import json
import time

from gxml.templates import get_template
from training import corpus
from training.render import RENDERERS


def test_make_corpus_deterministic_and_prefix_stable():
    a = corpus.make_corpus(20, seed=3)
    b = corpus.make_corpus(20, seed=3)
    assert [(d.text, d.spans, d.truth) for d in a] == [(d.text, d.spans, d.truth) for d in b]
    c = corpus.make_corpus(5, seed=3)
    assert [d.text for d in c] == [d.text for d in a[:5]]
    assert corpus.make_corpus(1, seed=4)[0].text != a[0].text


def test_make_corpus_cycles_renderers():
    names = list(RENDERERS)
    docs = corpus.make_corpus(len(names), seed=1)
    assert [d.renderer for d in docs] == names
    docs = corpus.make_corpus(4, seed=1, renderers=["pipe", "fused"])
    assert [d.renderer for d in docs] == ["pipe", "fused", "pipe", "fused"]


def test_test_set_covers_every_renderer_and_is_disjoint():
    held = corpus.test_set(per_renderer=2)
    assert [d.renderer for d in held] == [n for n in RENDERERS for _ in range(2)]
    assert [d.text for d in held] == [d.text for d in corpus.test_set(per_renderer=2)]
    train = {d.text for d in corpus.make_corpus(len(RENDERERS) * 2, seed=20261122)}
    assert not train & {d.text for d in held}


def test_write_corpus(tmp_path):
    docs = corpus.make_corpus(6, seed=2)
    corpus.write_corpus(docs, tmp_path / "a")
    corpus.write_corpus(docs, tmp_path / "b")
    for i, doc in enumerate(docs):
        name = f"synth-{doc.renderer}-{i:05d}"
        txt = (tmp_path / "a" / f"{name}.txt").read_bytes()
        assert txt == doc.text.encode("utf-8") == (tmp_path / "b" / f"{name}.txt").read_bytes()
        truth = json.loads((tmp_path / "a" / f"{name}.truth.json").read_text(encoding="utf-8"))
        assert set(truth) == {"template", "cells", "notes"}
        assert list(truth["cells"]) == list(get_template(truth["template"]).cells)
        raw = (tmp_path / "a" / f"{name}.truth.json").read_text(encoding="utf-8")
        assert "\\u" not in raw  # ensure_ascii=False
        tags = (tmp_path / "a" / f"{name}.tags.tsv").read_text(encoding="utf-8").splitlines()
        assert [tuple(line.split("\t")) for line in tags] == [(str(a), str(b), t) for a, b, t in doc.spans]


def test_generation_is_fast():
    t = time.perf_counter()
    corpus.make_corpus(150, seed=9)
    assert (time.perf_counter() - t) / 150 < 0.02  # a few milliseconds per document
