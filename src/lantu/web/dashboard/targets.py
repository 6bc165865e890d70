"""Targets (目标): target versus actual per year for Taiyuan and its peers — did the city meet
the target it set itself?

Each target is evaluated by :mod:`lantu.analysis.targets`: a yearly target (GDP growth 7 %) is
met or missed by so many points; a plan target (GRP 10,000 亿元 in 2025) gets its SDG-dashboard
status from the pace since the base.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from lantu.domain import ValidationError
from lantu.evaluation.verdict import evaluated_year, region_targets
from lantu.store import queries
from lantu.web.dashboard.common import ViewCache, fmt_number, name, unit_label
from lantu.web.dashboard.status import HEX, STATUS_ORDER, evaluate_row, status_badge, yearly

PEER_GROUPS = ("central_shanxi", "central_capitals")


def _regions(session: Session, plan_region: str | None) -> list[str]:
    out: list[str] = [plan_region] if plan_region else []
    for g in PEER_GROUPS:
        for code in queries.group_members(session, g) or []:
            if code not in out:
                out.append(code)
    return out


#: Rows per page of the targets page.
PAGE_SIZE = 40


def build_targets(session: Session, *, lang: str = "zh", region: str | None = None,
                  indicator: str | None = None, node: str | None = None,
                  status: str | None = None, year: int | None = None,
                  page: int = 1, as_of: int | None = None) -> dict[str, Any]:
    """The targets page as one dictionary: filtered, grouped by region and paged.

    Parameters
    ----------
    region : one region; ``"all"`` for every region with targets and the peers; default the
        plan's region (the page of a city is about its own targets first).
    indicator : one indicator.
    node : a goal or task of the plan: the indicators linked to it or below it.
    status : one status (``missed``, ``pending`` …; see :data:`STATUS_ORDER`).
    year : the target year.
    as_of : the evaluated year: every target is judged as of it, by the verdict's rule
        (:func:`lantu.evaluation.verdict.region_targets`); default the target year filtered on,
        else the year the plan's verdict shows (:func:`lantu.evaluation.verdict.evaluated_year`).
    page : page number (:data:`PAGE_SIZE` rows a page, over all regions shown).

    Returns
    -------
    dict with ``regions`` (each: ``targets`` rows of this page with target, actual, gap, status
    and source; ``charts`` of yearly targets against actual values, page 1 only), ``summary``
    counts of everything filtered, ``filter``, ``options`` for the filter form and ``pages``.
    Cached per state of the data (:func:`lantu.store.queries.state_version`); read-only.
    """
    key = ("targets", queries.state_version(session), lang, region, indicator, node, status,
           year, page, as_of)
    return CACHE.get_or_build(key, lambda: _paged(session, lang, region, indicator, node,
                                                  status, year, page, as_of))


def _paged(session: Session, lang: str, region: str | None, indicator: str | None,
           node: str | None, status: str | None, year: int | None, page: int,
           as_of: int | None) -> dict[str, Any]:
    if status is not None and status not in STATUS_ORDER:
        raise ValidationError(f"unknown status {status!r}; one of {', '.join(STATUS_ORDER)}",
                              field="status")
    if page < 1:
        raise ValidationError(f"page must be 1 or more; got {page}", field="page")
    plan = queries.plan_header(session)
    nodes = queries.plan_nodes(session, plan["code"]) if plan else []
    keep_inds = None
    if node:
        found = next((n for n in nodes if n.code == node), None)
        if found is None:
            raise ValidationError(f"no goal or task {node!r} in the plan", field="node")
        keep_inds = {i for n in nodes if n.code == node or n.code.startswith(node + ".")
                     for i in n.indicators}
    every = region == "all"
    if region is None and plan and plan["region_code"]:
        region = plan["region_code"]
    scope = None if every else region
    judged_at = evaluated_year(session, [scope] if scope else [],
                               as_of if as_of is not None else year)
    full = CACHE.get_or_build(("targets_all", queries.state_version(session), lang, scope,
                               indicator, judged_at),
                              lambda: _targets(session, lang, scope, indicator, judged_at))
    sections: list[dict[str, Any]] = []
    flat: list[tuple[dict[str, Any], dict[str, Any]]] = []
    counts: dict[str, dict[str, int]] = {}  # region → its filtered targets, every page
    starts: dict[str, int] = {}  # region → where its rows begin in the flat list
    for sec in full["regions"]:
        rows = [r for r in sec["targets"]
                if (keep_inds is None or r["indicator"] in keep_inds)
                and (status is None or r["status"] == status)
                and (year is None or r["target_period"] == str(year))]
        rows.sort(key=lambda r: (r["indicator_name"], r["target_period"]))
        counts[sec["code"]] = outcome_counts(rows)
        starts[sec["code"]] = len(flat)
        flat.extend((sec, r) for r in rows)
        if not rows and (status or year or keep_inds is not None or indicator):
            continue
        sections.append(sec)
    summary = outcome_counts([r for _, r in flat])
    pages = max(1, -(-len(flat) // PAGE_SIZE))
    if page > pages:
        raise ValidationError(f"page {page} is past the last page {pages}", field="page")
    first = (page - 1) * PAGE_SIZE
    shown = flat[first: page * PAGE_SIZE]
    by_sec: dict[str, list[dict[str, Any]]] = {}
    for sec, r in shown:
        by_sec.setdefault(sec["code"], []).append(r)
    out_secs = []
    for sec in sections:
        rows = by_sec.get(sec["code"], [])
        if not rows and sec["targets"]:
            continue
        shown_inds = {r["indicator"] for s_, r in flat if s_["code"] == sec["code"]}
        charts = [c for c in sec["charts"] if c["indicator"] in shown_inds] if page == 1 else []
        # the heading counts the region's whole filtered set; which of them this page lists is
        # said apart (rows first..last of counts.total)
        at = max(first - starts[sec["code"]], 0)
        out_secs.append({**sec, "targets": rows, "charts": charts,
                         "counts": counts[sec["code"]],
                         "listed": {"first": at + 1 if rows else 0, "last": at + len(rows)}})
    regs = queries.region_names(session)
    inds = queries.indicator_meta(session)
    _, all_rows = queries.target_rows(session)
    return {**full, "regions": out_secs, "summary": summary,
            "filter": {"region": "all" if every else (region or ""), "indicator": indicator or "",
                       "node": node or "", "status": status or "",
                       "year": str(year) if year else "",
                       "as_of": str(as_of) if as_of is not None else ""},
            "as_of": judged_at,
            "pages": pages, "page": page,
            "options": {
                "regions": [{"code": c, "name": name(regs.get(c), lang, c)}
                            for c in dict.fromkeys(r["region_code"] for r in all_rows)],
                "indicators": [{"code": c, "name": name(inds.get(c), lang, c)}
                               for c in sorted({r["indicator"] for r in all_rows})],
                "nodes": [{"code": n.code, "title": n.title if lang == "zh" else n.title_en,
                           "depth": n.depth} for n in nodes],
                "statuses": [status_badge(st, lang) for st in STATUS_ORDER],
                "years": sorted({r["target_period"] for r in all_rows}, reverse=True)}}


CACHE = ViewCache(size=32)


def _targets(session: Session, lang: str, region: str | None,
             indicator: str | None, as_of: int) -> dict[str, Any]:
    regs = queries.region_names(session)
    inds = queries.indicator_meta(session)
    plan = queries.plan_header(session)
    plan_region = plan["region_code"] if plan else None
    codes = _regions(session, plan_region)
    _, all_rows = queries.target_rows(session)
    for r in all_rows:  # regions with targets of their own (the province, a zone) come after
        if r["region_code"] not in codes:
            codes.append(r["region_code"])
    if region:
        if region not in regs:
            raise ValidationError(f"unknown region {region!r}", field="region")
        codes = [region]
    if indicator and indicator not in inds:
        raise ValidationError(f"unknown indicator {indicator!r}", field="indicator")
    sections: list[dict[str, Any]] = []
    for code in codes:
        rows = [r for r in all_rows if r["region_code"] == code
                and (not indicator or r["indicator"] == indicator)]
        ind_codes = sorted({r["indicator"] for r in rows})
        series = queries.series(session, code, ind_codes)
        quality = queries.qualities(session, [code], ind_codes)
        judged = {row["id"]: t for row, t in region_targets(
            session, code, as_of, [indicator] if indicator else None)}
        out_rows = []
        for r in rows:
            meta = inds.get(r["indicator"], {})
            ev = evaluate_row(r, judged[r["id"]], lang)
            actual = yearly(series.get(r["indicator"], [])).get(int(r["target_period"][:4]))
            outcome = target_outcome(ev, r["target_period"])
            out_rows.append({
                "id": r["id"], "indicator": r["indicator"],
                "indicator_name": name(meta, lang, r["indicator"]),
                "unit": r["unit"] or meta.get("unit", ""), "kind": r["kind"],
                "target_period": r["target_period"], "target_text": ev["target_text"],
                "value": r["value"], "value_high": r["value_high"],
                "binding": r["binding"], "qualifier": r["qualifier"],
                "actual": actual, "actual_text": fmt_number(actual),
                "current": ev["current"], "current_text": fmt_number(
                    None if ev["current"] is None else round(ev["current"], 2)),
                "eval_year": ev["year"], "since": ev["since"], "measured": ev["measured"],
                "gap": ev["gap"],  # a figure's source quality; a span's figure is computed
                "current_quality": quality.get((code, r["indicator"], str(ev["year"])))
                if ev["year"] and ev["since"] is None else None,
                "gap_text": "" if ev["gap"] is None else f"{ev['gap']:+.2f}",
                "outcome": outcome, "status": ev["status"], "colour": ev["colour"],
                "arrow": ev["arrow"], "label": ev["label"], "explanation": ev["explanation"],
                "plan": r["plan"], "source_url": r["source_url"], "excerpt": r["excerpt"],
                "source_quality": r.get("source_quality", ""),
                "machine_read": bool(r.get("machine_read")),
            })
        charts = _charts(out_rows, series, lang)
        sections.append({"code": code, "name": name(regs.get(code), lang, code),
                         "is_plan_region": code == plan_region, "targets": out_rows,
                         "charts": charts, "counts": outcome_counts(out_rows)})
    summary = outcome_counts([r for sec in sections for r in sec["targets"]])
    return {"regions": sections, "summary": summary, "plan_region": plan_region,
            "filter": {"region": region or "", "indicator": indicator or ""},
            "legend": [status_badge(s, lang) for s in STATUS_ORDER]}


def outcome_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many of ``rows`` are met, missed and open (:func:`target_outcome`), and in all.

    Examples
    --------
    >>> outcome_counts([{"outcome": "met"}, {"outcome": "open"}, {"outcome": "met"}])
    {'met': 2, 'missed': 0, 'open': 1, 'total': 3}
    """
    out = {"met": 0, "missed": 0, "open": 0, "total": len(rows)}
    for r in rows:
        out[r["outcome"]] += 1
    return out


