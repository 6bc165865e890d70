"""Tables of the supervision cycle (migration 0004): task versions (立项交办 history), reminders
(催办), notifications, extension requests (延期) and closure requests (销号).

Automatic reminders carry a unique ``key`` (task, kind and the deadline in force): two runs of
``lantu remind`` — even at once, on two machines — can insert each only once. Requests carry a
``version`` (optimistic locking): of two supervisors deciding the same request at once, one wins
and the other is told the request changed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from lantu.store.base import Base, utcnow

REQUEST_STATUSES = ("pending", "granted", "refused")
TASK_ORIGINS = ("blueprint", "annual", "meeting", "instruction")


class TaskVersionRow(Base):
    """One version of a task's assignment: what it said (``data``), who changed it, when, why."""

    __tablename__ = "task_version"
    __table_args__ = (UniqueConstraint("node_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id", ondelete="CASCADE"),
                                         index=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(Text, default="")  # as said in Chinese when it was made
    data: Mapped[dict] = mapped_column(JSON)
    # a reason the system wrote (延期, 销号, …), said in the reader's language when read
    # (migration 0014; rows before it, and a reason a person typed, have only ``reason``):
    # lantu.store.assignment.version_reason
    message_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    params: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class ReminderRow(Base):
    """A reminder (催办) about a task to its lead department: by a supervisor (``manual``) or
    automatic (``before_due``, ``overdue``, ``escalation``, ``unacknowledged``)."""

    __tablename__ = "reminder"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str | None] = mapped_column(String(120), unique=True, nullable=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id", ondelete="CASCADE"),
                                         index=True)
    department_code: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text, default="")
    reply_by: Mapped[date | None] = mapped_column(Date, nullable=True)
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    sent_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class NotificationRow(Base):
    """A message to one user, shown under the bell; e-mailed once when SMTP is configured
    (``email_to`` set, ``emailed_at`` stamped by whoever claims it first)."""

    __tablename__ = "notification"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(Text)  # as said in Chinese when it was made
    body: Mapped[str] = mapped_column(Text, default="")
    # what it says, said in the reader's language when read (migration 0012; rows made
    # before it have only title and body): lantu.store.notify.notice_text
    message_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    params: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    link: Mapped[str] = mapped_column(String(300), default="")
    node_id: Mapped[int | None] = mapped_column(ForeignKey("plan_node.id", ondelete="CASCADE"),
                                                nullable=True)
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminder.id", ondelete="CASCADE"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    email_to: Mapped[str | None] = mapped_column(String(254), nullable=True)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class _RequestMixin:
    """What an extension and a closure request share: the task, the department that asks, who
    asked when, the decision and the version that guards it."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id", ondelete="CASCADE"),
                                         index=True)
    department_code: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    requested_by: Mapped[str] = mapped_column(String(64), default="")
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}


class ExtensionRequestRow(_RequestMixin, Base):
    """A lead department's request for a new deadline (延期), granted or refused once."""

    __tablename__ = "extension_request"
    old_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    new_due: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)


class ClosureRequestRow(_RequestMixin, Base):
    """A lead department's request to close (销号) a task with its completion evidence."""

    __tablename__ = "closure_request"
    comment: Mapped[str] = mapped_column(Text)
