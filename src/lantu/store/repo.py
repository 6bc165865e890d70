"""Repositories: the only place that reads and writes the database.

Functions take a SQLAlchemy ``Session`` (from :meth:`lantu.store.db.Database.session`, one
transaction) and domain objects; they return domain objects, plain dicts or DataFrames.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from lantu.domain import (
    Department,
    Indicator,
    Milestone,
    Observation,
    Plan,
    PlanNode,
    Region,
    RegionGroup,
    Source,
    Target,
    gate,
    outranks,
)
from lantu.domain.observations import BOUND_FLAGS, OFFICIAL_QUALITIES, bound_of, frame_of
from lantu.errors import Conflict
from lantu.store.models import (
    AuditLogRow,
    DepartmentRow,
    ImportBatchRow,
    IndicatorRow,
    MilestoneRow,
    ObservationRevisionRow,
    ObservationRow,
    PlanNodeDepartmentRow,
    PlanNodeIndicatorRow,
    PlanNodeRow,
    PlanRow,
    RegionGroupMemberRow,
    RegionGroupRow,
    RegionRow,
    TargetRow,
)

# -- audit ---------------------------------------------------------------------------------------


def audit(session: Session, actor: str, action: str, entity: str, entity_id: str = "",
          detail: dict[str, Any] | None = None) -> None:
    session.add(AuditLogRow(actor=actor or "", action=action, entity=entity,
                            entity_id=str(entity_id), detail=detail))


# -- reference data ------------------------------------------------------------------------------


def upsert_regions(session: Session, regions: Iterable[Region]) -> int:
    rows = {r.code: r for r in session.scalars(select(RegionRow))}
    n = 0
    ordered = sorted(regions, key=lambda r: ("country", "province", "city", "zone", "county").index(r.level))
    for reg in ordered:
        row = rows.get(reg.code) or RegionRow(code=reg.code)
        row.name_zh, row.name_en, row.level, row.parent_code = (
            reg.name_zh, reg.name_en, reg.level, reg.parent)
        session.add(row)
        session.flush()
        n += 1
    return n


def add_missing_regions(session: Session, codes: Iterable[str], known: Mapping[str, Region]) -> int:
    """Insert the regions of ``codes`` (and their parents) that the database lacks, taken from
    ``known`` (the GB/T 2260 list); codes absent from ``known`` are left to the foreign keys.
    Returns how many rows were added."""
    have = set(session.scalars(select(RegionRow.code)))
    todo: dict[str, Region] = {}
    for code in set(codes):
        while code and code not in have and code not in todo and code in known:
            todo[code] = known[code]
            code = known[code].parent or ""
    if todo:
        upsert_regions(session, todo.values())
    return len(todo)


def admissible_regions(session: Session, codes: Iterable[str]) -> set[str]:
    """The one region lookup of every write: a GB/T 2260 division the database lacks is taken
    in from the embedded list (with its parents, :func:`add_missing_regions`); returns the
    codes of ``codes`` the database then holds (the others are refused by the gate)."""
    from lantu.defaults import load_divisions

    wanted = set(codes)
    add_missing_regions(session, wanted, load_divisions())
    return set(session.scalars(select(RegionRow.code).where(RegionRow.code.in_(wanted))))


def upsert_groups(session: Session, groups: Iterable[RegionGroup]) -> int:
    n = 0
    for g in groups:
        row = session.get(RegionGroupRow, g.code) or RegionGroupRow(code=g.code)
        row.name_zh, row.name_en, row.note = g.name_zh, g.name_en, g.note
        row.members = [RegionGroupMemberRow(region_code=m, position=i) for i, m in enumerate(g.members)]
        session.add(row)
        n += 1
    session.flush()
    return n


def upsert_indicators(session: Session, indicators: Iterable[Indicator]) -> int:
    n = 0
    for ind in indicators:
        row = session.get(IndicatorRow, ind.code) or IndicatorRow(code=ind.code)
        row.name_zh, row.name_en, row.unit = ind.name_zh, ind.name_en, ind.unit
        row.direction, row.pillar, row.note = ind.direction, ind.pillar, ind.note
        row.formula = ind.formula.expression if ind.formula else None
        row.min_value, row.max_value = ind.minimum, ind.maximum
        row.flow, row.share_of_province = ind.flow, ind.share_of_province
        row.rate = ind.rate
        session.add(row)
        n += 1
    session.flush()
    return n


def upsert_departments(session: Session, departments: Iterable[Department]) -> int:
    n = 0
    for d in departments:
        row = session.get(DepartmentRow, d.code) or DepartmentRow(code=d.code)
        row.name_zh, row.name_en = d.name_zh, d.name_en
        session.add(row)
        n += 1
    session.flush()
    return n


def regions(session: Session) -> list[Region]:
    return [Region(r.code, r.name_zh, r.name_en, r.level, r.parent_code)
            for r in session.scalars(select(RegionRow).order_by(RegionRow.code))]


def region_groups(session: Session) -> list[RegionGroup]:
    return [RegionGroup(g.code, g.name_zh, g.name_en, tuple(m.region_code for m in g.members), g.note)
            for g in session.scalars(select(RegionGroupRow).order_by(RegionGroupRow.code)
                                     .options(selectinload(RegionGroupRow.members)))]


def indicators(session: Session) -> list[Indicator]:
    return [Indicator(code=r.code, name_zh=r.name_zh, name_en=r.name_en, unit=r.unit,
                      direction=r.direction, pillar=r.pillar, formula=r.formula, note=r.note,
                      minimum=r.min_value, maximum=r.max_value, flow=bool(r.flow),
                      rate=r.rate or None, share_of_province=r.share_of_province)
            for r in session.scalars(select(IndicatorRow).order_by(IndicatorRow.code))]


def indicator_catalogue(session: Session) -> dict[str, Indicator]:
    """code → indicator with its admissible range: what the validation gate checks against."""
    return {i.code: i for i in indicators(session)}


def departments(session: Session) -> list[Department]:
    return [Department(r.code, r.name_zh, r.name_en)
            for r in session.scalars(select(DepartmentRow).order_by(DepartmentRow.code))]


# -- observations --------------------------------------------------------------------------------


@dataclass
class ApplySummary:
    """What an import did (or, in a dry run, would do)."""

    inserted: list[tuple[str, str, str]] = field(default_factory=list)
    revised: list[tuple[tuple[str, str, str], float, float]] = field(default_factory=list)
    unchanged: int = 0
    #: values kept only as revisions: the stored value's source has precedence
    #: (:func:`lantu.domain.outranks`)
    outranked: list[tuple[tuple[str, str, str], float, float]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.revised or self.outranked)

    def as_dict(self) -> dict[str, Any]:
        return {"inserted": len(self.inserted), "revised": len(self.revised),
                "unchanged": self.unchanged, "outranked": len(self.outranked)}


def new_batch(session: Session, file: str, sha256: str, kind: str, actor: str) -> ImportBatchRow:
    batch = ImportBatchRow(file=file, sha256=sha256, kind=kind, created_by=actor)
    session.add(batch)
    session.flush()
    return batch


class ConcurrentChange(Conflict):
    """Another transaction changed an observation between our read and our write; the caller
    may retry the whole transaction (:func:`lantu.services.import_file` does)."""


#: Rows per bulk write (one COPY, or one run of statements on SQLite) when observations are staged.
CHUNK = 50_000

_OBS = ObservationRow.__table__
_REV = ObservationRevisionRow.__table__


def _chunks(items: Sequence[Any], size: int | None = None) -> Iterable[Sequence[Any]]:
    size = size or CHUNK
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _insert_chunk(session: Session, table, rows: Sequence[dict[str, Any]]) -> None:
    """One bulk write of rows (``COPY`` on PostgreSQL, a hundred rows a statement on SQLite:
    :func:`lantu.store.bulk.write_rows`); a separate function so tests can make it fail
    half-way."""
    from lantu.store.bulk import write_rows

    write_rows(session, table, rows)


def apply_observations(session: Session, observations: Sequence[Observation], *, actor: str = "",
                       batch: ImportBatchRow | None = None, dry_run: bool = False) -> ApplySummary:
    """Insert new observations; a changed value or source becomes a revision; same is a no-op.

    Which value is current follows :func:`lantu.domain.outranks` (source quality, then
    publication): a value whose source does not outrank the stored one is kept as a revision
    with ``reason`` ``outranked`` (listed in ``summary.outranked``), never as the current value.

    The previous state of a revised observation is kept in ``observation_revision``. The objects
    go through the gate and are written as one frame (:func:`lantu.store.bulk.apply_frame`: new
    rows in chunks of :data:`CHUNK`, ``COPY`` on PostgreSQL); a revision updates its row only if
    nobody changed it since it was read (its ``version``), else :class:`ConcurrentChange`.
    Within one call a key given twice keeps the later value when its source outranks the
    earlier one's (else the earlier stays and the later counts as unchanged).
    """
    from lantu.store.bulk import apply_frame

    summary = ApplySummary()
    if not observations:
        return summary
    indicators = indicator_catalogue(session)
    regions = admissible_regions(session, {o.region_code for o in observations})
    chosen: dict[tuple[str, str, str], Observation] = {}
    dropped: list[Observation] = []
    for o in observations:
        prev = chosen.get(o.key)
        if prev is not None and ((prev.value, prev.flags, prev.source.url, prev.source.excerpt)
                                 == (o.value, o.flags, o.source.url, o.source.excerpt)
                                 or not outranks(o.source.quality, o.source.published,
                                                 prev.source.quality, prev.source.published)):
            dropped.append(o)
            continue
        if prev is not None:
            dropped.append(prev)
        chosen[o.key] = o
    if dropped:
        gate.check(dropped, indicators=indicators, regions=regions)
    res = apply_frame(session, frame_of(list(chosen.values())), actor=actor, batch=batch,
                      dry_run=dry_run, indicators=indicators, regions=regions)
    res.unchanged += len(dropped)
    return res


def observation_filter(q, *, regions: Sequence[str] | None = None,
                       indicators: Sequence[str] | None = None,
                       periods: Sequence[str | int] | None = None,
                       period_from: str | int | None = None, period_to: str | int | None = None):
    """``q`` (a select from ``observation``) narrowed to these regions, indicators and periods
    (``None`` or empty: all); periods compare as the text they are stored as, ``period_from``
    and ``period_to`` inclusive. The one filter of every observation query (this module's
    tables, :mod:`lantu.store.queries`' pages and API)."""
    if regions:
        q = q.where(ObservationRow.region_code.in_(list(regions)))
    if indicators:
        q = q.where(ObservationRow.indicator_code.in_(list(indicators)))
    if periods:
        q = q.where(ObservationRow.period.in_([str(p) for p in periods]))
    if period_from:
        q = q.where(ObservationRow.period >= str(period_from))
    if period_to:
        q = q.where(ObservationRow.period <= str(period_to))
    return q


OBSERVATION_COLUMNS = ["region_code", "period", "indicator", "value", "unit", "flags",
                       "source_url", "excerpt", "source_quality", "source_published"]


def observations_frame(session: Session, *, regions: Sequence[str] | None = None,
                       indicators: Sequence[str] | None = None,
                       periods: Sequence[str] | None = None, with_ids: bool = False,
                       limit: int | None = None, offset: int = 0,
                       official_only: bool = False) -> pd.DataFrame:
    """Observations as a long table with the canonical export columns; ``official_only`` leaves
    out third-party and unsourced values (the setting ``official_only`` of
    :class:`lantu.config.Settings` says whether an evaluation wants that)."""
    q = observation_filter(select(ObservationRow), regions=regions, indicators=indicators,
                           periods=periods)
    if official_only:
        q = q.where(ObservationRow.source_quality.in_(list(OFFICIAL_QUALITIES)))
    q = q.order_by(ObservationRow.region_code, ObservationRow.indicator_code, ObservationRow.period)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    rows = [
        {"id": r.id, "region_code": r.region_code, "period": r.period,
         "indicator": r.indicator_code, "value": r.value, "unit": r.unit, "flags": r.flags,
         "source_url": r.source_url, "excerpt": r.excerpt, "source_quality": r.source_quality,
         "source_file": r.source_file, "source_published": r.source_published,
         "source_note": r.source_note, "version": r.version,
         "updated_at": r.updated_at}
        for r in session.scalars(q)
    ]
    extra = ["id", "source_file", "source_note", "version", "updated_at"]
    cols = OBSERVATION_COLUMNS + (extra if with_ids else [])
    return pd.DataFrame(rows, columns=[*OBSERVATION_COLUMNS, *extra])[cols]


def observation_history(session: Session, observation_id: int) -> list[dict[str, Any]]:
    row = session.get(ObservationRow, observation_id)
    if row is None:
        return []
    out = [{"version": r.version, "value": r.value, "unit": r.unit, "flags": r.flags,
            "source_url": r.source_url, "excerpt": r.excerpt,
            "source_quality": r.source_quality, "source_published": r.source_published,
            "reason": r.reason, "current": False, "recorded_by": r.recorded_by,
            "recorded_at": r.recorded_at, "replaced_by": r.replaced_by,
            "replaced_at": r.replaced_at}
           for r in sorted(row.revisions, key=lambda r: (r.version, r.recorded_at, r.id))]
    out.append({"version": row.version, "value": row.value, "unit": row.unit, "flags": row.flags,
                "source_url": row.source_url, "excerpt": row.excerpt,
                "source_quality": row.source_quality, "source_published": row.source_published,
                "reason": "", "current": True,
                "recorded_by": row.created_by, "recorded_at": row.updated_at,
                "replaced_by": None, "replaced_at": None})
    return out


def coverage(session: Session) -> pd.DataFrame:
    """Count of observations by region × indicator × period (long)."""
    df = observations_frame(session)
    if df.empty:
        return pd.DataFrame(columns=["region_code", "indicator", "period", "n"])
    return df.groupby(["region_code", "indicator", "period"]).size().rename("n").reset_index()


# -- targets -------------------------------------------------------------------------------------

TARGET_COLUMNS = ["region_code", "indicator", "plan", "base_period", "base_value", "target_period",
                  "kind", "value", "value_high", "qualifier", "binding", "unit", "source_url",
                  "excerpt", "source_quality", "source_published", "machine_read", "note"]


def _target_key(t: TargetRow | Target) -> tuple:
    if isinstance(t, Target):
        return (t.region_code, t.indicator_code, str(t.target_period), t.kind, t.qualifier or "",
                t.plan or "", t.value, t.value_high)
    return (t.region_code, t.indicator_code, t.target_period, t.kind, t.qualifier or "",
            t.plan or "", t.value, t.value_high)


def apply_targets(session: Session, targets: Sequence[Target], *, batch: ImportBatchRow | None = None,
                  dry_run: bool = False) -> ApplySummary:
    """Insert targets not yet stored (same region, indicator, period, kind, qualifier, plan and
    value); identical ones are left alone, so importing twice changes nothing. A stored
    machine-read target that arrives reviewed (``machine_read`` false) is marked reviewed
    (``revised``); a reviewed one is never set back to machine-read."""
    summary = ApplySummary()
    if targets:
        gate.check(targets=targets, indicators=indicator_catalogue(session),
                   regions=admissible_regions(session, {t.region_code for t in targets}))
    existing = {_target_key(r): r for r in session.scalars(select(TargetRow))}
    for t in targets:
        key = _target_key(t)
        if key in existing:
            row = existing[key]
            if row is not None and row.machine_read and not t.machine_read:
                summary.revised.append(((t.region_code, str(t.target_period), t.indicator_code),
                                        t.value, t.value))
                if not dry_run:
                    row.machine_read = False
            else:
                summary.unchanged += 1
            continue
        existing[key] = None  # a repeat within this import: as for a stored row (below)
        summary.inserted.append((t.region_code, str(t.target_period), t.indicator_code))
        if dry_run:
            continue
        session.add(new := TargetRow(
            region_code=t.region_code, indicator_code=t.indicator_code, plan=t.plan,
            base_period=str(t.base_period) if t.base_period else None, base_value=t.base_value,
            target_period=str(t.target_period), kind=t.kind, value=t.value,
            value_high=t.value_high, qualifier=t.qualifier, binding=t.binding, unit=t.unit,
            source_url=t.source.url, source_file=t.source.file, excerpt=t.source.excerpt,
            note=t.source.note, source_quality=t.source.quality,
            source_published=t.source.published, machine_read=t.machine_read,
            import_batch_id=batch.id if batch else None))
        existing[key] = new
    session.flush()
    return summary


def find_target(session: Session, target: Target) -> TargetRow | None:
    """The stored row of a target (same key as :func:`apply_targets` matches on)."""
    key = _target_key(target)
    q = select(TargetRow).where(TargetRow.region_code == target.region_code,
                                TargetRow.indicator_code == target.indicator_code,
                                TargetRow.target_period == str(target.target_period))
    return next((r for r in session.scalars(q) if _target_key(r) == key), None)


def targets(session: Session, *, regions: Sequence[str] | None = None,
            indicators: Sequence[str] | None = None) -> list[Target]:
    q = select(TargetRow)
    if regions:
        q = q.where(TargetRow.region_code.in_(list(regions)))
    if indicators:
        q = q.where(TargetRow.indicator_code.in_(list(indicators)))
    q = q.order_by(TargetRow.region_code, TargetRow.indicator_code, TargetRow.target_period,
                   TargetRow.id)
    return [Target(region_code=r.region_code, indicator_code=r.indicator_code,
                   target_period=r.target_period, kind=r.kind, value=r.value,
                   value_high=r.value_high, qualifier=r.qualifier, binding=r.binding,
                   base_period=r.base_period, base_value=r.base_value, unit=r.unit, plan=r.plan,
                   source=Source(url=r.source_url, file=r.source_file, excerpt=r.excerpt,
                                 note=r.note, quality=r.source_quality,
                                 published=r.source_published),
                   machine_read=bool(r.machine_read))
            for r in session.scalars(q)]


def targets_frame(session: Session, **filters) -> pd.DataFrame:
    rows = [{"region_code": t.region_code, "indicator": t.indicator_code, "plan": t.plan,
             "base_period": str(t.base_period) if t.base_period else None,
             "base_value": t.base_value, "target_period": str(t.target_period), "kind": t.kind,
             "value": t.value, "value_high": t.value_high, "qualifier": t.qualifier,
             "binding": t.binding, "unit": t.unit, "source_url": t.source.url,
             "excerpt": t.source.excerpt, "source_quality": t.source.quality,
             "source_published": t.source.published, "machine_read": t.machine_read,
             "note": t.source.note}  # words for people; the marker is machine_read
            for t in targets(session, **filters)]
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


# -- plans ---------------------------------------------------------------------------------------


def save_plan(session: Session, plan: Plan, *, actor: str = "") -> int:
    """Insert or update a plan; nodes are matched by code so their ids (and the progress reports
    that point at them) survive a reload. Nodes no longer in the plan are removed."""
    gate.check_plan(plan, departments={d.code for d in departments(session)},
                    indicators=set(indicator_catalogue(session)),
                    regions=set(session.scalars(select(RegionRow.code))))
    row = session.get(PlanRow, plan.code) or PlanRow(code=plan.code)
    row.title, row.title_en, row.region_code = plan.title, plan.title_en, plan.region_code
    row.source_url, row.source_file, row.note = plan.source_url, plan.source_file, plan.note
    session.add(row)
    session.flush()
    existing = {n.code: n for n in session.scalars(
        select(PlanNodeRow).where(PlanNodeRow.plan_code == plan.code))}
    seen: set[str] = set()
    position = 0

    def put(node: PlanNode, parent: PlanNodeRow | None, depth: int) -> None:
        nonlocal position
        nrow = existing.get(node.code) or PlanNodeRow(plan_code=plan.code, code=node.code)
        nrow.parent_id = parent.id if parent else None
        nrow.kind, nrow.title, nrow.title_en, nrow.text = node.kind, node.title, node.title_en, node.text
        nrow.lead_department, nrow.start_date, nrow.due_date = node.lead, node.start, node.due
        nrow.note, nrow.position, nrow.depth = node.note, position, depth
        if nrow.id is None:
            nrow.status = node.status
        nrow.span_start, nrow.span_end = node.span if node.span else (None, None)
        nrow.supporting = [PlanNodeDepartmentRow(department_code=d) for d in dict.fromkeys(node.supporting)
                           if d and d != node.lead]
        nrow.indicators = [PlanNodeIndicatorRow(indicator_code=i) for i in dict.fromkeys(node.indicators)]
        nrow.milestones = [MilestoneRow(title=m.title, due_date=m.due, position=i)
                           for i, m in enumerate(node.milestones)]
        session.add(nrow)
        session.flush()
        seen.add(node.code)
        position += 1
        for child in node.children:
            put(child, nrow, depth + 1)

    for top in plan.children:
        put(top, None, 0)
    kept = {n.id for code, n in existing.items() if code in seen}
    # the parts a department gave its units stay with their task (they are not in the text)
    stale = [n for code, n in existing.items() if code not in seen
             and not (n.unit is not None and n.parent_id in kept)]
    for n in sorted(stale, key=lambda n: -n.depth):
        session.delete(n)
    audit(session, actor, "save", "plan", plan.code, {"nodes": len(seen), "removed": len(stale)})
    session.flush()
    return len(seen)


def plan_codes(session: Session) -> list[str]:
    return list(session.scalars(select(PlanRow.code).order_by(PlanRow.code)))


def load_plan(session: Session, code: str | None = None) -> Plan | None:
    """The plan with this code (or the first one stored) as a domain tree."""
    prow = session.get(PlanRow, code) if code else session.scalars(
        select(PlanRow).order_by(PlanRow.created_at, PlanRow.code)).first()
    if prow is None:
        return None
    plan = Plan(code=prow.code, title=prow.title, region_code=prow.region_code,
                title_en=prow.title_en, source_url=prow.source_url, source_file=prow.source_file,
                note=prow.note)
    nodes = list(session.scalars(select(PlanNodeRow).where(  # the plan, not its units' parts
        PlanNodeRow.plan_code == prow.code, PlanNodeRow.unit.is_(None))
        .order_by(PlanNodeRow.position)))
    built: dict[int, PlanNode] = {}
    for n in nodes:
        node = PlanNode(code=n.code, title=n.title, kind=n.kind, text=n.text, title_en=n.title_en,
                        lead=n.lead_department, supporting=[s.department_code for s in n.supporting],
                        start=n.start_date, due=n.due_date,
                        milestones=[Milestone(m.title, m.due_date) for m in n.milestones],
                        indicators=[i.indicator_code for i in n.indicators], status=n.status,
                        note=n.note, span=(n.span_start, n.span_end) if n.span_start is not None else None)
        built[n.id] = node
        if n.parent_id is None:
            plan.children.append(node)
        else:
            built[n.parent_id].children.append(node)
    return plan


def plan_node_rows(session: Session, plan_code: str) -> list[PlanNodeRow]:
    """The goals and tasks of a plan in order (not the parts departments gave their units)."""
    return list(session.scalars(select(PlanNodeRow).where(
        PlanNodeRow.plan_code == plan_code, PlanNodeRow.unit.is_(None))
        .order_by(PlanNodeRow.position)))


def delete_all_observations(session: Session) -> None:  # used by tests and `init --force`
    session.execute(delete(ObservationRevisionRow))
    session.execute(delete(ObservationRow))



def indicator_values(session: Session, code: str, *, regions: Sequence[str] | None = None,
                     periods: Sequence[str] | None = None) -> pd.DataFrame:
    """Values of one indicator as ``region_code, period, value, flags, derived``.

    A derived indicator (with a formula) is computed on demand from the observations of its
    inputs for the same region and period; it is never stored. A result exists only where every
    input has a value; its flags are the union of the inputs' flags.
    """
    row = session.get(IndicatorRow, code)
    if row is None:
        raise KeyError(code)
    cols = ["region_code", "period", "value", "flags", "derived"]
    if not row.formula:
        df = observations_frame(session, regions=regions, indicators=[code], periods=periods)
        df = df[["region_code", "period", "value", "flags"]].copy()
        df["derived"] = False
        return df[cols]
    formula = Indicator(code=row.code, name_zh=row.name_zh, formula=row.formula).formula
    df = observations_frame(session, regions=regions, indicators=list(formula.inputs),
                            periods=periods)
    if df.empty:
        return pd.DataFrame(columns=cols)
    wide = df.pivot_table(index=["region_code", "period"], columns="indicator", values="value")
    if any(i not in wide.columns for i in formula.inputs):
        return pd.DataFrame(columns=cols)
    values = formula.evaluate({i: wide[i] for i in formula.inputs}).dropna()
    # the flags of the inputs, but a bound as the formula turns it (a bound divisor gives the
    # other bound; two that pull apart leave the value open: no value is given)
    sides = df.assign(bound=[bound_of(f) for f in df["flags"]]).pivot_table(
        index=["region_code", "period"], columns="indicator", values="bound", aggfunc="first")
    flags = df.groupby(["region_code", "period"])["flags"].agg(
        lambda s: {f for v in s for f in v.split(";") if f} - set(BOUND_FLAGS))
    out = pd.DataFrame({"value": values}).join(flags)
    known = sides.reindex(out.index) if not sides.empty else None
    kept, texts = [], []
    for key, fl in zip(out.index, out["flags"]):
        row = {} if known is None else {i: v for i, v in known.loc[key].items()
                                       if isinstance(v, str)}
        side = formula.bound(row) if row else "exact"
        kept.append(side is not None)
        texts.append(";".join(sorted(fl | ({side} if side in BOUND_FLAGS else set()))))
    out = out.assign(flags=texts)[kept].reset_index()
    out["derived"] = True
    return out[cols]
