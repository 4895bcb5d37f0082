"""Decoder behaviour on hand-made breakage, tagged by the rule-of-thumb tagger (no model)."""
import pytest
from hypothesis import given, settings, strategies as st

from gxml.heuristic import HeuristicTagger
from gxml.pipeline import run
from gxml.templates import get_template

from conftest import make_report, same, zero_cells

T = HeuristicTagger()


def parse(text, template=None):
    return run(text, method="ml", tagger=T, template=template)


def wrong(rep, cells):
    return {k: (v, rep.cells.get(k)) for k, v in cells.items() if not same(v, rep.cells.get(k))}


def sample_cells():
    c = zero_cells("2021")
    c.update({"active.licensing.decisions": 550, "active.fees.amount": 7730.28,
              "requests.new_received.natural_person": 80, "requests.new_received.commercial": 1,
              "requests.new_received.total": 81, "requests.granted.natural_person": 80,
              "requests.granted.commercial": 1, "requests.granted.total": 81,
              "requests.total.natural_person": 80, "requests.total.commercial": 1, "requests.total.total": 81,
              "disputes.review.upheld": 2, "disputes.review.total": 2})
    return c


def test_clean_pipe_report_exact():
    c = sample_cells()
    rep = parse(make_report(c))
    assert rep.template == "2021"
    assert wrong(rep, c) == {}
    assert not [i for i in rep.issues if i["kind"] == "identity"]


def test_fused_digits_split_by_identities():
    c = sample_cells()
    text = make_report(c, override={"requests.new_received": "一、本年新收政府信息公开申请数量801000081"})
    rep = parse(text)
    got = [rep.cells[f"requests.new_received.{k}"] for k in
           ("natural_person", "commercial", "research", "social", "legal", "other_org", "total")]
    assert got == [80, 1, 0, 0, 0, 0, 81]


def test_dropped_blank_cells_placed_by_identities():
    c = sample_cells()
    c["requests.new_received.legal"] = 3
    c["requests.new_received.commercial"] = 0
    c["requests.new_received.total"] = 83
    c["requests.granted.legal"] = 3
    c["requests.granted.commercial"] = 0
    c["requests.granted.total"] = 83
    c["requests.total.legal"] = 3
    c["requests.total.commercial"] = 0
    c["requests.total.total"] = 83
    # the row prints only 80, 3, 83: four blank cells vanished
    text = make_report(c, override={"requests.new_received": "一、本年新收政府信息公开申请数量 | 80 | 3 | 83"})
    rep = parse(text)
    assert rep.cells["requests.new_received.legal"] == 3
    assert rep.cells["requests.new_received.total"] == 83
    assert not rep.cells["requests.new_received.commercial"]


def test_values_before_their_labels():
    c = sample_cells()
    lines = make_report(c).split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith("（一）予以公开"))
    label, *vals = lines[k].split(" | ")
    lines[k] = " ".join(vals)          # the values first ...
    lines.insert(k + 1, label)         # ... then the label, as pdfplumber prints wrapped rows
    rep = parse("\n".join(lines))
    assert wrong(rep, c) == {}


def test_vertical_labels_and_page_numbers_inside_table():
    c = sample_cells()
    lines = make_report(c).split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith("（一）予以公开"))
    lines[k:k] = list("三、本年度办理结果") + ["- 3 -"]
    rep = parse("\n".join(lines))
    assert wrong(rep, c) == {}


def test_extra_subtotal_column_skipped():
    c = sample_cells()
    # 小计 (sum of the five organisation columns) printed before 总计
    text = make_report(c, override={"requests.granted": "（一）予以公开 | 80 | 1 | 0 | 0 | 0 | 0 | 1 | 81"})
    rep = parse(text)
    assert rep.cells["requests.granted.total"] == 81
    assert rep.cells["requests.granted.natural_person"] == 80


def test_identity_break_is_reported_not_fixed():
    c = sample_cells()
    c["disputes.review.total"] = 0  # the report misprints its own sum
    rep = parse(make_report(c))
    assert rep.cells["disputes.review.upheld"] == 2 and rep.cells["disputes.review.total"] == 0
    names = [i["name"] for i in rep.issues if i["kind"] == "identity"]
    assert names == ["disputes sum (review)"]


def test_2019_template_with_units():
    c = zero_cells("2019")
    c.update({"active.other_services.prev_year": 24600, "active.procurement.amount": 22020000})
    text = make_report(c, "2019", override={
        "active.other_services": "其他对外管理服务事项 | 2.46万件 | 0 | 0",
        "active.procurement": "政府集中采购 | 0 | 2202万元"})
    rep = parse(text)
    assert rep.template == "2019"
    assert wrong(rep, c) == {}


def test_single_other_row_layout():
    c = zero_cells("2021", layout=1)
    c.update({"requests.other.natural_person": 2, "requests.other.total": 2,
              "requests.new_received.natural_person": 2, "requests.new_received.total": 2,
              "requests.total.natural_person": 2, "requests.total.total": 2})
    rep = parse(make_report(c, layout=1))
    assert wrong(rep, c) == {}
    assert rep.cells["requests.other_other.total"] is None


def test_every_cell_has_confidence_and_line():
    c = sample_cells()
    rep = parse(make_report(c))
    assert set(rep.confidence) == set(rep.cells)
    assert all(0.0 <= v <= 1.0 for v in rep.confidence.values())
    assert rep.lines["active.licensing.decisions"] is not None


def test_not_a_report():
    for text in ["", "今天天气很好，市民出行顺利。记者 王某 报道。", "\x00\x01\x02garbage\xff" * 50]:
        rep = parse(text)
        assert rep.template is None
        assert rep.issues and rep.issues[0]["kind"] == "no_tables"


