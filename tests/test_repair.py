import itertools

import numpy as np
from hypothesis import given, settings, strategies as st

from gxml.identities import identities_by_cell, identities_for, row_scorer
from gxml.repair import BLANK_MARKS, LONG_DASH, digit_splits, row_candidates
from gxml.templates import get_template

from conftest import make_report, same, zero_cells


def test_digit_splits_no_leading_zeros():
    cuts = digit_splits("801000081", 7)
    assert [80, 1, 0, 0, 0, 0, 81] in cuts and [8, 0, 10, 0, 0, 0, 81] in cuts
    assert all(str(v) == "0" or not str(v).startswith("0") for cut in cuts for v in cut)
    assert all(len(s) == 3 for s in digit_splits("77132470", 3))
    assert digit_splits("0000001", 7) == [[0, 0, 0, 0, 0, 0, 1]]


def _cuts_by_brute_force(run, parts):
    """Every cut of ``run`` into ``parts`` pieces that each read as one cell."""
    def cell(piece):
        if piece == LONG_DASH or (len(piece) == 1 and piece in BLANK_MARKS):
            return [None]
        if piece.isdigit() and len(piece) <= 9 and (piece == "0" or not piece.startswith("0")):
            return [int(piece)]
        return []
    out = set()
    for ends in itertools.combinations(range(1, len(run)), parts - 1):
        bounds = (0,) + ends + (len(run),)
        pieces = [cell(run[a:b]) for a, b in zip(bounds, bounds[1:])]
        if all(pieces):
            out.add(tuple(p[0] for p in pieces))
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123-—无", max_size=7), st.integers(1, 8))
def test_digit_splits_are_every_cut_into_cells(run, parts):
    # ("———" reads as ——|— and —|——: the same cells twice, which the repair weighs alike)
    cuts = {tuple(c) for c in digit_splits(run, parts)}
    assert cuts == (_cuts_by_brute_force(run, parts) if parts <= len(run) else set())


def test_digit_splits_blank_markers_are_single_empty_cells():
    assert digit_splits("-03", 3) == [[None, 0, 3]]
    assert digit_splits("无03", 3) == [[None, 0, 3]]


def test_digit_splits_a_chinese_dash_is_one_blank_first():
    cuts = digit_splits("——210", 3)
    assert cuts[0] == [None, 2, 10] and [None, 21, 0] in cuts and [None, None, 210] in cuts


def test_an_all_zero_glued_run_has_one_candidate_and_cuts_are_reused():
    row = get_template("2021").row("requests.rejected_publication")
    cands = row_candidates(row, [(1, None, "0000000")])
    assert len(cands) == 1 and cands.place(0) == [(1, 0)] * 7
    first = digit_splits("801000081", 7)
    expected = [list(cut) for cut in first]
    first[0].append(99)  # the lists handed out are the caller's: the memo is not changed
    assert digit_splits("801000081", 7) == expected


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


def test_row_scorer_equals_the_identity_score_of_each_filled_grid():
    from gxml.identities import identity_score

    t = get_template("2021")
    row = t.row("requests.new_received")
    rng = np.random.default_rng(0)
    cells = {c: float(v) for c, v in zip(t.cells, rng.integers(0, 3, len(t.cells)))}
    rel = [x for x in identities_for(t) if any(c in row.cells for c in x[0] + x[1])]
    vals = np.vstack([rng.integers(0, 5, (30, 7)), [[80, 1, 0, 0, 0, 0, 81], [0.5, 0.25, 0, 0, 0, 0, 0.75]]])
    got = row_scorer(cells, row.cells, rel)(vals.astype(float))
    for k, v in enumerate(vals):
        filled = {**cells, **dict(zip(row.cells, v.tolist()))}
        assert got[k] == identity_score(filled, rel)


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
    blank = cands.blank
    for k in range(len(cands)):
        assert list(vals[k]) == [v or 0 for _, v in cands.place(k)]
        assert list(blank[k]) == [v is None for _, v in cands.place(k)]
    # the grid's placement comes first and carries the grid prior
    assert cands.place(0) == [(1, 80), (2, None), (-1, None), (-1, None), (-1, None), (3, 3), (4, 83)]
    assert cands.prior[0] == cands.prior.max()


