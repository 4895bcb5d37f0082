"""Batch runs: many report files in, one record per file out (``gxml parse``; with
``--all-reports``, one per report a file holds, sourced ``FILE#K/N``).

Python API: :func:`expand_inputs` (directories, globs, files -> paths), :func:`iter_reports`
(parse them, in a process pool with ``jobs > 1``, yielding reports as they complete) and
:func:`run_dask` (a dask.bag); records, tables and writers are in :mod:`gxml.outputs`.

A record is ``{"source", "template", "cells", "confidence", "lines", "issues", "method"}``; a
file that cannot be read or parsed is a record too, with a ``read_error``/``internal_error``
issue, and the batch goes on. Records are written and flushed one by one, so a killed run can
be resumed: with an existing output file, inputs already in it are skipped, and a partly
written last line is dropped (see :func:`resume_output`).
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from .api import METHODS, Parser
from .outputs import FORMATS, open_writer, report_record
from .report import Report

REPORT_EXTS = (".txt", ".md", ".html", ".htm", ".docx", ".doc", ".pdf")
SKIP_SUFFIXES = (".truth.json", ".tags.tsv")
ERROR_KINDS = ("read_error", "internal_error")

# ---------------------------------------------------------------- inputs


def _is_report_file(path: str) -> bool:
    name = os.path.basename(path).lower()
    return name.endswith(REPORT_EXTS) and not name.endswith(SKIP_SUFFIXES) and not name.startswith(".")


def _walk(directory: str) -> List[str]:
    out = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(os.path.join(root, f) for f in sorted(files) if _is_report_file(f))
    return out


def expand_inputs(args: Iterable[str]) -> List[str]:
    """Paths to parse from directories (recursive, report extensions only), globs and files.

    A file named outright is kept whatever its extension (a missing one gives an error record
    later); files found in directories or by globs are kept only with a report extension
    (:data:`REPORT_EXTS`; ``*.truth.json`` and ``*.tags.tsv`` never). Order is kept,
    duplicates dropped.
    """
    out: List[str] = []
    for arg in args:
        arg = os.fspath(arg)
        if os.path.isdir(arg):
            out.extend(_walk(arg))
        elif glob.has_magic(arg) and not os.path.exists(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                print(f"gxml parse: warning: no file matches {arg}", file=sys.stderr)
            for m in matches:
                if os.path.isdir(m):
                    out.extend(_walk(m))
                elif _is_report_file(m):
                    out.append(m)
        else:
            out.append(arg)
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------- parsing

_PARSERS: Dict[Any, Parser] = {}


def worker_parser(method: str = "ml", model=None) -> Parser:
    """The process's :class:`Parser` for (method, model), built once and reused."""
    key = (method, os.fspath(model) if isinstance(model, (str, os.PathLike)) else id(model))
    if key not in _PARSERS:
        _PARSERS[key] = Parser(method=method, model=model)
    return _PARSERS[key]


def ready_parser(method: str = "ml", model=None) -> Parser:
    """:func:`worker_parser` with its model loaded now: a missing or corrupt model is one
    :class:`~gxml.errors.ModelError` before the first file, not an internal error per file."""
    parser = worker_parser(method, model)
    if parser.method == "ml":
        parser.tagger  # noqa: B018 (loads the model)
    return parser


def parse_path(parser: Parser, path: str) -> Report:
    """``parser.parse_file(path)`` that never raises: any failure becomes an issue."""
    return parse_path_all(parser, path, every=False)[0]


def parse_path_all(parser: Parser, path: str, every: bool = True) -> List[Report]:
    """The reports of file ``path``, never raising (any failure becomes an issue): with
    ``every``, one per report it holds (:meth:`~gxml.api.Parser.parse_file_all`), sourced
    ``PATH#K/N`` when it holds several; else the one :meth:`~gxml.api.Parser.parse_file` reads."""
    try:
        reps = parser.parse_file_all(path) if every else [parser.parse_file(path)]
    except Exception as e:  # a reader or parser bug must not stop a batch
        reps = [Report(method=parser.method)]
        reps[0].add_issue("internal_error", f"{type(e).__name__}: {e}")
    for k, rep in enumerate(reps, 1):
        rep.source = part_source(str(path), k, len(reps))
    return reps


def part_source(path: str, k: int, n: int) -> str:
    """The source of report ``k`` of the ``n`` a file holds: the path alone when it holds one."""
    return path if n == 1 else f"{path}#{k}/{n}"


def source_part(source: str) -> Tuple[str, int, int]:
    """(file, K, N) of a record's source: ``PATH#K/N`` for report K of a file holding N,
    else ``(source, 1, 1)`` (:func:`part_source` inverted)."""
    path, sep, part = source.rpartition("#")
    k, slash, n = part.partition("/")
    if sep and slash and k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n):
        return path, int(k), int(n)
    return source, 1, 1


def done_paths(sources: Iterable[str]) -> Set[str]:
    """The files whose every report is among ``sources`` (an output's records): a file of
    several reports counts only once all ``PATH#K/N`` are there (a run killed between them
    parses it again, and writes only what is missing)."""
    parts: Dict[Tuple[str, int], Set[int]] = {}
    for src in sources:
        path, k, n = source_part(src)
        parts.setdefault((path, n), set()).add(k)
    return {path for (path, n), ks in parts.items() if len(ks) == n}


def _parse_chunk(paths: Sequence[str], method: str, model, every: bool = False) -> List[Report]:
    parser = ready_parser(method, model)  # a worker that cannot load the model raises: no report is made up
    return [rep for p in paths for rep in parse_path_all(parser, p, every)]


