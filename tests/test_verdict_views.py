"""One verdict, every view: the overview, a goal page, the targets page, the comparison page,
the monitoring report (HTML) and the API show, for the same region and year, the same statuses
and the same index score and rank."""

from __future__ import annotations

import html
import re

import pytest

from lantu.evaluation import evaluate, status_label
from lantu.reports.service import monitoring_report
from lantu.store import users
from webutil import fresh_db, make_client

TAIYUAN, YEAR = "140100", 2023


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def views(web_template_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("views")
    db = fresh_db(web_template_db, tmp)
    with db.session() as s:
        verdict = evaluate(s, region=TAIYUAN, year=YEAR)
        token = users.create_api_token(s, "analyst", "test")
    out = {"verdict": verdict}
    with make_client(db, tmp / "home") as client:
        auth = {"Authorization": f"Bearer {token}"}
        out["api"] = client.get("/api/v1/evaluation", params={"region": TAIYUAN, "year": YEAR},
                                headers=auth).json()
        out["overview"] = client.get("/", params={"year": YEAR}).text
        out["overview_json"] = client.get("/", params={"year": YEAR, "format": "json"}).json()
        out["goal"] = {c: client.get(f"/plan/{c}", params={"year": YEAR}).text
                       for c in ("T1", "P0")}
        out["targets"] = client.get("/targets", params={"year": YEAR}).text
        out["targets_json"] = client.get("/targets", params={"year": YEAR,
                                                            "format": "json"}).json()
        idx = verdict.index
        out["compare"] = client.get("/comparison", params={
            "year": idx["year"], "group": idx["group"], "format": "json"}).json()
    out["report"] = monitoring_report(db, TAIYUAN, str(YEAR), fmt="html").content.decode()
    db.dispose()
    return out


def test_every_view_shows_the_verdicts_statuses_and_index(views):
    v = views["verdict"]
    assert v.index is not None, v.index_note
    score, rank = v.index["score"], v.index["rank"]
    # API: the verdict itself
    api = views["api"]
    assert [(n["code"], n["status"]) for n in api["nodes"]] == [(n.code, n.status) for n in v.nodes]
    assert (api["index"]["score"], api["index"]["rank"]) == (score, rank)
    # overview: every top-level goal and task with the verdict's status; P0.1–P0.8 listed
    ov = views["overview_json"]
    assert [(c["code"], c["status"]) for c in ov["cards"]] == [(n.code, n.status) for n in v.top()]
    p0 = next(c for c in ov["cards"] if c["code"] == "P0")
    assert [(g["code"], g["status"]) for g in p0["children"]] == \
        [(n.code, n.status) for n in v.children("P0")]
    text = _text(views["overview"])
    for n in v.top():
        assert f"{n.code} {n.title}" in text and status_label(n.status, "zh") in text
    assert f"{score:.2f}" in text and f"排第{rank}位" in text
    # goal pages: their status, and their sub-goals'
    for code, page in views["goal"].items():
        t = _text(page)
        assert status_label(v.node(code).status, "zh") in t
        for c in v.children(code):
            assert status_label(c.status, "zh") in t
    # targets page: the row of every target in force judged on the year has the verdict's status
    rows = {(r["indicator"], r["target_period"], r["qualifier"]): r
            for s in views["targets_json"]["regions"] for r in s["targets"]}
    checked = 0
    for n in v.nodes:
        for i in n.indicators:
            t = i.target
            if t is None or t.horizon != "yearly" or t.year != YEAR:
                continue
            assert rows[(i.indicator, str(YEAR), t.qualifier)]["status"] == t.status
            checked += 1
    assert checked >= 3
    assert status_label("missed", "zh") in _text(views["targets"])
    # comparison page: the same index, score and rank
    me = next(u for u in views["compare"]["index"]["results"] if u["code"] == TAIYUAN)
    assert (me["index"], me["rank"]) == (score, rank)
    # the monitoring report: each goal's and task's verdict, each row's status, the index
    rep = _text(views["report"])
    for n in v.top():
        assert f"评估结论：{status_label(n.status, 'zh')}" in rep
    g = next(i for i in v.node("T1").indicators if i.indicator == "gdp_growth")
    assert g.status == "missed" and re.search(r"地区生产总值增速.{0,80}未完成", rep)
    assert f"{score:.2f}" in rep and re.search(rf"太原市 {score:.2f} {rank} ", rep)
