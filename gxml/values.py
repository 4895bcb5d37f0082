"""Parsing one cell's text into a number, keeping the raw text.

``parse_value("2.46万件")`` -> ``Value(24600, raw="2.46万件", kind="number")``; a unit may be
bracketed (``5（件）``). Blank markers ('', '/', '-', '—', '——', '无', '暂无', '空', …
:data:`BLANK_MARKS`) give ``kind="blank"`` and number ``None``. Money written with a unit (元,
万元, 亿元) is marked ``currency=True`` and held in yuan, so that :func:`to_column_unit` can
convert it to the unit of the column it lands in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Context, Decimal, InvalidOperation, localcontext
from typing import Optional, Tuple, Union

Number = Union[int, float]

# marks printed for a blank cell, longest first (a pattern of them tries "——" before "—")
BLANK_MARKS = ("——", "--", "—", "–", "-", "/", "\\", "×", "暂无", "无", "空")
BLANK_MARK_PATTERN = "|".join(map(re.escape, BLANK_MARKS))
BLANKS = frozenset(["", "－", "none", "null", "n/a", "na", "x", *BLANK_MARKS])
# units a table cell prints after its number; what the segmenter cuts from a row as a value
# token carries only the first ones (``3人``, ``5家`` are more often prose)
UNITS = ("件", "条", "个", "项", "元", "次", "人", "家", "份", "宗", "起", "笔", "人次", "例")
TOKEN_UNITS = UNITS[:6]


def unit_suffix(units: Tuple[str, ...] = TOKEN_UNITS) -> str:
    """A pattern of what may follow a number in a cell: a multiplier (万, 亿) and one of
    ``units``, either or both, or the two in brackets (``(件)``: normalised text)."""
    unit = "|".join(units)
    return rf"(?:(?:万|亿)?(?:{unit})?|\((?:万|亿)?(?:{unit})\))"


# a minus sign may be printed as an en or em dash glued to the digits (—3: a decrease in a
# 2019 本年增/减 column); a dash alone is a blank cell
_NUM = r"(?P<sign>[+\-\u2013\u2014]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
_VALUE_RE = re.compile(r"^" + _NUM + r"\s*(?P<mult>万|亿|千)?\s*(?P<unit>" + "|".join(UNITS) + ")?$")
_BRACKETED = re.compile(r"[(（](?P<unit>(?:万|亿|千)?(?:" + "|".join(UNITS) + r"))[)）]$")  # 5（件）
MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000), None: Decimal(1)}


@dataclass(frozen=True)
class Value:
    """A parsed cell: ``number`` (None for a blank), the raw text and what kind it was."""

    number: Optional[Number]
    raw: str
    kind: str  # "number" | "blank" | "text"
    currency: bool = False
    digits: str = ""  # the bare digit string, for fused-digit splitting

    @property
    def is_number(self) -> bool:
        return self.kind == "number"


def _as_number(d: Decimal) -> Number:
    with localcontext(Context(prec=80)):
        if d == d.to_integral_value():
            return int(d)
    return float(d)


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=20_000)
def parse_value(raw: str) -> Value:
    """Parse a cell text; never raises (cached: tables repeat '0' a lot; Value is immutable)."""
    text = (raw or "").strip().replace(" ", "")
    if text.lower() in BLANKS:
        return Value(None, raw, "blank")
    if not _DIGIT.search(text):  # fast path: most items are words
        return Value(None, raw, "text")
    m = _VALUE_RE.match(text)
    if not m and text.endswith((")", "）")):
        m = _VALUE_RE.match(_BRACKETED.sub(r"\g<unit>", text))
    if not m:
        return Value(None, raw, "text")
    int_part = m.group("int").replace(",", "")
    frac = m.group("frac")
    with localcontext(Context(prec=80)):
        try:
            d = Decimal(int_part + ("." + frac if frac else ""))
        except InvalidOperation:  # pragma: no cover - regex guarantees digits
            return Value(None, raw, "text")
        d = d * MULTIPLIERS[m.group("mult")]
    if m.group("sign") not in ("", "+"):
        d = -d
    unit = m.group("unit")
    return Value(_as_number(d), raw, "number", currency=(unit == "元"),
                 digits=int_part if not frac and not m.group("mult") else "")


def looks_like_value(text: str) -> bool:
    """True for a number (with optional multiplier/unit) or a blank marker other than ''."""
    t = text.strip()
    return bool(t) and parse_value(t).kind in ("number", "blank")


def scaled(number: Number, factor: Decimal) -> Number:
    """``number`` times ``factor``, in decimal arithmetic (``417.8`` x 10000 is 4178000)."""
    with localcontext(Context(prec=80)):
        return _as_number(Decimal(str(number)) * factor)


def to_column_unit(value: Value, unit: Optional[str]) -> Optional[Number]:
    """The value in the unit of its column: money with 元/万元 goes to 万元 where the column is 万元."""
    if value.number is None:
        return None
    if value.currency and unit == "万元":
        return _as_number(Decimal(str(value.number)) / Decimal(10000))
    return value.number
