"""The web import page and a milestone table (the ``M.csv`` of ``lantu extract --milestones``).

The import itself took such a table (``services.import_file`` reads it as milestones), but the
preview showed each row under the raw key ``im.act.insert_milestone``, counted nothing, said
"the file matches the database" and offered no button to import it (probe13 saw it). Now the
preview counts new and updated milestones in the page's language and the import goes through."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from lantu.store.models import MilestoneFactRow
from webutil import login, post

SOURCE = "https://www.taiyuan.gov.cn/zfgzbg/2001.html"
TABLE = ("region_code,year,kind,text,excerpt,start,end,nodes,source_url\r\n"
         f"140100,2001,designation,入选全国物流枢纽试点城市,,,,P0.1,{SOURCE}\r\n"
         f"140100,2001,completion,太原南站建成投运,,,,P0.1,{SOURCE}\r\n")


def _count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(MilestoneFactRow))


def _preview(client, lang: str):
    client.cookies.set("lang", lang)
    return post(client, f"/import?lang={lang}", {},
                files={"file": ("M.csv", TABLE.encode("utf-8"), "text/csv")},
                csrf_page="/import")


def test_a_milestone_table_is_previewed_and_imported_on_the_web_page(client, web_db):
    login(client, "analyst")
    before = _count(web_db)
    r = _preview(client, "zh")
    assert r.status_code == 200, r.text[:500]
    assert "im.act" not in r.text and "im.new" not in r.text
    assert r.text.count("新增里程碑") >= 3  # the count's label and each row's action
    assert "无需导入" not in r.text
    token = re.search(r'name="token" value="([^"]+)"', r.text)
    assert token, "no button to import the milestones"
    assert _count(web_db) == before  # a preview writes nothing
    done = post(client, "/import/confirm", {"token": token.group(1)}, csrf_page="/import")
    assert done.status_code == 200, done.text[:500]
    assert "新增 2 条、更新 0 条里程碑" in done.text
    assert _count(web_db) == before + 2
    again = _preview(client, "zh")  # the same table again: nothing new
    assert "无需导入" in again.text and 'name="token"' not in again.text


def test_the_milestone_preview_speaks_english_on_english_pages(client, web_db):
    login(client, "analyst")
    r = _preview(client, "en")
    assert r.status_code == 200, r.text[:500]
    assert "im.act" not in r.text
    assert "New milestones" in r.text and "New milestone<" in r.text
