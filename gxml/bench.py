"""Accuracy benchmark: ``gxml bench DIR_OR_synthetic... [--methods ml,rules,zero]``.

A data set is a folder of labelled reports (``NAME.<ext>`` + ``NAME.truth.json``; each file is
parsed with :func:`gxml.parse_file`) or ``synthetic``, the held-out generated test set
(``gxml.training.corpus.test_set``; each text is parsed with :func:`gxml.parse`). Predictions
are scored by one function, :func:`metrics`, with exactly the semantics of the reference judge
``shared/tools/score.py``: null and 0 are the same value, numbers match with
``math.isclose(rel_tol=1e-6, abs_tol=1e-9)``, and ``zero`` (the all-zero floor: every cell
null) counts as having recognised the template. Results come per data set, per category (file
kind or renderer) and per table, with the wrong cells and the source line each came from.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

METHODS = ("ml", "rules", "zero")
TABLES = ("active", "requests", "disputes")
SYNTHETIC = "synthetic"
SYNTHETIC_PER_RENDERER = 100  # with 20, one document moved a renderer's nz_f1 by up to 3 points
SYNTHETIC_SEED = 20261122
_WARMUP = "二、主动公开政府信息情况\n规章 | 0 | 0 | 0\n"


# -- data -------------------------------------------------------------------------------------
@dataclass
class Case:
    """One labelled report: a file (``path``) or a text (``text``) with its truth."""

    name: str
    category: str
    truth: dict
    path: Optional[Path] = None
    text: Optional[str] = None
    spans: Optional[list] = None  # gold item spans of a synthetic text


@dataclass
class Prediction:
    """What one method made of one case (``crash`` holds the error when the parser raised)."""

    case: Case
    template: Optional[str] = None
    cells: Dict[str, Any] = field(default_factory=dict)
    lines: Dict[str, Optional[int]] = field(default_factory=dict)
    raw: Dict[str, Optional[str]] = field(default_factory=dict)
    seconds: float = 0.0
    crash: Optional[str] = None
    internal_error: bool = False
    confidence: Dict[str, float] = field(default_factory=dict)


def category_of(path: Path) -> str:
    """File kind: ``r001-pdftotext-layout.txt`` -> ``pdftotext-layout``; else the extension."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    m = re.match(r"^[^-]+-(.+)$", stem)
    return m.group(1) if m else (path.suffix.lstrip(".").lower() or "none")


def folder_cases(directory) -> List[Case]:
    """The labelled reports of a folder, in name order."""
    from .dataset import iter_labelled

    return [Case(lab.path.name, category_of(lab.path), lab.truth, path=lab.path)
            for lab in iter_labelled(directory)]


def _corpus_test_set(per_renderer: int, seed: int):
    try:
        from .training.corpus import test_set
    except ImportError:  # running from a checkout without the gxml.training mapping
        root = str(Path(__file__).resolve().parents[1])
        if root not in sys.path:
            sys.path.insert(0, root)
        try:
            from training.corpus import test_set  # type: ignore
        except ImportError as e:
            raise ValueError(f"the synthetic test set needs gxml.training.corpus ({e})") from e
    return test_set(per_renderer=per_renderer, seed=seed)


def synthetic_cases(per_renderer: int = SYNTHETIC_PER_RENDERER, seed: int = SYNTHETIC_SEED,
                    rendered: Optional[Iterable] = None) -> List[Case]:
    """The synthetic held-out test set as cases (category = renderer); keeps the gold spans."""
    if rendered is None:
        rendered = _corpus_test_set(per_renderer, seed)
    out, count = [], {}
    for r in rendered:
        k = count[r.renderer] = count.get(r.renderer, 0) + 1
        out.append(Case(f"{r.renderer}-{k:03d}", r.renderer, _truth_dict(r.truth), text=r.text,
                        spans=list(r.spans or [])))
    return out