def test_tables_printed_twice_are_read_once_and_flagged():
    c = sample_cells()
    text = make_report(c)
    head, tail = text.split("五、存在的主要问题及改进情况")
    tables = head[head.index("二、主动公开政府信息情况"):]
    rep = parse(head + tables + "五、存在的主要问题及改进情况" + tail)
    assert wrong(rep, c) == {}
    assert "repeated_tables" in {i["kind"] for i in rep.issues}


def test_all_zero_row_with_dropped_cells_is_not_ambiguous():
    c = sample_cells()
    rep = parse(make_report(c, override={"requests.carried_over": "二、上年结转政府信息公开申请数量 | 0 | 0"}))
    assert wrong(rep, c) == {}
    assert not [i for i in rep.issues if i["kind"] == "ambiguous_row" and i["row"] == "requests.carried_over"]


def test_space_aligned_row_with_dropped_cells_placed_by_column_position():
    c = sample_cells()
    c["active.regulations.in_force"] = 3
    lines = make_report(c).split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith("规章"))
    # pdftotext -layout: blank cells vanish, the value keeps its column position
    lines[k] = "规章" + " " * 30 + "3"
    lines[k + 1] = "行政规范性文件" + " " * 6 + "0" + " " * 11 + "0" + " " * 11 + "0"
    rep = parse("\n".join(lines))
    assert rep.cells["active.regulations.in_force"] == 3
    assert not rep.cells["active.regulations.issued"]


_PIECES = st.sampled_from(["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "规章 | 0 | 3 |",
                           "一、本年新收政府信息公开申请数量801000081", "（七）总计 1 0 0 0 0 0 1", "- 3 -",
                           "自然人\t商业企业", " |", "\t", "|---|", "2.46万件", "3.其他", "五、存在的主要问题及改进情况"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12), st.integers(0, 10 ** 12).map(str)), max_size=50))
def test_decoder_never_raises(parts):
    rep = parse("\n".join(parts))  # pipeline.run: no exception handling in between
    assert rep.template in (None, "2019", "2021")
    if rep.template:
        assert set(rep.cells) == set(rep.confidence)


def test_disputes_row_with_its_leading_blanks_dropped_placed_by_cell_positions():
    c = sample_cells()
    c.update({"disputes.review.upheld": 0, "disputes.review.total": 0,
              "disputes.litigation_direct.upheld": 1, "disputes.litigation_direct.other": 1,
              "disputes.litigation_direct.total": 2, "disputes.litigation_after_review.upheld": 1,
              "disputes.litigation_after_review.corrected": 1, "disputes.litigation_after_review.other": 3,
              "disputes.litigation_after_review.total": 5})
    # the five empty review cells left of the first value vanish; the positions from the row's
    # end still tell the columns (10 items for 15 columns: the placement is the last of 3003);
    # the row ends at its last cell, like every row of this text (a last "|" would be one more
    # empty cell)
    rep = parse(make_report(c, override={"disputes.disputes": " 1 |  | 1 |  | 2 | 1 | 1 | 3 |  | 5"}))
    assert wrong(rep, {k: v for k, v in c.items() if k.startswith("disputes.")}) == {}


def test_lone_value_of_a_row_goes_to_its_total_like_column():
    c = sample_cells()
    c["active.normative_documents.in_force"] = 7
    # 本年制发 and 本年废止 printed empty and lost: 7 is 现行有效 (filled whenever any cell is)
    rep = parse(make_report(c, override={"active.normative_documents": "行政规范性文件 7"}))
    assert rep.cells["active.normative_documents.in_force"] == 7
    assert not rep.cells["active.normative_documents.issued"]


def test_2019_fees_row_with_a_decisions_column_drops_that_value():
    c = zero_cells("2019")
    c.update({"active.fees.prev_year": 3, "requests.new_received.natural_person": 1,
              "requests.new_received.total": 1, "requests.granted.natural_person": 1,
              "requests.granted.total": 1, "requests.total.natural_person": 1, "requests.total.total": 1})
    lines = make_report(c, template="2019").split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith("行政事业性收费"))
    # seed 004's layout: the fees row headed like the rows above it, with 处理决定数量
    lines[k:k + 1] = ["信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量", "行政事业性收费 | 3 |  | 296"]
    rep = parse("\n".join(lines), template="2019")
    assert rep.cells["active.fees.prev_year"] == 3 and not rep.cells["active.fees.change"]


def test_values_on_the_last_line_of_a_label_broken_over_lines():
    c = sample_cells()
    for key, n in (("unable_not_held", 185), ("unable_need_creation", 34), ("unable_unclear", 55)):
        c[f"requests.{key}.natural_person"] = c[f"requests.{key}.total"] = n
    for key in ("new_received", "total"):
        c[f"requests.{key}.natural_person"] += 274
        c[f"requests.{key}.total"] += 274
    lines = make_report(c, sep=" ").split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith("1.本机关不掌握"))
    # pdfplumber (seen in held-out docs): the label wraps and its values print after the tail
    # 息; the next rows' values print between label fragments or before their label
    lines[k:k + 3] = ["1.本机关不掌握相关政府信", "息 185 0 0 185", "2.没有现成信息需要另行制",
                      "（四） 无法 提供", "34 0 0 34", "作", "55 0 0 55", "3.补正后申请内容仍不明确"]
    rep = parse("\n".join(lines))
    assert wrong(rep, c) == {}


