import json

from gxml.templates import get_template, load_aliases, load_spec, template_names
from conftest import shared_dir


def test_shipped_templates_identical_to_spec():
    spec = json.loads((shared_dir("spec") / "templates.json").read_text(encoding="utf-8"))
    assert load_spec() == spec


def test_rows_cover_every_cell_in_print_order():
    for name in template_names():
        t = get_template(name)
        printed = [c for r in t.rows for c in r.cells]
        assert sorted(printed) == sorted(t.cells)
        assert len(set(printed)) == len(printed)


def test_cell_counts():
    assert len(get_template("2019").cells) == 198
    assert len(get_template("2021").cells) == 207


def test_2021_has_two_layouts_for_other_processing():
    t = get_template("2021")
    layouts = t.layouts()
    assert len(layouts) == 2
    keys = [{r.key for r in lay if r.table == "requests"} for lay in layouts]
    sub = {"other_no_correction", "other_no_fee", "other_other"}
    assert any(sub <= k and "other" not in k for k in keys)
    assert any("other" in k and not (sub & k) for k in keys)
    assert len(get_template("2019").layouts()) == 1


def test_disputes_is_one_row_of_fifteen():
    for name in template_names():
        row = get_template(name).rows[-1]
        assert row.table == "disputes" and len(row.cells) == 15


def test_alias_rows_exist_in_templates():
    ids = {r.id for n in template_names() for r in get_template(n).rows}
    for rid in load_aliases()["rows"]:
        assert rid in ids, rid
