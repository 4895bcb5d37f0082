"""Units printed in a column's header instead of its cells."""
from decimal import Decimal

import pytest

import gxml
from gxml.header_units import header_factor, printed_unit

from conftest import make_report, same, zero_cells


@pytest.mark.parametrize("header,unit", [("采购总金额（万元）", "万元"), ("本年收费金额(单位:元)", "元"),
                                         ("本年收费金额（单位：万元）", "万元"), ("本年处理决定数量（万件）", "万件"),
                                         ("采购总金额", None), ("处理决定数量(含变更)", None)])
def test_printed_unit(header, unit):
    assert printed_unit(header) == unit


def test_header_factor_puts_values_in_the_column_unit():
    assert header_factor("采购总金额（万元）", "元") == Decimal(10000)
    assert header_factor("本年收费金额（单位：元）", "万元") == Decimal("0.0001")
    assert header_factor("本年处理决定数量（万件）", None) == Decimal(10000)
    assert header_factor("本年收费金额（单位：万元）", "万元") is None  # the column's own unit
    assert header_factor("采购总金额", "元") is None


def _parsed(template, cells, override):
    rep = gxml.parse(make_report(cells, template, override=override))
    assert rep.template == template
    return {c: (v, rep.cells.get(c)) for c, v in cells.items() if not same(rep.cells.get(c), v)}


def test_amount_under_a_wanyuan_header_is_read_in_yuan():
    cells = zero_cells("2019")
    cells.update({"active.procurement.projects": 8, "active.procurement.amount": 4178000})
    header = "信息内容 | 采购项目数量 | 采购总金额（万元）\n"
    assert _parsed("2019", cells, {"active.procurement": header + "政府集中采购 | 8 | 417.8"}) == {}
    # a cell that prints its own unit was read in it: not scaled again
    assert _parsed("2019", cells, {"active.procurement": header + "政府集中采购 | 8 | 417.8万元"}) == {}


def test_fee_under_a_yuan_header_is_read_in_wanyuan():
    cells = zero_cells("2021")
    cells.update({"active.fees.amount": 40917, "active.licensing.decisions": 17932})
    override = {"active.fees": "信息内容 | 本年收费金额（单位：元）\n行政事业性收费 | 409170000",
                "active.licensing": "信息内容 | 本年处理决定数量（万件）\n行政许可 | 1.7932"}
    assert _parsed("2021", cells, override) == {}
