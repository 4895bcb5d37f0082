#!/usr/bin/env python3
"""Throughput of ``gxml parse DIR -o out.jsonl --jobs 2`` on N generated report files.

Usage: python benchmarks/batch_throughput.py [--n 10000] [--jobs 2] [--method ml|rules]
       [--kill-after S] [--seeds] [--dir DIR] [--keep] [--json benchmarks/batch_results.json]

The files are ``training.corpus.make_corpus`` output when that is importable (``--seeds``
to skip it), else the five seed reports of ../shared/seeds with their table numbers
randomised and every 50th file a junk one (so that errors are counted too). The CLI runs as a subprocess; the script prints files, seconds,
reports/s, records written and errors. With ``--kill-after S`` the run is killed (SIGKILL, whole
process group) after S seconds, rerun with resume, and each input is checked to appear exactly
once in the output. Figures are printed (and saved to ``--json``), never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEEDS = REPO.parent / "shared" / "seeds"
sys.path.insert(0, str(REPO))

_CELL = re.compile(r"(?m)(^|\|)([ \t]*)\d{1,6}(?=[ \t]*(?:\||$))")


def perturb(text: str, rng: random.Random) -> str:
    """A seed report with every table number (a cell alone or between pipes) redrawn."""
    return _CELL.sub(lambda m: f"{m.group(1)}{m.group(2)}{rng.choice((0, 0, 0, 1, 2, rng.randint(0, 999)))}", text)


def _from_corpus_module(n: int, out: Path, seed: int) -> bool:
    """Write ``training.corpus.make_corpus(n, seed=...)`` texts when importable; False otherwise."""
    try:
        from training.corpus import make_corpus
    except Exception:
        return False
    try:
        docs = make_corpus(n, seed=seed)
        for i, doc in enumerate(docs):
            sub = out / f"part{i // 1000:03d}"
            sub.mkdir(exist_ok=True)
            (sub / f"c{i:06d}.txt").write_text(doc.text, encoding="utf-8")
    except Exception as e:  # another API than expected: fall back
        print(f"training.corpus.make_corpus unusable ({type(e).__name__}: {e}); using perturbed seeds")
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        return False
    return True


def make_files(n: int, out: Path, seed: int = 1, corpus: bool = True) -> str:
    """Write ``n`` report files under ``out`` (1000 per sub-directory); returns their origin."""
    out.mkdir(parents=True, exist_ok=True)
    if corpus and _from_corpus_module(n, out, seed):
        return "training.corpus"
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if not seeds:
        raise SystemExit(f"no seed reports in {SEEDS}")
    rng = random.Random(seed)
    for i in range(n):
        sub = out / f"part{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        if i % 50 == 49:
            (sub / f"r{i:06d}.txt").write_bytes(bytes(range(256)) * 8)
        else:
            (sub / f"r{i:06d}.txt").write_text(perturb(seeds[i % len(seeds)], rng), encoding="utf-8")
    return "perturbed seeds"


def command(src: Path, out: Path, jobs: int, method: str) -> List[str]:
    return [sys.executable, "-m", "gxml", "parse", str(src), "-o", str(out), "--jobs", str(jobs),
            "--no-progress", "--method", method]


def run(cmd: List[str], kill_after: float = 0.0) -> Dict[str, Any]:
    """Run the CLI (killing its whole process group after ``kill_after`` s if > 0)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    killed = False
    try:
        _, err = proc.communicate(timeout=kill_after if kill_after > 0 else None)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        killed = True
    return {"seconds": time.perf_counter() - t0, "returncode": proc.returncode, "killed": killed,
            "stderr": err.decode("utf-8", "replace").strip()[-400:]}


def count_output(out: Path) -> Dict[str, Any]:
    """Records, errors, distinct sources and a cut-off last line in a JSON-lines output."""
    if not out.exists():
        return {"records": 0, "errors": 0, "sources": set(), "duplicates": 0, "partial_line": False}
    data = out.read_text(encoding="utf-8")
    records, sources, dup, errors = 0, set(), 0, 0
    for line in data.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        records += 1
        dup += rec["source"] in sources
        sources.add(rec["source"])
        errors += any(i.get("kind") in ("read_error", "internal_error") for i in rec.get("issues") or [])
    return {"records": records, "errors": errors, "sources": sources, "duplicates": dup,
            "partial_line": bool(data) and not data.endswith("\n")}


def main(argv: List[str] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10000, help="number of report files (default 10000)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--method", default="ml", choices=("ml", "rules"))
    ap.add_argument("--kill-after", type=float, default=0.0, metavar="S",
                    help="kill the run after S seconds, resume it and check every input appears once")
    ap.add_argument("--dir", type=Path, help="work directory (default: a temporary one)")
    ap.add_argument("--seeds", action="store_true", help="perturbed seeds even if training.corpus exists")
    ap.add_argument("--keep", action="store_true", help="keep the generated files and output")
    ap.add_argument("--json", type=Path, default=HERE / "batch_results.json", help="where to save the figures")
    args = ap.parse_args(argv)

    work = args.dir or Path(tempfile.mkdtemp(prefix="gxml-batch-"))
    src, out = work / "reports", work / "out.jsonl"
    if out.exists():
        out.unlink()
    t0 = time.perf_counter()
    origin = make_files(args.n, src, seed=1, corpus=not args.seeds) if not src.is_dir() else "existing files"
    from gxml.batch import expand_inputs

    inputs = set(expand_inputs([str(src)]))
    print(f"{len(inputs)} files ({origin}) in {src}, made in {time.perf_counter() - t0:.1f} s")

    cmd = command(src, out, args.jobs, args.method)
    results = []
    first = run(cmd, args.kill_after)
    seen = count_output(out)
    results.append({"run": "killed" if first["killed"] else "full", "method": args.method, "jobs": args.jobs,
                    "files": len(inputs), "seconds": round(first["seconds"], 2),
                    "reports_per_s": round(seen["records"] / first["seconds"], 1) if first["seconds"] else 0,
                    "records": seen["records"], "errors": seen["errors"], "partial_line": seen["partial_line"]})
    if first["killed"]:
        again = run(cmd)
        total = count_output(out)
        new = total["records"] - seen["records"] + (1 if seen["partial_line"] else 0)
        results.append({"run": "resumed", "method": args.method, "jobs": args.jobs, "files": len(inputs),
                        "seconds": round(again["seconds"], 2),
                        "reports_per_s": round(max(new, 0) / again["seconds"], 1) if again["seconds"] else 0,
                        "records": total["records"], "errors": total["errors"], "partial_line": total["partial_line"]})
        missing, extra = inputs - total["sources"], total["sources"] - inputs
        ok = not missing and not extra and total["duplicates"] == 0 and total["records"] == len(inputs)
        print(f"resume check: {'OK' if ok else 'FAILED'}: {len(total['sources'])} sources, "
              f"{total['duplicates']} duplicates, {len(missing)} missing, {len(extra)} unexpected")
        results[-1]["resume_ok"] = ok
    elif first["returncode"] != 0:
        print(f"gxml parse exited {first['returncode']}: {first['stderr']}")

    for r in results:
        print(f"{r['run']:8s} files={r['files']} seconds={r['seconds']} reports/s={r['reports_per_s']} "
              f"records={r['records']} errors={r['errors']} partial_line={r['partial_line']}")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "origin": origin, "cpus": os.cpu_count()},
                                        ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"figures saved to {args.json}")
    if not args.keep and not args.dir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
