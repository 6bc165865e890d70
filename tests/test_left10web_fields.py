"""A refusal names its field in the page's language, and only once (left10web).

One place says ``<field>：<reason>`` on a page: :func:`lantu.reasons.field_reason`. It names the
field by ``rsn.word.<field>`` (every parameter a page takes has its word, in both languages) and
leaves the field out when the reason names it already (``month 3000-01: …`` was said
``月份：月份 3000-01：…``). The milestone refusal kept ``milestones:`` in English before its
Chinese reason; a task id typed wrong was ``node_id：应为整数``."""

from __future__ import annotations

import html
import re

import pytest

from lantu.locale import catalogue
from lantu.reasons import reason_text
from webutil import login, post

BOX = re.compile(r'<section class="card error-box">(.*?)</section>', re.S)
#: two English words in a row: a sentence left in English
ENGLISH = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,}\b")


def _box(r) -> str:
    box = BOX.search(r.text)
    assert box, (r.status_code, r.text[:300])
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", box.group(1))).split())


def _page_routes(app):
    """Every route of the app that answers a page (not the JSON API), with its dependant."""
    def walk(routes):
        for r in routes:
            if hasattr(r, "dependant"):
                yield r
            inner = getattr(r, "router", None) or getattr(r, "original_router", None)
            for sub in (getattr(r, "routes", None) if not hasattr(r, "dependant") else None,
                        getattr(inner, "routes", None)):
                if sub:
                    yield from walk(sub)

    seen = set()
    for r in walk(app.routes):
        if id(r) not in seen and not r.path.startswith("/api"):
            seen.add(id(r))
            yield r


def _parameters(dependant):
    for p in dependant.query_params + dependant.body_params + dependant.path_params:
        yield p.alias
    for sub in dependant.dependencies:
        yield from _parameters(sub)


def test_every_parameter_a_page_takes_has_a_name_in_both_languages(client):
    names = {name for r in _page_routes(client.app) for name in _parameters(r.dependant)}
    names.discard("csrf_token")
    assert len(names) > 60, sorted(names)
    zh, en = catalogue("zh"), catalogue("en")
    missing = sorted(n for n in names if f"rsn.word.{n}" not in zh or f"rsn.word.{n}" not in en)
    assert not missing, missing
    untranslated = sorted(n for n in names if not re.search(r"[\u4e00-\u9fff]",
                                                            zh[f"rsn.word.{n}"]))
    assert not untranslated, untranslated


@pytest.mark.parametrize(("field", "reason", "zh", "en"), [
    ("month", "month 3000-01: the year 3000 is outside 1949–2100",
     "月份 3000-01：年份 3000 不在 1949–2100 年之间",
     "month 3000-01: the year 3000 is outside 1949–2100"),
    ("year", "the year 1800 is outside 1949–2100", "年份 1800 不在 1949–2100 年之间",
     "the year 1800 is outside 1949–2100"),
    ("month", "a month is YYYY-MM such as 2026-06; got 'x'", "月份应写作“年-月”（如 2026-06），收到 'x'",
     "a month is YYYY-MM such as 2026-06; got 'x'"),
    ("node_id", "Input should be a valid integer, unable to parse string as an integer",
     "任务编号：应为整数",
     "task number: Input should be a valid integer, unable to parse string as an integer"),
    ("reply_by", "'x' is not a date (YYYY-MM-DD)", "回复期限：'x' 不是有效日期（应为 YYYY-MM-DD）",
     "reply-by date: 'x' is not a date (YYYY-MM-DD)"),
])
def test_a_field_is_named_once_in_the_readers_language(field, reason, zh, en):
    from lantu.reasons import field_reason

    assert field_reason("zh", field, reason) == zh
    assert field_reason("en", field, reason) == en
    assert reason_text("zh", f"{field}: {reason}") == zh  # a reason that came as one text


def test_the_milestone_refusal_names_no_field_in_english(client):
    login(client, "admin")
    for lang, not_said in (("zh", ("milestones", "节点：")), ("en", ("milestones: ",))):
        client.get(f"/?lang={lang}")
        r = post(client, "/supervision/tasks/new", {
            "plan": "taiyuan-2021-11", "title": "x", "kind": "goal",
            "milestones": "first\nsecond | banana"})
        said = _box(r)
        assert r.status_code == 422 and "banana" in said, said
        assert not any(s in said for s in not_said), said
    assert "'banana' 不是有效日期（应为 YYYY-MM-DD）（节点第 2 行）" in _box(post(
        client, "/supervision/tasks/new?lang=zh", {"plan": "taiyuan-2021-11", "title": "x",
                                                  "kind": "goal",
                                                  "milestones": "first\nsecond | banana"}))


@pytest.mark.parametrize(("url", "zh", "en"), [
    ("/supervision/bulletin?month=3000-01", "月份 3000-01：年份 3000 不在 1949–2100 年之间",
     "month 3000-01: the year 3000 is outside"),
    ("/?year=1800", "年份 1800 不在 1949–2100 年之间", "the year 1800 is outside"),
    ("/supervision/tasks/abc", "任务编号：应为整数", "task number: Input should be"),
    ("/notifications?unread=maybe", "只看未读：应为 true 或 false", "unread only: Input should"),
    ("/?format=x", "格式：应为 html、json 之一", "format: should be one of html, json"),
    ("/reports/monitoring?fonts=x", "字体：应为 installed、standard 之一",
     "fonts: should be one of installed, standard"),
    ("/indicators/export.exe", "没有导出格式 'exe'，请用 csv 或 xlsx", "no export format 'exe'"),
    ("/no-such-page", "页面不存在", "There is no such page."),
])
def test_a_refused_parameter_is_said_once_in_the_pages_language(client, url, zh, en):
    login(client, "admin")
    sep = "&" if "?" in url else "?"
    said_zh = _box(client.get(f"{url}{sep}lang=zh"))
    assert zh in said_zh, said_zh
    left = re.sub(r"'[^']*'|YYYY-MM-DD|installed、standard|html、json|true 或 false|csv 或 xlsx", "", said_zh)
    assert not re.search(r"[A-Za-z]{3}", left), said_zh
    said_en = _box(client.get(f"{url}{sep}lang=en"))
    assert en in said_en, said_en
    assert "Not Found" not in said_en  # the heading's "Not found" said again
    for word in ("month: month", "year: the year", "月份：月份", "年份：年份", "node_id", "fonts:"):
        assert word not in said_zh


@pytest.mark.parametrize(("text", "zh"), [
    ("username: 'x y' is not a valid username: no blanks, control or invisible characters",
     "'x y' 不能用作用户名：不得含空格、控制字符或不可见字符"),
    ("department: a reporter needs a department", "填报员应属于某一部门"),
    ("email: 'mail' is not an e-mail address", "'mail' 不是有效的电子邮箱地址"),
    ("reply_by: the date 2020-01-01 has passed (today is 2026-12-05)",
     "回复期限：日期 2020-01-01 已过（今天为 2026-12-05）"),
    ("username: user 'adm' looks like the existing user 'admin'",
     "用户名：用户 'adm' 与现有用户 'admin' 形近，易混淆"),
])
def test_the_refusals_of_the_user_pages_and_reminders_are_said_in_chinese(text, zh):
    """Found by walking the forms in Chinese: these were shown in English, field name and all."""
    assert reason_text("zh", text) == zh
