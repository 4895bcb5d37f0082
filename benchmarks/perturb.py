"""Robustness on real reports: the labelled real texts broken further in ways real copies break.

Each perturbation rewrites a text without changing its truth (a zero printed as a dash or
left empty still scores as zero, see ../shared/spec/README.md); the script parses every
perturbed text and prints, per perturbation and method, how many texts stay exact and how many
cells go wrong, beside the unperturbed figures. ``volume`` concatenates all texts of a folder
and reads them back with ``gxml.parse_all`` (ml) one report each.

    python benchmarks/perturb.py                      # ../shared/seeds and ../shared/dev, ml
    python benchmarks/perturb.py DIR --methods ml,rules --only zero_dash,doubled --json out.json
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional

import gxml
from gxml.bench import same
from gxml.dataset import iter_labelled

ROOT = Path(__file__).resolve().parents[1]
_ALONE = r"(?:(?<=\s)|(?<=\|)|^){}(?=[ \t]|\||$)"  # a cell: {} alone between separators
_ZERO = re.compile(_ALONE.format("0"), re.M)
_CELL = re.compile(_ALONE.format(r"\d+"), re.M)
_COUNT = re.compile(_ALONE.format(r"(?<![-—–] )\d+(?! [-—–])"), re.M)  # a cell, not a page's - 3 -
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
_PAGE_AT = (0.4, 0.6, 0.8)  # where page breaks fall, as shares of the lines


def _breaks(extra: List[str]) -> Callable[[str], str]:
    """Insert ``extra`` lines (page furniture) at :data:`_PAGE_AT` of the text."""
    def insert(text: str) -> str:
        lines = text.split("\n")
        at = {int(len(lines) * f) for f in _PAGE_AT}
        return "\n".join(x for k, line in enumerate(lines) for x in [line] + (extra if k in at else []))
    return insert


_VARIANTS = (("本年新收政府信息公开申请数量", "本年度新收到政府信息公开申请数量"),
             ("上年结转政府信息公开申请数量", "上年度结转政府信息公开申请数量"),
             ("结转下年度继续办理", "结转下一年度继续办理"), ("行政规范性文件", "规范性文件"),
             ("属于国家秘密", "涉及国家秘密"), ("本机关不掌握相关政府信息", "本机关不掌握相关信息"))


def _variants(text: str) -> str:
    for printed, other in _VARIANTS:
        text = text.replace(printed, other)
    return text


def _untitled(text: str) -> str:
    """The lines that print a table's title (二、主动公开政府信息情况) left empty."""
    from gxml.labels import label_key
    from gxml.templates import get_template

    titles = {label_key(t) for name in ("2019", "2021") for t in get_template(name).titles.values()}
    return "\n".join("" if label_key(line) in titles else line for line in text.split("\n"))


def _ocr_digits(text: str) -> str:
    """Cell digits misread by OCR: a 0 as O, a 1 as l, each with chance 0.4 (seeded)."""
    import random

    rng = random.Random(7)
    slip = {"0": "O", "1": "l"}
    return _CELL.sub(lambda m: "".join(slip[c] if c in slip and rng.random() < 0.4 else c
                                       for c in m.group(0)), text)


# a table of contents before the report: the section headings (the tables' titles among them)
# each with a page number, as a PDF's first page prints them
_CONTENTS = ("目录\n一、总体情况 1\n二、主动公开政府信息情况 3\n三、收到和处理政府信息公开申请情况 4\n"
             "四、政府信息公开行政复议、行政诉讼情况 6\n五、存在的主要问题及改进情况 7\n六、其他需要报告的事项 8\n\n")


def _csv_quoted(text: str) -> str:
    """Every row cut by pipes or tabs printed as a CSV record, each cell quoted (``"规章","0"``)."""
    rows = []
    for line in text.split("\n"):
        cells = [c.strip() for c in re.split(r"[|\t]", line)]
        rows.append(",".join(f'"{c}"' for c in cells if c) if len(cells) > 1 else line)
    return "\n".join(rows)


def _csv_plain(text: str) -> str:
    """Every row cut by pipes or tabs printed as a spreadsheet saves it as CSV: commas between
    the cells, empty cells kept as empty fields, every row padded with commas to the sheet's
    width, quotes only around a cell with a comma (a line of one cell, as text with a cell a
    line prints them, is left as it is)."""
    lines = text.split("\n")
    rows = {}
    for k, line in enumerate(lines):
        cells = [c.strip() for c in re.split(r"[|\t]", line.strip())]
        if sum(map(bool, cells)) >= 2:
            rows[k] = [f'"{c}"' if "," in c else c for c in cells]
    width = max(map(len, rows.values()), default=0)
    for k, cells in rows.items():
        lines[k] = ",".join(cells + [""] * (width - len(cells)))
    return "\n".join(lines)


def _row_cells(line: str) -> Optional[List[str]]:
    """The cells of a row cut by pipes or tabs (two cells or more that are not empty), else None."""
    cells = [c.strip() for c in re.split(r"[|\t]", line.strip())]
    if line.strip().startswith("|"):
        cells = cells[1:]
    if line.strip().endswith("|"):
        cells = cells[:-1]
    return cells if sum(map(bool, cells)) >= 2 else None


