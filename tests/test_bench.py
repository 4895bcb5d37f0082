"""gxml.bench: the metric function against hand-made cases, and agreement with score.py."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest

import gxml
from gxml import bench
from gxml.bench import Case, Prediction, metrics

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SCORE = SHARED / "tools" / "score.py"
FOLDERS = [SHARED / "seeds", SHARED / "dev"]
MODEL = REPO / "models" / "default.joblib"


def _pred(truth_cells, cells, template="2021", truth_template="2021", crash=None, name="a.txt"):
    case = Case(name, "txt", {"template": truth_template, "cells": truth_cells})
    return Prediction(case, template=template, cells=cells, crash=crash)


# -- the metric function ----------------------------------------------------------------------
def test_null_and_zero_are_the_same():
    m = metrics([_pred({"active.a": 0, "active.b": None}, {"active.a": None, "active.b": 0})], "rules")
    assert m["cell_acc"] == 1.0 and m["exact"] == 1.0
    assert (m["nz_p"], m["nz_r"]) == (1.0, 1.0)  # no non-zero cell anywhere: both default to 1


def test_close_numbers_match_and_far_ones_do_not():
    assert bench.same(100, 100.00001) and bench.same(0.3, 0.30000000001)
    assert not bench.same(100, 101) and not bench.same(None, 1)
    assert bench.same("x", "x") and not bench.nonzero("0") and bench.nonzero("abc")


def test_false_alarm_counts_in_precision_only():
    m = metrics([_pred({"active.a": 5, "active.b": 0}, {"active.a": 5, "active.b": 7})], "rules")
    assert m["nz_p"] == 0.5 and m["nz_r"] == 1.0
    assert m["nz_f1"] == pytest.approx(2 / 3)
    assert m["cell_acc"] == 0.5


def test_one_wrong_cell_breaks_exact():
    good = _pred({"active.a": 1, "requests.b": 2}, {"active.a": 1, "requests.b": 2}, name="g")
    bad = _pred({"active.a": 1, "requests.b": 2}, {"active.a": 1, "requests.b": 3}, name="b")
    m = metrics([good, bad], "rules")
    assert m["exact"] == 0.5 and m["cell_acc"] == 0.75
    # a wrong non-zero prediction of a non-zero truth is a miss and a false alarm
    assert (m["nz_p"], m["nz_r"]) == (0.75, 0.75)
    by_table = metrics([good, bad], "rules", table="active")
    assert by_table["exact"] == 1.0 and by_table["cells"] == 2
    assert metrics([good, bad], "rules", table="requests")["exact"] == 0.5


def test_template_crashes_and_the_zero_floor():
    p = _pred({"active.a": 3}, {}, template=None, crash="ValueError: boom")
    m = metrics([p], "rules")
    assert (m["tmpl"], m["crashes"], m["nz_r"], m["nz_f1"]) == (0.0, 1, 0.0, 0.0)
    assert metrics([p], "zero")["tmpl"] == 1.0  # the floor counts as recognised, as score.py does
    assert metrics([], "rules")["cell_acc"] == 0.0 and metrics([], "rules")["reports"] == 0


def test_calibration_counts_cells_and_errors_per_confidence_band():
    truth = {"active.a": 1, "active.b": 2, "active.c": 0, "active.d": 5}
    pr = _pred(truth, {"active.a": 1, "active.b": 3, "active.c": 0, "active.d": 4})
    pr.confidence = {"active.a": 0.95, "active.b": 0.6, "active.c": 1.0, "active.d": 0.3}
    missed = _pred({"active.a": 7}, {}, template=None)  # no confidence at all: counts as 0
    bands = {(b["from"], b["to"]): b for b in bench.calibration([pr, missed])}
    assert [(k, b["cells"], b["wrong"]) for k, b in bands.items()] == [
        ((0.0, 0.5), 2, 2), ((0.5, 0.7), 1, 1), ((0.7, 0.9), 0, 0), ((0.9, 1.0), 2, 0)]
    assert bands[(0.0, 0.5)]["error_rate"] == 1.0 and bands[(0.7, 0.9)]["error_rate"] == 0.0
    # checking every cell under 0.7 checks 3 of the 5 cells and finds all 3 errors
    assert bands[(0.5, 0.7)]["cells_below"] == 0.6 and bands[(0.5, 0.7)]["wrong_below"] == 1.0
    assert bands[(0.9, 1.0)]["cells_below"] == 1.0
    ev = bench.evaluate([pr, missed], "ml")
    assert ev["calibration"] == bench.calibration([pr, missed])
    assert "calibration" not in bench.evaluate([pr, missed], "zero")  # the floor states no confidence


def test_wrong_cells_lists_expected_predicted_and_line():
    p = _pred({"active.a": 1, "active.b": 2}, {"active.a": 1, "active.b": 9})
    p.lines, p.raw = {"active.b": 7}, {"active.b": "9"}
    assert bench.wrong_cells([p]) == [{"file": "a.txt", "key": "active.b", "expected": 2, "predicted": 9,
                                       "line": 7, "raw": "9"}]
    assert bench.wrong_cells([p, p, p], limit=2) and len(bench.wrong_cells([p, p, p], limit=2)) == 2


def test_category_of():
    assert bench.category_of(Path("r001-pdftotext-layout.txt")) == "pdftotext-layout"
    assert bench.category_of(Path("r002-pdf.pdf")) == "pdf"
    assert bench.category_of(Path("000_023b924819fd2490.txt")) == "txt"


# -- data sets, crashes, the synthetic set -----------------------------------------------------
def test_a_crash_is_counted_and_the_bench_goes_on(tmp_path, monkeypatch):
    for name in ("r1-a", "r2-a"):
        (tmp_path / f"{name}.txt").write_text("二、主动公开政府信息情况\n", encoding="utf-8")
        (tmp_path / f"{name}.truth.json").write_text(json.dumps({"template": "2021", "cells": {"active.x": 1}}))

    def boom(path, method="ml", model=None):
        if "r1" in str(path):
            raise RuntimeError("boom")
        return gxml.Report(template="2021", cells={"active.x": 1})

    monkeypatch.setattr(gxml, "parse_file", boom)
    ev = bench.evaluate(bench.run_method(bench.folder_cases(tmp_path), "rules"), "rules", errors=5)
    assert ev["overall"]["crashes"] == 1 and ev["overall"]["reports"] == 2
    assert ev["overall"]["exact"] == 0.5 and ev["by_category"]["a"]["reports"] == 2
    assert ev["errors"][0]["crash"].startswith("RuntimeError")


Rendered = namedtuple("Rendered", "text spans truth renderer")


class _AllCells:
    def predict(self, doc):
        return ["cell"] * len(doc.items)


def test_synthetic_cases_and_tagger_confusion():
    text = "二、主动公开政府信息情况\n规章 | 3 | 0\n"
    a = text.index("规章")
    spans = [(0, a - 1, "heading"), (a, a + 2, "label")]
    rendered = [Rendered(text, spans, {"template": "2021", "cells": {"active.regulations.issued": 3}}, "pipe"),
                Rendered("規章 | 1", [], {"template": "2021", "cells": {}}, "pipe"),
                Rendered("x", [], {"template": "2019", "cells": {}}, "plain")]
    cases = bench.synthetic_cases(rendered=rendered)
    assert [c.name for c in cases] == ["pipe-001", "pipe-002", "plain-001"]
    assert [c.category for c in cases] == ["pipe", "pipe", "plain"]
    t = bench.tagger_confusion(cases, tagger=_AllCells())
    tags = t["tags"]
    assert t["docs"] == 3 and t["skipped"] == 0
    assert t["matrix"][tags.index("heading")][tags.index("cell")] == 1
    assert t["matrix"][tags.index("label")][tags.index("cell")] == 1
    assert t["accuracy"] == pytest.approx(t["matrix"][tags.index("cell")][tags.index("cell")] / t["items"])
    assert set(t["accuracy_by_category"]) == {"pipe", "plain"}
    assert t["accuracy_by_category"]["plain"] == 0.0  # its one item is noise, tagged cell


def test_cli_writes_json_and_markdown(tmp_path, capsys):
    from gxml.cli import main

    (tmp_path / "r1-txt.txt").write_text("无\n", encoding="utf-8")
    (tmp_path / "r1-txt.truth.json").write_text(json.dumps({"template": "2019", "cells": {"active.x": 0}}))
    out_json, out_md = tmp_path / "b.json", tmp_path / "b.md"
    assert main(["bench", str(tmp_path), "--methods", "zero", "--json", str(out_json),
                 "--markdown", str(out_md)]) == 0
    assert "zero   n=   1 cell_acc=1.0000" in capsys.readouterr().out
    res = json.loads(out_json.read_text())
    assert res["datasets"][str(tmp_path)]["methods"]["zero"]["overall"]["exact"] == 1.0
    assert "| zero |" in out_md.read_text()
    assert main(["bench", str(tmp_path), "--methods", "rules", "--markdown", str(out_md)]) == 0
    assert "rules by confidence" in capsys.readouterr().out
    assert "| [0.9, 1.0] |" in out_md.read_text()


# -- agreement with the reference judge --------------------------------------------------------
@pytest.mark.skipif(not SCORE.is_file() or not all(f.is_dir() for f in FOLDERS), reason="../shared is absent")
@pytest.mark.parametrize("method", ["rules", "zero", "ml"])
def test_agrees_with_score_py(method, tmp_path):
    if method == "ml" and not MODEL.is_file():
        pytest.skip("models/default.joblib is absent")
    res = bench.bench([str(f) for f in FOLDERS], [method], confusion=False)
    for folder in FOLDERS:
        out = tmp_path / f"{folder.name}.json"
        subprocess.run([sys.executable, str(SCORE), str(folder), "--methods", method, "--json", str(out)],
                       check=True, capture_output=True, cwd=str(tmp_path), timeout=300)
        ref = json.loads(out.read_text())[method]
        mine = res["datasets"][str(folder)]["methods"][method]["overall"]
        assert mine["reports"] > 0
        for key, want in ref.items():
            if key in ("ms_per_report", "errors"):
                continue
            assert mine[key] == pytest.approx(want, rel=0, abs=1e-9), (folder.name, key)


def test_the_benchmark_times_the_methods_in_turns_and_counts_every_round(monkeypatch):
    import importlib.util
    from pathlib import Path

    import gxml

    spec = importlib.util.spec_from_file_location(
        "bench_run", Path(__file__).resolve().parent.parent / "benchmarks" / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    calls = []
    monkeypatch.setattr(gxml, "parse", lambda text, method="ml": calls.append((method, text)))
    out, rounds = run.speed({"real": ["r"], "synthetic": ["s1", "s2"]}, ["ml", "rules"], repeat=2,
                            rounds=4, chunks=2)
    got = [(m, t) for m, t in calls if t != "规章 | 0 | 0 | 0"]  # less the warm-up parses
    # the real text twice and each synthetic text once, dealt into two shares: (r, s1), (r, s2);
    # a share a round, the methods in ABBA order (a drift of the VM's speed hits both alike)
    shares, turns = [["r", "s1"], ["r", "s2"]], [("ml", "rules"), ("rules", "ml")] * 2
    assert got == [(m, t) for k, turn in enumerate(turns) for m in turn for t in shares[k % 2]]
    for m in ("ml", "rules"):  # every timing counts: each text as often as it is timed a round
        assert out[m]["real"]["n"] == 4 and out[m]["synthetic"]["n"] == 4 and out[m]["all"]["n"] == 8
    assert len(rounds) == 4 and all(set(x) == {"ml", "rules"} and x["ml"] >= 0 for x in rounds)


# -- a model other than the shipped one --------------------------------------------------------
@pytest.mark.skipif(not MODEL.is_file() or not FOLDERS[0].is_dir(), reason="model or ../shared/seeds absent")
def test_bench_scores_the_model_it_is_given(tmp_path, capsys):
    """``--model`` is what ml tags with: here a model that calls every item noise, whose
    predictions are gxml.parse_file's with that model, and not the shipped model's."""
    from gxml.cli import main
    from gxml.doc import TAGS
    from gxml.tagger import LineTagger

    deaf = LineTagger.load(MODEL)
    deaf.intercept_ = deaf.intercept_.copy()
    deaf.intercept_ -= 1000.0  # every tag improbable but noise: no value is a cell
    deaf.intercept_[TAGS.index("noise")] += 2000.0
    path = tmp_path / "deaf.joblib"
    deaf.save(path)
    folder = str(FOLDERS[0])
    res = bench.bench([folder], ["ml"], confusion=False, model=path, keep_predictions=True)
    assert res["model"] == str(path)
    for pr in res["_predictions"][folder]["ml"]:
        assert pr.cells == gxml.parse_file(pr.case.path, model=deaf).cells, pr.case.name
    deaf_f1 = res["datasets"][folder]["methods"]["ml"]["overall"]["nz_f1"]
    shipped = bench.bench([folder], ["ml"], confusion=False)
    assert shipped["model"] == "default"
    assert deaf_f1 < shipped["datasets"][folder]["methods"]["ml"]["overall"]["nz_f1"] == 1.0
    out = tmp_path / "b.json"
    assert main(["bench", folder, "--methods", "ml", "--model", str(path), "--json", str(out)]) == 0
    assert f"ml model: {path}" in capsys.readouterr().out
    assert json.loads(out.read_text())["datasets"][folder]["methods"]["ml"]["overall"]["nz_f1"] == deaf_f1


def test_a_model_that_cannot_be_loaded_is_a_clear_error(tmp_path, capsys):
    from gxml.cli import main

    (tmp_path / "r1-txt.txt").write_text("无\n", encoding="utf-8")
    (tmp_path / "r1-txt.truth.json").write_text(json.dumps({"template": "2019", "cells": {}}))
    assert main(["bench", str(tmp_path), "--methods", "ml", "--model", str(tmp_path / "nope.joblib")]) == 2
    assert "model file not found" in capsys.readouterr().err


def _script(name: str):
    """The module of script ``benchmarks/NAME.py``."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _perturb():
    return _script("perturb")


