"""End to end on the real reports of ../shared with the shipped default model."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import gxml
from gxml.dataset import iter_labelled
from gxml.tagger import default_model_path

from conftest import ROOT, same, shared_dir

pytestmark = pytest.mark.skipif(not default_model_path().is_file(), reason="no shipped model")


def _wrong(rep, truth):
    return {k: (v, rep.cells.get(k)) for k, v in truth["cells"].items() if not same(v, rep.cells.get(k))}


@pytest.mark.parametrize("name", sorted(p.name[:-11] for p in (ROOT.parent / "shared" / "seeds").glob("*.truth.json")))
def test_seed_is_exact(name):
    d = shared_dir("seeds")
    lab = next(l for l in iter_labelled(d) if l.path.name.startswith(name))
    rep = gxml.parse_file(lab.path)
    assert rep.template == lab.truth["template"]
    assert _wrong(rep, lab.truth) == {}
    assert set(rep.cells) == set(lab.truth["cells"])


@pytest.mark.parametrize("mark", ["—", "——", "――", "/", "无", "暂无", "空", "O"])
@pytest.mark.parametrize("name", ["r001-pdftotext", "r002-pdftotext", "r001-pdfplumber", "r003-pdfplumber"])
def test_pdf_text_with_zeros_printed_as_a_mark(name, mark):
    """Real PDF text of a report whose every zero cell is printed as a blank mark: pdftotext
    puts each on a line of its own, values before their labels; pdfplumber single-spaced
    after its row's label. (``――``: the horizontal bars GBK fonts print for a dash; ``O``: the
    letter OCR reads a zero as.)"""
    import re

    d = shared_dir("dev")
    text = re.sub(r"(?:(?<=\s)|^)0(?=[ \t]|$)", mark, (d / f"{name}.txt").read_text(encoding="utf-8"), flags=re.M)
    assert _wrong(gxml.parse(text), json.loads((d / f"{name}.truth.json").read_text(encoding="utf-8"))) == {}


@pytest.mark.parametrize("name", ["r001-pdftotext", "r002-pdftotext", "r003-pdfplumber"])
def test_pdf_text_without_the_tables_titles(name):
    """The three titles (二、主动公开政府信息情况 ...) left out, as when they were images: table
    三 still starts at its 申请人情况 header, so values printed before their labels (pdftotext)
    still land in their rows."""
    from gxml.labels import label_key
    from gxml.templates import get_template

    d = shared_dir("dev")
    titles = {label_key(t) for t in get_template("2021").titles.values()}
    lines = (d / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join("" if label_key(line) in titles else line for line in lines)
    assert text.count("\n") == len(lines) - 1 and sum(label_key(line) in titles for line in lines) == 3
    assert _wrong(gxml.parse(text), json.loads((d / f"{name}.truth.json").read_text(encoding="utf-8"))) == {}


def test_parse_all_of_each_real_text_is_its_parse():
    """A text holding one report: parse_all gives that one report, issues and all."""
    for d in (shared_dir("seeds"), shared_dir("dev")):
        for path in sorted(d.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            assert [r.to_dict() for r in gxml.parse_all(text)] == [gxml.parse(text).to_dict()], path.name


def _nz_f1(method, directory):
    from gxml.bench import folder_cases, metrics, run_method

    return metrics(run_method(folder_cases(directory), method), method)["nz_f1"]


def test_ml_beats_rules_on_dev():
    d = shared_dir("dev")
    assert _nz_f1("ml", d) > _nz_f1("rules", d)


def test_main_job_from_the_command_line(tmp_path):
    out = subprocess.run([sys.executable, "-m", "gxml", "parse", str(ROOT / "examples" / "report.txt")],
                         capture_output=True, text=True, check=True).stdout
    rec = json.loads(out.strip().splitlines()[0])
    assert rec["template"] == "2021"
    assert len(rec["cells"]) == 207
    assert set(rec["confidence"]) == set(rec["cells"])


@pytest.mark.parametrize("text", ["", "今天天气很好，市民出行顺利。", "\x00\x01\x02\xff" * 100,
                                  "政府信息公开 规章 行政许可 2021年"])
def test_no_report_gives_none_and_an_issue(text):
    rep = gxml.parse(text)
    assert rep.template is None
    assert rep.issues


@pytest.mark.parametrize("name", ["r001", "r002", "r003"])
def test_a_pdf_laid_out_by_another_extractor_is_read_exactly(name):
    """The dev PDFs as pdfplumber lays their text out (``extract_text(layout=True)``): column
    alignment by spaces as no training file has it, a rendering ml never saw."""
    pdfplumber = pytest.importorskip("pdfplumber")
    pdf_path = shared_dir("dev") / f"{name}-pdf.pdf"
    truth = json.loads((shared_dir("dev") / f"{name}-pdf.truth.json").read_text(encoding="utf-8"))
    with pdfplumber.open(pdf_path) as pdf:
        text = "\n".join(page.extract_text(layout=True) or "" for page in pdf.pages)
    rep = gxml.parse(text)
    assert rep.template == truth["template"]
    assert _wrong(rep, truth) == {}


@pytest.mark.parametrize("name", ["r001", "r002", "r003"])
def test_pdfminer_text_reads_tables_printed_column_by_column(name):
    """pdfminer.six's extract_text of a real PDF prints each page of table 三 column by
    column (its 其他 column after 总计 on one page), and table 一's 规章/行政规范性文件 values by
    columns after both labels (r003: after the next group's label too): table 三's sums read
    it back, and table 一 is read by columns; nothing said of the rows as first read is left."""
    pytest.importorskip("pdfminer")
    from pdfminer.high_level import extract_text

    d = shared_dir("dev")
    truth = json.loads((d / f"{name}-pdf.truth.json").read_text(encoding="utf-8"))
    rep = gxml.parse(extract_text(str(d / f"{name}-pdf.pdf")))
    assert _wrong(rep, truth) == {}
    assert {i.get("table") for i in rep.issues if i["kind"] == "reading_order"} == {"active", "requests"}
    assert not [i for i in rep.issues if i["kind"] == "ambiguous_row"]
