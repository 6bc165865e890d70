"""The bulletin's score table: equal scores share a rank (the one rank rule,
lantu.engine.stats.rank_min) and each department's score parts are shown — in the DOCX and on the
web — read from the one score rule (lantu.supervise.score)."""

from __future__ import annotations

import io
import re
from datetime import date

import numpy as np
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from lantu.engine.stats import rank_min
from lantu.reports.fonts import FontSet
from lantu.supervise.score import DepartmentRecord, ScoreRule
from webutil import login

MONTH = "2023-06"


def test_equal_scores_share_a_rank_and_silence_ranks_last():
    recs = [DepartmentRecord("b", tasks=1), DepartmentRecord("a", tasks=1),
            DepartmentRecord("c", tasks=2, owed=2, reported=2, approved=2),
            DepartmentRecord("z", tasks=1, owed=1), DepartmentRecord("y", tasks=3, owed=2)]
    out = ScoreRule().rank(recs)
    assert [(d.department, d.rank) for d in out] == [
        ("c", 1), ("a", 2), ("b", 2), ("y", 4), ("z", 4)]
    assert out[0].score == 100.0 and out[1].score == out[2].score == 80.0


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 4), st.integers(0, 3),
                          st.integers(0, 3)), min_size=1, max_size=8))
def test_the_rank_is_rank_min_of_the_scores(rows):
    recs = [DepartmentRecord(f"d{i}", tasks=t, owed=t, reported=min(r, t), approved=a,
                             returned=ret) for i, (t, r, a, ret) in enumerate(rows)]
    out = ScoreRule().rank(recs)
    if all(d.silent for d in out):  # no department reported: none is ranked (left12)
        assert {d.rank for d in out} == {None}
        return
    for d in out:  # 1 + how many rank strictly better
        better = sum(1 for e in out if (e.silent, -e.score) < (d.silent, -d.score))
        assert d.rank == better + 1
    key = np.array([-1.0 if d.silent else d.score for d in out])
    assert [d.rank for d in out] == rank_min(key, descending=True).astype(int).tolist()


def _tables(doc):
    caps = [p.text for p in doc.paragraphs if p.text.startswith("表")]
    return {re.sub(r"^表\S*\s*", "", c): t for c, t in zip(caps, doc.tables, strict=False)}


def test_the_docx_bulletin_shows_each_departments_score_parts(default_db):
    from lantu.reports.bulletin import build_bulletin_docx
    from lantu.reports.data import bulletin_data

    rule = ScoreRule({"reporting": 2, "approval": 1, "on_time": 1, "overdue": 0,
                      "reminders": 0})
    with default_db.session() as s:
        data = bulletin_data(s, MONTH, today=date(2023, 7, 5), rule=rule)
    doc = Document(io.BytesIO(build_bulletin_docx(data, FontSet.standard()).to_bytes()))
    tables = _tables(doc)
    parts = tables["各牵头单位得分构成"]
    header = [c.text for c in parts.rows[0].cells]
    # the parts and their weights are the rule's, not the default weights
    assert header == ["位次", "牵头单位", "按时报送率（×0.50）", "审核通过率（×0.25）",
                      "按期完成率（×0.25）", "逾期天数分（×0.00）", "被催办分（×0.00）", "得分"]
    body = [[c.text for c in r.cells] for r in parts.rows[1:]]
    assert len(body) == len(data["departments"]) > 1
    for cells, d in zip(body, data["departments"], strict=True):
        assert cells[0] == ("未排名" if d["rank"] is None else str(d["rank"]))
        assert cells[1].startswith(d["name"])
        shown = [float(x.rstrip("%")) for x in cells[2:7]]
        assert shown == [round(100 * d["parts"][k]) for k in
                         ("reporting", "approval", "on_time", "overdue", "reminders")]
        if not d["silent"]:  # the score is the rule's sum of the parts shown
            assert abs(sum(p.weight * d["parts"][p.key] for p in rule.parts) * 100
                       - d["score"]) < 0.06
        else:
            assert "未报送" in cells[1]
    # the department table's ranks: equal scores, equal ranks
    dept = tables["各牵头单位任务推进情况"]
    # (left12: a month nobody reported in ranks none, "未排名" for each)
    ranks = [(r.cells[7].text, r.cells[9].text) for r in dept.rows[1:]]
    by_score: dict[str, set[str]] = {}
    for score, rank in ranks:
        by_score.setdefault(score, set()).add(rank)
    assert all(len(v) == 1 for v in by_score.values()), by_score
    assert len(ranks) > len(by_score), "the default has departments with equal scores"


def test_the_web_bulletin_gives_equal_scores_equal_ranks(client):
    login(client, "supervisor")
    html = client.get(f"/supervision/bulletin?month={MONTH}").text
    table = html.split('data-test="score-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><td class="num" data-label="[^"]*">([^<]+)</td>.*?'
                      r'<strong>([\d.]+)</strong>', table, re.S)
    assert len(rows) > 1
    by_score: dict[str, set[str]] = {}
    for rank, score in rows:
        by_score.setdefault(score, set()).add(rank)
    assert all(len(v) == 1 for v in by_score.values()), by_score
    assert "按时报送率" in table and "×0.30" in table  # the parts, with the rule's weights