def test_single_space_rows_keep_no_character_columns():
    c = zero_cells("2019")
    c.update({"active.licensing.prev_year": 3, "active.licensing.change": 1, "active.licensing.decisions": 5,
              "active.normative_documents.new_made": None, "active.normative_documents.new_published": None,
              "active.normative_documents.total_published": 1})
    # pdfplumber text: "规范性文件 1" stands left of where "行政许可 3 1 5" has its first value,
    # but single spaces tell no columns: the lone value is the total (对外公开总数量)
    rep = parse(make_report(c, template="2019", sep=" ", override={"active.normative_documents": "规范性文件 1"}),
                template="2019")
    assert rep.cells["active.normative_documents.total_published"] == 1
    assert not rep.cells["active.normative_documents.new_made"]


def test_values_before_their_label_across_a_page_number():
    c = zero_cells("2019")
    c.update({"active.licensing.prev_year": 1018, "active.licensing.change": 5,
              "active.licensing.decisions": None, "active.other_services.prev_year": 71,
              "active.other_services.change": 3, "active.other_services.decisions": 0})
    lines = make_report(c, template="2019", sep=" ").split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith("其他对外管理服务事项"))
    # pdfplumber: the next row's values print before its label, and a page break falls between
    lines[k:k + 1] = ["71 3 0", "- 1 -", "其他对外管理服务事项"]  # and 行政许可 printed only 1018 5
    rep = parse("\n".join(lines), template="2019")
    assert wrong(rep, {k: v for k, v in c.items() if k.startswith("active.")}) == {}


def test_values_of_the_next_row_read_before_its_label_after_the_row_before():
    """Plain pdftotext, one cell a line: a lower-set label cell comes after its row's values,
    so they follow the row before's own values; the next label has none after it."""
    c = zero_cells("2019")
    c.update({"active.licensing.prev_year": 17, "active.licensing.change": 2, "active.licensing.decisions": 56,
              "active.other_services.prev_year": 22, "active.other_services.change": 3,
              "active.other_services.decisions": 1})
    lines = make_report(c, template="2019", sep="\n").split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith("其他对外管理服务事项"))
    assert lines[k + 1:k + 4] == ["22", "3", "1"]
    lines[k:k + 4] = ["22", "3", "1", "其他对外管理服务事项"]
    rep = parse("\n".join(lines), template="2019")
    assert wrong(rep, {k: v for k, v in c.items() if k.startswith("active.")}) == {}


def test_values_of_three_rows_after_the_first_label_and_before_the_others():
    """Plain pdftotext: 3.其他, then the values of 3.其他, （七）总计 and 四、结转…, then the two
    labels (lower-set label cells read after their rows' values)."""
    c = zero_cells("2021")
    for col, v in (("natural_person", 12), ("other_org", 3), ("total", 15)):
        c[f"requests.new_received.{col}"] = c[f"requests.other_other.{col}"] = c[f"requests.total.{col}"] = v
    c.update({"requests.total.natural_person": 10, "requests.total.total": 13,
              "requests.carried_forward.natural_person": 2, "requests.carried_forward.total": 2,
              "requests.new_received.natural_person": 12})
    lines = make_report(c, sep="\n").split("\n")
    k = lines.index("3.其他")
    assert lines[k + 8] == "（七）总计" and lines[k + 16] == "四、结转下年度继续办理"
    values = [v for v in lines[k + 1:k + 24] if not v.startswith(("（七）", "四、"))]
    lines[k + 1:k + 24] = values + ["（七）总计", "四、结转下年度继续办理"]
    rep = parse("\n".join(lines))
    assert wrong(rep, {k: v for k, v in c.items() if k.startswith("requests.")}) == {}


def test_a_change_larger_than_last_years_count_is_no_change():
    c = zero_cells("2019")
    c.update({"active.licensing.prev_year": 1018, "active.licensing.change": None,
              "active.licensing.decisions": 388017})
    # 本年增/减 printed empty and lost: 388017 is far more than a change of 1018 items
    rep = parse(make_report(c, template="2019", sep=" ", override={"active.licensing": "行政许可 1018 388017"}),
                template="2019")
    assert rep.cells["active.licensing.decisions"] == 388017 and not rep.cells["active.licensing.change"]


def test_a_glued_row_that_breaks_its_sums_keeps_its_digits_and_is_flagged():
    c = sample_cells()
    # the report misprints: 10 in the total column, none in the columns before it
    text = make_report(c, override={"requests.rejected_publication": "3.要求提供公开出版物00000010"})
    rep = parse(text)
    assert rep.cells["requests.rejected_publication.total"] == 10
    assert [i for i in rep.issues if i["kind"] == "identity"]


def test_2019_fees_row_under_a_glued_header_with_an_extra_column():
    c = zero_cells("2019")
    c.update({"active.fees.prev_year": 14, "active.fees.change": 0})
    text = make_report(c, template="2019", override={
        "active.fees": "信息内容上一年项目数量本年减处理决定数量\n行政事业性收费140217"})
    rep = parse(text)
    assert (rep.cells["active.fees.prev_year"], rep.cells["active.fees.change"]) == (14, 0)


