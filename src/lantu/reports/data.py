"""Gather what a report shows from the database, as plain dictionaries.

These functions read only through :mod:`lantu.store.repo`; the document builders take their
output, so documents can be built and tested without a database. Every number carries the
number of its source note (``ref``), and the sources are listed once each.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from lantu.domain import FLAGS, Period, Target, ValidationError
from lantu.i18n import translate
from lantu.reports import progress
from lantu.reports.colours import FILLS
from lantu.store import repo
from lantu.supervise.warnings import RED_AFTER_DAYS  # noqa: F401 - re-exported
from lantu.supervise.warnings import milestone_colour as warning_colour

#: the words of the flags: the locale's (the same as the pages show)
FLAG_LABELS = {f: translate("zh", f"flag.{f}") for f in FLAGS}
NODE_STATUS = {"not_started": "未启动", "in_progress": "推进中", "done": "已完成",
               "suspended": "暂停"}


@dataclass
class SourceBook:
    """Numbered data sources: the same URL and excerpt get the same number."""

    items: list[dict[str, str]] = field(default_factory=list)
    _index: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def ref(self, url: str, excerpt: str, label: str, file: str = "") -> int | None:
        if not (url or file or excerpt):
            return None
        key = (url or file, excerpt, "")
        if key not in self._index:
            self.items.append({"n": len(self.items) + 1, "label": label, "url": url or file,
                               "excerpt": excerpt})
            self._index[key] = len(self.items)
        return self._index[key]


def fmt_number(v: float | None, unit: str = "") -> str:
    """``5571.17``, ``64.4``, ``545.44``: at most two decimals, no trailing zeros."""
    if v is None:
        return "—"
    s = f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1e15 else f"{v:.3g}"
    return s.replace(",", "")


def target_text(t: Target) -> str:
    """A target without its unit (the table has a unit column): ``6.5``, ``8–8.5``, ``累计100``,
    ``7.5力争``."""
    v = fmt_number(t.value) if t.value_high is None else \
        f"{fmt_number(t.value)}–{fmt_number(t.value_high)}"
    prefix = "累计" if t.kind == "cumulative_change" else ""
    return f"{prefix}{v}{t.qualifier or ''}"


def _period_year(p: str) -> str:
    return f"{p}年" if Period.parse(p).kind == "year" else p


def _region_names(session: Session) -> dict[str, str]:
    return {r.code: r.name_zh for r in repo.regions(session)}


def _pick_plan(session: Session, region: str):
    for code in repo.plan_codes(session):
        plan = repo.load_plan(session, code)
        if plan is not None and plan.region_code == region:
            return plan
    return None


def _peer_groups(session: Session, region: str, group: str | None):
    """The group named by ``group`` (checked), else every group the region belongs to."""
    groups = repo.region_groups(session)
    if group:
        for g in groups:
            if g.code == group:
                if region not in g.members:
                    raise ValidationError(f"region {region} is not a member of group {group}",
                                          field="group")
                return [g]
        raise ValidationError(f"unknown region group {group!r}; known: "
                              f"{', '.join(g.code for g in groups) or 'none'}", field="group")
    return [g for g in groups if region in g.members]


def monitoring_data(session: Session, region: str, period: str, *, group: str | None = None,
                    to: str | None = None, issuer: str = "", when: date | None = None
                    ) -> dict[str, Any]:
    """Everything the monitoring report (监测报告) of ``region`` for ``period`` shows.

    Parameters
    ----------
    session
        An open session (read only).
    region, period
        A region code (GB/T 2260) and a period (``2023``).
    group
        Code of the peer group to compare with; default: the largest group the region is in.
    to, issuer, when
        主送机关 (default 市委、市政府 for a city, 省委、省政府 for a province), 发文机关 and
        成文日期 (default today).

    Returns
    -------
    dict
        ``region``, ``period``, ``plan``, ``sections`` (one per top-level goal or task, each with
        indicator ``rows``), ``summary`` counts, ``peers``, ``series`` (for the trend chart) and
        ``sources`` (numbered notes).
    """
    per = str(Period.parse(period))
    names = _region_names(session)
    if region not in names:
        raise ValidationError(f"unknown region {region!r} (not in the database)", field="region")
    regions = {r.code: r for r in repo.regions(session)}
    plan = _pick_plan(session, region)
    if plan is None:
        raise ValidationError(f"no plan for region {region} ({names[region]}) in the database; "
                              "run `lantu init --demo` or load a plan", field="region")
    inds = {i.code: i for i in repo.indicators(session)}
    depts = {d.code: d.name_zh for d in repo.departments(session)}
    obs = repo.observations_frame(session, regions=[region])
    series: dict[str, dict[str, float]] = defaultdict(dict)
    obs_rows: dict[tuple[str, str], dict] = {}
    for rec in obs.to_dict("records"):
        series[rec["indicator"]][rec["period"]] = rec["value"]
        obs_rows[(rec["indicator"], rec["period"])] = rec
    tgs: dict[str, list[Target]] = defaultdict(list)
    for t in repo.targets(session, regions=[region]):
        tgs[t.indicator_code].append(t)

    book = SourceBook()
    node_rows = {n.code: n for n in repo.plan_node_rows(session, plan.code)}
    cut = date(Period.parse(per).year, 12, 31) if Period.parse(per).kind == "year" else \
        Period.parse(per).end
    sections = []
    counts: dict[str, int] = defaultdict(int)
    seen_inds: set[str] = set()
    for top in plan.children:
        codes: list[str] = []
        for _, node in top.walk():
            codes.extend(c for c in node.indicators if c not in codes)
        rows, no_data, no_data_codes = [], [], []
        for code in codes:
            ind = inds[code]
            s = series.get(code, {})
            upto = sorted((p for p in s if Period.parse(p) <= Period.parse(per)), key=Period.parse)
            target = progress.pick_target(tgs.get(code, []), per)
            a = progress.assess(target, s, per, ind.direction)
            tr, rel = progress.trend(s, per, ind.direction)
            if not upto and target is None:
                no_data.append(ind.name_zh)
                no_data_codes.append(code)
                continue
            latest = upto[-1] if upto else None
            prev = upto[-2] if len(upto) >= 2 else None
            refs = []
            for p in (latest, prev):
                if p is None:
                    continue
                o = obs_rows[(code, p)]
                refs.append(book.ref(o["source_url"], o["excerpt"],
                                     f"{names[region]}{_period_year(p)}{ind.name_zh}",
                                     o.get("source_file", "")))
            if target is not None:
                refs.append(book.ref(target.source.url, target.source.excerpt,
                                     f"{names[region]}{ind.name_zh}目标（{target.plan}）",
                                     target.source.file))
            flags = obs_rows[(code, latest)]["flags"] if latest else ""
            rows.append({
                "code": code, "name": ind.name_zh, "unit": ind.unit, "direction": ind.direction,
                "period": latest, "value": s[latest] if latest else None,
                "current": latest == per,
                "prev_period": prev, "prev_value": s[prev] if prev else None,
                "trend": tr, "trend_label": progress.TREND[tr], "change": rel,
                "target": target_text(target) if target else None,
                "target_period": str(target.target_period) if target else None,
                "status": a.status, "status_label": a.label, "fill": a.fill,
                "ratio": a.result.ratio if a.result else None,
                "explanation": a.result.explanation_zh if a.result else a.reason,
                "flags": [FLAG_LABELS[f] for f in flags.split(";") if f],
                "refs": sorted({r for r in refs if r}),
            })
            if code not in seen_inds:
                seen_inds.add(code)
                counts[a.status] += 1
                counts["with_value"] += bool(upto)
                counts["current"] += latest == per
        nr = node_rows.get(top.code)
        tasks = [n for _, n in top.walk() if n.kind == "task" and n is not top]
        due = [n for n in tasks if n.due and n.due <= cut]
        done = [n for n in tasks if node_rows[n.code].status == "done"]
        sections.append({
            "code": top.code, "kind": top.kind, "title": top.title, "text": top.text,
            "lead": depts.get(top.lead or "", ""),
            "supporting": [depts.get(d, d) for d in top.supporting],
            "due": top.due, "status": NODE_STATUS.get(nr.status if nr else "", ""),
            "subtasks": len(tasks), "subtasks_due": len(due), "subtasks_done": len(done),
            "subtasks_overdue": len([n for n in due if node_rows[n.code].status != "done"]),
            "rows": rows, "no_data": no_data, "no_data_codes": no_data_codes,
        })
    counts["indicators"] = len({r["code"] for s in sections for r in s["rows"]}
                               | {c for s in sections for c in s["no_data_codes"]})
    level = regions[region].level
    return {
        "region": {"code": region, "name": names[region], "level": level},
        "period": per, "period_label": _period_year(per),
        "plan": {"code": plan.code, "title": plan.title, "source": plan.source_file},
        "to": to or ("省委、省政府" if level == "province" else "市委、市政府"),
        "issuer": issuer, "date": when or date.today(),
        "sections": sections, "summary": dict(counts),
        "peers": peer_comparison(session, region, per, group, book, inds, names),
        "index": peer_index_section(session, region, per, group, inds, names),
        "series": _series_upto(series, seen_inds, per),
        "indicator_names": {c: (inds[c].name_zh, inds[c].unit) for c in inds},
        "sources": book.items,
    }


def index_inputs(session: Session, region: str, period: str, group: str | None, inds: dict
                 ) -> tuple[Any, str, pd.DataFrame] | None:
    """The peer group, year and values of the composite index: among the groups the region is in
    and the years up to ``period``, the one with the most indicators (not neutral) that every
    member reports; at least 3 members and 3 indicators, else ``None``. Ties go to the later year.
    """
    from lantu.reports.index import MIN_INDICATORS, MIN_UNITS

    p = Period.parse(period)
    best = None
    for g in _peer_groups(session, region, group):
        if len(g.members) < MIN_UNITS:
            continue
        obs = repo.observations_frame(session, regions=list(g.members))
        if obs.empty:
            continue
        obs = obs[obs.period.map(lambda x: Period.parse(x) <= p and Period.parse(x).kind == "year")]
        for year, sub in obs.groupby("period"):
            wide = sub.pivot_table(index="region_code", columns="indicator", values="value")
            wide = wide.reindex(list(g.members))
            full = [c for c in wide.columns if wide[c].notna().all() and inds[c].direction != 0]
            key = (len(full), year)
            if len(full) >= MIN_INDICATORS and (best is None or key > best[0]):
                best = (key, g, year, wide[sorted(full)])
    return None if best is None else best[1:]


def peer_index_section(session: Session, region: str, period: str, group: str | None,
                       inds: dict, names: dict[str, str]) -> dict[str, Any] | None:
    """The index part of the report (see :mod:`lantu.reports.index`), or ``None`` when no group
    has enough complete data."""
    from lantu.reports.index import peer_index

    found = index_inputs(session, region, period, group, inds)
    if found is None:
        return None
    g, year, values = found
    result = peer_index(values, {c: inds[c].direction for c in values.columns})
    used = "、".join(inds[c].name_zh for c in values.columns)
    return {
        "name": f"{g.name_zh}{year}年综合发展指数", "group": g.code, "year": year,
        "indicators": list(values.columns),
        "intro": (f"综合发展指数以{g.name_zh}为比较范围，取{year}年各成员数据齐全的{len(values.columns)}"
                  f"项指标（{used}），按指标方向最小—最大标准化到1—100后等权算术平均合成。"
                  f"位次区间为聚合方法（算术或几何平均）和权重（各±25%）变动下{result['n']}次"
                  "模拟位次的5%—95%分位。"),
        "note": "注：指数仅由数据齐全的指标构成，指标较少，结果仅供参考，不作考核依据。",
        "rows": [{**r, "name": names.get(r["code"], r["code"])} for r in result["rows"]],
    }


def _series_upto(series: dict[str, dict[str, float]], codes: set[str], period: str
                 ) -> dict[str, dict[str, float]]:
    """Each indicator's values up to ``period`` (what the report may know), two or more only."""
    p = Period.parse(period)
    out = {}
    for c in sorted(codes):
        pts = {k: v for k, v in series.get(c, {}).items() if Period.parse(k) <= p}
        if len(pts) >= 2:
            out[c] = pts
    return out


