import numpy as np

from gxml.identities import identities_for, row_scorer
from gxml.repair import digit_splits, row_candidates
from gxml.templates import get_template

from conftest import zero_cells


def test_digit_splits_no_leading_zeros():
    cuts = digit_splits("801000081", 7)
    assert [80, 1, 0, 0, 0, 0, 81] in cuts and [8, 0, 10, 0, 0, 0, 81] in cuts
    assert all(str(v) == "0" or not str(v).startswith("0") for cut in cuts for v in cut)
    assert all(len(s) == 3 for s in digit_splits("77132470", 3))
    assert digit_splits("0000001", 7) == [[0, 0, 0, 0, 0, 0, 1]]


def test_digit_splits_blank_markers_are_single_empty_cells():
    assert digit_splits("-03", 3) == [[None, 0, 3]]
    assert digit_splits("无03", 3) == [[None, 0, 3]]


def test_digit_splits_a_chinese_dash_is_one_blank_first():
    cuts = digit_splits("——210", 3)
    assert cuts[0] == [None, 2, 10] and [None, 21, 0] in cuts and [None, None, 210] in cuts


def test_a_glued_run_is_not_cut_into_more_values_than_columns_to_drop_a_digit():
    row = get_template("2021").row("requests.rejected_publication")
    cands = row_candidates(row, [(1, None, "00000010")])
    best = cands.place(int(np.argmax(cands.prior)))
    assert [v for _, v in best] == [0, 0, 0, 0, 0, 0, 10]
    # every candidate that drops a printed digit pays for it
    dropped = [k for k in range(len(cands)) if sum(v or 0 for _, v in cands.place(k)) != 10]
    assert dropped and cands.prior[dropped].max() < cands.prior.max() - 5


def test_row_scorer_prefers_the_placement_that_sums():
    t = get_template("2021")
    row = t.row("requests.new_received")
    cells = zero_cells("2021")
    rel = [x for x in identities_for(t) if any(c in row.cells for c in x[0] + x[1])]
    score = row_scorer(cells, row.cells, rel)
    good = [80, 1, 0, 0, 0, 0, 81]
    bad = [8, 0, 10, 0, 0, 0, 81]
    s = score(np.array([good, bad], dtype=float))
    assert s[0] > s[1]


def test_row_candidates_cover_dropped_cells_and_extra_columns():
    row = get_template("2021").row("requests.new_received")
    few = row_candidates(row, [(1, 5, ""), (2, 5, "")])
    assert len(few) == 21 and few.values.shape == (21, 7)  # C(7, 2) placements
    assert few.place(0) == [(1, 5), (2, 5)] + [(-1, None)] * 5
    assert few.place(20) == [(-1, None)] * 5 + [(1, 5), (2, 5)]
    many = row_candidates(row, [(k, 0, "") for k in range(8)])
    assert len(many) == 8 and all(len(many.place(k)) == 7 for k in range(8))
    assert many.place(7) == [(k, 0) for k in range(1, 8)]  # the first value left out


def test_candidate_arrays_match_their_placements():
    row = get_template("2021").row("requests.new_received")
    tokens = [(1, 80, ""), (2, None, ""), (3, 3, ""), (4, 83, "")]
    cands = row_candidates(row, tokens, ends={1: 6, 2: 5, 3: 1, 4: 0})
    vals = cands.values
    assert vals.shape == (len(cands), 7) and len(cands.prior) == len(cands)
    for k in range(len(cands)):
        assert list(vals[k]) == [v or 0 for _, v in cands.place(k)]
    # the grid's placement comes first and carries the grid prior
    assert cands.place(0) == [(1, 80), (2, None), (-1, None), (-1, None), (-1, None), (3, 3), (4, 83)]
    assert cands.prior[0] == cands.prior.max()
