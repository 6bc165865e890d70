"""Notifications: who is told what (a department's reporters, the supervisors), the bell's unread
count, the caller's list and marking as read. E-mail is an outbox: a notification to a user with
an address carries ``email_to`` and is sent once by :func:`lantu.mail.deliver_pending`, which
claims it with a conditional UPDATE (two senders at once cannot both send it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lantu.errors import NotFound
from lantu.store.models import utcnow
from lantu.store.models_supervision import NotificationRow
from lantu.store.models_web import UserRow


class NoNotification(NotFound):
    """Not the caller's notification, or none with that id (answer 404)."""

    key = "err.no_notification"


def department_users(session: Session, department: str) -> list[UserRow]:
    """The active reporters of a department."""
    return list(session.scalars(select(UserRow).where(
        UserRow.department_code == department, UserRow.role == "reporter",
        UserRow.active.is_(True)).order_by(UserRow.id)))


def supervisors(session: Session) -> list[UserRow]:
    """The active supervisors (the admins when there is none)."""
    rows = list(session.scalars(select(UserRow).where(
        UserRow.role == "supervisor", UserRow.active.is_(True)).order_by(UserRow.id)))
    return rows or list(session.scalars(select(UserRow).where(
        UserRow.role == "admin", UserRow.active.is_(True)).order_by(UserRow.id)))


def notify(session: Session, users: Iterable[UserRow], *, kind: str, title: str,
           body: str = "", link: str = "", node_id: int | None = None,
           reminder_id: int | None = None, mail: bool = False) -> list[NotificationRow]:
    """One notification per user; ``mail``: also e-mail it to users with an address."""
    rows = [NotificationRow(user_id=u.id, kind=kind, title=title[:2000], body=body, link=link,
                            node_id=node_id, reminder_id=reminder_id, created_at=utcnow(),
                            email_to=(u.email if mail and u.email else None))
            for u in users]
    session.add_all(rows)
    session.flush()
    return rows


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(NotificationRow).where(
        NotificationRow.user_id == user_id, NotificationRow.read_at.is_(None))) or 0


def notifications(session: Session, user_id: int, *, limit: int = 50, offset: int = 0,
                  unread_only: bool = False) -> tuple[int, list[dict[str, Any]]]:
    """(total, page) of the user's notifications, newest first."""
    cond = [NotificationRow.user_id == user_id]
    if unread_only:
        cond.append(NotificationRow.read_at.is_(None))
    total = session.scalar(select(func.count()).select_from(NotificationRow).where(*cond)) or 0
    rows = session.scalars(select(NotificationRow).where(*cond).order_by(
        NotificationRow.created_at.desc(), NotificationRow.id.desc()).limit(limit).offset(offset))
    return total, [{"id": n.id, "kind": n.kind, "title": n.title, "body": n.body,
                    "link": n.link, "task_id": n.node_id, "created_at": n.created_at,
                    "read": n.read_at is not None, "read_at": n.read_at} for n in rows]


def mark_read(session: Session, user_id: int, notification_id: int,
              now: datetime | None = None) -> None:
    row = session.get(NotificationRow, notification_id)
    if row is None or row.user_id != user_id:
        raise NoNotification(f"no notification {notification_id}")
    if row.read_at is None:
        row.read_at = now or utcnow()


def mark_all_read(session: Session, user_id: int) -> int:
    res = session.execute(update(NotificationRow).where(
        NotificationRow.user_id == user_id, NotificationRow.read_at.is_(None)).values(
        read_at=utcnow()))
    return res.rowcount or 0
