"""Batch runs: many report files in, one record per file out (``gxml parse``).

Python API: :func:`expand_inputs` (directories, globs, files -> paths), :func:`iter_reports`
(parse them, in a process pool with ``jobs > 1``, yielding reports as they complete),
:func:`report_record`, :func:`write_jsonl`, :func:`write_csv` (wide, or ``long=True``),
:func:`write_xlsx`, :func:`to_dataframe` (pandas) and :func:`run_dask` (a dask.bag).

A record is ``{"source", "template", "cells", "confidence", "lines", "issues", "method"}``; a
file that cannot be read or parsed is a record too, with a ``read_error``/``internal_error``
issue, and the batch goes on. Records are written and flushed one by one, so a killed run can
be resumed: with an existing output file, inputs already in it are skipped, and a partly
written last line is dropped (see :func:`resume_output`).
"""
from __future__ import annotations

import argparse
import csv
import glob
import io
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Set, TextIO, Union

from .api import METHODS, Parser
from .report import Report

REPORT_EXTS = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
SKIP_SUFFIXES = (".truth.json", ".tags.tsv")
FORMATS = ("jsonl", "csv", "csv-long", "xlsx")
RECORD_KEYS = ("source", "template", "cells", "confidence", "lines", "issues", "method")
ERROR_KINDS = ("read_error", "internal_error")
LONG_COLUMNS = ("source", "key", "value", "confidence", "line")

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


def parse_path(parser: Parser, path: str) -> Report:
    """``parser.parse_file(path)`` that never raises: any failure becomes an issue."""
    try:
        rep = parser.parse_file(path)
    except Exception as e:  # a reader or parser bug must not stop a batch
        rep = Report(method=parser.method)
        rep.add_issue("internal_error", f"{type(e).__name__}: {e}")
    rep.source = str(path)
    return rep


def _parse_chunk(paths: Sequence[str], method: str, model) -> List[Report]:
    parser = worker_parser(method, model)
    return [parse_path(parser, p) for p in paths]


def _error_report(path: str, method: str, exc: BaseException) -> Report:
    rep = Report(method=method, source=str(path))
    rep.add_issue("internal_error", f"worker failed: {type(exc).__name__}: {exc}")
    return rep


def iter_reports(paths: Iterable[str], method: str = "ml", model=None, jobs: int = 1,
                 chunksize: Optional[int] = None) -> Iterator[Report]:
    """Parse files, yielding a :class:`Report` (``source`` set) for each as it completes.

    ``jobs > 1`` parses chunks of files in a process pool (each worker builds its parser
    once); ``jobs <= 0`` means one per CPU. Order follows completion, not ``paths``.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    paths = [str(p) for p in paths]
    jobs = (os.cpu_count() or 1) if jobs <= 0 else jobs
    if jobs == 1 or len(paths) <= 1:
        parser = worker_parser(method, model)
        for p in paths:
            yield parse_path(parser, p)
        return
    size = chunksize or max(1, min(8, len(paths) // (jobs * 4)))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        futures = {pool.submit(_parse_chunk, c, method, model): c for c in chunks}
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


# ---------------------------------------------------------------- records and tables


def report_record(report: Report) -> Dict[str, Any]:
    """The batch record of a report (a subset of ``Report.to_dict()``)."""
    d = report.to_dict()
    return {k: d[k] for k in RECORD_KEYS}


def _as_record(r) -> Dict[str, Any]:
    return report_record(r) if isinstance(r, Report) else r


def cell_columns() -> List[str]:
    """Cell keys of both templates: all of 2021 in order, then those only in 2019."""
    from .templates import get_template

    keys = list(get_template("2021").cells)
    seen = set(keys)
    return keys + [k for k in get_template("2019").cells if k not in seen]


def wide_columns() -> List[str]:
    """Columns of the wide table: source, template, n_issues, then every cell key."""
    return ["source", "template", "n_issues"] + cell_columns()


def wide_row(record: Dict[str, Any]) -> List[Any]:
    """A record as a row of :func:`wide_columns` (None for cells the report lacks)."""
    cells = record.get("cells") or {}
    return [record.get("source"), record.get("template"), len(record.get("issues") or [])] + \
        [cells.get(k) for k in cell_columns()]


def long_rows(record: Dict[str, Any]) -> List[List[Any]]:
    """A record as (source, key, value, confidence, line) rows; one blank row if it has no cells."""
    src, conf, lines = record.get("source"), record.get("confidence") or {}, record.get("lines") or {}
    cells = record.get("cells") or {}
    if not cells:
        return [[src, "", None, None, None]]
    return [[src, k, v, conf.get(k), lines.get(k)] for k, v in cells.items()]


def to_dataframe(reports: Iterable[Any]):
    """A pandas DataFrame with one row per report (Report or record dict), :func:`wide_columns`."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_dataframe needs pandas: pip install 'gxml[batch]'") from None
    return pd.DataFrame([wide_row(_as_record(r)) for r in reports], columns=wide_columns())


