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

from sqlalchemy.orm import Session

from lantu.domain import Period, Target, ValidationError
from lantu.reports import progress
from lantu.store import repo

FLAG_LABELS = {"preliminary": "初步数", "revised": "修订数", "estimated": "估计数",
               "imputed": "插补值", "weak_source": "转引"}
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
        "series": {c: dict(series[c]) for c in sorted(seen_inds) if len(series.get(c, {})) >= 2},
        "indicator_names": {c: (inds[c].name_zh, inds[c].unit) for c in inds},
        "sources": book.items,
    }


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
WARNING = {"red": ("红色", "FFC7CE"), "yellow": ("黄色", "FFEB9C"), "green": ("绿色", "C6EFCE")}
RED_AFTER_DAYS = 30


def warning_colour(days_late: int, *, due_soon: bool = False) -> str:
    """``red`` when more than :data:`RED_AFTER_DAYS` days late, ``yellow`` when late by fewer or
    due within the warning window, else ``green``.

    Examples
    --------
    >>> warning_colour(45), warning_colour(3), warning_colour(0, due_soon=True), warning_colour(0)
    ('red', 'yellow', 'yellow', 'green')
    """
    if days_late > RED_AFTER_DAYS:
        return "red"
    if days_late > 0 or due_soon:
        return "yellow"
    return "green"


def bulletin_data(session: Session, month: str, *, warn_days: int = 7, to: str = "各有关单位",
                  issuer: str = "", when: date | None = None,
                  plan_code: str | None = None) -> dict[str, Any]:
    """What the supervision bulletin (督办通报) of ``month`` shows, derived from the plan's tasks
    and milestones (节点): what was due by the month's end, what is done, what is late.

    An item is a milestone of a task, or a task's own deadline (完成时限). It is *late* when its
    date is on or before the month's end and it was not done by then; *finished this month* when
    done within the month; *due soon* when its date falls within ``warn_days`` after the month's
    end. A department's colour is the worst colour of its items.

    Returns
    -------
    dict
        ``month``, ``totals``, ``departments`` (rows by lead department), ``late``,
        ``finished``, ``returned`` (empty here: returns come from progress reports) and ``rule``.
    """
    start, end = month_bounds(month)
    plan = repo.load_plan(session, plan_code)
    if plan is None:
        raise ValidationError("no plan in the database; run `lantu init --demo` or load one",
                              field="plan")
    depts = {d.code: d.name_zh for d in repo.departments(session)}
    rows = {n.code: n for n in repo.plan_node_rows(session, plan.code)}
    from datetime import timedelta

    soon = end + timedelta(days=warn_days)
    per_dept: dict[str, dict[str, Any]] = {}
    late, finished = [], []
    totals = defaultdict(int)
    for _, node in plan.walk():
        if node.kind != "task":
            continue
        row = rows[node.code]
        lead = node.lead or ""
        d = per_dept.setdefault(lead, {"code": lead, "name": depts.get(lead, lead or "未明确"),
                                       "tasks": 0, "due": 0, "finished": 0, "done_total": 0,
                                       "late": 0, "returned": 0, "colour": "green"})
        d["tasks"] += 1
        totals["tasks"] += 1
        items = [(m.title, m.due_date, m.done_on) for m in row.milestones]
        if node.due:
            done_on = node.due if row.status == "done" else None
            items.append(("按期完成全部任务", node.due, done_on))
        for title, due, done_on in items:
            totals["items"] += 1
            if due is None:
                continue
            done_by_end = done_on is not None and done_on <= end
            rec = {"task": node.title, "code": node.code, "item": title, "lead": d["name"],
                   "due": due, "done_on": done_on}
            if done_on is not None and start <= done_on <= end:
                finished.append(rec)
                d["finished"] += 1
                totals["finished"] += 1
            if due <= end:
                totals["due_total"] += 1
                if start <= due:
                    d["due"] += 1
                    totals["due"] += 1
                if done_by_end:
                    d["done_total"] += 1
                    totals["done_total"] += 1
                else:
                    days = (end - due).days
                    colour = warning_colour(days)
                    late.append({**rec, "days_late": days, "colour": colour})
                    d["late"] += 1
                    totals["late"] += 1
                    totals[colour] += 1
                    d["colour"] = _worse(d["colour"], colour)
            elif due <= soon and not done_by_end:
                d["colour"] = _worse(d["colour"], "yellow")
                totals["due_soon"] += 1
    late.sort(key=lambda r: (-r["days_late"], r["code"]))
    departments = sorted(per_dept.values(),
                         key=lambda d: (-_RANK[d["colour"]], -d["late"], d["name"]))
    return {
        "month": month, "month_label": f"{start.year}年{start.month}月", "start": start,
        "end": end, "plan": {"code": plan.code, "title": plan.title},
        "to": to, "issuer": issuer, "date": when or date.today(),
        "totals": dict(totals), "departments": departments, "late": late,
        "finished": finished, "returned": [], "source": "plan",
        "rule": (f"逾期超过{RED_AFTER_DAYS}天为红色预警，逾期{RED_AFTER_DAYS}天以内或月末后{warn_days}天内"
                 "到期为黄色预警，其余为绿色；单位预警取其事项中最重的颜色。"),
    }


_RANK = {"green": 0, "yellow": 1, "red": 2}


def _worse(a: str, b: str) -> str:
    return a if _RANK[a] >= _RANK[b] else b