def test_perturbations_keep_the_truth_and_the_seeds_exact(tmp_path):
    """benchmarks/perturb.py: blank marks, empty zeros, quoted CSV, the page source, tables as
    pandas DataFrames print them, a doubled report and a volume of all seeds each still read
    exactly (a perturbation that changed a truth would show here)."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared/seeds not available")
    out = tmp_path / "perturb.json"
    only = ("none,zero_dash,zero_bar,zero_wu,zero_blank,zero_letter_o,csv_quoted,html_source,frame_csv,"
            "frame_markdown,frame_string,contents,doubled,"
            "traditional,volume")
    assert _perturb().main([str(SHARED / "seeds"), "--only", only, "--json", str(out)]) == 0
    rows = {r["perturbation"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert set(rows) == set(only.split(","))
    assert {name: (r["exact"], r["texts"]) for name, r in rows.items()} == {name: (5, 5) for name in rows}
    assert rows["volume"]["reports"] == 5


@pytest.mark.parametrize("method", ["rules", "ml"])
def test_html_source_passed_as_text_is_read_as_the_page(method):
    """A page's source given to parse() (scraped, not saved as .html) is read as the page and
    flagged: the cells of its text, and a ``markup`` issue."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared/seeds not available")
    text = sorted((SHARED / "seeds").glob("*.txt"))[1].read_text(encoding="utf-8")
    page = _perturb().PERTURBATIONS["html_source"](text)
    assert page.count("<td>") > 100
    rep, plain = gxml.parse(page, method=method), gxml.parse(text, method=method)
    assert {i["kind"] for i in rep.issues} - {i["kind"] for i in plain.issues} == {"markup"}
    assert rep.template == plain.template == "2021" and rep.cells == plain.cells