def test_the_learnt_value_prior_cuts_a_glued_run_no_identity_decides():
    from gxml.value_prior import ValuePrior

    c = zero_cells("2019")
    c.update({"active.procurement.projects": 2, "active.procurement.amount": 99})
    text = make_report(c, template="2019", override={"active.procurement": "政府集中采购299"})
    truths = [("2019", {"active.procurement.projects": p, "active.procurement.amount": a})
              for p, a in [(2, 99000), (3, 5000), (1, 870), (0, 0), (4, 12000), (2, 450)]]
    tagger = HeuristicTagger()
    tagger.value_prior_ = ValuePrior().fit(truths)
    rep = run(text, method="ml", tagger=tagger)
    assert (rep.cells["active.procurement.projects"], rep.cells["active.procurement.amount"]) == (2, 99)
    # the same prior learnt from reports where projects are many and amounts small cuts otherwise
    tagger.value_prior_ = ValuePrior().fit(
        [("2019", {"active.procurement.projects": p, "active.procurement.amount": a})
         for p, a in [(29, 9), (35, 4), (12, 0), (40, 7), (18, 3)]])
    rep = run(text, method="ml", tagger=tagger)
    assert (rep.cells["active.procurement.projects"], rep.cells["active.procurement.amount"]) == (29, 9)


def _answered(c, **rows):
    """``c`` with more new requests from natural persons, ``n`` of them answered as each ``row``."""
    for row, n in rows.items():
        for key in (row, "new_received", "total"):
            c[f"requests.{key}.natural_person"] += n
            c[f"requests.{key}.total"] += n
    return c


BROKEN = ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不", "再处理其政府信息公开申请"]


def test_values_after_a_broken_label_in_single_space_text_are_the_next_labels():
    c = _answered(sample_cells(), other_other=8)
    lines = make_report(c, sep=" ").split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith("2.申请人逾期未按"))
    # pdfplumber and markdown from PDFs print a row's values before its label's last part: a
    # run after a label's complete tail is the next row's (and 再处理… + 3.其他 is no label)
    lines[k:k + 2] = BROKEN + ["8 0 0 0 0 0 8", "3.其他"]
    rep = parse("\n".join(lines))
    assert wrong(rep, c) == {}


def test_values_after_a_broken_label_in_space_aligned_text_are_its_own():
    c = _answered(sample_cells(), other_no_fee=8, other_other=5)
    lines = make_report(c, sep="     ").split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith("2.申请人逾期未按"))
    # pdftotext -layout prints a wrapped label's values below its last part; blank cells
    # vanished, so the next row (with room for four values) could take them
    lines[k:k + 2] = BROKEN + ["8" + " " * 40 + "8", "", "3.其他" + " " * 40 + "5" + " " * 40 + "5"]
    rep = parse("\n".join(lines))
    assert wrong(rep, c) == {}


def test_values_after_a_broken_label_in_text_of_a_cell_a_line_are_its_own():
    c = _answered(sample_cells(), other_no_correction=3)
    lines = make_report(c, sep="\n").split("\n")

    def wrap(first, parts):
        k = next(i for i, line in enumerate(lines) if line.startswith(first))
        lines[k:k + 1] = parts

    # plain pdftotext prints every cell on a line of its own, a wrapped label's lines before
    # its values, and the labels of the last rows after their values: the run after a label's
    # tail is its own, not the next label's (no sum tells: 3 0 0 0 0 0 3 keeps every sum in
    # any row of （六）; it went to 2.申请人逾期未按… at confidence 1.0)
    wrap("5.要求行政机关", ["5.要求行政机关确认或重新出具已", "获取信息"])
    wrap("1.申请人无正当理由", ["1.申请人无正当理由逾期不补正、", "行政机关不再处理其政府信息公", "开申请"])
    wrap("2.申请人逾期未按", BROKEN)
    k = next(i for i, line in enumerate(lines) if line == "（七）总计")
    lines[k:k + 16] = lines[k + 1:k + 8] + lines[k + 9:k + 16] + [lines[k], lines[k + 8]]
    rep = parse("\n".join(lines))
    assert wrong(rep, c) == {}


def _replace_rows(c, first, new_lines, count=2):
    lines = make_report(c, sep=" ").split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith(first))
    lines[k:k + count] = new_lines
    return parse("\n".join(lines))


def test_values_above_a_label_whose_own_line_has_values_are_not_that_labels():
    c = _answered(sample_cells(), partial=293, denied_secret=33)
    # the run 293 0 0 293 stands right above 1.属于国家秘密, whose values are on its own line:
    # it is the broken label's before it (blank cells dropped, either row has room for it)
    rep = _replace_rows(c, "（二）部分公开", ["三、 （二）部分公开（区分处理的，只计这",
                                           "一情形，不计其他情形） 293 0 0 293", "1.属于国家秘密 33 0 0 33"])
    assert wrong(rep, c) == {}


def test_a_label_tail_after_vertical_label_pieces_carries_its_values():
    c = _answered(sample_cells(), unable_not_held=9)
    # pdfplumber joins the pieces of one line: 度 and （四） of the vertical labels, then 息,
    # the tail of 1.本机关不掌握相关政府信息, whose values these are
    rep = _replace_rows(c, "1.本机关不掌握", ["1.本机关不掌握相关政府信", "度 （四） 息 9 0 0 9",
                                           "无法提 2.没有现成信息需要另行制", "供 0 0 0", "作"])
    assert wrong(rep, c) == {}


def test_values_printed_above_their_labels_read_so_when_the_sums_say_so():
    c = sample_cells()
    c["requests.carried_forward.natural_person"] = c["requests.carried_forward.total"] = 2
    c["requests.new_received.natural_person"] += 2
    c["requests.new_received.total"] += 2
    # pdfplumber: the last rows' values print above their labels; read after the label before
    # them, 3.其他 would get 81 cases and the sums break
    rep = _replace_rows(c, "3.其他", ["3.其他", "80 1 81", "（七）总计", "2 2", "四、结转下年度继续办理"],
                        count=3)
    assert wrong(rep, c) == {}