def _truth_dict(truth: Any) -> dict:
    """A truth file's dict (``{"template", "cells"}``) from a dict or an object with those fields."""
    if isinstance(truth, dict):
        return dict(truth)
    return {"template": getattr(truth, "template", None), "cells": dict(getattr(truth, "cells", {}))}


def load_cases(spec: str, per_renderer: int = SYNTHETIC_PER_RENDERER, seed: int = SYNTHETIC_SEED) -> List[Case]:
    """Cases of a data set: ``"synthetic"`` or a folder of labelled reports."""
    if spec == SYNTHETIC and not Path(spec).is_dir():
        return synthetic_cases(per_renderer, seed)
    return folder_cases(spec)


# -- prediction -------------------------------------------------------------------------------
def method_unavailable(method: str, model=None) -> Optional[str]:
    """Why ``method`` cannot run here (None when it can); loads and warms up its parser
    (``model``: a loaded tagger for ml, None for the shipped default)."""
    if method == "zero":
        return None
    if method not in METHODS:
        return f"unknown method {method!r}"
    import gxml

    if method == "ml" and model is None:
        from .tagger import load_default

        try:
            load_default()
        except Exception as e:
            return f"model not available: {type(e).__name__}: {e}"
    gxml.parse(_WARMUP, method=method, model=model)  # lazy loads (jieba, templates) stay out of the timings
    return None


def load_model(model) -> Any:
    """The tagger ``gxml bench --model`` scores: ``model`` loaded when it is a path (a
    :class:`~gxml.errors.ModelError` when it cannot be), as it is otherwise."""
    from .api import Parser

    return Parser("ml", model).tagger


def predict(case: Case, method: str, model=None) -> Prediction:
    """Parse one case with ``method`` (``model``: a tagger for ml, None for the shipped one);
    a parser that raises is recorded, never propagated."""
    if method == "zero":
        return Prediction(case)
    import gxml

    t0 = time.perf_counter()
    try:
        if case.path is not None:
            rep = gxml.parse_file(case.path, method=method, model=model)
        else:
            rep = gxml.parse(case.text or "", method=method, model=model)
    except Exception as e:
        return Prediction(case, seconds=time.perf_counter() - t0,
                          crash=f"{type(e).__name__}: {str(e)[:120]}")
    dt = time.perf_counter() - t0
    return Prediction(case, getattr(rep, "template", None), dict(getattr(rep, "cells", {}) or {}),
                      dict(getattr(rep, "lines", {}) or {}), dict(getattr(rep, "raw", {}) or {}), dt,
                      internal_error=any(i.get("kind") == "internal_error" for i in getattr(rep, "issues", [])),
                      confidence=dict(getattr(rep, "confidence", {}) or {}))


def clear_caches() -> int:
    """Empty gxml's function caches (parsed lines, label matches…), so that a method timed
    after another does not find the texts' work already done; returns how many were cleared."""
    n = 0
    for name, module in list(sys.modules.items()):
        if name == "gxml" or name.startswith("gxml."):
            for obj in list(vars(module).values()):
                if callable(getattr(obj, "cache_clear", None)) and getattr(obj, "__module__", "") == name:
                    obj.cache_clear()
                    n += 1
    return n


def run_method(cases: Sequence[Case], method: str,
               progress: Optional[Callable[[int, int], None]] = None, model=None) -> List[Prediction]:
    """Predictions of ``method`` for every case, in order (``model``: as :func:`predict`)."""
    out = []
    for i, c in enumerate(cases):
        out.append(predict(c, method, model))
        if progress:
            progress(i + 1, len(cases))
    return out


# -- scoring ----------------------------------------------------------------------------------
def same(a: Any, b: Any) -> bool:
    """score.py's cell equality: null == 0, numbers within rel 1e-6 / abs 1e-9."""
    a = 0 if a is None else a
    b = 0 if b is None else b
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)
    except (TypeError, ValueError):
        return str(a) == str(b)