def peer_comparison(session: Session, region: str, period: str, group: str | None,
                    book: SourceBook, inds: dict, names: dict[str, str]) -> dict[str, Any] | None:
    """Per indicator, the latest year up to ``period`` in which the region and at least one peer
    have values, the values of all members that year, and the region's rank (1 = best by the
    indicator's direction; neutral indicators are ranked by size)."""
    best = None
    for g in _peer_groups(session, region, group):
        found = _compare(session, region, period, g, inds, names)
        # the group with the most comparable indicators; the first in code order on a tie
        if best is None or len(found["rows"]) > len(best["rows"]):
            best = found
    if best is not None:
        for row in best["rows"]:  # number the sources of the chosen group only
            refs = {book.ref(r["source_url"], r["excerpt"],
                             f"{names.get(r['region_code'], r['region_code'])}"
                             f"{_period_year(row['period'])}{row['name']}", r.get("source_file", ""))
                    for r in row.pop("records")}
            row["refs"] = sorted(r for r in refs if r)
    return best


def _compare(session: Session, region: str, period: str, g, inds: dict,
             names: dict[str, str]) -> dict[str, Any]:
    obs = repo.observations_frame(session, regions=list(g.members))
    if obs.empty:
        return {"group": g.code, "name": g.name_zh, "members": list(g.members),
                "member_names": [names.get(m, m) for m in g.members], "rows": []}
    p = Period.parse(period)
    obs = obs[[Period.parse(x) <= p for x in obs["period"]]]
    rows = []
    for code, sub in obs.groupby("indicator", sort=True):
        years = sorted(set(sub.loc[sub.region_code == region, "period"]), key=Period.parse,
                       reverse=True)
        for y in years:
            same = sub[sub.period == y]
            if same.region_code.nunique() >= 2:
                break
        else:
            continue
        values = dict(zip(same.region_code, same.value))
        ind = inds[code]
        sign = -1 if ind.direction < 0 else 1
        ordered = sorted(values, key=lambda r: -sign * values[r])
        rows.append({"code": code, "name": ind.name_zh, "unit": ind.unit, "period": y,
                     "values": {m: values.get(m) for m in g.members},
                     "rank": ordered.index(region) + 1, "n": len(values),
                     "records": same.to_dict("records")})
    rows.sort(key=lambda r: (-Period.parse(r["period"]).year, r["code"]))
    return {"group": g.code, "name": g.name_zh, "members": list(g.members),
            "member_names": [names.get(m, m) for m in g.members], "rows": rows}