def test_typeset_pdfs_read_back_by_four_extractors(tmp_path):
    """benchmarks/typeset_pdf.py typesets reports as PDFs (merged header cells, grid lines) and
    writes each extractor's text beside its truth; the ml parser reads the space-aligned and
    pdfplumber texts of these two exactly, and the PDFs as parse_file reads them, and the
    folder scores with gxml bench."""
    from gxml.readers import read_file

    ts = _script("typeset_pdf")
    why = ts.missing()
    if why:
        pytest.skip(why)
    assert ts.write(tmp_path, 2) == 10
    assert (tmp_path / "p000-pdfminer.txt").is_file() and (tmp_path / "p000-pdfminer.truth.json").is_file()
    for name in ("p000", "p001"):
        assert (tmp_path / f"{name}-pdf.pdf").read_bytes().startswith(b"%PDF")
        for how in ("pdftotext-layout", "pdfplumber", "pdf"):
            truth = json.loads((tmp_path / f"{name}-{how}.truth.json").read_text(encoding="utf-8"))
            text = (tmp_path / f"{name}-{how}.txt").read_text(encoding="utf-8") if how != "pdf" else \
                read_file(str(tmp_path / f"{name}-pdf.pdf"))
            assert "三、收到和处理政府信息公开申请情况" in text.replace(" ", "")
            rep = gxml.parse(text)
            assert rep.template == truth["template"]
            assert _perturb().wrong_cells(rep, truth) == 0
    res = bench.bench([str(tmp_path)], ["zero"])
    assert set(res["datasets"][str(tmp_path)]["methods"]["zero"]["by_category"]) == set(ts.CATEGORIES)