def nonzero(v: Any) -> bool:
    """score.py's non-zero test (a value that is not a number counts as non-zero)."""
    try:
        return v is not None and float(v) != 0
    except (TypeError, ValueError):
        return True


def _in_table(key: str, table: Optional[str]) -> bool:
    return table is None or key == table or key.startswith(table + ".")


def metrics(preds: Sequence[Prediction], method: str, table: Optional[str] = None) -> Dict[str, Any]:
    """The metrics of score.py over ``preds`` (only cells of ``table`` when given).

    ``exact`` then means every cell of that table right; ``tmpl`` and ``crashes`` are per report.
    """
    tot = ok = tp = fp = fn = exact = tmpl = crashes = 0
    secs = 0.0
    for pr in preds:
        crashes += pr.crash is not None
        tmpl += (method == "zero") or (pr.template == pr.case.truth.get("template"))
        secs += pr.seconds
        allok = True
        for k, tv in pr.case.truth["cells"].items():
            if not _in_table(k, table):
                continue
            pv = pr.cells.get(k)
            good = same(pv, tv)
            tot += 1
            ok += good
            allok &= good
            tp += nonzero(tv) and good
            fn += nonzero(tv) and not good
            fp += nonzero(pv) and not good
        exact += allok
    n = max(len(preds), 1)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"reports": len(preds), "cells": tot, "cell_acc": ok / max(tot, 1), "nz_p": p, "nz_r": r,
            "nz_f1": 2 * p * r / (p + r) if p + r else 0.0, "exact": exact / n, "tmpl": tmpl / n,
            "crashes": crashes, "ms_per_report": 1000 * secs / n,
            "internal_errors": sum(pr.internal_error for pr in preds)}


CONFIDENCE_BANDS = (0.5, 0.7, 0.9)  # where the confidence bands of :func:`calibration` meet


def calibration(preds: Sequence[Prediction], bands: Sequence[float] = CONFIDENCE_BANDS) -> List[Dict[str, Any]]:
    """How well a method's confidence singles out its wrong cells: per confidence band
    ``[from, to)`` (the last one up to 1 inclusive), the truth cells in it, how many are
    wrong and their rate, and the shares of all cells and of all wrong cells below ``to``:
    hand-checking every cell under ``to`` checks ``cells_below`` of the cells and finds
    ``wrong_below`` of the errors. A cell with no confidence (a missed template, a crash)
    counts as confidence 0."""
    edges = [0.0, *bands, 1.0]
    counts = [[0, 0] for _ in range(len(edges) - 1)]
    for pr in preds:
        for k, tv in pr.case.truth["cells"].items():
            band = counts[bisect_right(bands, pr.confidence.get(k) or 0.0)]
            band[0] += 1
            band[1] += not same(pr.cells.get(k), tv)
    cells, wrong = sum(n for n, _ in counts), sum(w for _, w in counts)
    out, below_n, below_w = [], 0, 0
    for lo, hi, (n, w) in zip(edges, edges[1:], counts):
        below_n, below_w = below_n + n, below_w + w
        out.append({"from": lo, "to": hi, "cells": n, "wrong": w, "error_rate": w / n if n else 0.0,
                    "cells_below": below_n / cells if cells else 0.0,
                    "wrong_below": below_w / wrong if wrong else 0.0})
    return out


def wrong_cells(preds: Sequence[Prediction], limit: Optional[int] = None) -> List[Dict[str, Any]]:
    """Crashes and wrong cells: ``{file, key, expected, predicted, line, raw}`` (``limit`` first)."""
    out: List[Dict[str, Any]] = []
    for pr in preds:
        if pr.crash is not None:
            out.append({"file": pr.case.name, "crash": pr.crash})
        for k, tv in pr.case.truth["cells"].items():
            if limit is not None and len(out) >= limit:
                return out
            pv = pr.cells.get(k)
            if not same(pv, tv):
                out.append({"file": pr.case.name, "key": k, "expected": tv, "predicted": pv,
                            "line": pr.lines.get(k), "raw": pr.raw.get(k)})
    return out if limit is None else out[:limit]


