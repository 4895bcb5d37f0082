"""Spreadsheet rows cut by commas (Excel/WPS "save as CSV") read as pipe rows."""
from hypothesis import given, settings, strategies as st

import gxml
from gxml.delimited import MIN_ROWS, comma_row, comma_rows

from conftest import make_report, same, zero_cells

WIDTH = 16  # the sheet's columns: every saved row is padded to them with commas


def _saved_as_csv(text: str) -> str:
    """``text`` with its pipe rows as a spreadsheet saves them: commas, padded to WIDTH."""
    out = []
    for line in text.split("\n"):
        cells = [c.strip() for c in line.split("|")]
        out.append(",".join(cells + [""] * (WIDTH - len(cells))) if len(cells) > 1 else line)
    return "\n".join(out)


def test_spreadsheet_rows_become_pipe_rows_in_place():
    text = "二、主动公开政府信息情况,,,,\n信息内容,本年制发件数,本年废止件数,现行有效件数,,\n规章,3,0,12,,\n行政规范性文件,无,,5,,"
    assert comma_rows(text) == text.replace(",", "|")
    # a row of words alone, unpadded, reads like prose wrapped after a comma: left alone
    assert comma_row("信息内容,本年制发件数,本年废止件数,现行有效件数,") is None
    assert comma_rows('"1,234",5,,\n规章,0,0\n规章,0,0') == '"1,234"|5||\n规章|0|0\n规章|0|0'  # a quoted comma stays


def test_prose_with_commas_is_left_alone():
    prose = ["2021年,我局认真贯彻落实上级部署,加强组织领导,",         # wrapped after a comma
             "其中予以公开4件,部分公开0件,不予公开0件,",
             "全年收到申请8件,办结8件,均在法定期限内答复。",          # a sentence
             "行政许可    1,234,567    12",                            # a space-aligned row
             "一、本年新收政府信息公开申请数量 1,234 0 0 0 0 0 1,234"]   # thousands, single spaces
    assert [comma_row(line) for line in prose] == [None] * 5
    rows = "规章,0,0,0\n" * (MIN_ROWS - 1)
    assert comma_rows(rows) == rows  # too few rows: a text's commas are not read as cells


def test_a_report_saved_as_csv_parses_as_its_pipe_rows():
    cells = zero_cells()
    cells.update({"active.regulations.issued": 3, "active.regulations.in_force": 12,
                  "active.normative_documents.in_force": 5, "active.licensing.decisions": 1532,
                  "active.punishment.decisions": 87, "active.fees.amount": 2.5})
    text = _saved_as_csv(make_report(cells))
    assert "规章,3,0,12,,," in text
    rep = gxml.parse(text)
    assert rep.template == "2021"
    assert {c: (v, rep.cells.get(c)) for c, v in cells.items() if not same(rep.cells.get(c), v)} == {}


def test_an_unpadded_csv_reads_its_rows_of_one_value_too():
    # a CSV written without padding: the rows of table 二 with one cell are ``行政强制,23``
    cells = zero_cells()
    cells.update({"active.regulations.issued": 3, "active.enforcement.decisions": 23,
                  "active.licensing.decisions": 1532, "requests.new_received.natural_person": 4,
                  "requests.new_received.total": 4, "requests.granted.natural_person": 4,
                  "requests.granted.total": 4, "requests.total.natural_person": 4, "requests.total.total": 4})
    text = make_report(cells, sep=",")
    assert "行政强制,23\n" in text
    rep = gxml.parse(text)
    assert {c: (v, rep.cells.get(c)) for c, v in cells.items() if not same(rep.cells.get(c), v)} == {}
    # in such a text a line of prose with one comma stays prose; a label and a value is a row
    rows = "规章,0,0,0\n" * MIN_ROWS
    for prose in ("全年收到申请8件,办结8件", "2022年,我局认真落实", "附件,请见"):
        assert comma_rows(rows + prose) == rows.replace(",", "|") + prose
    assert comma_rows(rows + "行政许可,1532") == rows.replace(",", "|") + "行政许可|1532"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet='规章0１2,"， |\t。', max_size=12), max_size=8))
def test_only_separating_commas_change(lines):
    text = "\n".join(lines)
    out = comma_rows(text)
    assert len(out) == len(text)
    assert all(a == b or (a == "," and b == "|") for a, b in zip(text, out))


def test_pandas_unnamed_header_cells_are_blanked():
    from gxml.delimited import blank_unnamed

    line = "| 二、主动公开政府信息情况 | Unnamed: 1 | Unnamed: 12 |"
    out = blank_unnamed(line)
    assert len(out) == len(line) and "Unnamed" not in out and "1" not in out
    assert blank_unnamed("规章 | 0 | 1") == "规章 | 0 | 1"
