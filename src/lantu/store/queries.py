"""Read-only queries of the dashboard pages and the JSON API.

Like :mod:`lantu.store.repo`, every function takes a SQLAlchemy ``Session`` and returns plain
dicts, lists or DataFrames: the web views turn those into one dictionary each and never query the
database themselves.
"""

from __future__ import annotations

import hashlib
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lantu.domain.plans import STATUSES
from lantu.store.db import write_generation
from lantu.store.models import (
    AuditLogRow,
    DepartmentRow,
    IndicatorRow,
    MilestoneFactNodeRow,
    MilestoneFactRow,
    ObservationRevisionRow,
    ObservationRow,
    PlanNodeRow,
    PlanRow,
    RegionGroupRow,
    RegionRow,
    SeriesBreakRow,
    TargetRow,
)
from lantu.store.models_web import UserRow
from lantu.store.repo import observation_filter

# -- data version ---------------------------------------------------------------------------------


def _data_parts() -> list:
    return [select(func.count(ObservationRow.id)).scalar_subquery(),
            select(func.max(ObservationRow.updated_at)).scalar_subquery(),
            select(func.count(ObservationRevisionRow.id)).scalar_subquery(),
            select(func.count(TargetRow.id)).scalar_subquery(),
            select(func.max(TargetRow.created_at)).scalar_subquery(),
            # a target marked reviewed in place changes the verdict's words (lantu.domain.review)
            select(func.count(TargetRow.id)).where(TargetRow.machine_read.is_(True))
            .scalar_subquery()]


def _data_key(n_obs, last, n_rev, n_tg, last_tg, n_tg_machine) -> str:
    stamp = last.isoformat() if hasattr(last, "isoformat") else str(last or "-")
    stamp_tg = last_tg.isoformat() if hasattr(last_tg, "isoformat") else str(last_tg or "-")
    return f"obs{n_obs}-{stamp}-rev{n_rev or 0}-tg{n_tg}-{stamp_tg}-m{n_tg_machine or 0}"


def data_version(session: Session) -> str:
    """A short string that changes whenever observations or targets change (one query).

    Cached computations (the composite index, coupling, primacy) are keyed by it.

    Examples
    --------
    >>> data_version(session)  # doctest: +SKIP
    'obs135-2026-11-26T21:41:03.123456-rev0-tg84-2026-11-26T21:41:03.523456'
    """
    return f"{database_tag(session)}-" + _data_key(*session.execute(_data_statement()).one())


def database_tag(session: Session) -> str:
    """A short tag of the database ``session`` is bound to (a hash of its URL, password hidden):
    the versions start with it, so caches keyed by a version never mix two databases that hold
    the same rows (copies of one file, one process serving several databases)."""
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    return hashlib.blake2s(url.encode(), digest_size=4).hexdigest()


_NODE_STATES = STATUSES  # a change of any task's status is a new state (closing one too)


@cache
def _data_statement():
    return select(*_data_parts())


@cache
def _state_statement():  # built once: these run on every page view
    plan_parts = [select(func.count(PlanNodeRow.id)).scalar_subquery(),
                  select(func.coalesce(func.sum(PlanNodeRow.progress), 0.0)).scalar_subquery()]
    plan_parts += [select(func.count(PlanNodeRow.id)).where(PlanNodeRow.status == st)
                   .scalar_subquery() for st in _NODE_STATES]
    # the milestones (evidence of the verdict): how many, and how many links to plan nodes
    plan_parts += [select(func.count(MilestoneFactRow.id)).scalar_subquery(),
                   select(func.count(MilestoneFactNodeRow.milestone_id)).scalar_subquery(),
                   select(func.count(SeriesBreakRow.id)).scalar_subquery()]  # and series breaks
    return select(*_data_parts(), *plan_parts,
                  select(func.max(AuditLogRow.id)).scalar_subquery())


