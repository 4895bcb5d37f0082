"""Real PDF text of synthetic reports: each report typeset as a PDF and read back.

The generated renderers write the text PDF extractors make; this script makes the PDFs
themselves. Each synthetic report is typeset with reportlab as the national template prints
it: its narrative, and the three tables with their merged header cells, grid lines and narrow
value columns (table 四's fifteen columns wrap 结果维持 over two lines, as real reports do),
splitting over pages where they run long. Each PDF is then read by ``pdftotext``,
``pdftotext -layout``, pdfplumber's plain ``extract_text()`` and pdfminer.six's
``extract_text()`` (pdfplumber's own reader, and the one many scripts call), and every text is written
beside its truth as ``NAME-EXTRACTOR.txt`` / ``.truth.json``, the layout of ``../shared/dev``;
the PDF itself is kept as ``NAME-pdf.pdf`` with its truth, which ``gxml bench`` reads as
``gxml.parse_file`` does (pdfplumber's layout mode). ``gxml bench`` on the folder scores it
per extractor. Needs reportlab (``pip install 'gxml[typeset]'``), poppler's
``pdftotext`` and pdfplumber (``gxml[pdf]``); the Chinese font is reportlab's built-in CID font
STSong-Light, which needs no font file.

    python benchmarks/typeset_pdf.py OUT_DIR --n 30      # then: gxml bench OUT_DIR
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.generate import generate_report, narrative  # noqa: E402
from training.render import Grid, Style, build_grids  # noqa: E402

FONT = "STSong-Light"
EXTRACTORS = ("pdftotext", "pdftotext-layout", "pdfplumber", "pdfminer")  # texts written; and the PDF, "pdf"
CATEGORIES = EXTRACTORS + ("pdf",)
SEED = 20261122
# widths in points of an A4 page's 480-point text block: label columns, then value columns
_LABEL_WIDTHS = {"active": [190], "requests": [34, 34, 130]}


def _styles(size: float):
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=size * 1.6, firstLineIndent=size * 2)
    head = ParagraphStyle("head", parent=body, firstLineIndent=0, fontSize=size + 1)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=9.5, alignment=1, wordWrap="CJK")
    return body, head, cell


def grid_table(grid: Grid, cell_style, width: float, repeat_header: bool):
    """A reportlab Table of ``grid``: its spans, grid lines and column widths."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    matrix: List[List[object]] = [["" for _ in range(grid.ncols)] for _ in grid.rows]
    spans = []
    for r, gr in enumerate(grid.rows):
        for c in gr.cells:
            if c.tag is None:
                continue  # covered by a cell above
            matrix[r][c.col] = Paragraph(c.text, cell_style) if c.text else ""
            if c.span > 1 or c.rowspan > 1:
                spans.append(("SPAN", (c.col, r), (c.col + c.span - 1, r + c.rowspan - 1)))
    labels = _LABEL_WIDTHS.get(grid.table, [])
    rest = (width - sum(labels)) / (grid.ncols - len(labels))
    heads = sum(1 for gr in grid.rows[:4] if gr.kind in ("header", "group")) if repeat_header else 0
    table = Table(matrix, colWidths=labels + [rest] * (grid.ncols - len(labels)), repeatRows=heads)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                               ("FONTNAME", (0, 0), (-1, -1), FONT)] + spans))
    return table


def typeset(report, rng: random.Random, path: Path) -> Dict[str, object]:
    """Write ``report`` as a PDF at ``path``; returns its truth (template and cells)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    st = Style(drop_blanks=rng.choice((0.0, 0.0, 0.0, 1.0)))  # a quarter print zeros as empty cells
    grids = {g.table: g for g in build_grids(report, rng, st)}
    body, head, cell = _styles(rng.choice((10.5, 12.0)))
    story = []
    repeat = rng.random() < 0.5
    for kind, text in report.meta.get("narrative") or narrative(report, rng):
        if kind == "table":
            story += [grid_table(grids[text], cell, 480, repeat), Spacer(1, 8)]
        else:
            story.append(Paragraph(text, body if kind == "para" else head))
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=57, rightMargin=57).build(story)
    cells = dict(report.cells)
    cells.update(dict.fromkeys(st.dropped))
    return {"template": report.template, "cells": cells,
            "notes": f"typeset template={report.template} scale={report.meta.get('scale')} dropped={len(st.dropped)}"}


def extract(pdf: Path, how: str) -> str:
    """The text of ``pdf`` as extractor ``how`` reads it."""
    if how == "pdfplumber":  # the plain text, as a user's own pdfplumber script reads it
        from gxml.readers.pdf import read_pdf

        return read_pdf(str(pdf), layout=False)
    if how == "pdfminer":  # box by box, in pdfminer's reading order (installed with pdfplumber)
        from pdfminer.high_level import extract_text

        return extract_text(str(pdf))
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if how == "pdftotext-layout" else [])
    return subprocess.run(args + [str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")


def missing() -> Optional[str]:
    """What this script needs and this machine lacks (None when nothing)."""
    try:
        import pdfplumber  # noqa: F401
        import reportlab  # noqa: F401
    except ImportError as e:
        return f"{e.name} is not installed: pip install 'gxml[typeset,pdf]'"
    if shutil.which("pdftotext") is None:
        return "pdftotext (poppler-utils) is not on PATH"
    return None


def write(out: Path, n: int, seed: int = SEED) -> int:
    """Typeset ``n`` reports into ``out`` and write each extractor's text, and the PDF, with
    its truth; returns the number of files to score."""
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        rng = random.Random(f"gxml-pdf:{seed}:{i}")
        name = f"p{i:03d}"
        pdf = out / f"{name}-pdf.pdf"
        truth = typeset(generate_report(rng), rng, pdf)
        for how in CATEGORIES:
            if how in EXTRACTORS:
                (out / f"{name}-{how}.txt").write_text(extract(pdf, how), encoding="utf-8")
            (out / f"{name}-{how}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                                           encoding="utf-8")
    return n * len(CATEGORIES)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="folder for the PDFs, their texts and truths")
    ap.add_argument("--n", type=int, default=30, help="reports to typeset (default 30)")
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args(argv)
    why = missing()
    if why:
        print(f"typeset_pdf: {why}", file=sys.stderr)
        return 2
    texts = write(Path(a.out), a.n, a.seed)
    print(f"{texts} texts of {a.n} PDFs in {a.out}; score them with: gxml bench {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
