"""Columns of space-aligned text: positions in two measures, header centres, placement."""
import json
import re
import unicodedata
from pathlib import Path

import pytest

from hypothesis import given, settings, strategies as st

from gxml.columns import SHIFT_COST, _spread, column_fit, fill_missing, nearest_columns, positions
from gxml.heuristic import HeuristicTagger
from gxml.normalize import normalize
from gxml.pipeline import run
from gxml.segment import segment
from gxml.templates import get_template

from conftest import load_truth, make_report, same, shared_dir, zero_cells

COLS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
STARTS = [40, 52, 64, 76, 90, 104, 112]   # display columns where each column starts


def _width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _aligned(label, cells):
    """A line with ``cells`` (column -> text) centred under the column headers, padded for the
    eye (display columns)."""
    line = label
    for k, text in sorted(cells.items()):
        at = STARTS[k] + (_width(COLS[k]) - _width(text)) // 2
        line += " " * max(2, at - _width(line)) + text
    return line


def test_positions_in_characters_and_display_columns():
    doc = segment(normalize("一、本年新收政府信息公开申请数量    12    3\n"))
    pos = positions(doc)
    (c0, d0), (c1, d1) = pos.values()
    assert d0 - c0 == 16  # 16 CJK characters before the value, each two display columns wide
    assert c1 - c0 == d1 - d0 == 5.5  # "12" and "3" start 6 apart
    assert positions(segment(normalize("行政许可 12 3\n"))) == {}  # single spaces: no columns


def test_a_lone_indented_value_keeps_its_column_in_space_aligned_text():
    rows = "\n".join(f"行政许可{k}     {k}       {k}" for k in range(5))
    wrapped = "其他对外管理服务\n                          7\n事项\n"
    pos = positions(segment(normalize(rows + "\n" + wrapped)))
    assert [x for x in pos.values() if x[0] == 26.5]  # the 7, alone on its line
    # text with fewer space-aligned lines keeps no column for it (an indent is no column)
    pos = positions(segment(normalize("行政许可     1       2\n" + wrapped)))
    assert len(pos) == 2


def test_nearest_columns_keep_order():
    assert nearest_columns([10, 31], [10, 20, 30]) == (0, 2)
    assert nearest_columns([10, 12], [10, 20, 30]) is None  # no move puts them on two columns


def test_nearest_columns_follow_values_moved_alike_off_their_columns():
    centres = [32.5, 41.5, 50.5, 59.0, 68.0, 74.5, 81.0]
    # a row on the table's next page, laid out 8 characters further right: 自然人 and 总计
    assert nearest_columns([41.0, 89.0], centres) == (0, 6)
    assert nearest_columns([41.0, 50.5, 90.0], centres) == (0, 1, 6)
    assert nearest_columns([41.5, 59.0], centres) == (1, 3)  # values standing on columns stay
    assert nearest_columns([45.0], centres) == (1,)            # one value tells no move


def test_nearest_columns_move_values_that_want_one_column_where_they_stand():
    # pdftotext -layout of a typeset PDF: a row under a short label printed 15 characters right
    # of the header line (自然人 … 其他 总计); where it stands, 1 and 8 both want 总计
    centres = [27.5, 33.5, 39.5, 46.5, 55.5, 60.8, 66.0]
    assert nearest_columns([42.5, 77.5, 86.5], centres) == (0, 5, 6)


def _nearest_by_every_shift(xpos, centres):
    """nearest_columns by brute force: every move that puts a value on a column scored, the
    cheapest taken (of equal ones, the shortest move)."""
    def fit(shift):
        cols = [min(range(len(centres)), key=lambda k: (abs(x - shift - centres[k]), k)) for x in xpos]
        if any(a >= b for a, b in zip(cols, cols[1:])):
            return None
        return sum(abs(x - shift - centres[k]) for x, k in zip(xpos, cols)) + SHIFT_COST * abs(shift), tuple(cols)
    shifts = {0.0} | ({x - c for x in xpos for c in centres} if len(xpos) > 1 else set())
    fits = [(f[0], abs(s), s, f[1]) for s in shifts for f in [fit(s)] if f is not None]
    return min(fits)[3] if fits else None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 200), min_size=1, max_size=6, unique=True),
       st.lists(st.integers(0, 200), min_size=2, max_size=8, unique=True))
