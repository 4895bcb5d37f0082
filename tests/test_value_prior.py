"""The learnt value prior: buckets, fitting, scoring, persistence with the model."""
import numpy as np
from hypothesis import given, strategies as st

from gxml.value_prior import BUCKETS, ValuePrior, bucket_of, buckets


def test_buckets_of_values():
    assert [BUCKETS[bucket_of(v)] for v in (None, 0, -3, 0.5, 7, 42, 999, 1000, 123456)] == \
        ["blank", "zero", "negative", "fraction", "1", "2", "3", "4", "5+"]
    assert BUCKETS[bucket_of(12.5)] == "2"


@given(st.lists(st.one_of(st.none(), st.floats(-1e9, 1e9, allow_nan=False)), min_size=1, max_size=20))
def test_vector_buckets_agree_with_one_at_a_time(values):
    vals = np.array([0.0 if v is None else v for v in values])
    blank = np.array([v is None for v in values])
    assert list(buckets(vals, blank)) == [bucket_of(v) for v in values]


def _prior():
    truths = [("2019", {"active.procurement.projects": p, "active.procurement.amount": a})
              for p, a in [(2, 99000), (3, 5000), (1, 870), (0, 0), (4, 12000), (2, 450)]]
    return ValuePrior().fit(truths)


def test_fitted_prior_prefers_the_usual_magnitudes():
    prior = _prior()
    cells = ("active.procurement.projects", "active.procurement.amount")
    s = prior.score("2019", cells, np.array([[2.0, 99.0], [29.0, 9.0]]), np.zeros((2, 2), dtype=bool))
    assert s[0] > s[1]
    assert prior.n_reports_ == 6
    # every bucket keeps some probability (smoothing), and the table is per template
    assert np.isfinite(prior.table("2019", cells)).all()
    assert prior.table("2021", cells) is None


def test_unknown_cells_score_zero():
    prior = _prior()
    s = prior.score("2019", ("active.licensing.decisions",), np.array([[5.0], [50.0]]), np.zeros((2, 1), bool))
    assert list(s) == [0.0, 0.0]
    assert list(ValuePrior().score("2019", ("x",), np.array([[1.0]]), np.zeros((1, 1), bool))) == [0.0]
