"""The batch API: input expansion, parallel parsing, records, tables, resume repair, dask."""
from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path

import pytest

from gxml import batch, outputs
from gxml.report import Report
from test_readers import needs_seeds, seed_paths

pytestmark = needs_seeds


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Five seed reports (one in a sub-directory), their truth files, and one junk file."""
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    for i, p in enumerate(seed_paths()):
        shutil.copy(p, d / ("sub" if i == 4 else "") / p.name)
        truth = p.with_name(p.name.replace(".txt", ".truth.json"))
        if truth.exists():
            shutil.copy(truth, d / truth.name)
    (d / "zz_junk.txt").write_bytes(bytes(range(256)) * 40)
    (d / "x.tags.tsv").write_text("a\tb\n", encoding="utf-8")
    (d / "notes.json").write_text("{}", encoding="utf-8")
    return d


def _by_source(reports):
    recs = [outputs.report_record(r) if isinstance(r, Report) else r for r in reports]
    out = {r["source"]: r for r in recs}
    assert len(out) == len(recs)
    return out


def test_expand_inputs(corpus):
    paths = batch.expand_inputs([str(corpus)])
    names = [Path(p).name for p in paths]
    assert len(paths) == 6 and "zz_junk.txt" in names and Path(paths[-1]).parent.name == "sub"
    assert not any(n.endswith((".json", ".tsv")) for n in names)
    globbed = batch.expand_inputs([str(corpus / "*"), str(corpus / "zz_junk.txt")])
    assert sorted(globbed) == sorted(paths)  # dirs in globs expand; only report files; no duplicates
    assert batch.expand_inputs([str(corpus / "notes.json")]) == [str(corpus / "notes.json")]


def test_iter_reports_records_and_errors(corpus):
    paths = batch.expand_inputs([str(corpus), str(corpus / "missing.txt")])
    recs = _by_source(batch.iter_reports(paths, method="rules"))
    assert set(recs) == set(paths)
    bad = {s for s, r in recs.items() if any(i["kind"] == "read_error" for i in r["issues"])}
    assert bad == {str(corpus / "zz_junk.txt"), str(corpus / "missing.txt")}
    good = recs[str(seed_paths()[0]).replace(str(seed_paths()[0].parent), str(corpus))]
    assert good["template"] in ("2019", "2021") and set(good) == set(outputs.RECORD_KEYS)
    json.dumps(list(recs.values()), ensure_ascii=False)


def test_jobs_2_gives_the_same_reports(corpus):
    paths = batch.expand_inputs([str(corpus)])
    one = _by_source(batch.iter_reports(paths, method="rules", jobs=1))
    two = _by_source(batch.iter_reports(paths, method="rules", jobs=2, chunksize=2))
    assert one == two


class _Exploding:
    method = "rules"

    def parse_file(self, path):
        raise RuntimeError("parser bug")


def _exploding_parser(method="ml", model=None):
    return _Exploding()


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="patching workers needs fork")
def test_worker_failure_becomes_an_issue(corpus, monkeypatch):
    monkeypatch.setattr(batch, "worker_parser", _exploding_parser)
    paths = batch.expand_inputs([str(corpus)])
    for jobs in (1, 2):
        recs = _by_source(batch.iter_reports(paths, method="rules", jobs=jobs))
        assert set(recs) == set(paths)
        assert all(r["issues"][0]["kind"] == "internal_error" for r in recs.values())


def test_unknown_method():
    with pytest.raises(ValueError, match="unknown method"):
        list(batch.iter_reports(["x"], method="magic"))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_model_that_cannot_be_loaded_raises_before_the_first_report(tmp_path, jobs):
    from gxml.errors import ModelError

    reports = batch.iter_reports(["a.txt", "b.txt"], method="ml", model=tmp_path / "nope.joblib", jobs=jobs)
    with pytest.raises(ModelError, match="model file not found"):
        next(reports)


def test_tables(corpus):
    reports = list(batch.iter_reports(batch.expand_inputs([str(corpus)]), method="rules"))
    df = outputs.to_dataframe(reports)
    cols = outputs.wide_columns()
    assert list(df.columns) == cols and len(df) == 6
    assert cols[:3] == ["source", "template", "n_issues"] and len(set(cols)) == len(cols)
    from gxml.templates import get_template

    assert set(cols[3:]) == set(get_template("2021").cells) | set(get_template("2019").cells)
    assert cols[3:3 + len(get_template("2021").cells)] == list(get_template("2021").cells)
    long = [row for r in reports for row in outputs.long_rows(outputs.report_record(r))]
    assert {row[0] for row in long} == {r.source for r in reports}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "csv-long"])
def test_resume_output_repairs_a_cut_file(tmp_path, corpus, fmt):
    reports = list(batch.iter_reports(batch.expand_inputs([str(corpus)]), method="rules"))
    full = tmp_path / "full.out"
    assert outputs.write_records(reports, full, fmt) == len(reports)
    data = full.read_text(encoding="utf-8")
    sources = [r.source for r in reports]
    if fmt == "csv-long":  # the last source's rows may be incomplete: it is parsed again
        assert outputs.resume_output(str(full), fmt) == set(sources[:-1])
    else:
        assert outputs.resume_output(str(full), fmt) == set(sources)
        assert full.read_text(encoding="utf-8") == data
    lines = data.splitlines(keepends=True)
    k = len(lines) // 2
    cut = tmp_path / "cut.out"
    cut.write_text("".join(lines[:k]) + lines[k][: len(lines[k]) // 2], encoding="utf-8")  # killed mid-line
    done = outputs.resume_output(str(cut), fmt)
    repaired = cut.read_text(encoding="utf-8")
    assert repaired.endswith("\n") and data.startswith(repaired)
    assert 0 < len(done) < len(reports)
    dup = tmp_path / "dup.out"  # a record written twice is kept once
    dup.write_text(repaired + repaired.split("\n", 1)[1], encoding="utf-8")
    assert outputs.resume_output(str(dup), fmt) <= done | {reports[-1].source}


def test_write_helpers(tmp_path, corpus):
    import io

    reports = list(batch.iter_reports(batch.expand_inputs([str(corpus)]), method="rules"))
    buf = io.StringIO()
    assert outputs.write_jsonl(reports, buf) == 6 and not buf.closed
    assert {json.loads(line)["source"] for line in buf.getvalue().splitlines()} == {r.source for r in reports}
    assert outputs.write_csv(reports, tmp_path / "w.csv") == 6
    assert outputs.write_csv([outputs.report_record(r) for r in reports], tmp_path / "l.csv", long=True) == 6
    assert outputs.write_xlsx(reports, tmp_path / "r.xlsx") == 6
    assert len(outputs.read_xlsx(str(tmp_path / "r.xlsx"))["reports"]) == 6
    with pytest.raises(ValueError, match="unknown format"):
        outputs.write_records(reports, buf, "parquet")


def test_resume_refuses_a_foreign_csv(tmp_path):
    f = tmp_path / "other.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a csv file written by gxml"):
        outputs.resume_output(str(f), "csv")


def test_run_dask_local_cluster(corpus):
    pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("distributed")
    paths = batch.expand_inputs([str(corpus)])[:4]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        dicts = batch.run_dask(paths, method="rules", npartitions=2)
    assert sorted(d["source"] for d in dicts) == sorted(paths)
    local = _by_source(batch.iter_reports(paths, method="rules"))
    assert _by_source(Report.from_dict(d) for d in dicts) == local
    assert batch.run_dask([], method="rules") == []


def test_run_dask_raises_when_the_model_cannot_be_loaded(corpus, tmp_path):
    """One ModelError from the workers, not an internal_error record per file."""
    pytest.importorskip("dask.bag")
    from gxml.errors import ModelError

    paths = batch.expand_inputs([str(corpus)])[:2]
    with pytest.raises(ModelError, match="model file not found"):
        batch.run_dask(paths, method="ml", model=tmp_path / "nope.joblib", scheduler="sync")
