"""The result of parsing one report: :class:`Report`.

``cells`` holds every key of ``template`` (number or None); ``confidence`` a float in [0, 1]
per key; ``lines`` the 1-based source line each cell came from (None when the cell is blank);
``issues`` identity breaks, doubtful cells and missing tables, as plain dicts.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional, Union

Number = Union[int, float]


@dataclass
class Report:
    """Parsed tables of one annual report."""

    template: Optional[str] = None
    cells: Dict[str, Optional[Number]] = field(default_factory=dict)
    confidence: Dict[str, float] = field(default_factory=dict)
    lines: Dict[str, Optional[int]] = field(default_factory=dict)
    raw: Dict[str, Optional[str]] = field(default_factory=dict)
    issues: List[Dict[str, Any]] = field(default_factory=list)
    source: Optional[str] = None
    method: str = "ml"

    @property
    def ok(self) -> bool:
        """True when a template was recognised and no identity is broken."""
        return self.template is not None and not any(i.get("kind") == "identity" for i in self.issues)

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready dict; ``Report.from_dict(r.to_dict()) == r``."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Report":
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        return cls(**known)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def add_issue(self, kind: str, message: str, **extra: Any) -> None:
        self.issues.append({"kind": kind, "message": message, **extra})
