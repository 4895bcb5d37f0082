"""Tables printed more than once: where a copy starts, and which copy is read."""
from hypothesis import given, settings, strategies as st

from gxml.copies import MIN_SHARED, split_point
from gxml.heuristic import HeuristicTagger
from gxml.pipeline import run

from conftest import make_report, same, zero_cells

T = HeuristicTagger()
ROWS = [f"r{k}" for k in range(30)]


def parse(text):
    return run(text, method="ml", tagger=T)


def cells_2021(n):
    c = zero_cells("2021")
    c.update({"requests.new_received.natural_person": n, "requests.new_received.total": n,
              "requests.granted.natural_person": n, "requests.granted.total": n,
              "requests.total.natural_person": n, "requests.total.total": n,
              "active.licensing.decisions": 10 * n})
    return c


def repeated(rep):
    return [i for i in rep.issues if i["kind"] == "repeated_tables"]


def test_split_point_of_tables_printed_twice():
    assert split_point(ROWS[:10] + ROWS[:10]) == 10
    assert split_point(ROWS[:10] + ["r3"] + ROWS[:10]) == 11  # a mention after the first copy stays in it


def test_split_point_none_for_one_copy():
    assert split_point(ROWS[:20]) is None
    assert split_point(ROWS[:20] + ROWS[:3]) is None  # the narrative names a few rows again
    assert split_point(ROWS[:MIN_SHARED - 1] * 2) is None


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_split_point_is_where_the_second_copy_starts(data):
    first = data.draw(st.lists(st.sampled_from(ROWS), min_size=MIN_SHARED, unique=True))
    keep = data.draw(st.lists(st.booleans(), min_size=len(first), max_size=len(first)))
    second = [r for r, k in zip(first, keep) if k]  # the second copy may leave rows out ...
    if len(second) < max(MIN_SHARED, len(first) / 2):  # ... but repeats most of them
        second = first
    assert split_point(first + second) == len(first)


def test_report_printed_twice_is_read_once_and_the_copies_agree():
    c = cells_2021(7)
    text = make_report(c)
    rep = parse(text + "\n\n附件：\n" + text)
    assert {k: v for k, v in c.items() if not same(v, rep.cells.get(k))} == {}
    (issue,) = repeated(rep)
    assert issue["differ"] == [] and len(issue["copies"]) == 2 and "agree" in issue["message"]
    assert rep.lines["active.licensing.decisions"] < issue["copies"][1]  # read from the first copy


def test_of_two_reports_the_one_that_keeps_its_sums_is_read():
    good, bad = cells_2021(5), cells_2021(9)
    bad["requests.total.total"] = 99  # breaks its sums
    for texts in ([make_report(bad), make_report(good)], [make_report(good), make_report(bad)]):
        rep = parse("\n\n".join(texts))
        assert {k: v for k, v in good.items() if not same(v, rep.cells.get(k))} == {}
        (issue,) = repeated(rep)
        assert issue["read"] == texts.index(make_report(good))
        assert "requests.total.total" in issue["differ"] and "split it" in issue["message"]


def test_reports_of_two_templates_are_each_read_in_their_own():
    c19 = zero_cells("2019")
    c19.update({"requests.new_received.natural_person": 3, "requests.new_received.total": 3,
                "requests.granted.natural_person": 3, "requests.granted.total": 3,
                "requests.total.natural_person": 3, "requests.total.total": 3})
    c21 = cells_2021(4)
    c21["requests.total.total"] = 40  # breaks its sums: the 2019 report is read
    rep = parse(make_report(c21) + "\n\n" + make_report(c19, template="2019"))
    assert rep.template == "2019"
    assert {k: v for k, v in c19.items() if not same(v, rep.cells.get(k))} == {}
    (issue,) = repeated(rep)
    assert "templates 2019 and 2021" in issue["message"]
