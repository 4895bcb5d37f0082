"""Readers end to end on files made in tmp_path: encodings, HTML, DOCX, PDF, bad files.

Also the home of the seed-report helpers that the batch and bad-input tests import.
"""
from __future__ import annotations

import json
import os
import random
import re
import sys
from pathlib import Path
from typing import List

import pytest
from hypothesis import given, settings, strategies as st

import gxml
from gxml.readers import ReaderError, format_row, read_file, span_grid
from gxml.readers.html import html_to_text, looks_like_html, markup_text, strip_tags
from gxml.readers.text import decode_bytes

from conftest import same

_HERE = Path(__file__).resolve().parent
_SEED_DIRS = [os.environ.get("GXML_SEEDS", ""), _HERE.parent.parent / "shared" / "seeds", "/work/shared/seeds"]
SEED_DIR = next((Path(d) for d in _SEED_DIRS if d and Path(d, "000_023b924819fd2490.txt").is_file()), None)
DEV_DIR = SEED_DIR.parent / "dev" if SEED_DIR else None
needs_seeds = pytest.mark.skipif(SEED_DIR is None, reason="shared/seeds not found (set GXML_SEEDS)")


def seed_paths() -> List[Path]:
    """The example report texts of shared/seeds."""
    return sorted(SEED_DIR.glob("*.txt")) if SEED_DIR else []


def seed_text(i: int = 0) -> str:
    return seed_paths()[i].read_text(encoding="utf-8")


def make_pdf(path: Path, lines: List[str]) -> Path:
    """A one-page PDF with a text layer (``lines`` of ASCII), or none if ``lines`` is empty."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure()
    for i, line in enumerate(lines):
        fig.text(0.1, 0.8 - 0.1 * i, line)
    fig.savefig(path, format="pdf")
    plt.close(fig)
    return path


# ---------------------------------------------------------------- text and encodings

@needs_seeds
@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig", "utf-8", "utf-16-le", "utf-16-be"])
def test_text_encodings_round_trip(tmp_path, encoding):
    text = seed_text()
    f = tmp_path / "r.txt"
    f.write_bytes(text.encode(encoding))
    assert read_file(f) == text


@needs_seeds
def test_big5_round_trip(tmp_path):
    import opencc

    trad = opencc.OpenCC("s2t").convert(seed_text(1))
    data = trad.encode("big5", "ignore")
    f = tmp_path / "r.txt"
    f.write_bytes(data)
    assert read_file(f) == data.decode("big5")


def test_short_gbk_and_big5_strings():
    assert decode_bytes("依申请公开政府信息".encode("gbk")) == "依申请公开政府信息"
    assert decode_bytes("依申請公開政府資訊".encode("big5")) == "依申請公開政府資訊"


@needs_seeds
def test_undecodable_bytes_do_not_crash(tmp_path):
    data = seed_text().encode("gbk")
    f = tmp_path / "r.txt"
    f.write_bytes(data[:600] + b"\xff\x80\xfe\xff" + data[600:])
    text = read_file(f)
    assert "\ufffd" in text and "三、收到和处理政府信息公开申请情况" in text


def test_binary_junk_is_not_text(tmp_path):
    f = tmp_path / "junk.txt"
    f.write_bytes(random.Random(1).randbytes(20000))
    with pytest.raises(ReaderError, match="does not look like text"):
        read_file(f)


def test_empty_and_missing_files(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    assert read_file(tmp_path / "e.txt") == ""
    with pytest.raises(ReaderError, match="no such file"):
        read_file(tmp_path / "nope.txt")
    with pytest.raises(ReaderError, match="directory"):
        read_file(tmp_path)


@pytest.mark.parametrize("name,data", [
    ("r.rtf", b"{\\rtf1\\ansi hello}"),
    ("r.bin", bytes(range(256)) * 4),
    ("r.png", b"\x89PNG\r\n\x1a\n" + bytes(100)),
])
def test_unsupported_formats(tmp_path, name, data):
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(ReaderError, match=r"not a supported format; save it as \.docx, \.pdf or \.txt"):
        read_file(f)


def test_xlsx_is_unsupported(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["规章", 0, 0, 0])
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(ReaderError, match="xlsx workbook is not a supported format"):
        read_file(tmp_path / "t.xlsx")


def test_extension_that_lies(tmp_path):
    html = tmp_path / "page.txt"
    html.write_text("<!DOCTYPE html><html><body><p>一、总体情况</p><table><tr><td>规章</td><td>3</td></tr>"
                    "</table></body></html>", encoding="utf-8")
    assert read_file(html) == "一、总体情况\n规章 | 3"
    pdf = make_pdf(tmp_path / "real.pdf", ["Total 12345"])
    fake = tmp_path / "report.txt"
    fake.write_bytes(pdf.read_bytes())
    assert "12345" in read_file(fake)
    text = tmp_path / "notes.pdf"
    text.write_text("规章 | 1 | 2 | 3\n", encoding="gbk")
    assert read_file(text) == "规章 | 1 | 2 | 3\n"


# ---------------------------------------------------------------- HTML

TABLE_HTML = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>年度报告</title><style>td {color: red}</style><script>document.write("x")</script></head>
<body><h1>二〇二一年政府信息公开工作年度报告</h1><p>一、总体情况<br>今年共公开<span>1</span><span>2</span>条。</p>
<table border="1"><caption>三、收到和处理政府信息公开申请情况</caption>
<tr><td rowspan="2" colspan="2">（本列数据的勾稽关系）</td><td colspan="3">申请人情况</td></tr>
<tr><td>自然人</td><td>商业<br/>企业</td><td>总计</td></tr>
<tr><td colspan="2">一、本年新收政府信息公开申请数量</td><td>4</td><td>0</td><td>4</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>3</td><td>0</td><td>3</td></tr>
<tr><td>（二）部分公开</td><td>1</td><td></td><td>1</td></tr>
</table><!-- a comment --><ul><li>甲</li><li>乙</li></ul></body></html>"""

