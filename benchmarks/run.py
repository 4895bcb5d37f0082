#!/usr/bin/env python3
"""Regenerate benchmarks/RESULTS.md, benchmarks/results.json and benchmarks/nz_f1_by_renderer.png.

Usage: python benchmarks/run.py [--per-renderer 100] [--seed 20261122] [--typeset 40] [--repeat 3] [--rounds 16] [--chunks 4] [--retrain]

Accuracy of ml, rules and the all-zero floor on ../shared/seeds, ../shared/dev, the synthetic
held-out test set and synthetic reports typeset as PDFs and read back by pdftotext, pdftotext
-layout, pdfplumber and pdfminer (benchmarks/typeset_pdf.py; scored by gxml.bench, which agrees with
shared/tools/score.py); speed of ml and rules in one process over the texts of all but the PDFs; model load time and peak RSS in fresh subprocesses;
training time of the default model; the ML tagger's confusion matrix; the batch throughput of
benchmarks/batch_results.json when present. Targets are printed with PASS/MISS, never asserted.
"""
from __future__ import annotations

import argparse
import atexit
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))  # typeset_pdf, beside this script

from gxml import bench  # noqa: E402

METHODS = ("ml", "rules", "zero")
TIMED = ("ml", "rules")
TARGET_ML_MS = 5.0
TARGET_RATIO = 3.0
TARGET_RSS_MB = 300.0


# -- accuracy ---------------------------------------------------------------------------------
def folders() -> Tuple[List[Path], List[str]]:
    """The labelled folders under ../shared that exist, and notes on those that do not."""
    found, notes = [], []
    for name in ("seeds", "dev"):
        d = SHARED / name
        if d.is_dir():
            found.append(d)
        else:
            notes.append(f"{d} is absent: skipped")
    return found, notes


def typeset_folder(n: int, notes: List[str]) -> Optional[Path]:
    """``n`` synthetic reports typeset as PDFs and read back by four extractors
    (benchmarks/typeset_pdf.py), in a temporary folder named ``typeset``; None, noted, when
    reportlab, pdfplumber or pdftotext is missing."""
    import typeset_pdf

    why = typeset_pdf.missing()
    if why:
        notes.append(f"typeset PDFs not run: {why}")
        return None
    root = tempfile.mkdtemp()
    atexit.register(shutil.rmtree, root, True)
    out = Path(root) / "typeset"
    typeset_pdf.write(out, n)
    return out


