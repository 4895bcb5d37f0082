"""Units printed in a column's header: ``采购总金额（万元）`` over ``417.8``.

The template fixes each column's unit (a count; 元 for the 2019 采购总金额; 万元 for the 2021
收费金额), and a value is given in it. Some reports print another unit in the header instead of
in the cells: ``采购总金额（万元）`` with ``417.8`` is 4178000 元, ``本年收费金额（单位：元）`` with
``409170000`` is 40917 万元, ``本年处理决定数量（万件）`` with ``1.7932`` is 17932. A cell that
prints a unit of its own (``2202万元``) was read in it already and is left alone.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import List, Optional

from .doc import Doc
from .labels import label_key
from .placement import Placement
from .templates import Template
from .values import MULTIPLIERS, TOKEN_UNITS, scaled

_BASES = "".join(TOKEN_UNITS)  # the units a cell prints (件 条 个 项 元 次)
_MULTS = "".join(k for k in MULTIPLIERS if k)  # 万 亿 千
_UNIT = re.compile(rf"[(（]\s*(?:单位\s*[:：]?\s*)?(?P<mult>[{_MULTS}]?)(?P<base>[{_BASES}])\s*[)）]")
_OWN_UNIT = re.compile(rf"[{_MULTS}{_BASES}]")


def printed_unit(text: str) -> Optional[str]:
    """The unit a header prints in brackets (``采购总金额（万元）`` -> ``万元``), or None."""
    m = _UNIT.search(text)
    return m.group("mult") + m.group("base") if m else None


def _multiplier(unit: Optional[str]) -> Decimal:
    """What a unit's multiplier stands for (``万元`` -> 10000; ``元``, ``件``, none -> 1)."""
    return MULTIPLIERS.get(unit[:-1] or None, MULTIPLIERS[None]) if unit else MULTIPLIERS[None]


def _column_key(label: str) -> str:
    """The comparable key of a column label without its unit (``本年收费金额``)."""
    return label_key(_UNIT.sub("", label))


def header_factor(header: str, column_unit: Optional[str]) -> Optional[Decimal]:
    """By how much values printed under ``header`` are multiplied to be in ``column_unit``
    (None when the header prints no unit, or the column's own)."""
    unit = printed_unit(header)
    if unit is None:
        return None
    factor = _multiplier(unit) / _multiplier(column_unit)
    return None if factor == 1 else factor


def rescale(doc: Doc, tmpl: Template, p: Placement, column_units: dict) -> List[str]:
    """Put the values of table 二 under a header that prints another unit than their
    column's into the column's unit, in place; returns the cells rescaled."""
    items = doc.items
    rows = sorted((a for a in p.anchors if a.kind == "row" and a.target.startswith("active.")), key=lambda a: a.pos)
    title = next((a.pos for a in p.anchors if a.kind == "title" and a.target == "active"), None)
    floor = title if title is not None else (rows[0].pos - 40 if rows else 0)
    done = []
    for a in rows:
        for cell in tmpl.row(a.target).cells:
            k = p.src.get(cell)
            if k is None or p.cells.get(cell) is None or _OWN_UNIT.search(items[k].text):
                continue
            header = _header_above(doc, a.pos, floor, _column_key(tmpl.column_labels.get(cell, "")))
            factor = header_factor(header, column_units.get(cell)) if header else None
            if factor is not None:
                p.cells[cell] = scaled(p.cells[cell], factor)
                done.append(cell)
    return done


def _header_above(doc: Doc, pos: int, floor: int, key: str) -> Optional[str]:
    """The text of the last header item naming column ``key`` between ``floor`` and ``pos``."""
    if not key:
        return None
    for i in range(pos - 1, max(floor, 0) - 1, -1):
        it = doc.items[i]
        if not it.is_value and label_key(it.text).startswith(key):
            return it.text
    return None
