"""The API documentation in the reader's language, offline (left11web).

Swagger UI at ``/api/v1/docs`` was English only: the title, the groups ("supervision", "api"),
every operation's summary and Swagger UI's own buttons. The page now reads its schema from
``/api/v1/docs/openapi.json?lang=…`` (``apidocs.documented``) and replaces Swagger UI's words by
the page's; the machine's ``/api/v1/openapi.json`` stays as the code writes it. In Chromium: a
Chinese page is Chinese where it matters and no request leaves the machine."""

from __future__ import annotations

import re

import pytest

from lantu.locale import catalogue
from lantu.web.apidocs import documented
from webutil import fresh_db, make_client

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture()
def client(web_template_db, tmp_path):
    db = fresh_db(web_template_db, tmp_path)
    with make_client(db, tmp_path / "home") as c:
        yield c
    db.dispose()


def test_every_operation_is_summarised_in_both_languages(client):
    schema = client.get("/api/v1/openapi.json").json()
    ops = {op["operationId"]: op for ops in schema["paths"].values() for op in ops.values()}
    assert len(ops) > 30
    zh, en = catalogue("zh"), catalogue("en")
    for op_id, op in ops.items():
        key = f"apidoc.op.{op_id}"
        assert key in zh and key in en, f"{op_id} has no summary in the locale files"
        assert CJK.search(zh[key]), key
        assert en[key] == op["summary"], f"{key}: the English is the code's summary"


def test_the_docs_schema_is_said_in_the_pages_language(client):
    said = client.get("/api/v1/docs/openapi.json?lang=zh").json()
    assert said["info"]["title"] == "蓝图 Lantu 接口" and CJK.search(said["info"]["description"])
    assert [t["name"] for t in said["tags"]] == ["督查督办", "数据与评估"]
    tasks = said["paths"]["/api/v1/tasks"]["post"]
    assert tasks["tags"] == ["督查督办"] and tasks["summary"] == "交办目标、任务或子任务（督查室）"
    assert tasks["responses"]["401"]["description"] == "没有令牌或令牌无效"
    english = client.get("/api/v1/docs/openapi.json?lang=en").json()
    assert english["info"]["title"] == "Lantu 蓝图 API"
    assert [t["name"] for t in english["tags"]] == ["Supervision", "Data and evaluation"]
    # the machine's schema is as the code writes it
    raw = client.get("/api/v1/openapi.json").json()
    assert raw["paths"]["/api/v1/tasks"]["post"]["tags"] == ["supervision"]
    assert not CJK.search(raw["paths"]["/api/v1/tasks"]["post"]["summary"])
    assert documented(raw, "zh")["paths"] != raw["paths"]  # a copy, the schema unchanged
    assert raw == client.get("/api/v1/openapi.json").json()


def test_the_docs_page_reads_the_schema_of_its_language_and_nothing_from_outside(client):
    page = client.get("/api/v1/docs?lang=zh").text
    assert 'data-openapi="/api/v1/docs/openapi.json?lang=zh"' in page
    assert "授权" in page  # Swagger UI's words handed to apidocs.js
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "a file from outside"
    page = client.get("/api/v1/docs?lang=en").text
    assert 'data-openapi="/api/v1/docs/openapi.json?lang=en"' in page
    assert 'data-words="[]"' in page


@pytest.mark.browser
@pytest.mark.slow
def test_a_chinese_reader_sees_the_docs_in_chinese_offline(web_template_db, tmp_path, chromium):
    from browserutil import need_chromium
    from test_web_browser import browser_server

    need_chromium()
    db = fresh_db(web_template_db, tmp_path)
    with browser_server(db, tmp_path / "home") as base:
        outside: list[str] = []
        page = chromium.new_page(viewport={"width": 1366, "height": 900})
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith((base, "data:")) else None)
        page.goto(f"{base}/api/v1/docs?lang=zh")
        page.wait_for_selector(".swagger-ui .information-container .title", timeout=20000)
        assert "蓝图 Lantu 接口" in page.inner_text(".swagger-ui .information-container .title")
        tags = page.locator(".opblock-tag").all_inner_texts()
        assert any(t.startswith("督查督办") for t in tags), tags
        assert any(t.startswith("数据与评估") for t in tags), tags
        assert "交办目标、任务或子任务" in page.inner_text(".swagger-ui")
        page.wait_for_function(
            "document.querySelector('button.authorize span')?.textContent.trim() === '授权'",
            timeout=10000)
        block = page.locator("[id$='-notifications_api_v1_notifications_get']")
        block.locator(".opblock-summary").click()
        page.wait_for_timeout(300)
        shown = block.inner_text()
        assert "参数" in shown and "响应" in shown and "Parameters" not in shown, shown[:400]
        block.locator("button.try-out__btn").click()
        page.wait_for_timeout(300)
        assert "执行" in block.inner_text()
        page.close()
    db.dispose()
    assert outside == [], f"requests left the machine: {outside}"
