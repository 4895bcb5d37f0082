import pytest

from gxml.values import looks_like_value, parse_value, to_column_unit


@pytest.mark.parametrize("raw,num", [
    ("0", 0), ("42", 42), ("1,234", 1234), ("7730.28", 7730.28), ("2.46万件", 24600),
    ("1.4万件", 14000), ("3.8万", 38000), ("2202万元", 22020000), ("12件", 12), ("1亿", 100000000),
    (" 5 ", 5), ("-5", -5), ("5（件）", 5), ("5(件)", 5), ("2.46（万件）", 24600), ("3（人）", 3),
    ("—3", -3), ("–3", -3), ("—3件", -3), ("+2", 2),  # a dash glued to digits is a minus sign
    ("3人次", 3), ("2例", 2),
])
def test_numbers(raw, num):
    v = parse_value(raw)
    assert v.kind == "number" and v.number == num and v.raw == raw


@pytest.mark.parametrize("raw", ["", "/", "-", "—", "无", "暂无", "－"])
def test_blanks_keep_raw(raw):
    v = parse_value(raw)
    assert v.kind == "blank" and v.number is None and v.raw == raw


def test_text_is_not_a_value():
    assert parse_value("规章").kind == "text"
    assert parse_value("(件)").kind == "text" and parse_value("5(件").kind == "text"
    assert not looks_like_value("行政许可")


def test_thirty_digit_number_exact():
    assert parse_value("123456789012345678901234567890").number == 123456789012345678901234567890


def test_money_to_column_unit():
    assert to_column_unit(parse_value("3000元"), "万元") == 0.3
    assert to_column_unit(parse_value("0.3"), "万元") == 0.3
    assert to_column_unit(parse_value("2202万元"), "元") == 22020000
    assert to_column_unit(parse_value("-"), "万元") is None


def test_a_dash_glued_to_digits_is_a_decrease_not_a_lost_cell():
    # a 2019 本年增/减 cell typed with an em dash for the minus sign was read as text and
    # dropped: the row's change came out blank, flagged by nothing
    import gxml
    from conftest import make_report, zero_cells

    text = make_report(zero_cells("2019"), template="2019", override={"active.licensing": "行政许可 | 10 | —3 | 7"})
    rep = gxml.parse(text)
    assert [rep.cells[f"active.licensing.{c}"] for c in ("prev_year", "change", "decisions")] == [10, -3, 7]
    assert parse_value("——3").kind == "text"  # two dashes are no sign
