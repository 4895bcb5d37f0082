"""Training the line tagger: ``gxml train [DATA_DIR...] [--synthetic N] [--seed S] -o MODEL``.

Training documents come from the synthetic generator (``gxml.training``; its renderers emit
gold tags) and from folders of truth-labelled reports (tags from ``NAME.tags.tsv`` or derived
by aligning the truth values to the text). The truths of the same documents fit the value prior
(:mod:`gxml.value_prior`) saved with the tagger. The same data and seed give the same model.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from .dataset import derive_tags, iter_labelled, tags_from_spans
from .doc import Doc
from .normalize import normalize
from .pipeline import segmented
from .tagger import LineTagger
from .value_prior import ValuePrior


@dataclass
class Examples:
    """Training documents with their gold item tags and the truths they were labelled with
    (``(template, cells)`` pairs, for the value prior)."""

    docs: List[Doc] = field(default_factory=list)
    tags: List[List[str]] = field(default_factory=list)
    truths: List[Tuple[str, Dict]] = field(default_factory=list)
    names: List[str] = field(default_factory=list)  # a renderer or a file name per document

    def add(self, doc: Doc, tags: List[str], truth: dict, name: str) -> None:
        self.docs.append(doc)
        self.tags.append(tags)
        self.truths.append((truth.get("template"), truth.get("cells", {})))
        self.names.append(name)


def synthetic_examples(n: int, seed: int) -> Examples:
    """``n`` generated documents with their gold item tags (``names``: their renderers)."""
    from .training.corpus import make_corpus

    out = Examples()
    for r in make_corpus(n, seed=seed):
        norm = normalize(r.text)
        if len(norm) != len(r.text):  # offsets would not line up; such documents are rare
            continue
        doc = segmented(norm)
        out.add(doc, tags_from_spans(doc, r.spans), r.truth, r.renderer)
    return out


def labelled_examples(dirs: Sequence) -> Examples:
    """Documents of labelled folders with gold or derived tags (unreadable files are skipped)."""
    from .readers import ReaderError, read_file

    out = Examples()
    for d in dirs:
        for lab in iter_labelled(d):
            try:
                text = read_file(lab.path)
            except ReaderError as e:
                print(f"gxml train: skipping {lab.path}: {e}", file=sys.stderr)
                continue
            doc = segmented(normalize(text))
            t = tags_from_spans(doc, lab.spans) if lab.spans else derive_tags(doc, lab.truth)
            doc.tags, doc.proba = None, None
            out.add(doc, t, lab.truth, str(lab.path))
    return out


def train(data_dirs: Sequence = (), synthetic: int = 2000, seed: int = 0, out=None,
          real_weight: int = 3, **params) -> Tuple[LineTagger, Dict]:
    """Train a :class:`LineTagger` and its value prior (``value_prior_``); with ``out`` also
    save them (and the metadata)."""
    t0 = time.perf_counter()
    syn = synthetic_examples(synthetic, seed) if synthetic else Examples()
    real = labelled_examples(data_dirs)
    if not syn.docs and not real.docs:
        raise ValueError("nothing to train on: give labelled folders and/or --synthetic N > 0")
    tagger = LineTagger(random_state=seed, **params).fit(syn.docs + real.docs * real_weight,
                                                         syn.tags + real.tags * real_weight)
    tagger.value_prior_ = ValuePrior().fit(t for t in syn.truths + real.truths * real_weight if t[0])
    secs = time.perf_counter() - t0
    per: Dict[str, int] = {}
    for name in syn.names:
        per[name] = per.get(name, 0) + 1
    summary = {
        "synthetic_docs": len(syn.docs), "synthetic_seed": seed, "renderers": per,
        "labelled_docs": len(real.docs), "labelled_files": [Path(n).name for n in real.names],
        "labelled_weight": real_weight, "items": tagger.n_items_,
        "value_prior_reports": tagger.value_prior_.n_reports_, "seconds": round(secs, 1),
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
