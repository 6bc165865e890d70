"""Blueprint overview (蓝图总览) and the detail page of one goal or task.

For each top-level node of the plan (the positioning goals and the seven tasks): how its tasks
stand (done, on time, late) and how its linked indicators stand against their targets (status
colour and trend arrow, computed by :mod:`lantu.analysis.targets`). The colour of a node follows
the rule of the SDG dashboards: the worse of its two worst indicator statuses (see
:func:`node_colour`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from lantu.domain import ValidationError
from lantu.store import queries
from lantu.store.evidence import milestones_for
from lantu.web.dashboard.common import ViewCache, fmt_number, name, unit_label
from lantu.web.dashboard.status import (
    STATUS_ORDER,
    evaluate_indicator,
    node_colour,
    status_badge,
)

TIMING = ("done", "on_time", "late")


def task_timing(node: queries.NodeRecord, today: date, percent: float | None = None) -> str:
    """``done``, ``late`` or ``on_time`` for one task.

    A task is done when its status says so or an approved progress report says 100 %; late when
    not done and its due date has passed; otherwise on time (also when it has no due date).

    Examples
    --------
    >>> from datetime import date
    >>> n = queries.NodeRecord(1, "T1.1", None, "task", "t", "t", "", 1, 0, None, (), None,
    ...                        date(2022, 6, 30), "in_progress", 0.0, (), (), "")
    >>> task_timing(n, date(2023, 1, 1))
    'late'
    """
    if node.status == "done" or (percent is not None and percent >= 100):
        return "done"
    if node.due is not None and node.due < today:
        return "late"
    return "on_time"


def _children(nodes: list[queries.NodeRecord]) -> dict[int | None, list[queries.NodeRecord]]:
    out: dict[int | None, list[queries.NodeRecord]] = {}
    for n in nodes:
        out.setdefault(n.parent_id, []).append(n)
    return out


def _descendants(node: queries.NodeRecord, kids: dict) -> list[queries.NodeRecord]:
    out: list[queries.NodeRecord] = []
    stack = list(kids.get(node.id, []))
    while stack:
        n = stack.pop(0)
        out.append(n)
        stack[:0] = kids.get(n.id, [])
    return out


def _leaf_tasks(node: queries.NodeRecord, kids: dict) -> list[queries.NodeRecord]:
    """The tasks under a node that have no sub-tasks (what departments report on)."""
    return [n for n in [node, *_descendants(node, kids)]
            if n.kind == "task" and not any(c.kind == "task" for c in kids.get(n.id, []))]


def _progress_summary(tasks: list[queries.NodeRecord], today: date,
                      percents: dict[int, float]) -> dict[str, Any]:
    counts = dict.fromkeys(TIMING, 0)
    for t in tasks:
        counts[task_timing(t, today, percents.get(t.id))] += 1
    total = len(tasks)
    return {"total": total, **counts,
            "done_pct": round(100 * counts["done"] / total) if total else 0,
            "late_pct": round(100 * counts["late"] / total) if total else 0}


def _context(session: Session, plan_code: str | None):
    plan = queries.plan_header(session, plan_code)
    if plan is None:
        if plan_code:
            raise ValidationError(f"unknown plan {plan_code!r}", field="plan")
        return None
    return plan


def _indicator_rows(session: Session, codes: list[str], region: str, today: date, lang: str,
                    inds: dict, targets_by_ind: dict, series: dict) -> list[dict[str, Any]]:
    rows = []
    for code in codes:
        meta = inds.get(code, {})
        ev = evaluate_indicator(series.get(code, []), targets_by_ind.get(code, []),
                                direction=meta.get("direction", 1), today=today, lang=lang)
        latest = series.get(code, [])[-1] if series.get(code) else None
        rows.append({"code": code, "name": name(meta, lang, code), "unit": meta.get("unit", ""),
                     "latest_period": latest[0] if latest else None,
                     "latest_value": latest[1] if latest else None,
                     "latest_text": fmt_number(latest[1]) if latest else "–",
                     **ev})
    rows.sort(key=lambda r: (STATUS_ORDER.index(r["status"]), r["code"]))
    return rows


def _percents(nodes: list[queries.NodeRecord]) -> dict[int, float]:
    """Progress of each task: the percent of its lead department's latest approved report
    (the supervision workflow writes it on the task, and marks the task done at 100 %)."""
    return {n.id: n.progress for n in nodes}


CACHE = ViewCache(size=64)


def build_overview(session: Session, *, plan_code: str | None = None, lang: str = "zh",
                   today: date | None = None) -> dict[str, Any]:
    """The overview page as one dictionary (cached per state of the data and plan, language
    and day: see :func:`lantu.store.queries.state_version`; treat it as read-only).

    Returns
    -------
    dict with ``plan`` (header, or None when no plan is stored), ``region``, ``today``,
    ``cards`` (one per top-level goal or task: ``progress``, ``indicators``, ``colour``) and
    ``legend``.
    """
    today = today or date.today()
    key = ("overview", queries.state_version(session), plan_code, lang, today)
    return CACHE.get_or_build(key, lambda: _overview(session, plan_code, lang, today))


def _overview(session: Session, plan_code: str | None, lang: str, today: date) -> dict[str, Any]:
    plan = _context(session, plan_code)
    if plan is None:
        return {"plan": None, "cards": [], "today": today.isoformat(), "legend": _legend(lang)}
    region = plan["region_code"]
    nodes = queries.plan_nodes(session, plan["code"])
    kids = _children(nodes)
    inds = queries.indicator_meta(session)
    regs = queries.region_names(session)
    linked = sorted({i for n in nodes for i in n.indicators})
    series = queries.series(session, region, linked) if region else {}
    targets_by_ind = _targets_by_indicator(session, region, linked)
    percents = _percents(nodes)
    cards = []
    for top in kids.get(None, []):
        tasks = _leaf_tasks(top, kids)
        codes = list(dict.fromkeys([*top.indicators,
                                    *(i for d in _descendants(top, kids) for i in d.indicators)]))
        ind_rows = _indicator_rows(session, codes, region, today, lang, inds, targets_by_ind,
                                   series)
        colour = node_colour([r["status"] for r in ind_rows])
        cards.append({
            "id": top.id, "code": top.code, "kind": top.kind,
            "title": top.title if lang == "zh" else top.title_en, "text": top.text,
            "progress": _progress_summary(tasks, today, percents),
            "indicators": ind_rows, "colour": colour, "badge": status_badge(colour, lang),
            "children": [{"code": c.code, "title": c.title if lang == "zh" else c.title_en}
                         for c in kids.get(top.id, [])],
        })
    return {"plan": plan, "title": plan["title"] if lang == "zh" else (plan["title_en"] or plan["title"]),
            "region": {"code": region, "name": name(regs.get(region), lang, region or "")},
            "today": today.isoformat(), "cards": cards, "legend": _legend(lang)}


def _targets_by_indicator(session: Session, region: str | None,
                          codes: list[str]) -> dict[str, list[dict[str, Any]]]:
    if not region or not codes:
        return {}
    _, rows = queries.target_rows(session, regions=[region], indicators=codes)
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["indicator"], []).append(r)
    return out


def _legend(lang: str) -> list[dict[str, str]]:
    return [status_badge(s, lang) for s in STATUS_ORDER]


def build_node(session: Session, code: str, *, plan_code: str | None = None, lang: str = "zh",
               today: date | None = None) -> dict[str, Any]:
    """The detail page of one goal or task: its text, sub-nodes with departments, dates, timing
    and milestones, and its indicators with their series and target status.

    Raises :class:`~lantu.domain.ValidationError` (field ``code``) for an unknown node.
    Cached like :func:`build_overview`.
    """
    today = today or date.today()
    key = ("node", queries.state_version(session), code, plan_code, lang, today)
    return CACHE.get_or_build(key, lambda: _node(session, code, plan_code, lang, today))


def _node(session: Session, code: str, plan_code: str | None, lang: str,
          today: date) -> dict[str, Any]:
    plan = _context(session, plan_code)
    if plan is None:
        raise ValidationError("no plan is stored", field="plan")
    nodes = queries.plan_nodes(session, plan["code"])
    node = next((n for n in nodes if n.code == code), None)
    if node is None:
        raise ValidationError(f"no goal or task {code!r} in plan {plan['code']}", field="code")
    kids = _children(nodes)
    by_id = {n.id: n for n in nodes}
    deps = queries.department_names(session)
    inds = queries.indicator_meta(session)
    region = plan["region_code"]
    percents = _percents(nodes)
    sub = []
    for d in [node, *_descendants(node, kids)]:
        sub.append({
            "code": d.code, "kind": d.kind, "depth": d.depth - node.depth,
            "title": d.title if lang == "zh" else d.title_en, "text": d.text,
            "lead": name(deps.get(d.lead), lang, d.lead or "") if d.lead else "",
            "supporting": [name(deps.get(s), lang, s) for s in d.supporting],
            "start": d.start.isoformat() if d.start else "", "due": d.due.isoformat() if d.due else "",
            "status": d.status, "percent": percents.get(d.id, d.progress),
            "timing": task_timing(d, today, percents.get(d.id)) if d.kind == "task" else "",
            "milestones": [{"title": t, "due": m.isoformat() if m else "",
                            "done": bool(done),
                            "late": bool(m and not done and m < today)}
                           for t, m, done in d.milestones],
            "note": d.note,
        })
    codes = list(dict.fromkeys([*node.indicators,
                                *(i for d in _descendants(node, kids) for i in d.indicators)]))
    series = queries.series(session, region, codes) if region else {}
    targets_by_ind = _targets_by_indicator(session, region, codes)
    ind_rows = _indicator_rows(session, codes, region, today, lang, inds, targets_by_ind, series)
    for r in ind_rows:
        r["series"] = [{"period": p, "value": v} for p, v in series.get(r["code"], [])]
    chain = []
    p = node.parent_id
    while p is not None:
        chain.insert(0, {"code": by_id[p].code,
                         "title": by_id[p].title if lang == "zh" else by_id[p].title_en})
        p = by_id[p].parent_id
    leaf = _leaf_tasks(node, kids)
    colour = node_colour([r["status"] for r in ind_rows])
    charts = [{"kind": "line", "title": r["name"], "unit": unit_label(r["unit"], lang),
               "categories": [s["period"] for s in r["series"]],
               "series": [{"name": r["name"], "data": [s["value"] for s in r["series"]]}],
               "targets": r.get("chart_targets", [])}
              for r in ind_rows if len(r["series"]) >= 2]
    return {"plan": plan, "node": sub[0], "breadcrumb": chain, "children": sub[1:],
            "progress": _progress_summary(leaf, today, percents), "indicators": ind_rows,
            "colour": colour, "badge": status_badge(colour, lang), "charts": charts,
            "today": today.isoformat(), "legend": _legend(lang),
            "milestones": milestones_for(session, region, node_codes=[node.code]) if region else []}
