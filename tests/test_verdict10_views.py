"""One verdict, every view, down to the numbers (session 10's independent audit).

For a sample of Taiyuan's 2024 rows — a missed yearly target, an achieved one, a stagnating
five-year change, pending rows whose figure is of an earlier year, a series across the 2020
census break — the CLI JSON (``lantu evaluate``), the API, the targets page, the Word monitoring
report and the Excel export of the indicator explorer give the same status, the same year and
the same figures. The audit found the report's trend computed apart from the verdict's: it
compared Taiyuan's urbanisation rate of 2024 (89.7 %) with 2019's (85.25 %, on the 2010 census
base) and called it 向好, where the verdict says no trend across the break.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from lantu.cli import app
from lantu.evaluation import evaluate, status_label
from lantu.reports.progress import TREND
from lantu.reports.service import monitoring_report
from lantu.store import users
from webutil import fresh_db, make_client

TAIYUAN, YEAR = "140100", 2024
SAMPLE = {  # indicator: (status, period of the figure shown) — checked by hand in the key
    "gdp_growth": ("missed", "2024"),
    "new_urban_jobs": ("achieved", "2024"),
    "population": ("stagnating", "2024"),
    "old_communities_renovated": ("pending", "2023"),
    "pm25": ("pending", "2023"),
    "urbanization_rate": (None, "2024"),
}


@pytest.fixture(scope="module")
def views(web_template_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("views10")
    db = fresh_db(web_template_db, tmp)
    out: dict = {}
    with db.session() as s:
        out["verdict"] = evaluate(s, region=TAIYUAN, year=YEAR)
        token = users.create_api_token(s, "analyst", "test")
    res = CliRunner().invoke(app, ["evaluate", "--region", TAIYUAN, "--year", str(YEAR),
                                   "--format", "json", "--out", str(tmp / "v.json"),
                                   "--db", str(db.engine.url)])
    assert res.exit_code == 0, res.output
    out["cli"] = json.loads((tmp / "v.json").read_text(encoding="utf-8"))
    with make_client(db, tmp / "home") as client:
        out["api"] = client.get("/api/v1/evaluation", params={"region": TAIYUAN, "year": YEAR},
                                headers={"Authorization": f"Bearer {token}"}).json()
        out["targets"] = client.get("/targets", params={"year": YEAR, "format": "json"}).json()
        out["xlsx"] = {code: client.get("/indicators/export.xlsx", params={
            "indicator": code, "region": TAIYUAN}).content for code in SAMPLE}
    out["docx"] = monitoring_report(db, TAIYUAN, str(YEAR)).content
    db.dispose()
    return out


def _rows(verdict_json: dict) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for n in verdict_json["nodes"]:
        for i in n["indicators"]:
            rows.setdefault(i["indicator"], i)
    return rows


def _docx_rows(content: bytes, names: dict[str, str]) -> dict[str, list[str]]:
    import docx

    doc = docx.Document(io.BytesIO(content))
    by_name = {v: k for k, v in names.items()}
    rows: dict[str, list[str]] = {}
    for table in doc.tables:
        for r in table.rows:
            cells = [c.text for c in r.cells]
            code = by_name.get(cells[0].split("（")[0])
            if code and len(cells) >= 7 and code not in rows:  # the goal tables come first
                rows[code] = cells
    return rows


def _number(text: str) -> float:
    return float(re.match(r"\s*(-?[\d,]+(?:\.\d+)?)", text).group(1).replace(",", ""))


def test_the_sample_rows_have_the_hand_checked_status_and_figure(views):
    rows = {i.indicator: i for n in views["verdict"].nodes for i in n.indicators}
    for code, (status, period) in SAMPLE.items():
        assert (rows[code].status, rows[code].period) == (status, period), code


def test_cli_and_api_give_the_verdicts_status_year_and_numbers(views):
    mine = {i.indicator: i for n in views["verdict"].nodes for i in n.indicators}
    for name in ("cli", "api"):
        got = _rows(views[name])
        for code in SAMPLE:
            g, v = got[code], mine[code]
            assert (g["status"], g["period"], g["value"], g["trend"]) == (
                v.status, v.period, v.value, v.trend), (name, code)
            if v.target is not None:
                t = g["target"]
                assert (t["value"], t["year"], t["kind"], t["status"]) == (
                    v.target.value, v.target.year, v.target.kind, v.target.status)
                assert t["current"] == pytest.approx(v.target.current) if v.target.current \
                    is not None else t["current"] is None
                assert t["gap"] == pytest.approx(v.target.gap) if v.target.gap is not None \
                    else t["gap"] is None


def test_the_targets_page_judges_the_years_targets_as_the_verdict(views):
    mine = {i.indicator: i for n in views["verdict"].nodes for i in n.indicators}
    rows = {(r["indicator"], r["target_period"], r["qualifier"]): r
            for s in views["targets"]["regions"] for r in s["targets"]}
    checked = 0
    for code in SAMPLE:
        t = mine[code].target
        if t is None or t.horizon != "yearly":
            continue
        r = rows[(code, str(t.year), t.qualifier)]
        assert (r["status"], r["eval_year"] if t.current is not None else None) == (
            t.status, t.year if t.current is not None else None), code
        assert (r["current"], r["gap"]) == (t.current, t.gap), code
        checked += 1
    assert checked >= 3


def test_the_word_report_shows_the_verdicts_status_figure_year_and_trend(views):
    v = views["verdict"]
    mine = {i.indicator: i for n in v.nodes for i in n.indicators}
    names = {code: mine[code].name_zh for code in SAMPLE}
    rows = _docx_rows(views["docx"], names)
    for code in SAMPLE:
        iv, cells = mine[code], rows[code]
        # 指标 | 单位 | 最新值 | 上期值 | 趋势 | 目标 | 评估 | 来源
        assert _number(cells[2]) == pytest.approx(iv.value, abs=0.006), code
        assert (f"（{iv.period}）" in cells[2]) == (iv.period != str(YEAR)), code
        assert cells[4] == TREND[iv.trend], code
        assert cells[6] == (status_label(iv.status, "zh") if iv.status else "—"), code
    # the row the audit found: no trend across the census break, in every view
    assert mine["urbanization_rate"].trend == "n/a" and rows["urbanization_rate"][4] == "—"


def test_the_excel_export_holds_the_figure_the_verdict_shows(views):
    mine = {i.indicator: i for n in views["verdict"].nodes for i in n.indicators}
    for code in SAMPLE:
        ws = load_workbook(io.BytesIO(views["xlsx"][code]), read_only=True)["data"]
        rows = list(ws.iter_rows(values_only=True))
        head = list(rows[0])
        got = {(r[head.index("region_code")], str(r[head.index("period")])):
               float(r[head.index("value")]) for r in rows[1:]}
        iv = mine[code]
        assert got[(TAIYUAN, iv.period)] == pytest.approx(iv.value), code
