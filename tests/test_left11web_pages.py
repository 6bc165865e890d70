"""What the screenshots of every main page showed a Chinese (and an English) reader (left11web):
the audit log said its actions and objects as codes (``grant_extension``, ``plan_node``) and the
system as ``lantu remind``/``init``; the user menu named the department by its code; the source
legend had a half-width colon after Chinese; the targets table said a status twice
(``已完成`` under the badge ``已完成``); an observation with one earlier version said "1 versions";
the progress bar's percentage fell under it; the language switch broke into two lines."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from lantu.store import cycle
from webutil import login, task_ids

CSS = Path(__file__).resolve().parents[1] / "src" / "lantu" / "web" / "static" / "css" / "lantu.css"


def _cells(html: str, label: str) -> list[str]:
    return re.findall(rf'data-label="{label}">([^<]*)</td>', html)


def test_the_audit_log_says_its_actions_objects_and_the_system_in_the_pages_language(client):
    login(client, "supervisor")
    zh = client.get("/audit?lang=zh").text
    actions, objects, actors = _cells(zh, "操作"), _cells(zh, "对象"), _cells(zh, "操作人")
    assert "导入" in actions and "新建" in actions and "用户" in objects, actions[:5]
    assert not [w for w in actions + objects if re.search(r"[a-z]{3}", w)], (actions, objects)
    assert "系统初始化" in actors and "init" not in actors
    assert ">init<" not in zh and ">plan_node<" not in zh  # nor in the filters
    en = client.get("/audit?lang=en").text
    assert "imported" in _cells(en, "Action") and "user" in _cells(en, "Object")


def test_the_system_reminds_by_its_name_in_the_pages_language(client, web_db):
    with web_db.session() as s:
        cycle.automatic_reminders(s, today=date(2030, 6, 1), remind_days=7, escalate_days=30,
                                  ack_days=3)
    task = task_ids(web_db, "fgw")[0]
    login(client, "supervisor")
    zh = client.get(f"/supervision/tasks/{task}?lang=zh").text
    assert "系统自动催办" in zh and "lantu remind" not in zh
    assert "automatic reminder" in client.get(f"/supervision/tasks/{task}?lang=en").text


def test_the_user_menu_names_the_department_not_its_code(client):
    login(client, "rep_fgw")
    zh = client.get("/account?lang=zh").text
    assert "rep_fgw · 市发展和改革委员会" in zh and "rep_fgw · fgw" not in zh
    en = client.get("/account?lang=en").text
    assert "rep_fgw · Taiyuan Municipal Development and Reform Commission" in en


def test_the_source_legend_takes_the_pages_colon(client):
    zh = client.get("/?lang=zh").text
    assert '<span class="qlabel">来源质量：</span>' in zh
    assert '<span class="qlabel">Source quality: </span>' in client.get("/?lang=en").text


def test_the_targets_table_says_a_status_once(client):
    html = client.get("/targets?lang=zh").text
    rows = re.findall(r'data-label="状态">(.*?)</td>', html, re.S)
    badge = re.compile(r'class="sbadge[^"]*">(?:<span class="arrow"[^>]*>[^<]*</span> )?([^<]+)</span>')
    outcome = re.compile(r'class="oc[^"]*">([^<]+)<')
    labels = [(badge.search(r), outcome.search(r)) for r in rows]
    assert len([b for b, _ in labels if b]) > 20, rows[:2]
    twice = [b.group(1) for b, o in labels if b and o and o.group(1) == b.group(1).strip()]
    assert not twice, twice[:3]
    # an outcome that says more than the status stays ("按进度推进" and "进行中/待数据")
    assert any(o for _, o in labels)


def test_an_observations_history_counts_its_versions(client):
    html = client.get("/indicators?indicator=gdp&lang=en").text
    assert "1 versions" not in html
    assert re.search(r"<summary>[2-9]\d* versions</summary>", html)


def test_the_progress_and_the_language_switch_stay_on_one_line(client):
    login(client, "supervisor")
    html = client.get("/supervision?lang=zh").text
    assert re.search(r'data-label="进度" class="num nowrap"><progress', html)
    css = CSS.read_text("utf-8")
    assert re.search(r"\.usermenu \.lang \{[^}]*white-space: nowrap", css)
    assert re.search(r"\.usermenu \{[^}]*flex-shrink: 0", css)


def test_an_extension_request_in_the_history_has_no_colon_of_one_language(client, web_db):
    from datetime import timedelta

    from lantu.store import users

    task = task_ids(web_db, "fgw")[0]
    with web_db.session() as s:
        cycle.request_extension(s, users.get_user(s, "rep_fgw"), task,
                                due=date.today() + timedelta(days=400), reason="用地审批尚未完成")
    login(client, "supervisor")
    en = client.get(f"/supervision/tasks/{task}?lang=en").text
    assert re.search(r"\d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d · 用地审批尚未完成", en)
    assert not re.search(r"\d：用地", en)


def test_the_demonstration_note_of_a_task_is_in_the_pages_language(client, web_db):
    task = task_ids(web_db, "fgw")[0]
    login(client, "supervisor")
    zh = client.get(f"/supervision/tasks/{task}?lang=zh").text
    assert "演示用：牵头单位" in zh and "Demo only" not in zh
    en = client.get(f"/supervision/tasks/{task}?lang=en").text
    assert "Demo only — lead and supporting departments" in en and "演示用" not in en


def test_a_goals_state_takes_the_pages_parentheses(client):
    en = client.get("/?lang=en").text
    assert re.search(r"qualitative \((progress evidenced|mixed evidence|no evidence yet)", en)
    assert "（" not in re.sub(r'title="[^"]*"', "", en.split('class="subgoals')[1].split("</ul>")[0])
    assert re.search(r"定性评估（(有进展佐证|佐证不一|暂无佐证)", client.get("/?lang=zh").text)