def source_line(case: Case, line: Optional[int]) -> Optional[str]:
    """The text of 1-based ``line`` of a case's (normalised) source, for error listings."""
    if not line:
        return None
    lines = _case_lines(case.text) if case.text is not None else _file_lines(str(case.path))
    if not 0 < line <= len(lines):
        return None
    s = lines[line - 1].strip()
    return s if len(s) <= 100 else s[:100] + "…"


def _case_lines(text: str) -> List[str]:
    from .normalize import normalize

    return normalize(text).split("\n")


@lru_cache(maxsize=32)
def _file_lines(path: str) -> List[str]:
    from .readers import read_file

    try:
        return _case_lines(read_file(path))
    except Exception:
        return []


def evaluate(preds: Sequence[Prediction], method: str, errors: int = 0) -> Dict[str, Any]:
    """Overall, per-category and per-table metrics of one method on one data set."""
    cats: Dict[str, List[Prediction]] = {}
    for pr in preds:
        cats.setdefault(pr.case.category, []).append(pr)
    out = {"overall": metrics(preds, method),
           "by_category": {c: metrics(ps, method) for c, ps in sorted(cats.items())},
           "by_table": {t: metrics(preds, method, table=t) for t in TABLES}}
    if method != "zero":  # the floor states no confidence
        out["calibration"] = calibration(preds)
    if errors:
        errs = wrong_cells(preds, errors)
        by_name = {pr.case.name: pr.case for pr in preds}
        for e in errs:
            if e.get("line"):
                e["source"] = source_line(by_name[e["file"]], e["line"])
        out["errors"] = errs
    return out


# -- the ML tagger on the synthetic set -------------------------------------------------------
def tagger_confusion(cases: Sequence[Case], tagger=None) -> Dict[str, Any]:
    """Item-tag accuracy and confusion matrix (rows gold, columns predicted) of the tagger.

    Gold tags come from the renderer's spans; documents whose normalisation changes their
    length (offsets would not line up) are skipped.
    """
    from .dataset import tags_from_spans
    from .doc import TAGS
    from .normalize import normalize
    from .pipeline import segmented

    if tagger is None:
        from .tagger import load_default

        tagger = load_default()
    idx = {t: i for i, t in enumerate(TAGS)}
    matrix = [[0] * len(TAGS) for _ in TAGS]
    per_category: Dict[str, List[int]] = {}  # category -> [right, items]
    docs = skipped = 0
    for c in cases:
        spans = c.spans
        norm = normalize(c.text or "")
        if c.text is None or spans is None or len(norm) != len(c.text):
            skipped += 1
            continue
        doc = segmented(norm)
        cat = per_category.setdefault(c.category, [0, 0])
        for g, p in zip(tags_from_spans(doc, spans), tagger.predict(doc)):
            matrix[idx[g]][idx[p]] += 1
            cat[0] += g == p
            cat[1] += 1
        docs += 1
    total = sum(map(sum, matrix))
    right = sum(matrix[i][i] for i in range(len(TAGS)))
    per_tag = {}
    for i, t in enumerate(TAGS):
        col = sum(row[i] for row in matrix)
        tp, gold = matrix[i][i], sum(matrix[i])
        p = tp / col if col else 1.0
        r = tp / gold if gold else 1.0
        per_tag[t] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": gold}
    by_category = {k: (r / n if n else 1.0) for k, (r, n) in sorted(per_category.items())}
    return {"tags": list(TAGS), "matrix": matrix, "accuracy": right / total if total else 1.0,
            "items": total, "docs": docs, "skipped": skipped, "per_tag": per_tag,
            "accuracy_by_category": by_category}


