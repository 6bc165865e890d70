"""Repositories of the evidence: milestones (dated qualitative achievements), coverage of the data
by source quality, series breaks. Functions take a ``Session`` (one transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lantu.domain import MilestoneFact
from lantu.domain.review import MACHINE_READ, is_machine_read
from lantu.store.models import (
    ImportBatchRow,
    MilestoneFactNodeRow,
    MilestoneFactRow,
    SeriesBreakRow,
)
from lantu.store.repo import ApplySummary

MILESTONE_COLUMNS = ["region_code", "year", "kind", "text", "source_url", "archive", "excerpt",
                     "nodes"]
#: what the export adds after the contract's columns (imported back by ``lantu import``): the
#: review state in the one column every table is read by (``machine_read``,
#: :func:`lantu.domain.review.row_machine_read`)
MILESTONE_EXTRA = ["start", "end", "source_quality", MACHINE_READ]


def apply_milestones(session: Session, items: Sequence[MilestoneFact], *,
                     batch: ImportBatchRow | None = None, actor: str = "",
                     dry_run: bool = False) -> ApplySummary:
    """Insert new milestones (key: region, year, kind, text); a known one whose source, offsets,
    nodes or review changed is updated (``revised``); the same is a no-op. A reviewed milestone
    is never set back to machine-read by a file that does not say so."""
    summary = ApplySummary()
    if not items:
        return summary
    regions = sorted({m.region_code for m in items})
    existing = {(r.region_code, r.year, r.kind, r.text): r for r in session.scalars(
        select(MilestoneFactRow).where(MilestoneFactRow.region_code.in_(regions))
        .options(selectinload(MilestoneFactRow.nodes)))}
    for m in items:
        key = (m.region_code, str(m.year), m.kind)
        row = existing.get(m.key)
        reviewed = m.reviewed or bool(row is not None and row.reviewed)
        values = dict(excerpt=m.excerpt, source_url=m.source_url, archive=m.archive,
                      start_offset=m.start, end_offset=m.end, source_quality=m.source_quality,
                      reviewed=reviewed)
        if row is not None:
            same = all(getattr(row, k) == v for k, v in values.items()) and \
                tuple(n.node_code for n in row.nodes) == tuple(sorted(m.nodes))
            if same:
                summary.unchanged += 1
                continue
            summary.revised.append((key, 0.0, 0.0))
            if dry_run:
                continue
            for k, v in values.items():
                setattr(row, k, v)
            if reviewed and m.reviewed and not row.reviewed_by:
                row.reviewed_by = actor
            row.nodes = [MilestoneFactNodeRow(node_code=n) for n in sorted(m.nodes)]
            continue
        summary.inserted.append(key)
        if dry_run:
            continue
        row = MilestoneFactRow(region_code=m.region_code, year=m.year, kind=m.kind, text=m.text,
                               reviewed_by=actor if m.reviewed else "",
                               import_batch_id=batch.id if batch else None, **values)
        row.nodes = [MilestoneFactNodeRow(node_code=n) for n in sorted(m.nodes)]
        session.add(row)
        existing[m.key] = row
    session.flush()
    return summary


def _as_dict(r: MilestoneFactRow) -> dict[str, Any]:
    return {"id": r.id, "region_code": r.region_code, "year": r.year, "kind": r.kind,
            "text": r.text, "source_url": r.source_url, "archive": r.archive,
            "excerpt": r.excerpt, "nodes": [n.node_code for n in r.nodes],
            "start": r.start_offset, "end": r.end_offset, "source_quality": r.source_quality,
            "reviewed": r.reviewed}


def milestones_for(session: Session, region_code: str | Sequence[str] | None = None, *,
                   node_codes: Sequence[str] | None = None, until_year: int | None = None,
                   since_year: int | None = None, reviewed_only: bool = False,
                   include_children: bool = True) -> list[dict[str, Any]]:
    """Milestones of a region (or several; ``None``: all), oldest first, as dicts with
    ``year, kind, text, source_url, archive, excerpt, nodes`` (and ``id, region_code, start, end,
    source_quality, reviewed``).

    ``node_codes`` keeps those linked to one of these plan nodes — with ``include_children``
    also to a node below one (``P0`` takes ``P0.1``); ``until_year``/``since_year`` bound the year
    (inclusive); ``reviewed_only`` leaves out what no person confirmed.
    """
    q = select(MilestoneFactRow).options(selectinload(MilestoneFactRow.nodes))
    if isinstance(region_code, str):
        q = q.where(MilestoneFactRow.region_code == region_code)
    elif region_code is not None:
        q = q.where(MilestoneFactRow.region_code.in_(list(region_code)))
    if until_year is not None:
        q = q.where(MilestoneFactRow.year <= until_year)
    if since_year is not None:
        q = q.where(MilestoneFactRow.year >= since_year)
    if reviewed_only:
        q = q.where(MilestoneFactRow.reviewed.is_(True))
    if node_codes is not None:
        codes = list(node_codes)
        node = MilestoneFactNodeRow.node_code
        cond = node.in_(codes)
        if include_children:
            for c in codes:
                cond = cond | node.startswith(f"{c}.", autoescape=True)
        q = q.where(MilestoneFactRow.id.in_(select(MilestoneFactNodeRow.milestone_id).where(cond)))
    q = q.order_by(MilestoneFactRow.year, MilestoneFactRow.region_code, MilestoneFactRow.id)
    return [_as_dict(r) for r in session.scalars(q)]


def milestones_frame(session: Session, region_code: str | None = None) -> pd.DataFrame:
    """Milestones as the export table: the contract's columns, then start, end, source quality
    and ``machine_read`` (no person reviewed it, as every importer reads it); ``nodes`` joined
    by ``;``."""
    rows = milestones_for(session, region_code)
    for r in rows:
        r["nodes"] = ";".join(r["nodes"])
        r[MACHINE_READ] = is_machine_read(r)
    return pd.DataFrame(rows, columns=[*MILESTONE_COLUMNS, *MILESTONE_EXTRA])


# -- series breaks --------------------------------------------------------------------------------


def upsert_series_breaks(session: Session, rows: Sequence[dict[str, str]]) -> int:
    """Store breaks (``region_code, indicator, period, reason, source_url``); idempotent."""
    n = 0
    for r in rows:
        row = session.scalars(select(SeriesBreakRow).where(
            SeriesBreakRow.region_code == r["region_code"],
            SeriesBreakRow.indicator_code == r["indicator"],
            SeriesBreakRow.period == str(r["period"]))).first()
        row = row or SeriesBreakRow(region_code=r["region_code"], indicator_code=r["indicator"],
                                    period=str(r["period"]))
        row.reason, row.source_url = r["reason"], r.get("source_url", "")
        session.add(row)
        n += 1
    session.flush()
    return n


def series_breaks(session: Session, *, regions: Sequence[str] | None = None,
                  indicators: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Breaks as dicts ``region_code, indicator, period, reason, source_url`` (by region,
    indicator, period). Feed the periods of one region and indicator to
    :func:`lantu.analysis.series.comparable` / ``last_segment`` before a trend or a verdict."""
    q = select(SeriesBreakRow)
    if regions:
        q = q.where(SeriesBreakRow.region_code.in_(list(regions)))
    if indicators:
        q = q.where(SeriesBreakRow.indicator_code.in_(list(indicators)))
    q = q.order_by(SeriesBreakRow.region_code, SeriesBreakRow.indicator_code, SeriesBreakRow.period)
    return [{"region_code": r.region_code, "indicator": r.indicator_code, "period": r.period,
             "reason": r.reason, "source_url": r.source_url} for r in session.scalars(q)]


