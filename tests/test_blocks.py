"""Label blocks (gxml.blocks) and how the decoder reads the run of values beside one."""
import json
from pathlib import Path

import gxml
from gxml.blocks import column_runs, label_blocks
from gxml.decoder import BLOCK_CERTAINTY, decode_tables
from gxml.pipeline import prepare
from gxml.tagger import load_default
from gxml.templates import get_template

from conftest import same

DATA = Path(__file__).parent / "data"
NORMATIVE = ("active.normative_documents.issued", "active.normative_documents.repealed",
             "active.normative_documents.in_force")
REGULATIONS = ("active.regulations.issued", "active.regulations.repealed", "active.regulations.in_force")
HEAD = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n"
TAIL = ("第二十条第（五）项\n信息内容\n本年处理决定数量\n行政许可\n21\n"
        "三、收到和处理政府信息公开申请情况\n")


def _placement(text):
    doc = prepare(text, load_default())
    tmpl = get_template("2021")
    return doc, tmpl, decode_tables(doc, tmpl, load_default().value_prior_)


def test_values_before_two_labels_printed_together_make_a_block():
    doc, tmpl, p = _placement(HEAD + "1\n3\n12\n规章\n行政规范性文件\n" + TAIL)
    blocks = label_blocks(doc, tmpl, p)
    assert [(b.rows, b.before) for b in blocks] == [(("active.regulations", "active.normative_documents"), True)]


def test_labels_apart_or_each_with_values_make_no_block():
    doc, tmpl, p = _placement(HEAD + "规章\n0\n0\n0\n行政规范性文件\n1\n3\n12\n" + TAIL)
    assert label_blocks(doc, tmpl, p) == []


def test_a_run_before_a_label_block_is_read_as_the_row_that_usually_holds_values():
    """Plain pdftotext of a typeset report whose zeros print empty (tests/data/label_block_
    pdftotext.txt): its blank 规章 row and 行政规范性文件 print as one block of labels after the
    latter's values ``1 3 12``, which went to 规章 at confidence 1.0. No sum tells whose they
    are: the value prior reads them as 行政规范性文件's, flagged, at most BLOCK_CERTAINTY."""
    truth = json.loads((DATA / "label_block_pdftotext.truth.json").read_text(encoding="utf-8"))["cells"]
    rep = gxml.parse((DATA / "label_block_pdftotext.txt").read_text(encoding="utf-8"))
    assert {k: (v, rep.cells[k]) for k, v in truth.items() if not same(v, rep.cells[k])} == {}
    assert all(rep.confidence[c] <= BLOCK_CERTAINTY for c in NORMATIVE + REGULATIONS)
    flagged = [i for i in rep.issues if i["kind"] == "ambiguous_row" and i.get("block")]
    assert [(i["row"], i["block"]) for i in flagged] == [
        ("active.normative_documents", ["active.regulations", "active.normative_documents"])]


def test_a_run_after_a_label_block_stays_the_last_labels():
    """Values after a block read as its last label's, as printed, unflagged (the prior is a
    worse guess there than the print order)."""
    rep = gxml.parse(HEAD + "规章\n行政规范性文件\n1\n3\n12\n" + TAIL)
    assert [rep.cells[c] for c in NORMATIVE] == [1, 3, 12]
    assert [rep.cells[c] for c in REGULATIONS] == [None, None, None]
    assert not [i for i in rep.issues if i.get("block")]


def test_one_value_per_cell_after_a_label_block_is_read_column_by_column():
    """pdfminer prints a grid box by box, column by column, after its block of labels."""
    doc, tmpl, p = _placement(HEAD + "规章\n行政规范性文件\n0\n0\n0\n5\n0\n5\n" + TAIL)
    [(rows, src)] = column_runs(doc, tmpl, p.anchors)
    assert rows == ("active.regulations", "active.normative_documents")
    assert [doc.items[src[c]].text for c in REGULATIONS + NORMATIVE] == ["0", "0", "0", "0", "5", "5"]
    rep = gxml.parse(HEAD + "规章\n行政规范性文件\n0\n0\n0\n5\n0\n5\n" + TAIL)
    assert [rep.cells[c] for c in REGULATIONS + NORMATIVE] == [0, 0, 0, 0, 5, 5]
    assert [i["rows"] for i in rep.issues if i["kind"] == "reading_order"] == [list(rows)]


def test_a_run_that_does_not_fill_the_block_is_not_read_by_columns():
    doc, tmpl, p = _placement(HEAD + "规章\n行政规范性文件\n0\n0\n5\n0\n5\n" + TAIL)
    assert column_runs(doc, tmpl, p.anchors) == []


LABELS_FIRST = ("二、主动公开政府信息情况\n信息内容\n规章\n行政规范性文件\n信息内容\n行政许可\n信息内容\n行政处罚\n"
                "行政强制\n信息内容\n行政事业性收费\n第二十条第（一）项\n本年制发件数\n本年废止件数\n现行有效件数\n"
                "0\n4\n第二十条第（五）项\n第二十条第（六）项\n第二十条第（八）项\n0\n0\n0\n4\n本年处理决定数量\n1\n"
                "本年处理决定数量\n0\n2\n本年收费金额（单位：万元）\n0\n三、收到和处理政府信息公开申请情况\n")


def test_table_one_printed_labels_first_is_read_group_by_group_column_by_column():
    """pdfminer's text of a typeset report: every label of table 一 first, then the values of
    each group (第二十条第（一）项 …) column by column, headers between. Most values fit no cell
    in printed order, and they are as many as its cells: the table is re-read so, flagged."""
    rep = gxml.parse(LABELS_FIRST)
    assert [rep.cells[c] for c in REGULATIONS + NORMATIVE] == [0, 0, 0, 4, 0, 4]
    assert [rep.cells[f"active.{k}.decisions"] for k in ("licensing", "punishment", "enforcement")] == [1, 0, 2]
    assert rep.cells["active.fees.amount"] == 0
    assert [i.get("table") for i in rep.issues if i["kind"] == "reading_order"] == ["active"]


def test_table_one_with_a_value_more_than_its_cells_is_not_re_read():
    rep = gxml.parse(LABELS_FIRST.replace("1\n本年处理决定数量", "1\n7\n本年处理决定数量"))
    assert not [i for i in rep.issues if i["kind"] == "reading_order"]
