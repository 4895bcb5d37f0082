"""Rendering a :class:`~training.generate.SynthReport` as the broken text real extraction makes.

A document is built in three steps that every renderer shares:

1. :func:`build_grids` lays the three tables out as :class:`Grid` objects: rows of cells with
   their grid column, column span and rowspan (cells covered by a rowspan above are kept as
   placeholders with ``tag=None``), labels and headers taken from the template;
2. the report's narrative blocks (:func:`training.generate.narrative`: title, sections 一 to 六
   with numbers in prose, signature, and markers where the tables go) are laid out by the
   renderer's prose formatter, the tables by its table formatter, as lines of tagged segments
   ``(text, tag)`` (:func:`_compose`; ``untitled`` leaves out some or all table titles, ``toc``
   prints a table of contents before the body);
3. :func:`_finish` joins the lines into text with character spans and applies the
   length-preserving character maps (traditional characters, OCR slips, half-width
   punctuation, line breaks made spaces for ``collapsed``), so spans keep their offsets.

Tags: ``heading`` (table titles, group and column headers, section headings), ``label``
(row labels and their fragments, parent labels, vertical label characters), ``cell`` (printed
cell values, blank markers included) and ``noise`` (prose, title, dates, page numbers and
separators). Values printed outside the template (the ``extra_column`` 小计 column, the extra
third value of a 2019 fees row) are tagged ``cell`` because they look exactly like cells; they
are not in the truth, so a decoder has to skip them by position.
"""
from __future__ import annotations

import math
import os
import random
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from gxml.templates import Row, Template, get_template

from .generate import (SynthReport, format_number, narrative, printed_rows, printed_value,
                       request_columns)

TAGS = ("heading", "label", "cell", "noise")

Seg = Tuple[str, Optional[str]]  # (text, tag); tag None = separator/whitespace (noise if visible)
Line = List[Seg]

# ---------------------------------------------------------------- words the template does not hold

INFO_CONTENT = "信息内容"
APPLICANTS = "申请人情况"
ORGS = "法人或其他组织"
SUBTOTAL = "小计"
CHECK_NOTES = ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
               "（本列数据勾稽关系为：第一项加第二项之和等于第三项加第四项之和）")
# breakage forms of labels and headers seen in real reports
LABEL_VARIANTS: Dict[str, Tuple[str, ...]] = {
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）":
        ("（二）部分公开", "（二）部分公开（区分处理的，只计这一情形，不其他情形）"),
    "2.其他法律行政法规禁止公开": ("2.其他法律行政止公开",),
    "7.属于行政执法案卷": ("7.属于行政执法案件",),
    "二、上年结转政府信息公开申请数量": ("二、本年结转政府信息公开申请数量",),
    "5.要求行政机关确认或重新出具已获取信息": ("5.要求行政机关确认或重新出具以获取信息",),
    "行政规范性文件": ("规范性文件",),
    "四、结转下年度继续办理": ("四、结转下年度继续处理",),
    "3.危及“三安全一稳定”": ('3.危及"三安全一稳定"',),
}
HEADER_VARIANTS: Dict[str, Tuple[str, ...]] = {"本年增/减": ("本年增/减", "本年增", "本年减", "本年增减")}
OCR_SLIPS = {"沭": "沐", "己": "已", "已": "己", "末": "未", "未": "末", "人": "入", "日": "曰",
             "土": "士", "千": "干", "予": "子", "请": "清", "1": "l", "0": "O"}
HALFWIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";"})
_NO_LINE_START = frozenset("、，。）)：；”％%")


@dataclass
class Rendered:
    """One rendered document: its text, tag spans over the text, and the truth to recover."""

    text: str
    spans: list
    truth: dict
    renderer: str


@dataclass
class Style:
    """Per-document breakage options, read by the helpers every renderer shares."""

    drop_blanks: float = 0.0     # chance that a 0/None cell is printed empty
    extra_column: bool = False   # 小计 column in table 三
    slips: bool = False          # OCR slips and mangled headers
    traditional: bool = False
    halfwidth: bool = False
    header_split: str = "whole"  # whole | split | cut : how 4-character header words print
    collapsed: bool = False      # every line break lost (a page scraped to one paragraph)
    untitled: float = 0.0        # chance that a table's title (二、主动公开政府信息情况) is left out
    page_heads: bool = False     # PDF text: a running head (agency, report title) at every page break
    toc: bool = False            # a table of contents (目录: the section headings, page numbers) first
    dropped: List[str] = field(default_factory=list)


# ---------------------------------------------------------------- text measure helpers

