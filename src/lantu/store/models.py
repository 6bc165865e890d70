"""SQLAlchemy 2 schema. Names follow the domain: region, indicator, period, observation, target,
plan, task (plan_node). Migrations in ``migrations/`` are the source of truth for the database;
this module must match them (a test compares)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    false as sa_false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lantu.store.base import LABEL, NAMING, Base, utcnow  # noqa: F401 - re-exported


class RegionRow(Base):
    __tablename__ = "region"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), nullable=True)


class RegionGroupRow(Base):
    __tablename__ = "region_group"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200), info=LABEL)
    name_en: Mapped[str] = mapped_column(String(200), default="", info=LABEL)
    note: Mapped[str] = mapped_column(Text, default="")
    members: Mapped[list[RegionGroupMemberRow]] = relationship(
        cascade="all, delete-orphan", order_by="RegionGroupMemberRow.position")


class RegionGroupMemberRow(Base):
    __tablename__ = "region_group_member"
    group_code: Mapped[str] = mapped_column(ForeignKey("region_group.code"), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class IndicatorRow(Base):
    __tablename__ = "indicator"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[int] = mapped_column(Integer, default=1)
    pillar: Mapped[str | None] = mapped_column(String(20), nullable=True)
    formula: Mapped[str | None] = mapped_column(String(500), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    # the admissible range of a figure (catalogue data); NULL: open on that side
    min_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    # catalogue properties the verdict reads: yearly flows (summed by a cumulative target), and
    # the indicator whose provincial total this one is a share of
    flow: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # yearly rates of change (growth | reduction) that a cumulative target compounds; NULL: none
    rate: Mapped[str | None] = mapped_column(String(16), nullable=True)
    share_of_province: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ImportBatchRow(Base):
    """One import run: which file, its hash, how many rows, by whom; observations point to it."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))  # observations | targets | default
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    summary: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class ObservationRow(Base):
    __tablename__ = "observation"
    # the key serves a region (its first column), the second index an indicator and its
    # periods: two indexes to keep up on every write (migration 0010_obsindex)
    __table_args__ = (UniqueConstraint("region_code", "period", "indicator_code"),
                      Index("ix_observation_indicator_period", "indicator_code", "period"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    period: Mapped[str] = mapped_column(String(10))
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40), default="")
    flags: Mapped[str] = mapped_column(String(200), default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    source_file: Mapped[str] = mapped_column(String(500), default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    source_note: Mapped[str] = mapped_column(Text, default="")
    source_quality: Mapped[str] = mapped_column(String(24), default="none", server_default="none")
    source_published: Mapped[str] = mapped_column(String(10), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)
    revisions: Mapped[list[ObservationRevisionRow]] = relationship(
        cascade="all, delete-orphan", order_by="ObservationRevisionRow.version")


class ObservationRevisionRow(Base):
    """A previous state of an observation: written whenever a value or its source changes."""

    __tablename__ = "observation_revision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observation.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40), default="")
    flags: Mapped[str] = mapped_column(String(200), default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    source_file: Mapped[str] = mapped_column(String(500), default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    source_quality: Mapped[str] = mapped_column(String(24), default="none", server_default="none")
    source_published: Mapped[str] = mapped_column(String(10), default="", server_default="")
    #: ``replaced``: this was the value until a better or later one came; ``outranked``: this
    #: value arrived but a source of higher precedence was already stored (never current)
    reason: Mapped[str] = mapped_column(String(20), default="replaced", server_default="replaced")
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    replaced_by: Mapped[str] = mapped_column(String(100), default="")
    replaced_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class TargetRow(Base):
    __tablename__ = "target"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"), index=True)
    plan: Mapped[str] = mapped_column(String(300), default="")
    base_period: Mapped[str | None] = mapped_column(String(10), nullable=True)
    base_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_period: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(30))
    value: Mapped[float] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float, nullable=True)
    qualifier: Mapped[str | None] = mapped_column(String(10), nullable=True)
    binding: Mapped[bool] = mapped_column(Boolean, default=False)
    unit: Mapped[str] = mapped_column(String(40), default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    source_file: Mapped[str] = mapped_column(String(500), default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    source_quality: Mapped[str] = mapped_column(String(24), default="none", server_default="none")
    source_published: Mapped[str] = mapped_column(String(10), default="", server_default="")
    # read by `lantu extract` (or the default's build), not confirmed by a person yet — the one
    # review marker (lantu.domain.review); ``note`` may say it in words, nothing reads the note
    machine_read: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class DepartmentRow(Base):
    __tablename__ = "department"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200), info=LABEL)
    name_en: Mapped[str] = mapped_column(String(300), default="", info=LABEL)


class PlanRow(Base):
    __tablename__ = "plan"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text, default="")
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), nullable=True)
    source_url: Mapped[str] = mapped_column(Text, default="")
    source_file: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PlanNodeRow(Base):
    """A goal or a task of a plan (``kind``). Tasks are what departments report progress on."""

    __tablename__ = "plan_node"
    __table_args__ = (UniqueConstraint("plan_code", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_code: Mapped[str] = mapped_column(ForeignKey("plan.code"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan_node.id"), nullable=True)
    code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10), default="task")
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    lead_department: Mapped[str | None] = mapped_column(ForeignKey("department.code"),
                                                        nullable=True, index=True)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    span_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    span_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # assignment (立项交办, migration 0004): where the task comes from, when it was assigned to its
    # lead department and when that department acknowledged receipt (签收)
    origin: Mapped[str | None] = mapped_column(String(20), nullable=True)
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # a part of a task its lead department assigned to one of its own units (内设处室 or 责任人,
    # migration 0006): the unit's name and its weight in the task's roll-up (None: 1)
    unit: Mapped[str | None] = mapped_column(String(200), nullable=True)
    weight: Mapped[float | None] = mapped_column(Float, nullable=True)
    supporting: Mapped[list[PlanNodeDepartmentRow]] = relationship(cascade="all, delete-orphan")
    indicators: Mapped[list[PlanNodeIndicatorRow]] = relationship(cascade="all, delete-orphan")
    milestones: Mapped[list[MilestoneRow]] = relationship(
        cascade="all, delete-orphan", order_by="MilestoneRow.position")


class PlanNodeDepartmentRow(Base):
    __tablename__ = "plan_node_department"
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id"), primary_key=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("department.code"), primary_key=True)


class PlanNodeIndicatorRow(Base):
    __tablename__ = "plan_node_indicator"
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id"), primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"), primary_key=True)