def test_values_between_two_labels_go_where_the_learnt_prior_expects_them():
    from gxml.value_prior import ValuePrior

    c = sample_cells()
    keys = ("issued", "repealed", "in_force")
    lines = make_report(c, sep=" ").split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith("规章"))
    # pdfplumber: the run stands between 规章 and 行政规范性文件, on neither's line; no sum
    # involves either row
    lines[k:k + 2] = ["规章", "3 1 50", "行政规范性文件"]

    def parse_with(busy, idle):  # a prior learnt from reports where only ``busy`` has documents
        tagger = HeuristicTagger()
        tagger.value_prior_ = ValuePrior().fit(
            [("2021", {**{f"active.{idle}.{x}": 0 for x in keys},
                       **{f"active.{busy}.{x}": v for x, v in zip(keys, (n, 0, 10 * n))}}) for n in (1, 4, 2, 8)])
        rep = run("\n".join(lines), method="ml", tagger=tagger)
        return [rep.cells[f"active.{busy}.{x}"] for x in keys], [rep.cells[f"active.{idle}.{x}"] or 0 for x in keys]

    assert parse_with("normative_documents", "regulations") == ([3, 1, 50], [0, 0, 0])
    assert parse_with("regulations", "normative_documents") == ([3, 1, 50], [0, 0, 0])


def test_most_rows_printed_above_their_labels_are_read_so_when_the_sums_say_so():
    c = _answered(sample_cells(), granted=6, unable_not_held=2)
    t = get_template("2021")
    lines = make_report(c, sep=" ").split("\n")
    # pdfplumber: every row of table 三 prints its values on the line above its label; the rows
    # of table 一 keep theirs on their line, so this text does print rows on lines
    for row in (r for r in t.layouts()[0] if r.table == "requests"):
        k = next(i for i, l in enumerate(lines) if l.startswith(row.label + " "))
        vals = " ".join("" if c[x] is None else str(c[x]) for x in row.cells)
        lines[k:k + 1] = [vals, row.label]
    rep = parse("\n".join(lines))
    assert wrong(rep, c) == {}


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 8), st.integers(1, 9), st.integers(0, 2**32 - 1))
def test_no_alignment_beats_the_sum_of_each_values_or_each_slots_best_gain(n_values, n_slots, seed):
    """The bound that lets the decoder skip aligning a layout that cannot win."""
    import itertools

    import numpy as np

    from gxml.decoder import _bound, _running_best, _traceback

    m = np.random.default_rng(seed).uniform(-2, 1, (n_values, n_slots)).round(2)
    score = _running_best(m)
    pairs = _traceback(score)
    assert np.isclose(sum(m[k, j] for k, j in pairs), score[-1, -1])
    # the matching is monotone and the best one (brute force over value and slot subsets)
    assert all(a < c and b < d for (a, b), (c, d) in zip(pairs, pairs[1:]))
    best = max(sum(m[k, j] for k, j in zip(ks, js)) if ks else 0.0
               for r in range(min(n_values, n_slots) + 1)
               for ks in itertools.combinations(range(n_values), r)
               for js in itertools.combinations(range(n_slots), r))
    assert np.isclose(score[-1, -1], best)
    positive = np.maximum(m, 0.0)
    assert score[-1, -1] <= _bound(m) + 1e-12
    # and it is no looser than either sum alone (per value, per slot)
    assert _bound(m) <= min(positive.max(axis=1).sum(), positive.max(axis=0).sum()) + 1e-12


def test_an_ambiguous_row_is_flagged_once_with_its_final_certainty():
    c = sample_cells()
    # two values for seven columns, and no sum tells which: the repair sweeps the row twice
    row = get_template("2021").row("requests.carried_over")
    rep = parse(make_report(c, override={row.id: row.label + " | 1 | 2"}))
    flagged = [i for i in rep.issues if i["kind"] == "ambiguous_row" and i["row"] == row.id]
    assert len(flagged) == 1
    assert max(rep.confidence[cell] for cell in row.cells) <= flagged[0]["certainty"] < 0.6


def _labels_then_columns(text, drop_last=False):
    """Table 三 with every row label printed first, then its values one per line, column by
    column (an OCR pass that read the table's columns one after another)."""
    lines = text.split("\n")
    a = next(i for i, l in enumerate(lines) if l.startswith("三、收到和处理"))
    b = next(i for i, l in enumerate(lines) if l.startswith("四、"))
    rows = [l.split(" | ") for l in lines[a + 1:b]]
    values = [v for c in range(len(rows[0]) - 1) for r in rows for v in r[c + 1:c + 2]]
    if drop_last:
        values = values[:-1]
    return "\n".join(lines[:a + 1] + [r[0] for r in rows] + values + lines[b:])


def test_labels_printed_first_then_values_column_by_column_are_reread():
    c = sample_cells()
    c.update({"requests.new_received.natural_person": 82, "requests.new_received.research": 1,
              "requests.new_received.total": 84, "requests.granted.research": 1, "requests.granted.total": 82,
              "requests.partial.natural_person": 2, "requests.partial.total": 2,
              "requests.total.natural_person": 82, "requests.total.research": 1, "requests.total.total": 84})
    rep = parse(_labels_then_columns(make_report(c)))
    assert wrong(rep, c) == {}
    assert [i["table"] for i in rep.issues if i["kind"] == "reading_order"] == ["requests"]


@pytest.mark.parametrize("tagger", ["heuristic", "default"])
def test_labels_printed_first_then_values_column_by_column_are_reread_with_their_misprints(tagger):
    import gxml

    c = _requests_cells()
    c["requests.granted.total"] = 83  # misprinted: breaks its row's sum and the column's
    text = _boxed_by_columns(make_report(c), 0, 0)
    rep = parse(text) if tagger == "heuristic" else gxml.parse(text)
    assert wrong(rep, c) == {}
    assert len([i for i in rep.issues if i["kind"] == "identity"]) == 2


