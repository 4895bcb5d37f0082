"""Real Word files of synthetic reports: each report written as a .docx, and as a .doc.

The generated renderers write the text a Word table leaves when copied; this script makes the
files a user downloads. Each synthetic report is written with python-docx as the national
template prints it: its narrative, and the three tables with their merged header cells (a
quarter of the reports print their zeros as empty cells). LibreOffice (``soffice``, when it is
on PATH) then saves each as a Word 97-2003 ``.doc``. Every file is written beside its truth as
``NAME-docx.docx`` / ``NAME-doc.doc`` with ``.truth.json``; ``gxml bench`` on the folder
scores it per file kind, read as ``gxml.parse_file`` reads it. Needs python-docx
(``gxml[docx]``); the ``.doc`` files need LibreOffice and, to be read, olefile (``gxml[doc]``).

    python benchmarks/word_files.py OUT_DIR --n 40      # then: gxml bench OUT_DIR
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.generate import generate_report, narrative  # noqa: E402
from training.render import Grid, Style, build_grids  # noqa: E402

SEED = 20261122


def grid_table(document, grid: Grid) -> None:
    """``grid`` as a Word table of ``document``: its cells, merged as they span."""
    t = document.add_table(rows=len(grid.rows), cols=grid.ncols)
    t.style = "Table Grid"
    for r, gr in enumerate(grid.rows):
        for c in gr.cells:
            if c.tag is None:
                continue  # covered by a cell above
            cell = t.cell(r, c.col)
            if c.span > 1 or c.rowspan > 1:
                cell = cell.merge(t.cell(min(r + c.rowspan, len(grid.rows)) - 1, min(c.col + c.span, grid.ncols) - 1))
            cell.text = c.text or ""


def write_docx(report, rng: random.Random, path: Path) -> Dict[str, object]:
    """Write ``report`` as a .docx at ``path``; returns its truth (template and cells)."""
    import docx

    st = Style(drop_blanks=rng.choice((0.0, 0.0, 0.0, 1.0)))  # a quarter print zeros as empty cells
    grids = {g.table: g for g in build_grids(report, rng, st)}
    document = docx.Document()
    for kind, text in report.meta.get("narrative") or narrative(report, rng):
        if kind == "table":
            grid_table(document, grids[text])
        else:
            document.add_paragraph(text)
    document.save(str(path))
    cells = dict(report.cells)
    cells.update(dict.fromkeys(st.dropped))
    return {"template": report.template, "cells": cells,
            "notes": f"word template={report.template} dropped={len(st.dropped)}"}


def to_doc(docx_files: Sequence[Path], out: Path) -> int:
    """Save ``docx_files`` as .doc into ``out`` with LibreOffice; returns how many it wrote."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", "--headless", "--convert-to", "doc", "--outdir", tmp] + [str(p) for p in docx_files],
                       capture_output=True, check=True)
        done = 0
        for p in docx_files:
            made = Path(tmp) / (p.stem + ".doc")
            if made.is_file():
                shutil.move(str(made), out / (p.stem.replace("-docx", "-doc") + ".doc"))
                done += 1
    return done


def write(out: Path, n: int, seed: int = SEED) -> int:
    """Write ``n`` reports into ``out`` (and their .doc copies when LibreOffice is there) with
    their truths; returns the number of files to score."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        rng = random.Random(f"gxml-word:{seed}:{i}")
        path = out / f"w{i:03d}-docx.docx"
        truth = json.dumps(write_docx(generate_report(rng), rng, path), ensure_ascii=False, indent=1) + "\n"
        for kind in ("docx", "doc"):
            (out / f"w{i:03d}-{kind}.truth.json").write_text(truth, encoding="utf-8")
        made.append(path)
    docs = to_doc(made, out) if shutil.which("soffice") else 0
    if not docs:
        for p in out.glob("w*-doc.truth.json"):
            p.unlink()
    return n + docs


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="folder for the files and their truths")
    ap.add_argument("--n", type=int, default=40, help="reports to write (default 40)")
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args(argv)
    try:
        import docx  # noqa: F401  (is python-docx there?)
    except ImportError:
        print("word_files: python-docx is not installed: pip install 'gxml[docx]'", file=sys.stderr)
        return 2
    files = write(Path(a.out), a.n, a.seed)
    print(f"{files} files of {a.n} reports in {a.out}" + ("" if shutil.which("soffice") else
          " (no .doc: LibreOffice's soffice is not on PATH)") + f"; score them with: gxml bench {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
