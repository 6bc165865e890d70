"""Reading a text in the web (issue 11): upload a report, review each extracted item beside its
clause, import the accepted ones all or nothing; every route as every role; upload hardening;
the staged review's cleanup."""

from __future__ import annotations

import html
import io
import os
import re
import time
import zipfile

import pytest
from sqlalchemy import func, select

from lantu.domain import ValidationError
from lantu.store.models import (
    AuditLogRow,
    ImportBatchRow,
    MilestoneFactRow,
    ObservationRow,
    TargetRow,
)
from lantu.textreview import decide, segments
from webutil import csrf_of, login, post

# a work report of 2001 for Taiyuan (the default holds no figure of 2000 for it)
REPORT = """---
source: https://www.taiyuan.gov.cn/zfgzbg/2001.html
title: 2001年政府工作报告
---

各位代表：

一、2000年工作回顾

过去的一年，全市地区生产总值实现265.8亿元，增长10.2%。城镇居民人均可支配收入6543元。入选国家儿童友好城市建设名单。地铁1号线开通运营。

二、2001年工作安排

今年经济社会发展的主要预期目标是：地区生产总值增长11%左右，城镇登记失业率控制在4%以内。
""".encode()


def _upload(client, data: bytes = REPORT, name: str = "2001.md", **form):
    return post(client, "/review", {"region": "140100", "year": "2001", "kind": "auto", **form},
                files={"file": (name, data, "application/octet-stream")}, csrf_page="/review")


def _staged(client) -> str:
    r = _upload(client)
    assert r.status_code == 303, r.text[:500]
    token = r.headers["location"].rsplit("/", 1)[-1]
    assert re.fullmatch(r"r-u\d+-[0-9a-f]{32}", token)
    return token


def _items(client, token: str) -> dict[str, int]:
    """Item ids of the review page by what they hold (``indicator|kind`` or milestone text)."""
    page = client.get(f"/review/{token}").text
    return {html.unescape(m.group(2)): int(m.group(1)) for m in re.finditer(
        r'<tr id="item-(\d+)" data-item="\d+" data-type="\w+" data-key="([^"]*)"', page)}


def _counts(db):
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(t))
                     for t in (ObservationRow, TargetRow, MilestoneFactRow, ImportBatchRow))


# -- the flow ----------------------------------------------------------------------------------


