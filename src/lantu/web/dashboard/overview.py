"""Blueprint overview (蓝图总览) and the detail page of one goal or task.

Both render the verdict (:func:`lantu.evaluation.evaluate`) of the plan's region for a year
(``?year=``, default the latest year with data): each node's status and reason, its indicators
against the targets in force, its sub-goals (the positioning goals P0.1–P0.8 on the overview) —
and compute no status of their own. Task progress (done, on time, late) comes from the
supervision workflow.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from lantu.domain import ValidationError
from lantu.domain.observations import bound_of, bound_sign
from lantu.evaluation import Verdict, evaluate
from lantu.evaluation.verdict import IndicatorVerdict, NodeVerdict
from lantu.store import queries
from lantu.store.evidence import milestones_for
from lantu.web.dashboard.common import ViewCache, fmt_number, name, unit_label
from lantu.web.dashboard.status import STATUS_ORDER, status_badge

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


def indicator_row(iv: IndicatorVerdict, lang: str) -> dict[str, Any]:
    """One indicator of the verdict as a row of the overview and node pages."""
    status = iv.status or "no_target"
    badge = status_badge(iv.status, lang) if iv.status else {
        "colour": "grey", "arrow": "·", "label": status_label_none(lang)}
    return {"code": iv.indicator, "name": iv.name(lang), "unit": iv.unit,
            "latest_period": iv.period, "latest_value": iv.value,
            # a figure stated only as a bound ("5000亿元以上") is written as one, as every table
            # of the reports writes it (lantu.domain.observations.bound_sign)
            "latest_text": (bound_sign(bound_of(iv.flags)) + fmt_number(iv.value))
            if iv.value is not None else "–",
            "status": status, "colour": badge["colour"], "arrow": badge["arrow"],
            "label": badge["label"], "trend": iv.trend,
            "target_text": iv.target.text(lang, iv.unit) if iv.target else "",
            "target_machine_read": bool(iv.target and iv.target.machine_read),
            "explanation": iv.reason(lang), "before_plan": iv.before_plan,
            "current": iv.current, "source_url": iv.source_url, "quality": iv.quality,
            "series": [{"period": p, "value": v} for p, v in iv.series]}


def status_label_none(lang: str) -> str:
    from lantu.evaluation import status_label

    return status_label("no_target", lang)


def _rows(ivs: list[IndicatorVerdict], lang: str) -> list[dict[str, Any]]:
    order = (*STATUS_ORDER, "no_target")
    rows = [indicator_row(iv, lang) for iv in ivs]
    rows.sort(key=lambda r: (order.index(r["status"]), r["code"]))
    return rows


def node_summary(n: NodeVerdict, lang: str) -> dict[str, Any]:
    """A node's status as the pages show it: badge, reason, qualitative state."""
    return {"code": n.code, "title": n.title if lang == "zh" else n.title_en,
            "status": n.status, "state": n.state, "colour": n.colour,
            "badge": status_badge(n.status, lang), "reason": n.reason(lang),
            "milestones": n.milestones}


def _percents(nodes: list[queries.NodeRecord]) -> dict[int, float]:
    """Progress of each task: the percent of its lead department's latest approved report
    (the supervision workflow writes it on the task, and marks the task done at 100 %)."""
    return {n.id: n.progress for n in nodes}


CACHE = ViewCache(size=64)


def build_overview(session: Session, *, plan_code: str | None = None, lang: str = "zh",
                   today: date | None = None, year: int | None = None) -> dict[str, Any]:
    """The overview page as one dictionary (cached per state of the data and plan, language,
    day and year: see :func:`lantu.store.queries.state_version`; treat it as read-only).

    Returns
    -------
    dict with ``plan`` (header, or None when no plan is stored), ``region``, ``year``,
    ``today``, ``cards`` (one per top-level goal or task: ``status``, ``reason``,
    ``children`` with their statuses, ``progress``, ``indicators``) and ``legend``.
    """
    today = today or date.today()
    key = ("overview", queries.state_version(session), plan_code, lang, today, year)
    return CACHE.get_or_build(key, lambda: _overview(session, plan_code, lang, today, year))


def _verdict(session: Session, plan: dict[str, Any], year: int | None) -> Verdict:
    return evaluate(session, region=plan["region_code"], year=year, plan=plan["code"])