@lru_cache(maxsize=8192)
def _cw(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _width(text: str) -> int:
    return sum(_cw(c) for c in text)


def _wrap(text: str, width: int) -> List[str]:
    """Cut ``text`` into chunks of at most ``width`` display columns (kinsoku for 、，）)."""
    chunks: List[str] = []
    cur, w = "", 0
    for ch in text:
        cw = _cw(ch)
        if cur and w + cw > width and ch not in _NO_LINE_START and not (ch.isdigit() and cur[-1].isdigit()):
            chunks.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    if cur:
        chunks.append(cur)
    return chunks


# ---------------------------------------------------------------- grids: the shared table layout

@dataclass
class GCell:
    """One printed cell of a grid; ``tag`` None marks a placeholder covered by a rowspan."""

    text: str
    tag: Optional[str]
    col: int
    span: int = 1
    key: Optional[str] = None
    rowspan: int = 1


@dataclass
class GRow:
    cells: List[GCell]
    kind: str  # "group" (第二十条…), "header" or "data"


@dataclass
class Grid:
    table: str
    title: str
    ncols: int
    nlabel: int
    rows: List[GRow]


def _covered(col: int) -> GCell:
    return GCell("", None, col)


def _set_rowspans(rows: List[GRow]) -> None:
    covered = [{c.col for c in gr.cells if c.tag is None} for gr in rows]
    for r, gr in enumerate(rows):
        for c in gr.cells:
            if c.tag is not None:
                k = 1
                while r + k < len(rows) and c.col in covered[r + k]:
                    k += 1
                c.rowspan = k


class _GridBuilder:
    """Builds the three grids of a report, applying the document's label and value quirks."""

    def __init__(self, report: SynthReport, rng: random.Random, st: Style):
        self.report, self.rng, self.st = report, rng, st
        self.tmpl: Template = get_template(report.template)
        self.variants = {k: rng.choice(v) for k, v in LABEL_VARIANTS.items() if rng.random() < 0.1}
        self.ordinal = rng.choice(("、", "．")) if rng.random() < 0.15 else "."
        self.drop = st.drop_blanks

    def label(self, text: str) -> str:
        text = self.variants.get(text, text)
        if self.ordinal != "." and re.match(r"^\d\.", text):
            text = text[0] + self.ordinal + text[2:]
        return text

    def value(self, key: str) -> GCell:
        text = printed_value(self.report, key)
        if self.drop and self.report.cells.get(key) in (0, None) and self.rng.random() < self.drop:
            self.st.dropped.append(key)
            text = ""
        return GCell(text, "cell", 0, key=key)

    def active(self) -> Grid:
        spec = self.tmpl.raw["tables"]["active"]
        ncols = 1 + max(len(g["columns"]) for g in spec["groups"])
        rows: List[GRow] = []
        extra_fee = self.report.template == "2019" and self.rng.random() < 0.15
        for g in spec["groups"]:
            heads = [self.rng.choice(HEADER_VARIANTS.get(lbl, (lbl,))) for _, lbl in g["columns"]]
            grp_rows = [r for r in self.tmpl.rows if r.table == "active" and r.group == g["heading"]]
            if extra_fee and any(r.key == "fees" for r in grp_rows):  # seed 004: fees with 处理决定数量
                heads.append(self.tmpl.column_labels["active.licensing.decisions"])
            rows.append(GRow([GCell(g["heading"], "heading", 0, ncols)], "group"))
            rows.append(GRow([GCell(INFO_CONTENT, "heading", 0)] + self._spread(
                [GCell(h, "heading", 0) for h in heads], 1, ncols), "header"))
            for r in grp_rows:
                vals = [self.value(k) for k in r.cells]
                if extra_fee and r.key == "fees":
                    vals.append(GCell(str(self.rng.randint(1, 400)), "cell", 0))
                rows.append(GRow([GCell(self.label(r.label), "label", 0)] + self._spread(vals, 1, ncols), "data"))
        return Grid("active", self.tmpl.titles["active"], ncols, 1, rows)

    @staticmethod
    def _spread(cells: List[GCell], first: int, ncols: int) -> List[GCell]:
        """Place cells from column ``first``; the last one spans the rest of the row."""
        for i, c in enumerate(cells):
            c.col = first + i
        if cells:
            cells[-1].span = ncols - cells[-1].col
        return cells

    def requests(self, layout: Sequence[Row]) -> Grid:
        spec = self.tmpl.raw["tables"]["requests"]
        cols = request_columns(self.tmpl)
        labels = dict(spec["columns"])
        nl = 3
        extra = self.st.extra_column
        nv = len(cols) + (1 if extra else 0)
        ncols = nl + nv
        orgs = cols[1:-1]
        rows = [GRow([GCell(self.rng.choice(CHECK_NOTES), "heading", 0, nl),
                      GCell(APPLICANTS, "heading", nl, nv)], "header"),
                GRow([_covered(0), GCell(labels[cols[0]], "heading", nl),
                      GCell(ORGS, "heading", nl + 1, len(orgs) + (1 if extra else 0)),
                      GCell(labels[cols[-1]], "heading", ncols - 1)], "header"),
                GRow([_covered(0), _covered(nl)]
                     + [GCell(labels[c], "heading", nl + 1 + i) for i, c in enumerate(orgs)]
                     + ([GCell(SUBTOTAL, "heading", nl + 1 + len(orgs))] if extra else [])
                     + [_covered(ncols - 1)], "header")]
        top = self.tmpl.row("requests.granted").parent
        by_label = {r.label: r.parent for r in self.tmpl.rows}
        prev: List[str] = []
        for r in (x for x in layout if x.table == "requests"):
            chain: List[str] = []
            p = r.parent
            while p:
                chain.insert(0, p)
                p = by_label.get(p) or (top if p != top else None)
            cells = []
            for i, p in enumerate(chain):
                same = prev[:i + 1] == chain[:i + 1]
                cells.append(_covered(i) if same else GCell(self.label(p), "label", i))
            cells.append(GCell(self.label(r.label), "label", len(chain), nl - len(chain)))
            vals = [self.value(k) for k in r.cells]
            if extra:
                sub = [self.report.cells.get(k) or 0 for k in r.cells[1:-1]]
                vals.insert(len(vals) - 1, GCell(format_number(sum(sub)), "cell", 0))
            for i, v in enumerate(vals):
                v.col = nl + i
            rows.append(GRow(cells + vals, "data"))
            prev = chain
        return Grid("requests", self.tmpl.titles["requests"], ncols, nl, rows)

    def disputes(self) -> Grid:
        spec = self.tmpl.raw["tables"]["disputes"]
        heads = [lbl for _, lbl in spec["columns"]]
        n = len(heads)
        groups = [lbl.split("/") for _, lbl in spec["groups"]]
        ncols = n * len(groups)
        row1 = [GCell(groups[0][0], "heading", 0, n), GCell(groups[1][0], "heading", n, ncols - n)]
        row2 = [GCell(h, "heading", i) for i, h in enumerate(heads)]
        row2 += [GCell(g[-1], "heading", n * (i + 1), n) for i, g in enumerate(groups[1:])]
        row3 = [_covered(i) for i in range(n)]
        row3 += [GCell(h, "heading", n + i) for i, h in enumerate(heads * (len(groups) - 1))]
        key = next(r for r in self.tmpl.rows if r.table == "disputes")
        vals = [self.value(k) for k in key.cells]
        for i, v in enumerate(vals):
            v.col = i
        rows = [GRow(row1, "header"), GRow(row2, "header"), GRow(row3, "header"), GRow(vals, "data")]
        return Grid("disputes", self.tmpl.titles["disputes"], ncols, 0, rows)


def build_grids(report: SynthReport, rng: random.Random, st: Style) -> List[Grid]:
    """The three tables of ``report`` as grids (table 二, 三, 四)."""
    b = _GridBuilder(report, rng, st)
    layout = printed_rows(b.tmpl, report.other_layout)
    grids = [b.active(), b.requests(layout), b.disputes()]
    for g in grids:
        if st.slips and rng.random() < 0.5:
            _mangle_headers(g, rng)
        _set_rowspans(g.rows)
    return grids


def _mangle_headers(grid: Grid, rng: random.Random) -> None:
    """OCR-like header damage: two neighbouring header cells merged, or one lost."""
    rows = [gr for gr in grid.rows if gr.kind == "header" and sum(1 for c in gr.cells if c.tag) >= 3]
    if not rows:
        return
    gr = rng.choice(rows)
    real = [c for c in gr.cells if c.tag]
    i = rng.randrange(len(real) - 1)
    a, b = real[i], real[i + 1]
    if rng.random() < 0.5 and b.col == a.col + a.span:
        a.text, a.span = a.text + b.text, a.span + b.span
    gr.cells.remove(b)


def _header_text(c: GCell, st: Style, sep: str, how: Optional[str] = None) -> str:
    """A header word as some extractors print it: ``商业企业`` -> ``商业 企业`` or ``商业``."""
    t, how = c.text, how or st.header_split
    if c.tag == "heading" and len(t) == 4 and how != "whole" and "第" not in t:
        return t[:2] + sep + t[2:] if how == "split" else t[:2]
    return t


def _tag(kind: str) -> str:
    return "heading" if kind == "heading" else "noise"


def _prose_lines(blank: bool = False) -> Callable[[Tuple[str, str]], List[Line]]:
    """Web/docx prose: one line per block, optionally a blank line after each."""
    def fmt(block):
        kind, text = block
        pad = "                  " if kind == "sign" and text[:1].isdigit() else ""
        return [[(pad, None), (text, _tag(kind))]] + ([[]] if blank else [])
    return fmt


# ---------------------------------------------------------------- composing a document

TableFn = Callable[[Grid, random.Random, Style], List[Line]]


def _compose(report: SynthReport, rng: random.Random, st: Style, table_fn: TableFn,
             prose_fn: Callable[[Tuple[str, str]], List[Line]]) -> List[Line]:
    """The document's lines: its narrative blocks with the three tables laid out in place."""
    grids = {g.table: g for g in build_grids(report, rng, st)}
    blocks = report.meta.get("narrative") or narrative(report, rng)
    lines: List[Line] = []
    body = next((k for k, (kind, _) in enumerate(blocks) if kind not in ("title", "para")), 0)
    for k, (kind, text) in enumerate(blocks):
        if st.toc and k == body:
            lines.extend(_contents(blocks, rng))
        if st.untitled and _is_title(blocks, k) and rng.random() < st.untitled:
            continue  # the title was an image, or the copy starts at the table
        lines.extend(table_fn(grids[text], rng, st) if kind == "table" else prose_fn((kind, text)))
    return lines


def _contents(blocks: List[Tuple[str, str]], rng: random.Random) -> List[Line]:
    """A table of contents: the section headings (the tables' titles among them), each with
    dot leaders or spaces and a page number, all noise: the tables are printed further on."""
    leader = rng.choice(("…", ".", " ", "·"))
    page = rng.randint(1, 2)
    out: List[Line] = [[(rng.choice(("目录", "目  录", "目 录")), "noise")], []] if rng.random() < 0.8 else []
    for kind, text in blocks:
        if kind == "heading":
            fill = leader * rng.randint(4, 30) if leader != " " else " " * rng.randint(1, 12)
            out.append([(text, "noise"), (fill, None if leader == " " else "noise"), (str(page), "noise")])
            page += rng.randint(0, 2)
    return out + [[]]


def _is_title(blocks: List[Tuple[str, str]], k: int) -> bool:
    """Whether block ``k`` is a table's title: the heading right before the table."""
    return blocks[k][0] == "heading" and k + 1 < len(blocks) and blocks[k + 1][0] == "table"


def _assemble(lines: List[Line]) -> Tuple[str, list]:
    """Join lines into text and the spans of their visible segments."""
    parts: List[str] = []
    spans: list = []
    pos = -1
    for line in lines:
        parts.append("\n")
        pos += 1
        for text, tag in line:
            if not text:
                continue
            if not (tag is None and text.isspace()):
                core = text.strip()
                if core:
                    a = pos + text.index(core[0])
                    spans.append((a, a + len(core), tag or "noise"))
            parts.append(text)
            pos += len(text)
    return "".join(parts)[1:], spans


@lru_cache(maxsize=1)
def _s2t_table() -> dict:
    """Character-by-character simplified -> traditional map from OpenCC's STCharacters.txt."""
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "STCharacters.txt")
    table = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and len(parts[0]) == 1:
                first = parts[1].split(" ")[0]
                if len(first) == 1 and first != parts[0]:
                    table[ord(parts[0])] = first
    return table


