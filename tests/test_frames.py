"""Tables a crawler wrote as pandas DataFrames (to_csv, to_markdown, to_string) read as tables."""
from hypothesis import given, settings, strategies as st

import gxml
from gxml.frames import MIN_INDEXED, frame_rows
from gxml.normalize import normalize

from conftest import make_report, same, zero_cells

# table 一 of the 2021 form as read_html makes it: each merged cell's text in every column it spans
TABLE_ONE = [["第二十条第（一）项"] * 4,
             ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
             ["规章", "3", "0", "12"],
             ["行政规范性文件", "0", "0", "5"],
             ["第二十条第（五）项"] * 4,
             ["信息内容"] + ["本年处理决定数量"] * 3,
             ["行政许可", "1532", "1532", "1532"],
             ["第二十条第（六）项"] * 4,
             ["信息内容"] + ["本年处理决定数量"] * 3,
             ["行政处罚", "87", "87", "87"],
             ["行政强制", "0", "0", "0"],
             ["第二十条第（八）项"] * 4,
             ["信息内容"] + ["本年收费金额（单位：万元）"] * 3,
             ["行政事业性收费", "2.5", "2.5", "2.5"]]


def _csv(rows):
    return "\n".join([",0,1,2,3"] + [",".join([str(i)] + r) for i, r in enumerate(rows)])


def _cells(line):
    return [c.strip() for c in line.split("|") if c.strip()]


def test_csv_frame_loses_its_index_and_header_and_merged_copies():
    out = frame_rows(_csv(TABLE_ONE)).split("\n")
    assert out[0].strip() == ""  # the header line of column numbers
    assert [_cells(line) for line in out[1:]] == [
        ["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "3", "0", "12"], ["行政规范性文件", "0", "0", "5"],
        ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], ["行政许可", "1532"],
        ["第二十条第（六）项"], ["信息内容", "本年处理决定数量"], ["行政处罚", "87"], ["行政强制", "0"],
        ["第二十条第（八）项"], ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "2.5"]]


def test_values_under_distinct_headers_are_not_merged_copies():
    rows = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "0", "0"]]
    assert _cells(frame_rows(_csv(rows)).split("\n")[2]) == ["规章", "0", "0", "0"]
    # under a merged header, values that differ are not copies of one cell
    rows = [["信息内容"] + ["本年处理决定数量"] * 3, ["行政许可", "5", "0", "5"]]
    assert _cells(frame_rows(_csv(rows)).split("\n")[2]) == ["行政许可", "5", "0", "5"]


def test_markdown_and_string_frames():
    md = ("|    | 0        | 1      | 2   |\n|---:|:---------|:-------|:----|\n"
          "|  0 | 信息内容 | 本年制发件数 | nan |\n|  1 | 规章     | 3      | 12  |")
    out = frame_rows(md).split("\n")
    assert out[0].strip() == out[1].strip() == ""
    assert [_cells(line) for line in out[2:]] == [["信息内容", "本年制发件数"], ["规章", "3", "12"]]
    assert out[2].count("|") == 4  # the NaN cell stays an empty cell
    text = "      0       1    2\n0  信息内容  本年制发件数  NaN\n1     规章       3   12"
    out = frame_rows(text).split("\n")
    assert out[1].count("|") == 2 and out[2].count("|") == 2  # columns cut by '|', the NaN one empty
    assert [_cells(line) for line in out[1:]] == [["信息内容", "本年制发件数"], ["规章", "3", "12"]]


def test_csv_frame_quotes_and_bracketed_commas():
    rows = [["信息内容", "本年处理决定数量", "本年处理决定数量"], ["行政处罚", '"69,849"', '"69,849"'],
            ["（二）部分公开（区分处理的,只计这一情形）", "0", "1"]]
    out = frame_rows("\n".join([",0,1,2"] + [",".join([str(i)] + r) for i, r in enumerate(rows)])).split("\n")
    assert _cells(out[2]) == ["行政处罚", "69,849"]
    assert _cells(out[3]) == ["（二）部分公开（区分处理的,只计这一情形）", "0", "1"]


def test_text_without_a_frame_is_left_alone():
    texts = ["0 1 2\n规章 0 0 0",                      # numbers, then no row indexed 0
             "0 1\n0 0 0\n1 0 0",                     # values 0 1 (a header has three numbers)
             "0 规章 | 0\n1 行政许可 | 3\n2 行政处罚 | 4",  # fewer than MIN_INDEXED indexed rows
             "规章 | 0 | 0 | 0\n0 | 0 | 0\n1 | 2 | 3"]
    assert MIN_INDEXED == 4
    assert [frame_rows(t) for t in texts] == texts
    indexed = "\n".join(f"{i} | 行{i} | {i}" for i in range(MIN_INDEXED))
    assert frame_rows(indexed) != indexed


def test_a_report_written_as_dataframes_parses_as_its_table():
    cells = zero_cells()
    cells.update({"active.regulations.issued": 3, "active.regulations.in_force": 12,
                  "active.normative_documents.in_force": 5, "active.licensing.decisions": 1532,
                  "active.punishment.decisions": 87, "active.fees.amount": 2.5})
    plain = make_report(cells)
    start = plain.index("\n", plain.index("二、主动公开")) + 1
    text = plain[:start] + _csv(TABLE_ONE) + "\n" + plain[plain.index("三、收到"):]
    assert "6,行政许可,1532,1532,1532" in text
    rep = gxml.parse(text)
    assert rep.template == "2021"
    assert {c: (v, rep.cells.get(c)) for c, v in cells.items() if not same(rep.cells.get(c), v)} == {}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet='0123规章, |\t"N', max_size=14), max_size=9))
def test_lines_and_their_lengths_stay(lines):
    text = "\n".join(lines)
    out = frame_rows(text)
    assert [len(line) for line in out.split("\n")] == [len(line) for line in text.split("\n")]
    assert frame_rows(out) == out  # a frame read is no frame any more


def test_normalize_reads_frames():
    assert "|" in normalize(_csv(TABLE_ONE)).split("\n")[3]