def test_upload_review_edit_import_all_or_nothing(client, web_db, tmp_path):
    login(client, "analyst")
    token = _staged(client)
    page = client.get(f"/review/{token}")
    assert page.status_code == 200
    # each item beside its clause, the clause marked in the text (offsets known)
    assert '<mark class="clause" data-items=" 1 2 ">全市地区生产总值实现265.8亿元' in page.text
    assert 'id="clause-4"' in page.text and "入选国家儿童友好城市建设名单" in page.text
    assert 'value="https://www.taiyuan.gov.cn/zfgzbg/2001.html"' in page.text
    ids = _items(client, token)
    gdp, growth, income = ids["gdp|observed"], ids["gdp_growth|observed"], ids["income_urban|observed"]
    child = ids["入选国家儿童友好城市建设名单"]
    before = _counts(web_db)

    # accept, edit (an edit accepts), reject
    assert post(client, f"/review/{token}/items/{gdp}", {"action": "accept"},
                csrf_page="/review").status_code == 303
    assert post(client, f"/review/{token}/items/{income}", {
        "action": "edit", "indicator": "income_urban", "value": "6545", "period": "2000",
        "qualifier": "", "kind": "observed"}, csrf_page="/review").status_code == 303
    assert post(client, f"/review/{token}/items/{growth}", {"action": "reject"},
                csrf_page="/review").status_code == 303
    # a bad edit names the field and changes nothing
    bad = post(client, f"/review/{token}/items/{growth}", {
        "action": "edit", "indicator": "gdp_growth", "value": "ten", "period": "2000",
        "kind": "observed"}, csrf_page="/review")
    assert bad.status_code == 422 and "数值应为数字" in bad.text
    nodes = post(client, f"/review/{token}/items/{child}", {
        "action": "edit", "text": "入选国家儿童友好城市建设名单", "year": "2000",
        "kind": "designation", "nodes": "P0.3.4, P9.9"}, csrf_page="/review")
    assert nodes.status_code == 422 and "规划中没有节点 P9.9" in nodes.text
    # the milestone edited to another kind and an unknown indicator: the gate refuses, nothing
    # of the figures nor the milestone is written (one transaction)
    assert post(client, f"/review/{token}/items/{child}", {
        "action": "edit", "text": "入选国家儿童友好城市建设名单", "year": "2000",
        "kind": "designation", "nodes": "P0.3.4"}, csrf_page="/review").status_code == 303
    other = ids["gdp_growth|target"]
    assert post(client, f"/review/{token}/items/{other}", {
        "action": "edit", "indicator": "no_such_indicator", "value": "11", "period": "2001",
        "qualifier": "左右", "kind": "target"}, csrf_page="/review").status_code == 303
    refused = post(client, f"/review/{token}/import", {
        "source_url": "https://www.taiyuan.gov.cn/zfgzbg/2001.html", "document": "2001年政府工作报告",
        "source_quality": "official_report"}, csrf_page="/review")
    assert refused.status_code == 422
    assert "无法识别的指标" in refused.text and f'href="#item-{other}"' in refused.text
    assert _counts(web_db) == before

    assert post(client, f"/review/{token}/items/{other}", {"action": "reject"},
                csrf_page="/review").status_code == 303
    done = post(client, f"/review/{token}/import", {
        "source_url": "https://www.taiyuan.gov.cn/zfgzbg/2001.html", "document": "2001年政府工作报告",
        "source_quality": "official_report"}, csrf_page="/review")
    assert done.status_code == 200, done.text[:800]
    assert 'href="/plan/P0.3.4#milestones"' in done.text
    assert client.get(f"/review/{token}").status_code == 404  # imported: the review is gone

    with web_db.session() as s:
        obs = {o.indicator_code: o for o in s.scalars(select(ObservationRow).where(
            ObservationRow.region_code == "140100", ObservationRow.period == "2000"))}
        assert set(obs) == {"gdp", "income_urban"}  # the rejected growth rate is not there
        assert obs["gdp"].value == 265.8 and obs["income_urban"].value == 6545
        assert obs["gdp"].source_url == "https://www.taiyuan.gov.cn/zfgzbg/2001.html"
        assert obs["gdp"].excerpt.startswith("全市地区生产总值实现265.8亿元")
        assert obs["gdp"].source_quality == "official_report"
        assert obs["gdp"].created_by == "analyst" and "preliminary" in obs["gdp"].flags
        batch = s.get(ImportBatchRow, obs["gdp"].import_batch_id)
        assert batch.kind == "review" and batch.created_by == "analyst"
        assert batch.summary["review"]["reviewed_by"] == "analyst"
        assert batch.summary["review"]["rejected"] == 2 and batch.summary["review"]["edited"] == 2
        ms = s.scalars(select(MilestoneFactRow).where(
            MilestoneFactRow.text == "入选国家儿童友好城市建设名单",
            MilestoneFactRow.year == 2000)).one()
        assert ms.reviewed and ms.reviewed_by == "analyst" and ms.import_batch_id == batch.id
        assert [n.node_code for n in ms.nodes] == ["P0.3.4"]
        assert not s.scalars(select(MilestoneFactRow).where(
            MilestoneFactRow.text == "地铁1号线开通运营", MilestoneFactRow.year == 2000)).first()
        audit = s.scalars(select(AuditLogRow).where(AuditLogRow.actor == "analyst",
                                                    AuditLogRow.action == "import")).all()
        assert audit and audit[-1].detail["review"]["document"] == "2001年政府工作报告"
    # shown where people look: the indicator page with its clause, the goal page's timeline
    page = client.get("/indicators?indicator=gdp&region=140100").text
    assert "265.8" in page and "全市地区生产总值实现265.8亿元" in page
    assert "入选国家儿童友好城市建设名单" in client.get("/plan/P0.3.4").text


def test_nothing_accepted_or_no_source_is_refused(client, web_db):
    login(client, "admin")
    token = _staged(client)
    before = _counts(web_db)
    r = post(client, f"/review/{token}/import", {"source_url": "x"}, csrf_page="/review")
    assert r.status_code == 422 and "请先采纳至少一项再导入" in r.text
    item = _items(client, token)["gdp|observed"]
    post(client, f"/review/{token}/items/{item}", {"action": "accept"}, csrf_page="/review")
    r = post(client, f"/review/{token}/import", {"source_url": "javascript:alert(1)"},
             csrf_page="/review")
    assert r.status_code == 422 and "source_url" in r.text
    assert _counts(web_db) == before
    assert post(client, f"/review/{token}/discard", csrf_page="/review").status_code == 303
    assert client.get(f"/review/{token}").status_code == 404
    # a milestone alone, with only an archive for its source
    token = _staged(client)
    item = _items(client, token)["地铁1号线开通运营"]
    post(client, f"/review/{token}/items/{item}", {"action": "accept"}, csrf_page="/review")
    r = post(client, f"/review/{token}/import", {"archive": "archive/taiyuan/2001.md",
                                                 "source_quality": "official_report"},
             csrf_page="/review")
    assert r.status_code == 200, r.text[:500]
    with web_db.session() as s:
        ms = s.scalars(select(MilestoneFactRow).where(
            MilestoneFactRow.text == "地铁1号线开通运营", MilestoneFactRow.year == 2000)).one()
        assert ms.archive == "archive/taiyuan/2001.md" and ms.reviewed_by == "admin"
    assert _counts(web_db)[:2] == before[:2]


