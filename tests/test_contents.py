"""Tables of contents: their page numbers are no cell values."""
from gxml.contents import contents_lines
from gxml.normalize import normalize
from gxml.segment import segment

CONTENTS = ["目录", "", "一、总体情况……1", "二、主动公开政府信息情况……3", "",
            "三、收到和处理政府信息公开申请情况 4", "四、政府信息公开行政复议、行政诉讼情况      6",
            "五、存在的主要问题及改进情况 7"]


def test_a_run_of_headings_with_page_numbers_naming_the_tables_is_a_contents_page():
    heads = [(3, "一、总体情况……"), (4, "二、主动公开政府信息情况……"), (6, "三、收到和处理政府信息公开申请情况"),
             (7, "四、政府信息公开行政复议、行政诉讼情况")]
    assert contents_lines(heads) == {3, 4, 6, 7}
    assert contents_lines(heads[:2]) == set()  # two lines are no run
    assert contents_lines([(k * 5, h) for k, h in heads]) == set()  # nor lines far apart


def test_rows_of_table_three_with_one_value_each_are_no_contents_page():
    rows = [(1, "一、本年新收政府信息公开申请数量"), (2, "二、上年结转政府信息公开申请数量"),
            (3, "三、本年度办理结果"), (4, "四、结转下年度继续办理")]
    assert contents_lines(rows) == set()


def test_segmented_contents_page_numbers_have_no_value_and_rows_keep_theirs():
    rows = ["三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量 21",
            "二、上年结转政府信息公开申请数量 3", "四、结转下年度继续办理 1"]
    doc = segment(normalize("\n".join(CONTENTS + [""] + rows)))
    pages = [it for it in doc.items if it.line <= len(CONTENTS) and it.text.isdigit()]
    assert [it.text for it in pages] == ["1", "3", "4", "6", "7"]
    assert not any(it.is_value or it.value for it in pages)
    values = [it.value.number for it in doc.items if it.line > len(CONTENTS) and it.is_value]
    assert values == [21, 3, 1]