# -- running ----------------------------------------------------------------------------------
def bench(specs: Sequence[str], methods: Sequence[str] = METHODS, errors: int = 0,
          per_renderer: int = SYNTHETIC_PER_RENDERER, seed: int = SYNTHETIC_SEED,
          confusion: bool = True, keep_predictions: bool = False, model=None) -> Dict[str, Any]:
    """Score ``methods`` on every data set of ``specs``; a JSON-ready dict.

    ``{"methods": [...], "model": which, "datasets": {spec: {"reports": n, "methods":
    {m: evaluate(...) | {"error": why}}}}, "tagger": tagger_confusion(...)}`` (the latter when
    ``synthetic`` and ``ml`` are run). ``model`` (a path or a loaded tagger) is what ml tags
    with instead of the shipped model: a retrained one, say; a path that cannot be loaded
    raises :class:`~gxml.errors.ModelError`. With ``keep_predictions`` the
    :class:`Prediction` lists are kept under ``"_predictions"``.
    """
    which = "default" if model is None else (os.fspath(model) if isinstance(model, (str, os.PathLike))
                                             else type(model).__name__)
    if model is not None and "ml" in methods:
        model = load_model(model)
    unavailable = {m: method_unavailable(m, model if m == "ml" else None) for m in methods}
    out: Dict[str, Any] = {"methods": list(methods), "model": which, "datasets": {}}
    preds_by: Dict[str, Dict[str, List[Prediction]]] = {}
    for spec in specs:
        cases = load_cases(spec, per_renderer, seed)
        ds: Dict[str, Any] = {"reports": len(cases), "methods": {}}
        for m in methods:
            if unavailable[m]:
                ds["methods"][m] = {"error": unavailable[m]}
                continue
            preds = run_method(cases, m, model=model if m == "ml" else None)
            preds_by.setdefault(spec, {})[m] = preds
            ds["methods"][m] = evaluate(preds, m, errors)
        out["datasets"][spec] = ds
        if confusion and spec == SYNTHETIC and "ml" in methods and not unavailable["ml"]:
            out["tagger"] = tagger_confusion(cases, tagger=model)
    if keep_predictions:
        out["_predictions"] = preds_by
    return out


# -- output -----------------------------------------------------------------------------------
def format_line(label: str, m: Dict[str, Any], width: int = 6) -> str:
    """One result line in score.py's format."""
    if "error" in m:
        return f"{label:{width}s} {m['error']}"
    return (f"{label:{width}s} n={m['reports']:4d} cell_acc={m['cell_acc']:.4f} nz_p={m['nz_p']:.4f} "
            f"nz_r={m['nz_r']:.4f} nz_f1={m['nz_f1']:.4f} exact={m['exact']:.3f} tmpl={m['tmpl']:.3f} "
            f"crashes={m['crashes']} ms/report={m['ms_per_report']:.1f}")


def format_results(res: Dict[str, Any], show_errors: int = 0) -> str:
    """The text printed by ``gxml bench``."""
    lines = [] if res.get("model", "default") == "default" else [f"ml model: {res['model']}"]
    for spec, ds in res["datasets"].items():
        lines.append(f"== {spec} ({ds['reports']} reports)")
        ms = ds["methods"]
        lines += [format_line(m, r if "error" in r else r["overall"]) for m, r in ms.items()]
        for part, title in (("by_category", "category"), ("by_table", "table")):
            lines.append(f"  by {title}:")
            rows = [(name, m, mm) for m, r in ms.items() for name, mm in r.get(part, {}).items()]
            for name, m, mm in sorted(rows, key=lambda x: x[0]):
                lines.append("  " + format_line(f"{m:6s} {name}", mm, width=26))
        for m, r in ms.items():
            if r.get("calibration"):
                lines.append(f"  {m} by confidence (checked, errors_found: hand-checking every cell below the band's "
                             "top checks that share of the cells and finds that share of the errors):")
                lines += [f"    {row}" for row in _calibration_rows(r["calibration"])]
        if show_errors:
            for m, r in ms.items():  # the floor's wrong cells are just the non-zero truth cells
                for e in (r.get("errors", []) if m != "zero" else [])[:show_errors]:
                    lines.append(f"  {m:6s} {_format_error(e)}")
    if "tagger" in res:
        lines += ["== ML tagger on synthetic (rows gold, columns predicted)", format_confusion(res["tagger"])]
    return "\n".join(lines)


