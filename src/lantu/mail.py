"""E-mail of notifications over SMTP (stdlib ``smtplib``), when ``LANTU_SMTP_URL`` is set:
``smtp://[user:password@]host[:port]`` (plain, STARTTLS when the server offers it) or
``smtps://…`` (TLS from the start).

:func:`deliver_pending` sends the outbox (notifications with ``email_to`` and no ``emailed_at``):
each is claimed first by a conditional UPDATE in its own transaction, so two senders running at
once (two web workers, two ``lantu remind``) never send one twice. A message that fails to send
is released again for the next run.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from sqlalchemy import select, update

from lantu.locale import LANGUAGES, translate
from lantu.store.models import utcnow
from lantu.store.models_supervision import NotificationRow
from lantu.store.notify import notice_text
from lantu.store.queries import department_names


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    host: str
    port: int
    tls: bool
    user: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpTarget:
    """>>> parse_smtp_url("smtp://127.0.0.1:1025")
    SmtpTarget(host='127.0.0.1', port=1025, tls=False, user=None, password=None)
    """
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(f"LANTU_SMTP_URL must be smtp://host:port or smtps://…, got {url!r}")
    tls = parts.scheme == "smtps"
    return SmtpTarget(parts.hostname, parts.port or (465 if tls else 25), tls,
                      unquote(parts.username) if parts.username else None,
                      unquote(parts.password) if parts.password else None)


def _connect(t: SmtpTarget) -> smtplib.SMTP:
    conn = (smtplib.SMTP_SSL(t.host, t.port, timeout=20) if t.tls
            else smtplib.SMTP(t.host, t.port, timeout=20))
    if not t.tls:
        conn.ehlo()
        if conn.has_extn("starttls"):
            conn.starttls()
            conn.ehlo()
    if t.user:
        conn.login(t.user, t.password or "")
    return conn


def deliver_pending(database, settings, limit: int = 1000) -> int:
    """Send up to ``limit`` pending notification e-mails; returns how many were sent."""
    if not settings.smtp_url:
        return 0
    target = parse_smtp_url(settings.smtp_url)
    with database.session() as s:
        ids = list(s.scalars(select(NotificationRow.id).where(
            NotificationRow.email_to.is_not(None), NotificationRow.emailed_at.is_(None))
            .order_by(NotificationRow.id).limit(limit)))
        departments = department_names(s)  # a department is said by its name
    if not ids:
        return 0
    sent = 0
    conn = None
    try:
        for nid in ids:
            with database.session() as s:  # claim: only one sender gets rowcount 1
                claimed = s.execute(update(NotificationRow).where(
                    NotificationRow.id == nid, NotificationRow.emailed_at.is_(None)).values(
                    emailed_at=utcnow())).rowcount
                row = s.get(NotificationRow, nid) if claimed else None
                msg = _message(row, settings, departments) if row else None
            if msg is None:
                continue
            try:
                conn = conn or _connect(target)
                conn.send_message(msg)
                sent += 1
            except (OSError, smtplib.SMTPException):
                with database.session() as s:  # release it for the next run
                    s.execute(update(NotificationRow).where(NotificationRow.id == nid)
                              .values(emailed_at=None))
                raise
    finally:
        if conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                pass
    return sent


def header_text(text: str) -> str:
    """A text as a mail header holds it: one line, every run of blanks and line breaks one
    space. A task title may hold line breaks (the text rule keeps CR and LF), and ``email``
    refuses a header holding one: the sender raised at that message on every run, so no
    e-mail after it ever went out.

    >>> header_text("[蓝图督办] 新交办任务 T1\r\nBcc: x@example.com")
    '[蓝图督办] 新交办任务 T1 Bcc: x@example.com'
    """
    return " ".join(text.split())


def _message(row: NotificationRow, settings,
             departments: dict[str, dict[str, str]] | None = None) -> EmailMessage:
    """The e-mail of a notification. The reader's language is not known to the sender (a user
    has no language of their own; a page's is the browser's), so it is said in both, Chinese
    first, each by the one rule of what a notification says (``notify.notice_text``); a row
    made before the keys were kept is said as written."""
    said = {lang: notice_text(lang, row.message_key, row.params, row.title, row.body,
                              departments) for lang in LANGUAGES}
    langs = [lang for lang in LANGUAGES if lang == "zh" or said[lang] != said["zh"]]
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = row.email_to
    msg["Subject"] = header_text(" / ".join(
        translate(lang, "ntf.mail.subject", title=said[lang][0]) for lang in langs))
    link = f"{settings.base_url.rstrip('/')}{row.link}" if row.link else ""
    parts = ["\n\n".join(x for x in said[lang] if x) for lang in langs]
    msg.set_content("\n\n".join(x for x in (*parts, link) if x))
    return msg