TABLE_TEXT = """二〇二一年政府信息公开工作年度报告
一、总体情况
今年共公开12条。
三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系） |  | 申请人情况
 |  | 自然人 | 商业 企业 | 总计
一、本年新收政府信息公开申请数量 |  | 4 | 0 | 4
三、本年度办理结果 | （一）予以公开 | 3 | 0 | 3
 | （二）部分公开 | 1 |  | 1
甲
乙"""


def test_html_tables_spans_and_meta_gbk(tmp_path):
    f = tmp_path / "r.html"
    f.write_bytes(TABLE_HTML.encode("gbk"))
    assert read_file(f) == TABLE_TEXT


def test_html_meta_that_lies_is_overruled(tmp_path):
    f = tmp_path / "r.htm"
    f.write_bytes(TABLE_HTML.replace("gb2312", "utf-8").encode("gb18030"))
    assert read_file(f) == TABLE_TEXT
    f.write_bytes(b"\xef\xbb\xbf" + TABLE_HTML.encode("utf-8"))  # BOM beats the meta tag
    assert read_file(f) == TABLE_TEXT
    f.write_bytes(TABLE_HTML.encode("utf-8"))  # so do bytes that are valid UTF-8
    assert read_file(f) == TABLE_TEXT


def test_html_layout_table_keeps_inner_table():
    page = ("<table><tr><td><p>标题</p><table><tr><td>规章</td><td>1</td></tr></table></td>"
            "<td>侧栏</td></tr></table>")
    assert html_to_text(page).splitlines() == ["标题", "规章 | 1", "侧栏"]


def test_html_deeply_nested_does_not_recurse(tmp_path):
    f = tmp_path / "deep.html"
    f.write_text("<html><body>" + "<div>" * 5000 + "规章 | 1" + "</div>" * 5000 + "<p>完</p></body></html>",
                 encoding="utf-8")
    assert read_file(f).splitlines() == ["规章 | 1", "完"]


@pytest.mark.parametrize("text,html", [
    ("<!DOCTYPE html><html><body><p>一</p></body></html>", True),
    ("  <!-- saved -->\n<html lang='zh'>", True),
    ("<div><table><tr><td>规章</td><td>1</td></tr><tr><td>行政许可</td></tr></table></div>", True),  # a fragment
    ("规章 | 1\n若 a<b 且 <td> 仅一次", False),
    ("<p>一、总体情况</p>\n规章 | 1", False),  # a stray tag is not a page
    ("目录\n" + "".join(f"<p>第{k}段</p>\n" for k in range(6)), True),  # paragraphs after some text
    ("二、主动公开政府信息情况\n规章 | 0 | 0 | 3", False),
])
def test_looks_like_html(text, html):
    assert looks_like_html(text) is html