def _calibration_rows(cal: Sequence[Dict[str, Any]]) -> List[str]:
    """One aligned line per confidence band of :func:`calibration`."""
    return [f"{_band(b):12s} cells={b['cells']:7d} wrong={b['wrong']:5d} error_rate={b['error_rate']:.4f} "
            f"checked={b['cells_below']:.3f} errors_found={b['wrong_below']:.3f}" for b in cal]


def _band(b: Dict[str, Any]) -> str:
    return f"[{b['from']:.1f}, {b['to']:.1f}{']' if b['to'] >= 1.0 else ')'}"


def _format_error(e: Dict[str, Any]) -> str:
    if "crash" in e:
        return f"{e['file']}: CRASH {e['crash']}"
    src = f" line {e['line']}: {e.get('source') or ''}" if e.get("line") else ""
    return f"{e['file']} {e['key']}: expected {e['expected']!r} got {e['predicted']!r}{src}"


def format_confusion(t: Dict[str, Any]) -> str:
    """The tagger's confusion matrix as aligned text."""
    tags = t["tags"]
    rows = [f"accuracy={t['accuracy']:.4f} items={t['items']} docs={t['docs']} skipped={t['skipped']}",
            "gold\\pred " + "".join(f"{x:>9s}" for x in tags)]
    for g, row in zip(tags, t["matrix"]):
        rows.append(f"{g:10s}" + "".join(f"{v:9d}" for v in row))
    for cat, acc in t.get("accuracy_by_category", {}).items():
        rows.append(f"  accuracy {cat:18s} {acc:.4f}")
    return "\n".join(rows)


def _fmt(m: Dict[str, Any]) -> List[str]:
    return [str(m["reports"]), f"{m['cell_acc']:.4f}", f"{m['nz_p']:.4f}", f"{m['nz_r']:.4f}",
            f"{m['nz_f1']:.4f}", f"{m['exact']:.3f}", f"{m['tmpl']:.3f}", str(m["crashes"]),
            f"{m['ms_per_report']:.1f}"]


def md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |" for r in rows]
    return "\n".join(out)


_MD_HEAD = ["n", "cell_acc", "nz_p", "nz_r", "nz_f1", "exact", "tmpl", "crashes", "ms/report"]


def to_markdown(res: Dict[str, Any], show_errors: int = 0, level: int = 3) -> str:
    """Markdown tables of a :func:`bench` result (headings at ``level``)."""
    parts, h = [], "#" * level
    if res.get("model", "default") != "default":
        parts.append(f"ml model: `{res['model']}`\n")
    for spec, ds in res["datasets"].items():
        ms = ds["methods"]
        parts.append(f"{h} {spec} ({ds['reports']} reports)\n")
        parts.append(md_table(["method"] + _MD_HEAD, [[m] + (["n/a: " + r["error"]] + [""] * 8 if "error" in r
                                                           else _fmt(r["overall"])) for m, r in ms.items()]))
        for part, title in (("by_category", "category"), ("by_table", "table")):
            rows = [[name, m] + _fmt(mm) for m, r in ms.items() for name, mm in r.get(part, {}).items()]
            if rows:
                rows.sort(key=lambda x: x[0])
                parts.append(f"\nBy {title}:\n\n" + md_table([title, "method"] + _MD_HEAD, rows))
        for m, r in ms.items():
            if r.get("calibration"):
                parts.append(f"\nConfidence of `{m}` (checking every cell below a band's top checks that share of "
                             "the cells and finds that share of the errors):\n\n" + md_table(
                                 ["confidence", "cells", "wrong", "error rate", "cells checked", "errors found"],
                                 [[_band(b), b["cells"], b["wrong"], f"{b['error_rate']:.4f}",
                                   f"{b['cells_below']:.3f}", f"{b['wrong_below']:.3f}"] for b in r["calibration"]]))
        if show_errors:
            errs = [f"- `{m}` {_format_error(e)}" for m, r in ms.items() if m != "zero"
                    for e in r.get("errors", [])[:show_errors]]
            if errs:
                parts.append("\nWrong cells (first ones):\n\n" + "\n".join(errs))
        parts.append("")
    if "tagger" in res:
        parts.append(f"{h} ML item tagger on synthetic\n\n" + confusion_markdown(res["tagger"]))
    return "\n".join(parts) + "\n"


