"""Tables printed more than once: where a copy starts, and which copy is read."""
from hypothesis import given, settings, strategies as st

import gxml
from gxml.copies import MIN_SHARED, copy_cuts
from gxml.heuristic import HeuristicTagger
from gxml.pipeline import run

from conftest import make_report, same, zero_cells

T = HeuristicTagger()


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


N = 32  # template rows


def test_copy_cuts_of_tables_printed_twice():
    once = list(range(25))
    assert copy_cuts(once + once, N) == [25]
    assert copy_cuts(once + [3] + once, N) == [26]  # a row quoted after the first copy stays in it
    assert copy_cuts(once + once + once[:12], N) == [25, 50]  # a third copy, of table 二 and part of 三


def test_copy_cuts_none_for_one_copy():
    once = list(range(25))
    assert copy_cuts(once, N) == []
    assert copy_cuts(once + [2, 5, 9], N) == []  # the prose names a few rows again
    assert copy_cuts(list(range(12, 25)) + list(range(12)), N) == []  # tables read out of order
    assert copy_cuts(list(range(MIN_SHARED - 1)) * 2, N) == []


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_copy_cuts_are_where_each_copy_starts(data):
    """Copies of the tables, each naming most rows in template order from the first to the
    last (a row may be missed), are cut where each starts. Most: three quarters or more, so
    that any two copies share half the rows of either (SHARED_SHARE); copies that each miss
    two fifths of the rows, different ones, may share too few to tell a copy from rows read
    out of order (hypothesis found two such copies of 20 rows sharing 9)."""
    copies = []
    for _ in range(data.draw(st.integers(1, 6))):
        missed = data.draw(st.sets(st.integers(1, N - 2), max_size=N // 4))  # a copy names most rows
        copies.append([r for r in range(N) if r not in missed])
    starts = [sum(map(len, copies[:q])) for q in range(1, len(copies))]
    assert copy_cuts([r for rows in copies for r in rows], N) == starts


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
        assert "requests.total.total" in issue["differ"] and "parse_all" in issue["message"]


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


def test_parse_all_reads_every_report_of_a_volume():
    c19 = zero_cells("2019")
    c19.update({"requests.new_received.natural_person": 3, "requests.new_received.total": 3,
                "requests.granted.natural_person": 3, "requests.granted.total": 3,
                "requests.total.natural_person": 3, "requests.total.total": 3})
    volume = [cells_2021(2), c19, cells_2021(6), cells_2021(1)]
    texts = [make_report(c, template="2019" if c is c19 else "2021") for c in volume]
    reps = gxml.parse_all("\n\n".join(texts), model=T)
    assert [r.template for r in reps] == ["2021", "2019", "2021", "2021"]
    for rep, cells in zip(reps, volume):
        assert {k: v for k, v in cells.items() if not same(v, rep.cells.get(k))} == {}
        assert not repeated(rep)
    firsts = [min(line for line in r.lines.values() if line) for r in reps]
    assert firsts == sorted(firsts)


def test_parse_all_of_one_report_is_parse():
    text = make_report(cells_2021(4))
    (rep,) = gxml.parse_all(text, model=T)
    assert rep.to_dict() == gxml.parse(text, model=T).to_dict()
    assert [r.cells for r in gxml.parse_all(text + text, method="rules")] == [gxml.parse(text + text, method="rules").cells]
    (none,) = gxml.parse_all("今天天气很好。", model=T)
    assert none.template is None and none.issues[0]["kind"] == "no_tables"


def test_parse_file_all_reads_a_volume_and_flags_an_unreadable_file(tmp_path):
    volume = tmp_path / "volume.txt"
    volume.write_text(make_report(cells_2021(2)) + "\n\n" + make_report(cells_2021(5)), encoding="utf-8")
    reps = gxml.parse_file_all(volume, model=T)
    assert [r.cells["requests.total.total"] for r in reps] == [2, 5]
    assert {r.source for r in reps} == {str(volume)}
    (missing,) = gxml.parse_file_all(tmp_path / "none.txt", model=T)
    assert missing.template is None and missing.issues[0]["kind"] == "read_error"
