"""Rule-of-thumb item tags, used to bootstrap and check training data (not by ``parse``)."""
from __future__ import annotations

import re
from typing import List

import numpy as np

from .doc import TAGS, Doc
from .labels import header_score, index_for

_CJK = re.compile(r"[\u4e00-\u9fff]")


def heuristic_tags(doc: Doc) -> List[str]:
    """cell for values, label/heading for items that match template wording, noise otherwise."""
    tags = []
    for it in doc.items:
        if it.is_value:
            tags.append("cell")
            continue
        if len(it.text) > 60 or not _CJK.search(it.text):
            tags.append("noise")
            continue
        m = max(index_for("2021").match(it.text, top=1) + index_for("2019").match(it.text, top=1),
                key=lambda x: x[1], default=None)
        if m and m[1] >= 0.55:
            tags.append("label" if m[0].kind == "row" else "heading")
        elif header_score(it.text) >= 0.8:
            tags.append("heading")
        else:
            tags.append("noise")
    return tags


class HeuristicTagger:
    """A tagger with the LineTagger interface built on :func:`heuristic_tags`."""

    def tag(self, doc: Doc) -> Doc:
        doc.tags = heuristic_tags(doc)
        doc.proba = np.zeros((len(doc.items), len(TAGS)))
        for i, t in enumerate(doc.tags):
            doc.proba[i, TAGS.index(t)] = 0.9
            for j in range(len(TAGS)):
                if TAGS[j] != t:
                    doc.proba[i, j] = 0.1 / 3
        return doc
