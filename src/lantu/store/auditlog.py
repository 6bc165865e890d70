"""Reading the audit log (every change made through Lantu is an ``audit_log`` row)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lantu.store.models import AuditLogRow


def audit_page(session: Session, *, actor: str | None = None, entity: str | None = None,
               action: str | None = None, limit: int = 50,
               offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """One page of the audit log, newest first, and the number of matching rows."""
    q = select(AuditLogRow)
    if actor:
        q = q.where(AuditLogRow.actor == actor)
    if entity:
        q = q.where(AuditLogRow.entity == entity)
    if action:
        q = q.where(AuditLogRow.action == action)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(q.order_by(AuditLogRow.at.desc(), AuditLogRow.id.desc())
                           .limit(limit).offset(offset))
    return [{"id": r.id, "at": r.at, "actor": r.actor, "action": r.action, "entity": r.entity,
             "entity_id": r.entity_id, "detail": r.detail} for r in rows], total


def audit_facets(session: Session) -> dict[str, list[str]]:
    """Distinct actors, entities and actions (for the filter menus)."""
    return {name: sorted(v for v in session.scalars(select(col).distinct()) if v)
            for name, col in (("actor", AuditLogRow.actor), ("entity", AuditLogRow.entity),
                              ("action", AuditLogRow.action))}
