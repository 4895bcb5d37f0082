from gxml.normalize import normalize
from gxml.segment import segment


def items(text):
    return [(i.text, i.split) for i in segment(normalize(text)).items]


def test_pipe_row():
    assert items("规章 | 0 | 0 | 0 |") == [("规章", "pipe"), ("0", "pipe"), ("0", "pipe"), ("0", "pipe")]


def test_trailing_single_space_numbers():
    got = items("一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21")
    assert got[0] == ("一、本年新收政府信息公开申请数量", "line")
    assert [t for t, _ in got[1:]] == ["21", "0", "0", "0", "0", "0", "21"]


def test_trailing_single_space_numbers_and_blank_marks():
    # pdfplumber's row of a report that prints its zeros as 无 (or a dash)
    for mark in ("无", "—", "/", "——", "--", "×", "空"):
        got = items(f"一、本年新收政府信息公开申请数量 21 {mark} {mark} 3 {mark} {mark} 24")
        assert got[0] == ("一、本年新收政府信息公开申请数量", "line")
        assert [t for t, _ in got[1:]] == ["21", mark, mark, "3", mark, mark, "24"]
    assert len(items("其他需要报告的事项 无")) == 1  # no number: prose, not a row


def test_trailing_numbers_with_units():
    # cells that print their unit, bracketed or not (full-width brackets are half-width by now)
    for unit, cut in (("件", "件"), ("（件）", "(件)"), ("(件)", "(件)")):
        got = items(f"行政规范性文件 5{unit} 0{unit} 12{unit}")
        assert got[0] == ("行政规范性文件", "line")
        assert [t for t, _ in got[1:]] == [f"5{cut}", f"0{cut}", f"12{cut}"]


def test_units_printed_apart_from_their_numbers():
    # pdfplumber joins a cell's words with a space: 5 件 is one value, as 5件 is
    got = items("行政规范性文件 5 件 0 件 12 件")
    assert got[0] == ("行政规范性文件", "line")
    assert [t for t, _ in got[1:]] == ["5 件", "0 件", "12 件"]
    assert [t for t, _ in items("行政事业性收费 3 万元")] == ["行政事业性收费", "3 万元"]
    assert items("5 件") == [("5 件", "line")]
    assert [t for t, _ in items("件 数 5")] == ["件 数", "5"]  # no number before: no unit


def test_layout_columns():
    assert [t for t, _ in items("规章            1          0        11")] == ["规章", "1", "0", "11"]


def test_fused_digits():
    assert items("行政规范性文件77132470") == [("行政规范性文件", "line"), ("77132470", "fused")]
    # 无 before glued digits is a blank cell, not the label's last character
    assert items("行政规范性文件无03") == [("行政规范性文件", "line"), ("无03", "fused")]
    assert items("申请人无正当理由逾期不补正") == [("申请人无正当理由逾期不补正", "line")]


def test_page_number_stays_whole():
    assert items("  - 3 -") == [("- 3 -", "line")]


def test_prose_not_split():
    assert len(items("2023 年全区受理政府信息公开申请 21 件，")) == 1


def test_docx_padding_and_gaps():
    doc = segment(normalize("\t规章\n\n\t\u3000\u30000\n\t\u00a05"))
    assert [i.text for i in doc.items] == ["规章", "0", "5"]
    assert doc.items[1].gap_before == 1 and doc.items[1].value.number == 0


def test_line_numbers_and_offsets():
    text = normalize("标题\n规章 | 1 | 2 |")
    doc = segment(text)
    for it in doc.items:
        assert text[it.start:it.end] == it.text
    assert doc.items[1].line == 2


def test_separator_lines_make_no_items():
    assert items("|||\n||\n") == []


def test_docx_tab_only_lines_before_values_are_blank_cells():
    # a disputes row of a DOCX dump: the empty cells before its first value print as tab-only
    # lines after a blank line; before a label they are merged label cells and make no item
    doc = segment(normalize("\t总计\n\n\t\n\t\n\t1\n\n\t\n\t（三）不予公开\n\t0"))
    assert [(i.text, i.value is not None) for i in doc.items] == [
        ("总计", False), ("", True), ("", True), ("1", True), ("(三)不予公开", False), ("0", True)]


def test_a_last_pipe_ends_an_empty_cell_when_rows_are_not_closed():
    # html2text/pandoc rows end at their last cell ("规章 | 4 | 1 | 8"): with trailing spaces
    # trimmed, a row ending in "|" had an empty last cell, so the 6 is 本年废止 (2 from the end)
    text = "规章 | 4 | 1 | 8\n行政规范性文件 |  | 6 |"
    six = [it for it in segment(text).items if it.text == "6"][0]
    assert six.col_end == 1
    # rows closed with "|" (seeds 001, 003), or opened with one (box tables): no empty cell
    for closed in ("规章 | 4 | 1 | 8 |\n行政规范性文件 |  | 6 |", "规章 | 4 | 1 | 8\n| 行政规范性文件 |  | 6 |"):
        six = [it for it in segment(closed).items if it.text == "6"][0]
        assert six.col_end == 0
