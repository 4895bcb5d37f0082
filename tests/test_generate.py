"""Synthetic report contents: every cell, realistic values, identities mostly upheld."""
import random
from collections import Counter

import pytest

from gxml.templates import get_template
from gxml.values import parse_value
from training.generate import (_BLANK_MARKS, SynthReport, broken_identities, generate_report, printed_rows,
                               printed_value)


@pytest.fixture(scope="module")
def reports():
    rng = random.Random(7)
    return [generate_report(rng) for _ in range(600)]


def test_deterministic():
    a = generate_report(random.Random(11))
    b = generate_report(random.Random(11))
    assert a == b
    assert generate_report(random.Random(12)) != a


def test_every_cell_key_and_value_types(reports):
    for r in reports:
        assert isinstance(r, SynthReport)
        tmpl = get_template(r.template)
        assert list(r.cells) == list(tmpl.cells)
        for k, v in r.cells.items():
            assert v is None or isinstance(v, (int, float)) and not isinstance(v, bool), (k, v)


def test_template_year_and_layout_mix(reports):
    names = Counter(r.template for r in reports)
    assert 0.6 < names["2021"] / len(reports) < 0.8
    for r in reports:
        assert r.year in ((2019, 2020) if r.template == "2019" else range(2021, 2026))
        assert r.agency and r.other_layout in ("sub", "single")
        if r.template == "2019":
            assert r.other_layout == "single"
    single = [r.other_layout == "single" for r in reports if r.template == "2021"]
    assert 0.1 < sum(single) / len(single) < 0.3


def test_unprinted_rows_are_none(reports):
    for r in reports:
        tmpl = get_template(r.template)
        shown = {c for row in printed_rows(tmpl, r.other_layout) for c in row.cells}
        for k, v in r.cells.items():
            if k not in shown:
                assert v is None, k
        if r.template == "2021" and r.other_layout == "sub":
            assert r.cells["requests.other.total"] is None
            assert _printed(r, "requests.other_other.total")
        if r.template == "2021" and r.other_layout == "single":
            assert _printed(r, "requests.other.total")
            assert r.cells["requests.other_no_fee.natural_person"] is None


def _printed(r, key):
    """Whether a cell is printed: a value, or a zero printed as a blank mark (then None)."""
    return r.cells[key] is not None or r.meta["printed"].get(key) in _BLANK_MARKS


def test_some_reports_print_the_zeros_of_whole_tables_as_a_mark(reports):
    marked = [r for r in reports
              if sum(v in _BLANK_MARKS for v in r.meta["printed"].values()) >= 10]
    assert 0 < len(marked) < 0.15 * len(reports)
    for r in marked:
        assert all(r.cells[k] is None for k, v in r.meta["printed"].items() if v in _BLANK_MARKS)


def test_identities_hold_in_most_reports(reports):
    broken = 0
    for r in reports:
        names = broken_identities(get_template(r.template), r.cells)
        assert r.meta["identities_broken"] == bool(names)
        assert r.meta["broken"] == names
        broken += any(n.startswith("requests") for n in names)
    assert 0.08 < broken / len(reports) < 0.25


def test_scales_and_realistic_magnitudes(reports):
    scales = Counter(r.meta["scale"] for r in reports)
    assert scales["small"] > scales["medium"] > scales["large"] > 0
    small = [r for r in reports if r.meta["scale"] == "small"]
    zeros = sum(1 for r in small for v in r.cells.values() if v == 0) / sum(len(r.cells) for r in small)
    assert zeros > 0.8
    big = max(r.cells["active.licensing.decisions"] or 0 for r in reports)
    assert big > 10000


def test_decimal_fees_in_2021(reports):
    fees = [r.cells["active.fees.amount"] for r in reports if r.template == "2021"]
    assert any(isinstance(v, float) for v in fees)


def test_wan_forms_parse_back_to_truth(reports):
    seen = Counter()
    for r in reports:
        for k, text in r.meta["printed"].items():
            v = parse_value(text)
            assert (v.number if v.kind == "number" else None) == r.cells[k], (k, text)
            seen["万" in text] += 1
            assert printed_value(r, k) == text
    assert seen[True] > 0


def test_small_scale_keeps_rows_fusable():
    rng = random.Random(3)
    for _ in range(100):
        r = generate_report(rng, scale="small")
        for row in printed_rows(get_template(r.template), r.other_layout):
            if len(row.cells) > 1:
                assert all(r.cells[k] is None or 0 <= r.cells[k] <= 99 for k in row.cells)


def test_disputes_mostly_zero_and_balanced(reports):
    zero = sum(all(not v for k, v in r.cells.items() if k.startswith("disputes")) for r in reports)
    assert zero / len(reports) > 0.5
    ok = sum(not any(n.startswith("disputes") for n in r.meta["broken"]) for r in reports)
    assert ok / len(reports) > 0.9


def test_narrative_blocks(reports):
    kinds = [k for k, _ in reports[0].meta["narrative"]]
    assert kinds[0] == "title" and kinds.count("table") == 3 and kinds[-1] == "sign"
