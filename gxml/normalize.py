"""Text normalisation: one function, :func:`normalize`, that keeps the line structure.

It converts traditional characters to simplified (OpenCC t2s, only where the text has any),
full-width ASCII to half-width, box-drawing table borders to ``|``/``-``/``+``, odd spaces
(NBSP, ideographic, en/em, thin) to plain spaces, look-alike dashes (``―``, ``−``) to the
dashes a table prints, drops zero-width characters, lone surrogates and form feeds,
reads the CJK radicals some PDF fonts print for characters (``⾏政`` for 行政, ``部⻔`` for
部门) as those characters, decodes leftover HTML entities, reads the rows of a spreadsheet saved as CSV
(``规章,0,0,0,,,``) as pipe rows (:mod:`gxml.delimited`), unwraps cells quoted whole (CSV:
``"规章","0"``), and reads a number that OCR spelt with letters (``O`` for 0, ``l`` or ``I``
for 1; ``〇`` and ``零`` too) standing alone between separators as digits. It never adds or
removes a newline, so a line number means the same thing before and after.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import FrozenSet

from .delimited import blank_unnamed, comma_rows
from .frames import frame_rows

_SPACES = dict.fromkeys(map(ord, "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                                   "\u2009\u200a\u202f\u205f\u3000"), " ")
_DROP = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\x0c\x0b"), None)
_DROP.update(dict.fromkeys(range(0xD800, 0xE000)))  # lone surrogates (bytes decoded with surrogateescape)
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
# box drawing (w3m/lynx/html2text tables): verticals become pipes, lines and corners '-' and '+'
_BOX = {c: ("|" if chr(c) in "│┃║┆┇┊┋╎╏╽╿" else "-" if chr(c) in "─━═┄┅┈┉╌╍╼╾" else "+")
        for c in range(0x2500, 0x2580)}
# PDF fonts that map characters to radical code points make extractors print look-alikes: every
# Kangxi radical (⼀ ⼆ ⼈ ⾏ ⽂, NFKC gives the character) and the radicals of the supplement
# that stand for a whole character (Unicode's EquivalentUnifiedIdeograph; NFKC leaves most alone)
RADICAL_PAIRS = ("⺟母 ⺠民 ⻄西 ⻅见 ⻆角 ⻉贝 ⻋车 ⻓长 ⻔门 ⻗雨 ⻘青 ⻙韦 ⻚页 ⻛风 ⻜飞 ⻝食 ⻢马 "
                  "⻣骨 ⻤鬼 ⻥鱼 ⻦鸟 ⻧卤 ⻨麦 ⻩黄 ⻪黾 ⻬齐 ⻮齿 ⻰龙 ⻳龟")
RADICALS = {**{c: unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)},
             **{ord(pair[0]): pair[1] for pair in RADICAL_PAIRS.split()}}
# dashes and minus signs that fonts and converters print for the ones a table uses (a zero
# printed as a dash, a page number as - 3 -): the horizontal bar of GBK fonts (―, U+2015) and
# the two- and three-em dashes are the em dash; hyphens, the figure dash and minus signs are '-'
DASHES = {**dict.fromkeys(map(ord, "\u2015\u2e3a\u2e3b\ufe58"), "\u2014"),
          **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2212\ufe63"), "-")}
_TABLE = {**_SPACES, **_DROP, **_FULLWIDTH, **_BOX, **RADICALS, **DASHES}
LINE_CACHE_SIZE = 4_096  # converted lines kept: the labels of the tables, memory bounded
_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
# OCR reads digits as letters: 0 as O (Latin, Greek, Cyrillic), 1 as l or I; a report may print
# a zero as 〇 or 零. A token of such letters and digits alone between whitespace or pipes is a
# number: a single letter, letters with at least one digit (1O, l2), or both lower-case l and
# capital O and nothing else (lO, lOO: no word, where IO or lol may be). Inside a word or beside
# other characters (零星, 二〇二三, OK, O2O模式) they are left alone. The pattern finds the letter
# first and looks back after (4x faster than a look-behind first); _ocr_number checks the token.
# A token is at most OCR_TOKEN_MAX characters: bounded, a long run of digits and letters costs
# linear time (unbounded, every letter in it started a scan to its end: quadratic).
OCR_TOKEN_MAX = 16
_OCR_DIGITS = str.maketrans({**dict.fromkeys("Oo〇零\u039f\u041e\u043e", "0"), "l": "1", "I": "1"})
_L_AND_O = {"l", "O"}
_OCR_CLASS = "Oo〇零\u039f\u041e\u043elI"
_OCR_TOKEN = re.compile(f"[{_OCR_CLASS}](?<![^\\s|\\d].)[\\d{_OCR_CLASS}]{{0,{OCR_TOKEN_MAX - 1}}}(?![^\\s|])")


# a cell quoted whole, as CSV exports print cells: the quotes become spaces (columns stay put).
# The pattern finds the quoted text and the look-back is done after (a look-behind first is slow)
_CELL_END = "|\t,;"  # full-width commas are half-width by now
_QUOTED = re.compile(f'["“][^"“”\n{_CELL_END}]*["”](?= *(?:$|[{_CELL_END}]))', re.M)


def _unquote(m: "re.Match") -> str:
    """The quoted text with its quotes as spaces when it fills its cell."""
    s, a = m.string, m.start()
    while a and s[a - 1] == " ":
        a -= 1
    if a and s[a - 1] not in _CELL_END and s[a - 1] != "\n":
        return m.group(0)
    return f" {m.group(0)[1:-1]} "


def _ocr_number(m: "re.Match") -> str:
    """The match read as digits when its whole token (digits before it included) is a number."""
    s, a = m.string, m.start()
    while a and "0" <= s[a - 1] <= "9" and m.end() - a < OCR_TOKEN_MAX:
        a -= 1
    if a and not (s[a - 1].isspace() or s[a - 1] == "|"):
        return m.group(0)
    token = s[a:m.end()]
    if len(token) > 1 and not any("0" <= c <= "9" for c in token) and set(token) != _L_AND_O:
        return m.group(0)
    return m.group(0).translate(_OCR_DIGITS)


def _unescape(m: "re.Match") -> str:
    """An HTML entity decoded; an encoded line break becomes a space (lines must not move)."""
    out = html.unescape(m.group(0))
    return out.replace("\r", " ").replace("\n", " ")


@lru_cache(maxsize=1)
def _converter():
    import opencc  # opencc-python-reimplemented

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def traditional_chars() -> FrozenSet[str]:
    """Characters that OpenCC's t2s dictionary changes (the trigger for conversion)."""
    import os
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    chars = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and len(parts[0]) == 1 and parts[1].split(" ")[0] != parts[0]:
                chars.add(parts[0])
    return frozenset(chars)


