"""Build the verdict of a region × year × plan from the database (see the package docstring).

Rules applied here (their thresholds and wording are in :mod:`lantu.analysis.targets` and
docs/analysis.md, "The verdict"):

* **Targets in force** (:func:`lantu.analysis.targets.in_force`): that year's yearly targets and
  the plan-period targets whose period covers it. Targets of other years are not part of the
  verdict (the targets page lists them all).
* **Which target an indicator shows**: its yearly target of the year (the main value before a
  stretch 力争 one), else the plan-period target with the nearest target year. Every other target
  in force is kept in ``others`` and counts for the node too; a 力争 stretch value never does.
* **Figure used**: the indicator's figure of the year, else its latest figure before it (then
  ``current`` is false and the reason says so); a figure from before the plan is marked
  ``before_plan`` — context, never a verdict.
* **Node status**: :func:`lantu.analysis.targets.node_status` on the statuses of the targets in
  force of the node's own and its descendants' indicators. A node with no target in force is
  ``qualitative``: its state (``evidence``, ``mixed``, ``no_evidence``, ``awaiting_review``) comes
  from its milestones and the trends of its indicators, and it gets no colour. Only milestones a
  person reviewed count (issue 10: extracted facts count after review); machine-read ones are
  listed (``reviewed`` false) and named in the reason, and a state resting on them alone is
  ``awaiting_review``.
* **Review** (:func:`lantu.domain.review.counting`, one rule for milestones and targets): a
  machine-read target beside a reviewed one of the same indicator, target year and kind is set
  aside; where none was reviewed the machine-read targets count, and a node judged only against
  machine-read targets says so in its reason ("judged only against machine-read targets").
* **Trend** (an arrow beside the status, never the status of a yearly target): the last step of
  the series up to the year, :func:`lantu.analysis.targets.trend`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from lantu.analysis import targets as tg
from lantu.analysis.series import segment_of
from lantu.cache import ViewCache
from lantu.config import get_settings
from lantu.domain import ValidationError
from lantu.domain.observations import BOUND_FLAGS, bound_of
from lantu.domain.periods import year_problem
from lantu.domain.review import Counting, counting, is_machine_read
from lantu.evaluation.demo import is_demo
from lantu.evaluation.derived import derived_records
from lantu.locale import plural, translate
from lantu.store import queries, repo


def status_label(status: str | None, lang: str) -> str:
    """The word for a target or node status, from the locale files (one wording everywhere)."""
    if not status:
        return "—" if lang == "zh" else "—"
    return translate(lang, f"verdict.status.{status}")


@dataclass
class TargetInForce:
    """A target in force in the evaluated year and its judgement."""

    value: float
    value_high: float | None
    qualifier: str | None
    year: int
    kind: str
    source_url: str
    plan: str
    binding: bool
    horizon: str
    status: str
    reason_zh: str
    reason_en: str
    current: float | None
    gap: float | None
    stretch: bool
    excerpt: str = ""
    machine_read: bool = False
    #: the year of the figure judged (``current``): the target year's own, or the latest one
    current_year: int | None = None
    #: the first year of the span ``current`` averages or sums (a growth held over a plan's
    #: years, a cumulative change), ``current_year`` its last; None for one year's figure
    since: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "value_high": self.value_high, "qualifier": self.qualifier,
                "year": self.year, "kind": self.kind, "source_url": self.source_url,
                "plan": self.plan, "binding": self.binding, "horizon": self.horizon,
                "status": self.status, "reason": self.reason_zh, "reason_en": self.reason_en,
                "current": self.current, "gap": self.gap, "machine_read": self.machine_read,
                "current_year": self.current_year, "since": self.since}

    def measured(self, lang: str) -> str:
        """What the figure judged (``current``) is, by its years: ``2021`` (that year's figure),
        ``2006–2010年均`` / ``2006–2010 average`` (a growth held over a plan's years),
        ``2022–2025累计`` / ``2022–2025 cumulative`` (a change since the base); empty without a
        figure. The one label every view puts beside the actual."""
        if self.current is None or self.current_year is None:
            return ""
        if self.since is None:
            return str(self.current_year)
        span = (f"{self.since}–{self.current_year}" if self.since < self.current_year
                else str(self.current_year))
        word = "average" if self.kind == "annual_growth" else "cumulative"
        return translate(lang, f"left14.measured.{word}", span=span)

    def text(self, lang: str, unit: str = "") -> str:
        """As a person writes it: ``2023年增长6.5%左右``, ``2023: growth about 6.5%``."""
        v = f"{self.value:g}" + (f"–{self.value_high:g}" if self.value_high is not None else "")
        pct = self.kind == "annual_growth" or unit in ("%", "％")
        u = "%" if pct else unit
        q = self.qualifier or ""
        if lang == "zh":
            pre = {"cumulative_change": "累计", "ceiling": "≤", "floor": "≥",
                   "annual_growth": "增长"}.get(self.kind, "")
            return f"{self.year}年{pre}{v}{u}{q}"
        q_en = {"左右": "about ", "以上": "at least ", "以内": "at most ",
                "力争": "strive for "}.get(q, "")
        pre = {"cumulative_change": "cumulative ", "ceiling": "≤ ", "floor": "≥ ",
               "annual_growth": "growth "}.get(self.kind, "")
        sep = "" if u in ("", "%") else " "
        return f"{self.year}: {pre}{q_en}{v}{sep}{tg.unit_en(u)}".strip()


@dataclass
class IndicatorVerdict:
    """One indicator of a node: the figure used, the target in force, status and reason."""

    indicator: str
    name_zh: str
    name_en: str
    unit: str
    direction: int
    value: float | None
    period: str | None
    source_url: str
    excerpt: str
    flags: list[str]
    current: bool
    before_plan: bool
    target: TargetInForce | None
    others: list[TargetInForce]
    status: str | None
    reason_zh: str
    reason_en: str
    trend: str
    series: list[tuple[str, float]] = field(default_factory=list)
    derived: str = ""
    quality: str | None = None

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def reason(self, lang: str) -> str:
        return self.reason_zh if lang == "zh" else self.reason_en

    def to_json(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "name": self.name_zh, "name_en": self.name_en,
                "value": self.value, "period": self.period, "unit": self.unit,
                "source_url": self.source_url, "quality": self.quality, "flags": self.flags,
                "current": self.current, "before_plan": self.before_plan,
                "derived": self.derived or None,
                "target": self.target.to_json() if self.target else None,
                "other_targets": [t.to_json() for t in self.others],
                "status": self.status, "reason": self.reason_zh, "reason_en": self.reason_en,
                "trend": self.trend}


@dataclass
class NodeVerdict:
    """A goal or task: its indicators, status and how it was reached, milestones."""

    code: str
    kind: str
    title: str
    title_en: str
    text: str
    depth: int
    parent: str | None
    status: str
    reason_zh: str
    reason_en: str
    indicators: list[IndicatorVerdict]
    counted: list[tuple[str, str]]
    milestones: list[dict[str, Any]]
    state: str | None = None
    note: str = ""

    @property
    def colour(self) -> str:
        return tg.NODE_COLOURS[self.status]

    def reason(self, lang: str) -> str:
        return self.reason_zh if lang == "zh" else self.reason_en

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "kind": self.kind, "title": self.title,
                "title_en": self.title_en, "parent": self.parent, "depth": self.depth,
                "status": self.status, "state": self.state, "colour": self.colour,
                "reason": self.reason_zh, "reason_en": self.reason_en,
                "counted": [{"indicator": i, "status": s} for i, s in self.counted],
                "indicators": [i.to_json() for i in self.indicators],
                "milestones": self.milestones}


@dataclass
class Verdict:
    """The one evaluation every view renders."""

    region: str
    region_name_zh: str
    region_name_en: str
    year: int
    plan: str
    plan_title: str
    plan_title_en: str
    plan_start: int | None
    demo: bool
    data_year: int | None
    nodes: list[NodeVerdict]
    index: dict[str, Any] | None
    index_note: str
    primacy: dict[str, Any] | None

    @property
    def base_year(self) -> int | None:
        """The plan's base year, the year before its first (十四五: 2020): paces are measured
        from it and charts start at it, never earlier."""
        return self.plan_start - 1 if self.plan_start is not None else None

    def in_span(self, year: int) -> bool:
        """Whether a year belongs to what the verdict's charts show: the plan period from its
        base year up to the evaluated year (no earlier, no later)."""
        return year <= self.year and (self.base_year is None or year >= self.base_year)

    def node(self, code: str) -> NodeVerdict:
        for n in self.nodes:
            if n.code == code:
                return n
        raise ValidationError(f"no goal or task {code!r} in plan {self.plan}", field="code")

    def top(self) -> list[NodeVerdict]:
        return [n for n in self.nodes if n.parent is None]

    def children(self, code: str) -> list[NodeVerdict]:
        return [n for n in self.nodes if n.parent == code]

    def subtree(self, code: str) -> list[NodeVerdict]:
        """The node's descendants in tree order."""
        out, stack = [], list(reversed(self.children(code)))
        while stack:
            n = stack.pop()
            out.append(n)
            stack.extend(reversed(self.children(n.code)))
        return out

    def counts(self) -> dict[str, int]:
        """How many indicators (each once) have each status."""
        seen: dict[str, str | None] = {}
        for n in self.nodes:
            for i in n.indicators:
                seen.setdefault(i.indicator, i.status)
        out: dict[str, int] = {}
        for st in seen.values():
            out[st or "no_target"] = out.get(st or "no_target", 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {"region": self.region, "region_name": self.region_name_zh,
                "region_name_en": self.region_name_en, "year": self.year, "plan": self.plan,
                "plan_title": self.plan_title, "plan_start": self.plan_start,
                "demo": self.demo, "data_year": self.data_year,
                "nodes": [n.to_json() for n in self.nodes],
                "index": self.index, "index_note": self.index_note or None,
                "primacy": self.primacy}


# -- building ------------------------------------------------------------------------------------

_CACHE: OrderedDict[tuple, Verdict] = OrderedDict()
_LOCK = threading.Lock()
_CACHE_SIZE = 256  # every city × year of the default fits (112)


def evaluate(session: Session, *, region: str | None = None, year: int | None = None,
             plan: str | None = None, group: str | None = None) -> Verdict:
    """The verdict of ``region`` in ``year`` on ``plan``.

    Parameters
    ----------
    session : an open session (read only)
    region : GB/T 2260 code; default the plan's region
    year : the evaluated year; default the latest year with a figure of the plan's indicators
    plan : plan code; default the first plan stored
    group : peer group of the index; default the peer index's own choice

    Raises
    ------
    lantu.domain.ValidationError
        Unknown plan, region or group (naming the field), or no plan stored.

    Cached per state of the database (:func:`lantu.store.queries.state_version`); treat the
    result as read-only.
    """
    header = _stored_plan(session, plan)
    region = region or header["region_code"]
    names = queries.region_names(session)
    if region not in names:
        raise ValidationError(f"unknown region {region!r}", field="region")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                             or year_problem(year)):
        raise ValidationError(f"year must be a year such as 2023; got {year!r}", field="year")
    if group is not None and queries.group_members(session, group) is None:
        raise ValidationError(f"unknown region group {group!r}", field="group")
    header = plan_for(session, region, plan)
    bind = session.get_bind()
    key = (str(bind.url), queries.state_version(session), region, year, header["code"], group)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    verdict = _build(session, header, region, year, group, names)
    with _LOCK:
        _CACHE[key] = verdict
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return verdict


def _stored_plan(session: Session, plan: str | None) -> dict[str, Any]:
    header = queries.plan_header(session, plan)
    if header is None:
        if plan:
            raise ValidationError(f"unknown plan {plan!r}", field="plan")
        raise ValidationError("no plan is stored; run `lantu init --demo` or load one",
                              field="plan")
    return header


def plan_for(session: Session, region: str, plan: str | None = None) -> dict[str, Any]:
    """The plan that applies to ``region`` — one rule, asked by the verdict (``lantu evaluate``,
    the API, the pages) and the monitoring report alike: **a plan applies to its own region**
    (Taiyuan's blueprint to 太原市; Shanxi or another city is not judged on it). ``plan`` names
    one (refused when it is another region's); without it, the first plan stored of ``region``.
    A region without a plan of its own still has its targets judged, each by its own
    (:func:`target_statuses`: the targets page, the maps, the explorer).

    Raises
    ------
    lantu.domain.ValidationError
        Unknown plan; no plan stored; the plan named is another region's; or none is the
        region's (field ``region``, naming the plans stored and their regions).
    """
    if plan:
        header = _stored_plan(session, plan)
        if header["region_code"] != region:
            raise ValidationError(f"plan {plan} is the plan of region {header['region_code']}, "
                                  f"not of region {region}", field="region")
        return header
    _stored_plan(session, None)
    stored = queries.plans(session)
    own = [p for p in stored if p["region_code"] == region]
    if not own:
        known = ", ".join(f"{p['code']} ({p['region_code']})" for p in stored)
        raise ValidationError(f"no plan of region {region} is stored (plans: {known}); its "
                              "targets are judged on the targets page", field="region")
    return own[0]


def target_statuses(session: Session, region: str, year: int,
                    indicators: list[str] | None = None) -> dict[str, IndicatorVerdict]:
    """The targets of ``region`` itself in force in ``year``, judged by the verdict's rule
    (:func:`_indicator`: figures of the year's side of a series break, bounds, the review rule),
    without a plan: one :class:`IndicatorVerdict` per indicator with a target of the region (or
    per indicator asked). What a view of any region asks — the maps' status layers, the
    explorer's status filter — where a plan's goals are judged only for the plan's own region
    (:func:`plan_for`). Status and reason equal the verdict's for the plan's region."""
    if region not in queries.region_names(session):
        raise ValidationError(f"unknown region {region!r}", field="region")
    meta = queries.indicator_meta(session)
    records, by_ind, breaks, _ = _region_inputs(session, region, indicators)
    codes = indicators if indicators is not None else sorted(by_ind)
    primacy = primacy_of(session, region, year)
    rules = get_settings().status
    return {c: _indicator(c, meta.get(c, {}), records.get(c, {}), by_ind.get(c, []), year, None,
                          primacy, rules, breaks.get(c, [])) for c in codes}


def _region_inputs(session: Session, region: str, indicators: list[str] | None):
    """The yearly figures, targets and series breaks of ``region`` (of ``indicators``; None or
    an empty list: all), by indicator, and the latest year with a figure."""
    obs = repo.observations_frame(session, regions=[region], indicators=indicators or None)
    yearly_obs = obs[obs["period"].astype(str).str.fullmatch(r"\d{4}")]
    records: dict[str, dict[int, dict[str, Any]]] = {}
    for rec in yearly_obs.to_dict("records"):
        records.setdefault(rec["indicator"], {})[int(rec["period"])] = rec
    _, trows = queries.target_rows(session, regions=[region], indicators=indicators or None)
    by_ind: dict[str, list[dict[str, Any]]] = {}
    for r in trows:
        by_ind.setdefault(r["indicator"], []).append(r)
    for code in (set(by_ind) & queries.formula_codes(session)) - set(records):  # derived figures
        records.update(derived_records(session, region, code))
    from lantu.store.evidence import series_breaks

    breaks: dict[str, list[str]] = {}
    for b in series_breaks(session, regions=[region]):
        breaks.setdefault(b["indicator"], []).append(str(b["period"]))
    years = yearly_obs["period"].astype(int).tolist()
    return records, by_ind, breaks, years


def _year_of(p: Any) -> int | None:
    text = str(p or "").strip()
    return int(text) if len(text) == 4 and text.isdigit() else None


def _spec(row: dict[str, Any]) -> tg.TargetSpec:
    return tg.TargetSpec(
        region_code=row["region_code"], indicator_code=row["indicator"],
        base_period=_year_of(row.get("base_period")), base_value=row.get("base_value"),
        target_period=_year_of(row["target_period"]), kind=row["kind"], value=row["value"],
        value_high=row.get("value_high"), qualifier=row.get("qualifier") or None,
        binding=bool(row.get("binding")), unit=row.get("unit") or None,
        plan=row.get("plan") or None)


def judge_target(row: dict[str, Any], years: dict[int, float], indicator: Mapping[str, Any],
                 year: int | None, bounds: dict[int, str] | None = None) -> TargetInForce:
    """One target row (:func:`lantu.store.queries.target_rows`) judged as of ``year`` (``None``:
    as of its latest figure) — the same call the targets page makes for every target.

    ``indicator`` is the indicator's catalogue entry (:func:`lantu.store.queries.indicator_meta`):
    its ``direction``, ``flow`` (a cumulative target sums the yearly figures) and ``rate``
    (the yearly figures are rates of change a cumulative target compounds)."""
    rules = get_settings().status
    direction = int(indicator.get("direction", 1) or 0)
    try:
        spec = _spec(row)
        res = tg.evaluate_target(
            spec, years, direction if direction in (-1, 0, 1) else 1, as_of=year, rules=rules,
            bounds=bounds, rate=_rate(row, indicator),
            accumulate=row["kind"] == "cumulative_change" and bool(indicator.get("flow")))
        status, zh, en = res.status, res.explanation_zh, res.explanation_en
        horizon, current, gap = res.horizon, res.current, res.gap
        when, since = (res.year, res.since) if current is not None else (None, None)
    except ValueError as exc:  # a target the analysis refuses: said, never a crash
        status, zh, en, horizon, current, gap = "no_data", str(exc), str(exc), "yearly", None, None
        when = since = None
    return TargetInForce(
        value=row["value"], value_high=row.get("value_high"), qualifier=row.get("qualifier"),
        year=_year_of(row["target_period"]) or 0, kind=row["kind"],
        source_url=row.get("source_url") or "", plan=row.get("plan") or "",
        binding=bool(row.get("binding")), horizon=horizon, status=status, reason_zh=zh,
        reason_en=en, current=current, gap=gap, stretch=row.get("qualifier") == "力争",
        excerpt=row.get("excerpt") or "", machine_read=is_machine_read(row),
        current_year=when, since=since)


def _same_side(years: dict[int, float], year: int, breaks: list[str] | None) -> dict[int, float]:
    """The figures on ``year``'s side of a series break (all of them without a break)."""
    side = segment_of(str(year), breaks or [])
    return {y: v for y, v in years.items() if segment_of(str(y), breaks or []) == side}


def judge_rows(rows: list[dict[str, Any]], years: dict[int, float],
               recs: Mapping[int, Mapping[str, Any]], indicator: Mapping[str, Any], year: int,
               breaks: list[str] | None = None) -> list[tuple[dict[str, Any], TargetInForce]]:
    """Target rows of one region × indicator judged as of ``year`` by the verdict's one rule:
    only the figures on the year's side of a series break, and a figure stated as a bound
    (flags ``lower_bound``/``upper_bound`` of ``recs``) judged as a bound. The verdict asks it
    for the targets in force (:func:`_indicator`), the targets page and the API for every target
    of a region (:func:`region_targets`) — so a view never judges a target otherwise."""
    same = _same_side(years, year, breaks)
    return [(r, judge_target(r, same, indicator, year, figure_bounds(recs))) for r in rows]


def figure_bounds(recs: Mapping[int, Mapping[str, Any]]) -> dict[int, str]:
    """Year → ``"lower_bound"``/``"upper_bound"`` of the figures stated only as a bound
    (:func:`lantu.domain.observations.bound_of` on their flags): what the status and the
    trend take as a bound, not as the value."""
    return {y: b for y, r in recs.items() if (b := bound_of(r.get("flags") or ""))}


def region_targets(session: Session, region: str, year: int,
                   indicators: list[str] | None = None) -> list[tuple[dict[str, Any], TargetInForce]]:
    """Every target of ``region`` (of ``indicators``) judged as of the evaluated ``year`` by the
    verdict's rule (:func:`judge_rows`) — in force or not: a target of a later year is judged on
    the figures up to ``year`` (a yearly one is then ``pending``, a plan target gets its pace), a
    past one on its own year's figure. What the targets page and the API's ``/targets`` show."""
    meta = queries.indicator_meta(session)
    records, by_ind, breaks, _ = _region_inputs(session, region, indicators)
    out: list[tuple[dict[str, Any], TargetInForce]] = []
    for code, rows in by_ind.items():
        recs = records.get(code, {})
        years = {y: float(r["value"]) for y, r in recs.items()}
        out.extend(judge_rows(rows, years, recs, meta.get(code, {}), year, breaks.get(code, [])))
    return out


def evaluated_year(session: Session, regions: list[str], year: int | None = None) -> int:
    """The year a view judges as of: ``year`` when asked; else the year the plan's verdict shows
    by default (:func:`default_year`) — the plan of one of ``regions`` if it has one, else the
    plan there is (a peer's targets are judged as of the same year as the plan region's, on
    the page and in the API alike, whichever regions a filter names); with no plan, the default
    year of the regions' figures. The one rule a view that lists targets follows, so its
    statuses are the verdict's of the same year."""
    if year is not None:
        return year
    plans = queries.plans(session)
    own = [p for p in plans if not regions or p["region_code"] in regions] or plans
    if own:
        return evaluate(session, region=own[0]["region_code"]).year
    obs = repo.observations_frame(session, regions=regions or None)
    periods = obs[obs["period"].astype(str).str.fullmatch(r"\d{4}")]["period"].astype(int).tolist()
    return default_year(periods, None)


def _rate(row: dict[str, Any], indicator: Mapping[str, Any]) -> str | None:
    """The sense of the yearly rates a cumulative target compounds (None: not a rate)."""
    if row["kind"] != "cumulative_change" or not indicator.get("flow"):
        return None
    return indicator.get("rate") or None


def _in_force(row: dict[str, Any], year: int) -> bool:
    try:
        return tg.in_force(_spec(row), year)
    except ValueError:
        return False


def _pick(targets: list[tuple[dict[str, Any], TargetInForce]]) -> int:
    """Index of the target an indicator shows: its yearly one (main before 力争), else the plan
    target with the nearest target year."""
    def key(i: int) -> tuple:
        row, t = targets[i]
        return (t.horizon != "yearly", t.stretch, t.year, row.get("id") or 0)
    return min(range(len(targets)), key=key)


#: What every region's verdict on a plan reads alike — its nodes and the indicator catalogue —
#: read once per state of the database, not once per region-year.
_PLAN_CACHE = ViewCache(size=8)


def _plan_parts(session: Session, plan: str) -> dict[str, Any]:
    key = (str(session.get_bind().engine.url), queries.state_version(session), plan)
    return _PLAN_CACHE.get_or_build(key, lambda: {
        "nodes": queries.plan_nodes(session, plan), "meta": queries.indicator_meta(session)})


def _build(session: Session, header: dict[str, Any], region: str, year: int | None,
           group: str | None, names: dict) -> Verdict:
    parts = _plan_parts(session, header["code"])
    nodes, meta = parts["nodes"], parts["meta"]
    linked = sorted({i for n in nodes for i in n.indicators})
    records, by_ind, breaks, years = _region_inputs(session, region, linked)
    data_year = max(years) if years else None
    starts = [n.start.year for n in nodes if n.start is not None]
    plan_start = min(starts) if starts else None
    if year is None:
        year = default_year(years, plan_start)
    primacy = primacy_of(session, region, year)
    facts = _milestone_facts(session, region, year)
    rules = get_settings().status

    ind_cache: dict[str, IndicatorVerdict] = {}

    def indicator(code: str) -> IndicatorVerdict:
        if code not in ind_cache:
            ind_cache[code] = _indicator(code, meta.get(code, {}), records.get(code, {}),
                                         by_ind.get(code, []), year, plan_start, primacy, rules,
                                         breaks.get(code, []))
        return ind_cache[code]

    kids: dict[int | None, list[queries.NodeRecord]] = {}
    for n in nodes:
        kids.setdefault(n.parent_id, []).append(n)
    by_id = {n.id: n for n in nodes}

    def below(n: queries.NodeRecord) -> list[queries.NodeRecord]:
        out, stack = [], list(kids.get(n.id, []))
        while stack:
            d = stack.pop(0)
            out.append(d)
            stack[:0] = kids.get(d.id, [])
        return out

    # a milestone is evidence of the nodes it names and of their ancestors (T1.2 → T1.2, T1)
    facts_of: dict[str, list[int]] = {}
    for k, m in enumerate(facts):
        for c in m["nodes"]:
            parts = c.split(".")
            for depth in range(1, len(parts) + 1):
                facts_of.setdefault(".".join(parts[:depth]), []).append(k)
    out_nodes = []
    for n in nodes:
        own = [indicator(c) for c in n.indicators]
        allcodes = list(dict.fromkeys([*n.indicators, *(c for d in below(n) for c in d.indicators)]))
        every = [indicator(c) for c in allcodes]
        milestones = [{**facts[k], "before_plan": plan_start is not None
                       and facts[k]["year"] < plan_start}
                      for k in sorted(set(facts_of.get(n.code, [])))]
        out_nodes.append(_node(n, by_id, own, every, milestones, year))

    index, index_note = _peer_index(session, region, year, group)
    return Verdict(
        region=region, region_name_zh=names[region]["zh"], region_name_en=names[region]["en"],
        year=year, plan=header["code"], plan_title=header["title"],
        plan_title_en=header.get("title_en") or header["title"], plan_start=plan_start,
        demo=is_demo(session, header["code"]), data_year=data_year,
        nodes=out_nodes, index=index, index_note=index_note, primacy=primacy)


def default_year(periods: list[int], plan_start: int | None) -> int:
    """The year a view shows when none is asked for: the latest year (from the plan start on)
    with at least half as many figures of the plan's indicators as its best-covered year — not
    a year in which one early figure has appeared and everything else is still pending.

    Examples
    --------
    >>> default_year([2021] * 11 + [2022] * 7 + [2023] * 7 + [2024] * 5 + [2025] * 2, 2022)
    2024
    """
    counts: dict[int, int] = {}
    for y in periods:
        if plan_start is None or y >= plan_start:
            counts[y] = counts.get(y, 0) + 1
    if not counts:
        return max(periods, default=date.today().year)
    best = max(counts.values())
    return max(y for y, c in counts.items() if 2 * c >= best)


def _indicator(code: str, meta: dict[str, Any], recs: dict[int, dict[str, Any]],
               trows: list[dict[str, Any]], year: int, plan_start: int | None,
               primacy: dict[str, Any] | None, rules,
               breaks: list[str] | None = None) -> IndicatorVerdict:
    direction = int(meta.get("direction", 1) or 0)
    years = {y: float(r["value"]) for y, r in recs.items()}
    derived = ""
    share_of = meta.get("share_of_province")
    if not years and share_of and primacy:
        # the share is not published: computed from the city's and the province's figures
        # of the same year (the primacy section), marked as derived
        for row in primacy["by"].get(share_of) or []:
            if row.get("share") is not None:
                years[int(row["period"])] = float(row["share"])
                bound = row.get("share_bound")  # a share of a figure given only as a bound
                recs = {**recs, int(row["period"]): {
                    "value": row["share"], "unit": "%",
                    "flags": f"derived;{bound}" if bound in BOUND_FLAGS else "derived",
                    "source_url": row.get("source_url", ""), "excerpt": "",
                    # as good as the weaker of the city's and the province's figures
                    "source_quality": row.get("share_quality")}}
        derived = "primacy_share"
    elif any("derived" in str(r.get("flags", "")) for r in recs.values()):
        derived = "formula"  # lantu.evaluation.derived: computed from the region's own inputs
    upto = sorted(y for y in years if y <= year)
    fig_year = upto[-1] if upto else None
    rec = recs.get(fig_year) if fig_year is not None else None
    same = _same_side(years, year, breaks)
    judged = judge_rows([r for r in trows if _in_force(r, year)], years, recs, meta, year, breaks)
    # the review rule: a machine-read target beside a reviewed one of the same year and kind
    # is set aside (lantu.domain.review)
    kept = {id(t) for t in counting([t for _, t in judged],
                                    key=lambda t: (t.year, t.kind, t.stretch)).counted}
    judged = [(r, t) for r, t in judged if id(t) in kept]
    target = others = None
    if judged:
        i = _pick(judged)
        target = judged[i][1]
        others = [t for j, (_, t) in enumerate(judged) if j != i]
    series = [(str(y), years[y]) for y in upto]
    tr, _ = tg.trend({y: years[y] for y in upto if y in same}, direction,
                     stable_band=rules.stable_band, bounds=figure_bounds(recs))
    unit = meta.get("unit", "") or (rec or {}).get("unit", "")
    before = fig_year is not None and plan_start is not None and fig_year < plan_start
    if target is not None:
        status, zh, en = target.status, target.reason_zh, target.reason_en
    else:
        status = None
        if fig_year is None:
            zh, en = f"{year}年无在效目标，也无数据", f"no target in force in {year}, and no figure"
        else:
            zh = f"{year}年无在效目标；最新数据为{fig_year}年{_fmt(years[fig_year])}{unit}"
            en = (f"no target in force in {year}; latest figure {fig_year}: "
                  f"{_fmt(years[fig_year])} {tg.unit_en(unit)}".rstrip())
            if before:
                zh += "（早于规划期，仅作背景）"
                en += " (before the plan period: context only)"
            if derived:
                zh += {"formula": "（由同年分项数据推算）"}.get(derived, "（由本市与全省同年地区生产总值推算）"
                                                      if code == "gdp_share_of_province" else "（由本市与全省同年数据推算）")
                en += " (derived: from its inputs, same year)" if derived == "formula" else \
                    " (derived: city ÷ province, same year)"
    if target is not None and rec is not None and fig_year != year:
        zh += f"（所示数据为{fig_year}年）"
        en += f" (figure shown: {fig_year})"
    note = _break_note(upto, same, breaks or [], year, plan_start)
    if note:  # never silently: the reason says which figures a break kept out
        zh += f"（{note[0]}）"
        en += f" ({note[1]})"
    return IndicatorVerdict(
        indicator=code, name_zh=meta.get("zh", code), name_en=meta.get("en", code), unit=unit,
        direction=direction, value=years.get(fig_year) if fig_year is not None else None,
        period=str(fig_year) if fig_year is not None else None,
        source_url=(rec or {}).get("source_url", "") or "",
        excerpt=(rec or {}).get("excerpt", "") or "",
        flags=[f for f in str((rec or {}).get("flags", "") or "").split(";") if f],
        quality=(rec or {}).get("source_quality") or None,
        current=fig_year == year, before_plan=before, target=target, others=others or [],
        status=status, reason_zh=zh, reason_en=en, trend=tr, series=series, derived=derived)


def _break_note(upto: list[int], same: dict[int, float], breaks: list[str], year: int,
                plan_start: int | None) -> tuple[str, str] | None:
    """The words of a series break that kept figures out of the trend or the pace: when the
    figure before the latest one lies across it (the trend), or a figure of the plan period from
    its base year on does (the pace); ``None`` when the break changes nothing shown."""
    left_out = [y for y in upto if y not in same]
    if not left_out:
        return None
    base = plan_start - 1 if plan_start is not None else None
    trend_hit = len(upto) >= 2 and upto[-2] in left_out
    pace_hit = base is not None and any(y >= base for y in left_out)
    if not (trend_hit or pace_hit):
        return None
    at = max(int(str(p)[:4]) for p in breaks if int(str(p)[:4]) <= year)
    years_zh, years_en = "、".join(map(str, left_out)), ", ".join(map(str, left_out))
    return (f"{at}年起统计口径变化（数列断点），{years_zh}年数据不与此后比较，不参与趋势和进度",
            f"series break in {at} (a change of basis): the figures of {years_en} are not "
            "compared with later ones, neither in the trend nor in the pace")


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".").replace(",", "")


def _milestone_facts(session: Session, region: str, year: int) -> list[dict[str, Any]]:
    """Milestones of the region up to ``year`` — dated qualitative achievements with their
    source (:func:`lantu.store.evidence.milestones_for`), the evidence of goals without a
    measurable target. (The checkpoints of the task table are supervision dates, not evidence.)"""
    from lantu.store.evidence import milestones_for

    return [{"year": m["year"], "text": m["text"], "source_url": m.get("source_url") or "",
             "kind": m.get("kind"), "source_quality": m.get("source_quality"),
             "reviewed": bool(m.get("reviewed")), "nodes": list(m.get("nodes") or [])}
            for m in milestones_for(session, region, until_year=year)]




def _node(n: queries.NodeRecord, by_id: dict, own: list[IndicatorVerdict],
          every: list[IndicatorVerdict], milestones: list[dict[str, Any]],
          year: int) -> NodeVerdict:
    counted: list[tuple[str, str]] = []
    in_force: list[TargetInForce] = []
    for iv in every:
        for t in ([iv.target] if iv.target else []) + iv.others:
            if not t.stretch:
                counted.append((iv.indicator, t.status))
                in_force.append(t)
    parent = by_id[n.parent_id].code if n.parent_id is not None else None
    state = None
    if counted:
        status = tg.node_status(s for _, s in counted)
        judged = [(i, st) for i, st in counted if st not in ("pending", "no_data")]
        waiting = sum(st == "pending" for _, st in counted)
        empty = sum(st == "no_data" for _, st in counted)
        parts_zh = [f"{_name(every, i, 'zh')}{status_label(st, 'zh')}" for i, st in judged]
        parts_en = [f"{_name(every, i, 'en')} {status_label(st, 'en')}" for i, st in judged]
        rest_zh = "、".join(x for x in (f"待数据{waiting}项" if waiting else "",
                                         f"无数据{empty}项" if empty else "") if x)
        rest_en = ", ".join(x for x in (f"{waiting} pending" if waiting else "",
                                         f"{empty} without data" if empty else "") if x)
        zh = f"{year}年在效目标{len(counted)}项"
        en = f"{plural(len(counted), 'target')} in force in {year}"
        if judged:
            zh += "：" + "；".join(parts_zh) + (f"（另{rest_zh}）" if rest_zh else "")
            zh += f"。按两项最差者取整（SDG规则）：{status_label(status, 'zh')}。"
            en += ": " + "; ".join(parts_en) + (f" (also {rest_en})" if rest_en else "")
            en += f". Two worst averaged, rounded down (SDG rule): {status_label(status, 'en')}."
            if rest_zh and all(st == "achieved" for _, st in judged):  # tg.node_status's rule
                zh += "已评判的目标均已完成，但尚有目标未能评判，不称已完成。"
                en += " Every judged target is achieved, but some cannot be judged yet: not achieved."
        else:
            zh += f"，均未能评判（{rest_zh}）：{status_label(status, 'zh')}。"
            en += f", none can be judged yet ({rest_en}): {status_label(status, 'en')}."
        review = Counting(counted=in_force)  # what counts, as each indicator's rule left it
        if review.machine_read_only:  # never silently: the goal rests on no reviewed target
            zh += "仅依据机器识读、未经人工审核的目标，待审核。"
            en += " Judged only against machine-read targets no person has reviewed yet."
        elif review.machine_read:
            zh += f"其中{review.machine_read}项目标为机器识读、未经人工审核。"
            en += f" Of these, {review.machine_read} machine-read, not yet reviewed."
    else:
        status = "qualitative"
        context = [m for m in milestones if m.get("before_plan")]  # before the plan: context
        milestones_in = [m for m in milestones if not m.get("before_plan")]
        # only what a person reviewed counts; machine-read milestones await review (issue 10) —
        # the review rule of lantu.domain.review, the node's milestones as one group
        review = counting(milestones_in)
        reviewed = [] if review.machine_read_only else review.counted
        unreviewed = len(milestones_in) - len(reviewed)
        ups = [iv for iv in every if iv.trend == "improving"]
        downs = [iv for iv in every if iv.trend == "worsening"]
        state = qualitative_state(len(reviewed), unreviewed, len(ups), len(downs))
        zh_bits = [f"{year}年无可量化的在效目标，按佐证定性评估："
                   f"{translate('zh', 'verdict.state.' + state)}"]
        en_bits = [f"no measurable target in force in {year}; judged qualitatively: "
                   f"{translate('en', 'verdict.state.' + state)}"]
        zh_bits.append(f"规划期内里程碑{len(milestones_in)}项（经人工审核{len(reviewed)}项；"
                       f"机器识读未审核{unreviewed}项，审核前不计）"
                       + (f"，另有规划前{len(context)}项，仅作背景" if context else ""))
        en_bits.append(f"{plural(len(milestones_in), 'milestone')} in the plan period "
                       f"({len(reviewed)} "
                       f"reviewed; {unreviewed} machine-read, not counted until reviewed)"
                       + (f", and {len(context)} before it, context only" if context else ""))
        if every:
            zh_bits.append(f"指标{len(every)}项中向好{len(ups)}项、趋弱{len(downs)}项")
            en_bits.append(f"of {plural(len(every), 'indicator')} {len(ups)} improving, "
                           f"{len(downs)} worsening")
        else:
            zh_bits.append("未关联指标")
            en_bits.append("no linked indicator")
        zh, en = "；".join(zh_bits) + "。", "; ".join(en_bits) + "."
    return NodeVerdict(code=n.code, kind=n.kind, title=n.title, title_en=n.title_en,
                       text=n.text, depth=n.depth, parent=parent, status=status, reason_zh=zh,
                       reason_en=en, indicators=own, counted=counted, milestones=milestones,
                       state=state, note=n.note)


def qualitative_state(reviewed: int, unreviewed: int, improving: int, worsening: int) -> str:
    """The state of a goal without a measurable target in force, from its evidence in the plan
    period: ``evidence`` (reviewed milestones or improving indicators, none worsening), ``mixed``
    (both), ``awaiting_review`` (nothing but machine-read milestones no person has reviewed yet —
    they do not count), ``no_evidence``. Documented in docs/analysis.md ("Status rules")."""
    if reviewed or improving:
        return "mixed" if worsening else "evidence"
    if unreviewed:
        return "awaiting_review"
    return "no_evidence"


def _name(items: list[IndicatorVerdict], code: str, lang: str) -> str:
    for iv in items:
        if iv.indicator == code:
            return iv.name(lang)
    return code


# -- primacy and the peer index ------------------------------------------------------------------


def primacy_of(session: Session, region: str, year: int) -> dict[str, Any] | None:
    """Primacy of ``region`` in its province up to ``year`` (:func:`lantu.evaluation.primacy.compute`,
    computed once for every view); ``None`` for a region that is not a city of a province."""
    from lantu.evaluation import primacy

    try:
        return primacy.compute(session, region=region, year=year)
    except ValidationError:
        return None


def index_for(session: Session, region: str, year: int, group: str | None):
    """The peer index shown for ``year``: of that year, else of the latest earlier year it can be
    built for (:func:`lantu.evaluation.peer_index.compute`); ``None`` when there is none. The
    report and the verdict both call this, so they show the same index."""
    from lantu.evaluation import peer_index

    res = peer_index.compute(session, region=region, year=None, group=group)
    if year not in res.years:
        earlier = [y for y in res.years if y <= year]
        if not earlier:
            return None
        year = earlier[-1]
    return peer_index.compute(session, region=region, year=year, group=res.group["code"])


def _peer_index(session: Session, region: str, year: int,
                group: str | None) -> tuple[dict[str, Any] | None, str]:
    try:
        res = index_for(session, region, year, group)
    except ValidationError as exc:
        if group is not None:
            raise
        return None, str(exc)
    if res is None:
        return None, f"the peer index cannot be built for {year} or an earlier year"
    data = res.to_json()
    data["name"] = res.group.get("name")
    data["name_en"] = res.group.get("name_en")
    return data, ""
