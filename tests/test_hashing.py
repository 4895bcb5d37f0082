import random

from hypothesis import given, settings, strategies as st

from gxml.hashing import murmurhash3_32


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_equals_scikit_learn(s):
    from sklearn.utils import murmurhash3_32 as ref

    assert murmurhash3_32(s) == ref(s, seed=0, positive=False)


def test_known_values_and_feature_names():
    from sklearn.utils import murmurhash3_32 as ref

    rng = random.Random(0)
    names = ["bias", "c1=规", "c2=规章", "w=政府信息公开", "n-1:num", ""] + \
        ["".join(rng.choice("ab=:_1规章（）\u3000😀") for _ in range(rng.randint(1, 12))) for _ in range(500)]
    assert [murmurhash3_32(n) for n in names] == [ref(n, seed=0, positive=False) for n in names]
    assert murmurhash3_32("foo", seed=42) == ref("foo", seed=42, positive=False)