# -- roles, ownership, CSRF --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["viewer", "supervisor", "rep_fgw"])
def test_other_roles_are_refused_every_route(client, web_db, who):
    login(client, "analyst")
    token = _staged(client)
    before = _counts(web_db)
    login(client, who)
    token_csrf = csrf_of(client, "/account")
    assert client.get("/review").status_code == 403
    assert client.get(f"/review/{token}").status_code == 403
    assert 'href="/review"' not in client.get("/account").text  # not in their menu
    for path, data in (("/review", {"region": "140100", "year": "2001"}),
                       (f"/review/{token}/items/1", {"action": "accept"}),
                       (f"/review/{token}/import", {"source_url": "https://a.example/x"}),
                       (f"/review/{token}/discard", {})):
        files = {"file": ("a.md", REPORT, "text/plain")} if path == "/review" else None
        r = client.post(path, data={**data, "csrf_token": token_csrf}, files=files)
        assert r.status_code == 403, (who, path, r.status_code)
    assert _counts(web_db) == before
    login(client, "analyst")
    page = client.get(f"/review/{token}")
    assert page.status_code == 200 and 'class="st-accepted"' not in page.text  # untouched


def test_anonymous_is_sent_to_login_and_csrf_is_checked(client, web_db):
    client.cookies.clear()
    for path in ("/review", "/review/r-u1-" + "0" * 32):
        r = client.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    token = csrf_of(client, "/login")  # the anonymous double-submit token
    r = client.post("/review/r-u1-" + "0" * 32 + "/discard", data={"csrf_token": token})
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    login(client, "analyst")
    r = client.post("/review", data={"region": "140100", "year": "2001"},
                    files={"file": ("a.md", REPORT, "text/plain")})
    assert r.status_code == 403  # no CSRF token


def test_a_review_is_its_uploaders_only(client, web_db):
    login(client, "analyst")
    token = _staged(client)
    login(client, "admin")  # another user who may review texts, but not this one
    assert client.get(f"/review/{token}").status_code == 404
    for path in (f"/review/{token}/items/1", f"/review/{token}/import",
                 f"/review/{token}/discard"):
        assert post(client, path, {"action": "accept"}, csrf_page="/review").status_code == 404
    assert post(client, "/review/../../etc/passwd/discard", csrf_page="/review").status_code \
        in (404, 405)
    assert client.get("/review/r-u1-xyz").status_code == 404
    login(client, "analyst")
    assert client.get(f"/review/{token}").status_code == 200
    assert post(client, f"/review/{token}/items/999", {"action": "accept"},
                csrf_page="/review").status_code == 404
    assert post(client, f"/review/{token}/items/1", {"action": "launch"},
                csrf_page="/review").status_code == 422


def test_decisions_at_the_same_time_are_all_kept(client, web_db):
    """Decisions are a read, a change and a write of the staged review: they queue on the
    staging area's lock, so none is lost; the import happens once."""
    from concurrent.futures import ThreadPoolExecutor

    login(client, "analyst")
    token = _staged(client)
    ids = sorted(_items(client, token).values())
    csrf = csrf_of(client, "/review")

    def accept(i: int) -> int:
        return client.post(f"/review/{token}/items/{i}",
                           data={"action": "accept", "csrf_token": csrf}).status_code

    with ThreadPoolExecutor(len(ids)) as pool:
        assert set(pool.map(accept, ids)) == {303}
    page = client.get(f"/review/{token}").text
    assert page.count('class="st-accepted"') == len(ids)

    def import_() -> int:
        return client.post(f"/review/{token}/import", data={
            "csrf_token": csrf, "source_url": "https://www.taiyuan.gov.cn/zfgzbg/2001.html"}
        ).status_code

    with ThreadPoolExecutor(2) as pool:
        assert sorted(pool.map(lambda _: import_(), range(2))) == [200, 404]
    with web_db.session() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatchRow).where(
            ImportBatchRow.kind == "review")) == 1


# -- upload hardening and staging --------------------------------------------------------------


