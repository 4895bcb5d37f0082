"""Batch outputs: records, tables and the files they are written to, resumable.

A record is ``{"source", "template", "cells", "confidence", "lines", "issues", "method"}``.
:func:`write_records` writes JSON lines, CSV (wide: one row per report, one column per cell
key; or long: source, key, value, confidence, line) or XLSX; :func:`resume_output` reads back
what an earlier, possibly killed, run wrote (dropping a partly written last line) so that the
next run skips those inputs; :func:`to_dataframe` gives pandas.
"""
from __future__ import annotations

import csv
import io
import json
import os
import sys
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, TextIO, Union

from .report import Report

FORMATS = ("jsonl", "csv", "csv-long", "xlsx")
RECORD_KEYS = ("source", "template", "cells", "confidence", "lines", "issues", "method")
LONG_COLUMNS = ("source", "key", "value", "confidence", "line")

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
