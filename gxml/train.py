"""Training the line tagger: ``gxml train [DATA_DIR...] [--synthetic N] [--seed S] -o MODEL``.

Training documents come from the synthetic generator (``gxml.training``; its renderers emit
gold tags) and from folders of truth-labelled reports (tags from ``NAME.tags.tsv`` or derived
by aligning the truth values to the text). The same data and seed give the same model.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from .dataset import derive_tags, iter_labelled, tags_from_spans
from .doc import Doc
from .normalize import normalize
from .segment import segment
from .tagger import LineTagger


def synthetic_examples(n: int, seed: int) -> Tuple[List[Doc], List[List[str]], Dict[str, int]]:
    """``n`` generated documents with their gold item tags (and a count per renderer)."""
    from .training.corpus import make_corpus

    docs, tags, per = [], [], {}
    for r in make_corpus(n, seed=seed):
        norm = normalize(r.text)
        if len(norm) != len(r.text):  # offsets would not line up; such documents are rare
            continue
        doc = segment(norm)
        docs.append(doc)
        tags.append(tags_from_spans(doc, r.spans))
        per[r.renderer] = per.get(r.renderer, 0) + 1
    return docs, tags, per


def labelled_examples(dirs: Sequence) -> Tuple[List[Doc], List[List[str]], List[str]]:
    """Documents of labelled folders with gold or derived tags (unreadable files are skipped)."""
    from .readers import ReaderError, read_file

    docs, tags, names = [], [], []
    for d in dirs:
        for lab in iter_labelled(d):
            try:
                text = read_file(lab.path)
            except ReaderError as e:
                print(f"gxml train: skipping {lab.path}: {e}", file=sys.stderr)
                continue
            doc = segment(normalize(text))
            t = tags_from_spans(doc, lab.spans) if lab.spans else derive_tags(doc, lab.truth)
            doc.tags, doc.proba = None, None
            docs.append(doc)
            tags.append(t)
            names.append(str(lab.path))
    return docs, tags, names


def train(data_dirs: Sequence = (), synthetic: int = 2000, seed: int = 0, out=None,
          real_weight: int = 3, **params) -> Tuple[LineTagger, Dict]:
    """Train a :class:`LineTagger`; with ``out`` also save it (and its metadata)."""
    t0 = time.perf_counter()
    docs, tags, per = synthetic_examples(synthetic, seed) if synthetic else ([], [], {})
    rdocs, rtags, names = labelled_examples(data_dirs)
    if not docs and not rdocs:
        raise ValueError("nothing to train on: give labelled folders and/or --synthetic N > 0")
    all_docs = docs + rdocs * real_weight
    all_tags = tags + rtags * real_weight
    tagger = LineTagger(random_state=seed, **params).fit(all_docs, all_tags)
    secs = time.perf_counter() - t0
    summary = {
        "synthetic_docs": len(docs), "synthetic_seed": seed, "renderers": per,
        "labelled_docs": len(rdocs), "labelled_files": [Path(n).name for n in names],
        "labelled_weight": real_weight, "items": tagger.n_items_, "seconds": round(secs, 1),
    }
    if out is not None:
        meta = tagger.save(out, training=summary)
        summary = meta["training"]
    return tagger, summary


def add_train_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", nargs="*", help="folders of labelled reports (NAME.<ext> + NAME.truth.json)")
    p.add_argument("--synthetic", type=int, default=2000, metavar="N", help="generated documents (default 2000)")
    p.add_argument("--seed", type=int, default=0, help="random seed for generation and training")
    p.add_argument("-o", "--output", required=True, metavar="MODEL", help="model file to write (.joblib)")
    p.set_defaults(func=run_train)


def run_train(args) -> int:
    tagger, summary = train(args.data, synthetic=args.synthetic, seed=args.seed, out=args.output)
    print(f"trained on {summary['synthetic_docs']} synthetic + {summary['labelled_docs']} labelled documents "
          f"({summary['items']} items) in {summary['seconds']} s -> {args.output}")
    return 0
