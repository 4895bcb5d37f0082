"""Synthetic report contents: the numbers a report's three tables carry, who wrote it, and its prose.

:func:`generate_report` draws one :class:`SynthReport`: a template ("2019" or "2021"), an agency
and year, and a value for every cell key of the template, following the truth-file rules of
``spec/README.md`` (rows a report does not print are ``None``; ``万件``/``万元`` values are
stored multiplied out). Most agencies are small (mostly zeros), some medium, a few large
(hundreds of thousands of licensing decisions). The requests table satisfies the template's
accounting identities in about 85% of reports; the rest misreport one or two cells, as real
reports do. How a value is printed when it is not its plain digits (``2.46万件``, ``2202万元``,
``0.30``, ``/``) is kept in ``meta["printed"]``; :func:`printed_value` gives a cell's print form.
:func:`narrative` writes what the report says around its tables (``meta["narrative"]``): title,
sections 一 to 六 in prose full of numbers and template words, signature and date.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Dict, List, Optional, Sequence, Tuple

from gxml.templates import Row, Template, get_template

SCALES = ("small", "medium", "large")

# Where the agencies are: (city, districts/counties). Real place names, used only as text.
_PLACES: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("淮安市", ("洪泽区", "清江浦区", "淮阴区", "涟水县", "盱眙县")),
    ("南京市", ("栖霞区", "玄武区", "江宁区", "浦口区")),
    ("昆明市", ("官渡区", "五华区", "盘龙区", "呈贡区")),
    ("包头市", ("白云鄂博矿区", "昆都仑区", "青山区", "固阳县")),
    ("兴安盟", ("乌兰浩特市", "阿尔山市", "科尔沁右翼前旗")),
    ("塔城地区", ("乌苏市", "沙湾市", "额敏县")),
    ("杭州市", ("西湖区", "拱墅区", "桐庐县", "淳安县")),
    ("成都市", ("武侯区", "锦江区", "郫都区", "金堂县")),
    ("广州市", ("天河区", "越秀区", "番禺区", "从化区")),
    ("武汉市", ("江岸区", "洪山区", "黄陂区")),
    ("长沙市", ("岳麓区", "芙蓉区", "浏阳市", "宁乡市")),
    ("郑州市", ("金水区", "二七区", "中牟县", "新郑市")),
    ("济南市", ("历下区", "槐荫区", "平阴县")),
    ("西安市", ("雁塔区", "碑林区", "长安区", "蓝田县")),
    ("合肥市", ("蜀山区", "包河区", "肥东县", "庐江县")),
    ("福州市", ("鼓楼区", "仓山区", "闽侯县", "连江县")),
    ("南宁市", ("青秀区", "兴宁区", "武鸣区", "横州市")),
    ("贵阳市", ("云岩区", "南明区", "修文县")),
    ("太原市", ("小店区", "迎泽区", "清徐县")),
    ("石家庄市", ("长安区", "裕华区", "正定县", "赞皇县")),
    ("沈阳市", ("和平区", "沈河区", "法库县")),
    ("哈尔滨市", ("南岗区", "道里区", "五常市")),
    ("兰州市", ("城关区", "七里河区", "榆中县")),
    ("苏州市", ("吴江区", "姑苏区", "昆山市", "常熟市")),
    ("宁波市", ("鄞州区", "海曙区", "象山县")),
    ("赣州市", ("章贡区", "南康区", "于都县", "瑞金市")),
    ("宜昌市", ("夷陵区", "西陵区", "秭归县")),
    ("曲靖市", ("麒麟区", "沾益区", "宣威市", "陆良县")),
)
_DEPARTMENTS = ("民政局", "财政局", "教育局", "司法局", "卫生健康委员会", "自然资源和规划局",
                "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局", "水务局",
                "市场监督管理局", "退役军人事务局", "医疗保障局", "人力资源和社会保障局",
                "应急管理局", "统计局", "审计局", "文化广电和旅游局", "商务局", "发展和改革委员会",
                "城市管理局", "林业局", "体育局", "档案馆", "人民政府办公室")
_STREETS = ("太和", "新华", "城关", "东风", "人民路", "建设", "和平", "解放", "中山", "长江",
            "北京路", "金桥", "南湖", "滨江", "龙泉", "凤凰", "青龙", "黄河路")
_TOWNS = ("高良涧", "岔河", "老子山", "蒋坝", "东双沟", "三河", "马坝", "古桑", "仁和", "大兴")

# kind -> (weight, scale weights small/medium/large, how the prose refers to itself)
_KINDS: Dict[str, Tuple[float, Tuple[float, float, float], str]] = {
    "city_gov": (0.06, (0.0, 0.25, 0.75), "我市"),
    "district_gov": (0.12, (0.15, 0.55, 0.30), "我区"),
    "department": (0.50, (0.70, 0.27, 0.03), "我局"),
    "street": (0.20, (0.92, 0.08, 0.0), "街道"),
    "town": (0.12, (0.88, 0.12, 0.0), "我镇"),
}

# outcome row key -> relative weight of requests ending there
_OUTCOME_WEIGHTS = {
    "granted": 10.0, "partial": 2.0, "unable_not_held": 4.0, "unable_need_creation": 1.0,
    "unable_unclear": 0.8, "rejected_petition": 1.5, "rejected_repeat": 1.0,
    "rejected_publication": 0.3, "rejected_massive": 0.3, "rejected_confirm": 0.5,
    "other": 1.2, "other_no_correction": 1.0, "other_no_fee": 0.2, "other_other": 1.0,
}
_DENIED_WEIGHT = 0.3  # any outcome row not listed above (the eight 不予公开 rows)

# applicant column -> (chance the column has requests at all, share when it does)
_COLUMN_SHARE = {"natural_person": (1.0, 1.0), "commercial": (0.35, 0.25), "research": (0.04, 0.05),
                 "social": (0.05, 0.05), "legal": (0.15, 0.08), "other_org": (0.15, 0.08)}

# scale -> (chance of no request at all, low, high) of new requests received
_NEW_REQUESTS = {"small": (0.55, 1, 30), "medium": (0.08, 5, 400), "large": (0.0, 200, 6000)}

# active-table magnitudes: scale -> (chance of zero, low, high)
_DECISIONS = {
    "licensing": {"small": (0.6, 1, 60), "medium": (0.1, 20, 20000), "large": (0.02, 5000, 600000)},
    "other_services": {"small": (0.7, 1, 40), "medium": (0.2, 10, 30000), "large": (0.05, 5000, 900000)},
    "punishment": {"small": (0.7, 1, 40), "medium": (0.2, 5, 8000), "large": (0.05, 500, 4000000)},
    "enforcement": {"small": (0.85, 1, 10), "medium": (0.4, 1, 600), "large": (0.1, 20, 100000)},
}
_ITEMS = {"small": (0.6, 1, 30), "medium": (0.2, 5, 500), "large": (0.05, 50, 2000)}
_DOCS = {"small": (0.7, 1, 6), "medium": (0.25, 1, 20), "large": (0.05, 3, 40)}
_FEES_WAN = {"small": (0.85, 0.01, 50.0), "medium": (0.4, 1.0, 5000.0), "large": (0.1, 500.0, 100000.0)}
_PROCUREMENT_YUAN = {"small": (0.7, 1e4, 5e6), "medium": (0.3, 1e5, 1e8), "large": (0.1, 1e7, 5e9)}
_DISPUTES = {"small": (0.88, 1, 3), "medium": (0.5, 1, 25), "large": (0.05, 10, 400)}
_BLANK_MARKS = ("/", "-", "—", "无", "——")
MARKED_ZEROS = 0.05  # reports that print the zeros of whole tables as a blank mark


@dataclass
class SynthReport:
    """The contents of one synthetic report (what its truth file says)."""

    template: str
    cells: dict
    agency: str
    year: int
    other_layout: str
    meta: dict = field(default_factory=dict)


# ---------------------------------------------------------------- small helpers

def _logint(rng: random.Random, lo: float, hi: float) -> int:
    """A log-uniform integer in [lo, hi]."""
    return int(round(math.exp(rng.uniform(math.log(lo), math.log(hi)))))


def _draw(rng: random.Random, spec: Tuple[float, float, float]) -> int:
    p_zero, lo, hi = spec
    return 0 if rng.random() < p_zero else _logint(rng, lo, hi)


def _split(total: int, weights: Sequence[float]) -> List[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    w_sum = sum(weights)
    if total <= 0 or w_sum <= 0:
        return [0] * len(weights)
    raw = [total * w / w_sum for w in weights]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[:rest]:
        out[i] += 1
    return out


def format_number(v) -> str:
    """Plain print form of a number: ``447228``, ``0.3``, ``7730.28``."""
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return format(Decimal(repr(v)).normalize(), "f")
    return str(v)


def _wan(v: int) -> str:
    """``24600`` -> ``"2.46"`` (the number of 万)."""
    return format((Decimal(v) / Decimal(10000)).normalize(), "f")


def printed_value(report: SynthReport, key: str) -> str:
    """How a cell is printed: its special form (``2.46万件``) or its plain number; '' for None."""
    special = report.meta.get("printed", {}).get(key)
    if special is not None:
        return special
    v = report.cells.get(key)
    return "" if v is None else format_number(v)


def printed_rows(tmpl: Template, other_layout: str) -> Tuple[Row, ...]:
    """The template rows a report prints for its （六） layout ("sub" or "single")."""
    layouts = tmpl.layouts()
    if len(layouts) == 1:
        return layouts[0]
    optional = {r.id for r in tmpl.rows if r.optional}
    for lay in layouts:
        has_single = any(r.id in optional for r in lay)
        if has_single == (other_layout == "single"):
            return lay
    raise ValueError(other_layout)


def broken_identities(tmpl: Template, cells: dict) -> List[str]:
    """Names of the template identities that ``cells`` break (None counts as 0)."""
    def total(keys):
        return sum((cells.get(k) or 0) for k in keys)
    return [i["name"] for i in tmpl.identities if abs(total(i["lhs"]) - total(i["rhs"])) > 1e-6]


def _outcome_keys(tmpl: Template) -> List[str]:
    """Row keys of the （一）…（六） outcome rows, from the template's outcome-sum identity."""
    for ident in tmpl.identities:
        rhs = ident["rhs"]
        if len(rhs) == 1 and rhs[0].startswith("requests.total."):
            col = rhs[0].rsplit(".", 1)[1]
            if all(c.endswith("." + col) for c in ident["lhs"]) and col != "total":
                return [c.split(".")[1] for c in ident["lhs"]]
    raise ValueError(f"template {tmpl.name}: no outcome identity")


