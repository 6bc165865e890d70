"""probe13 (the ninth attacker round): a text longer than the database's index holds.

A milestone's text is part of its unique key (``milestone_fact``: region, year, kind, text), and
PostgreSQL's B-tree holds an index row of at most 2,704 bytes. A reviewer editing a milestone
in the text review (up to 2,000 characters) wrote 2,000 Chinese characters — 6,000 bytes — and
the import answered **500** on PostgreSQL (``ProgramLimitExceeded``, which no rule named; SQLite
kept the text); a milestone table through ``lantu import`` met the same. Now the milestone's own
rule holds its text to 500 characters (``domain.milestones.MAX_MILESTONE_TEXT``: 2,000 bytes at
most, in the key with the other columns; the longest the default and the corpus hold is 218),
asked by the review's edit, the table reader and the store; and the store refuses any text over
2,000 bytes in a column the database indexes without a width of its own
(``store.db.INDEXED_TEXT_BYTES``) — the same answer on both databases, whatever route.

SQLite and PostgreSQL; each test failed on the code before.
"""

from __future__ import annotations

import html
import random
import re

import pytest
from sqlalchemy import func, select

from lantu import services
from lantu.domain import ValidationError
from lantu.ingest.tables import ImportRefused
from lantu.store.models import MilestoneFactRow
from webutil import backend_app

REPORT = """各位代表：

过去的一年，全市地区生产总值实现265.8亿元，增长10.2%。入选国家儿童友好城市建设名单。
""".encode()
SOURCE = "https://www.taiyuan.gov.cn/zfgzbg/2001.html"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("p13index"),
                     ("analyst",), "probe13") as (client, headers, db, home):
        yield client, headers["analyst"], db, home


def _han(n: int, seed: int, wide: bool = False) -> str:
    """``n`` characters no compression shortens: common Han (3 bytes each in UTF-8), or of
    extension B (4 bytes each)."""
    rng = random.Random(seed)
    low, high = (0x20000, 0x2A6DF) if wide else (0x4E00, 0x9FA5)
    return "".join(chr(rng.randint(low, high)) for _ in range(n))


def _milestones(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(MilestoneFactRow))


def _review_with_a_milestone(client, analyst) -> tuple[str, int]:
    r = client.post("/review", headers=analyst, data={"region": "140100", "year": "2001",
                                                      "kind": "auto"},
                    files={"file": ("2001.txt", REPORT, "text/plain")})
    assert r.status_code == 303, r.text[:500]
    token = r.headers["location"].rsplit("/", 1)[-1]
    page = client.get(f"/review/{token}", headers=analyst).text
    found = [int(m.group(1)) for m in re.finditer(
        r'<tr id="item-(\d+)" data-item="\d+" data-type="milestone"', page)]
    assert found, html.unescape(page)[:2000]
    return token, found[0]


def _edit(client, analyst, token: str, item: int, text: str):
    return client.post(f"/review/{token}/items/{item}", headers=analyst, data={
        "action": "edit", "text": text, "year": "2000", "kind": "designation", "nodes": ""})


def test_a_reviewed_milestone_text_longer_than_its_key_holds_is_refused(env):
    client, analyst, db, _home = env
    before = _milestones(db)
    token, item = _review_with_a_milestone(client, analyst)
    for text in (_han(2000, 1), _han(501, 2)):  # 6,000 and 1,503 bytes
        r = _edit(client, analyst, token, item, text)
        assert r.status_code == 422, (len(text), r.status_code, r.text[:300])
    # the longest a milestone may be, in the widest characters, is written on both databases
    longest = _han(500, 3, wide=True)  # 2,000 bytes
    assert _edit(client, analyst, token, item, longest).status_code == 303
    r = client.post(f"/review/{token}/import", headers=analyst, data={
        "source_url": SOURCE, "document": "2001年政府工作报告", "source_quality": "official_report"})
    assert r.status_code == 200, r.text[:500]
    assert _milestones(db) == before + 1
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(MilestoneFactRow).where(
            MilestoneFactRow.text == longest)) == 1


def test_a_milestone_table_with_a_text_longer_than_its_key_holds_is_refused_by_row(env,
                                                                                  tmp_path):
    _client, _analyst, db, _home = env
    before = _milestones(db)
    table = tmp_path / "M.csv"
    table.write_text("region_code,year,kind,text,excerpt,start,end,nodes,source_url\r\n"
                     f"140100,2001,designation,入选国家物流枢纽,,,,P0.1,{SOURCE}\r\n"
                     f"140100,2001,designation,{_han(1500, 4)},,,,P0.1,{SOURCE}\r\n",
                     encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        services.import_file(db, table)
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "text")]
    assert "500" in refused.value.problems[0].reason
    assert _milestones(db) == before


def test_the_store_refuses_a_text_its_index_cannot_hold(env):
    """The store's own net, whatever route a row comes by (here the ORM itself)."""
    _client, _analyst, db, _home = env
    before = _milestones(db)
    text = _han(700, 5, wide=True)  # 2,800 bytes: more than PostgreSQL's index row holds
    with pytest.raises(ValidationError) as refused, db.session() as s:
        s.add(MilestoneFactRow(region_code="140100", year=2001, kind="designation", text=text,
                               source_url=SOURCE))
        s.flush()
    assert refused.value.field == "text" and "milestonefact.text" in str(refused.value)
    assert _milestones(db) == before
    with db.session() as s:  # a text of the same characters within the limit is kept
        s.add(MilestoneFactRow(region_code="140100", year=2001, kind="designation",
                               text=text[:500], source_url=SOURCE))
    assert _milestones(db) == before + 1
