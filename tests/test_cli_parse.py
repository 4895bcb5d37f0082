"""``gxml parse`` through ``gxml.cli.main``: outputs, formats, jobs, resume after a kill."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Dict, List

import pytest

from gxml.outputs import LONG_COLUMNS, read_xlsx, wide_columns
from gxml.cli import main
from test_bad_input import ml_available
from test_readers import needs_seeds, seed_paths

pytestmark = needs_seeds


@pytest.fixture
def inputs(tmp_path) -> Path:
    """Six inputs: the five seed reports and one binary file."""
    d = tmp_path / "in"
    d.mkdir()
    for p in seed_paths():
        shutil.copy(p, d / p.name)
    (d / "broken.txt").write_bytes(bytes(range(256)) * 20)
    return d


def parse(*argv: str, method: str = "rules") -> int:
    return main(["parse", *argv, "--method", method, "--no-progress"])


def jsonl(path: Path) -> List[Dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def by_source(records: List[Dict]) -> Dict[str, Dict]:
    out = {r["source"]: r for r in records}
    assert len(out) == len(records), "a source appears twice"
    return out


def test_stdout_jsonl(inputs, capsys):
    assert parse(str(inputs / "*.txt")) == 0
    out, err = capsys.readouterr()
    recs = by_source([json.loads(line) for line in out.splitlines()])
    assert len(recs) == 6 and "6 file(s) parsed, 1 could not be read" in err
    assert {"source", "template", "cells", "confidence", "issues", "method"} <= set(next(iter(recs.values())))
    assert recs[str(inputs / "broken.txt")]["issues"][0]["kind"] == "read_error"


def test_resume_after_kill(inputs, tmp_path):
    full, out = tmp_path / "full.jsonl", tmp_path / "out.jsonl"
    assert parse(str(inputs), "-o", str(full)) == 0
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == 6
    out.write_text("".join(lines[:3]) + lines[3][:40], encoding="utf-8")  # killed while writing record 4
    assert parse(str(inputs), "-o", str(out)) == 0
    assert by_source(jsonl(out)) == by_source(jsonl(full))
    assert parse(str(inputs), "-o", str(out)) == 0  # nothing left to do: nothing added
    assert len(jsonl(out)) == 6
    assert parse(str(inputs), "-o", str(out), "--no-resume") == 0
    assert len(jsonl(out)) == 6


@pytest.mark.parametrize("fmt", ["csv", "csv-long"])
def test_resume_after_kill_csv(inputs, tmp_path, fmt):
    full, out = tmp_path / "full.csv", tmp_path / "out.csv"
    assert parse(str(inputs), "-o", str(full), "--format", fmt) == 0
    data = full.read_text(encoding="utf-8")
    lines = data.splitlines(keepends=True)
    k = len(lines) // 2
    out.write_text("".join(lines[:k]) + lines[k][: len(lines[k]) // 2], encoding="utf-8")
    assert parse(str(inputs), "-o", str(out), "--format", fmt) == 0
    key = (lambda r: r[0]) if fmt == "csv" else (lambda r: (r[0], r[1]))
    rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
    want = list(csv.reader(full.open(encoding="utf-8", newline="")))
    assert rows[0] == want[0] and len(rows) == len(want)
    assert sorted(rows[1:], key=key) == sorted(want[1:], key=key)


@pytest.mark.parametrize("method", ["rules", "ml"])
def test_jobs_2_same_records_as_jobs_1(inputs, tmp_path, method):
    if method == "ml" and not ml_available():
        pytest.skip("no shipped model (models/default.joblib)")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert parse(str(inputs), "-o", str(one), "--jobs", "1", method=method) == 0
    assert parse(str(inputs), "-o", str(two), "--jobs", "2", method=method) == 0
    recs = by_source(jsonl(one))
    assert recs == by_source(jsonl(two))
    assert {r["method"] for r in recs.values()} == {method}
    assert sum(r["template"] is not None for r in recs.values()) == 5


def test_csv_wide_long_and_xlsx_readable(inputs, tmp_path):
    pd = pytest.importorskip("pandas")
    assert parse(str(inputs), "-o", str(tmp_path / "w.csv")) == 0  # format from the extension
    wide = pd.read_csv(tmp_path / "w.csv")
    assert list(wide.columns) == wide_columns() and len(wide) == 6
    assert wide["template"].notna().sum() == 5
    assert parse(str(inputs), "-o", str(tmp_path / "l.csv"), "--format", "csv-long") == 0
    long = pd.read_csv(tmp_path / "l.csv")
    assert tuple(long.columns) == LONG_COLUMNS and long["source"].nunique() == 6
    pytest.importorskip("openpyxl")
    xlsx = tmp_path / "r.xlsx"
    assert parse(str(inputs), "-o", str(xlsx)) == 0
    sheets = read_xlsx(str(xlsx))
    assert len(sheets["reports"]) == 6 and any(r[1] == "read_error" for r in sheets["issues"])
    assert parse(str(inputs), "-o", str(xlsx)) == 0  # resume: all done, file kept
    assert len(read_xlsx(str(xlsx))["reports"]) == 6
    frame = pd.read_excel(xlsx, sheet_name="reports")
    assert list(frame.columns) == wide_columns()


def test_user_errors_exit_2(tmp_path, capsys):
    assert parse(str(tmp_path / "empty_dir_glob_*.txt")) == 2
    assert "no input files" in capsys.readouterr().err
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert parse(str(tmp_path / "a.txt"), "--format", "xlsx") == 2
    assert "needs an output file" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["parse", str(tmp_path / "a.txt"), "--method", "magic"])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_model_that_cannot_be_loaded_stops_the_batch_before_it_starts(tmp_path, capsys, jobs):
    """Not an internal error per file: one message, exit 2, no output written."""
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "bad.joblib").write_bytes(b"not a model")
    for model, why in ((tmp_path / "nope.joblib", "model file not found"), (tmp_path / "bad.joblib", "cannot load model")):
        out = tmp_path / "out.jsonl"
        assert parse(str(tmp_path / "a.txt"), "--model", str(model), "-o", str(out), "-j", jobs, method="ml") == 2
        assert why in capsys.readouterr().err
        assert not out.exists()


@pytest.fixture
def volume(tmp_path) -> Path:
    """A volume of two seed reports (2021 and 2019) in one file, beside one report alone."""
    seeds = {p.name: p for p in seed_paths()}
    d = tmp_path / "vol"
    d.mkdir()
    two = [seeds[n].read_text(encoding="utf-8") for n in sorted(seeds)[:1] + sorted(seeds)[-1:]]
    (d / "volume.txt").write_text("\n\n".join(two), encoding="utf-8")
    shutil.copy(seeds[sorted(seeds)[1]], d / "single.txt")
    return d


@pytest.mark.skipif(not ml_available(), reason="no shipped model")
def test_all_reports_gives_a_record_for_each_report_of_a_volume(volume, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert parse(str(volume), "-o", str(out), "--all-reports", method="ml") == 0
    recs = by_source(jsonl(out))
    vol = str(volume / "volume.txt")
    assert set(recs) == {vol + "#1/2", vol + "#2/2", str(volume / "single.txt")}
    assert [recs[vol + f"#{k}/2"]["template"] for k in (1, 2)] == ["2021", "2019"]
    assert "2 file(s) parsed (3 reports)" in capsys.readouterr().err
    # killed after the volume's first report: the rerun writes its second, nothing twice
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(line for line in lines if "#1/2" in line)
    out.write_text(first, encoding="utf-8")
    assert parse(str(volume), "-o", str(out), "--all-reports", method="ml") == 0
    assert by_source(jsonl(out)) == recs
    # without --all-reports a volume is one record, flagged
    one = tmp_path / "one.jsonl"
    assert parse(str(volume / "volume.txt"), "-o", str(one), method="ml") == 0
    (rec,) = jsonl(one)
    assert rec["source"] == vol and "repeated_tables" in {i["kind"] for i in rec["issues"]}


def test_done_paths_counts_a_volume_once_all_its_reports_are_written():
    from gxml.batch import done_paths, part_source, source_part

    assert source_part(part_source("a/v.pdf", 2, 3)) == ("a/v.pdf", 2, 3)
    assert source_part("a/x#1.txt") == ("a/x#1.txt", 1, 1)
    assert done_paths(["a.txt", "v.pdf#1/2", "w.pdf#1/2", "w.pdf#2/2"]) == {"a.txt", "w.pdf"}
