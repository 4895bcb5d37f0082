"""The two national report templates, loaded from data (``gxml/data/templates.json``).

A template is seen by the rest of gxml as an ordered list of :class:`Row` objects: each row
has the cell keys of its columns in print order. Table 四 (disputes) is one printed row of 15
cells, so it is one ``Row`` with key ``"disputes"``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Dict, List, Optional, Tuple

TABLES = ("active", "requests", "disputes")


@dataclass(frozen=True)
class Row:
    """One printed row of a template table."""

    table: str
    key: str
    label: str
    cells: Tuple[str, ...]
    parent: Optional[str] = None
    group: Optional[str] = None
    optional: bool = False

    @cached_property
    def id(self) -> str:
        """``table.key``, the row's identifier (``requests.granted``)."""
        return f"{self.table}.{self.key}"

    def __hash__(self) -> int:  # equal rows have equal ids; layouts of rows key caches
        return hash(self.id)

    @property
    def columns(self) -> Tuple[str, ...]:
        """Column keys of the row (``natural_person``...)."""
        return tuple(c.split(".")[-1] for c in self.cells)


@dataclass(frozen=True)
class Template:
    """A national template: its rows in print order, cell keys and identities."""

    name: str
    source: str
    cells: Tuple[str, ...]
    rows: Tuple[Row, ...]
    identities: Tuple[dict, ...]
    titles: Dict[str, str] = field(default_factory=dict)
    column_labels: Dict[str, str] = field(default_factory=dict)
    raw: dict = field(default_factory=dict, repr=False, compare=False, hash=False)

    def layouts(self) -> List[Tuple[Row, ...]]:
        """Row sequences a report may print.

        The 2021 template prints （六）其他处理 either as three sub-rows or as one optional
        row; each is a layout. Other templates have one layout.
        """
        return list(self._layouts)

    @cached_property
    def _layouts(self) -> Tuple[Tuple[Row, ...], ...]:
        optional = [r for r in self.rows if r.optional]
        if not optional:
            return (self.rows,)
        out = []
        for opt in optional:
            subs = {r.id for r in self.rows if r.parent and r.parent.endswith(_strip_ordinal(opt.label))}
            out.append(tuple(r for r in self.rows if r.id != opt.id))
            out.append(tuple(r for r in self.rows if r.id not in subs))
        return tuple(out)

    def table_cells(self, table: str) -> Tuple[str, ...]:
        """The cell keys of ``table`` (``"requests"``), in :attr:`cells` order."""
        return self._table_cells.get(table, ())

    @cached_property
    def _table_cells(self) -> Dict[str, Tuple[str, ...]]:
        out: Dict[str, List[str]] = {}
        for c in self.cells:
            out.setdefault(c.split(".", 1)[0], []).append(c)
        return {t: tuple(cs) for t, cs in out.items()}

    def row(self, row_id: str) -> Row:
        """The row with id ``row_id`` (KeyError when the template has none)."""
        return self._by_id[row_id]

    @cached_property
    def _by_id(self) -> Dict[str, Row]:
        return {r.id: r for r in self.rows}


def _strip_ordinal(label: str) -> str:
    for i, ch in enumerate(label):
        if ch in "）)、.":
            return label[i + 1:]
    return label


def _build(name: str, spec: dict) -> Template:
    rows: List[Row] = []
    titles: Dict[str, str] = {}
    column_labels: Dict[str, str] = {}
    tables = spec["tables"]
    act = tables["active"]
    titles["active"] = act["title"]
    for g in act["groups"]:
        for rkey, rlabel in g["rows"]:
            cells = tuple(f"active.{rkey}.{ck}" for ck, _ in g["columns"])
            for (ck, clabel), cell in zip(g["columns"], cells):
                column_labels[cell] = clabel
            rows.append(Row("active", rkey, rlabel, cells, group=g["heading"]))
    req = tables["requests"]
    titles["requests"] = req["title"]
    for r in req["rows"]:
        cells = tuple(f"requests.{r['key']}.{ck}" for ck, _ in req["columns"])
        for (ck, clabel), cell in zip(req["columns"], cells):
            column_labels[cell] = clabel
        rows.append(Row("requests", r["key"], r["label"], cells, parent=r.get("parent"),
                        optional=bool(r.get("optional"))))
    dis = tables["disputes"]
    titles["disputes"] = dis["title"]
    cells = []
    for gkey, glabel in dis["groups"]:
        for ck, clabel in dis["columns"]:
            cell = f"disputes.{gkey}.{ck}"
            cells.append(cell)
            column_labels[cell] = f"{glabel}/{clabel}"
    rows.append(Row("disputes", "disputes", dis["title"], tuple(cells)))
    tmpl = Template(name=name, source=spec.get("source", ""), cells=tuple(spec["cells"]),
                    rows=tuple(rows), identities=tuple(spec["identities"]), titles=titles,
                    column_labels=column_labels, raw=spec)
    printed = [c for r in tmpl.rows for c in r.cells]
    if sorted(printed) != sorted(tmpl.cells):  # the data file and this reading must agree
        raise ValueError(f"template {name}: rows do not cover the cell list")
    return tmpl


@lru_cache(maxsize=None)
def load_spec() -> dict:
    """The raw ``templates.json`` as shipped in the package."""
    return json.loads(resources.files("gxml.data").joinpath("templates.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def get_template(name: str) -> Template:
    """The template named ``"2019"`` or ``"2021"``."""
    spec = load_spec()["templates"]
    if name not in spec:
        raise KeyError(f"unknown template {name!r}; known: {sorted(spec)}")
    return _build(name, spec[name])


def template_names() -> List[str]:
    """Names of the shipped templates."""
    return sorted(load_spec()["templates"])


@lru_cache(maxsize=None)
def load_aliases() -> dict:
    """Label aliases and template evidence (``gxml/data/aliases.json``)."""
    return json.loads(resources.files("gxml.data").joinpath("aliases.json").read_text("utf-8"))
