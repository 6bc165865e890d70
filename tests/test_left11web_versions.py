"""A task version's reason, and a notification's department, in the reader's language (left11web).

The reasons the system wrote into a task's history ("延期：…", "销号：…", "重新打开：…", and
"assigned", "as loaded", "split" in English) were stored as text in one language; they keep a
message key and parameters now (migration 0014_left11web) and are said by one rule,
``assignment.version_reason``. A person's words in them stay as typed; rows made before are shown
as written. An escalation's title named the lead department by its code ("fgw"): a department
parameter is said by its name in the reader's language (``notify.say``), in the bell, the API and
the e-mail. On SQLite and PostgreSQL; the migration's downgrade and upgrade included."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from alembic.command import downgrade, upgrade
from sqlalchemy import select, text

from lantu.locale import catalogue
from lantu.store import assignment, cycle, notify, users
from lantu.store.db import _alembic_config
from lantu.store.models import PlanNodeRow
from lantu.store.models_supervision import ClosureRequestRow, ExtensionRequestRow
from webutil import backend_db, login, make_client

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
FGW_ZH, FGW_EN = "市发展和改革委员会", "Taiyuan Municipal Development and Reform Commission"


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_db(request, web_template_db, tmp_path):
    database = backend_db(request, web_template_db, tmp_path)
    yield database
    database.dispose()


def _fgw_tasks(db) -> list[int]:
    with db.session() as s:
        return list(s.scalars(select(PlanNodeRow.id).where(
            PlanNodeRow.kind == "task", PlanNodeRow.lead_department == "fgw")
            .order_by(PlanNodeRow.position)))


def _extend_close_reopen(db, task: int) -> None:
    """An extension granted, a closing granted and a reopening, with a person's words in each."""
    with db.session() as s:
        rep = users.get_user(s, "rep_fgw")
        cycle.request_extension(s, rep, task, due=date.today() + timedelta(days=400),
                                reason="用地审批尚未完成")
    with db.session() as s:
        rid = s.scalar(select(ExtensionRequestRow.id).where(ExtensionRequestRow.node_id == task))
        cycle.decide_extension(s, users.get_user(s, "supervisor"), rid, grant=True, comment="")
    with db.session() as s:
        cycle.request_closure(s, users.get_user(s, "rep_fgw"), task, comment="已全部建成投运")
    with db.session() as s:
        rid = s.scalar(select(ClosureRequestRow.id).where(ClosureRequestRow.node_id == task))
        cycle.decide_closure(s, users.get_user(s, "supervisor"), rid, grant=True, comment="")
    with db.session() as s:
        cycle.reopen(s, users.get_user(s, "supervisor"), task, reason="验收材料不全")


def test_version_reasons_are_said_in_the_readers_language(demo_db):
    task = _fgw_tasks(demo_db)[0]
    _extend_close_reopen(demo_db, task)
    with demo_db.session() as s:
        en = [v["reason"] for v in assignment.history(s, task, "en")]
        zh = [v["reason"] for v in assignment.history(s, task, "zh")]
        keys = [v["key"] for v in assignment.history(s, task, "en")]
    assert keys[-3:] == ["ver.extended", "ver.closed", "ver.reopened"]
    assert re.fullmatch(r"Deadline extended: \d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d \(用地审批尚未完成\)",
                        en[-3]), en
    assert en[-2:] == ["Closed: 已全部建成投运", "Reopened: 验收材料不全"]
    assert zh[-3].startswith("延期：") and zh[-3].endswith("（用地审批尚未完成）")
    assert zh[-2:] == ["销号：已全部建成投运", "重新打开：验收材料不全"]
    # the task as loaded comes first, so the extension has a version to be compared with
    assert en[0] == "As loaded" and zh[0] == "载入时的版本" and len(en) == 4


