from gxml.anchors import plausible_layouts
from gxml.templates import get_template


def _ids(layouts):
    return [{r.id for r in lay} for lay in layouts]


def test_sub_rows_named_clearly_decode_that_layout_alone():
    t = get_template("2021")
    got = plausible_layouts(t, {"requests.other_no_correction": 1})
    assert len(got) == 1 and "requests.other_no_correction" in _ids(got)[0]


def test_sub_rows_named_nowhere_not_even_broken_leave_the_one_row_layout():
    t = get_template("2021")
    both = plausible_layouts(t, {"requests.other": 1})
    assert len(both) == 2  # without the partial evidence both are decoded
    got = plausible_layouts(t, {"requests.other": 1}, partly={"requests.other": 1})
    assert len(got) == 1 and "requests.other" in _ids(got)[0] \
        and "requests.other_no_correction" not in _ids(got)[0]


def test_sub_rows_named_partly_keep_both_layouts():
    t = get_template("2021")
    got = plausible_layouts(t, {"requests.other": 1}, partly={"requests.other_no_fee": 1, "requests.other": 1})
    assert len(got) == 2
    assert plausible_layouts(get_template("2019"), {}, partly={}) == get_template("2019").layouts()