def accuracy(dirs: Sequence[Path], per_renderer: int, seed: int, notes: List[str]) -> Tuple[Dict[str, Any], Dict]:
    """bench.bench on every data set (one at a time, so one that fails is noted, not fatal)."""
    res: Dict[str, Any] = {"methods": list(METHODS), "datasets": {}}
    preds: Dict[str, Dict] = {}
    for spec in [str(d) for d in dirs] + [bench.SYNTHETIC]:
        t0 = time.perf_counter()
        try:
            r = bench.bench([spec], METHODS, errors=10, per_renderer=per_renderer, seed=seed, keep_predictions=True)
        except Exception as e:  # e.g. the synthetic corpus is not importable yet
            notes.append(f"{spec}: not run ({type(e).__name__}: {e})")
            continue
        res["datasets"].update(r["datasets"])
        preds.update(r.pop("_predictions"))
        if "tagger" in r:
            res["tagger"] = r["tagger"]
        print(f"accuracy on {spec}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    for spec, ds in res["datasets"].items():
        for m, r in ds["methods"].items():
            if "error" in r and f"{m}: {r['error']}" not in notes:
                notes.append(f"{m}: {r['error']}")
    return res, preds


def short(spec: str) -> str:
    """``/work/shared/dev`` -> ``dev``."""
    return Path(spec).name if spec != bench.SYNTHETIC else spec


# -- speed and memory -------------------------------------------------------------------------
def corpus_texts(preds: Dict[str, Dict]) -> Dict[str, List[str]]:
    """The texts to time: real (seeds + dev files, read once) and synthetic."""
    from gxml.readers import read_file

    out: Dict[str, List[str]] = {"real": [], "synthetic": []}
    for spec, by_method in preds.items():
        cases = [p.case for p in next(iter(by_method.values()))]
        for c in cases:
            if c.text is not None:
                out["synthetic"].append(c.text)
            else:
                try:
                    out["real"].append(read_file(c.path))
                except Exception:
                    pass
    return out


def _stats(secs: Sequence[float]) -> Dict[str, float]:
    import numpy as np

    a = np.asarray(secs) * 1000
    return {"n": int(len(a)), "p50_ms": float(np.percentile(a, 50)), "p95_ms": float(np.percentile(a, 95)),
            "mean_ms": float(a.mean()), "total_s": float(a.sum() / 1000),
            "reports_per_s": float(len(a) / (a.sum() / 1000)) if a.sum() else 0.0}


ROUNDS = 16  # turns of the methods (ABBA order) ...
CHUNKS = 4   # ... each over one of this many interleaved shares of the texts, in turn


def speed(texts: Dict[str, List[str]], methods: Sequence[str], repeat: int,
          rounds: int = ROUNDS, chunks: int = CHUNKS) -> Tuple[Dict[str, Any], List[Dict[str, float]]]:
    """ms/report (p50, p95, mean) and reports/s of each method over each group of texts, and
    each round's total seconds per method.

    The timed texts (the real ones ``repeat`` times, the synthetic ones once) are dealt into
    ``chunks`` shares; round r times every method on share r mod ``chunks``, the methods taking
    turns in ABBA order, each from empty caches (methods share cached work: line parts, label
    matches). This VM's speed drifts by tens of percent within a minute: a method timed in one
    long stretch would be compared with another timed at a different speed. Every timing
    counts in the figures; with ``rounds`` a multiple of ``chunks`` each text counts alike."""
    import gxml

    timed = [(g, t) for g, ts in texts.items() for _ in range(repeat if g == "real" else 1) for t in ts]
    shares = [timed[k::chunks] for k in range(chunks)]
    secs: Dict[str, Dict[str, List[float]]] = {m: {g: [] for g, ts in texts.items() if ts} for m in methods}
    per_round: List[Dict[str, float]] = []
    for r in range(rounds):
        totals: Dict[str, float] = {}
        for m in (methods if r % 2 == 0 else list(reversed(methods))):
            bench.clear_caches()  # also unloads the default model: reload it, outside the timing
            gxml.parse("规章 | 0 | 0 | 0", method=m)
            t_round = 0.0
            for group, t in shares[r % chunks]:
                t0 = time.perf_counter()
                gxml.parse(t, method=m)
                dt = time.perf_counter() - t0
                secs[m][group].append(dt)
                t_round += dt
            totals[m] = t_round
        per_round.append(totals)
        print(f"speed round {r + 1}/{rounds}: " + ", ".join(f"{m} {s:.1f} s" for m, s in totals.items()),
              file=sys.stderr)
    out: Dict[str, Any] = {}
    for m, groups in secs.items():
        out[m] = {g: _stats(v) for g, v in groups.items()}
        every = [x for v in groups.values() for x in v]
        if every:
            out[m]["all"] = _stats(every)
    return out, per_round


_LOAD_SCRIPT = r"""
import json, time
t0 = time.perf_counter()
import gxml
from gxml.tagger import LineTagger, default_model_path
t1 = time.perf_counter()
LineTagger.load(default_model_path())  # joblib and numpy only: parsing never imports scikit-learn
t3 = time.perf_counter()
import logging, jieba
jieba.setLogLevel(logging.WARNING)
jieba.initialize()
t4 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "model_load_s": t3 - t1, "jieba_init_s": t4 - t3}))
"""

_RSS_SCRIPT = r"""
import json, resource, sys
def rss():
    # VmHWM (peak RSS of this address space) starts afresh at exec; ru_maxrss is inherited
    # across fork+exec on Linux, so it would report the parent's peak
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
texts = json.load(open(sys.argv[1], encoding="utf-8"))
method = sys.argv[2]
out = {"start_mb": rss()}
import gxml
out["import_mb"] = rss()
if method == "ml":
    from gxml.tagger import load_default
    load_default()
out["model_mb"] = rss()
for t in texts:
    gxml.parse(t, method=method)
out["peak_mb"] = rss()
out["texts"] = len(texts)
print(json.dumps(out))
"""


def _subprocess_json(args: Sequence[str], timeout: float = 1800) -> Dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=str(REPO), env=env,
                       timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"exit {p.returncode}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def load_time(runs: int = 3) -> Dict[str, Any]:
    """Import, model load and jieba init times in fresh subprocesses (median of ``runs``)."""
    import statistics

    rs = [_subprocess_json(["-c", _LOAD_SCRIPT]) for _ in range(runs)]
    out = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
    out["load_s"] = out["model_load_s"] + out["jieba_init_s"]
    out["runs"] = runs
    return out


def rss_subprocess(texts: List[str], method: str) -> Dict[str, Any]:
    """Peak RSS (MB) of a fresh process that loads the model and parses ``texts``."""
    with tempfile.TemporaryDirectory() as td:
        f = Path(td) / "texts.json"
        f.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        out = _subprocess_json(["-c", _RSS_SCRIPT, str(f), method])
    out["method"] = method
    return out


def training_time(retrain: bool, dirs: Sequence[Path], notes: List[str]) -> Dict[str, Any]:
    """The default model's training time from its metadata, and optionally a timed retrain."""
    from gxml.tagger import default_model_path

    out: Dict[str, Any] = {}
    meta_path = default_model_path().with_suffix(".json")
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    tr = meta.get("training", {})
    seen = set(tr.get("labelled_files", []))
    for d in dirs:
        k = len(seen & {p.name for p in d.iterdir()})
        if k:
            notes.append(f"the ML model was trained on {k} files of {d.name}: its {d.name} figures are not held out")
    if "seconds" in tr:
        out["metadata_seconds"] = tr["seconds"]
        out["metadata_file"] = meta_path.name
        out["metadata"] = {k: tr[k] for k in ("synthetic_docs", "synthetic_seed", "labelled_docs", "items") if k in tr}
    else:
        notes.append(f"no training time: {meta_path} absent or without training.seconds")
    if retrain:
        data = [str(d) for d in dirs if seen & {p.name for p in d.iterdir()}]
        n, seed = tr.get("synthetic_docs", 2000), tr.get("synthetic_seed", 0)
        with tempfile.TemporaryDirectory() as td:
            cmd = ["-m", "gxml", "train", *data, "--synthetic", str(n), "--seed", str(seed),
                   "-o", str(Path(td) / "m.joblib")]
            t0 = time.perf_counter()
            p = subprocess.run([sys.executable, *cmd], capture_output=True, text=True, cwd=str(REPO))
            out["retrain_seconds"] = time.perf_counter() - t0
            out["retrain_command"] = "gxml " + " ".join(cmd[2:-2]) + " -o TMP.joblib"
            if p.returncode:
                notes.append(f"retrain failed: {p.stderr.strip()[-200:]}")
    return out


# -- chart and targets ------------------------------------------------------------------------
def chart(acc: Dict[str, Any], path: Path, notes: List[str]) -> Optional[Path]:
    """Grouped bars of nz_f1 per renderer per method (the `bench` extra: matplotlib)."""
    ds = acc["datasets"].get(bench.SYNTHETIC)
    if not ds:
        notes.append("no chart: the synthetic set was not run")
        return None
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        notes.append("no chart: matplotlib is missing (pip install gxml[bench])")
        return None
    methods = [m for m, r in ds["methods"].items() if "by_category" in r]
    renderers = sorted({c for m in methods for c in ds["methods"][m]["by_category"]})
    fig, ax = plt.subplots(figsize=(min(12, max(6, 0.7 * len(renderers) + 2)), 4.5))
    w = 0.8 / max(len(methods), 1)
    for j, m in enumerate(methods):
        ys = [ds["methods"][m]["by_category"].get(r, {}).get("nz_f1", 0.0) for r in renderers]
        ax.bar([i + (j - (len(methods) - 1) / 2) * w for i in range(len(renderers))], ys, w, label=m)
    ax.set_xticks(range(len(renderers)))
    ax.set_xticklabels(renderers, rotation=30, ha="right")
    ax.set_ylim(0, 1.2)
    ax.set_ylabel("nz_f1")
    ax.set_title("nz_f1 per renderer, synthetic held-out test set")
    ax.legend(loc="upper center", ncol=len(methods), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def targets(acc: Dict[str, Any], spd: Dict[str, Any], rss: Optional[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The project's targets beside the measured figures (PASS / MISS / n/a)."""
    def row(name, measured, ok):
        return {"target": name, "measured": measured, "status": "n/a" if ok is None else ("PASS" if ok else "MISS")}

    ml, rules = spd.get("ml", {}).get("all"), spd.get("rules", {}).get("all")
    out = [row(f"ml <= {TARGET_ML_MS:g} ms/report median", f"{ml['p50_ms']:.2f} ms" if ml else "not measured",
               ml["p50_ms"] <= TARGET_ML_MS if ml else None)]
    if ml and rules and rules["total_s"]:
        ratio, med = ml["total_s"] / rules["total_s"], ml["p50_ms"] / max(rules["p50_ms"], 1e-9)
        out.append(row(f"ml <= {TARGET_RATIO:g}x rules time", f"{ratio:.2f}x total, {med:.2f}x median",
                       ratio <= TARGET_RATIO))
    else:
        out.append(row(f"ml <= {TARGET_RATIO:g}x rules time", "not measured", None))
    peak = rss.get("peak_mb") if rss else None
    out.append(row(f"peak RSS <= {TARGET_RSS_MB:g} MB while parsing",
                   f"{peak:.0f} MB ({rss['method']}, {rss['texts']} texts)" if peak else "not measured",
                   peak <= TARGET_RSS_MB if peak else None))
    cmp, ok = [], True
    for spec, ds in acc["datasets"].items():
        a, b = ds["methods"].get("ml", {}), ds["methods"].get("rules", {})
        if "overall" in a and "overall" in b:
            x, y = a["overall"]["nz_f1"], b["overall"]["nz_f1"]
            cmp.append(f"{short(spec)} {x:.3f} vs {y:.3f}")
            ok &= x > y
    out.append(row("ml nz_f1 above rules on every data set", "; ".join(cmp) or "not measured",
                   ok if cmp else None))
    return out


# -- report -----------------------------------------------------------------------------------
def batch_section() -> Tuple[Optional[Any], str]:
    """benchmarks/batch_results.json (written by batch_throughput.py) as Markdown, if present."""
    p = HERE / "batch_results.json"
    if not p.is_file():
        return None, "_benchmarks/batch_results.json is absent (run benchmarks/batch_throughput.py)._\n"
    data = json.loads(p.read_text(encoding="utf-8"))
    rows = data if isinstance(data, list) else data.get("results") if isinstance(data, dict) else None
    if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
        keys = list(dict.fromkeys(k for r in rows for k in r if not isinstance(r[k], (dict, list))))
        md = bench.md_table(keys, [[_num(r.get(k, "")) for k in keys] for r in rows]) + "\n"
        rest = {k: v for k, v in data.items() if k != "results"} if isinstance(data, dict) else {}
        if rest:
            md += "\n```json\n" + json.dumps(rest, ensure_ascii=False, indent=1) + "\n```\n"
        return data, md
    if isinstance(data, dict) and all(not isinstance(v, (dict, list)) for v in data.values()):
        return data, bench.md_table(["key", "value"], [[k, _num(v)] for k, v in data.items()]) + "\n"
    return data, "```json\n" + json.dumps(data, ensure_ascii=False, indent=1) + "\n```\n"


def _num(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def environment() -> Dict[str, Any]:
    """Where the figures were measured."""
    import gxml
    import sklearn

    cpu = next((ln.split(":", 1)[1].strip() for ln in _read("/proc/cpuinfo").splitlines()
                if ln.startswith("model name")), platform.processor())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=str(REPO)).stdout.strip()
    from gxml.tagger import default_model_path

    meta = default_model_path().with_suffix(".json")
    sha = json.loads(meta.read_text()).get("sha256", "")[:12] or None if meta.is_file() else None
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "python": platform.python_version(),
            "platform": platform.platform(), "cpu": cpu, "cpus": os.cpu_count(), "gxml": gxml.__version__,
            "sklearn": sklearn.__version__, "commit": commit or None, "model_sha256": sha}


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def render(r: Dict[str, Any]) -> str:
    """RESULTS.md."""
    acc, env = r["accuracy"], r["environment"]
    out = ["# gxml benchmark results", "",
           f"Generated by `python benchmarks/run.py` on {env['date']} (gxml {env['gxml']}, commit {env['commit']}, "
           f"model sha256 {env['model_sha256']}; Python {env['python']}, scikit-learn {env['sklearn']}; "
           f"{env['cpu']}, {env['cpus']} CPUs). Do not edit by hand.", ""]
    if r["notes"]:
        out += ["Notes:", ""] + [f"- {n}" for n in r["notes"]] + [""]
    out += ["## Targets", "", bench.md_table(["target", "measured", "status"],
                                              [[t["target"], t["measured"], f"**{t['status']}**"] for t in r["targets"]]), ""]
    out += ["## Accuracy", "",
            "Scored by `gxml bench` with the semantics of `shared/tools/score.py` (null == 0; "
            "`zero` is the all-zero floor). `nz_f1` is the figure that separates parsers.", ""]
    rows = []
    for spec, ds in acc["datasets"].items():
        for m, x in ds["methods"].items():
            o = x.get("overall")
            rows.append([short(spec), m] + ([f"{o['nz_f1']:.4f}", f"{o['nz_p']:.4f}", f"{o['nz_r']:.4f}",
                                              f"{o['cell_acc']:.4f}", f"{o['exact']:.3f}", f"{o['tmpl']:.3f}",
                                              str(o["crashes"]), str(o["reports"])] if o else [x["error"]] + [""] * 7))
    out += [bench.md_table(["data set", "method", "nz_f1", "nz_p", "nz_r", "cell_acc", "exact", "tmpl", "crashes", "n"],
                           rows), ""]
    syn = acc["datasets"].get(bench.SYNTHETIC)
    if syn:
        ms = [m for m, x in syn["methods"].items() if "by_category" in x]
        rends = sorted({c for m in ms for c in syn["methods"][m]["by_category"]})
        out += ["### nz_f1 per renderer (synthetic)", "",
                bench.md_table(["renderer"] + ms, [[c] + [f"{syn['methods'][m]['by_category'][c]['nz_f1']:.4f}"
                                                          for m in ms] for c in rends]), ""]
        if r.get("chart"):
            out += [f"![nz_f1 per renderer]({r['chart']})", ""]
    details = {f"{short(k)}": v for k, v in acc["datasets"].items()}
    out += ["### Details per data set", "", bench.to_markdown({"datasets": details}, show_errors=10, level=4)]
    rounds = r.get("speed_rounds") or []
    out += ["## Speed", "", "One process, `gxml.parse(text)` on texts read beforehand (seeds + dev = real, "
            f"{r['repeat']}x; synthetic once), after a warm-up parse, each method from empty caches. The texts "
            f"are dealt into {r.get('chunks', 1)} shares and the methods take turns over {len(rounds)} rounds, a "
            "share a round (ABBA order: the VM's speed drifts); the figures count every round.", ""]
    srows = [[m, g, s["n"], f"{s['p50_ms']:.2f}", f"{s['p95_ms']:.2f}", f"{s['mean_ms']:.2f}", f"{s['reports_per_s']:.1f}"]
             for m, groups in r["speed"].items() for g, s in groups.items()]
    out += [bench.md_table(["method", "texts", "n", "p50 ms", "p95 ms", "mean ms", "reports/s"], srows), ""]
    if rounds and all("ml" in x and "rules" in x for x in rounds):
        out += ["Total seconds per round:", "",
                bench.md_table(["round", "ml s", "rules s", "ml / rules"],
                               [[k + 1, f"{x['ml']:.1f}", f"{x['rules']:.1f}", f"{x['ml'] / x['rules']:.2f}"]
                                for k, x in enumerate(rounds)]), ""]
    lt = r.get("load")
    if lt:
        out += [f"Model load in a fresh process (median of {lt['runs']}): {lt['load_s'] * 1000:.0f} ms = "
                f"`LineTagger.load` "
                f"{lt['model_load_s'] * 1000:.0f} ms + jieba init {lt['jieba_init_s'] * 1000:.0f} ms "
                f"(`import gxml` before it: {lt['import_s'] * 1000:.0f} ms).", ""]
    out += ["## Memory", ""]
    if r.get("rss"):
        x = r["rss"]
        out += [f"Fresh process parsing {x['texts']} texts with `{x['method']}`: peak RSS {x['peak_mb']:.0f} MB "
                f"(after import {x['import_mb']:.0f} MB, after model load {x['model_mb']:.0f} MB)."]
    out += [f"This benchmark process (accuracy runs incl. PDF reading, speed runs): peak RSS "
            f"{r['self_peak_rss_mb']:.0f} MB.", ""]
    tr = r["training"]
    out += ["## Training", ""]
    if "metadata_seconds" in tr:
        what = ", ".join(f"{k} {v}" for k, v in tr.get("metadata", {}).items())
        out += [f"Default model: {tr['metadata_seconds']} s to train ({tr['metadata_file']}: {what})."]
    if "retrain_seconds" in tr:
        out += [f"Timed retrain now: {tr['retrain_seconds']:.1f} s (`{tr['retrain_command']}`)."]
    out += [""] if "metadata_seconds" in tr or "retrain_seconds" in tr else ["Not available.", ""]
    if "tagger" in acc:
        out += ["## ML item tagger (synthetic)", "", bench.confusion_markdown(acc["tagger"]), ""]
    out += ["## Batch throughput", "", r["batch_md"]]
    return "\n".join(out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-renderer", type=int, default=bench.SYNTHETIC_PER_RENDERER)
    ap.add_argument("--seed", type=int, default=bench.SYNTHETIC_SEED)
    ap.add_argument("--repeat", type=int, default=3, help="timing rounds over the real texts (default 3)")
    ap.add_argument("--rounds", type=int, default=ROUNDS, help=f"speed rounds, the methods taking turns (default {ROUNDS})")
    ap.add_argument("--chunks", type=int, default=CHUNKS, help=f"shares of the texts, one a round (default {CHUNKS})")
    ap.add_argument("--typeset", type=int, default=40,
                    help="reports to typeset as PDFs and read back with 4 extractors (0: none; default 40)")
    ap.add_argument("--retrain", action="store_true", help="also time `gxml train` of the default model")
    ap.add_argument("--out-dir", type=Path, default=HERE)
    a = ap.parse_args(argv)
    a.out_dir.mkdir(parents=True, exist_ok=True)

    dirs, notes = folders()
    typeset = typeset_folder(a.typeset, notes) if a.typeset else None
    acc, preds = accuracy(dirs + ([typeset] if typeset else []), a.per_renderer, a.seed, notes)
    available = [m for m in TIMED if bench.method_unavailable(m) is None]
    texts = corpus_texts({spec: p for spec, p in preds.items() if spec != str(typeset)})  # timed as before
    spd, rounds = speed(texts, available, a.repeat, a.rounds, a.chunks)
    load = rss = None
    if "ml" in available:
        try:
            load = load_time()
        except Exception as e:
            notes.append(f"model load time not measured: {e}")
    try:
        rss = rss_subprocess(texts["real"] + texts["synthetic"], "ml" if "ml" in available else "rules")
    except Exception as e:
        notes.append(f"subprocess RSS not measured: {e}")
    if rss and rss["method"] != "ml":
        notes.append("peak RSS measured with rules (no ML model)")
    training = training_time(a.retrain, dirs, notes)
    png = chart(acc, a.out_dir / "nz_f1_by_renderer.png", notes)
    batch, batch_md = batch_section()
    tg = targets(acc, spd, rss)
    result = {"environment": environment(), "notes": notes, "targets": tg, "accuracy": acc, "speed": spd,
              "speed_rounds": rounds, "chunks": a.chunks, "repeat": a.repeat, "load": load, "rss": rss,
              "self_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
              "training": training, "chart": png.name if png else None, "batch": batch}
    (a.out_dir / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n",
                                            encoding="utf-8")
    (a.out_dir / "RESULTS.md").write_text(render({**result, "batch_md": batch_md}), encoding="utf-8")

    print(bench.format_results({"datasets": acc["datasets"], **({"tagger": acc["tagger"]} if "tagger" in acc else {})}))
    print("== speed (ms/report)")
    for m, groups in spd.items():
        for g, s in groups.items():
            print(f"{m:6s} {g:10s} n={s['n']:4d} p50={s['p50_ms']:.2f} p95={s['p95_ms']:.2f} "
                  f"mean={s['mean_ms']:.2f} reports/s={s['reports_per_s']:.1f}")
    if load:
        print(f"model load (fresh process): {load['load_s'] * 1000:.0f} ms = "
              f"LineTagger.load {load['model_load_s'] * 1000:.0f} + jieba init "
              f"{load['jieba_init_s'] * 1000:.0f} (import gxml {load['import_s'] * 1000:.0f} ms)")
    if rss:
        print(f"peak RSS (fresh process, {rss['method']}, {rss['texts']} texts): {rss['peak_mb']:.0f} MB")
    print(f"peak RSS (this process): {result['self_peak_rss_mb']:.0f} MB")
    if training:
        print(f"training: {training}")
    print("== targets")
    for t in tg:
        print(f"{t['status']:4s}  {t['target']:42s} measured: {t['measured']}")
    for n in notes:
        print(f"note: {n}")
    print(f"wrote {a.out_dir / 'RESULTS.md'} and {a.out_dir / 'results.json'}" + (f" and {png}" if png else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
