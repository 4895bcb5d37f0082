"""A report's table of contents (目录): the section headings, each with its page number.

``二、主动公开政府信息情况……3`` names a table and ends in a number, as a row of that table
would; the number is a page, not a cell. A run of at least :data:`MIN_LINES` such lines (blank
lines between them allowed), :data:`MIN_TITLES` of them the tables' titles, is a table of
contents wherever it stands: before the body, or before a second copy of the report.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import FrozenSet, List, Sequence, Set, Tuple

from .labels import label_key

MIN_LINES = 3   # contents lines in a run
MIN_TITLES = 2  # of them, the tables' titles
MAX_GAP = 2     # lines from one contents line to the next (blank lines between)
ORDINALS = "一二三四五六七八九十"  # what a section heading starts with
_HEADING = re.compile(f"^[{ORDINALS}]{{1,2}}\\s*[、.．]")
_LEADER = " \t.…·_-—"  # dot leaders between a heading and its page number


@lru_cache(maxsize=1)
def _title_keys() -> FrozenSet[str]:
    """The :func:`label_key` of every template's table titles."""
    from .templates import get_template, template_names

    return frozenset(label_key(t) for n in template_names() for t in get_template(n).titles.values())


def contents_lines(candidates: Sequence[Tuple[int, str]]) -> Set[int]:
    """Of the lines that are a text and a number (``(line number, text before the number)``,
    in text order), the numbers of those that belong to a table of contents."""
    out: Set[int] = set()
    run: List[Tuple[int, str]] = []
    for line, head in list(candidates) + [(-MAX_GAP - 1, "")]:  # a sentinel closes the last run
        if run and not 0 < line - run[-1][0] <= MAX_GAP:
            titles = sum(label_key(h.rstrip(_LEADER)) in _title_keys() for _, h in run)
            if len(run) >= MIN_LINES and titles >= MIN_TITLES:
                out.update(k for k, _ in run)
            run = []
        if _HEADING.match(head):
            run.append((line, head))
    return out
