"""Synthetic corpora: many rendered reports, deterministic for a seed, and the held-out test set.

Every document draws from its own ``random.Random`` seeded by a string naming the set, the
seed and the document (``"gxml-train:1:42"``), so a corpus of n documents is the prefix of a
larger one, and the training and test namespaces never share a seed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
from typing import List, Optional, Sequence

from .generate import generate_report
from .render import RENDERERS, Rendered, render


def _document(rng: random.Random, renderer: str) -> Rendered:
    """One report rendered with ``renderer`` (small reports for ``fused``: its splits need 0..99)."""
    report = generate_report(rng, scale="small" if renderer == "fused" else None)
    return render(report, renderer, rng)


def make_corpus(n: int, seed: int, renderers: Optional[Sequence[str]] = None) -> List[Rendered]:
    """``n`` training documents, cycling through ``renderers`` (default: all of them)."""
    names = list(renderers) if renderers else list(RENDERERS)
    for name in names:
        if name not in RENDERERS:
            raise KeyError(f"unknown renderer {name!r}")
    return [_document(random.Random(f"gxml-train:{seed}:{i}"), names[i % len(names)]) for i in range(n)]


def test_set(per_renderer: int = 20, seed: int = 20261122) -> List[Rendered]:
    """The fixed held-out synthetic test set: ``per_renderer`` documents of every renderer."""
    return [_document(random.Random(f"gxml-test:{seed}:{name}:{i}"), name)
            for name in RENDERERS for i in range(per_renderer)]


test_set.__test__ = False  # a data-set builder, not a pytest test


def write_corpus(docs: Sequence[Rendered], out_dir) -> None:
    """Write NAME.txt, NAME.truth.json and NAME.tags.tsv for each document into ``out_dir``."""
    os.makedirs(out_dir, exist_ok=True)
    for i, doc in enumerate(docs):
        base = os.path.join(out_dir, f"synth-{doc.renderer}-{i:05d}")
        with open(base + ".txt", "w", encoding="utf-8", newline="") as fh:
            fh.write(doc.text)
        with open(base + ".truth.json", "w", encoding="utf-8", newline="\n") as fh:
            json.dump(doc.truth, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        with open(base + ".tags.tsv", "w", encoding="utf-8", newline="\n") as fh:
            fh.writelines(f"{a}\t{b}\t{tag}\n" for a, b, tag in doc.spans)


def main(argv: Optional[Sequence[str]] = None) -> None:
    """``python -m training.corpus OUT_DIR [--n N] [--seed S] [--test]``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--renderers", help="comma-separated renderer names (default: all)")
    ap.add_argument("--test", action="store_true", help="write the held-out test set instead (--n per renderer)")
    a = ap.parse_args(argv)
    if a.test:
        docs = test_set(per_renderer=a.n)
    else:
        docs = make_corpus(a.n, a.seed, a.renderers.split(",") if a.renderers else None)
    write_corpus(docs, a.out_dir)


if __name__ == "__main__":
    main()