#: How long a state version read from the database is trusted while this process commits no
#: write (seconds): a change made by another process (another worker, the CLI) shows within it.
STATE_VERSION_TTL = 1.0
_state_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine -> (gen, t, v)


def state_version(session: Session) -> str:
    """:func:`data_version` plus the state of the plans (number of nodes, their progress and
    how many are in each status), the number of milestones and the newest audit entry: what the
    overview, the detail pages, the targets page and the verdict depend on.

    One query, asked at most once per :data:`STATE_VERSION_TTL` seconds per database while this
    process commits no write (:func:`lantu.store.db.write_generation`): a write in this process
    shows on the very next request, one by another process within the time-to-live.
    """
    key = getattr(session.get_bind(), "engine", None)
    if key is None:
        return _state_version_query(session)
    generation, now = write_generation(), time.monotonic()
    hit = _state_cache.get(key)
    if hit is not None and hit[0] == generation and now - hit[1] < STATE_VERSION_TTL:
        return hit[2]
    value = _state_version_query(session)
    _state_cache[key] = (generation, now, value)
    return value


def _state_version_query(session: Session) -> str:
    row = session.execute(_state_statement()).one()
    n_data = len(_data_parts())
    data, plan, last_audit = row[:n_data], row[n_data:-1], row[-1]
    return f"{database_tag(session)}-{_data_key(*data)}|" + ":".join(f"{x:g}" if isinstance(x, float) else str(x)
                                             for x in plan) + f"|a{last_audit or 0}"


# -- names ----------------------------------------------------------------------------------------


def region_names(session: Session) -> dict[str, dict[str, str]]:
    """``{code: {"zh": ..., "en": ..., "level": ..., "parent": ...}}`` of every region."""
    return {r.code: {"zh": r.name_zh, "en": r.name_en or r.name_zh, "level": r.level,
                     "parent": r.parent_code}
            for r in session.scalars(select(RegionRow).order_by(RegionRow.code))}


def indicator_meta(session: Session) -> dict[str, dict[str, Any]]:
    """``{code: {"zh", "en", "unit", "direction", "pillar", "note", "flow", "rate",
    "share_of_province"}}`` of every indicator (the catalogue's properties,
    :class:`lantu.domain.Indicator`)."""
    return {r.code: {"zh": r.name_zh, "en": r.name_en or r.name_zh, "unit": r.unit,
                     "direction": r.direction, "pillar": r.pillar, "note": r.note,
                     "flow": bool(r.flow), "rate": r.rate or None,
                     "share_of_province": r.share_of_province}
            for r in session.scalars(select(IndicatorRow).order_by(IndicatorRow.code))}


def formula_codes(session: Session) -> set[str]:
    """The codes of the indicators computed from others (a formula): one query, whatever the
    page, so a view's queries do not grow with its rows."""
    return set(session.scalars(select(IndicatorRow.code).where(IndicatorRow.formula != "")))


def department_names(session: Session) -> dict[str, dict[str, str]]:
    """``{code: {"zh": name, "en": name}}`` of every department (the one lookup of names; pages
    show ``name(depts.get(code))``)."""
    return {r.code: {"zh": r.name_zh, "en": r.name_en or r.name_zh}
            for r in session.scalars(select(DepartmentRow).order_by(DepartmentRow.code))}


def display_names(session: Session) -> dict[str, str]:
    """``{user name: display name}`` of every user whose display name is not the user name: how
    a page names a person who did something (:func:`lantu.actors.actor_text`). A name no user
    holds any more is shown as written."""
    return {u: d for u, d in session.execute(select(UserRow.username, UserRow.display_name))
            if d and d.strip() and d != u}


def unknown_codes(session: Session, kind: str, codes: Sequence[str]) -> list[str]:
    """Those of ``codes`` that name no ``region`` or ``indicator`` (``kind``), in their order."""
    if not codes:
        return []
    col = {"region": RegionRow.code, "indicator": IndicatorRow.code}[kind]
    known = set(session.scalars(select(col).where(col.in_(list(codes)))))
    return [c for c in codes if c not in known]