def test_markup_text_without_beautifulsoup(monkeypatch):
    """Without the html extra, page source passed as text is read by the regex stripper."""
    import gxml.readers.html as h
    from gxml.readers import missing_dependency

    def missing(text):
        raise missing_dependency(".html", "beautifulsoup4", "html")

    monkeypatch.setattr(h, "_soup", missing)
    assert markup_text("<p>一</p><table><tr><td>规章</td><td>1</td></tr></table>") == "一\n规章 | 1"


def test_html_regex_fallback(monkeypatch):
    import gxml.readers.html as h

    def boom(root):
        raise RecursionError("too deep")

    monkeypatch.setattr(h, "block_lines", boom)
    assert h.html_to_text("<p>一</p><table><tr><td>规章</td><td>1</td></tr></table>") == "一\n规章 | 1"
    assert strip_tags("<script>x</script><div>a&amp;b</div>") == "a&b"


def test_span_grid_and_format_row():
    grid = span_grid([[("a", 2, 1), ("b", 1, 2)], [("c", 1, 1), ("d", 1, 1)], [("e", 0, 99999)]])
    assert grid[0] == ["a", "b", ""] and grid[1] == ["", "c", "d"]
    assert len(grid[2]) == 200  # spans are capped
    assert format_row(["a", " b\n c ", "", ""]) == "a | b c"


# ---------------------------------------------------------------- DOCX

