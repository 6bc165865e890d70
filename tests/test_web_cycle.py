"""The supervision cycle through the pages (forms with CSRF), as a supervisor and a reporter."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from lantu.store.models import PlanNodeRow
from lantu.store.models_supervision import ClosureRequestRow, ExtensionRequestRow
from webutil import form_version, login, post

DUE = (date.today() + timedelta(days=40)).isoformat()
LATER = (date.today() + timedelta(days=100)).isoformat()


def _new_task(client, db, title="推进太忻一体化经济区物流通道建设"):
    r = post(client, "/supervision/tasks/new", {
        "plan": "taiyuan-2021-11", "parent": "T1", "kind": "task", "title": title,
        "origin": "meeting", "lead_department": "fgw", "supporting_departments": ["jtj"],
        "due": DUE, "milestones": "完成规划编制 | 2027-01-31\n开工建设", "reason": "市政府常务会议决定"},
        csrf_page="/supervision/tasks/new")
    assert r.status_code == 303, r.text[:500]
    return int(re.search(r"/supervision/tasks/(\d+)", r.headers["location"]).group(1))


def test_assign_acknowledge_remind_extend_close_in_pages(client, web_db):
    login(client, "supervisor")
    page = client.get("/supervision/tasks/new")
    assert page.status_code == 200 and "领导批示" in page.text
    tid = _new_task(client, web_db)
    page = client.get(f"/supervision/tasks/{tid}?saved=assigned").text
    assert "会议决定" in page and "待签收" in page and "完成规划编制" in page
    login(client, "rep_fgw")
    home = client.get("/supervision").text
    assert re.search(r'data-test="bell".*?</svg><span class="count">1</span>', home, re.S)
    notes = client.get("/notifications").text
    assert "新交办任务" in notes and f"/supervision/tasks/{tid}" in notes
    assert post(client, f"/supervision/tasks/{tid}/acknowledge").status_code == 303
    assert "签收" in client.get(f"/supervision/tasks/{tid}").text
    login(client, "supervisor")
    assert post(client, f"/supervision/tasks/{tid}/remind",
                {"message": "请本周内报送进展", "reply_by": DUE}).status_code == 303
    login(client, "rep_fgw")
    assert "催办" in client.get("/notifications").text
    assert post(client, f"/supervision/tasks/{tid}/extension",
                {"due": LATER, "reason": "用地审批未完成"}).status_code == 303
    with web_db.session() as s:
        ext = s.scalar(select(ExtensionRequestRow.id).where(ExtensionRequestRow.node_id == tid))
    login(client, "supervisor")
    assert "用地审批未完成" in client.get(f"/supervision/tasks/{tid}").text
    assert post(client, f"/supervision/extension-requests/{ext}/decision",
                {"decision": "grant", "comment": "同意"}).status_code == 303
    with web_db.session() as s:
        assert s.get(PlanNodeRow, tid).due_date.isoformat() == LATER
    versions = client.get(f"/supervision/tasks/{tid}/versions").text
    assert DUE in versions and LATER in versions and "完成时限" in versions
    login(client, "rep_fgw")
    assert post(client, f"/supervision/tasks/{tid}/closure",
                {"comment": "通道已建成并投运"}).status_code == 303
    with web_db.session() as s:
        cid = s.scalar(select(ClosureRequestRow.id).where(ClosureRequestRow.node_id == tid))
    login(client, "supervisor")
    assert post(client, f"/supervision/closure-requests/{cid}/decision",
                {"decision": "grant"}).status_code == 303
    page = client.get(f"/supervision/tasks/{tid}").text
    assert "已销号" in page and "重新打开" in page
    assert "已销号" in client.get("/supervision?status=closed").text


def test_change_needs_a_reason_and_shows_the_difference(client, web_db):
    login(client, "supervisor")
    tid = _new_task(client, web_db)
    form = {"title": "推进物流通道建设（调整）", "lead_department": "kjj", "due": DUE,
            "origin": "meeting"}
    version = form_version(client, f"/supervision/tasks/{tid}/edit")
    r = post(client, f"/supervision/tasks/{tid}/edit", {**form, "reason": " ", **version},
             csrf_page=f"/supervision/tasks/{tid}/edit")
    assert r.status_code == 422
    r = post(client, f"/supervision/tasks/{tid}/edit", {**form, "reason": "改由科技局牵头", **version},
             csrf_page=f"/supervision/tasks/{tid}/edit")
    assert r.status_code == 303
    page = client.get(f"/supervision/tasks/{tid}/versions?a=1&b=2").text
    assert "改由科技局牵头" in page and "市发展和改革委员会" in page and "市科学技术局" in page
    login(client, "rep_kjj")  # the new lead department is told and must acknowledge
    assert "新交办任务" in client.get("/notifications").text


def test_admin_manages_users_on_a_page(client, web_db):
    from lantu.store import users

    login(client, "admin")
    assert "rep_fgw" in client.get("/admin/users").text
    r = post(client, "/admin/users", {"username": "li_kjj", "password": "long-pass-phrase-nine-9",
                                      "role": "reporter", "department": "kjj",
                                      "email": "li@kjj.example.cn"}, csrf_page="/admin/users")
    assert r.status_code == 303
    r = post(client, "/admin/users", {"username": "bad", "password": "long-pass-phrase-nine-9",
                                      "role": "reporter"}, csrf_page="/admin/users")
    assert r.status_code == 422 and "填报员应属于某一部门" in r.text  # the page's language
    assert post(client, "/admin/users/li_kjj/update", {"role": "reporter", "department": "fgw",
                                                        "email": "li@fgw.example.cn"},
                csrf_page="/admin/users").status_code == 303
    assert post(client, "/admin/users/li_kjj/password", {"password": "long-pass-phrase-ten-10"},
                csrf_page="/admin/users").status_code == 303
    login(client, "li_kjj", "long-pass-phrase-ten-10")
    login(client, "admin")
    assert post(client, "/admin/users/li_kjj/active", {"active": "false"},
                csrf_page="/admin/users").status_code == 303
    with web_db.session() as s:
        u = users.get_user(s, "li_kjj")
        assert (u.department_code, u.email, u.active) == ("fgw", "li@fgw.example.cn", False)
        assert users.get_user(s, "bad") is None