def _slip(text: str, spans: list, rng: random.Random) -> str:
    """OCR slips outside cells, mostly in labels (one character for one, so offsets hold)."""
    chars = list(text)
    strength = rng.uniform(0.5, 1.5)
    for a, b, tag in spans:
        if tag == "cell":
            continue
        rate = strength * {"label": 0.1, "heading": 0.03, "noise": 0.04}[tag]
        for i in range(a, b):
            if chars[i] in OCR_SLIPS and rng.random() < rate:
                chars[i] = OCR_SLIPS[chars[i]]
    return "".join(chars)


def _finish(report: SynthReport, lines: List[Line], st: Style, rng: random.Random,
            name: str, base: str) -> Rendered:
    text, spans = _assemble(lines)
    if st.slips:
        text = _slip(text, spans, rng)
    if st.halfwidth:
        text = text.translate(HALFWIDTH)
    if st.traditional:
        text = text.translate(_s2t_table())
    if st.collapsed:
        text = text.replace("\n", " ")
    cells = dict(report.cells)
    for k in st.dropped:
        cells[k] = None
    notes = (f"renderer={name} base={base} template={report.template} layout={report.other_layout} "
             f"scale={report.meta.get('scale')} identities_broken={report.meta.get('identities_broken')} "
             f"dropped={len(st.dropped)}")
    return Rendered(text=text, spans=spans, truth={"template": report.template, "cells": cells, "notes": notes},
                    renderer=name)


