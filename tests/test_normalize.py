from hypothesis import given, settings, strategies as st

from gxml.normalize import has_traditional, normalize


def test_traditional_to_simplified():
    assert normalize("收到和處理政府信息公開申請情況") == "收到和处理政府信息公开申请情况"
    assert not has_traditional("收到和处理政府信息公开申请情况")


def test_line_by_line_conversion_equals_opencc_on_the_whole_text():
    import opencc

    from gxml.normalize import to_simplified

    text = "一、總體情況\n| 規章 | 0 | 3 |\n\n反覆審查，不瞭解\nabc 12\n收到和處理政府信息公開申請情況"
    assert to_simplified(text) == "\n".join(opencc.OpenCC("t2s").convert(x) for x in text.split("\n"))
    assert to_simplified(text) == to_simplified(text)  # the second time from the cache


def test_fullwidth_digits_and_punctuation():
    assert normalize("１２３，（一）") == "123,(一)"


def test_odd_spaces_and_zero_width():
    assert normalize("a\u00a0b\u3000c\u2002d\u200be\ufeff") == "a b c de"


def test_lone_surrogates_dropped():
    # text decoded with errors="surrogateescape" keeps undecodable bytes as lone surrogates,
    # which no later stage can encode
    assert normalize("规章\udc80 | 1\n\ud800x") == "规章 | 1\nx"


def test_radicals_read_as_characters():
    # pdftotext on PDFs whose fonts map characters to radical code points (Kangxi ⼀ ⾏ ⽂, the
    # supplement's ⻔ ⻅)
    assert normalize("⼀、⾏政规范性⽂件 部⻔意⻅ ⻓期") == "一、行政规范性文件 部门意见 长期"
    assert normalize("⼆、收到和处理政府信息公开申请情况") == "二、收到和处理政府信息公开申请情况"


def test_dash_lookalikes():
    # GBK fonts print the em dash as the horizontal bar (―, U+2015); converters print minus
    # signs and figure dashes for hyphens: a zero printed as a dash must still read as one
    assert normalize("―― ― ⸺ ﹘") == "—— — — —"
    assert normalize("−3− ‒ ‐ ‑ ﹣") == "-3- - - - -"


def test_html_entities():
    assert normalize("规章&nbsp;|&nbsp;0&amp;") == "规章 | 0&"


def test_line_count_kept_and_crlf():
    assert normalize("a\r\nb\rc\n\x0cd") == "a\nb\nc\nd"


def test_empty():
    assert normalize("") == ""


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_keeps_lines(text):
    out = normalize(text)
    expected = text.replace("\r\n", "\n").replace("\r", "\n").count("\n")
    assert out.count("\n") == expected


def test_letter_o_alone_in_a_cell_is_a_zero():
    assert normalize("规章 | O | 〇 | o |\nO\n2\tＯ 零") == "规章 | 0 | 0 | 0 |\n0\n2\t0 0"


def test_numbers_ocr_spelt_with_letters_are_read_as_digits():
    assert normalize("规章 | 1O | l2 | I |\n2O 1O0 l\t3lO") == "规章 | 10 | 12 | 1 |\n20 100 1\t310"
    assert normalize("规章 lO Ol lOO lOl") == "规章 10 01 100 101"  # no digit: l and O alone, both


def test_letters_in_words_and_beside_other_characters_are_kept():
    kept = "OK Office 二〇二三年 O2O模式 零星 lol Il IO OO ll a1O x1O 1O号 lO号"
    assert normalize(kept) == kept


def test_a_token_longer_than_a_number_is_kept():
    from gxml.normalize import OCR_TOKEN_MAX

    fits = "1" * (OCR_TOKEN_MAX - 1) + "O"
    assert normalize(f"| {fits} | 1{fits} |") == f"| {fits[:-1]}0 | 1{fits} |"


def test_cells_quoted_whole_are_unwrapped_in_place():
    assert normalize('"规章","0","0","4"') == ' 规章 , 0 , 0 , 4 '
    assert normalize('| "5" | “6” |\n"",""') == '|  5  |  6  |\n  ,  '


def test_quotes_inside_text_are_kept():
    kept = '他说“十四五”规划\na "b" c\n公开“规章”文件'
    assert normalize(kept) == kept