def _docx(macro: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<Types><Default Extension="xml" '
                   'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
                   if macro else "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        if macro:
            z.writestr("word/vbaProject.bin", b"\x00")
    return buf.getvalue()


def test_upload_type_by_content_size_and_names(client, web_db, tmp_path):
    login(client, "analyst")
    assert _upload(client, b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "report.md").status_code == 415
    assert _upload(client, b"MZ\x90\x00" + b"\x00" * 50, "report.txt").status_code == 415
    assert _upload(client, _docx(macro=True), "report.docx").status_code == 415
    assert _upload(client, REPORT, "report.docm").status_code == 415
    assert _upload(client, REPORT, "run.bat").status_code == 415
    assert _upload(client, b"", "empty.md").status_code == 415
    # an HTML page is read as text (never served back)
    html = ("<html><head><title>2001年政府工作报告</title></head><body><p>"
            + REPORT.decode().split("---", 2)[2] + "</p></body></html>").encode()
    assert _upload(client, html, "2001.html").status_code == 303
    # a PDF that is not one: refused with the reader's reason, nothing left staged
    r = _upload(client, b"%PDF-1.4 broken", "2001.pdf")
    assert r.status_code == 422 and "2001.pdf" in r.text
    r = _upload(client, REPORT, "2001.md", region="火星市")
    assert r.status_code == 422 and "无法识别的地区 &#39;火星市&#39;：请填写 GB/T 2260 行政区划代码或地区名称" in r.text
    staged = [p.name for p in (tmp_path / "home" / "imports").iterdir()]
    assert all(n.endswith(".json") for n in staged) and len(staged) == 1, staged


def test_a_word_document_is_read(client, tmp_path):
    import docx

    d = docx.Document()
    for line in REPORT.decode().split("---", 2)[2].strip().splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    login(client, "analyst")
    r = _upload(client, buf.getvalue(), "2001年政府工作报告.docx")
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert 'data-key="gdp|observed"' in page and 'data-key="地铁1号线开通运营"' in page
    assert "2001年政府工作报告.docx" in page


def test_upload_size_limit(web_db, tmp_path):
    from webutil import make_client

    with make_client(web_db, tmp_path / "home", upload_max_bytes=1000) as c:
        login(c, "analyst")
        r = _upload(c, REPORT + b" " * 1000)
        assert r.status_code == 413


def test_old_reviews_are_swept(client, web_db, tmp_path):
    login(client, "analyst")
    token = _staged(client)
    path = tmp_path / "home" / "imports" / f"{token}.json"
    old = time.time() - 2 * 3600
    os.utime(path, (old, old))
    assert client.get("/review").status_code == 200
    assert not path.exists()
    assert client.get(f"/review/{token}").status_code == 404


def test_english_page_is_complete(client):
    login(client, "analyst")
    token = _staged(client)
    page = client.get(f"/review/{token}?lang=en").text
    for words in ("Import the 0 accepted", "What was read", "achieved figure", "milestone"):
        assert words in page
    assert not re.search(r">\s*rv\.[a-z_.]+\s*<", page)


# -- the pure parts ----------------------------------------------------------------------------


def test_segments_cover_the_text_once_and_mark_overlaps():
    text = "甲乙丙丁戊己"
    items = [{"id": 1, "start": 0, "end": 4}, {"id": 2, "start": 2, "end": 6},
             {"id": 3, "start": 5, "end": 99}]  # beyond the text: not marked
    segs = segments(text, items)
    assert "".join(p for p, _, _ in segs) == text
    assert segs == [("甲乙", [1], [1]), ("丙丁", [1, 2], [2]), ("戊己", [2], [])]


def test_decide_checks_each_field():
    fig = {"id": 1, "type": "figure", "status": "pending", "edited": False}
    decide(fig, "edit", {"indicator": "gdp", "value": "1,200.5", "period": "2024",
                         "kind": "target", "qualifier": "以上"})
    assert fig["value"] == 1200.5 and fig["status"] == "accepted" and fig["edited"]
    for bad, field in (({"value": "inf"}, "value"), ({"period": "24"}, "period"),
                       ({"qualifier": "大约"}, "qualifier"), ({"kind": "guess"}, "kind"),
                       ({"indicator": " "}, "indicator")):
        form = {"indicator": "gdp", "value": "1", "period": "2024", "kind": "observed", **bad}
        with pytest.raises(ValidationError) as exc:
            decide(dict(fig), "edit", form)
        assert exc.value.field == field
    ms = {"id": 2, "type": "milestone", "status": "pending", "edited": False}
    decide(ms, "edit", {"text": " 地铁1号线 开通运营 ", "year": "2024", "kind": "completion",
                        "nodes": "T6.1.4，P0.3"})
    assert ms["text"] == "地铁1号线 开通运营" and ms["nodes"] == ["T6.1.4", "P0.3"]
    with pytest.raises(ValidationError, match="text"):
        decide(ms, "edit", {"text": "", "year": "2024", "kind": "completion"})
