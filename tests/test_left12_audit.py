"""The audit log as a person reads it (left12).

- Its Detail column said the stored JSON as is (``{"role": "reporter", "department": "zzb"}``):
  keys in English on a Chinese page and a department by its code. It says each item by its name
  in the reader's language now, a department by its name, a role by its word
  (:func:`lantu.store.auditlog.detail_items`, the one rule).
- A user named ``init`` or ``demo`` was shown as the system ("系统初始化"): the system was told by
  the name. The system's actors are ``lantu <command>`` now (:mod:`lantu.actors`), a name no user
  can have, and migration 0015 gives the rows written before the marked name unless a user holds
  the bare one. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from alembic.command import downgrade, upgrade
from sqlalchemy import select, text

from lantu import actors
from lantu.store import auditlog, users
from lantu.store.db import _alembic_config
from lantu.store.models import AuditLogRow
from webutil import backend_db, login

ZZB = {"zzb": {"zh": "市委组织部", "en": "Organisation Department"}}


def _cells(html: str, label: str) -> list[str]:
    """The texts of the cells labelled ``label`` (tags removed)."""
    cells = re.findall(rf'<td[^>]*data-label="{label}">(.*?)</td>', html, flags=re.S)
    return [re.sub(r"<[^>]+>", " ", c).strip() for c in cells]


def test_a_detail_says_a_department_by_its_name_and_a_role_by_its_word():
    zh = auditlog.detail_items({"role": "reporter", "department": "zzb"}, "zh", departments=ZZB)
    assert zh == [("角色", "部门填报员"), ("部门", "市委组织部")]
    en = auditlog.detail_text({"role": "reporter", "department": "zzb"}, "en", departments=ZZB)
    assert en == "Role: Department reporter; Department: Organisation Department"


def test_nested_details_changes_counts_and_what_a_person_typed():
    detail = {"code": "T1.2", "reason": "按会议要求 role: x",
              "changes": {"lead": ["zzb", "fgw"], "status": ["in_progress", "done"]},
              "observations": {"inserted": 6, "revised": 0, "outranked": 2},
              "targets": {"inserted": 0, "revised": 0}, "layout": "wide-years",
              "before": {"role": "analyst", "department": None}, "ok": True}
    names = {"fgw": {"zh": "市发展改革委", "en": "Development and Reform"}, **ZZB}
    got = dict(auditlog.detail_items(detail, "zh", departments=names))
    assert got["任务编号"] == "T1.2" and got["理由"] == "按会议要求 role: x"  # typed: as typed
    assert got["改动"] == "牵头单位 市委组织部 → 市发展改革委、状态 推进中 → 已完成"
    assert got["观测值"] == "新增 6、低于已有来源 2" and got["目标值"] == "0"
    assert got["表格布局"] == "宽表（年份为列）" and got["修改前"] == "角色 分析员"
    assert got["ok"] == "是"  # a key without a word keeps its place, named as written
    en = dict(auditlog.detail_items(detail, "en", departments=names))
    assert en["Changes"] == ("Lead department Organisation Department → Development and Reform, "
                             "Status In progress → Done")
    assert en["Observations"] == "new 6, below a stored source 2"


def test_every_key_the_code_writes_has_its_words_in_both_languages():
    from lantu.locale import catalogue

    keys = {k[len("au.key."):] for k in catalogue("zh") if k.startswith("au.key.")}
    assert keys == {k[len("au.key."):] for k in catalogue("en") if k.startswith("au.key.")}
    written = {"role", "department", "before", "after", "email", "to", "tokens_revoked", "name",
               "days", "code", "message", "reply_by", "old_due", "new_due", "comment", "from",
               "reason", "plan", "lead", "due", "changes", "parent", "unit", "weight", "note",
               "task", "month", "percent", "milestone", "done_on", "report", "size", "sha256",
               "observations", "targets", "milestones", "layout", "review", "reviewed_by",
               "reviewed_at", "document", "source_url", "archive", "source_quality",
               "uploaded_by", "accepted", "rejected", "edited", "inserted", "revised",
               "unchanged", "outranked", "regions", "groups", "indicators", "departments",
               "nodes", "removed", "value", "name_zh", "members"}
    assert written <= keys, written - keys


def test_the_audit_page_says_details_in_the_readers_language(client, web_db):
    login(client, "admin")
    zh = client.get("/audit?lang=zh&entity=user").text
    details = _cells(zh, "详情")
    assert details and any("部门填报员" in d and "市发展和改革委员会" in d for d in details), details[:3]
    assert not [d for d in details if re.search(r'"|\{|reporter|department|\bfgw\b', d)], details[:3]
    en = client.get("/audit?lang=en&entity=user").text
    assert any("Role: Department reporter" in re.sub(r"\s+", " ", d)
               for d in _cells(en, "Detail"))
    files = _cells(client.get("/audit?lang=zh&entity=file").text, "详情")
    assert any("观测值" in d and "新增" in d and "长表" in d for d in files), files[:3]


def test_a_user_named_init_is_a_person_and_the_system_is_the_system(client, web_db):
    with web_db.session() as s:
        users.add_user(s, "init", "Correct-horse-battery-7", "analyst", actor="admin")
        users.create_api_token(s, "init", "notebook", actor="init")
        users.add_user(s, "demo", "Correct-horse-battery-8", "analyst", actor="init")
    login(client, "admin")
    zh = client.get("/audit?lang=zh").text
    actors_zh = _cells(zh, "操作人")
    assert actors_zh.count("init") == 2, actors_zh[:5]  # the person's two rows
    assert "系统初始化" in actors_zh and "演示设置" in actors_zh
    mine = client.get("/audit?lang=zh&actor=init").text
    assert set(_cells(mine, "操作人")) == {"init"}
    system = client.get(f"/audit?lang=en&actor={actors.INIT}").text
    assert set(_cells(system, "Who")) == {"initialisation"}


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_db(request, web_template_db, tmp_path):
    database = backend_db(request, web_template_db, tmp_path)
    yield database
    database.dispose()


def test_the_migration_marks_the_systems_rows_and_keeps_a_users(demo_db):
    with demo_db.session() as s:  # a user named demo: the rows the system wrote stay unsure
        users.add_user(s, "demo", "Correct-horse-battery-8", "viewer", actor="admin")
    cfg = _alembic_config(demo_db.url)
    with demo_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        downgrade(cfg, "0014_left11web")
    with demo_db.engine.connect() as conn:  # the downgrade wrote the bare words back
        before = {a for (a,) in conn.execute(text("SELECT DISTINCT actor FROM audit_log"))}
    assert {"init", "demo"} <= before and actors.INIT not in before
    with demo_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        upgrade(cfg, "head")
    with demo_db.session() as s:
        after = set(s.scalars(select(AuditLogRow.actor).distinct()))
        created_by = set(s.scalars(text("SELECT DISTINCT created_by FROM import_batch")))
    assert actors.INIT in after and "init" not in after
    assert "demo" in after and actors.DEMO not in after
    assert created_by == {actors.INIT}