# ---------------------------------------------------------------- row-by-row table renderers

def _pipe_table(grid: Grid, rng: random.Random, st: Style) -> List[Line]:
    """``规章 | 0 | 0 | 0 |`` rows, '|' tails for spanned columns (seeds 001/003)."""
    tail = rng.random() < 0.85
    out: List[Line] = []
    for gr in grid.rows:
        real = [c for c in gr.cells if c.tag]
        line: Line = []
        for i, c in enumerate(real):
            line.append((_header_text(c, st, " "), c.tag))
            line.append((" |" if i == len(real) - 1 else " | ", None))
        pad = grid.ncols - len(real)
        if tail and pad > 0:
            line.append((" " + "|" * pad, None))
        out.append(line)
    return out


def _cell_per_line_table(grid: Grid, rng: random.Random, st: Style) -> List[Line]:
    """One cell per line ending in ' |', '|||' lines for spanned columns (seed 000)."""
    out: List[Line] = []
    for gr in grid.rows:
        real = [c for c in gr.cells if c.tag]
        for c in real:
            out.append([(_header_text(c, st, " "), c.tag), (" |", None)])
        pad = grid.ncols - len(real)
        if pad > 0:
            out.append([("|" * pad, None)])
    if out and rng.random() < 0.5:
        out[-1] = out[-1][:1]  # the table's very last cell often has no pipe
    return out


def _nbsp_pad(text: str, rng: random.Random) -> str:
    if not text:
        return text
    return rng.choice(("\u3000\u3000{}", "\xa0\u3000{}", "\xa0{}", "{}\xa0", "{}", "\u3000{}")).format(text)


def _docx_table(grid: Grid, rng: random.Random, st: Style) -> List[Line]:
    """DOCX dump: tab-led cells one per line, blank line between rows, NBSP padding (seed 002)."""
    out: List[Line] = []
    for gr in grid.rows:
        for c in gr.cells:
            if c.tag is None:
                out.append([("\t", None)])
            elif c.tag == "cell":
                out.append([("\t", None), (_nbsp_pad(c.text, rng), "cell")])
            else:
                how = "split" if gr.kind == "header" and rng.random() < 0.7 else None
                out.append([("\t", None), (_header_text(c, st, "\n", how), c.tag)])
        out.append([])
    out.append([])
    return out


