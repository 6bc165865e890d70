"""No score, no rank (left12): when no department reported (the start of a year, a month nobody
reported in), every department scored 0 and all shared the first place (第1名 for each on the
assessment page, its Excel sheet, the bulletin and the API). None is ranked then ("未排名" / "not
ranked", ``rank`` null); ties among departments that reported still share a rank, and a silent
department still ranks after every one that reported (lantu.supervise.score, the one rule)."""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import load_workbook

from lantu.supervise.score import DepartmentRecord, ScoreRule
from webutil import login


def test_no_department_reported_none_is_ranked():
    out = ScoreRule().rank([DepartmentRecord("b", tasks=1, owed=1),
                            DepartmentRecord("a", tasks=3, owed=2)])
    assert [(d.department, d.rank, d.score) for d in out] == [("a", None, 0.0),
                                                              ("b", None, 0.0)]


def test_ties_among_reporters_share_a_rank_and_silence_still_ranks_last():
    out = ScoreRule().rank([DepartmentRecord("b", tasks=1), DepartmentRecord("a", tasks=1),
                            DepartmentRecord("c", tasks=1, owed=1)])
    assert [(d.department, d.rank) for d in out] == [("a", 1), ("b", 1), ("c", 3)]


def _rank_cells(html: str, label: str) -> list[str]:
    return re.findall(rf'<td class="num" data-label="{label}">([^<]*)</td>', html)


def test_the_assessment_says_not_ranked_on_the_page_in_the_sheet_and_the_api(client):
    login(client, "supervisor")
    # the demo's current year: tasks assigned, no progress reported by anyone yet
    zh = client.get("/supervision/assessment?lang=zh").text
    assert zh.count("未报送") > 3
    ranks = _rank_cells(zh, "排名")
    assert ranks and set(ranks) == {"未排名"}, ranks[:5]
    en = client.get("/supervision/assessment?lang=en").text
    assert set(_rank_cells(en, "Rank")) == {"not ranked"}
    sheet = client.get("/supervision/assessment.xlsx?lang=zh")
    ws = load_workbook(io.BytesIO(sheet.content)).active
    assert {r[0].value for r in ws.iter_rows(min_row=3) if r[1].value} == {"未排名"}
    api = client.get(f"/api/v1/assessment?year={date.today().year}").json()
    rows = api.get("data") or api.get("results") or []
    assert rows and all(r["rank"] is None for r in rows), rows[:2]
