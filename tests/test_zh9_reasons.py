"""The reasons of the web's refusals on a Chinese error page (lantu.reasons, the templates of
``locale/{en,zh}/zh9.yaml``): each bad request below is answered with a reason the code writes
today (read from the JSON answer: drift fails here), a template of zh9 matches it, and the
Chinese page shows it in Chinese — no English sentence left, the values read off it kept.
The English page shows the reason as written."""

from __future__ import annotations

import html
import re

import pytest

from lantu.locale import catalogue
from lantu.reasons import match
from webutil import login

ENGLISH = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,}\b")
BOX = re.compile(r'<section class="card error-box">(.*?)</section>', re.S)

# (request, the template its reason is written by, what the Chinese page says: the field is not
# named again before a reason that names it, left10web)
CASES = [
    ("/no-such-page", "rsn.zh9_not_found", "页面不存在"),
    ("/targets?page=x", "rsn.zh9_int", "页码：应为整数"),
    ("/targets?page=0", "rsn.zh9_ge", "页码：应不小于 1"),
    ("/targets?page=100000000000", "rsn.zh9_le", "页码：应不大于 10000"),
    ("/plan/NOPE", "rsn.zh9_no_node_in_plan", "代码：规划 taiyuan-2021-11 中没有目标或任务 'NOPE'"),
    ("/targets?node=NOPE", "rsn.zh9_no_node", "规划中没有目标或任务 'NOPE'"),
    ("/indicators?status=bogus", "rsn.zh9_status", "无法识别的状态 'bogus'"),
    ("/indicators?region=999999", "rsn.zh9_region", "无法识别的地区 '999999'"),
    ("/indicators?group=nope", "rsn.zh9_group", "无法识别的地区组 'nope'"),
    ("/comparison?group=nope", "rsn.zh9_group_known", "无法识别的地区组 'nope'（现有地区组："),
    ("/comparison?layer=nope", "rsn.zh9_map_layer", "无法识别的地图图层 'nope'"),
    ("/supervision/assessment?year=x", "rsn.year_typed", "年份应为四位数字（如 2023），实为 'x'"),
    ("/comparison?year=1800", "rsn.year_outside", "年份 1800 不在 1949–2100 年之间"),
]


def _reason(client, url: str) -> str:
    body = client.get(url, headers={"accept": "application/json"}).json()
    errors = body.get("errors")
    if errors:  # a parameter FastAPI refused: pydantic's prefix is no part of the rule's reason
        return errors[0]["reason"].removeprefix("Value error, ")
    return body["detail"].partition(": ")[2] or body["detail"]


def _page(client, url: str, lang: str) -> str:
    sep = "&" if "?" in url else "?"
    r = client.get(f"{url}{sep}lang={lang}")
    assert 400 <= r.status_code < 500, (url, r.status_code)
    box = BOX.search(r.text)
    assert box, (url, r.text[:300])
    return html.unescape(re.sub(r"<[^>]+>", " ", box.group(1)))


@pytest.fixture()
def admin(client):
    login(client, "admin")
    return client


@pytest.mark.parametrize(("url", "key", "chinese"), CASES)
def test_a_refused_request_is_told_in_chinese(admin, url, key, chinese):
    reason = _reason(admin, url)
    found = match(reason)
    assert found is not None and found[0] == key, (reason, found)
    zh = _page(admin, url, "zh")
    assert chinese in zh, zh
    left = re.sub(r"'[^']*'|（现有地区组：[^）]*）", "", zh)
    assert not ENGLISH.search(left), zh
    english = _page(admin, url, "en")
    if reason == "Not Found":  # the heading says it: the page says what it means (left10web)
        assert "There is no such page." in english
    else:
        assert reason[:40] in english  # as written (a long list may differ in order)


def test_the_method_and_the_screened_out_city():
    """Two more reasons of zh9: a method a route does not take, a city the index screened out
    (the engine's reason, shown on the comparison page)."""
    from lantu.reasons import reason_text

    assert reason_text("zh", "Method Not Allowed") == "不支持该请求方式"
    assert reason_text("zh", "data availability < 0.5") == "数据可得率低于 0.5"
    assert catalogue("en")["rsn.zh9_availability"].startswith("data availability < ")


def test_the_comparison_names_the_screened_out_cities_in_chinese(admin):
    r = admin.get("/comparison?year=2024&group=central_shanxi&lang=zh")
    assert r.status_code == 200
    assert "因数据不足未参与排名：" in r.text and "（数据可得率低于 0.5）" in r.text
    assert "data availability" not in r.text
    r = admin.get("/comparison?year=2024&group=central_shanxi&lang=en")
    assert "Not ranked for lack of data: " in r.text and "(data availability &lt; 0.5)" in r.text