def test_a_pdfminer_table_read_by_columns_is_reread_though_its_sums_are_misprinted():
    """pdfminer text of a typeset report (tests/data/misprinted_columns_pdfminer.txt): table 三
    printed column by column after all its labels, two of its sums misprinted. The printed
    order reads few values, so breaks few sums: the re-read may break the two."""
    import json
    from pathlib import Path

    import gxml

    data = Path(__file__).parent / "data"
    truth = json.loads((data / "misprinted_columns_pdfminer.truth.json").read_text(encoding="utf-8"))["cells"]
    rep = gxml.parse((data / "misprinted_columns_pdfminer.txt").read_text(encoding="utf-8"))
    assert wrong(rep, truth) == {}
    assert "requests" in [i["table"] for i in rep.issues if i["kind"] == "reading_order"]


def test_a_table_whose_values_no_order_places_is_flagged():
    """One value short, no reading order fits: the table's cells are mostly blank, and said so."""
    rep = parse(_labels_then_columns(make_report(sample_cells()), drop_last=True))
    flagged = [i for i in rep.issues if i["kind"] == "unplaced_values"]
    assert [i["table"] for i in flagged] == ["requests"] and flagged[0]["unplaced"] >= 5


def _boxed_by_columns(text, boxed=1, with_label=3, early=None):
    """Table 三 as pdfminer prints a grid it boxes by columns: the first ``boxed`` row labels
    together, then ``with_label`` values of each of those rows column by column (on the
    labels' lines), every other label (with ``early``, the label of that row out of order
    after the next two, with its first value), then the blank cells' values one per line,
    column by column, each from the top row down."""
    lines = text.split("\n")
    a = next(i for i, l in enumerate(lines) if l.startswith("三、收到和处理"))
    b = next(i for i, l in enumerate(lines) if l.startswith("四、政府信息公开"))
    rows = [l.split(" | ") for l in lines[a + 1:b]]
    head = [(c, r) for c in range(with_label) for r in range(boxed)]
    labels = [r[0] for k, r in enumerate(rows[boxed:], boxed) if k != early]
    if early is not None:
        labels[2:2] = [rows[early][0], rows[early][1]]
        head.append((0, early))
    rest = [(c, r) for c in range(len(rows[0]) - 1) for r in range(len(rows)) if (c, r) not in head]
    return "\n".join(lines[:a + 1] + [r[0] for r in rows[:boxed]] + [rows[r][c + 1] for c, r in head[:boxed * with_label]]
                     + labels + [rows[r][c + 1] for c, r in rest] + lines[b:])


def _requests_cells():
    c = sample_cells()
    c.update({"requests.new_received.natural_person": 82, "requests.new_received.research": 1,
              "requests.new_received.total": 84, "requests.granted.research": 1, "requests.granted.total": 82,
              "requests.partial.natural_person": 2, "requests.partial.total": 2,
              "requests.carried_over.natural_person": 3, "requests.carried_over.total": 3,
              "requests.carried_forward.natural_person": 3, "requests.carried_forward.total": 3,
              "requests.total.natural_person": 82, "requests.total.research": 1, "requests.total.total": 84})
    return c


@pytest.mark.parametrize("boxed,with_label,early", [(1, 3, None), (1, 7, None), (2, 7, None), (2, 5, None),
                                                    (1, 3, 12)])
def test_a_table_boxed_by_columns_after_rows_printed_with_their_labels_is_reread(boxed, with_label, early):
    c = _requests_cells()
    c.update({"requests.unable_not_held.natural_person": 5, "requests.unable_not_held.total": 5,
              "requests.new_received.natural_person": 87, "requests.new_received.total": 89,
              "requests.total.natural_person": 87, "requests.total.total": 89})
    text = _boxed_by_columns(make_report(c), boxed, with_label, early)
    rep = parse(text)
    assert wrong(rep, c) == {}
    assert {i["table"] for i in rep.issues if i["kind"] == "reading_order"} == {"requests"}


def test_a_table_boxed_by_columns_is_reread_with_its_misprints_when_the_printed_order_breaks_far_more():
    c = _requests_cells()
    c["requests.granted.total"] = 83  # misprinted: breaks its row's sum and the column's
    rep = parse(_boxed_by_columns(make_report(c), 1, 3))
    assert wrong(rep, c) == {}
    assert len([i for i in rep.issues if i["kind"] == "identity"]) == 2


def _cells_of(results):
    return [piece for name, v in zip(("结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"), results)
            for piece in (name, str(v))]


@pytest.mark.parametrize("tagger", ["heuristic", "default"])
def test_table_four_printed_past_the_next_sections_title_is_read_whole(tagger):
    """pdfminer prints 五、存在的问题… before the last boxes of table 四: they are still its."""
    import gxml

    c = sample_cells()
    c.update({"disputes.review.upheld": 2, "disputes.review.total": 2, "disputes.litigation_direct.upheld": 3,
              "disputes.litigation_direct.pending": 1, "disputes.litigation_direct.total": 4,
              "disputes.litigation_after_review.upheld": 1, "disputes.litigation_after_review.total": 1})
    head, tail = make_report(c).split("四、政府信息公开行政复议、行政诉讼情况\n")
    tail = tail.split("\n", 2)[2]  # the grid's row and section 五's title go
    lines = (["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼"] + _cells_of([2, 0, 0, 0, 2])
             + ["五、存在的主要问题及改进情况", "未经复议直接起诉", "复议后起诉"] + _cells_of([3, 0, 0, 1, 4])
             + _cells_of([1, 0, 0, 0, 1]) + ["下一步我们将在三个方面继续改进本机关的政府信息公开工作"])
    rep = parse(head + "\n".join(lines) + "\n" + tail) if tagger == "heuristic" else \
        gxml.parse(head + "\n".join(lines) + "\n" + tail)
    assert wrong(rep, c) == {}