# -- supervision ----------------------------------------------------------------------------------


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of ``YYYY-MM``; a clear error for anything else."""
    try:
        p = Period.parse(month)
    except ValidationError:
        raise ValidationError(f"{month!r} is not a month (YYYY-MM)", field="month") from None
    if p.kind != "month":
        raise ValidationError(f"{month!r} is not a month (YYYY-MM)", field="month")
    last = calendar.monthrange(p.year, p.index)[1]
    return date(p.year, p.index, 1), date(p.year, p.index, last)


def task_rows(session: Session, *, department: str | None = None,
              plan_code: str | None = None) -> dict[str, Any]:
    """The task breakdown table (任务分解表): every task of the plan in plan order.

    ``department`` keeps only the tasks it leads or supports (what a reporter may see).
    """
    plan = repo.load_plan(session, plan_code)
    if plan is None:
        raise ValidationError("no plan in the database; run `lantu init --demo` or load one",
                              field="plan")
    depts = {d.code: d.name_zh for d in repo.departments(session)}
    if department is not None and department not in depts:
        raise ValidationError(f"unknown department {department!r}", field="department")
    rows_by_code = {n.code: n for n in repo.plan_node_rows(session, plan.code)}
    out = []
    numbers: list[int] = []
    for depth, node in plan.walk():
        if node.kind != "task":
            continue
        numbers = numbers[:depth + 1]
        numbers += [0] * (depth + 1 - len(numbers))
        numbers[depth] += 1
        if department and department != node.lead and department not in node.supporting:
            continue
        row = rows_by_code[node.code]
        ms = row.milestones
        done_ms = [m for m in ms if m.done_on]
        progress_text = f"{row.progress:g}%" if row.progress else ""
        if ms:
            progress_text = "；".join(x for x in (
                progress_text, f"节点{len(done_ms)}/{len(ms)}项完成") if x)
        out.append({
            "no": ".".join(str(n) for n in numbers), "depth": depth, "code": node.code,
            "title": node.title, "text": node.text, "lead": depts.get(node.lead or "", ""),
            "lead_code": node.lead or "",
            "supporting": "、".join(depts.get(d, d) for d in node.supporting),
            "due": node.due, "progress": progress_text or "—",
            "status": NODE_STATUS.get(row.status, row.status),
            "milestones": [{"title": m.title, "due": m.due_date, "done_on": m.done_on}
                           for m in ms],
        })
    return {"plan": {"code": plan.code, "title": plan.title}, "department": department,
            "department_name": depts.get(department or "", ""), "rows": out}


#: Warning colours: label and cell fill (the light fills offices print well).
WARNING = {c: (label, FILLS[c]) for c, label in
           (("red", "红色"), ("yellow", "黄色"), ("green", "绿色"))}


def bulletin_data(session: Session, month: str, *, warn_days: int = 7, to: str = "各有关单位",
                  issuer: str = "", when: date | None = None, today: date | None = None,
                  plan_code: str | None = None) -> dict[str, Any]:
    """What the supervision bulletin (督办通报) of ``month`` shows.

    The task view is the supervision workflow's own bulletin
    (:func:`lantu.store.supervision.bulletin`, the same figures as the web page): tasks finished
    (100 % report approved) in the month, tasks late at its end (red), progress reports returned
    in the month with the reviewer's comment, and each lead department's score and rank.

    Beside it, the milestones (节点) of the plan: a milestone is *late* when its date is before
    the month's end (as a task is) and it was not done by then; a milestone done within the month is
    listed as finished. A late milestone is red after :data:`RED_AFTER_DAYS` days, else yellow.

    A department is red with a late task, yellow with a late milestone or a returned report,
    else green.

    Parameters
    ----------
    today
        The day the bulletin is made (default: today); a month after it is refused.

    Returns
    -------
    dict
        ``month``, ``totals``, ``departments``, ``late`` (tasks), ``late_milestones``,
        ``finished``, ``finished_milestones``, ``returned`` and ``rule``.
    """
    from lantu.store import supervision as sv
    from lantu.supervise import WorkflowError

    start, end = month_bounds(month)
    today = today or date.today()
    try:
        b = sv.bulletin(session, month, today=today, warn_days=warn_days)
    except WorkflowError as exc:
        raise ValidationError(str(exc), field="month") from None
    cut = min(end, today)
    plan = repo.load_plan(session, plan_code)
    if plan is None:
        raise ValidationError("no plan in the database; run `lantu init --demo` or load one",
                              field="plan")
    depts = {d.code: d.name_zh for d in repo.departments(session)}
    rows = {n.code: n for n in repo.plan_node_rows(session, plan.code)}

    late_ms, done_ms = [], []
    for _, node in plan.walk():
        if node.kind != "task":
            continue
        for m in rows[node.code].milestones:
            rec = {"task": node.title, "code": node.code, "item": m.title,
                   "lead_code": node.lead or "", "lead": depts.get(node.lead or "", ""),
                   "due": m.due_date, "done_on": m.done_on}
            if m.done_on is not None and start <= m.done_on <= cut:
                done_ms.append(rec)
            if m.due_date and m.due_date < cut and not (m.done_on and m.done_on <= cut):
                days = (cut - m.due_date).days
                late_ms.append({**rec, "days_late": days, "colour": warning_colour(days)})
    late_ms.sort(key=lambda r: (-r["days_late"], r["code"]))

    def item(i, **extra):
        return {"code": i.code, "task": i.title, "lead_code": i.department,
                "lead": depts.get(i.department, i.department), "due": i.due, "on": i.on,
                "comment": i.comment, "colour": i.colour, **extra}

    late = [item(i, days_late=(cut - i.due).days if i.due else None) for i in b.late]
    late.sort(key=lambda r: (-(r["days_late"] or 0), r["code"]))
    departments = []
    for d in b.departments:
        n_ms = sum(1 for r in late_ms if r["lead_code"] == d.department)
        colour = "red" if d.late else "yellow" if (n_ms or d.returned) else "green"
        departments.append({"code": d.department, "name": depts.get(d.department, d.department),
                            "tasks": d.tasks, "finished": d.finished, "late": d.late,
                            "late_milestones": n_ms, "returned": d.returned,
                            "score": d.score, "rank": d.rank, "colour": colour})
    totals = {"tasks": sum(d["tasks"] for d in departments), "finished": len(b.finished),
              "late": len(late), "returned": len(b.returned),
              "late_milestones": len(late_ms), "finished_milestones": len(done_ms),
              "red_milestones": sum(r["colour"] == "red" for r in late_ms),
              "yellow_milestones": sum(r["colour"] == "yellow" for r in late_ms)}
    return {
        "month": month, "month_label": f"{start.year}年{start.month}月", "start": start,
        "end": cut, "plan": {"code": plan.code, "title": plan.title},
        "to": to, "issuer": issuer, "date": when or today, "totals": totals,
        "departments": departments, "late": late, "late_milestones": late_ms,
        "finished": [item(i) for i in b.finished], "finished_milestones": done_ms,
        "returned": [item(i) for i in b.returned], "source": "supervision",
        "rule": (f"单位有逾期任务为红色预警；有逾期节点或被退回的进展报告为黄色预警；其余为绿色。"
                 f"节点逾期超过{RED_AFTER_DAYS}天标红色，{RED_AFTER_DAYS}天以内标黄色。"
                 "得分＝100×（0.5×按期率＋0.3×报送率＋0.2×审核通过率），缺项按其余权重折算。"),
    }
