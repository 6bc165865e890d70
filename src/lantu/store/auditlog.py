"""Reading the audit log (every change made through Lantu is an ``audit_log`` row)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


# -- what a row's detail says --------------------------------------------------------------------

#: the detail's keys whose value is a department's code: said by its name (notify.department_name)
_DEPARTMENT_KEYS = frozenset({"department", "lead"})
#: keys whose value is who did something (a user name or the system): lantu.actors.actor_text
_ACTOR_KEYS = frozenset({"reviewed_by", "uploaded_by"})
#: a version's changed fields whose values are departments' codes (one, or a list)
_DEPARTMENT_FIELDS = frozenset({"lead", "supporting"})


def detail_items(detail: Any, lang: str, *, departments: dict[str, dict[str, str]] | None = None,
                 regions: dict[str, dict[str, str]] | None = None) -> list[tuple[str, str]]:
    """What an audit row's ``detail`` (the JSON it was written with) says, as a reader reads it:
    ``[(label, text)]`` in ``lang``, the one rule of the audit log's page and of anything that
    exports it. A key is named by ``au.key.<key>`` of the locale files; a department by its
    name (:func:`lantu.store.notify.department_name`), a role, a task's status, a source's
    quality, a table's layout by their words in ``lang``, a region by its name, the system by
    its name (:func:`lantu.actors.actor_text`); what a person typed (a reason, a comment, a
    file's name) stays as typed. A key without a word (written by a newer Lantu) keeps its
    place, named as written.

    >>> detail_items({"role": "reporter", "department": "zzb"}, "en",
    ...              departments={"zzb": {"zh": "市委组织部", "en": "Organisation Department"}})
    [('Role', 'Department reporter'), ('Department', 'Organisation Department')]
    >>> detail_items({"observations": {"inserted": 6, "revised": 0}}, "zh")
    [('观测值', '新增 6')]
    """
    if not isinstance(detail, dict):
        return [] if detail in (None, "", {}) else [("", _plain(detail))]
    say = _Sayer(lang, departments or {}, regions or {})
    return [(say.key(k), say.value(k, v)) for k, v in detail.items()]


def detail_text(detail: Any, lang: str, **names: Any) -> str:
    """:func:`detail_items` as one line (``角色：部门填报员；部门：市委组织部``), for a cell of a
    table or a file."""
    from lantu.locale import translate

    colon, semi = translate(lang, "zh9.colon"), translate(lang, "au.semi")
    return semi.join(f"{k}{colon}{v}" if k else v for k, v in detail_items(detail, lang, **names))


def change_items(changes: Iterable[Mapping[str, Any]], lang: str, *,
                 departments: dict[str, dict[str, str]] | None = None) -> list[dict[str, str]]:
    """Changed fields of a task (``{"field", "old", "new"}``, as
    :func:`lantu.store.assignment.version_diff` gives them) as a reader reads them:
    ``{"field", "label", "old", "new"}`` with the field's name and both values in ``lang`` — the
    one rule by which the audit log's ``changes`` and the versions page of a task show a changed
    field. What a person typed is shown whole here (a text compared with its other version).

    >>> change_items([{"field": "status", "old": "in_progress", "new": "done"}], "en")
    [{'field': 'status', 'label': 'Status', 'old': 'In progress', 'new': 'Done'}]
    """
    say = _Sayer(lang, departments or {}, {}, limit=None)
    out = []
    for c in changes:
        label, old, new = say.field_change(c["field"], c.get("old"), c.get("new"))
        out.append({"field": c["field"], "label": label, "old": old, "new": new})
    return out


def _plain(value: Any, limit: int | None = 300) -> str:
    text = "—" if value is None or value == "" else str(value)
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


class _Sayer:
    def __init__(self, lang: str, departments: dict[str, dict[str, str]],
                 regions: dict[str, dict[str, str]], limit: int | None = 300) -> None:
        from lantu.locale import catalogue

        self.lang, self.departments, self.regions, self.limit = lang, departments, regions, limit
        self.texts = catalogue(lang)
        self.sep = "、" if lang == "zh" else ", "

    def word(self, key: str, default: str) -> str:
        return self.texts.get(key, default)

    def key(self, key: str) -> str:
        return self.word(f"au.key.{key}", key)

    def department(self, code: Any) -> str:
        from lantu.store.notify import department_name

        return "—" if not code else department_name(self.departments, code, self.lang)

    def value(self, key: str, value: Any) -> str:
        from lantu.actors import actor_text

        if isinstance(value, bool):
            return self.word("au.yes" if value else "au.no", str(value))
        if value is None or value == "":
            return "—"
        if isinstance(value, dict):
            if key == "changes":
                return self.sep.join(self.change(f, v) for f, v in value.items())
            parts = [(k, v) for k, v in value.items() if v not in (0, None, "", [], {})
                     or isinstance(v, bool)]
            if not parts:
                return "0" if all(v == 0 for v in value.values()) else "—"
            return self.sep.join(f"{self.key(k)} {self.value(k, v)}" for k, v in parts)
        if isinstance(value, list | tuple):
            if key == "members":
                return self.sep.join(self.region(c) for c in value)
            return self.sep.join(self.value(key, v) for v in value) or "—"
        if key in _DEPARTMENT_KEYS:
            return self.department(value)
        if key in _ACTOR_KEYS:
            return actor_text(self.lang, value)
        if key == "role":
            return self.word(f"role.{value}", str(value))
        if key == "layout":
            return self.word(f"layout.{value}", str(value))
        if key == "source_quality":
            return self.word(f"quality.{value}", str(value))
        if key in ("from", "to", "status") and isinstance(value, str) \
                and f"status.{value}" in self.texts:
            return self.texts[f"status.{value}"]
        if key == "percent" and isinstance(value, int | float):
            return f"{value:g}%"
        if key == "reviewed_at":
            return _when(value)
        if key == "sha256":
            return str(value)[:12] + "…"
        if isinstance(value, float):
            return f"{value:g}"
        return _plain(value, self.limit)

    def region(self, code: Any) -> str:
        names = self.regions.get(str(code)) or {}
        return str(names.get(self.lang) or names.get("zh") or code)

    def change(self, field: str, pair: Any) -> str:
        old, new = (pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair))
        label, was, now = self.field_change(field, old, new)
        return f"{label} {was} → {now}"

    def field_change(self, field: str, old: Any, new: Any) -> tuple[str, str, str]:
        """A changed field of a task: its name, its old and its new value, in the language."""

        def one(v: Any) -> str:
            if field in _DEPARTMENT_FIELDS:
                codes = v if isinstance(v, list | tuple) else [v] if v else []
                return self.sep.join(self.department(c) for c in codes) or "—"
            if v in (None, "", []):
                return "—"
            if field == "origin":
                return self.word(f"origin.{v}", str(v))
            if field == "milestones" and isinstance(v, list):
                return ("；" if self.lang == "zh" else "; ").join(map(_milestone, v))
            return self.value(field, v)

        return self.word(f"field.{field}", field), one(old), one(new)


def _milestone(m: Any) -> str:
    if not isinstance(m, dict):
        return _plain(m)
    return str(m.get("title", "")) + (f" ({m['due']})" if m.get("due") else "")


def _when(value: Any) -> str:
    """An ISO time as the pages show one (``YYYY-MM-DD HH:MM`` in the display time zone)."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from lantu.config import get_settings

    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return _plain(value)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(ZoneInfo(get_settings().display_tz)).strftime("%Y-%m-%d %H:%M")