def target_outcome(ev: dict[str, Any], target_period: str) -> str:
    """``met`` (achieved), ``missed`` (the target year has a figure and it falls short) or
    ``open`` (the target year is still ahead, or has no figure yet)."""
    if ev["status"] == "achieved":
        return "met"
    if ev["status"] == "missed":
        return "missed"
    return "open"


def _charts(rows: list[dict[str, Any]], series: dict, lang: str) -> list[dict[str, Any]]:
    """One chart per indicator with two or more yearly targets: target line, actual bars."""
    by_ind: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["kind"] == "annual_growth" and r["qualifier"] != "力争":
            by_ind.setdefault(r["indicator"], []).append(r)
    charts = []
    for code, rs in by_ind.items():
        if len(rs) < 2:
            continue
        years = sorted({r["target_period"] for r in rs})
        vals = {r["target_period"]: r for r in rs}
        actual = yearly(series.get(code, []))
        if not any(int(y) in actual for y in years):
            continue  # nothing to compare yet: the table says so
        charts.append({
            "kind": "target_actual", "title": rs[0]["indicator_name"], "indicator": code,
            "unit": unit_label(rs[0]["unit"], lang),
            "categories": years,
            "target": [vals[y]["value"] for y in years],
            "actual": [actual.get(int(y)) for y in years],
            "colours": [HEX.get(vals[y]["colour"], HEX["grey"]) for y in years],
            "labels": {"target": "目标" if lang == "zh" else "Target",
                       "actual": "实际（颜色表示状态）" if lang == "zh"
                       else "Actual (colour: status)"},
        })
    return charts
