"""Renderers: spans cover the text exactly once and every non-zero truth value is a cell."""
import random
import re
from collections import Counter

import pytest

from gxml.normalize import has_traditional, normalize, to_simplified
from gxml.templates import get_template
from gxml.values import parse_value
from training.generate import generate_report
from training.render import RENDERERS, TAGS, Rendered, render

EXPECTED = {"pipe", "cell_per_line", "docx", "blank_lines", "markdown", "tabs", "pdf_layout",
            "pdf_plumber", "pdf_md", "fused", "html_text", "traditional", "dropped_blanks",
            "extra_column", "ocr_slips", "collapsed", "untitled", "page_heads", "toc"}
PER_RENDERER = 8


def _docs(name):
    out = []
    for i in range(PER_RENDERER):
        rng = random.Random(f"test-render:{name}:{i}")
        report = generate_report(rng, scale="small" if name == "fused" else None)
        out.append((report, render(report, name, rng)))
    return out


@pytest.fixture(scope="module")
def rendered():
    return {name: _docs(name) for name in RENDERERS}


def _value(text):
    t = normalize(text)
    return parse_value(to_simplified(t) if not t.isascii() else t).number


def test_registry_names():
    assert EXPECTED <= set(RENDERERS)
    with pytest.raises(KeyError):
        render(generate_report(random.Random(0)), "no-such-renderer", random.Random(0))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_spans_cover_every_visible_char_once(rendered, name):
    for _, doc in rendered[name]:
        assert isinstance(doc, Rendered) and doc.renderer == name
        count = [0] * len(doc.text)
        end = 0
        for a, b, tag in doc.spans:
            assert tag in TAGS
            assert end <= a < b <= len(doc.text)
            end = b
            for i in range(a, b):
                count[i] += 1
        holes = [i for i, ch in enumerate(doc.text) if not ch.isspace() and count[i] != 1]
        assert not holes, doc.text[holes[0]:holes[0] + 20]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nonzero_truth_values_are_printed_as_cells(rendered, name):
    for _, doc in rendered[name]:
        printed = Counter(round(float(v), 6) for v in
                          (_value(doc.text[a:b]) for a, b, tag in doc.spans if tag == "cell") if v is not None)
        need = Counter(round(float(v), 6) for v in doc.truth["cells"].values() if v)
        missing = {v: n for v, n in need.items() if printed[v] < n}
        assert not missing, missing


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_truth_and_document_parts(rendered, name):
    for report, doc in rendered[name]:
        assert doc.truth["template"] == report.template
        assert list(doc.truth["cells"]) == list(get_template(report.template).cells)
        assert f"renderer={name}" in doc.truth["notes"]
        plain = to_simplified(normalize(doc.text))
        assert str(report.year) in plain
        headings = "".join(to_simplified(normalize(doc.text[a:b])) for a, b, t in doc.spans if t == "heading")
        for word in ("收到和处理政府信息公开申请情况", "行政复议", "其他需要报告的事项"):
            assert word in headings.replace(" ", "") or name == "ocr_slips" or (  # slips may hit headings
                name == "untitled" and word == "收到和处理政府信息公开申请情况")  # a title left out
        tags = Counter(t for _, _, t in doc.spans)
        assert tags["label"] and tags["cell"] and tags["noise"]


def test_deterministic():
    for name in RENDERERS:
        report = generate_report(random.Random(5))
        a = render(report, name, random.Random(9))
        b = render(report, name, random.Random(9))
        assert (a.text, a.spans, a.truth) == (b.text, b.spans, b.truth)


def test_traditional_has_traditional_chars(rendered):
    for _, doc in rendered["traditional"]:
        assert has_traditional(doc.text)
        assert "報告" in doc.text


def test_fused_rows_have_no_separators(rendered):
    for _, doc in rendered["fused"]:
        starts = [0] + [m.end() for m in re.finditer("\n", doc.text)]
        for a, b, tag in doc.spans:
            if tag != "cell":
                continue
            line_start = max(s for s in starts if s <= a)
            line = doc.text[line_start:].split("\n", 1)[0].strip()
            assert not re.search(r"[\s|\t]", line), line
        assert re.search(r"规章\d{3}", doc.text) or re.search(r"規章\d{3}", doc.text)


