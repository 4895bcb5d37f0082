from gxml.report import Report
from gxml.validate import check_identities, validate

from conftest import zero_cells


def test_zero_report_breaks_nothing():
    assert check_identities("2021", zero_cells("2021")) == []


def test_break_is_named_with_both_sides():
    c = zero_cells("2021")
    c["disputes.review.upheld"] = 3
    br = check_identities("2021", c)
    assert [b["name"] for b in br] == ["disputes sum (review)"]
    assert br[0]["lhs"] == 3 and br[0]["rhs"] == 0


def test_validate_reports_but_never_changes_cells():
    c = zero_cells("2019")
    c["requests.new_received.natural_person"] = 5
    rep = Report(template="2019", cells=dict(c), confidence={k: 1.0 for k in c})
    validate(rep)
    assert rep.cells == c
    kinds = {i["kind"] for i in rep.issues}
    assert kinds == {"identity"}
    assert not rep.ok


def test_low_confidence_listed():
    c = zero_cells("2021")
    conf = {k: 1.0 for k in c}
    conf["active.fees.amount"] = 0.2
    rep = validate(Report(template="2021", cells=c, confidence=conf))
    low = [i for i in rep.issues if i["kind"] == "low_confidence"]
    assert low and low[0]["cells"] == ["active.fees.amount"]


def test_report_round_trips():
    c = zero_cells("2021")
    rep = validate(Report(template="2021", cells=c, confidence={k: 0.9 for k in c}, source="x.txt"))
    assert Report.from_dict(rep.to_dict()) == rep