class _Doubting:
    """The rule-of-thumb tagger, doubting one value of table 三 as the model may a blank mark
    printed after a page's running head: cell 0.4, noise 0.6."""

    def tag(self, doc):
        T.tag(doc)
        k = [i for i, it in enumerate(doc.items) if it.is_value and it.n_in_line == 1][20]
        doc.proba[k] = [0.0, 0.0, 0.4, 0.6]
        doc.tags[k] = "noise"
        return doc


def test_a_reread_counts_a_value_the_tagger_doubted_when_the_confident_ones_fit_no_grid():
    c = sample_cells()
    text = _labels_then_columns(make_report(c))
    assert wrong(parse(text), c) == {}
    rep = run(text, method="ml", tagger=_Doubting())
    assert wrong(rep, c) == {}
    assert not [i for i in rep.issues if i["kind"] == "unplaced_values"]


RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _disputes_transposed(text, cells):
    """Table 四 drawn with its three cases as columns and its five results as rows."""
    head, rest = text.split("四、政府信息公开行政复议、行政诉讼情况\n")
    tail = rest.split("\n", 1)[1]
    keys = get_template("2021").rows[-1].cells
    lines = ["项目 | 行政复议 | 行政诉讼（未经复议直接起诉） | 行政诉讼（复议后起诉）"]
    lines += [" | ".join([res] + [str(cells[keys[g * 5 + r]] or 0) for g in range(3)]) for r, res in enumerate(RESULTS)]
    return head + "四、政府信息公开行政复议、行政诉讼情况\n" + "\n".join(lines) + "\n" + tail


@pytest.mark.parametrize("model", ["heuristic", "default"])
def test_table_four_drawn_transposed_is_reread(model):
    import gxml

    c = sample_cells()
    c.update({"disputes.review.upheld": 5, "disputes.review.corrected": 1, "disputes.review.pending": 1,
              "disputes.review.total": 7, "disputes.litigation_direct.upheld": 3,
              "disputes.litigation_direct.total": 3, "disputes.litigation_after_review.other": 2,
              "disputes.litigation_after_review.total": 2})
    text = _disputes_transposed(make_report(c), c)
    assert "结果维持 | 5 | 3 | 0" in text
    rep = parse(text) if model == "heuristic" else gxml.parse(text)
    assert wrong(rep, c) == {}
    assert [(i["table"], "transposed" in i["message"]) for i in rep.issues if i["kind"] == "reading_order"] == \
        [("disputes", True)]


def _disputes_scrambled(text, cells):
    """Table 四 as plain pdftotext reads some PDFs: each group header then the values under it,
    in block order — review's results, the header 复议后起诉 and its results, review's total,
    litigation_direct's five values, and litigation_after_review's total last."""
    head, rest = text.split("四、政府信息公开行政复议、行政诉讼情况\n")
    tail = rest.split("\n", 1)[1]
    keys = get_template("2021").rows[-1].cells
    v = [str(cells[k] or 0) for k in keys]
    lines = ["行政复议", "行政诉讼", "未经复议直接起诉", *RESULTS[:4], *v[0:4], "复议后起诉", *RESULTS[:4],
             *v[10:14], "总计", v[4], *RESULTS[:4], *v[5:10], "总计", v[14]]
    return head + "四、政府信息公开行政复议、行政诉讼情况\n" + "\n".join(lines) + "\n" + tail


def test_table_four_runs_go_to_the_group_whose_header_precedes_them():
    # both litigation groups keep their sums whichever way round they are read: only the
    # header printed right before 12 1 1 6 says it is 复议后起诉's
    import gxml

    c = sample_cells()
    keys = get_template("2021").rows[-1].cells
    c.update(zip(keys, [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]))
    text = _disputes_scrambled(make_report(c), c)
    assert "复议后起诉\n结果维持\n结果纠正\n其他结果\n尚未审结\n12\n1\n1\n6\n总计\n351" in text
    rep = gxml.parse(text)
    assert wrong(rep, c) == {}
    assert [i["table"] for i in rep.issues if i["kind"] == "reading_order"] == ["disputes"]


@pytest.mark.parametrize("model", ["heuristic", "default"])
@pytest.mark.parametrize("between", [[], ["（三）", "不予", "公开", "三、", "本年", "度办", "理结", "果"],
                                     ["（三）", "不予", "公开", "三、", "本", "年", "度", "办", "理", "结", "果",
                                      "（四）", "无法", "提供", "法人或其他组织", "总计"]])
def test_a_total_printed_before_its_label_is_moved_to_its_column(model, between):
    """Plain pdftotext, one cell a line: the total of 1.属于国家秘密 sits higher than its label
    and prints first, right after the row before's values (and before the pieces of the
    vertical labels of its parent rows, one character a line, and of column headers)."""
    import gxml

    c = _answered(sample_cells(), partial=7, denied_secret=2)
    lines = make_report(c, sep="\n").split("\n")
    k = lines.index("1.属于国家秘密")
    assert lines[k + 1:k + 8] == ["2", "0", "0", "0", "0", "0", "2"]
    lines[k:k + 8] = ["2", *between, "1.属于国家秘密", "2", "0", "0", "0", "0", "0"]
    text = "\n".join(lines)
    rep = parse(text) if model == "heuristic" else gxml.parse(text)
    assert wrong(rep, c) == {}
    assert [i["row"] for i in rep.issues if i["kind"] == "reading_order"] == ["requests.denied_secret"]