class MilestoneRow(Base):
    __tablename__ = "milestone"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class MilestoneFactRow(Base):
    """A dated, completed achievement an official text states (a designation, a completion, an
    event, a first): qualitative evidence for goals without measurable targets. ``start_offset``
    and ``end_offset`` locate the milestone in the source text; ``reviewed`` says a person
    confirmed it (else it was machine-read)."""

    __tablename__ = "milestone_fact"
    __table_args__ = (UniqueConstraint("region_code", "year", "kind", "text"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    excerpt: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    archive: Mapped[str] = mapped_column(String(500), default="")
    start_offset: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end_offset: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source_quality: Mapped[str] = mapped_column(String(24), default="none")
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)
    nodes: Mapped[list[MilestoneFactNodeRow]] = relationship(
        cascade="all, delete-orphan", order_by="MilestoneFactNodeRow.node_code")


class MilestoneFactNodeRow(Base):
    """A plan node (by code, e.g. ``P0.1``) a milestone serves; a milestone may serve several."""

    __tablename__ = "milestone_fact_node"
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone_fact.id"), primary_key=True)
    node_code: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class SeriesBreakRow(Base):
    """A break in a series: from ``period`` on, values of the indicator for the region are not
    comparable with earlier ones (a census revision, a change of definition). Trends and
    evaluations must not run across it (:func:`lantu.analysis.series.comparable`)."""

    __tablename__ = "series_break"
    __table_args__ = (UniqueConstraint("region_code", "indicator_code", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(Text, default="")


class AuditLogRow(Base):
    """Every change made through Lantu: who, when, what, and a JSON detail."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict | None] = mapped_column(JSON, nullable=True)


# The web application's tables (users, sessions, progress reports…) share this metadata.
from lantu.store import models_supervision, models_web  # noqa: E402,F401