def _blank_lines_table(grid: Grid, rng: random.Random, st: Style) -> List[Line]:
    """Cell per line with blank and NBSP-only lines between, labels split over lines (seed 004)."""
    out: List[Line] = []
    for gr in grid.rows:
        for c in gr.cells:
            if c.tag is None:
                continue
            if c.tag == "label" and len(c.text) > 8 and rng.random() < 0.12:
                cut = rng.randint(3, len(c.text) - 3)
                out += [[(c.text[:cut], "label")], [(c.text[cut:], "label")]]
            else:
                out.append([(c.text, c.tag)])
            out.append([])
        if rng.random() < 0.12:
            out += [[("\xa0", None)], []] * rng.randint(1, 6)
    return out


def _slots(gr: GRow, ncols: int) -> List[Tuple[Optional[GCell], int, int]]:
    """The row as (cell or None, first column, span) slots covering every column once."""
    out: List[Tuple[Optional[GCell], int, int]] = []
    col = 0
    for c in sorted(gr.cells, key=lambda c: c.col):
        if c.col < col:
            continue
        out += [(None, j, 1) for j in range(col, c.col)]
        span = min(c.span, ncols - c.col)
        out.append((c if c.tag else None, c.col, span))
        col = c.col + span
    return out + [(None, j, 1) for j in range(col, ncols)]


def _matrix(gr: GRow, ncols: int) -> List[Optional[GCell]]:
    """The row as ``ncols`` slots: a cell at its first column, None elsewhere (spans flattened)."""
    slots: List[Optional[GCell]] = [None] * ncols
    for c, col, _ in _slots(gr, ncols):
        slots[col] = c
    return slots


def _markdown_table(grid: Grid, rng: random.Random, st: Style) -> List[Line]:
    """Markdown pipe table, the first grid row as its header."""
    out: List[Line] = [[]]
    for i, gr in enumerate(grid.rows):
        line: Line = [("|", None)]
        for c in _matrix(gr, grid.ncols):
            line += [(" ", None), (_header_text(c, st, " ") if c else "", c.tag if c else None), (" |", None)]
        out.append(line)
        if i == 0:
            out.append([("|" + "|".join(["---"] * grid.ncols) + "|", None)])
    out.append([])
    return out


def _tabs_table(grid: Grid, rng: random.Random, st: Style) -> List[Line]:
    """Tab-separated rows, empty fields for covered cells."""
    out: List[Line] = []
    for gr in grid.rows:
        line: Line = []
        for i, c in enumerate(gr.cells):
            if i:
                line.append(("\t", None))
            line.append((c.text if c.tag else "", c.tag))
        out.append(line)
    return out


def _fused_table(grid: Grid, rng: random.Random, st: Style) -> List[Line]:
    """Every separator gone: ``规章000``, ``三、本年度办理结果（一）予以公开4000004``."""
    return [[(c.text, c.tag) for c in gr.cells if c.tag] for gr in grid.rows]


def _html_table(grid: Grid, rng: random.Random, st: Style) -> List[Line]:
    """HTML table as text browsers print it: w3m box drawing, pandoc grid or html2text pipes."""
    kind = rng.choice(("box", "grid", "html2text"))
    if kind == "html2text":
        out: List[Line] = []
        for i, gr in enumerate(grid.rows):
            line: Line = []
            for j, c in enumerate(_matrix(gr, grid.ncols)):
                line += [(" | " if j else "", None), (c.text if c else "", c.tag if c else None)]
            out.append(line)
            if i == 0:
                out.append([("|".join(["---"] * grid.ncols), None)])
        return out
    cap = [rng.randint(14, 24) if j < max(1, grid.nlabel) else rng.randint(6, 12) for j in range(grid.ncols)]
    width = [2] * grid.ncols
    for gr in grid.rows:
        for c, col, span in _slots(gr, grid.ncols):
            if c and span == 1:
                width[col] = max(width[col], min(cap[col], max([0] + [_width(t) for t in _wrap(c.text, cap[col])])))
    box = kind == "box"
    gap = 1 if box else 3  # what a column boundary takes inside a merged cell
    if box:
        rule = lambda l, m, r: [(l + m.join("─" * w for w in width) + r, None)]  # noqa: E731
        top, mid, bot = rule("┌", "┬", "┐"), rule("├", "┼", "┤"), rule("└", "┴", "┘")
        lead, inner, end = "│", "│", "│"
    else:
        top = mid = bot = [("+" + "+".join("-" * (w + 2) for w in width) + "+", None)]
        lead, inner, end = "| ", " | ", " |"
    out = [top]
    for i, gr in enumerate(grid.rows):
        slots = [(c, sum(width[col:col + span]) + gap * (span - 1)) for c, col, span in _slots(gr, grid.ncols)]
        wrapped = [_wrap(c.text, w) if c and c.text else [""] for c, w in slots]
        for k in range(max(len(w) for w in wrapped)):
            line = [(lead, None)]
            for j, ((c, w), chunks) in enumerate(zip(slots, wrapped)):
                piece = chunks[k] if k < len(chunks) else ""
                line += [(piece, c.tag if c else None), (" " * (w - _width(piece)), None),
                         (inner if j < len(slots) - 1 else end, None)]
            out.append(line)
        out.append(mid if i < len(grid.rows) - 1 else bot)
    return out


