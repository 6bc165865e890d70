"""Tables of the web application and of the supervision workflow (migration 0002).

Users and their sessions live in the database so that several worker processes stay stateless.
Progress reports, their evidence files and the task history (``task_event``) are the data of
督查督办; the monthly bulletin is computed from them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from lantu.store.base import LABEL, Base, utcnow

ROLES = ("admin", "supervisor", "analyst", "reporter", "viewer")
REPORT_STATUSES = ("draft", "submitted", "returned", "approved")


class UserRow(Base):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="", info=LABEL)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("department.code"),
                                                        nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)  # migration 0004
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # the password breaks the rule's context words (found at sign-in, e.g. after a rename): the
    # user must choose a new one before any other page (migration 0012)
    password_must_change: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=false())


class WebSessionRow(Base):
    """A login session. ``id`` is the SHA-256 of the cookie's token: a stolen table is useless."""

    __tablename__ = "web_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class LoginAttemptRow(Base):
    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the SHA-256 of the name typed (``users.attempt_name``), never the name itself
    username: Mapped[str] = mapped_column(String(64), index=True)
    ip: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    success: Mapped[bool] = mapped_column(Boolean, default=False)


class ApiTokenRow(Base):
    """A bearer token for ``/api/v1``; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(100), default="", info=LABEL)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class ProgressReportRow(Base):
    """Monthly progress of one department on one task (``plan_node``).

    ``version`` counts edits and is used for optimistic locking: two reviewers acting on the same
    report at once cannot both win.
    """

    __tablename__ = "progress_report"
    __table_args__ = (UniqueConstraint("node_id", "department_code", "month"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id", ondelete="CASCADE"),
                                         index=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("department.code"), index=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class EvidenceFileRow(Base):
    __tablename__ = "evidence_file"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_report.id", ondelete="CASCADE"),
                                           index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class TaskEventRow(Base):
    """One state change in the life of a task: a report drafted, submitted, returned, approved,
    evidence added, the task done. The whole history of a task is the list of its events."""

    __tablename__ = "task_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id", ondelete="CASCADE"),
                                         index=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_report.id", ondelete="SET NULL"), nullable=True, index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    department_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    month: Mapped[str | None] = mapped_column(String(7), nullable=True)