def test_nearest_columns_is_the_cheapest_move_of_all(xs, cs):
    xpos, centres = [x / 2 for x in sorted(xs)], [c / 2 for c in sorted(cs)]  # halves: sums exact
    assert nearest_columns(xpos, centres) == _nearest_by_every_shift(xpos, centres)


def _blank_zeros(text):
    """``text`` with every zero cell printed empty: spaces where it stood (columns kept)."""
    return re.sub(r"(?:(?<=\s)|^)0(?=[ \t]|$)", " ", text, flags=re.M)


@pytest.mark.parametrize("name,tables", [("r001", ("active", "requests")), ("r002", ("active", "requests")),
                                         ("r003", ("active", "requests", "disputes"))])
def test_pdf_layout_text_with_blank_cells_placed_by_columns(name, tables):
    """Real pdftotext -layout reports with their zero cells printed empty: rows with no value
    under most columns, table 三 continued on a page laid out further right, headers centred
    over right-aligned values. (Table 四 of r001/r002 prints its headers broken one word a
    line, single-spaced: no column tells its blanks.)"""
    import gxml

    dev = shared_dir("dev")
    truth = load_truth(dev / f"{name}-pdftotext-layout.truth.json")["cells"]
    rep = gxml.parse(_blank_zeros((dev / f"{name}-pdftotext-layout.txt").read_text(encoding="utf-8")))
    assert rep.template == "2021"
    assert {k: (v, rep.cells.get(k)) for k, v in truth.items()
            if k.split(".")[0] in tables and not same(v, rep.cells.get(k))} == {}


def _placed_under(headers):
    """Parse a space-aligned table 三 whose rows print only their values under 自然人, 法律服务机构
    and 总计 (blank cells dropped, no row complete), headed by ``headers`` (column -> text)."""
    c = zero_cells("2021")
    rows = {"requests.new_received": {0: "5", 4: "3", 6: "8"},
            "requests.granted": {0: "5", 4: "3", 6: "8"},
            "requests.total": {0: "5", 4: "3", 6: "8"}}
    for rid, cells in rows.items():
        for k, v in cells.items():
            c[f"{rid}.{('natural_person', 'commercial', 'research', 'social', 'legal', 'other_org', 'total')[k]}"] = int(v)
    header = _aligned("申请人情况", headers)
    # every zero is printed empty (dropped), so no row is complete
    override = {row.id: _aligned(row.label, rows.get(row.id, {}))
                for row in get_template("2021").layouts()[0] if row.table == "requests"}
    override["requests.new_received"] = header + "\n" + override["requests.new_received"]
    text = make_report(c, override=override, sep="    ")
    rep = run(text, method="ml", tagger=HeuristicTagger())
    return [rid for rid in rows if rep.cells[f"{rid}.legal"] != 3 or rep.cells[f"{rid}.commercial"]]


def test_dropped_blanks_placed_under_their_headers():
    assert _placed_under(dict(enumerate(COLS))) == []


def test_dropped_blanks_placed_under_headers_two_of_which_are_unreadable():
    # 科研机构 and 社会公益组织 run together with one space: neither name is found, their
    # columns stand between their neighbours'
    headers = {k: t for k, t in enumerate(COLS) if k not in (2, 3)}
    headers[2] = "科研机构 社会公益组织"
    assert _placed_under(headers) == []


