from gxml.rules import parse_rules

from conftest import make_report, same, zero_cells


def test_rules_reads_a_clean_pipe_report():
    c = zero_cells("2021")
    c.update({"active.licensing.decisions": 12, "requests.new_received.natural_person": 3,
              "requests.new_received.total": 3})
    rep = parse_rules(make_report(c))
    assert rep.template == "2021" and rep.method == "rules"
    assert all(same(v, rep.cells.get(k)) for k, v in c.items())


def test_rules_is_naive_about_dropped_cells():
    # the baseline fills columns left to right: a row with vanished blank cells lands wrong
    c = zero_cells("2021")
    c.update({"requests.new_received.legal": 3, "requests.new_received.total": 3})
    rep = parse_rules(make_report(c, override={"requests.new_received": "一、本年新收政府信息公开申请数量 | 3 | 3"}))
    assert rep.cells["requests.new_received.natural_person"] == 3


def test_rules_not_a_report():
    rep = parse_rules("这是一段新闻。")
    assert rep.template is None and rep.issues[0]["kind"] == "no_tables"