def test_the_versions_page_and_the_api_say_them_in_the_readers_language(demo_db, tmp_path):
    task = _fgw_tasks(demo_db)[0]
    _extend_close_reopen(demo_db, task)
    with make_client(demo_db, tmp_path / "home") as client:
        login(client, "supervisor")
        page = client.get(f"/supervision/tasks/{task}/versions?lang=en").text
        assert "Deadline extended:" in page and "Closed: 已全部建成投运" in page
        assert "延期：" not in page and "销号：" not in page and "重新打开" not in page
        page = client.get(f"/supervision/tasks/{task}/versions?lang=zh").text
        assert "销号：已全部建成投运" in page and "Closed:" not in page and "As loaded" not in page
        with demo_db.session() as s:
            token = users.create_api_token(s, "supervisor", "t")
        r = client.get(f"/api/v1/tasks/{task}/history?lang=en",
                       headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200, r.text
        last = r.json()["versions"][-1]
        assert last["reason"] == "Reopened: 验收材料不全"
        assert last["key"] == "ver.reopened" and last["params"] == {"reason": "验收材料不全"}


def test_a_reason_a_person_typed_stays_as_typed(demo_db):
    task = _fgw_tasks(demo_db)[0]
    with demo_db.session() as s:
        v = assignment.task_version(s, task)
        assignment.update_task(s, users.get_user(s, "supervisor"), task,
                               {"due": date.today() + timedelta(days=300)},
                               reason="按市政府常务会议要求调整", expected_version=v)
    with demo_db.session() as s:
        en, zh = assignment.history(s, task, "en"), assignment.history(s, task, "zh")
    assert en[-1]["reason"] == "按市政府常务会议要求调整" and en[-1]["key"] is None
    # the version before (the baseline of the loaded plan) is the system's words
    assert en[0]["reason"] == "As loaded" and zh[0]["reason"] == "载入时的版本"


def test_an_escalation_names_the_department_not_its_code(demo_db):
    with demo_db.session() as s:
        node = s.get(PlanNodeRow, _fgw_tasks(demo_db)[0])
        node.due_date, node.status = date(2026, 1, 10), "in_progress"
    with demo_db.session() as s:
        sent = cycle.automatic_reminders(s, today=date(2026, 6, 20), remind_days=7,
                                         escalate_days=30, ack_days=3).sent
        assert any(r.kind == "escalation" for r in sent)
    with demo_db.session() as s:
        uid = users.get_user(s, "supervisor").id
        _, en = notify.notifications(s, uid, lang="en", limit=2000)
        _, zh = notify.notifications(s, uid, lang="zh", limit=2000)
    esc_en = [n["title"] for n in en if n["kind"] == "escalation"]
    esc_zh = [n["title"] for n in zh if n["kind"] == "escalation"]
    assert esc_en and esc_zh
    fgw_en = [t for t in esc_en if FGW_EN in t]
    assert fgw_en and all(not re.search(r"\bfgw\b", t) for t in esc_en), esc_en[:3]
    assert any(FGW_ZH in t for t in esc_zh) and all("fgw" not in t for t in esc_zh)
    # and the Chinese title kept in the row (for a downgrade, a reader of the table)
    with demo_db.engine.connect() as conn:
        kept = conn.execute(text("SELECT title FROM notification WHERE kind = 'escalation'")).all()
    assert kept and all("fgw" not in t for (t,) in kept)


def test_every_version_reason_is_in_both_languages():
    zh, en = catalogue("zh"), catalogue("en")
    keys = {k for k in zh if k.startswith("ver.")} | {k for k in en if k.startswith("ver.")}
    assert len(keys) >= 7
    for k in keys:
        assert k in zh and k in en, k
        assert CJK.search(zh[k]) and not CJK.search(en[k].replace("→", "")), k
        assert set(re.findall(r"\{\w+\}", zh[k])) == set(re.findall(r"\{\w+\}", en[k])), k


def test_the_migration_keys_the_systems_words_and_keeps_a_persons(demo_db):
    task = _fgw_tasks(demo_db)[0]
    cfg = _alembic_config(demo_db.url)
    with demo_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        downgrade(cfg, "0013_left10web")
    with demo_db.engine.begin() as conn:  # rows as the code before wrote them
        conn.execute(text("DELETE FROM task_version WHERE node_id = :n"), {"n": task})
        for version, reason in enumerate(("as loaded", "延期：2026-01-01 → 2026-06-30（用地）",
                                          "uploaded blueprint 纲要.txt", "split"), start=1):
            conn.execute(text("INSERT INTO task_version (node_id, version, at, actor, reason, "
                              "data) VALUES (:n, :v, CURRENT_TIMESTAMP, 'x', :r, '{}')"),
                         {"n": task, "v": version, "r": reason})
    with demo_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        upgrade(cfg, "head")
    with demo_db.session() as s:
        en = [v["reason"] for v in assignment.history(s, task, "en")]
        zh = [v["reason"] for v in assignment.history(s, task, "zh")]
    assert en == ["As loaded", "延期：2026-01-01 → 2026-06-30（用地）",
                  "Uploaded blueprint 纲要.txt", "Split"]
    assert zh == ["载入时的版本", "延期：2026-01-01 → 2026-06-30（用地）", "上传规划纲要 纲要.txt",
                  "拆分"]
    with demo_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        downgrade(cfg, "0013_left10web")
    with demo_db.engine.begin() as conn:  # back: every row keeps its reason, in Chinese
        rows = [r for (r,) in conn.execute(text(
            "SELECT reason FROM task_version WHERE node_id = :n ORDER BY version"), {"n": task})]
    assert rows == zh
    with demo_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        upgrade(cfg, "head")