def test_sums_overrule_headers_that_stand_only_roughly_over_their_values():
    """With no complete row, columns come from the headers alone, which stand only roughly
    over the values (centred names over right-aligned numbers): a total printed nearer 其他
    than 总计 still goes where the row sum puts it."""
    c = zero_cells("2021")
    rows = ("requests.new_received", "requests.granted", "requests.total")
    for rid in rows:
        c[f"{rid}.natural_person"] = c[f"{rid}.total"] = 5
    header = _aligned("申请人情况", dict(enumerate(COLS)))
    override = {row.id: _aligned(row.label, {0: "5", 5: "5"} if row.id in rows else {})
                for row in get_template("2021").layouts()[0] if row.table == "requests"}
    override["requests.new_received"] = header + "\n" + override["requests.new_received"]
    rep = run(make_report(c, override=override, sep="    "), method="ml", tagger=HeuristicTagger())
    for rid in rows:
        assert (rep.cells[f"{rid}.total"], rep.cells[f"{rid}.other_org"]) == (5, None)


def test_header_centres_crowded_together_are_not_columns():
    assert _spread([10.0, 20.0, 30.0, 40.0])
    assert _spread([10.0, 14.0, 30.0, 40.0])            # a narrow column: 0.4 of the mean gap
    assert not _spread([10.0, 12.0, 30.0, 50.0, 70.0])  # two headers in one place: 0.13
    assert not _spread([10.0, 11.0, 20.0])              # a character apart or less


def test_column_fit_tells_how_far_values_stand_from_their_columns():
    assert column_fit([10.0, 30.0], [10.0, 20.0, 30.0]) == ((0, 2), 0.0)
    assert column_fit([15.0], [10.0, 20.0, 30.0]) == ((0,), 0.5)  # midway: in half a gap
    cols, off = column_fit([12.0, 34.0], [10.0, 20.0, 30.0])  # moved alike by 3, then 1 off each
    assert cols == (0, 2) and off == pytest.approx(0.1)
    assert column_fit([10.0, 12.0], [10.0, 20.0, 30.0]) is None


def _wrong_on(name):
    """Cells of tests/data/NAME.txt (a typeset report's pdftotext -layout) read wrong."""
    import gxml

    data = Path(__file__).parent / "data"
    truth = json.loads((data / f"{name}.truth.json").read_text(encoding="utf-8"))["cells"]
    rep = gxml.parse((data / f"{name}.txt").read_text(encoding="utf-8"))
    return {k: (v, rep.cells.get(k)) for k, v in truth.items() if not same(v, rep.cells.get(k))}


def test_rows_standing_half_a_column_off_their_headers_are_not_placed_by_them():
    """tests/data/repeated_header_layout.txt: table 三 runs onto a page that repeats its
    stacked headers laid out anew; its rows (13 2 15) stand more than half a column gap off
    those headers however moved, and were put under 科研机构 at confidence 0.9. Headers that
    fit a row's values that badly do not place it: its sums and the value prior do."""
    assert _wrong_on("repeated_header_layout") == {}


def test_a_stacked_header_measured_crowded_does_not_place_a_table():
    """pdftotext -layout of a typeset report (tests/data/crowded_header_layout.txt) whose table
    三 prints 自然人 on the line above the five stacked 法人或其他组织 headers and its values only
    under 自然人 and 总计. The document lines up in display columns, where 自然人 stands within
    two columns of 商业企业: placed by those headers, every row's first value went to 商业企业
    or 科研机构 at confidence 0.9 with no sum broken row by row. Headers that crowd place
    nothing; the table's sums and the value prior place the values under 自然人."""
    assert _wrong_on("crowded_header_layout") == {}


def test_each_table_lines_up_in_its_own_measure():
    """pdftotext -layout of a typeset 2019 report with its zeros printed empty
    (tests/data/table_measure_layout.txt). Table 一 lines up in characters: 5 under 处理决定数量.
    Table 三 runs onto a page whose headers only the character measure finds, and they stand
    off its values there; the display measure scored only table 一's rows and won the
    document, and 5 went to 本年增减. Each table now takes the measure its own rows fit best,
    both measures scored on the same rows."""
    assert _wrong_on("table_measure_layout") == {}


