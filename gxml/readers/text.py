"""Plain-text reports: guess the encoding of the bytes and decode them.

Order of guesses: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32), strict UTF-8 (bytes that are
valid UTF-8 and not ASCII-only practically never are anything else), a declared charset (an
HTML ``<meta>``) if the bytes fit it, UTF-16 without a BOM (many NULs, or a very plausible
reading), then GB18030 (a superset of GBK/GB2312) against Big5 by a plausibility score (share of
common CJK characters, penalised for replacement, private-use and control characters), with
UTF-8 and replacement characters as the last resort. Binary junk raises
:class:`~gxml.readers.ReaderError`.
"""
from __future__ import annotations

import codecs
from functools import lru_cache
from typing import FrozenSet, Optional

from . import ReaderError

SAMPLE = 1 << 16  # bytes looked at when guessing
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# bytes that do not occur in text: C0 controls other than \t \n \v \f \r and ESC, and DEL
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 26, 27)) + b"\x7f"
# aliases of legacy Chinese encodings, mapped to the superset that decodes them all
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
              "euc-cn": "gb18030", "hz-gb-2312": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}


@lru_cache(maxsize=1)
def common_cjk() -> FrozenSet[str]:
    """Common Chinese characters: GB2312 level 1 (3755 simplified) and Big5 level 1 (5401 traditional)."""
    chars = set()
    for lead in range(0xB0, 0xD8):
        chars.update(bytes(b for t in range(0xA1, 0xFF) for b in (lead, t)).decode("gb2312", "ignore"))
    for lead in range(0xA4, 0xC7):
        for lo, hi in ((0x40, 0x7F), (0xA1, 0xFF)):
            chars.update(bytes(b for t in range(lo, hi) for b in (lead, t)).decode("big5", "ignore"))
    chars.update(chr(c) for c in range(0x3000, 0x3040))  # CJK punctuation
    chars.update(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width forms
    return frozenset(chars)


def plausibility(text: str) -> float:
    """Score in (-inf, 1]: share of non-ASCII characters that are common CJK, minus junk."""
    common = common_cjk()
    good = bad = other = 0
    for ch in text:
        o = ord(ch)
        if o < 128:
            if ch.isprintable() or ch in "\t\n\r\f\v":
                continue
            bad += 1
        elif ch in common:
            good += 1
        elif ch == "\ufffd" or 0xE000 <= o <= 0xF8FF or 0x80 <= o < 0xA0:
            bad += 1
        else:
            other += 1
    total = good + bad + other
    return 1.0 if total == 0 else (good - 3 * bad) / total


def normalize_encoding(name: str) -> Optional[str]:
    """Python codec name for a declared charset (GBK/GB2312 -> GB18030), None if unknown."""
    name = name.strip().strip("'\"").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def looks_binary(data: bytes) -> bool:
    """True when a sample has too many control bytes for text (NUL-heavy UTF-16 is checked first)."""
    sample = data[:SAMPLE]
    if not sample:
        return False
    n = sum(sample.count(bytes([b])) for b in _CONTROL)
    return n / len(sample) > 0.02


def _utf16_guess(sample: bytes) -> Optional[str]:
    """"utf-16-le"/"utf-16-be" when the bytes read as plausible UTF-16 text without a BOM.

    Report text has newlines and digits, so UTF-16 shows as many NULs; text without any ASCII
    is accepted only on a high plausibility score.
    """
    if len(sample) < 2:
        return None
    even, odd = sample[0::2].count(b"\x00"), sample[1::2].count(b"\x00")
    threshold = 0.5 if (even + odd) / len(sample) >= 0.1 else 0.9
    order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    for enc in order:
        text = sample[: len(sample) // 2 * 2].decode(enc, "replace")
        if "\x00" not in text and plausibility(text) > threshold:
            return enc
    return None


def guess_legacy(sample: bytes) -> str:
    """The legacy codec (GB18030, Big5-HKSCS or UTF-8) under which ``sample`` reads most plausibly."""
    best, best_score = "utf-8", float("-inf")
    for enc in ("gb18030", "big5hkscs", "utf-8"):
        score = plausibility(sample.decode(enc, "replace"))
        if score > best_score + 1e-9:  # ties go to the earlier, more common, codec
            best, best_score = enc, score
    return best


def decode_bytes(data: bytes, encoding: Optional[str] = None) -> str:
    """Decode report bytes to text; never fails on odd bytes, raises ReaderError for binary junk.

    ``encoding`` (a declared charset) is used when the bytes are not UTF-8 and decode under it
    without error.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, "replace")
    sample = data[:SAMPLE]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not looks_binary(sample):
        return text
    enc = normalize_encoding(encoding) if encoding else None
    if enc:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass  # declared charsets often lie (a 'utf-8' page saved as GBK): guess instead
    enc16 = _utf16_guess(sample)
    if enc16:
        return data[: len(data) // 2 * 2].decode(enc16, "replace")
    if looks_binary(sample):
        raise ReaderError("does not look like text (too many control bytes); is it a binary file?")
    return data.decode(guess_legacy(sample), "replace")


def read_text(path: str) -> str:
    """Read a plain-text report file with any common Chinese encoding."""
    with open(path, "rb") as fh:
        return decode_bytes(fh.read())