def request_columns(tmpl: Template) -> List[str]:
    """Column keys of table 三 in print order (the last is ``total``)."""
    return [k for k, _ in tmpl.raw["tables"]["requests"]["columns"]]


# ---------------------------------------------------------------- agency

def _agency(rng: random.Random) -> Tuple[str, str]:
    kinds = list(_KINDS)
    kind = rng.choices(kinds, weights=[_KINDS[k][0] for k in kinds])[0]
    city, districts = rng.choice(_PLACES)
    district = rng.choice(districts)
    if kind == "city_gov":
        return city + "人民政府", kind
    if kind == "district_gov":
        return f"{city}{district}人民政府" if rng.random() < 0.5 else district + "人民政府", kind
    if kind == "department":
        where = rng.choice((city, district, city + district))
        return where + rng.choice(_DEPARTMENTS), kind
    if kind == "street":
        return f"{district}{rng.choice(_STREETS)}街道办事处", kind
    return f"{district}{rng.choice(_TOWNS)}镇人民政府", kind


# ---------------------------------------------------------------- table 二

def _active_2021(rng: random.Random, scale: str, kind: str, cells: dict, printed: dict) -> None:
    if kind == "city_gov" and rng.random() < 0.7:
        cells["active.regulations.issued"] = rng.randint(0, 4)
        cells["active.regulations.repealed"] = rng.randint(0, 3)
        cells["active.regulations.in_force"] = _logint(rng, 5, 150)
    else:
        for c in ("issued", "repealed", "in_force"):
            cells[f"active.regulations.{c}"] = 0
    issued, repealed = _draw(rng, _DOCS[scale]), _draw(rng, _DOCS[scale])
    in_force = 0 if issued == repealed == 0 and rng.random() < 0.6 else issued + _draw(rng, (0.2, 1, 60))
    cells["active.normative_documents.issued"] = issued
    cells["active.normative_documents.repealed"] = repealed
    cells["active.normative_documents.in_force"] = in_force
    for row in ("licensing", "punishment", "enforcement"):
        cells[f"active.{row}.decisions"] = _draw(rng, _DECISIONS[row][scale])
    p_zero, lo, hi = _FEES_WAN[scale]
    if rng.random() < p_zero:
        fee = 0
    else:
        fee = round(math.exp(rng.uniform(math.log(lo), math.log(hi))), rng.choice((0, 1, 2, 2)))
        fee = int(fee) if fee == int(fee) else fee
        if isinstance(fee, float) and rng.random() < 0.2:
            printed["active.fees.amount"] = f"{fee:.2f}"
    cells["active.fees.amount"] = fee