def test_rows_under_a_header_printed_again_are_placed_by_it():
    """pdftotext -layout of a typeset report with its zeros printed empty
    (tests/data/page_header_layout.txt): table 三 runs onto a page that prints its headers
    again, laid out anew. Placed by the first page's headers, the second page's rows put
    their 法律服务机构 values under 其他 (40 cells wrong); each row now takes the last header
    printed above it, where one names all its columns but one."""
    assert _wrong_on("page_header_layout") == {}


def test_a_table_only_one_measure_finds_columns_for_takes_that_measure():
    """pdftotext -layout of a typeset report with its zeros printed empty
    (tests/data/lone_measure_layout.txt): the document lines up in display columns, where
    table 三's headers crowd together and are no columns; in characters they stand over its
    values (0.21 column gaps off on average). Its rows went by the value prior alone, 法律服务机构's
    values to 商业企业; table 三 now takes the character measure."""
    assert _wrong_on("lone_measure_layout") == {}


def test_fill_missing_puts_columns_between_or_beyond_their_neighbours():
    assert fill_missing([10.0, None, 30.0, 40.0], 1) == [10.0, 20.0, 30.0, 40.0]
    assert fill_missing([None, 20.0, 30.0, None], 2) == [10.0, 20.0, 30.0, 40.0]
    assert fill_missing([10.0, None, None, 40.0], 1) is None  # too many missing
    assert fill_missing([10.0, None, None], 2) is None        # one found tells no gap
    assert fill_missing([30.0, None, 10.0], 1) is None        # out of order


def test_table_four_dropped_blanks_placed_under_one_header_piece_a_column():
    """Table 四 has no row label and its column names repeat under three groups: its values
    are placed under the header line that has one piece per column."""
    c = zero_cells("2021")
    groups = ("review", "litigation_direct", "litigation_after_review")
    cols = ("upheld", "corrected", "other", "pending", "total")
    for k, v in zip(cols, (55, 11, 6, 16, 88)):
        c[f"disputes.litigation_after_review.{k}"] = v
    for g in groups[:2]:
        for k in cols:
            c[f"disputes.{g}.{k}"] = None
    xs = [8 * k + 2 for k in range(15)]
    heads = ["结果维", "结果纠", "其他结", "尚未审", "总计"] * 3

    def at(pieces):
        line = ""
        for x, t in pieces:
            line += " " * max(2, x - _width(line)) + t
        return line
    header = "\n".join(["              行政复议                        行政诉讼",
                        at(zip(xs, heads)),
                        at([(x, t) for x, t in zip(xs, ["持", "正", "果", "结", ""] * 3) if t])])
    values = at([(xs[10 + k], str(v)) for k, v in enumerate((55, 11, 6, 16, 88))])
    text = make_report(c, override={"disputes.disputes": header + "\n" + values})
    rep = run(text, method="ml", tagger=HeuristicTagger())
    for k, v in zip(cols, (55, 11, 6, 16, 88)):
        assert rep.cells[f"disputes.litigation_after_review.{k}"] == v
        assert not rep.cells[f"disputes.litigation_direct.{k}"]


def test_a_space_aligned_row_keeps_its_columns_when_its_total_is_misprinted():
    c = zero_cells("2021")
    c["requests.rejected_massive.total"] = 3  # the report misprints: no column holds the 3
    header = _aligned("申请人情况", dict(enumerate(COLS)))
    override = {row.id: _aligned(row.label, {k: "0" for k in range(7)})
                for row in get_template("2021").layouts()[0] if row.table == "requests"}
    override["requests.new_received"] = header + "\n" + override["requests.new_received"]
    # its zeros under 自然人 and 社会公益组织 printed, the others empty: the 3 stands under 总计
    override["requests.rejected_massive"] = _aligned("4.无正当理由大量反复申请", {0: "0", 3: "0", 6: "3"})
    rep = run(make_report(c, override=override, sep="    "), method="ml", tagger=HeuristicTagger())
    assert rep.cells["requests.rejected_massive.total"] == 3
    assert not any(rep.cells[f"requests.rejected_massive.{k}"] for k in ("commercial", "research", "legal"))