def break_periods(session: Session, region_code: str, indicator: str) -> list[str]:
    """The periods where the series of one region and indicator breaks."""
    return [b["period"] for b in series_breaks(session, regions=[region_code],
                                               indicators=[indicator])]


# -- coverage by source quality -------------------------------------------------------------------


def coverage_by_quality(session: Session, *, regions: Sequence[str] | None = None,
                        periods: Sequence[str] | None = None) -> pd.DataFrame:
    """How many indicators have a (current) value per region, period and source quality:
    ``region_code, period, source_quality, n``."""
    from sqlalchemy import func

    from lantu.store.models import ObservationRow

    q = select(ObservationRow.region_code, ObservationRow.period, ObservationRow.source_quality,
               func.count()).group_by(ObservationRow.region_code, ObservationRow.period,
                                      ObservationRow.source_quality)
    if regions:
        q = q.where(ObservationRow.region_code.in_(list(regions)))
    if periods:
        q = q.where(ObservationRow.period.in_([str(p) for p in periods]))
    rows = [tuple(r) for r in session.execute(q)]
    return pd.DataFrame(rows, columns=["region_code", "period", "source_quality", "n"])


def coverage_matrix(cov: pd.DataFrame, *, n_indicators: int, periods: Sequence[str]
                    ) -> pd.DataFrame:
    """Per region: cells (indicators × periods) with a value, by source quality, and the share
    of all cells: columns ``official_statistics … none, total, cells, share``."""
    from lantu.domain import SOURCE_QUALITIES

    cells = n_indicators * len(periods)
    if cov.empty:
        return pd.DataFrame(columns=[*SOURCE_QUALITIES, "total", "cells", "share"])
    wide = cov.pivot_table(index="region_code", columns="source_quality", values="n",
                           aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=list(SOURCE_QUALITIES), fill_value=0).astype(int)
    wide["total"] = wide.sum(axis=1)
    wide["cells"] = cells
    wide["share"] = (100 * wide["total"] / cells).round(0).astype(int) if cells else 0
    return wide