def test_the_cuts_of_a_glued_run_are_one_block_that_matches_its_placements():
    row = get_template("2021").row("requests.new_received")
    cands = row_candidates(row, [(1, None, "801000081")])
    full = [b for b in cands.blocks if b[1] == "full"]
    assert len(full) == 1 and len(full[0][0]) == len(digit_splits("801000081", 7))  # one block
    vals, blank = cands.values, cands.blank
    assert vals.shape == blank.shape == (len(cands), 7) and len(cands.prior) == len(cands)
    for k in range(len(cands)):
        place = cands.place(k)
        assert list(vals[k]) == [v or 0 for _, v in place]
        assert list(blank[k]) == [v is None for _, v in place]


def test_identities_by_cell_lists_each_cells_sums_once_built():
    t = get_template("2021")
    by_cell = identities_by_cell(t)
    assert identities_for(t) is identities_for(t) and by_cell is identities_by_cell(t)
    for cell in t.cells:
        assert list(by_cell.get(cell, ())) == [x for x in identities_for(t) if cell in x[0] + x[1]]


def _parse(text, prior_truths=None):
    from gxml.heuristic import HeuristicTagger
    from gxml.pipeline import run
    from gxml.value_prior import ValuePrior

    tagger = HeuristicTagger()
    if prior_truths is not None:
        tagger.value_prior_ = ValuePrior().fit(prior_truths)
    return run(text, method="ml", tagger=tagger)


def test_a_lone_value_with_thousands_separators_is_one_number():
    from conftest import make_report

    c = zero_cells("2019")
    keys = [f"active.other_services.{k}" for k in ("prev_year", "change", "decisions")]
    rep = _parse(make_report(c, template="2019", override={"active.other_services": "其他对外管理服务事项 55,432"}))
    # one printed number, not the row's three cells glued together (55|4|32)
    assert sorted(rep.cells[k] or 0 for k in keys) == [0, 0, 55432]


def test_the_learnt_value_prior_picks_the_columns_of_a_row_whose_blanks_were_dropped():
    from conftest import make_report

    c = zero_cells("2021")
    rows = ("new_received", "granted", "total")
    for r in rows:
        c.update({f"requests.{r}.natural_person": 5, f"requests.{r}.other_org": 3, f"requests.{r}.total": 8})
    # single spaces keep no columns and every placement of 5 3 8 that ends in 总计 sums
    text = make_report(c, sep=" ", override={f"requests.{r}": f"{lbl} 5 3 8" for r, lbl in
                                             (("new_received", "一、本年新收政府信息公开申请数量"),
                                              ("granted", "（一）予以公开"), ("total", "（七）总计"))})

    def truths(busy):  # reports where applicants of column ``busy`` (besides persons) are common
        cols = ("natural_person", "commercial", "research", "social", "legal", "other_org", "total")
        return [("2021", {f"requests.{r}.{col}": {busy: n, "natural_person": 9, "total": n + 9}.get(col, 0)
                          for r in rows for col in cols}) for n in (2, 7, 1, 4, 12)]
    rep = _parse(text, truths("other_org"))
    assert [rep.cells[f"requests.{r}.other_org"] for r in rows] == [3, 3, 3]
    rep = _parse(text, truths("research"))
    assert [rep.cells[f"requests.{r}.research"] for r in rows] == [3, 3, 3]


