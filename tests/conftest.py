import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_dir(name: str) -> Path:
    d = SHARED / name
    if not d.is_dir():
        pytest.skip(f"{d} not available")
    return d


def load_truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def same(a, b) -> bool:
    import math

    a = 0 if a is None else a
    b = 0 if b is None else b
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def table_lines(cells: dict, template: str = "2021", sep: str = " | ", layout: int = 0,
                override: dict = None) -> list:
    """The table rows of a report as text lines ``label | v | v |``; ``override`` maps a
    row id to the exact line to print instead (to break one row on purpose)."""
    from gxml.templates import get_template

    t = get_template(template)
    rows = t.layouts()[layout]
    override = override or {}
    out = []
    table = None
    for row in rows:
        if row.table != table:
            table = row.table
            out.append(t.titles[table])
        if row.id in override:
            out.append(override[row.id])
            continue
        vals = ["" if cells.get(c) is None else str(cells.get(c)) for c in row.cells]
        label = "" if row.table == "disputes" else row.label
        out.append(sep.join([label] + vals).strip(" |"))
    out.append("五、存在的主要问题及改进情况")
    return out


def make_report(cells: dict, template: str = "2021", **kw) -> str:
    year = 2022 if template == "2021" else 2020
    head = [f"某某区人民政府{year}年政府信息公开工作年度报告", "一、总体情况",
            f"{year}年，我区共主动公开政府信息376条，收到申请4件。"]
    return "\n".join(head + table_lines(cells, template, **kw) + ["本年度无其他需要报告的事项。"])


def zero_cells(template: str = "2021", layout: int = 0) -> dict:
    from gxml.templates import get_template

    t = get_template(template)
    rows = t.layouts()[layout]
    cells = {c: None for c in t.cells}
    for r in rows:
        for c in r.cells:
            cells[c] = 0
    return cells