def test_docx_paragraphs_and_merged_table(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("二、主动公开政府信息情况")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "信息内容"
    t.cell(0, 2).text, t.cell(0, 3).text = "本年制发件数", "现行有效件数"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "第二十条第（一）项"
    for r, (label, a, b) in enumerate([("规章", "0", "5"), ("行政规范性文件", "2", "16")], start=1):
        t.cell(r, 1).text, t.cell(r, 2).text, t.cell(r, 3).text = label, a, b
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    d.save(tmp_path / "r.docx")
    assert read_file(tmp_path / "r.docx").splitlines() == [
        "二、主动公开政府信息情况",
        "信息内容 |  | 本年制发件数 | 现行有效件数",
        "第二十条第（一）项 | 规章 | 0 | 5",
        " | 行政规范性文件 | 2 | 16",
        "三、收到和处理政府信息公开申请情况",
    ]


def test_damaged_docx(tmp_path):
    f = tmp_path / "r.docx"
    f.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(ReaderError, match="damaged"):
        read_file(f)


# ---------------------------------------------------------------- DOC (Word 97-2003)

DATA = Path(__file__).parent / "data"


def test_doc_paragraphs_and_table_rows():
    """tests/data/small.doc (LibreOffice's .doc of a python-docx table): a vertical merge's
    covered cells are empty, a cell's two paragraphs one line, a value row keeps its empty
    last cell (closing '|')."""
    pytest.importorskip("olefile")
    assert read_file(DATA / "small.doc").splitlines() == [
        "二、主动公开政府信息情况",
        "信息内容 | 本年制发件数 | 现行有效件数",
        "第二十条第（一）项 | 规章 | 0 | 5",
        " | 行政规范性 文件 | 2 | 16",
        " | 其他 | 7 |  |",
        "三、收到和处理政府信息公开申请情况",
    ]


def test_doc_report_parses_to_its_truth():
    """tests/data/report.doc: a generated 2021 report typeset with merged header cells and its
    zeros printed as empty cells, saved as .doc by LibreOffice."""
    pytest.importorskip("olefile")
    truth = json.loads((DATA / "report.truth.json").read_text(encoding="utf-8"))
    rep = gxml.parse_file(DATA / "report.doc")
    assert rep.template == truth["template"]
    assert {k: (v, rep.cells.get(k)) for k, v in truth["cells"].items() if not same(v, rep.cells.get(k))} == {}


def test_ole2_files_that_are_no_word_document(tmp_path):
    pytest.importorskip("olefile")
    doc = (DATA / "small.doc").read_bytes()
    name = "WordDocument".encode("utf-16-le")
    at = doc.index(name)  # its directory entry: the name (64 bytes), then its length in bytes
    xls = doc[:at] + "Workbook".encode("utf-16-le") + bytes(8) + doc[at + 24:at + 64] + (18).to_bytes(2, "little") \
        + doc[at + 66:]
    (tmp_path / "t.xls").write_bytes(xls)
    with pytest.raises(ReaderError, match=r"an Excel workbook \(\.xls\) is not a supported format; save it as \.docx"):
        read_file(tmp_path / "t.xls")
    for name in ("r.doc", "r.wps", "r.xls"):
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
        with pytest.raises(ReaderError, match="a damaged OLE2 file"):
            read_file(tmp_path / name)
    (tmp_path / "cut.doc").write_bytes(doc[:len(doc) // 2])
    with pytest.raises(ReaderError, match="damaged"):
        read_file(tmp_path / "cut.doc")


def test_format_row_keeps_blank_cells_after_a_value_only():
    assert format_row(["行政复议", "", "", "行政诉讼", "", ""]) == "行政复议 |  |  | 行政诉讼"
    assert format_row(["1", "1", "", "", "2", "", ""]) == "1 | 1 |  |  | 2 |  |  |"
    assert format_row(["", ""]) == ""


# ---------------------------------------------------------------- PDF

def test_pdf_with_text_layer(tmp_path):
    f = make_pdf(tmp_path / "r.pdf", ["Annual report 2021", "Total 12345 678"])
    text = read_file(f)  # layout mode: words where they stand, lines trimmed on the right
    assert [line.strip() for line in text.splitlines() if line.strip()] == ["Annual report 2021", "Total 12345 678"]
    assert all(line == line.rstrip() for line in text.splitlines())


def test_pdf_without_text_layer(tmp_path):
    f = make_pdf(tmp_path / "scan.pdf", [])
    with pytest.raises(ReaderError, match="no text layer.*OCR"):
        read_file(f)


def test_real_pdf_read_with_its_columns():
    """A real report's PDF: plain, it reads as pdfplumber's extract_text() (the dev text);
    by default (layout mode) its table rows keep their columns apart."""
    from gxml.readers.pdf import read_pdf

    if DEV_DIR is None or not (DEV_DIR / "r001-pdf.pdf").is_file():
        pytest.skip("shared/dev not found")
    expected = (DEV_DIR / "r001-pdfplumber.txt").read_text(encoding="utf-8")
    assert read_pdf(str(DEV_DIR / "r001-pdf.pdf"), layout=False) == expected
    text = read_file(DEV_DIR / "r001-pdf.pdf")
    assert re.search(r"一、本年新收政府信息公开申请数量 {2,}21 {2,}0 {2,}0", text)


# ---------------------------------------------------------------- optional libraries

@pytest.mark.parametrize("module,name,content,message", [
    ("docx", "r.docx", None, "reading .docx needs python-docx: pip install 'gxml[docx]'"),
    ("olefile", "r.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
     "reading .doc needs olefile: pip install 'gxml[doc]'"),
    ("pdfplumber", "r.pdf", b"%PDF-1.4\n", "reading .pdf needs pdfplumber: pip install 'gxml[pdf]'"),
    ("bs4", "r.html", b"<html><p>x</p></html>", "reading .html needs beautifulsoup4: pip install 'gxml[html]'"),
])
def test_missing_optional_library(tmp_path, monkeypatch, module, name, content, message):
    f = tmp_path / name
    if content is None:
        import docx

        docx.Document().save(f)
    else:
        f.write_bytes(content)
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    with pytest.raises(ReaderError) as e:
        read_file(f)
    assert str(e.value) == message


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20479), st.integers(0, 255)), min_size=1, max_size=40))
def test_a_damaged_doc_gives_text_or_a_reader_error(tmp_path_factory, changes):
    """Bytes of tests/data/small.doc overwritten at random: text, or a ReaderError, never a crash."""
    pytest.importorskip("olefile")
    doc = bytearray((DATA / "small.doc").read_bytes())
    for at, byte in changes:
        doc[at % len(doc)] = byte
    f = tmp_path_factory.mktemp("doc") / "r.doc"
    f.write_bytes(bytes(doc))
    try:
        assert isinstance(read_file(f), str)
    except ReaderError:
        pass
