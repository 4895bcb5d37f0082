from gxml.labels import index_for, label_key, split_ordinal


def best(text, name="2021"):
    m = index_for(name).match(text, top=1)
    return (m[0][0].id, m[0][1]) if m else (None, 0.0)


def test_split_ordinal():
    assert split_ordinal("（三）不予公开") == ("三", "不予公开")
    assert split_ordinal("1.属于国家秘密") == ("1", "属于国家秘密")
    assert split_ordinal("一、本年新收") == ("一", "本年新收")
    assert split_ordinal("规章") == (None, "规章")


def test_label_key_drops_spaces_and_punct():
    assert label_key("3.危及“三安全一稳定” ") == "危及三安全一稳定"


def test_aliases_and_typos():
    assert best("规范性文件")[0] == "active.normative_documents"
    assert best("二、本年结转政府信息公开申请数量")[0] == "requests.carried_over"
    assert best("7.属于行政执法案件")[0] == "requests.denied_enforcement_file"
    assert best("5.要求行政机关确认或重新出具以获取信息")[0] == "requests.rejected_confirm"
    assert best("2.其他法律行政止公开")[0] == "requests.denied_law"


def test_ordinal_disambiguates_short_labels():
    assert best("3.其他") == ("requests.other_other", 1.0)
    assert best("(七)总计") == ("requests.total", 1.0)
    assert best("总计")[1] < 0.55  # a bare column header is not the （七）总计 row
    assert best("其他")[1] < 0.55


def test_broken_label_fragments_match_partially():
    rid, s = best("四、结转下年")
    assert rid == "requests.carried_forward" and 0.55 < s < 1.0


def test_titles_and_end_marker():
    ix = index_for("2021")
    assert ix.match("三、收到和处理政府信息公开申请情况")[0][0].kind == "title"
    assert ix.match("五、存在的主要问题及改进情况")[0][0].kind == "end"


def test_key_index_scores_equal_similarity_to_every_key():
    import random

    from gxml.labels import KeyIndex, similarity

    ix = index_for("2021")
    keys = [k for t in ix.targets for k in t.keys]
    kix = KeyIndex(keys)
    rng = random.Random(0)
    for _ in range(500):
        k = rng.choice(keys)
        a, b = sorted(rng.sample(range(len(k) + 1), 2))
        query = (k[a:b] + rng.choice(keys)[: rng.randint(0, 4)]) or "其他"
        got = dict(kix.scores(query))
        assert [got.get(i, 0.0) for i in range(len(keys))] == [similarity(query, k2) for k2 in keys]


def test_match_top_is_a_prefix_of_the_longer_list():
    ix = index_for("2021")
    for text in ("3.其他", "四、结转下年", "三、本年度办理结果(一)予以公开", "总计"):
        assert ix.match(text, top=1) == ix.match(text, top=3)[:1] == ix.match(text, top=10)[:1]
        assert ix.match(text, top=3) == ix.match(text, top=10)[:3]


def test_one_index_of_every_templates_keys_scores_as_each_templates_own():
    from gxml.labels import MATCH_FLOOR, KeyIndex, index_for, key_scores, label_key

    queries = ["规章", "本机关不掌握相关政府信", "行政规范性文件", "三、收到和处理政府信息公开申请情况",
               "我局坚持以习近平新时代中国特色社会主义思想为指导", "其他", "维持", "总计", "处理决定数量"]
    for name in ("2019", "2021"):
        keys = [k for t in index_for(name).targets for k in t.keys]
        own = KeyIndex(keys)
        for q in map(label_key, queries):
            expected = {(own.keys[ki], s) for ki, s in own.scores(q, MATCH_FLOOR)}
            assert {(k, s) for k, s in key_scores(q) if k in set(keys)} == expected