# ---------------------------------------------------------------- writers


def _csv_text(rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(["" if v is None else v for v in row] for row in rows)
    return buf.getvalue()


class StreamWriter:
    """Writes records to a text stream, one flushed write per record."""

    def __init__(self, fh: TextIO, fmt: str = "jsonl", header: bool = True, close_fh: bool = True):
        self.fh, self.fmt, self.close_fh = fh, fmt, close_fh
        if header and fmt in ("csv", "csv-long"):
            self._emit(_csv_text([wide_columns() if fmt == "csv" else LONG_COLUMNS]))

    def _emit(self, text: str) -> None:
        self.fh.write(text)
        self.fh.flush()

    def write(self, record: Dict[str, Any]) -> None:
        if self.fmt == "jsonl":
            self._emit(json.dumps(record, ensure_ascii=False) + "\n")
        elif self.fmt == "csv":
            self._emit(_csv_text([wide_row(record)]))
        else:
            self._emit(_csv_text(long_rows(record)))

    def close(self) -> None:
        if self.close_fh:
            self.fh.close()


class XlsxWriter:
    """Collects records and saves an .xlsx (sheets "reports" wide and "issues") on close.

    The workbook is written at the end (atomically), so a killed run keeps the previous file.
    """

    def __init__(self, path: str, keep: Optional[Dict[str, List[List[Any]]]] = None):
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            raise ValueError("writing .xlsx needs openpyxl: pip install 'gxml[batch]'") from None
        self.path = path
        self.rows = (keep or {}).get("reports", [])
        self.issues = (keep or {}).get("issues", [])

    def write(self, record: Dict[str, Any]) -> None:
        self.rows.append(wide_row(record))
        self.issues.extend([record.get("source"), i.get("kind"), i.get("message")] for i in record.get("issues") or [])

    @staticmethod
    def _cell(v: Any) -> Any:
        """A value Excel can hold: no control characters, <= 32767 chars, exact big integers as text."""
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if isinstance(v, str):
            return ILLEGAL_CHARACTERS_RE.sub("\ufffd", v)[:32767]
        if isinstance(v, int) and abs(v) >= 10**15:
            return str(v)
        return v

    def close(self) -> None:
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        for title, header, rows in (("reports", wide_columns(), self.rows),
                                    ("issues", ["source", "kind", "message"], self.issues)):
            ws = wb.create_sheet(title)
            ws.append(header)
            for row in rows:
                ws.append([self._cell(v) for v in row])
        tmp = self.path + ".tmp"
        wb.save(tmp)
        os.replace(tmp, self.path)


def write_records(reports: Iterable[Any], out: Union[str, "os.PathLike[str]", TextIO], fmt: str = "jsonl") -> int:
    """Write reports (or record dicts) in ``fmt`` to a path or an open text stream; returns the count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        writer: Any = XlsxWriter(os.fspath(out))
    elif isinstance(out, (str, os.PathLike)):
        writer = StreamWriter(open(out, "w", encoding="utf-8", newline=""), fmt)
    else:
        writer = StreamWriter(out, fmt, close_fh=False)
    n = 0
    try:
        for r in reports:
            writer.write(_as_record(r))
            n += 1
    finally:
        writer.close()
    return n


def write_jsonl(reports: Iterable[Any], out) -> int:
    """Reports as JSON lines (see :func:`write_records`)."""
    return write_records(reports, out, "jsonl")


def write_csv(reports: Iterable[Any], out, long: bool = False) -> int:
    """Reports as a wide CSV (one row per report) or, with ``long``, one row per cell."""
    return write_records(reports, out, "csv-long" if long else "csv")


def write_xlsx(reports: Iterable[Any], path) -> int:
    """Reports as an .xlsx workbook (sheets "reports" and "issues")."""
    return write_records(reports, path, "xlsx")


def read_xlsx(path: str) -> Dict[str, List[List[Any]]]:
    """Rows (header excluded) of each sheet of an .xlsx written by :class:`XlsxWriter`."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(min_row=2, values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def _atomic_write(path: str, text: str) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


def resume_output(path: str, fmt: str) -> Set[str]:
    """Sources already in an output file, after repairing it for appending.

    A last line without its newline (a killed run) is dropped, as are lines that do not parse
    and repeated sources; for ``csv-long`` the last source's rows are dropped too (they may be
    incomplete) so that it is parsed again. The file is rewritten only if something was dropped.
    """
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    complete = text[: text.rfind("\n") + 1]
    kept: List[str] = []
    sources: Dict[str, None] = {}
    if fmt == "jsonl":
        for line in complete.splitlines(keepends=True):
            try:
                src = json.loads(line).get("source")
            except (ValueError, AttributeError):
                continue
            if isinstance(src, str) and src not in sources:
                sources[src] = None
                kept.append(line)
        new = "".join(kept)
    else:
        expected = wide_columns() if fmt == "csv" else list(LONG_COLUMNS)
        rows = list(csv.reader(io.StringIO(complete)))
        if rows and rows[0] != expected:
            raise ValueError(f"{path} is not a {fmt} file written by gxml; use --no-resume or another -o")
        good = [r for r in rows[1:] if len(r) == len(expected)]
        if fmt == "csv-long" and good:
            last = good[-1][0]
            good = [r for r in good if r[0] != last]
        body: List[List[str]] = []
        prev, keep_block = None, True
        for r in good:  # a source is kept once: its first row (csv) or first block of rows
            if fmt == "csv" or r[0] != prev:
                keep_block, prev = r[0] not in sources, r[0]
            if keep_block:
                sources[r[0]] = None
                body.append(r)
        new = _csv_text([expected] + body)
    if new != text:
        _atomic_write(path, new)
    return set(sources)


def open_writer(out: Optional[str], fmt: str, resume: bool = True):
    """A writer for ``fmt`` to file ``out`` (stdout if None) and the sources it already holds."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if out is None:
        if fmt == "xlsx":
            raise ValueError("--format xlsx needs an output file: -o OUT.xlsx")
        return StreamWriter(sys.stdout, fmt, close_fh=False), set()
    exists = resume and os.path.exists(out) and os.path.getsize(out) > 0
    if fmt == "xlsx":
        keep = read_xlsx(out) if exists else None
        done = {r[0] for r in (keep or {}).get("reports", []) if r and r[0] is not None}
        return XlsxWriter(out, keep), done
    done = resume_output(out, fmt) if exists else set()
    fh = open(out, "a" if exists else "w", encoding="utf-8", newline="")
    return StreamWriter(fh, fmt, header=not exists), done


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
    sp.add_argument("--resume", action=argparse.BooleanOptionalAction, default=True,
                    help="skip inputs already in OUT and repair a cut-off last line (default), "
                         "or overwrite OUT")
    sp.set_defaults(func=run_parse)


def run_parse(args: argparse.Namespace) -> int:
    """``gxml parse``: parse every input, write one record each; returns the exit status."""
    fmt = args.format or _format_for(args.output)
    paths = expand_inputs(args.inputs)
    if not paths:
        raise ValueError("no input files found")
    writer, done = open_writer(args.output, fmt, resume=args.resume)
    todo = [p for p in paths if p not in done]
    bar = _progress(len(todo), args.progress)
    n = errors = 0
    try:
        for rep in iter_reports(todo, method=args.method, model=args.model, jobs=args.jobs):
            writer.write(report_record(rep))
            n += 1
            errors += any(i.get("kind") in ERROR_KINDS for i in rep.issues)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        writer.close()
    skipped = f", {len(paths) - len(todo)} already done" if done else ""
    print(f"gxml parse: {n} file(s) parsed, {errors} could not be read or parsed{skipped}", file=sys.stderr)
    return 0