def confusion_markdown(t: Dict[str, Any]) -> str:
    """The tagger's accuracy and confusion matrix (with recall and precision) in Markdown."""
    head = (f"Item-tag accuracy {t['accuracy']:.4f} over {t['items']} items of {t['docs']} documents "
            f"({t['skipped']} skipped: normalisation changed their length). Rows gold, columns predicted.\n\n")
    rows = [[g] + row + [f"{t['per_tag'][g]['recall']:.3f}"] for g, row in zip(t["tags"], t["matrix"])]
    rows.append(["precision"] + [f"{t['per_tag'][g]['precision']:.3f}" for g in t["tags"]] + [""])
    out = head + md_table(["gold \\ pred"] + t["tags"] + ["recall"], rows)
    by_cat = t.get("accuracy_by_category")
    if by_cat:
        out += "\n\nItem-tag accuracy per category:\n\n" + md_table(
            ["category", "accuracy"], [[k, f"{v:.4f}"] for k, v in by_cat.items()])
    return out


def add_bench_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``gxml bench``."""
    p.add_argument("datasets", nargs="+", metavar="DIR_OR_synthetic",
                   help="folders of labelled reports, or 'synthetic' for the generated test set")
    p.add_argument("--methods", default=",".join(METHODS), help="comma-separated: ml,rules,zero (default all)")
    p.add_argument("--json", metavar="OUT", help="write the results as JSON")
    p.add_argument("--markdown", metavar="OUT", help="write the results as Markdown")
    p.add_argument("--model", metavar="PATH",
                   help="the line-tagger model ml uses, a retrained one say (default: the shipped one)")
    p.add_argument("--show-errors", type=int, default=0, metavar="N", help="list the first N wrong cells")
    p.add_argument("--per-renderer", type=int, default=SYNTHETIC_PER_RENDERER,
                   help=f"synthetic documents per renderer (default {SYNTHETIC_PER_RENDERER})")
    p.add_argument("--seed", type=int, default=SYNTHETIC_SEED, help=f"synthetic seed (default {SYNTHETIC_SEED})")
    p.set_defaults(func=run_bench)


def run_bench(args) -> int:
    """Entry point of ``gxml bench``."""
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    bad = [m for m in methods if m not in METHODS]
    if bad:
        raise ValueError(f"unknown method(s) {', '.join(bad)}; choose from {', '.join(METHODS)}")
    for d in args.datasets:
        if d != SYNTHETIC and not Path(d).is_dir():
            raise ValueError(f"not a folder of labelled reports: {d}")
    res = bench(args.datasets, methods, errors=max(args.show_errors, 0),
                per_renderer=args.per_renderer, seed=args.seed, model=getattr(args, "model", None))
    print(format_results(res, args.show_errors))
    if args.json:
        Path(args.json).write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    if args.markdown:
        Path(args.markdown).write_text(to_markdown(res, args.show_errors), encoding="utf-8")
    return 0