def _frames(write: Callable[[List[List[str]]], List[str]]) -> Callable[[str], str]:
    """A perturbation printing each run of rows cut by pipes or tabs as a crawler prints the
    DataFrame ``pandas.read_html`` makes of the table: padded to its widest row, with an index
    column and a header line of column numbers, by ``write`` (rows -> lines)."""
    def perturb(text: str) -> str:
        lines, out, k = text.split("\n"), [], 0
        while k < len(lines):
            rows = []
            while k < len(lines) and _row_cells(lines[k]):
                rows.append(_row_cells(lines[k]))
                k += 1
            if rows:
                width = max(map(len, rows))
                out += write([r + [""] * (width - len(r)) for r in rows])
            else:
                out.append(lines[k])
                k += 1
        return "\n".join(out)
    return perturb


def _frame_csv(rows: List[List[str]]) -> List[str]:
    """``DataFrame.to_csv()``: a header of column numbers, the index first, quotes where needed."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([""] + list(range(len(rows[0]))))
    w.writerows([i] + r for i, r in enumerate(rows))
    return buf.getvalue().rstrip("\n").split("\n")


def _frame_markdown(rows: List[List[str]]) -> List[str]:
    """``DataFrame.to_markdown()``: a pipe table with the index column, ``nan`` for empty cells."""
    head = "|    | " + " | ".join(map(str, range(len(rows[0])))) + " |"
    align = "|---:|" + "|".join(":----" for _ in rows[0]) + "|"
    return [head, align] + [f"| {i:2d} | " + " | ".join(c or "nan" for c in r) + " |" for i, r in enumerate(rows)]


def _frame_string(rows: List[List[str]]) -> List[str]:
    """``DataFrame.to_string()``: columns right-justified to widths counted by ``len()`` (CJK
    text misaligned), the index left-justified, ``NaN`` for empty cells."""
    rows = [[c or "NaN" for c in r] for r in rows]
    iw = len(str(len(rows) - 1))
    widths = [max(len(str(j)), *(len(r[j]) for r in rows)) for j in range(len(rows[0]))]
    out = [" " * iw + "".join("  " + str(j).rjust(w) for j, w in enumerate(widths))]
    return out + [str(i).ljust(iw) + "".join("  " + c.rjust(w) for c, w in zip(r, widths)) for i, r in enumerate(rows)]


def _html_source(text: str) -> str:
    """The page source a site serves, passed as text: rows cut by pipes or tabs as ``<tr>``
    of ``<td>`` cells, every other line a ``<p>`` (its runs of spaces kept as ``&nbsp;``)."""
    import html

    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\"><title>年度报告</title></head><body>"]
    in_table = False
    for line in text.split("\n"):
        cells = [c.strip() for c in re.split(r"[|\t]", line)]
        row = len([c for c in cells if c]) > 1
        if row != in_table:
            out.append("<table border=\"1\">" if row else "</table>")
            in_table = row
        if row:
            out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells if c) + "</tr>")
        else:
            out.append("<p>" + html.escape(line).replace("  ", "&nbsp; ") + "</p>")
    return "\n".join(out + ["</table>" if in_table else "", "</body></html>"])


def _radicals(text: str) -> str:
    """Every character a CJK radical stands for printed as that radical (``⾏政``, ``部⻔``), as
    pdftotext prints PDFs whose fonts map characters so."""
    from gxml.normalize import RADICALS

    return text.translate({ord(c): r for r, c in RADICALS.items()})


def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


PERTURBATIONS: Dict[str, Callable[[str], str]] = {
    "none": lambda t: t,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "fullwidth_digits": lambda t: t.translate(_FULL),
    "nbsp": lambda t: t.replace(" ", "\u00a0"),
    "pipes_to_tabs": lambda t: t.replace("|", "\t"),
    "csv_quoted": _csv_quoted,
    "csv_plain": _csv_plain,
    "html_source": _html_source,
    "frame_csv": _frames(_frame_csv),  # a crawler's pandas.read_html(page)[k].to_csv()
    "frame_markdown": _frames(_frame_markdown),
    "frame_string": _frames(_frame_string),
    "no_blank_lines": lambda t: re.sub(r"\n\s*\n", "\n", t),
    "double_spaced": lambda t: t.replace("\n", "\n\n"),
    "traditional": _traditional,
    "radicals": _radicals,
    "indented": lambda t: "\n".join("   " + line for line in t.split("\n")),
    "thousands": lambda t: re.sub(r"(?<![\d.,])(\d{1,3})(\d{3})(?![\d.年])", r"\1,\2", t),
    "page_breaks": _breaks(["", "- 3 -", "\f"]),
    "running_heads": _breaks(["", "第 2 页 共 6 页", "\f某某区人民政府办公室", "2023年度政府信息公开工作年度报告", ""]),
    "label_variants": _variants,
    "no_titles": _untitled,
    "contents": lambda t: _CONTENTS + t,  # the titles were images, or the copy starts at the tables
    "units": lambda t: _COUNT.sub(r"\g<0>件", t),  # every cell prints its unit: 5件
    "units_bracketed": lambda t: _COUNT.sub(r"\g<0>（件）", t),  # ... in brackets: 5（件）
    "units_apart": lambda t: _COUNT.sub(r"\g<0> 件", t),  # ... after a space: 5 件
    "zero_dash": lambda t: _ZERO.sub("—", t),
    "zero_double_dash": lambda t: _ZERO.sub("——", t),
    "zero_bar": lambda t: _ZERO.sub("――", t),  # the em dash as GBK fonts print it (U+2015)
    "zero_slash": lambda t: _ZERO.sub("/", t),
    "zero_wu": lambda t: _ZERO.sub("无", t),
    "zero_zanwu": lambda t: _ZERO.sub("暂无", t),  # 'none yet'
    "zero_blank": lambda t: _ZERO.sub(" ", t),  # printed empty: spaces where it stood
    "zero_letter_o": lambda t: _ZERO.sub("O", t),  # OCR read the zeros as the letter O
    "zero_ling": lambda t: _ZERO.sub("零", t),
    "ocr_digits": _ocr_digits,
    "doubled": lambda t: t + "\n\n附件：\n" + t,
    "one_line": lambda t: re.sub(r"\s*\n\s*", " ", t),  # a page scraped to one paragraph
    "one_line_zero_dash": lambda t: PERTURBATIONS["one_line"](_ZERO.sub("—", t)),
    "running_heads_zero_wu": lambda t: _ZERO.sub("无", PERTURBATIONS["running_heads"](t)),
}


def wrong_cells(rep, truth: dict) -> Optional[int]:
    """Cells ``rep`` gets wrong (None for a wrong template)."""
    if rep.template != truth.get("template"):
        return None
    return sum(not same(rep.cells.get(k), v) for k, v in truth["cells"].items())


def run(dirs: List[str], methods: List[str], names: List[str]) -> List[dict]:
    """Per perturbation and method: texts exact, cells wrong, the texts not exact."""
    labelled = [lab for d in dirs for lab in iter_labelled(d) if lab.path.suffix in (".txt", ".md")]
    texts = [(lab.path.name, lab.path.read_text(encoding="utf-8"), lab.truth) for lab in labelled]
    out = []
    for name in names:
        for method in methods:
            if name == "volume":
                out.append(_volume(texts, method))
                continue
            wrong = {fn: wrong_cells(gxml.parse(PERTURBATIONS[name](text), method=method), truth)
                     for fn, text, truth in texts}
            out.append(_row(name, method, wrong))
    return out


def _volume(texts, method: str) -> dict:
    """All texts in one file, read back one report each (ml: parse_all; rules: one report)."""
    reps = gxml.parse_all("\n\n".join(text for _, text, _ in texts), method=method)
    wrong = {fn: (wrong_cells(reps[k], truth) if k < len(reps) else None)
             for k, (fn, _, truth) in enumerate(texts)}
    return _row("volume", method, wrong, reports=len(reps))


def _row(name: str, method: str, wrong: Dict[str, Optional[int]], **extra) -> dict:
    return {"perturbation": name, "method": method, "texts": len(wrong),
            "exact": sum(w == 0 for w in wrong.values()),
            "wrong_cells": sum(w for w in wrong.values() if w is not None),
            "wrong_template": sum(w is None for w in wrong.values()),
            "inexact": {fn: w for fn, w in wrong.items() if w != 0}, **extra}


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", help="labelled folders (default: ../shared/seeds ../shared/dev)")
    ap.add_argument("--methods", default="ml", help="comma-separated: ml, rules")
    ap.add_argument("--only", help="comma-separated perturbations (default: all, and volume)")
    ap.add_argument("--json", metavar="OUT", help="write the rows as JSON")
    a = ap.parse_args(argv)
    dirs = a.dirs or [str(ROOT.parent / "shared" / d) for d in ("seeds", "dev")]
    missing = [d for d in dirs if not Path(d).is_dir()]
    if missing:
        print(f"perturb: no folder {', '.join(missing)}", file=sys.stderr)
        return 2
    names = a.only.split(",") if a.only else list(PERTURBATIONS) + ["volume"]
    unknown = [n for n in names if n not in PERTURBATIONS and n != "volume"]
    if unknown:
        print(f"perturb: unknown perturbation {', '.join(unknown)}; choose from {', '.join(PERTURBATIONS)}, volume",
              file=sys.stderr)
        return 2
    rows = run(dirs, a.methods.split(","), names)
    for r in rows:
        extra = f" reports={r['reports']}" if "reports" in r else ""
        inexact = ", ".join(f"{fn}:{'tmpl' if w is None else w}" for fn, w in r["inexact"].items())
        print(f"{r['perturbation']:17s} {r['method']:5s} exact {r['exact']:2d}/{r['texts']}"
              f"  wrong cells {r['wrong_cells']:4d}{extra}  {inexact}")
    if a.json:
        Path(a.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
