"""Validation: every accounting identity of the template checked on a report's cells.

Breaks are reported as issues (name, lhs, rhs); the numbers are never changed: a report
that breaks its own sums keeps them.
"""
from __future__ import annotations

import math
from typing import Dict, List, Optional

from .identities import cells_sum
from .report import Report
from .templates import get_template

LOW_CONFIDENCE = 0.5


def check_identities(template: str, cells: Dict[str, Optional[float]]) -> List[dict]:
    """Identity breaks of ``cells`` under ``template``: ``[{name, lhs, rhs, lhs_cells, rhs_cells}]``."""
    out = []
    for ident in get_template(template).identities:
        lhs, rhs = cells_sum(cells, ident["lhs"]), cells_sum(cells, ident["rhs"])
        if not math.isclose(lhs, rhs, rel_tol=1e-9, abs_tol=1e-6):
            out.append({"name": ident["name"], "lhs": lhs, "rhs": rhs,
                        "lhs_cells": list(ident["lhs"]), "rhs_cells": list(ident["rhs"])})
    return out


def validate(report: Report, low_confidence: float = LOW_CONFIDENCE) -> Report:
    """Add identity breaks and low-confidence cells to ``report.issues``; returns the report."""
    if report.template is None:
        return report
    for br in check_identities(report.template, report.cells):
        report.add_issue("identity", f"{br['name']}: {br['lhs']:g} != {br['rhs']:g}", **br)
    low = sorted(k for k, c in report.confidence.items() if c < low_confidence)
    if low:
        report.add_issue("low_confidence", f"{len(low)} cells below confidence {low_confidence}", cells=low)
    return report