# table 四 as pdftotext -layout prints a typeset PDF: each group's two-word headers stacked
# over lines of their own, at different heights, and the row's zero cells printed empty
def _placed(*pieces):
    """A line with each (column, text) piece starting at its column (in characters)."""
    line = ""
    for at, text in pieces:
        line = line.ljust(at) + text
    return line


_STACKED = [
    "四、政府信息公开行政复议、行政诉讼情况",
    _placed((11, "行政复议"), (58, "行政诉讼")),
    _placed((37, "未经复议直接起诉"), (76, "复议后起诉")),
    _placed((0, "结果"), (5, "结果"), (12, "其他"), (18, "尚未")),
    _placed((25, "总计"), (31, "结果"), (36, "结果"), (45, "其他"), (51, "尚未"), (64, "结果"), (71, "结果"),
            (78, "其他"), (84, "尚未")),
    _placed((0, "维持"), (5, "纠正"), (12, "结果"), (18, "审结"), (57, "总计"), (89, "总计")),
    _placed((31, "维持"), (36, "纠正"), (45, "结果"), (51, "审结"), (64, "维持"), (71, "纠正"), (78, "结果"),
            (84, "审结")),
    _placed((45, "1"), (51, "1"), (57, "2")),
]


def test_stacked_headers_give_one_centre_a_column():
    from gxml.columns import stacked_centres

    doc = segment(normalize("\n".join(_STACKED)))
    heads = {i: x for i, (x, _) in positions(doc, values_only=False).items()}
    names = [c.rsplit("/", 1)[-1] for c in (get_template("2021").column_labels[c]
                                            for c in get_template("2021").rows[-1].cells)]
    centres = stacked_centres(doc, names, heads)
    assert centres is not None and len(centres) == 15
    values = [x for i, x in heads.items() if doc.items[i].is_value]
    assert nearest_columns(values, centres) == (7, 8, 9)  # 未经复议直接起诉: 其他结果, 尚未审结, 总计
    # group names (行政复议, 复议后起诉) stand over no column; a column whose words are all
    # missing leaves the others unnamed: no centres
    assert stacked_centres(doc, names, {i: x for i, x in heads.items() if x > 3}) is None


def test_rows_placed_by_columns_their_table_fits_poorly_are_flagged():
    """pdftotext -layout of a typeset 2019 report with its zeros printed empty
    (tests/data/poor_fit_layout.txt): table 三's values stand a third of a column gap off its
    columns on average in both measures (0.37 and 0.32), and its rows put single values one
    column off, 36 cells wrong at confidence 0.9. Positions that fit so poorly are guesswork:
    the rows they place are no surer than POOR_FIT_CERTAINTY, and flagged."""
    import gxml

    data = Path(__file__).parent / "data"
    truth = json.loads((data / "poor_fit_layout.truth.json").read_text(encoding="utf-8"))["cells"]
    rep = gxml.parse((data / "poor_fit_layout.txt").read_text(encoding="utf-8"))
    wrong = [k for k, v in truth.items() if not same(v, rep.cells.get(k))]
    assert wrong and all(k.startswith("requests.") for k in wrong)
    assert max(rep.confidence[k] for k in wrong) <= 0.4
    flagged = {i["row"] for i in rep.issues if i["kind"] == "ambiguous_row"}
    assert {k.rsplit(".", 1)[0] for k in wrong} <= flagged


def test_rows_placed_by_columns_their_table_fits_well_stay_sure():
    """The real reports of ../shared/dev in pdftotext -layout with their zeros printed empty:
    their tables of 三 fit their columns (under POOR_FIT), and no row placed by them is flagged."""
    import gxml

    for name in ("r001", "r002", "r003"):
        text = _blank_zeros((shared_dir("dev") / f"{name}-pdftotext-layout.txt").read_text(encoding="utf-8"))
        rep = gxml.parse(text)
        assert [i["row"] for i in rep.issues if i["kind"] == "ambiguous_row" and i["row"].startswith("requests.")] == []
