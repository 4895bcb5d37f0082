"""The plain results the decoder stages pass along: anchors and one layout's placement."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from .templates import Row


@dataclass
class Anchor:
    """An item that names a row, a table title or the end of the tables."""

    pos: int        # item index
    row: float      # position in the layout (titles: first row - 0.5; end: len(layout))
    score: float
    kind: str
    target: str


@dataclass
class Placement:
    """The outcome of decoding one layout."""

    layout: Tuple[Row, ...]
    score: float
    anchors: List[Anchor]
    cells: Dict[str, Optional[float]] = field(default_factory=dict)
    conf: Dict[str, float] = field(default_factory=dict)
    src: Dict[str, int] = field(default_factory=dict)   # cell -> item index
    notes: List[dict] = field(default_factory=list)