# ---------------------------------------------------------------- PDF-like renderers

Piece = Tuple[int, int, str, str]  # x (display column), grid column, text, tag


@dataclass
class _PdfOpts:
    """How a PDF extractor broke this document."""

    mode: str                 # layout | plumber | md
    row_gap: int              # blank lines between table rows
    parent_mode: str          # vertical | spaced | wrap: the 三、本年度办理结果 column
    values_apart: float       # chance the values of a wrapped row sit on their own line
    values_first: float       # chance the values of a one-line row come before the label
    inner_space: float        # chance of a stray space inside a label or header fragment
    heads: Tuple[str, ...] = ()  # running head lines printed at every page break (agency, title)


def _pdf_geometry(grid: Grid, rng: random.Random) -> Tuple[List[int], List[int]]:
    if grid.table == "requests":
        w = [rng.randint(4, 6), rng.randint(8, 10), rng.randint(24, 30)]
        w += [rng.randint(6, 10)] * (grid.ncols - 3)
    elif grid.table == "active":
        w = [rng.randint(16, 22)] + [rng.randint(12, 16)] * (grid.ncols - 1)
    else:
        w = [rng.randint(5, 7)] * grid.ncols
    x = [0]
    for v in w[:-1]:
        x.append(x[-1] + v + 1)
    return x, w


def _spaced(text: str, rng: random.Random, rate: float) -> str:
    """pdftotext's stray spaces between wide-set characters: ``只计这一情 形``."""
    if len(text) < 3 or rng.random() >= rate:
        return text
    i = rng.randint(1, len(text) - 1)
    return text[:i] + " " + text[i:]