def group_members(session: Session, code: str) -> list[str] | None:
    """Member region codes of a region group, in the group's order (None if no such group)."""
    row = session.get(RegionGroupRow, code)
    return None if row is None else [m.region_code for m in row.members]


def indicators_with_data(session: Session) -> list[str]:
    """Codes of indicators that have at least one observation, in code order."""
    return list(session.scalars(select(ObservationRow.indicator_code).distinct()
                                .order_by(ObservationRow.indicator_code)))


def periods_with_data(session: Session, indicators: Sequence[str] | None = None) -> list[str]:
    """Distinct observation periods (optionally of some indicators), ascending."""
    q = select(ObservationRow.period).distinct().order_by(ObservationRow.period)
    if indicators:
        q = q.where(ObservationRow.indicator_code.in_(list(indicators)))
    return list(session.scalars(q))


# -- observations ---------------------------------------------------------------------------------


def _obs_dict(r: ObservationRow) -> dict[str, Any]:
    return {"id": r.id, "region_code": r.region_code, "period": r.period,
            "indicator": r.indicator_code, "value": r.value, "unit": r.unit,
            "flags": [f for f in r.flags.split(";") if f], "source_url": r.source_url,
            "source_file": r.source_file, "excerpt": r.excerpt, "source_note": r.source_note,
            "source_quality": r.source_quality, "source_published": r.source_published,
            "version": r.version, "updated_at": r.updated_at}


