"""Notifications: who is told what (a department's reporters, the supervisors), the bell's unread
count, the caller's list and marking as read. E-mail is an outbox: a notification to a user with
an address carries ``email_to`` and is sent once by :func:`lantu.mail.deliver_pending`, which
claims it with a conditional UPDATE (two senders at once cannot both send it).

What a notification says is kept as a message key and its parameters (``ntf.<key>.title`` and,
when the text has one, ``ntf.<key>.body`` in the locale files) and said in the reader's language
when read, by :func:`notice_text`, the one place every view asks (the bell's list, the JSON API,
the e-mail). Rows made before migration 0012 have only the Chinese title and body they were
written with, and are shown as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lantu.errors import NotFound
from lantu.locale import DEFAULT_LANGUAGE, catalogue, translate
from lantu.store.models import utcnow
from lantu.store.models_supervision import NotificationRow
from lantu.store.models_web import UserRow
from lantu.store.queries import department_names


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


#: the parameters of a message that hold a department's code: said by its name in the reader's
#: language (:func:`department_name`), never as the code
DEPARTMENT_PARAMS = ("lead", "department")


def department_name(departments: dict[str, dict[str, str]] | None, code: Any, lang: str) -> str:
    """The name of department ``code`` in ``lang`` from ``departments``
    (:func:`lantu.store.queries.department_names`); the code itself only when it names none.

    >>> department_name({"fgw": {"zh": "市发展改革委", "en": "Development and Reform"}}, "fgw", "en")
    'Development and Reform'
    >>> department_name({}, "xyz", "zh")
    'xyz'
    """
    names = (departments or {}).get(str(code)) or {}
    return str(names.get(lang) or names.get(DEFAULT_LANGUAGE) or code)


def say(lang: str, key: str, params: dict[str, Any] | None,
        departments: dict[str, dict[str, str]] | None = None) -> str:
    """The text of message ``key`` with ``params`` in ``lang``, the one rule of every message
    kept as a key and parameters (notifications, the reasons of a task's versions): an empty
    value is a dash, a task's title is its English one on English pages when it has one, and
    a department (:data:`DEPARTMENT_PARAMS`) is its name in ``lang``, never its code. What a
    person typed (a reason, a comment) is a parameter and stays as typed.

    >>> say("en", "ntf.reminder.title", {"code": "T1", "title": "任务", "title_en": "A task"})
    'Reminder: T1 A task'
    """
    values = {k: ("—" if v is None or v == "" else v) for k, v in (params or {}).items()}
    if lang != DEFAULT_LANGUAGE and (params or {}).get("title_en"):
        values["title"] = params["title_en"]  # type: ignore[index]
    for k in DEPARTMENT_PARAMS:
        if (params or {}).get(k):
            values[k] = department_name(departments, params[k], lang)  # type: ignore[index]
    return translate(lang, key, **values)


def notice_text(lang: str, key: str | None, params: dict[str, Any] | None, title: str = "",
                body: str = "", departments: dict[str, dict[str, str]] | None = None,
                ) -> tuple[str, str]:
    """The title and body of a notification in ``lang``: written from its key and parameters
    by :func:`say` (``departments``: the names a department's code is said by); a row without
    a key (made before the keys were kept) as written. A body the key has no text for is the
    person's own words (a reason, a comment), shown as written.

    >>> p = {"code": "T1", "title": "任务", "title_en": "A task", "due": "2026-06-30"}
    >>> notice_text("en", "ntf.assigned", p)
    ('New task assigned: T1 A task', 'Deadline 2026-06-30; please acknowledge it.')
    >>> notice_text("zh", "ntf.assigned", p)[0]
    '新交办任务 T1 任务'
    >>> notice_text("en", None, None, "催办：T1 任务", "请尽快")
    ('催办：T1 任务', '请尽快')
    """
    if not key:
        return title, body
    said = say(lang, f"{key}.title", params, departments)
    if f"{key}.body" in catalogue(lang):
        body = say(lang, f"{key}.body", params, departments)
    return said, body


def task_params(node: Any, **more: Any) -> dict[str, Any]:
    """A notification's parameters about a task: its code and titles, and ``more`` (dates as
    ``YYYY-MM-DD``)."""
    values = {"code": node.code, "title": node.title, "title_en": node.title_en or ""}
    values.update({k: (v.isoformat() if hasattr(v, "isoformat") else v)
                   for k, v in more.items()})
    return values


def notify(session: Session, users: Iterable[UserRow], *, kind: str, key: str,
           params: dict[str, Any], body: str = "", link: str = "", node_id: int | None = None,
           reminder_id: int | None = None, mail: bool = False) -> list[NotificationRow]:
    """One notification per user, saying ``key`` with ``params`` (:func:`notice_text`);
    ``body``: the person's own words, when the key has no body text. ``mail``: also e-mail it
    to users with an address."""
    title, said = notice_text(DEFAULT_LANGUAGE, key, params, body=body,
                              departments=department_names(session))
    rows = [NotificationRow(user_id=u.id, kind=kind, title=title[:2000], body=said,
                            message_key=key, params=params, link=link,
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
                  unread_only: bool = False,
                  lang: str = DEFAULT_LANGUAGE) -> tuple[int, list[dict[str, Any]]]:
    """(total, page) of the user's notifications, newest first, said in ``lang``."""
    cond = [NotificationRow.user_id == user_id]
    if unread_only:
        cond.append(NotificationRow.read_at.is_(None))
    total = session.scalar(select(func.count()).select_from(NotificationRow).where(*cond)) or 0
    rows = session.scalars(select(NotificationRow).where(*cond).order_by(
        NotificationRow.created_at.desc(), NotificationRow.id.desc()).limit(limit).offset(offset))
    out, departments = [], department_names(session)
    for n in rows:
        title, body = notice_text(lang, n.message_key, n.params, n.title, n.body, departments)
        out.append({"id": n.id, "kind": n.kind, "title": title, "body": body,
                    "key": n.message_key, "params": n.params, "link": n.link,
                    "task_id": n.node_id, "created_at": n.created_at,
                    "read": n.read_at is not None, "read_at": n.read_at})
    return total, out


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