def _pdf_table(grid: Grid, rng: random.Random, o: _PdfOpts) -> List[List[Piece]]:
    """Lay a grid out as lines of positioned pieces, as a PDF text extractor sees it."""
    gx, gw = _pdf_geometry(grid, rng)
    span_w = lambda c: sum(gw[c.col:c.col + c.span]) + c.span - 1  # noqa: E731
    centre = lambda c, t: gx[c.col] + max(0, (span_w(c) - _width(t)) // 2)  # noqa: E731
    per_row: List[List[List[Piece]]] = []
    for gr in grid.rows:
        own = [c for c in gr.cells if c.tag and c.rowspan == 1]
        if gr.kind == "data":
            labels = [c for c in own if c.tag == "label"]
            vals = [(centre(c, c.text), c.col, c.text, "cell") for c in own if c.tag == "cell" and c.text]
            if labels:
                lab, first = labels[-1], [(gx[c.col], c.col, c.text, "label") for c in labels[:-1]]
                chunks = [_spaced(t, rng, o.inner_space) for t in _wrap(lab.text, span_w(lab) - 1)]
                lines = _pdf_row_lines([(gx[lab.col] + rng.randint(0, 1), lab.col, t, "label") for t in chunks],
                                       vals, rng, o, first)
            else:  # table 四's value row
                lines = [vals]
        else:  # group heading or header row: every cell centred in its columns, wrapped to fit
            chunks = [(c, [_spaced(t, rng, o.inner_space) for t in _wrap(c.text, max(4, span_w(c) - 1))])
                      for c in own]
            lines = [[] for _ in range(max([1] + [len(ch) for _, ch in chunks]))]
            for c, ch in chunks:
                top = (len(lines) - len(ch)) // 2
                for i, t in enumerate(ch):
                    x = 0 if gr.kind == "group" and rng.random() < 0.3 else centre(c, t)
                    lines[top + i].append((x, c.col, t, c.tag))
        per_row.append(lines + [[] for _ in range(o.row_gap)])
    offsets = [0]
    for lines in per_row:
        offsets.append(offsets[-1] + len(lines))
    flat = [ln for lines in per_row for ln in lines]
    tall = [(offsets[r], offsets[min(len(grid.rows), r + c.rowspan)], c, gr.kind == "data")
            for r, gr in enumerate(grid.rows) for c in gr.cells if c.tag and c.rowspan > 1]
    for a, b, c, is_parent in reversed(tall):  # parents, tall headers; bottom-up so insertions are safe
        _place_tall(c, flat, a, b, gx[c.col], span_w(c), is_parent, rng, o)
    return flat


def _pdf_row_lines(label: List[Piece], vals: List[Piece], rng: random.Random, o: _PdfOpts,
                   first: List[Piece]) -> List[List[Piece]]:
    """A data row's lines: its (wrapped) label, with the values inline, between or before."""
    lines = [[p] for p in label]
    lines[0] = first + lines[0]
    if not vals:
        return lines
    k = len(lines)
    if k > 1 and rng.random() < o.values_apart:  # values on a line of their own
        lines.insert(rng.randint(1, k) if o.mode == "layout" else rng.randint(0, k - 1), vals)
    elif k == 1 and rng.random() < o.values_first:  # pdfplumber: values above a lower-set label
        lines.insert(0, vals)
    else:
        lines[0 if o.mode == "layout" and rng.random() < 0.5 else rng.randint(0, k - 1)] += vals
    return lines


def _place_tall(c: GCell, flat: List[List[Piece]], a: int, b: int, x: int, width: int,
                is_parent: bool, rng: random.Random, o: _PdfOpts) -> None:
    avail = max(1, b - a)
    mode = (o.parent_mode if c.col == 0 else rng.choice(("wrap", "wrap", "spaced"))) if is_parent else "wrap"
    if mode == "vertical":
        chunks = _wrap(c.text, 2)
    elif mode == "spaced":
        chunks = [" ".join(_wrap(c.text, rng.choice((2, 4))))]
    else:
        chunks = _wrap(c.text, max(4, width - 1))
    if len(chunks) > avail:
        size = math.ceil(len(c.text) / avail)
        chunks = [c.text[i:i + size] for i in range(0, len(c.text), size)]
    n = len(chunks)
    for i, t in enumerate(chunks):
        if mode == "vertical":
            at = a + int((i + 0.5) * avail / n)
            px = x
        else:
            at = a + (avail - n) // 2 + i
            px = x if is_parent else x + max(0, (width - _width(t)) // 2)
        at = min(at, b - 1)
        if is_parent and flat[at] and _width(t) > width + 1:  # too wide to share a row's line
            flat.insert(at, [(px, c.col, t, c.tag)])
        else:
            flat[at].append((px, c.col, t, c.tag))


def _join_layout(pieces: List[Piece], indent: int) -> Line:
    line: Line = []
    cur = 0
    for x, _, t, tag in sorted(pieces):
        x += indent
        gap = x - cur if x > cur else (1 if cur else 0)
        line += [(" " * gap, None), (t, tag)]
        cur += gap + _width(t)
    return line


def _join_plumber(pieces: List[Piece]) -> Line:
    line: Line = []
    for i, (_, _, t, tag) in enumerate(sorted(pieces)):
        line += [(" " if i else "", None), (t, tag)]
    return line


def _join_md(pieces: List[Piece], ncols: int) -> Line:
    slots: List[List[Piece]] = [[] for _ in range(ncols)]
    for p in sorted(pieces):
        slots[min(p[1], ncols - 1)].append(p)
    line: Line = [("|", None)]
    for s in slots:
        for i, (_, _, t, tag) in enumerate(s):
            line += [(" " if i else "", None), (t, tag)]
        line.append(("|", None))
    return line


def _pdf_prose(o: _PdfOpts, rng: random.Random) -> Callable[[Tuple[str, str]], List[Line]]:
    """PDF prose: wrapped paragraphs (layout/plumber) or whole paragraphs (md)."""
    width = rng.randint(28, 34) * 2
    spaced_numbers = rng.random() < 0.6
    indent = "   " if o.mode == "layout" else ""

    def fmt(block):
        kind, text = block
        tag = _tag(kind)
        if o.mode == "md":
            mark = "## " if kind == "heading" and rng.random() < 0.5 else ""
            return [[(mark, None), (text, tag)], []]
        if kind in ("title", "sign"):
            pad = " " * (rng.randint(6, 20) if o.mode == "layout" else 0)
            return [[(pad, None), (text, tag)]]
        if spaced_numbers and kind == "para":
            text = re.sub(r"\s*(\d+(?:\.\d+)?)\s*", r" \1 ", text)
        chunks = _wrap(text, width)
        return [[(indent if i == 0 else "", None), (t, tag)] for i, t in enumerate(chunks)]
    return fmt


def _running_heads(report: SynthReport, rng: random.Random) -> Tuple[str, ...]:
    """The running head a PDF prints on each page: the agency, the report's title, or both."""
    title = f"{report.year}年{rng.choice(('', '度'))}政府信息公开工作年度报告"
    return rng.choice(((report.agency,), (title,), (report.agency, title), (report.agency + " " + title,)))


def _paginate(lines: List[Line], rng: random.Random, o: _PdfOpts) -> List[Line]:
    """Insert page-number lines every page's worth of lines, tables included."""
    every = rng.randint(34, 46) if o.mode == "layout" else rng.randint(26, 38)
    form = rng.choice(("-{}-", "- {} -", "— {} —", "第 {} 页"))
    out: List[Line] = []
    page = 1
    for i, line in enumerate(lines):
        out.append(line)
        if (i + 1) % every == 0:
            pad = " " * rng.randint(20, 44) if o.mode == "layout" else ""
            out.append([(pad, None), (form.format(page), "noise")])
            out += [[(pad, None), (head, "noise")] for head in o.heads]
            if o.mode == "md" and line and line[0][0] == "|":
                ncols = sum(1 for t, _ in line if t == "|") - 1
                out.append([("|" + "|".join(["---"] * max(1, ncols)) + "|", None)])
            page += 1
    out.append([(" " * (30 if o.mode == "layout" else 0), None), (form.format(page), "noise")])
    return out


def _pdf_renderer(mode: str) -> Callable[[SynthReport, random.Random, Style], List[Line]]:
    def base(report: SynthReport, rng: random.Random, st: Style) -> List[Line]:
        o = _PdfOpts(mode=mode, row_gap=rng.choice((0, 0, 1)) if mode == "layout" else 0,
                     parent_mode=rng.choice(("vertical", "vertical", "spaced", "wrap")),
                     values_apart=0.4 if mode == "layout" else 0.6,
                     values_first=0.0 if mode == "layout" else 0.15,
                     inner_space=0.1, heads=_running_heads(report, rng) if st.page_heads else ())
        indent = rng.choice((0, 0, 2, 5))

        def table(grid: Grid, rng: random.Random, st: Style) -> List[Line]:
            rows = _pdf_table(grid, rng, o)
            if mode == "layout":
                return [[]] + [_join_layout(p, indent) for p in rows] + [[]]
            if mode == "plumber":
                return [_join_plumber(p) for p in rows if p]
            lines = [_join_md(p, grid.ncols) for p in rows if p]
            lines.insert(1, [("|" + "|".join(["---"] * grid.ncols) + "|", None)])
            if rng.random() < 0.3:  # a stray rule where the extractor thought a new table began
                lines.insert(rng.randint(2, len(lines)), [("|---|---|", None)])
            return [[]] + lines + [[]]
        return _paginate(_compose(report, rng, st, table, _pdf_prose(o, rng)), rng, o)
    return base


# ---------------------------------------------------------------- renderer registry

def _rows_renderer(table_fn: TableFn, blank_prose: Optional[bool] = None):
    def base(report: SynthReport, rng: random.Random, st: Style) -> List[Line]:
        blank = rng.random() < 0.3 if blank_prose is None else blank_prose
        return _compose(report, rng, st, table_fn, _prose_lines(blank))
    return base


def _docx_base(report: SynthReport, rng: random.Random, st: Style) -> List[Line]:
    lines = _compose(report, rng, st, _docx_table, _prose_lines(rng.random() < 0.5))
    return [[]] + lines


BASES: Dict[str, Callable[[SynthReport, random.Random, Style], List[Line]]] = {
    "pipe": _rows_renderer(_pipe_table),
    "cell_per_line": _rows_renderer(_cell_per_line_table),
    "docx": _docx_base,
    "blank_lines": _rows_renderer(_blank_lines_table, blank_prose=True),
    "markdown": _rows_renderer(_markdown_table, blank_prose=True),
    "tabs": _rows_renderer(_tabs_table),
    "pdf_layout": _pdf_renderer("layout"),
    "pdf_plumber": _pdf_renderer("plumber"),
    "pdf_md": _pdf_renderer("md"),
    "fused": _rows_renderer(_fused_table),
    "html_text": _rows_renderer(_html_table),
}
_WEB = ("pipe", "cell_per_line", "docx", "blank_lines", "markdown", "tabs", "html_text")
_PDF = ("pdf_layout", "pdf_plumber", "pdf_md")

# modifier renderer -> (bases it draws from, the Style fields it sets for a document)
MODIFIERS: Dict[str, Tuple[Tuple[str, ...], Callable[[random.Random], dict]]] = {
    "traditional": (("pipe", "pipe", "cell_per_line", "docx", "tabs", "markdown", "pdf_plumber", "pdf_layout"),
                    lambda rng: {"traditional": True}),
    "dropped_blanks": (("pipe", "tabs", "cell_per_line", "docx", "markdown", "html_text", "pdf_layout",
                        "pdf_plumber"), lambda rng: {"drop_blanks": rng.choice((1.0, 0.6))}),
    "extra_column": (_WEB + _PDF, lambda rng: {"extra_column": True}),
    "ocr_slips": (("pipe", "cell_per_line", "tabs", "blank_lines", "pdf_layout", "pdf_plumber"),
                  lambda rng: {"slips": True}),
    "collapsed": (_WEB + _PDF, lambda rng: {"collapsed": True}),
    "untitled": (_WEB + _PDF, lambda rng: {"untitled": rng.choice((1.0, 0.6))}),
    "page_heads": (_PDF, lambda rng: {"page_heads": True}),
    "toc": (_WEB + _PDF, lambda rng: {"toc": True}),
}


def _style(rng: random.Random, base: str, fields: Callable[[random.Random], dict]) -> Style:
    aligned = base in _PDF or base == "html_text"  # half-width punctuation would break their columns
    st = Style(halfwidth=not aligned and rng.random() < 0.35,
               header_split=rng.choices(("whole", "split", "cut"), weights=(0.6, 0.3, 0.1))[0])
    return replace(st, **fields(rng))


def _make(name: str) -> Callable[[SynthReport, random.Random], Rendered]:
    def run(report: SynthReport, rng: random.Random) -> Rendered:
        bases, fields = MODIFIERS.get(name, ((name,), lambda rng: {}))
        base = rng.choice(bases)
        st = _style(rng, base, fields)
        return _finish(report, BASES[base](report, rng, st), st, rng, name, base)
    run.__name__ = f"render_{name}"
    run.__doc__ = f"Render a report with the {name!r} breakage."
    return run


RENDERERS: Dict[str, Callable[[SynthReport, random.Random], Rendered]] = {
    name: _make(name) for name in list(BASES) + list(MODIFIERS)}


def render(report: SynthReport, renderer: str, rng: random.Random) -> Rendered:
    """Render ``report`` as text broken the way ``renderer`` breaks it."""
    if renderer not in RENDERERS:
        raise KeyError(f"unknown renderer {renderer!r}; known: {sorted(RENDERERS)}")
    return RENDERERS[renderer](report, rng)