def observations_page(session: Session, *, regions: Sequence[str] | None = None,
                      indicators: Sequence[str] | None = None,
                      periods: Sequence[str] | None = None, period_from: str | None = None,
                      period_to: str | None = None, limit: int | None = None,
                      offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """Filtered observations with their source: ``(total matching, rows of this page)``.

    Rows are ordered by region, indicator and period; ``flags`` is a list.

    Examples
    --------
    >>> total, rows = observations_page(s, regions=["140100"], indicators=["gdp"])  # doctest: +SKIP
    """
    base = observation_filter(select(ObservationRow), regions=regions, indicators=indicators,
                              periods=periods, period_from=period_from, period_to=period_to)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    q = base.order_by(ObservationRow.region_code, ObservationRow.indicator_code,
                      ObservationRow.period, ObservationRow.id)
    if limit is not None:
        q = q.limit(limit)
    if offset:
        q = q.offset(offset)
    return total, [_obs_dict(r) for r in session.scalars(q)]


def observation(session: Session, observation_id: int) -> dict[str, Any] | None:
    row = session.get(ObservationRow, observation_id)
    return None if row is None else _obs_dict(row)


def revisions_of(session: Session, observation_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Earlier states of these observations (oldest first), by observation id.

    An observation never revised has no entry.
    """
    if not observation_ids:
        return {}
    out: dict[int, list[dict[str, Any]]] = {}
    q = (select(ObservationRevisionRow)
         .where(ObservationRevisionRow.observation_id.in_(list(observation_ids)))
         .order_by(ObservationRevisionRow.observation_id, ObservationRevisionRow.version))
    for r in session.scalars(q):
        out.setdefault(r.observation_id, []).append(
            {"version": r.version, "value": r.value, "unit": r.unit,
             "flags": [f for f in r.flags.split(";") if f], "source_url": r.source_url,
             "excerpt": r.excerpt, "source_quality": r.source_quality,
             "source_published": r.source_published, "reason": r.reason,
             "recorded_by": r.recorded_by, "recorded_at": r.recorded_at,
             "replaced_by": r.replaced_by, "replaced_at": r.replaced_at})
    return out


def panel(session: Session, indicators: Sequence[str], regions: Sequence[str],
          periods: Sequence[str] | None = None) -> pd.DataFrame:
    """Observations as a long table ``region_code, period, indicator, value, flags,
    source_quality``."""
    q = observation_filter(select(ObservationRow.region_code, ObservationRow.period,
                                  ObservationRow.indicator_code, ObservationRow.value,
                                  ObservationRow.flags, ObservationRow.source_quality),
                           regions=regions, indicators=indicators, periods=periods)
    rows = session.execute(q).all()
    return pd.DataFrame([tuple(r) for r in rows],
                        columns=["region_code", "period", "indicator", "value", "flags",
                                 "source_quality"])


def qualities(session: Session, regions: Sequence[str], indicators: Sequence[str]
              ) -> dict[tuple[str, str, str], str]:
    """``{(region, indicator, period): source_quality}`` of the figures stored, in one query (a
    list page shows each number's source-quality badge without asking per row)."""
    if not regions or not indicators:
        return {}
    q = observation_filter(select(ObservationRow.region_code, ObservationRow.indicator_code,
                                  ObservationRow.period, ObservationRow.source_quality),
                           regions=list(set(regions)), indicators=list(set(indicators)))
    return {(r[0], r[1], str(r[2])): r[3] for r in session.execute(q).all()}


def series(session: Session, region_code: str, indicators: Sequence[str]) -> dict[str, list[tuple[str, float]]]:
    """``{indicator: [(period, value), ...]}`` of one region, periods ascending."""
    many = series_many(session, [region_code], indicators)
    return {i: many.get((region_code, i), []) for i in indicators}


def series_many(session: Session, regions: Sequence[str], indicators: Sequence[str]
                ) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """``{(region, indicator): [(period, value), ...]}`` of several regions in one query,
    periods ascending (a list page asks once, not once per row)."""
    out: dict[tuple[str, str], list[tuple[str, float]]] = {}
    if not regions or not indicators:
        return out
    q = (select(ObservationRow.region_code, ObservationRow.indicator_code, ObservationRow.period,
                ObservationRow.value)
         .where(ObservationRow.region_code.in_(list(set(regions))),
                ObservationRow.indicator_code.in_(list(set(indicators))))
         .order_by(ObservationRow.region_code, ObservationRow.indicator_code,
                   ObservationRow.period))
    for region, code, period, value in session.execute(q):
        out.setdefault((region, code), []).append((period, value))
    return out


# -- targets --------------------------------------------------------------------------------------


def target_rows(session: Session, *, regions: Sequence[str] | None = None,
                indicators: Sequence[str] | None = None, limit: int | None = None,
                offset: int = 0, ids: Sequence[int] | None = None) -> tuple[int, list[dict[str, Any]]]:
    """Targets with their source and review marker, as dicts with an ``id``: ``(total, rows)``."""
    q = select(TargetRow)
    if ids is not None:
        q = q.where(TargetRow.id.in_(list(ids)))
    if regions:
        q = q.where(TargetRow.region_code.in_(list(regions)))
    if indicators:
        q = q.where(TargetRow.indicator_code.in_(list(indicators)))
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    q = q.order_by(TargetRow.region_code, TargetRow.indicator_code, TargetRow.target_period,
                   TargetRow.id)
    if limit is not None:
        q = q.limit(limit)
    if offset:
        q = q.offset(offset)
    rows = [{"id": r.id, "region_code": r.region_code, "indicator": r.indicator_code,
             "plan": r.plan, "base_period": r.base_period, "base_value": r.base_value,
             "target_period": r.target_period, "kind": r.kind, "value": r.value,
             "value_high": r.value_high, "qualifier": r.qualifier, "binding": r.binding,
             "unit": r.unit, "source_url": r.source_url, "source_file": r.source_file,
             "excerpt": r.excerpt, "source_quality": r.source_quality,
             "machine_read": bool(r.machine_read)}
            for r in session.scalars(q)]
    return total, rows


# -- plans ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """One plan node, flat, with what the overview and the API need."""

    id: int
    code: str
    parent_id: int | None
    kind: str
    title: str
    title_en: str
    text: str
    depth: int
    position: int
    lead: str | None
    supporting: tuple[str, ...]
    start: date | None
    due: date | None
    status: str
    progress: float
    indicators: tuple[str, ...]
    milestones: tuple[tuple[str, date | None, date | None], ...]
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "code": self.code, "parent_id": self.parent_id, "kind": self.kind,
                "title": self.title, "title_en": self.title_en, "text": self.text,
                "depth": self.depth, "lead": self.lead, "supporting": list(self.supporting),
                "start": self.start, "due": self.due, "status": self.status,
                "progress": self.progress, "indicators": list(self.indicators),
                "milestones": [{"title": t, "due": d, "done_on": done}
                               for t, d, done in self.milestones]}


def plans(session: Session) -> list[dict[str, Any]]:
    """Every plan with its number of nodes."""
    counts = dict(session.execute(select(PlanNodeRow.plan_code, func.count(PlanNodeRow.id))
                                  .group_by(PlanNodeRow.plan_code)).all())
    return [{"code": p.code, "title": p.title, "title_en": p.title_en,
             "region_code": p.region_code, "source_url": p.source_url,
             "source_file": p.source_file, "nodes": counts.get(p.code, 0)}
            for p in session.scalars(select(PlanRow).order_by(PlanRow.created_at, PlanRow.code))]


def plan_header(session: Session, code: str | None = None) -> dict[str, Any] | None:
    """The plan with this code, or the first one stored, without its nodes."""
    all_ = plans(session)
    if code is None:
        return all_[0] if all_ else None
    return next((p for p in all_ if p["code"] == code), None)


def plan_nodes(session: Session, plan_code: str) -> list[NodeRecord]:
    """All nodes of a plan, flat, in tree order (parents before children)."""
    rows = session.scalars(select(PlanNodeRow).where(  # not the parts given to units
        PlanNodeRow.plan_code == plan_code, PlanNodeRow.unit.is_(None))
                           .order_by(PlanNodeRow.position)
                           .options(selectinload(PlanNodeRow.supporting),
                                    selectinload(PlanNodeRow.indicators),
                                    selectinload(PlanNodeRow.milestones)))
    return [NodeRecord(
        id=n.id, code=n.code, parent_id=n.parent_id, kind=n.kind, title=n.title,
        title_en=n.title_en or n.title, text=n.text, depth=n.depth, position=n.position,
        lead=n.lead_department, supporting=tuple(s.department_code for s in n.supporting),
        start=n.start_date, due=n.due_date, status=n.status, progress=n.progress or 0.0,
        indicators=tuple(i.indicator_code for i in n.indicators),
        milestones=tuple((m.title, m.due_date, m.done_on) for m in n.milestones), note=n.note)
        for n in rows]


# -- download choices ---------------------------------------------------------------------------


def report_choices(session: Session) -> dict[str, Any]:
    """What the download form offers: the regions with yearly observations (code, names) and
    the years that have any, newest first; ``default_region`` is the first plan's region."""
    rows = session.execute(select(ObservationRow.region_code, ObservationRow.period).where(
        func.length(ObservationRow.period) == 4).distinct()).all()
    codes = sorted({r.region_code for r in rows})
    names = {r.code: r for r in session.scalars(select(RegionRow).where(RegionRow.code.in_(codes)))}
    years = sorted({r.period for r in rows if r.period.isdigit()}, reverse=True)
    plan_region = session.scalar(select(PlanRow.region_code).where(
        PlanRow.region_code.is_not(None)).order_by(PlanRow.code).limit(1))
    return {"regions": [{"code": c, "name_zh": names[c].name_zh if c in names else c,
                         "name_en": (names[c].name_en or names[c].name_zh) if c in names else c}
                        for c in codes],
            "years": years, "default_region": plan_region if plan_region in codes
            else (codes[0] if codes else None)}