def _overview(session: Session, plan_code: str | None, lang: str, today: date,
              year: int | None) -> dict[str, Any]:
    plan = _context(session, plan_code)
    if plan is None:
        return {"plan": None, "cards": [], "today": today.isoformat(), "legend": _legend(lang)}
    v = _verdict(session, plan, year)
    nodes = queries.plan_nodes(session, plan["code"])
    kids = _children(nodes)
    by_code = {n.code: n for n in nodes}
    percents = _percents(nodes)
    cards = []
    for top in v.top():
        rec = by_code[top.code]
        tasks = _leaf_tasks(rec, kids)
        seen: dict[str, IndicatorVerdict] = {}
        for n in [top, *v.subtree(top.code)]:
            for iv in n.indicators:
                seen.setdefault(iv.indicator, iv)
        summary = node_summary(top, lang)
        cards.append({
            **summary, "id": rec.id, "kind": top.kind, "text": top.text,
            "progress": _progress_summary(tasks, today, percents),
            "indicators": _rows(list(seen.values()), lang),
            "children": [node_summary(c, lang) for c in v.children(top.code)],
        })
    return {"plan": plan, "title": plan["title"] if lang == "zh" else (plan["title_en"] or plan["title"]),
            "region": {"code": v.region, "name": v.region_name_zh if lang == "zh" else v.region_name_en},
            "year": v.year, "data_year": v.data_year, "demo": v.demo, "primacy": v.primacy,
            "index": v.index, "index_note": v.index_note,
            "today": today.isoformat(), "cards": cards, "legend": _legend(lang)}


def _legend(lang: str) -> list[dict[str, str]]:
    from lantu.analysis.targets import NODE_STATUSES

    return [status_badge(s, lang) for s in (*STATUS_ORDER, *NODE_STATUSES[1:5])]


def build_node(session: Session, code: str, *, plan_code: str | None = None, lang: str = "zh",
               today: date | None = None, year: int | None = None) -> dict[str, Any]:
    """The detail page of one goal or task: its text, sub-nodes with departments, dates, timing
    and milestones, and its indicators with their series and target status.

    Raises :class:`~lantu.domain.ValidationError` (field ``code``) for an unknown node.
    Cached like :func:`build_overview`.
    """
    today = today or date.today()
    key = ("node", queries.state_version(session), code, plan_code, lang, today, year)
    return CACHE.get_or_build(key, lambda: _node(session, code, plan_code, lang, today, year))


def _node(session: Session, code: str, plan_code: str | None, lang: str,
          today: date, year: int | None) -> dict[str, Any]:
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
    v = _verdict(session, plan, year)
    vn = v.node(code)
    seen: dict[str, IndicatorVerdict] = {}
    for n in [vn, *v.subtree(code)]:
        for iv in n.indicators:
            seen.setdefault(iv.indicator, iv)
    ind_rows = _rows(list(seen.values()), lang)
    statuses = {n.code: node_summary(n, lang) for n in v.subtree(code)}
    for c in sub[1:]:
        c["verdict"] = statuses.get(c["code"])
    chain = []
    p = node.parent_id
    while p is not None:
        chain.insert(0, {"code": by_id[p].code,
                         "title": by_id[p].title if lang == "zh" else by_id[p].title_en})
        p = by_id[p].parent_id
    leaf = _leaf_tasks(node, kids)
    summary = node_summary(vn, lang)
    shares = any(iv.derived == "primacy_share" for iv in vn.indicators)
    charts = [{"kind": "line", "title": r["name"], "unit": unit_label(r["unit"], lang),
               "categories": [s["period"] for s in r["series"]],
               "series": [{"name": r["name"], "data": [s["value"] for s in r["series"]]}],
               "targets": r.get("chart_targets", [])}
              for r in ind_rows if len(r["series"]) >= 2]
    return {"plan": plan, "node": sub[0], "breadcrumb": chain, "children": sub[1:],
            "progress": _progress_summary(leaf, today, percents), "indicators": ind_rows,
            "verdict": summary, "colour": summary["colour"], "badge": summary["badge"],
            "charts": charts, "year": v.year, "demo": v.demo,
            "primacy": v.primacy if shares else None,
            "today": today.isoformat(), "legend": _legend(lang),
            "milestones": milestones_for(session, v.region, node_codes=[node.code])}
