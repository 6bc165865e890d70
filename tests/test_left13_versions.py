"""left13: a task's versions page says each changed field by the audit log's one rule
(``auditlog.change_items``, which ``detail_items`` also uses for an audit row's ``changes``);
the page's own field-value macro is gone.

The macro and the rule had drifted: the macro joined milestones with "；" on an English page
and showed a long text whole beside the rule's words for the rest. Failed on main: all three
(no ``change_items``; the template kept its macro; the English page's "；")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import lantu.web
from lantu.store import assignment, auditlog, users
from lantu.store import supervision as sv
from webutil import fresh_db, login, make_client, task_ids

TEMPLATE = Path(lantu.web.__file__).parent / "templates/supervision/versions.html"


def test_the_versions_page_keeps_no_rule_of_its_own():
    text = TEMPLATE.read_text(encoding="utf-8")
    assert "{% macro" not in text
    assert "'status.'" not in text and "'origin.'" not in text and "depts" not in text


@pytest.fixture()
def changed(web_template_db, tmp_path):
    """A task whose milestones, supporting departments and origin changed in its last
    version."""
    db = fresh_db(web_template_db, tmp_path)
    task = task_ids(db, "fgw")[0]
    with db.session() as s:
        v = assignment.task_version(s, task)
        assignment.update_task(
            s, users.get_user(s, "supervisor"), task,
            {"milestones": [{"title": "方案印发", "due": date(2026, 3, 1)},
                            {"title": "项目开工", "due": None}],
             "supporting_departments": ["gxj", "kjj"], "origin": "meeting"},
            reason="调整", expected_version=v)
    yield db, task
    db.dispose()


def test_the_page_shows_what_the_one_rule_says(changed, tmp_path):
    db, task = changed
    with db.session() as s:
        versions = assignment.history(s, task, "en")
        a, b = versions[-2]["version"], versions[-1]["version"]
        raw = assignment.version_diff(s, task, a, b)
        depts = sv.department_names(s)
    said = auditlog.change_items(raw, "en", departments=depts)
    by = {c["field"]: c for c in said}
    assert by["milestones"]["new"] == "方案印发 (2026-03-01); 项目开工"
    assert by["origin"]["label"] != "origin" and by["origin"]["new"] != "meeting"
    assert "gxj" not in by["supporting"]["new"]  # departments by their names
    # the audit log says the same change in one line, by the same rule
    line = auditlog.detail_items({"changes": {c["field"]: [c["old"], c["new"]] for c in raw}},
                                 "en", departments=depts)[0][1]
    for c in said:
        assert f"{c['label']} {c['old']} → {c['new']}" in line
    with make_client(db, tmp_path / "home") as client:
        login(client, "supervisor")
        page = client.get(f"/supervision/tasks/{task}/versions?lang=en").text
    assert "方案印发 (2026-03-01); 项目开工" in page and "；项目开工" not in page
    for c in said:
        assert f'data-label="v{b}">{c["new"]}</td>' in page.replace("&#39;", "'")


def test_a_long_text_is_shown_whole_on_the_versions_page():
    text = "甲" * 400
    said = auditlog.change_items([{"field": "text", "old": "", "new": text}], "zh")
    assert said == [{"field": "text", "label": said[0]["label"], "old": "—", "new": text}]
    assert said[0]["label"] != "text"
    # the audit log's cell keeps its limit
    cell = auditlog.detail_items({"changes": {"text": ["", text]}}, "zh")[0][1]
    assert cell.endswith("…")
