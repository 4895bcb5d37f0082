"""The pipeline of named stages: normalize -> segment -> tag -> decode -> validate."""
from __future__ import annotations

from typing import List, Optional

from .decoder import decode, decode_all
from .doc import Doc
from .normalize import normalize
from .report import Report
from .segment import segment
from .validate import validate

STAGES = ("normalize", "segment", "tag", "decode", "validate")


def prepare(text: str, tagger=None) -> Doc:
    """The first three stages: a segmented (and, with a tagger, tagged) document."""
    doc = segment(normalize(text))
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