def _wan_row(rng: random.Random, row: str, cols: Sequence[str], cells: dict, printed: dict) -> None:
    """Print a whole 2019 row in 万件 (values become multiples of 100, at least 1万)."""
    unit = rng.choice(("万件", "万件", "万"))
    for c in cols:
        v = rng.randint(100, 9999) * 100
        if rng.random() < 0.5:
            v = v // 1000 * 1000 or 10000  # one decimal of 万, like 1.4万件
        key = f"active.{row}.{c}"
        cells[key] = v
        printed[key] = _wan(v) + unit


def _active_2019(rng: random.Random, scale: str, kind: str, cells: dict, printed: dict) -> None:
    for row in ("regulations", "normative_documents"):
        if row == "regulations" and not (kind == "city_gov" and rng.random() < 0.7):
            made = 0
        else:
            made = _draw(rng, _DOCS[scale])
        published = made if rng.random() < 0.8 else max(0, made - rng.randint(0, 2))
        total = 0 if made == 0 and rng.random() < 0.5 else published + _draw(rng, (0.2, 1, 80))
        cells[f"active.{row}.new_made"] = made
        cells[f"active.{row}.new_published"] = published
        cells[f"active.{row}.total_published"] = total
    wan_row = None
    if scale != "small" and rng.random() < 0.35:
        wan_row = rng.choice(("licensing", "other_services", "punishment"))
    for row in ("licensing", "other_services", "punishment", "enforcement"):
        cols = ("prev_year", "change", "decisions")
        if row == wan_row:
            _wan_row(rng, row, cols, cells, printed)
            continue
        prev = _draw(rng, _ITEMS[scale])
        change = min(prev, _draw(rng, (0.4, 1, max(2, prev // 3 + 1)))) if prev else 0
        cells[f"active.{row}.prev_year"] = prev
        cells[f"active.{row}.change"] = change
        cells[f"active.{row}.decisions"] = _draw(rng, _DECISIONS[row][scale])
        if change and rng.random() < 0.05:
            cells[f"active.{row}.change"] = -change
    prev = _draw(rng, _ITEMS[scale])
    cells["active.fees.prev_year"] = prev
    cells["active.fees.change"] = min(prev, _draw(rng, (0.5, 1, 20))) if prev else 0
    cells["active.procurement.projects"] = _draw(rng, _ITEMS[scale])
    p_zero, lo, hi = _PROCUREMENT_YUAN[scale]
    amount = 0 if rng.random() < p_zero else _logint(rng, lo, hi)
    if amount:
        form = rng.random()
        if form < 0.5:  # "2202万元" or "152.34万元"
            amount = amount // 100 * 100 or 100
            printed["active.procurement.amount"] = _wan(amount) + "万元"
        elif form < 0.6:
            printed["active.procurement.amount"] = f"{amount}元"
    cells["active.procurement.amount"] = amount


def _decorate_active(rng: random.Random, tmpl: Template, cells: dict, printed: dict) -> None:
    """Thousands separators on some big values; blank markers in some zero cells (-> None)."""
    keys = [k for k in tmpl.cells if k.startswith("active.") and k not in printed]
    for k in keys:
        v = cells[k]
        if isinstance(v, int) and v >= 10000 and rng.random() < 0.05:
            printed[k] = f"{v:,}"
    if rng.random() < 0.1:
        mark = rng.choice(_BLANK_MARKS)
        zeros = [k for k in keys if cells[k] == 0]
        for k in rng.sample(zeros, min(len(zeros), rng.randint(1, 4))):
            cells[k] = None
            printed[k] = mark


# ---------------------------------------------------------------- table 三

def _requests(rng: random.Random, tmpl: Template, scale: str, rows: Sequence[Row], cells: dict) -> None:
    cols = request_columns(tmpl)
    org = cols[:-1]
    printed_keys = {r.key for r in rows if r.table == "requests"}
    outcomes = [k for k in _outcome_keys(tmpl) if k in printed_keys]
    p_none, lo, hi = _NEW_REQUESTS[scale]
    new_total = 0 if rng.random() < p_none else _logint(rng, lo, hi)
    shares = [(_COLUMN_SHARE[c][1] * rng.uniform(0.3, 1.5) if rng.random() < _COLUMN_SHARE[c][0] else 0.0)
              if c in _COLUMN_SHARE else 0.0 for c in org]
    new = _split(new_total, shares)
    for c, n in zip(org, new):
        co = _logint(rng, 1, max(1, n // 8 + 1)) if n and rng.random() < 0.3 else 0
        cf = _logint(rng, 1, max(1, (n + co) // 8 + 1)) if n and rng.random() < 0.35 else 0
        cf = min(cf, n + co)
        handled = n + co - cf
        weights = []
        for k in outcomes:
            w = _OUTCOME_WEIGHTS.get(k, _DENIED_WEIGHT)
            active = rng.random() < 1 - math.exp(-(handled + 1) * w / 80) or k == "granted"
            weights.append(w * rng.random() ** 2 if active else 0.0)
        if handled and not any(weights):
            weights[0] = 1.0
        for k, v in zip(outcomes, _split(handled, weights)):
            cells[f"requests.{k}.{c}"] = v
        cells[f"requests.new_received.{c}"] = n
        cells[f"requests.carried_over.{c}"] = co
        cells[f"requests.carried_forward.{c}"] = cf
        cells[f"requests.total.{c}"] = handled
    for r in rows:
        if r.table == "requests":
            cells[f"requests.{r.key}.total"] = sum(cells[f"requests.{r.key}.{c}"] for c in org)


def _break_requests(rng: random.Random, tmpl: Template, rows: Sequence[Row], cells: dict) -> None:
    """Misreport one or two cells of table 三, as real reports do."""
    req = [r for r in rows if r.table == "requests"]
    cols = request_columns(tmpl)
    outcomes = [k for k in _outcome_keys(tmpl) if any(r.key == k for r in req)]
    for _ in range(1 if rng.random() < 0.7 else 2):
        how = rng.random()
        if how < 0.4:      # a row total off by a little
            key = f"requests.{rng.choice(req).key}.total"
        elif how < 0.75:   # an outcome cell changed without its totals
            key = f"requests.{rng.choice(outcomes)}.{rng.choice(cols[:-1])}"
        else:              # the carried-forward or grand total misreported
            key = f"requests.{rng.choice(('carried_forward', 'total', 'new_received'))}.{rng.choice(cols)}"
        v = cells[key] or 0
        cells[key] = max(0, v + rng.choice((-3, -2, -1, 1, 1, 2, 3, 5, 10)))


# ---------------------------------------------------------------- table 四

def _disputes(rng: random.Random, tmpl: Template, scale: str, cells: dict) -> None:
    spec = tmpl.raw["tables"]["disputes"]
    cols = [k for k, _ in spec["columns"]]
    parts = cols[:-1]
    for i, (group, _) in enumerate(spec["groups"]):
        p_zero, lo, hi = _DISPUTES[scale]
        total = 0 if rng.random() < p_zero + 0.1 * i else _logint(rng, lo, max(lo, hi // (1 + i)))
        weights = [rng.random() * w for w in (4.0, 1.0, 1.5, 1.0)]
        for c, v in zip(parts, _split(total, weights)):
            cells[f"disputes.{group}.{c}"] = v
        cells[f"disputes.{group}.{cols[-1]}"] = total


def _break_disputes(rng: random.Random, tmpl: Template, cells: dict) -> None:
    spec = tmpl.raw["tables"]["disputes"]
    last = spec["columns"][-1][0]
    groups = [g for g, _ in spec["groups"] if cells[f"disputes.{g}.{last}"]]
    if groups:
        key = f"disputes.{rng.choice(groups)}.{last}"
        cells[key] = 0 if rng.random() < 0.5 else cells[key] + rng.choice((-1, 1, 2))


def _mark_zeros(rng: random.Random, tmpl: Template, cells: dict, printed: dict) -> None:
    """An agency's habit: the zero cells of some of its tables printed as a blank mark
    (``—``, ``/``, ``无``), nearly all of them (-> None)."""
    mark = rng.choice(_BLANK_MARKS)
    tables = [t for t in ("active", "requests", "disputes") if rng.random() < 0.7] or ["requests"]
    for k in tmpl.cells:
        if k.split(".")[0] in tables and cells[k] == 0 and k not in printed and rng.random() < 0.9:
            cells[k] = None
            printed[k] = mark


def _clip_small(rows: Sequence[Row], cells: dict, printed: dict) -> None:
    """Keep a small report's multi-cell rows in 0..99 (the fused renderer relies on it)."""
    for r in rows:
        if len(r.cells) < 2:
            continue
        for k in r.cells:
            v = cells[k]
            if isinstance(v, (int, float)) and not 0 <= v <= 99:
                cells[k] = min(99, max(0, int(v)))
                printed.pop(k, None)


# ---------------------------------------------------------------- narrative (prose full of numbers)

SECTION_ONE = ("一、总体情况", "一、总体工作情况", "一、总体情况")
SECTION_FIVE = ("五、存在的主要问题及改进情况", "五、存在主要问题及改进情况", "五、存在的问题及改进情况",
                "五、存在的主要问题及改进情况")
SECTION_SIX = ("六、其他需要报告的事项",)


def _ctx(report: SynthReport, rng: random.Random) -> Dict[str, object]:
    """The numbers the prose quotes: table figures (sometimes of another scope) and others."""
    c = report.cells
    g = lambda k: c.get(k) or 0  # noqa: E731
    scale = {"small": 1, "medium": 8, "large": 60}[report.meta.get("scale", "small")]
    outcome = lambda *keys: sum(g(f"requests.{k}.total") for k in keys)  # noqa: E731
    new = g("requests.new_received.total")
    if rng.random() < 0.15:  # the narrative counts a different scope than the table
        new = max(0, new + rng.randint(-5, 20))
    docs = g("active.normative_documents.issued") or g("active.normative_documents.new_made")
    return {
        "year": report.year, "next": report.year + 1, "agency": report.agency,
        "me": report.meta.get("self", "我单位"),
        "n_pub": rng.randint(20, 400) * scale, "n_docs": docs, "n_interp": rng.randint(0, 30) * scale,
        "n_notice": rng.randint(3, 90) * scale, "n_weibo": rng.randint(10, 900),
        "n_wechat": rng.randint(10, 900), "n_train": rng.randint(1, 12), "n_people": rng.randint(10, 300),
        "n_mail": rng.randint(0, 200) * scale, "n_hotline": rng.randint(50, 3000) * scale,
        "n_rules": rng.randint(1, 9), "n_media": rng.randint(1, 60),
        "new": new, "co": g("requests.carried_over.total"), "cf": g("requests.carried_forward.total"),
        "done": g("requests.total.total"), "granted": g("requests.granted.total"),
        "partial": g("requests.partial.total"),
        "np": g("requests.new_received.natural_person"),
        "org": g("requests.new_received.total") - g("requests.new_received.natural_person"),
        "denied": outcome("denied_secret", "denied_law", "denied_safety", "denied_third_party",
                          "denied_internal", "denied_process", "denied_enforcement_file", "denied_query"),
        "unable": outcome("unable_not_held", "unable_need_creation", "unable_unclear"),
        "rejected": outcome("rejected_petition", "rejected_repeat", "rejected_publication",
                            "rejected_massive", "rejected_confirm"),
        "review": g("disputes.review.total"), "rv_up": g("disputes.review.upheld"),
        "rv_fix": g("disputes.review.corrected"),
        "litig": g("disputes.litigation_direct.total") + g("disputes.litigation_after_review.total"),
        "fee": rng.choice((0, 0, 0, rng.randint(10, 5000))),
        "zip": rng.randint(100000, 850000), "phone": f"0{rng.randint(10, 999)}-{rng.randint(2000000, 89999999)}",
        "m": rng.randint(1, 3), "d": rng.randint(1, 28), "no": rng.randint(1, 200),
    }


_INTRO = (
    "本报告由{agency}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。报告中所列数据的统计期限自"
    "{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，请与{agency}联系（地址：人民路{no}号，邮编：{zip}，"
    "电话：{phone}）。",
    "依据《中华人民共和国政府信息公开条例》和《政府信息公开年度报告制度》要求，现报告{me}{year}年度政务公开工作情况。"
    "本报告数据统计期限为{year}年1月1日至12月31日。",
    "根据《中华人民共和国政府信息公开条例》第五十条规定，特向社会公布{year}年度{agency}政府信息公开工作年度报告。"
    "本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
)
_OVERVIEW = (
    "{year}年，{me}坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《条例》相关规范要求，不断完善政府信息"
    "公开制度，建立健全政府信息公开保障机制，推进政府信息公开工作规范、有序、健康发展。",
    "{year}年，{me}认真贯彻落实上级政府信息公开工作部署，加强组织领导，严格审查程序，加强公开平台建设，"
    "切实履行政府信息与政务公开工作职责，不断提高政府工作透明度。",
)
_ACTIVE = (
    "（一）主动公开情况。{year}年，{me}通过政府门户网站主动公开政府信息{n_pub}条，其中政策文件{n_docs}件，"
    "政策解读{n_interp}篇，通知公告{n_notice}条。",
    "（一）主动公开政府信息情况。截至{year}年12月31日，通过政府信息公开门户网站共公开信息{n_pub}条，"
    "同时公开了机构职能、领导分工、政策文件、规划计划及业务工作等相关信息。",
    "（一）主动公开情况。全年主动公开各类信息{n_pub}条，新制发行政规范性文件{n_docs}件，回应社会关切{n_interp}次。",
    "（一）主动公开政府信息情况。{year}年，{me}共发布政府信息{n_pub}条，其中行政许可、行政处罚等“双公示”信息"
    "{n_notice}条，规章和规范性文件{n_docs}件。",
)
_REQ_NONE = ("（二）依申请公开情况。{year}年，{me}未收到政府信息公开申请，未发生依申请公开投诉举报和行政复议、"
             "行政诉讼等事件。",)
_REQ = (
    "（二）依申请公开情况。{year}年共收到政府信息公开申请{new}件，上年结转{co}件，其中予以公开{granted}件，"
    "部分公开{partial}件，不予公开{denied}件，无法提供{unable}件，不予处理{rejected}件，结转下年度继续办理{cf}件。",
    "（二）依申请公开情况。{year}年度，{me}共收到政府信息公开申请{new}件，办结{done}件，内容涉及土地征收、"
    "物业管理、政府信息公开等领域，均在法定期限内答复。",
    "（二）依申请公开情况。进一步规范依申请公开流程，畅通受理渠道。{year}年全年受理政府信息公开申请{new}件，"
    "总计答复{done}件。",
    "（二）依申请公开情况。{year}年，{me}共受理政府信息公开申请{new}件（其中自然人申请{np}件，法人或其他组织申请"
    "{org}件），上年结转{co}件；已办结{done}件，其中予以公开{granted}件，部分公开{partial}件，无法提供{unable}件，"
    "不予处理{rejected}件。",
)
_MANAGE = (
    "（三）政府信息管理。严格执行政府信息公开保密审查制度，修订完善制度{n_rules}项，规范政府信息制作、审核、"
    "公开、存档等流程，做到“涉密信息不上网、上网信息不涉密”。",
    "（三）政府信息管理。一是规范公开机制；二是拓宽公开渠道；三是提升公开水准，组织相关人员参加各类政务公开"
    "培训{n_train}次。",
)
_PLATFORM = (
    "（四）政府信息公开平台建设。持续加强政务新媒体建设，全年共发布微博{n_weibo}条，微信{n_wechat}篇，"
    "回复网民留言{n_mail}件。",
    "（四）政府信息公开平台建设情况。进一步提升政务新媒体运维管理水平，目前共有政务新媒体{n_media}个，"
    "受理“12345”热线工单{n_hotline}件，按时回复率100%。",
)
_OVERSIGHT = (
    "（五）监督保障。将政府信息公开工作纳入年度综合目标考核，开展政务公开培训{n_train}次，参训人员{n_people}人次。",
    "（五）监督保障。全年发生政府信息公开行政复议{review}件、行政诉讼{litig}件，未发生因信息公开工作引起的责任追究。",
    "（五）监督保障。全年共发生政府信息公开行政复议案件{review}件，其中结果维持{rv_up}件，结果纠正{rv_fix}件；"
    "行政诉讼案件{litig}件。",
)
_PROBLEMS = (
    "{year}年，{me}政府信息公开工作取得一定成效，但对照上级要求，仍存在一定差距：一是主动公开的意识有待进一步增强；"
    "二是政策解读的深度和广度还有待提升；三是政务公开队伍建设有待加强。",
    "下一步，{me}将认真分析，不断规范工作流程：一是扎实推进依申请公开工作，全面提升办理规范化水平；二是丰富公开内容，"
    "提升政府工作透明度；三是加强业务培训，提高工作人员业务水平。",
    "针对存在问题，{me}将加大主动公开信息的宣传力度，加强政府信息公开工作业务培训，完善政府信息公开工作长效机制。",
)
_OTHER = (
    "{year}年，{me}严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费{fee}元。",
    "本年度没有产生信息公开处理费。确无其他需要报告事项。",
    "无",
    "按照《国务院办公厅关于印发{next}年政务公开工作要点的通知》要求，对{n_interp}个文件进行了政策解读，"
    "回复咨询投诉类信件{n_mail}件。",
)


def narrative(report: SynthReport, rng: random.Random) -> List[Tuple[str, str]]:
    """What the report says, as blocks ``(kind, text)``: kind is title, para, heading or sign;
    ``("table", NAME)`` marks where table NAME (active/requests/disputes) is printed."""
    x = _ctx(report, rng)
    f = lambda bank: rng.choice(bank).format(**x)  # noqa: E731
    title = f"{report.year}年政府信息公开工作年度报告"
    out: List[Tuple[str, str]] = []
    if rng.random() < 0.5:
        out += [("title", report.agency), ("title", title)]
    else:
        out.append(("title", report.agency + rng.choice(("", " ")) + title))
    if rng.random() < 0.2:
        out.append(("para", f"发布时间：{report.year + 1}-0{x['m']}-{x['d']:02d} 浏览次数：{x['no']}"))
    out += [("para", f(_INTRO)), ("heading", rng.choice(SECTION_ONE)), ("para", f(_OVERVIEW)),
            ("para", f(_ACTIVE)), ("para", f(_REQ if x["new"] else _REQ_NONE)), ("para", f(_MANAGE))]
    if rng.random() < 0.7:
        out.append(("para", f(_PLATFORM)))
    out.append(("para", f(_OVERSIGHT)))
    for table, heading in get_template(report.template).titles.items():
        out += [("heading", heading), ("table", table)]
    out += [("heading", rng.choice(SECTION_FIVE)), ("para", f(_PROBLEMS))]
    if rng.random() < 0.6:
        out.append(("para", f(_PROBLEMS)))
    out += [("heading", rng.choice(SECTION_SIX)), ("para", f(_OTHER)),
            ("sign", report.agency), ("sign", f"{report.year + 1}年{x['m']}月{x['d']}日")]
    return out


# ---------------------------------------------------------------- entry point

def generate_report(rng: random.Random, template: Optional[str] = None,
                    scale: Optional[str] = None) -> SynthReport:
    """Draw one synthetic report; ``scale`` ("small"/"medium"/"large") forces its size.

    A "small" report keeps every multi-cell row in 0..99 (what the ``fused`` renderer needs).
    """
    name = template or ("2021" if rng.random() < 0.7 else "2019")
    tmpl = get_template(name)
    year = rng.choice((2019, 2020)) if name == "2019" else rng.randint(2021, 2025)
    agency, kind = _agency(rng)
    if scale is None:
        scale = rng.choices(SCALES, weights=_KINDS[kind][1])[0]
    has_optional = len(tmpl.layouts()) > 1
    other_layout = "single" if not has_optional or rng.random() < 0.2 else "sub"
    rows = printed_rows(tmpl, other_layout)
    cells: Dict[str, object] = dict.fromkeys(tmpl.cells)
    printed: Dict[str, str] = {}
    (_active_2019 if name == "2019" else _active_2021)(rng, scale, kind, cells, printed)
    _decorate_active(rng, tmpl, cells, printed)
    _requests(rng, tmpl, scale, rows, cells)
    _disputes(rng, tmpl, scale, cells)
    if rng.random() < 0.15:
        for _ in range(5):  # a misreport may cancel out; retry until something breaks
            _break_requests(rng, tmpl, rows, cells)
            if broken_identities(tmpl, cells):
                break
    if rng.random() < 0.06:
        _break_disputes(rng, tmpl, cells)
    if scale == "small":
        _clip_small(rows, cells, printed)
    # drawn from a generator of its own, so that every other report is drawn as before
    habits = random.Random(str(rng.getstate()[1][-17:]))
    if habits.random() < MARKED_ZEROS:
        _mark_zeros(habits, tmpl, cells, printed)
    broken = broken_identities(tmpl, cells)
    meta = {"scale": scale, "kind": kind, "self": _KINDS[kind][2], "printed": printed,
            "identities_broken": bool(broken), "broken": broken}
    report = SynthReport(template=name, cells=cells, agency=agency, year=year,
                         other_layout=other_layout, meta=meta)
    meta["narrative"] = narrative(report, rng)
    return report

