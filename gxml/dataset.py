"""Labelled reports on disk: ``NAME.<ext>`` with ``NAME.truth.json`` beside it.

An optional ``NAME.tags.tsv`` gives gold item tags as character spans of the normalised
text (``start<TAB>end<TAB>tag`` per line); without it, tags are derived by aligning the
truth values to the text (:func:`derive_tags`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Tuple

from .doc import Doc

SIDE_FILES = (".truth.json", ".tags.tsv")


@dataclass
class Labelled:
    """One labelled report."""

    path: Path
    truth: dict
    spans: Optional[List[Tuple[int, int, str]]] = None

    @property
    def name(self) -> str:
        return self.path.name


def report_for(truth_path: Path) -> Optional[Path]:
    """The report file a truth file labels (the first ``NAME.*`` that is not a side file)."""
    stem = truth_path.name[: -len(".truth.json")]
    cands = sorted(p for p in truth_path.parent.glob(stem + ".*")
                   if not p.name.endswith(SIDE_FILES) and p.name != truth_path.name)
    return cands[0] if cands else None


def iter_labelled(directory) -> Iterator[Labelled]:
    """Labelled reports of a folder, in name order."""
    d = Path(directory)
    if not d.is_dir():
        raise FileNotFoundError(f"not a folder of labelled reports: {d}")
    for tp in sorted(d.glob("*.truth.json")):
        rp = report_for(tp)
        if rp is None:
            continue
        truth = json.loads(tp.read_text(encoding="utf-8"))
        tags_path = tp.with_name(tp.name[: -len(".truth.json")] + ".tags.tsv")
        spans = read_spans(tags_path) if tags_path.is_file() else None
        yield Labelled(rp, truth, spans)


def read_spans(path: Path) -> List[Tuple[int, int, str]]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            out.append((int(parts[0]), int(parts[1]), parts[2]))
    return out


def tags_from_spans(doc: Doc, spans: Sequence[Tuple[int, int, str]]) -> List[str]:
    """Each item takes the tag of the span covering most of its characters (noise if none)."""
    spans = sorted(spans)
    starts = [s[0] for s in spans]
    import bisect

    tags = []
    for it in doc.items:
        k = max(0, bisect.bisect_right(starts, it.start) - 1)
        best, cover = "noise", 0
        while k < len(spans) and spans[k][0] < it.end:
            a, b, t = spans[k]
            ov = min(b, it.end) - max(a, it.start)
            if ov > cover:
                best, cover = t, ov
            k += 1
        tags.append(best)
    return tags


def derive_tags(doc: Doc, truth: dict) -> List[str]:
    """Gold-ish tags for a labelled report without a tags file.

    Rule-of-thumb tags, then the decoder forced to the truth template: a value item becomes
    ``cell`` when it lies within the tables and its number is one of the truth values of the
    table it falls in, ``noise`` otherwise.
    """
    from .decoder import decode_layout
    from .heuristic import HeuristicTagger
    from .templates import get_template

    HeuristicTagger().tag(doc)
    tags = list(doc.tags or [])
    tmpl = get_template(truth["template"])
    best = None
    for layout in tmpl.layouts():
        pl = decode_layout(doc, tmpl, layout)
        if best is None or pl.score > best.score:
            best = pl
    anchors = best.anchors if best else []
    lo = anchors[0].pos if anchors else 0
    end = next((a.pos for a in anchors if a.kind == "end"), None)
    hi = end if end is not None else (max(best.src.values()) + 1 if best and best.src else len(doc.items))
    truth_values = {float(v) for v in truth["cells"].values() if v is not None}
    truth_values.add(0.0)
    for i, it in enumerate(doc.items):
        if not it.is_value:
            continue
        inside = lo <= i < hi
        num = it.value.number
        ok = num is None or float(num) in truth_values or (it.split == "fused")
        tags[i] = "cell" if inside and ok else "noise"
    return tags