def test_values_after_a_label_broken_over_lines_are_its_own_in_pdftotext_raw_text():
    """``pdftotext -raw``: a row prints on one line, but a label broken over lines prints whole
    first, then its row's values on a line of their own; they are that label's, not the next's
    (blank cells print ——, so a row of blanks prints a rule, no values)."""
    import gxml

    c = _answered(sample_cells(), other_no_correction=1)
    blank = " ".join(["——"] * 7)
    for key in ("requests.other_no_correction", "requests.other_no_fee", "requests.other_other"):
        c.update({f"{key}.{col}": None for col in get_template("2021").row(key).columns})
    c.update({"requests.other_no_correction.natural_person": 1, "requests.other_no_correction.total": 1})
    lines = make_report(c, sep=" ").split("\n")
    k = next(i for i, l in enumerate(lines) if l.startswith("5.要求行政机关确认"))
    lines[k:k + 4] = ["5.要求行政机关确认或重新出具", "已获取信息", "0 0 0 0 0 0 0",
                      "1.申请人无正当理由逾期不补正、", "行政机关不再处理其政府信息公", "开申请", "1 —— —— —— —— —— 1",
                      "2.申请人逾期未按收费通知要求", "缴纳费用、行政机关不再处理其", "政府信息公开申请", blank,
                      "3.其他 " + blank]
    assert lines[k + 12] == "（七）总计 81 1 0 0 0 0 82"
    rep = gxml.parse("\n".join(lines))
    assert wrong(rep, c) == {}


def test_a_table_found_with_no_value_is_empty_not_missing():
    # table 四 of zeros printed empty: its title stands, no value follows
    c = zero_cells("2021")
    c.update({k: None for k in c if k.startswith("disputes.")})
    rep = run(make_report(c), method="ml", tagger=HeuristicTagger())
    assert all(rep.cells[k] is None for k in c if k.startswith("disputes."))
    kinds = {(i["kind"], i.get("table")) for i in rep.issues if i.get("table")}
    assert ("empty_table", "disputes") in kinds and ("missing_table", "disputes") not in kinds
    # cut off before its title, the table is missing
    text = make_report(c)
    rep = run(text[:text.index("四、")], method="ml", tagger=HeuristicTagger())
    kinds = {(i["kind"], i.get("table")) for i in rep.issues if i.get("table")}
    assert ("missing_table", "disputes") in kinds and ("empty_table", "disputes") not in kinds


def _broken_granted(notes):
    """A 2021 placement, every cell at confidence 1, whose row (一)予以公开 prints 3 under 自然人
    and a total of 5 (its sum broken), with ``notes`` (what repair noted of rows), after
    :func:`gxml.decoder._doubt_broken_rows`."""
    from gxml.decoder import BROKEN_ROW_CERTAINTY, _doubt_broken_rows
    from gxml.placement import Placement

    tmpl = get_template("2021")
    cells = zero_cells("2021")
    cells["requests.granted.natural_person"], cells["requests.granted.total"] = 3, 5
    p = Placement(tmpl.layouts()[0], 0.0, [], cells=cells, conf={c: 1.0 for c in cells}, notes=notes)
    _doubt_broken_rows(tmpl, p)
    doubted = {c for c, v in p.conf.items() if v == BROKEN_ROW_CERTAINTY}
    assert all(v == 1.0 for c, v in p.conf.items() if c not in doubted)
    return doubted


def test_a_whole_row_whose_sum_breaks_where_blanks_were_dropped_is_doubted():
    """Plain PDF text loses the columns: where other rows of table 三 had blank cells dropped,
    a row printed with a value for each cell whose own sum breaks holds values of other rows."""
    dropped = [{"row": "requests.partial", "values": 2, "columns": 7, "certainty": 0.9}]
    assert _broken_granted(dropped) == {c for c in get_template("2021").cells if c.startswith("requests.granted.")}


def test_a_broken_row_keeps_its_confidence_where_no_blank_was_dropped_or_it_was_repaired():
    """With every row printed whole, a broken sum is the report's misprint, read right; a row
    repair re-placed has the certainty repair gave it."""
    assert _broken_granted([]) == set()
    assert _broken_granted([{"row": "requests.partial", "values": 7, "columns": 7, "certainty": 0.9}]) == set()
    assert _broken_granted([{"row": "requests.granted", "values": 2, "columns": 7, "certainty": 0.9}]) == set()


@pytest.mark.parametrize("sep,on_lines", [(" | ", True), ("\n", False)])
def test_rows_printed_whole_on_their_label_lines_are_not_read_again(sep, on_lines):
    """A table 三 whose every row prints its seven values on its label's line reads in no
    other order: a broken sum there is the report's misprint, and no re-read is tried. Cells
    on lines of their own could be meant in another order."""
    from gxml.decoder import _rows_on_label_lines, decode_tables
    from gxml.pipeline import prepare

    c = zero_cells("2021")
    c["requests.granted.natural_person"], c["requests.granted.total"] = 3, 4  # misprinted total
    doc = prepare(make_report(c, sep=sep), HeuristicTagger())
    tmpl = get_template("2021")
    p = decode_tables(doc, tmpl)
    assert (p.cells["requests.granted.natural_person"], p.cells["requests.granted.total"]) == (3, 4)
    assert _rows_on_label_lines(doc, p, "requests") is on_lines
    assert not any(n.get("reread") for n in p.notes)