def _error_report(path: str, method: str, exc: BaseException) -> Report:
    rep = Report(method=method, source=str(path))
    rep.add_issue("internal_error", f"worker failed: {type(exc).__name__}: {exc}")
    return rep


def iter_reports(paths: Iterable[str], method: str = "ml", model=None, jobs: int = 1,
                 chunksize: Optional[int] = None, every: bool = False) -> Iterator[Report]:
    """Parse files, yielding a :class:`Report` (``source`` set) for each as it completes
    (with ``every``, one for each report a file holds: :func:`parse_path_all`).

    ``jobs > 1`` parses chunks of files in a process pool (each worker builds its parser
    once); ``jobs <= 0`` means one per CPU. Order follows completion, not ``paths``. A model
    that cannot be loaded raises :class:`~gxml.errors.ModelError` before the first report.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    paths = [str(p) for p in paths]
    jobs = (os.cpu_count() or 1) if jobs <= 0 else jobs
    parser = ready_parser(method, model)  # forked workers inherit it loaded
    if jobs == 1 or len(paths) <= 1:
        for p in paths:
            yield from parse_path_all(parser, p, every)
        return
    size = chunksize or max(1, min(8, len(paths) // (jobs * 4)))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        futures = {pool.submit(_parse_chunk, c, method, model, every): c for c in chunks}
        for fut in as_completed(futures):
            try:
                reports = fut.result()
            except Exception as e:  # a crashed worker (BrokenProcessPool) or unpicklable result
                reports = [_error_report(p, method, e) for p in futures[fut]]
            yield from reports
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _parse_partition(paths: Sequence[str], method: str, model) -> List[Dict[str, Any]]:
    return [r.to_dict() for r in _parse_chunk(list(paths), method, model)]


def run_dask(paths: Iterable[str], method: str = "ml", model=None, npartitions: Optional[int] = None,
             scheduler=None) -> List[Dict[str, Any]]:
    """Parse files with a dask.bag (one parser per partition and worker); ``Report.to_dict()`` list.

    Uses the active dask scheduler (a ``distributed.Client`` once created), or ``scheduler``.
    A model the workers cannot load raises its :class:`~gxml.errors.ModelError` here.
    """
    try:
        import dask.bag as db
    except ImportError:
        raise ImportError("run_dask needs dask: pip install 'gxml[dask]'") from None
    paths = [str(p) for p in paths]
    if not paths:
        return []
    bag = db.from_sequence(paths, npartitions=npartitions or min(len(paths), 64))
    return list(bag.map_partitions(_parse_partition, method, model).compute(scheduler=scheduler))


# ---------------------------------------------------------------- command line


def _format_for(out: Optional[str]) -> str:
    ext = os.path.splitext(out or "")[1].lower()
    return {".csv": "csv", ".xlsx": "xlsx"}.get(ext, "jsonl")


def _progress(total: int, enabled: Optional[bool]):
    """A tqdm bar on stderr (when installed and wanted), or None."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this
    return tqdm(total=total, file=sys.stderr, unit="file", dynamic_ncols=True)


def add_parse_arguments(sp: argparse.ArgumentParser) -> None:
    """The options of ``gxml parse``."""
    sp.add_argument("inputs", nargs="+", metavar="DIR_OR_GLOB_OR_FILE",
                    help="report files, directories (searched recursively) or glob patterns")
    sp.add_argument("--method", choices=METHODS, default="ml", help="ml (default) or the rules baseline")
    sp.add_argument("--model", metavar="PATH", help="a trained line-tagger model (default: the shipped one)")
    sp.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    sp.add_argument("--format", choices=FORMATS,
                    help="jsonl (default), csv (one row per report), csv-long (one row per cell), xlsx; "
                         "default from OUT's extension")
    sp.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (0: one per CPU)")
    sp.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                    help="progress bar on stderr (default: when stderr is a terminal)")
    sp.add_argument("--all-reports", action="store_true",
                    help="a file holding several reports (a volume) gives a record for each, "
                         "sourced FILE#K/N; by default a file gives one record")
    sp.add_argument("--resume", action=argparse.BooleanOptionalAction, default=True,
                    help="skip inputs already in OUT and repair a cut-off last line (default), "
                         "or overwrite OUT")
    sp.set_defaults(func=run_parse)


def run_parse(args: argparse.Namespace) -> int:
    """``gxml parse``: parse every input, write one record each (one per report with
    ``--all-reports``); returns the exit status."""
    fmt = args.format or _format_for(args.output)
    paths = expand_inputs(args.inputs)
    if not paths:
        raise ValueError("no input files found")
    ready_parser(args.method, args.model)  # a bad model stops here, before any output is written
    writer, written = open_writer(args.output, fmt, resume=args.resume)
    done = done_paths(written)
    todo = [p for p in paths if p not in done]
    bar = _progress(len(todo), args.progress)
    n = errors = files = 0
    try:
        for rep in iter_reports(todo, method=args.method, model=args.model, jobs=args.jobs, every=args.all_reports):
            if rep.source in written:  # a part of a volume written before the last run was killed
                continue
            writer.write(report_record(rep))
            n += 1
            errors += any(i.get("kind") in ERROR_KINDS for i in rep.issues)
            _, k, parts = source_part(rep.source or "")
            files += k == parts  # a file's last report ends it
            if bar is not None and k == parts:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        writer.close()
    skipped = f", {len(paths) - len(todo)} already done" if done else ""
    reports = f" ({n} reports)" if n != files else ""
    print(f"gxml parse: {files} file(s) parsed{reports}, {errors} could not be read or parsed{skipped}",
          file=sys.stderr)
    return 0
