"""The pipeline of named stages: normalize -> reline -> segment -> tag -> decode -> validate."""
from __future__ import annotations

from typing import List, Optional

from .decoder import decode, decode_all
from .doc import Doc
from .normalize import normalize
from .reline import reline
from .report import Report
from .segment import segment
from .validate import validate

STAGES = ("normalize", "reline", "segment", "tag", "decode", "validate")


def segmented(norm: str) -> Doc:
    """Normalised text re-lined and segmented: the items the tagger tags (training too)."""
    relined, origin = reline(norm)
    doc = segment(relined)
    doc.origin = origin
    return doc


def prepare(text: str, tagger=None) -> Doc:
    """The stages before decoding: a segmented (and, with a tagger, tagged) document."""
    doc = segmented(normalize(text))
    if tagger is not None:
        tagger.tag(doc)
    return doc


def run(text: str, method: str = "ml", tagger=None, template: Optional[str] = None) -> Report:
    """Parse ``text`` with ``method`` ("ml" needs ``tagger``; "rules" is the baseline)."""
    if method == "rules":
        from .rules import parse_rules

        return validate(parse_rules(text))
    if tagger is None:
        raise ValueError("method 'ml' needs a tagger")
    doc = prepare(text, tagger)
    rep = decode(doc, template=template, prior=getattr(tagger, "value_prior_", None))
    rep.method = method
    return validate(rep)


def run_all(text: str, tagger, template: Optional[str] = None) -> List[Report]:
    """Parse ``text`` with the ML pipeline into one report per copy of the tables it holds
    (several reports in one file), in text order."""
    doc = prepare(text, tagger)
    reps = decode_all(doc, template=template, prior=getattr(tagger, "value_prior_", None))
    return [validate(rep) for rep in reps]
