import re

import pytest
from hypothesis import given, settings, strategies as st

import gxml
from gxml.reline import collapsed_values, is_collapsed, reline
from gxml.reline import tokens as line_tokens
from gxml.segment import is_value_token

from conftest import load_truth, same, shared_dir, table_lines, zero_cells


def one_line(text: str) -> str:
    """``text`` as a page scraped to one paragraph: every line break and indent one space."""
    return re.sub(r"\s*\n\s*", " ", text)


def test_threshold_is_the_widest_row_plus_added_columns():
    assert collapsed_values() == 15 + 3  # table 四 prints 15 cells in one row


def test_a_row_is_not_collapsed_but_rows_run_together_are():
    row = "行政复议 " + " ".join(["0"] * 15)
    assert not is_collapsed(row)
    assert not is_collapsed("规章            1          0        11")
    assert is_collapsed(" ".join(["规章 1 0 11", "行政规范性文件 2 0 5"] * 4))
    assert is_collapsed(" | ".join(["规章", "1", "0", "11"] * 7))  # 21 values


def test_prose_with_a_few_numbers_is_not_collapsed():
    prose = "2025 年共收到政府信息公开申请 346 件，上年结转 6 件，其中予以公开 163 件，部分公开 10 件。" * 3
    assert not is_collapsed(prose)


def test_text_without_collapsed_lines_is_returned_as_is():
    text = "\n".join(table_lines({}))
    assert reline(text) == (text, None)


def test_collapsed_line_is_cut_one_token_per_line_keeping_offsets():
    text = "标题\n" + " ".join(["规章 1 0 11"] * 6) + " | 行政许可 | 7\n落款"
    out, origin = reline(text)
    assert len(out) == len(text)
    lines = out.split("\n")
    assert lines[0] == "标题" and lines[-1] == "落款"
    assert [x.strip(" |") for x in lines[1:-1]] == ["规章", "1", "0", "11"] * 6 + ["行政许可", "7"]
    assert origin == (1,) + (2,) * (len(lines) - 2) + (3,)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["0", "12", "1,234", "2.5万件", "规章", "行政许可", "—", "-", "无", "- 3 -", "— 5 —",
                                  " ", "  ", "|", "\t", "\n", "年", "条，"]), max_size=160))
def test_reline_only_turns_separators_into_line_breaks(tokens):
    text = "".join(tokens)
    out, origin = reline(text)
    for line in text.split("\n"):  # the cheap bounds never reject a line the exact count takes
        values = sum(1 for tok in line_tokens(line) if is_value_token(tok))
        assert is_collapsed(line) == (len(line) > 2 * collapsed_values() and values > collapsed_values())
    assert len(out) == len(text)
    for a, b in zip(text, out):
        assert a == b or (a in " \t|" and b == "\n")
    if origin is None:
        assert out == text
    else:
        assert len(origin) == out.count("\n") + 1
        # each new line maps to the source line holding its first character
        starts = [0] + [m.end() for m in re.finditer("\n", out)]
        assert list(origin) == [text.count("\n", 0, s) + 1 for s in starts]


def test_one_lined_seeds_parse_as_before():
    for path in sorted(shared_dir("seeds").glob("*.txt")):
        truth = load_truth(path.with_suffix(".truth.json"))
        rep = gxml.parse(one_line(path.read_text(encoding="utf-8")))
        assert rep.template == truth["template"], path.name
        wrong = [k for k, v in truth["cells"].items() if not same(rep.cells.get(k), v)]
        assert wrong == [], path.name
        assert {line for line in rep.lines.values() if line is not None} == {1}  # the user's one line


def test_one_lined_table_is_read():
    cells = {"active.regulations.issued": 2, "active.regulations.in_force": 9,
             "requests.new_received.natural_person": 4, "requests.new_received.total": 4,
             "requests.granted.natural_person": 4, "requests.granted.total": 4,
             "requests.total.natural_person": 4, "requests.total.total": 4}
    text = "某局2021年政府信息公开工作年度报告\n" + " ".join(table_lines({**zero_cells(), **cells}))
    rep = gxml.parse(text)
    assert rep.template == "2021"
    assert {k: v for k, v in rep.cells.items() if v} == cells


