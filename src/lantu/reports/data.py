"""Gather what a report shows from the database, as plain dictionaries.

These functions read only through :mod:`lantu.store.repo`; the document builders take their
output, so documents can be built and tested without a database. Every number carries the
number of its source note (``ref``), and the sources are listed once each.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from lantu.domain import FLAGS, Period, Target, ValidationError
from lantu.domain.observations import measured
from lantu.domain.periods import read_month
from lantu.domain.plans import STATUSES
from lantu.engine.stats import rank_min
from lantu.evaluation.demo import is_demo
from lantu.i18n import translate
from lantu.reports import progress
from lantu.reports.colours import FILLS
from lantu.store import repo
from lantu.supervise.score import ScoreRule
from lantu.supervise.warnings import (
    RED_AFTER_DAYS,  # noqa: F401 - re-exported
    TaskWarning,
    warning,
)
from lantu.supervise.warnings import milestone_colour as warning_colour  # noqa: F401 - re-exported

#: the words of the flags: the locale's (the same as the pages show)
FLAG_LABELS = {f: translate("zh", f"flag.{f}") for f in (*FLAGS, "derived")}
#: the words of a task's status: the locale's (the pages said 未开始 where reports said 未启动)
NODE_STATUS = {s: translate("zh", f"status.{s}") for s in STATUSES}


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


def target_text(t: Target | Any) -> str:
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
                    to: str | None = None, issuer: str = "", when: date | None = None,
                    map_layer: str | None = None) -> dict[str, Any]:
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
    map_layer
        What colours the map of the province's cities (a layer of
        :func:`lantu.evaluation.maps.map_data`: an indicator, ``status:<indicator>``,
        ``goal:<node>`` or ``index``); default the peer index, else GDP.

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
    from lantu.evaluation.verdict import plan_for

    plan = repo.load_plan(session, plan_for(session, region)["code"])  # the verdict's rule
    assert plan is not None
    inds = {i.code: i for i in repo.indicators(session)}
    depts = {d.code: d.name_zh for d in repo.departments(session)}
    obs = repo.observations_frame(session, regions=[region])
    series: dict[str, dict[str, float]] = defaultdict(dict)
    obs_rows: dict[tuple[str, str], dict] = {}
    for rec in obs.to_dict("records"):
        series[rec["indicator"]][rec["period"]] = rec["value"]
        obs_rows[(rec["indicator"], rec["period"])] = rec
    from lantu.evaluation import evaluate, status_label

    p_per = Period.parse(per)
    if p_per.kind != "year":
        raise ValidationError(f"the monitoring report is yearly; got period {per!r}",
                              field="period")
    verdict = evaluate(session, region=region, year=p_per.year, plan=plan.code, group=group)
    ivs = {i.indicator: i for n in verdict.nodes for i in n.indicators}

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
            iv = ivs[code]  # the verdict's row: figure, target in force, status, reason
            if not s and iv.derived:  # e.g. the share of the province, computed from primacy
                s = series[code] = dict(iv.series)
                for p_, _v in iv.series:
                    obs_rows[(code, p_)] = {"source_url": iv.source_url, "excerpt": "",
                                            "flags": ";".join(iv.flags)}
            upto = sorted((p for p in s if Period.parse(p) <= Period.parse(per)), key=Period.parse)
            target = iv.target
            status = iv.status or "no_target"
            # the verdict's trend (series breaks, the stable band of the settings): one rule for
            # every view; the relative size of the move only where the verdict gives one
            tr = iv.trend
            rel = progress.trend(s, per, ind.direction)[1] if tr != "n/a" else None
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
                refs.append(book.ref(target.source_url, target.excerpt,
                                     f"{names[region]}{ind.name_zh}目标（{target.plan}）"))
            flags = obs_rows[(code, latest)]["flags"] if latest else ""
            # every target in force of the row (the one shown first): a year's target met beside
            # a five-year goal missed in its last year is two answers, both told (verdict15)
            judged_targets = [{"status": t.status, "horizon": t.horizon, "year": t.year,
                               "stretch": t.stretch}
                              for t in ([target] if target else []) + list(iv.others)]
            rows.append({
                "code": code, "name": ind.name_zh, "unit": ind.unit, "direction": ind.direction,
                "period": latest, "value": s[latest] if latest else None,
                "current": latest == per,
                "prev_period": prev, "prev_value": s[prev] if prev else None,
                # the source quality of each figure (a mark in the table, legend below it)
                "quality": obs_rows[(code, latest)].get("source_quality") if latest else None,
                "prev_quality": obs_rows[(code, prev)].get("source_quality") if prev else None,
                "trend": tr, "trend_label": progress.TREND[tr], "change": rel,
                "target": target_text(target) if target else None,
                "target_period": str(target.year) if target else None,
                "status": status, "status_label": status_label(iv.status, "zh")
                if iv.status else "—", "fill": progress.fill(iv.status),
                "explanation": iv.reason_zh,
                "flags": [FLAG_LABELS.get(f) or translate("zh", f"flag.{f}")
                          for f in flags.split(";") if f],
                "refs": sorted({r for r in refs if r}),
                "targets": judged_targets,
            })
            if code not in seen_inds:
                seen_inds.add(code)
                counts[status] += 1
                for t in judged_targets:  # every target in force, not only the one shown
                    counts["targets"] += 1
                    counts["t_" + t["status"]] += 1
                counts["with_value"] += bool(upto)
                counts["current"] += latest == per
        nr = node_rows.get(top.code)
        tasks = [n for _, n in top.walk() if n.kind == "task" and n is not top]
        due = [n for n in tasks if n.due and n.due <= cut]
        done = [n for n in tasks if node_rows[n.code].status == "done"]
        vn = verdict.node(top.code)
        sections.append({
            "code": top.code, "kind": top.kind, "title": top.title, "text": top.text,
            "verdict": vn.status, "verdict_label": status_label(vn.status, "zh"),
            "verdict_reason": vn.reason_zh,
            "goals": [{"code": c.code, "title": c.title, "status": c.status,
                       "label": status_label(c.status, "zh"), "reason": c.reason_zh}
                      for c in verdict.children(top.code)],
            "lead": depts.get(top.lead or "", ""),
            "supporting": [depts.get(d, d) for d in top.supporting],
            "due": top.due, "status": NODE_STATUS.get(nr.status if nr else "", ""),
            "subtasks": len(tasks), "subtasks_due": len(due), "subtasks_done": len(done),
            "subtasks_overdue": len([n for n in due if node_rows[n.code].status != "done"]),
            "rows": rows, "no_data": no_data, "no_data_codes": no_data_codes, "period": per,
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
        "demo": is_demo(session, plan.code),
        "peers": peer_comparison(session, region, per, group, book, inds, names),
        "index": (index := peer_index_section(session, region, per, group, inds, names)),
        "map": map_section(session, region, per, index, map_layer, plan.code),
        "series": _series_upto(series, seen_inds, verdict),
        "indicator_names": {c: (inds[c].name_zh, inds[c].unit) for c in inds},
        "sources": book.items,
        "verdict_index": verdict.index, "primacy": verdict.primacy,
    }


def peer_index_section(session: Session, region: str, period: str, group: str | None,
                       inds: dict, names: dict[str, str]) -> dict[str, Any] | None:
    """The report's part of the peer index (:func:`lantu.evaluation.peer_index.compute`, the
    same index and numbers as the comparison page and the API): the index of the period's year,
    else of the latest earlier year it can be built for; ``None`` when there is none."""
    import math

    from lantu.evaluation import peer_index
    from lantu.evaluation.verdict import index_for

    try:
        res = index_for(session, region, Period.parse(period).year, group)
    except ValidationError:
        return None
    if res is None:
        return None
    fw = res.framework
    ind_names = {i["code"]: i["name_zh"] for i in fw["indicators"]}
    unit_names = {u["region"]: u["name"] for u in res.units}
    used = "、".join(ind_names.values())
    filled = [{**c, "name": unit_names.get(c["region"], c["region"]),
               "indicator_name": ind_names.get(c["indicator"], c["indicator"]),
               "how": peer_index.fill_words(c, "zh")} for c in res.filled]
    half_up = lambda x: None if x is None else int(math.floor(x + 0.5))  # noqa: E731 (as the page)
    rows = [{"code": u["region"], "name": u["name"], "score": u["score"], "rank": u["rank"],
             "rank_low": half_up(u["rank_q5"]), "rank_high": half_up(u["rank_q95"])}
            for u in res.units if u["rank"] is not None]
    screened = [unit_names.get(s["region"], s["region"]) for s in res.screened]
    ua = res.ua
    return {
        "name": f"{res.group['name']}{res.year}年综合发展指数", "group": res.group["code"],
        "year": res.year, "indicators": list(ind_names),
        "intro": (f"综合发展指数以{res.group['name']}为比较范围，由{len(ind_names)}项指标（{used}）"
                  "构成，框架与方法同比较页面和数据接口。比值指标的分子分母取同一年份；某市缺数时"
                  "先以本市前后年份数值补足，仍缺失的取组内均值；按最小—最大标准化到0—100后逐级"
                  f"算术平均合成。位次区间为标准化、加总、插补方法和权重变动下{ua['n']}次模拟"
                  f"（随机种子{ua['seed']}）位次的5%—95%分位。"),
        "note": ("注：" + (f"{'、'.join(screened)}数据不足，未参与排名；" if screened else "")
                 + "指数结果仅供参考，不作考核依据。"),
        "rows": rows, "filled": filled,
    }


def map_section(session: Session, region: str, period: str, index: dict[str, Any] | None,
                layer: str | None = None, plan: str | None = None) -> dict[str, Any] | None:
    """The map of the province's cities: coloured by ``layer`` for the period's year (an
    indicator, a status or the index), by default by the peer index of the report's index year
    (its group outlined), else by GDP of the period's year; ``None`` without a map of the
    province."""
    from lantu.evaluation import maps, peer_index

    province = (_regions_parent(session, region))
    try:
        maps.map_file(province or "")
    except ValidationError:
        return None
    fw = peer_index.load_framework()
    if layer and layer != maps.INDEX_LAYER:
        return maps.map_data(session, province=province, year=Period.parse(period).year,
                             layer=layer, group=fw.group, plan=plan)
    if index is not None:
        return maps.map_data(session, province=province, year=index["year"], layer="index",
                             group=index["group"])
    return maps.map_data(session, province=province, year=Period.parse(period).year,
                         layer="gdp", group=fw.group)


def _regions_parent(session: Session, region: str) -> str | None:
    return next((r.parent for r in repo.regions(session) if r.code == region), None)


def _series_upto(series: dict[str, dict[str, float]], codes: set[str], verdict: Any
                 ) -> dict[str, dict[str, float]]:
    """Each indicator's yearly values over the verdict's span — the plan period from its base
    year up to the evaluated year (:meth:`lantu.evaluation.Verdict.in_span`) — two or more only."""
    out = {}
    for c in sorted(codes):
        pts = {k: v for k, v in series.get(c, {}).items()
               if Period.parse(k).kind == "year" and verdict.in_span(Period.parse(k).year)}
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


def _rank_among(values: dict[str, float], region: str, *, higher_is_better: bool) -> int | None:
    """``region``'s rank among ``values`` by the one ranking rule (:func:`lantu.engine.stats.
    rank_min`: ties share the best rank); None when its value is missing."""
    members = list(values)
    ranks = rank_min(np.array([values[m] for m in members], dtype=float),
                     descending=higher_is_better)
    r = ranks[members.index(region)]
    return None if np.isnan(r) else int(r)


def _compare(session: Session, region: str, period: str, g, inds: dict,
             names: dict[str, str]) -> dict[str, Any]:
    obs = repo.observations_frame(session, regions=list(g.members))
    if obs.empty:
        return {"group": g.code, "name": g.name_zh, "members": list(g.members),
                "member_names": [names.get(m, m) for m in g.members], "rows": []}
    p = Period.parse(period)
    obs = measured(obs)  # a figure known only as a bound is not ranked
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
        rank = _rank_among(values, region, higher_is_better=ind.direction >= 0)
        rows.append({"code": code, "name": ind.name_zh, "unit": ind.unit, "period": y,
                     "values": {m: values.get(m) for m in g.members},
                     "rank": rank, "n": len(values),
                     "records": same.to_dict("records")})
    rows.sort(key=lambda r: (-Period.parse(r["period"]).year, r["code"]))
    return {"group": g.code, "name": g.name_zh, "members": list(g.members),
            "member_names": [names.get(m, m) for m in g.members], "rows": rows}


# -- supervision ----------------------------------------------------------------------------------


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of ``YYYY-MM``; a clear error for anything else (the one reader of
    a typed month, :func:`lantu.domain.periods.read_month`)."""
    try:
        p = Period.parse(read_month(month))
    except ValueError as exc:
        raise ValidationError(f"{month!r} is not a month ({exc})", field="month") from None
    last = calendar.monthrange(p.year, p.index)[1]
    return date(p.year, p.index, 1), date(p.year, p.index, last)


def warning_said(w: TaskWarning, lang: str = "zh") -> str:
    """A task's warning as a table cell says it: its colour's word and, when not green, the
    reason (``wr.<reason>`` of the locale files), e.g. "逾期：已超过完成时限（2026-06-30）3 天仍未完成。"."""
    word = translate(lang, f"colour.{w.colour}")
    if w.colour == "green":
        return word
    return f"{word}{translate(lang, 'zh9.colon')}{translate(lang, f'wr.{w.reason}', **w.params)}"


def task_rows(session: Session, *, department: str | None = None,
              plan_code: str | None = None, today: date | None = None,
              warn_days: int = 7) -> dict[str, Any]:
    """The task breakdown table (任务分解表): every task of the plan in plan order.

    ``department`` keeps only the tasks it leads or supports (what a reporter may see). Each
    row's ``warning`` is :func:`lantu.supervise.warnings.warning` as of ``today`` (default: the
    machine's date), the one rule the task pages ask, and ``warning_text`` says it.
    """
    from lantu.store.supervision import FINISHED

    today = today or date.today()
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
        warned = warning(start=row.start_date, due=row.due_date, percent=row.progress,
                         done=row.status in FINISHED, today=today,
                         warn_days=warn_days)
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
            "warning": warned.colour, "warning_text": warning_said(warned),
            "milestones": [{"title": m.title, "due": m.due_date, "done_on": m.done_on}
                           for m in ms],
        })
    return {"plan": {"code": plan.code, "title": plan.title}, "department": department,
            "demo": is_demo(session, plan.code),
            "department_name": depts.get(department or "", ""), "rows": out}


def issuing_office(session: Session, region: str | None) -> str:
    """The office that issues a supervision bulletin when none is named: the supervision office
    (督查室) of the plan's region's government, e.g. 太原市人民政府督查室."""
    names = _region_names(session)
    return f"{names[region]}人民政府督查室" if region in names else "督查室"


#: Warning colours: label (the web's words, from the locale: 逾期/预警/正常) and cell fill (the
#: light fills offices print well).
WARNING = {c: (translate("zh", f"colour.{c}"), FILLS[c]) for c in ("red", "yellow", "green")}


def bulletin_data(session: Session, month: str, *, warn_days: int = 7, to: str = "各有关单位",
                  issuer: str = "", when: date | None = None, today: date | None = None,
                  plan_code: str | None = None, rule: ScoreRule | None = None) -> dict[str, Any]:
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
        ``finished``, ``finished_milestones``, ``returned``, ``rule`` and ``score_parts`` (each
        part's key, label and weight, read from the score rule; each department's ``parts``
        hold its values).
    """
    from lantu.config import get_settings
    from lantu.i18n import translate  # the texts of the parts, as on the web page
    from lantu.store import supervision as sv
    from lantu.supervise import WorkflowError
    from lantu.supervise.bulletin import (
        DEPARTMENT_COLOUR_RULE_ZH,
        MilestoneItem,
        department_colour,
        milestones_of_month,
    )

    rule = rule or get_settings().score_rule()
    start, end = month_bounds(month)
    today = today or date.today()
    try:
        b = sv.bulletin(session, month, today=today, warn_days=warn_days, rule=rule)
    except WorkflowError as exc:
        raise ValidationError(str(exc), field="month") from None
    cut = min(end, today)
    plan = repo.load_plan(session, plan_code)
    if plan is None:
        raise ValidationError("no plan in the database; run `lantu init --demo` or load one",
                              field="plan")
    depts = {d.code: d.name_zh for d in repo.departments(session)}
    rows = {n.code: n for n in repo.plan_node_rows(session, plan.code)}

    # the milestones' lateness and the departments' warnings are the supervision's rules
    # (lantu.supervise.bulletin): this function only lays them out
    finished = sv.finished_on(session, datetime.combine(cut, datetime.max.time()))
    late_m, done_m = milestones_of_month(
        (MilestoneItem(node.code, node.title, node.lead or "", m.title, m.due_date, m.done_on,
                       finished.get(rows[node.code].id))
         for _, node in plan.walk() if node.kind == "task"
         for m in rows[node.code].milestones), start, cut)

    def milestone(m: MilestoneItem, **extra: Any) -> dict[str, Any]:
        return {"task": m.task, "code": m.code, "item": m.item, "lead_code": m.department,
                "lead": depts.get(m.department, ""), "due": m.due, "done_on": m.done_on, **extra}

    late_ms = [milestone(x.milestone, days_late=x.days_late, colour=x.colour) for x in late_m]
    done_ms = [milestone(m) for m in done_m]

    def item(i, **extra):
        return {"code": i.code, "task": i.title, "lead_code": i.department,
                "lead": depts.get(i.department, i.department), "due": i.due, "on": i.on,
                "comment": i.comment, "colour": i.colour, **extra}

    late = [item(i, days_late=(cut - i.due).days if i.due else None) for i in b.late]
    late.sort(key=lambda r: (-(r["days_late"] or 0), r["code"]))
    departments = []
    for d in b.departments:
        n_ms = sum(1 for r in late_ms if r["lead_code"] == d.department)
        colour = department_colour(d, n_ms)
        departments.append({"code": d.department, "name": depts.get(d.department, d.department),
                            "tasks": d.tasks, "finished": d.finished, "late": d.late,
                            "late_milestones": n_ms, "returned": d.returned,
                            "score": d.score, "rank": d.rank, "colour": colour,
                            "parts": d.parts, "silent": d.silent})
    totals = {"tasks": sum(d["tasks"] for d in departments), "finished": len(b.finished),
              "late": len(late), "returned": len(b.returned),
              "late_milestones": len(late_ms), "finished_milestones": len(done_ms),
              "red_milestones": sum(r["colour"] == "red" for r in late_ms),
              "yellow_milestones": sum(r["colour"] == "yellow" for r in late_ms)}
    return {
        "month": month, "month_label": f"{start.year}年{start.month}月", "start": start,
        "end": cut, "plan": {"code": plan.code, "title": plan.title},
        "provisional_on": b.provisional_on,
        "demo": is_demo(session, plan.code),
        "to": to, "issuer": issuer or issuing_office(session, plan.region_code),
        "date": when or today, "totals": totals,
        "departments": departments, "late": late, "late_milestones": late_ms,
        "finished": [item(i) for i in b.finished], "finished_milestones": done_ms,
        "returned": [item(i) for i in b.returned], "source": "supervision",
        # the score's parts and weights, read from the one rule (lantu.supervise.score)
        "score_parts": [{"key": p.key, "label": translate("zh", "score." + p.key),
                         "weight": p.weight} for p in rule.parts],
        "rule": (DEPARTMENT_COLOUR_RULE_ZH + f"得分＝{rule.formula(lambda k: translate('zh', 'score.' + k))}；"
                 + translate("zh", "bl.score_rule")),
    }