def has_traditional(text: str, threshold: int = 3) -> bool:
    """True when at least ``threshold`` characters of ``text`` are traditional-only forms."""
    trad = traditional_chars()
    if trad.isdisjoint(text):  # the common case, at C speed
        return False
    n = 0
    for ch in text:
        if ch in trad:
            n += 1
            if n >= threshold:
                return True
    return False


def to_simplified(text: str) -> str:
    """OpenCC t2s, line by line so that newlines are untouched. An ASCII line is left as it
    is (every key of OpenCC's t2s dictionaries is CJK) and a line is converted once per
    batch (table labels recur from report to report; OpenCC is pure Python, and slow)."""
    return "\n".join(line if line.isascii() else _simplified_line(line) for line in text.split("\n"))


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _simplified_line(line: str) -> str:
    return _converter().convert(line)


def normalize(text: str) -> str:
    """Normalise report text for parsing; the number of lines is kept."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = _ENTITY.sub(_unescape, text)
    text = text.translate(_TABLE)
    text = comma_rows(frame_rows(blank_unnamed(text)))
    if '"' in text or "“" in text:
        text = _QUOTED.sub(_unquote, text)
    text = _OCR_TOKEN.sub(_ocr_number, text)
    if has_traditional(text):
        text = to_simplified(text)
    return text