def test_page_numbers_and_numbers_with_units_stay_whole():
    line = ("共发布信息 303 条，其中 " + " ".join(["规章 1 0 11"] * 6)
            + " - 3 - 第 2 页 共 6 页 本 年 度 0 年 行政许可 7")
    lines = reline(line)[0].split("\n")
    assert [x.strip() for x in lines[:3]] == ["共发布信息", "303 条，其中", "规章"]
    assert "- 3 -" in lines and "第 2 页 共 6 页" in [x.strip() for x in lines]
    assert [x.strip() for x in lines[-7:]] == ["本", "年", "度", "0", "年", "行政许可", "7"]  # a lone 年: a label's


def test_a_value_among_dashed_zeros_is_no_page_number():
    """Zero cells printed as dashes: "— 5 —" beside an "—" is a value between blank cells, while
    "- 3 -" beside an "—" (a row ending in a blank cell, then a page break) stays a page number."""
    line = " ".join(["规章 1 — 11"] * 6) + " 行政许可 — — 5 — — - 3 - 行政处罚 — 10 — — 12"
    lines = [x.strip() for x in reline(line)[0].split("\n")]
    assert lines[-13:] == ["行政许可", "—", "—", "5", "—", "—", "- 3 -", "行政处罚", "—", "10", "—", "—", "12"]
    assert line_tokens("a — 10 — b") == ["a", "— 10 —", "b"]  # no blank mark beside it: a page number


def test_a_dashed_value_that_is_not_the_next_page():
    # zeros printed "—", pages "-3-": a value between a cell and a label is no page number
    # when it is not the next page's; page numbers print the same dash on both sides
    assert line_tokens("a -3- b — — — 5 2 — 1 — 总计 3 c -4-") == [
        "a", "-3-", "b", "—", "—", "—", "5", "2", "—", "1", "—", "总计", "3", "c", "-4-"]
    # a hyphen or two in prose (a date, a telephone number) print no zeros
    assert line_tokens("2026 - 01 - 22 电话 0516 - 7182 规章 - 1 - 行政许可") == [
        "2026", "- 01 -", "22", "电话", "0516", "-", "7182", "规章", "- 1 -", "行政许可"]
    assert line_tokens("x — 3 — y — 4 — z") == ["x", "— 3 —", "y", "— 4 —", "z"]  # the next pages
    assert line_tokens("31 — — 31 - 3 - 1 — — 1") == ["31", "—", "—", "31", "- 3 -", "1", "—", "—", "1"]


def test_prose_numbers_before_the_tables_stay_out_of_them(monkeypatch):
    # a generated PDF report scraped to one line: "受理“ 12345 ”热线" and the like before table 二
    import random

    import gxml.decoder
    from training.corpus import _document

    doc = _document(random.Random("gxml-test:20261122:collapsed:34"), "collapsed")
    assert "base=pdf_layout" in doc.truth["notes"]

    def wrong():
        rep = gxml.parse(doc.text)
        return sorted(k for k, v in doc.truth["cells"].items() if not same(rep.cells.get(k), v))
    assert wrong() == []
    # such values used to join table 二's first row as an extra column
    monkeypatch.setattr(gxml.decoder, "NO_ANCHOR_BEFORE", -99.0)
    assert wrong() != []


def test_prose_numbers_with_units_before_the_tables_stay_out_of_them():
    cells = {"active.regulations.issued": 2, "active.regulations.in_force": 9}
    prose = "2022 年，我区受理 12345 热线工单，主动公开政府信息 376 条。"
    text = "某区2022年政府信息公开工作年度报告 一、总体情况 " + prose + " " + " ".join(
        table_lines({**zero_cells(), **cells}))
    rep = gxml.parse(text)
    assert rep.template == "2021"
    assert {k: v for k, v in rep.cells.items() if v} == cells