def test_combinations_up_to_a_limit_are_the_first_of_all():
    from itertools import combinations, islice

    from gxml.repair import _combinations

    got = _combinations(20, 7, 3000)
    assert got.shape == (3000, 7)
    assert [tuple(r) for r in got.tolist()] == list(islice(combinations(range(20), 7), 3000))
    assert _combinations(5, 2).tolist() == [list(c) for c in combinations(range(5), 2)]


def _dropped(rows_printed_full):
    """A 2021 report whose requests rows new_received, granted and total hold 2 applications
    of commercial firms (others zero), the rows not in ``rows_printed_full`` printed without
    their blank cells: ``2 | 2``."""
    from gxml.pipeline import run as run_pipeline
    from gxml.heuristic import HeuristicTagger

    c = zero_cells("2021")
    t = get_template("2021")
    override = {}
    for rid in ("requests.new_received", "requests.granted", "requests.total"):
        c[rid + ".commercial"] = c[rid + ".total"] = 2
        if rid not in rows_printed_full:
            override[rid] = t.row(rid).label + " | 2 | 2"
    return c, run_pipeline(make_report(c, override=override), method="ml", tagger=HeuristicTagger())


def test_rows_that_only_agree_with_each_other_are_not_sure():
    # the three rows dropped their blanks: the 2s put in any one column of all three keep every
    # sum, so agreeing with each other is no evidence: only the value prior picks the column
    cells, rep = _dropped(())
    doubtful = ["requests." + r + "." + c for r in ("new_received", "granted", "total")
                for c in ("commercial", "other_org", "total")]
    assert max(rep.confidence[k] for k in doubtful) < 0.9


def test_a_row_placed_by_printed_rows_is_sure():
    # granted and total printed in full: the column sums place new_received's 2 for certain
    cells, rep = _dropped(("requests.granted", "requests.total"))
    assert {k: (v, rep.cells[k]) for k, v in cells.items() if not same(rep.cells[k], v)} == {}
    assert "requests.new_received" not in {i.get("row") for i in rep.issues if i["kind"] == "ambiguous_row"}
    assert rep.confidence["requests.new_received.commercial"] >= 0.9


def test_cell_shares_weigh_the_placements_giving_each_cell_its_value():
    from gxml.repair import cell_shares

    vals = np.array([[2.0, 0.0, 2.0], [0.0, 2.0, 2.0], [0.0, 0.0, 2.0]])
    # two placements alike, a third one broken sum (2 / scale nats) behind
    shares = cell_shares(vals, np.array([1.0, 1.0, -1.0]), 0, scale=0.03)
    assert np.allclose(shares, [0.5, 0.5, 1.0], atol=1e-6)
    # the scale turns score gaps into odds: 0.03 * ln 3 apart is 3 to 1
    shares = cell_shares(vals[:2], np.array([0.03 * np.log(3), 0.0]), 0, scale=0.03)
    assert np.allclose(shares, [0.75, 0.75, 1.0])


def test_a_value_whose_column_nothing_tells_is_trusted_less_than_its_total():
    from gxml.heuristic import HeuristicTagger
    from gxml.pipeline import run as run_pipeline

    c = zero_cells("2021")
    t = get_template("2021")
    rows = ("requests.new_received", "requests.granted", "requests.total")
    for rid in rows:
        c[rid + ".commercial"] = c[rid + ".total"] = 2
    # single spaces keep no columns, and no value prior: the 2 may be in any of six columns
    text = make_report(c, sep=" ", override={rid: t.row(rid).label + " 2 2" for rid in rows})
    rep = run_pipeline(text, method="ml", tagger=HeuristicTagger())
    for rid in rows:
        placed = [k for k in t.row(rid).cells[:-1] if rep.cells[k]]
        total = rep.confidence[rid + ".total"]
        # the row is doubtful as a whole; within it, its total is as sure as the row allows
        # (every placement sums), the 2 is one of six near alike: under a third
        assert len(placed) == 1 and rep.confidence[placed[0]] < 1 / 3 < total < 0.5
        assert rep.cells[rid + ".total"] == 2