def test_dropped_blanks_only_drop_zero_cells(rendered):
    dropped = 0
    for report, doc in rendered["dropped_blanks"]:
        for k, v in doc.truth["cells"].items():
            if v != report.cells[k]:
                assert v is None and report.cells[k] in (0, None)
                dropped += 1
    assert dropped > 0


def test_extra_column_prints_subtotal(rendered):
    for _, doc in rendered["extra_column"]:
        heads = [normalize(doc.text[a:b]) for a, b, t in doc.spans if t == "heading"]
        assert any("小计" in h for h in heads)


def test_ocr_slips_change_some_text(rendered):
    slip = re.compile(r"[曰士沐]|子以公开|入民|申清|己获取|末收到|末发生|[\u4e00-\u9fff]l|l[\u4e00-\u9fff.]|O[\u4e00-\u9fff]")
    assert sum(bool(slip.search(doc.text)) for _, doc in rendered["ocr_slips"]) >= PER_RENDERER - 1
    assert not any(slip.search(doc.text) for _, doc in rendered["pipe"])


def test_collapsed_is_one_line_that_reline_cuts(rendered):
    from gxml.reline import is_collapsed

    for _, doc in rendered["collapsed"]:
        assert "\n" not in doc.text
        assert is_collapsed(normalize(doc.text))


def _titles_printed(doc, template):
    titles = set(get_template(template).titles.values())
    return sum(doc.text[a:b] in titles for a, b, tag in doc.spans if tag == "heading")


def test_untitled_leaves_out_table_titles_and_nothing_else(rendered):
    printed = [_titles_printed(doc, report.template) for report, doc in rendered["untitled"]]
    assert all(n < 3 for n in printed) and printed.count(0) >= 2
    assert all(_titles_printed(doc, report.template) == 3 for report, doc in rendered["pipe"])
    for report, doc in rendered["untitled"]:  # the tables themselves are all there
        assert sum(tag == "cell" for _, _, tag in doc.spans) >= sum(
            v is not None for v in doc.truth["cells"].values())


def _after_page_numbers(doc):
    """The span printed right after each page number but the last: (text, tag)."""
    spans = sorted(doc.spans)
    page = re.compile(r"-\s?\d+\s?-|— \d+ —|第 \d+ 页")
    return [(doc.text[c:d], tag) for (a, b, _), (c, d, tag) in zip(spans, spans[1:])
            if page.fullmatch(doc.text[a:b])]


def test_page_heads_print_a_running_head_as_noise_at_every_page_break(rendered):
    for report, doc in rendered["page_heads"]:
        after = _after_page_numbers(doc)
        assert after and all(tag == "noise" and _running_head(t, report) for t, tag in after)
    assert not any(_running_head(t, report) for report, doc in rendered["pdf_plumber"]
                   for t, _ in _after_page_numbers(doc))


def _running_head(text, report):
    return text.startswith(report.agency) or text.endswith("政府信息公开工作年度报告")


def _title_tags(doc, template):
    """Per table title, the tags of its printings in text order."""
    spans = sorted(doc.spans)
    return [[tag for a, b, tag in spans if doc.text[a:b] == title]
            for title in get_template(template).titles.values()]


def test_toc_lists_the_titles_as_noise_with_page_numbers_before_the_tables(rendered):
    for report, doc in rendered["toc"]:
        assert _title_tags(doc, report.template) == [["noise", "heading"]] * 3
        for title in get_template(report.template).titles.values():
            assert re.search(re.escape(title) + r"[…. ·]+\d+$", doc.text, re.M), title
    for report, doc in rendered["pipe"]:
        assert _title_tags(doc, report.template) == [["heading"]] * 3


def test_pdf_layout_breaks_tables_like_pdftotext(rendered):
    texts = [doc.text for _, doc in rendered["pdf_layout"]]
    assert any(re.search(r"^\s*(-\s?\d+\s?-|— \d+ —|第 \d+ 页)\s*$", t, re.M) for t in texts)
    assert any(re.search(r"^\s*本\s*$|^本\s", t, re.M) for t in texts)  # a vertical label character
    assert all(re.search(r"\S {2,}\d", t) for t in texts)  # columns aligned with runs of spaces
