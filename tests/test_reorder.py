"""Alternative reading orders (gxml.reorder)."""
from hypothesis import given, strategies as st

from gxml.reorder import moved_lead, permute_runs, stream_orders, stream_rows, transposed


def test_transposed_reads_a_table_drawn_with_rows_and_columns_swapped():
    # table 四 drawn a line per result (5), a column per case (3): line r, column g holds cell g*5+r
    printed = [f"{g}{r}" for r in range(5) for g in range(3)]
    assert [printed[k] for k in transposed(3, 5)] == [f"{g}{r}" for g in range(3) for r in range(5)]


@given(st.integers(1, 6), st.integers(1, 6))
def test_transposed_is_a_permutation(groups, each):
    assert sorted(transposed(groups, each)) == list(range(groups * each))


def test_permute_runs_keeps_the_printed_order_on_ties_and_takes_a_better_one():
    runs = [[0, 1], [2, 3], [4]]
    assert permute_runs(runs, lambda seq: 0.0) == [0, 1, 2, 3, 4]
    assert permute_runs(runs, lambda seq: float(seq[0] == 4))[0] == 4


def test_permute_runs_prefers_runs_under_their_own_group_header_when_sums_tie():
    runs = [[0, 1], [2, 3], [4, 5]]
    groups = ["a", "a", "b", "b", "c", "c"]
    tie = lambda seq: 0.0  # noqa: E731  every order keeps the same sums
    assert permute_runs(runs, tie, groups, [None, None, None]) == [0, 1, 2, 3, 4, 5]
    # the second run was printed under c's header: it moves to c, the third takes b
    assert permute_runs(runs, tie, groups, [None, "c", None]) == [0, 1, 4, 5, 2, 3]
    # a header never outweighs a sum
    sums = lambda seq: float(seq[2:4] == [2, 3])  # noqa: E731
    assert permute_runs(runs, sums, groups, [None, "c", None])[2:4] == [2, 3]


def test_moved_lead_puts_values_printed_before_the_label_where_the_row_sum_holds():
    assert moved_lead([2, 2, 0, 0, 0, 0, 0], 1) == [1, 2, 3, 4, 5, 6, 0]
    assert moved_lead([1, 2, 3], 1) is None  # the printed order keeps the sum: left alone
    assert moved_lead([0, 0, 0, 0], 1) is None  # all zero: nothing to move
    assert moved_lead([5, 1, 1, 9], 1) is None  # no place keeps the sum
    assert moved_lead([1, 1, 1, 1, 2], 1) is None  # two places keep it: no evidence which
    assert moved_lead([4, 10, 1, 2, 3], 2) == [2, 3, 4, 0, 1]  # a run of two moves whole


def test_stream_rows_reads_a_block_by_columns_whose_total_column_was_printed_early():
    """pdfminer prints a page of table 三 column by column, and may print its 总计 column
    before the last part column: with ``total_anywhere`` that column is read as the rows' last."""
    rows = [(1, 2, 0, 3), (0, 0, 5, 5), (2, 0, 0, 2)]
    printed = [0, 1, 3, 2]  # part, part, total, part
    values = [rows[i][c] for c in printed for i in range(3)]
    starts = [True] + [False] * len(values)
    order = stream_rows(values, 3, 4, starts, total_anywhere=True)
    assert [tuple(values[k] for k in row) for row in order] == rows
    plain = stream_rows(values, 3, 4, starts)
    assert plain is None or [tuple(values[k] for k in row) for row in plain] != rows


def test_stream_orders_gives_both_readings_from_one_scoring():
    """The orders with the total column last and anywhere, as :func:`stream_rows` gives each,
    and None for both when the count does not fit."""
    rows = [(1, 2, 0, 3), (0, 0, 5, 5), (2, 0, 0, 2)]
    values = [rows[i][c] for c in (0, 1, 3, 2) for i in range(3)]
    starts = [True] + [False] * len(values)
    last, anywhere = stream_orders(values, 3, 4, starts)
    assert [tuple(values[k] for k in row) for row in anywhere] == rows
    assert last != anywhere
    in_rows = [v for row in rows for v in row]
    assert stream_orders(in_rows, 3, 4, starts) == [[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]] * 2
    assert stream_orders(values[:-1], 3, 4, starts) == [None, None]