def test_perturb_rejects_an_unknown_perturbation(capsys):
    assert _perturb().main([str(REPO), "--only", "sideways"]) == 2
    assert "unknown perturbation sideways" in capsys.readouterr().err


def test_pdf_texts_after_a_table_of_contents_stay_exact(tmp_path):
    """A table of contents first (the tables' titles each with a page number) leaves every
    dev text that is read exactly unbroken exact: the page numbers are no cells."""
    if not (SHARED / "dev").is_dir():
        pytest.skip("../shared/dev not available")
    out = tmp_path / "perturb.json"
    assert _perturb().main([str(SHARED / "dev"), "--only", "none,contents", "--json", str(out)]) == 0
    rows = {r["perturbation"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert rows["contents"]["inexact"] == rows["none"]["inexact"]
    assert rows["contents"]["wrong_cells"] == rows["none"]["wrong_cells"]


@pytest.mark.parametrize("name", ["r001-pdftotext", "r001-pdfplumber"])
def test_a_report_printed_twice_with_its_contents_page_reads_exactly(name):
    """perturb.py's contents then doubled: the second copy's contents page stands right after
    the first copy's table 四, its page numbers ending lines as that table's values would."""
    if not (SHARED / "dev").is_dir():
        pytest.skip("../shared/dev not available")
    p = _perturb()
    truth = json.loads((SHARED / "dev" / f"{name}.truth.json").read_text(encoding="utf-8"))
    text = (SHARED / "dev" / f"{name}.txt").read_text(encoding="utf-8")
    text = p.PERTURBATIONS["doubled"](p.PERTURBATIONS["contents"](text))
    assert p.wrong_cells(gxml.parse(text), truth) == 0
