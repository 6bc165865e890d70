"""Issue 12, the third round: what an attacker's rerun found past the second round and what
``docs/security.md`` had left alone, on SQLite and PostgreSQL; each test failed on the code
before its fix. One app per database for the module.

- years: a figure, a milestone, a report or bulletin month, a reviewed item and a publication
  date keep to the one year rule (1949–2100: ``periods.year_problem``), as targets and plan
  dates did;
- files: ``tabular.read_sheet`` (review sheets on the command line) asks the importer's guard
  against workbook bombs;
- formula injection: ``lantu index inputs`` writes through the one CSV writer;
- links: a host label mixing scripts (``pаypal.com`` with a Cyrillic а), full-width letters or
  other dots; an ``xn--`` label is read, not taken at sight;
- hostile text: reordering bidi controls in any stored text (the gate's text rule, asked by the
  store of every ORM write) and in upload names (refused before the file is written); source
  texts longer than their column, and any ORM text longer than its ``String(n)`` (PostgreSQL
  refused with a bare DataError, SQLite kept it);
- user names: look-alikes (full-width, invisible characters, mixed scripts, case and dots)
  created beside an existing user.
"""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from lantu import services
from lantu.domain import MilestoneFact, ValidationError, gate
from lantu.domain.links import url_problem, url_problems
from lantu.store import users
from lantu.store.models import MilestoneFactRow, ObservationRow, RegionRow, TargetRow
from lantu.store.models_web import EvidenceFileRow, UserRow
from webutil import backend_app, login, post, task_ids


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("round3"),
                     ("analyst", "admin"), "round3") as app:
        yield app


OBS = {"region_code": "140100", "period": "2016", "indicator": "gdp", "value": 1.0,
       "unit": "亿元", "source_url": "https://x.gov.cn/a", "excerpt": "e"}
TASK = {"plan": "taiyuan-2021-11", "kind": "task", "title": "探针任务", "lead_department": "czj"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _count(db, row) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(row))


# -- years ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("period", ["1900", "1001", "1948-12", "1948Q4"])
def test_a_figure_outside_the_years_lantu_handles_is_refused_by_every_write(env, tmp_path,
                                                                            period):
    client, auth, db, _ = env
    before = _count(db, ObservationRow)
    r = client.post("/api/v1/observations", headers=auth["analyst"], json={**OBS, "period": period})
    assert r.status_code == 422 and "period" in {e["field"] for e in r.json()["errors"]}, r.text
    f = _write(tmp_path, "old.csv", "region_code,period,indicator,value,unit\n"
                                    f"140100,2015,gdp,1,亿元\n140100,{period},gdp,1,亿元\n")
    with pytest.raises(services.ImportRefused) as info:
        services.import_file(db, f)
    (p,) = info.value.problems
    assert p.row == 3 and p.column == "period" and "1949–2100" in p.reason
    login(client, "analyst")
    r = post(client, "/import", files={"file": ("old.csv", f.read_bytes(), "text/csv")},
             csrf_page="/import")
    assert r.status_code == 422 and "1949–2100" in r.text
    assert _count(db, ObservationRow) == before


def test_a_milestone_before_1949_is_refused(env, tmp_path):
    _, _, db, _ = env
    with pytest.raises(ValidationError, match="1949–2100"):
        MilestoneFact("140100", 1900, "designation", "入选")
    f = _write(tmp_path, "m.csv", "region_code,year,kind,text,source_url\n"
                                  "140100,1930,designation,入选探针名单,https://a.gov.cn/x\n")
    before = _count(db, MilestoneFactRow)
    with pytest.raises(services.ImportRefused):
        services.import_file(db, f)
    assert _count(db, MilestoneFactRow) == before


def test_months_and_reviewed_years_keep_the_year_rule(env):
    from lantu import textreview
    from lantu.supervise.workflow import WorkflowError, validate_month

    client, _, _, _ = env
    login(client, "supervisor")
    for month in ("1900-01", "1948-12"):
        assert client.get("/supervision/bulletin", params={"month": month}).status_code == 422
        with pytest.raises(WorkflowError):
            validate_month(month, start=None, today=pd.Timestamp("2026-11-30").date())
    with pytest.raises(ValidationError, match="1949–2100"):
        textreview._year("1900", "year")


@pytest.mark.parametrize("published", ["9999", "2024-13", "2024-02-30", "yesterday",
                                       "2024-01-01T00:00:00"])
def test_a_publication_date_is_a_date_of_the_years_lantu_handles(env, tmp_path, published):
    """At equal quality the later publication outranks: ``9999`` would outrank every source
    for good; a longer text was kept by SQLite and a bare DataError on PostgreSQL."""
    _, _, db, _ = env
    f = _write(tmp_path, "p.csv", "region_code,period,indicator,value,unit,source_published\n"
                                  f"140100,1991,gdp,1,亿元,{published}\n")
    with pytest.raises(services.ImportRefused) as info:
        services.import_file(db, f)
    assert {p.column for p in info.value.problems} == {"source_published"}


# -- files ---------------------------------------------------------------------------------------

def test_review_sheets_on_the_command_line_ask_the_importers_guard(tmp_path, monkeypatch):
    from lantu.ingest import tables_read
    from lantu.ingest.extract_io import ReviewSheetError
    from lantu.tabular import read_sheet

    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.active.append(["x" * 3000, "y"])
    path = tmp_path / "sheet.xlsx"
    wb.save(path)
    assert len(list(read_sheet(path, "Sheet", ["a"], ReviewSheetError))) == 1
    monkeypatch.setattr(tables_read, "MAX_XLSX_UNPACKED_BYTES", 10_000)  # the sheet is 20 KB
    with pytest.raises(ReviewSheetError, match="zip bomb"):
        list(read_sheet(path, "Sheet", ["a"], ReviewSheetError))


# -- formula injection ---------------------------------------------------------------------------

def test_index_inputs_escape_text_and_keep_numbers(web_db, tmp_path):
    from lantu.cli import app

    with web_db.session() as s:
        s.execute(update(RegionRow).where(RegionRow.code == "140100")
                  .values(name_zh='=HYPERLINK("http://evil.example","太原")'))
    res = CliRunner().invoke(app, ["index", "inputs", "--out", str(tmp_path), "--db", web_db.url])
    assert res.exit_code == 0, res.output
    idata = pd.read_csv(tmp_path / "iData.csv", dtype={"uCode": str}, na_values="NA")
    names = dict(zip(idata["uCode"], idata["uName"], strict=True))
    assert names["140100"].startswith("'=HYPERLINK")
    assert all(not n.startswith("'") for c, n in names.items() if c != "140100")
    assert pd.api.types.is_numeric_dtype(idata["gdp"]) and idata["gdp"].notna().any()
    imeta = pd.read_csv(tmp_path / "iMeta.csv", na_values="NA")
    assert pd.api.types.is_numeric_dtype(imeta["Weight"])


# -- links ---------------------------------------------------------------------------------------

CYRILLIC_E = "\u0435"


@pytest.mark.parametrize("url", [
    f"https://{CYRILLIC_E}vil.com/", "https://p\u0430ypal.com/x", "https://xn--vil-qdd.com/",
    "https://XN--PYPAL-4VE.COM/", "https://\u03bfpenai.com/", "https://tjj.taiyuan.gov.cn。evil.com/",
    "https://evil．com/", "https://ｅvil.com/", "https://xn--zz.com/",
])
def test_a_host_that_disguises_where_it_leads_is_refused(url):
    assert url_problem(url) is not None
    assert url_problems([url, url, "https://tjj.taiyuan.gov.cn/a"])[:2] == [url_problem(url)] * 2


@pytest.mark.parametrize("url", ["https://政府.cn/", "https://xn--mxtq1m.cn/a", "https://中国abc.cn/",
                                 "https://δοκιμή.gr/", "https://tjj.taiyuan.gov.cn/"])
def test_single_script_and_east_asian_host_names_stay_links(url):
    assert url_problem(url) is None


def test_the_api_refuses_a_look_alike_host(env):
    client, auth, _, _ = env
    r = client.post("/api/v1/observations", headers=auth["analyst"],
                    json={**OBS, "period": "2012", "source_url": f"https://tjj.taiyuan.gov.c{CYRILLIC_E}n/"})
    assert r.status_code == 422 and "source_url" in {e["field"] for e in r.json()["errors"]}


# -- hostile text --------------------------------------------------------------------------------

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def test_the_default_and_the_corpus_hold_nothing_the_text_rule_refuses():
    """What the rule refuses (bidi and other control characters) is in none of the texts Lantu
    ships or was built from (map geometries, encoded in JSON, are no text)."""
    from lantu.ingest.goldeval import shared_folder

    roots = [Path(gate.__file__).parents[1] / "defaults"]
    corpus = shared_folder(Path(__file__).parents[1], os.environ.get("LANTU_SHARED")) / "corpus"
    if corpus.is_dir():
        roots.append(corpus)
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix in (".csv", ".yaml", ".md", ".txt", ".html"):
                text = path.read_text(encoding="utf-8", errors="replace")
                assert gate.text_problem(text) is None, path


@pytest.mark.parametrize("mark", BIDI)
def test_a_bidi_control_is_refused_in_any_stored_text(env, mark):
    client, auth, _, _ = env
    assert "bidi" in (gate.text_problem(f"report{mark}fdp.exe") or "")
    r = client.post("/api/v1/observations", headers=auth["analyst"],
                    json={**OBS, "period": "2013", "excerpt": f"a{mark}b"})
    assert r.status_code == 422, r.text
    r = client.post("/api/v1/tasks", headers=auth["admin"], json={**TASK, "title": f"甲{mark}乙"})
    assert r.status_code == 422 and "bidi" in r.json()["detail"], r.text


def test_the_store_refuses_bidi_controls_on_every_orm_write(env):
    _, _, db, _ = env
    with pytest.raises(ValidationError, match="bidi"), db.session() as s:
        s.get(UserRow, 1).display_name = "管理员\u202e"
    with db.session() as s:
        assert "\u202e" not in s.get(UserRow, 1).display_name


def test_an_upload_named_with_a_bidi_control_is_refused_before_it_is_written(env):
    client, _, db, home = env
    login(client, "rep_czj")
    node = task_ids(db, "czj")[0]
    uploads = home / "uploads"
    files_before = sorted(uploads.rglob("*")) if uploads.exists() else []
    before = _count(db, EvidenceFileRow)
    r = post(client, f"/supervision/tasks/{node}/report",
             {"month": "2026-11", "text": "t", "percent": "1", "action": "save"},
             files=[("evidence", ("invoice\u202egpj.pdf", PDF, "application/pdf"))],
             csrf_page=f"/supervision/tasks/{node}")
    assert r.status_code == 415, r.text[:300]
    assert (sorted(uploads.rglob("*")) if uploads.exists() else []) == files_before
    assert _count(db, EvidenceFileRow) == before


@pytest.mark.parametrize("column,value", [("excerpt", "长" * 4001), ("note", "n" * 4001),
                                          ("source_file", "f" * 501)])
def test_a_source_text_longer_than_its_column_is_refused_with_its_row(env, tmp_path, column,
                                                                      value):
    """The API refused an excerpt over 4,000 characters, the import stored 1 MB; a source file
    name over 500 was kept by SQLite and a bare DataError on PostgreSQL."""
    _, _, db, _ = env
    f = _write(tmp_path, "long.csv", f"region_code,period,indicator,value,unit,{column}\n"
                                     f"140100,1992,gdp,1,亿元,ok\n140100,1993,gdp,1,亿元,{value}\n")
    with pytest.raises(services.ImportRefused) as info:
        services.import_file(db, f)
    (p,) = info.value.problems
    assert p.row == 3 and p.column in (column, f"source_{column}") and "at most" in p.reason


def test_an_orm_write_longer_than_its_column_is_refused_alike_on_both_databases(env, tmp_path):
    _, _, db, _ = env
    m = _write(tmp_path, "m.csv", "region_code,year,kind,text,source_url,archive\n"
                                  f"140100,2020,designation,入选甲,https://a.gov.cn/,{'a' * 600}\n")
    t = _write(tmp_path, "t.csv", "region_code,indicator,target_period,kind,value,unit,plan,"
                                  f"source_url\n140100,gdp,2025,level,9000,亿元,{'p' * 400},"
                                  "https://a.gov.cn/\n")
    before = (_count(db, MilestoneFactRow), _count(db, TargetRow))
    for f, field in ((m, "archive"), (t, "plan")):
        with pytest.raises(ValidationError) as info:
            services.import_file(db, f)
        assert field in str(info.value) and "at most" in str(info.value)
    assert (_count(db, MilestoneFactRow), _count(db, TargetRow)) == before


# -- user names ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ａｄｍｉｎ", "Admin", "ADMIN", "admin\u200b", "admin\u200e",
                                  "admin\u00ad", "ad\u2060min", "\u0430dmin", "adm\u0456n",
                                  "adm\u0130n", "adm\u0131n", "viewer\ufeff", "ｖｉｅｗｅｒ"])
def test_a_user_name_that_looks_like_another_is_refused(env, name):
    client, _, db, _ = env
    login(client, "admin")
    r = post(client, "/admin/users", {"username": name, "password": "Correct-horse-9-battery",
                                      "role": "viewer"}, csrf_page="/admin/users")
    assert r.status_code == 422, r.text[:300]
    with db.session() as s:
        assert s.scalar(select(UserRow.id).where(UserRow.username == name)) is None


def test_distinct_user_names_in_any_script_are_still_welcome(env):
    _, _, db, _ = env
    with db.session() as s:
        for name in ("王伟", "wang.fgw", "li_czj2"):
            users.add_user(s, name, "Correct-horse-9-battery", "viewer")
        with pytest.raises(ValidationError, match="looks like"):
            users.add_user(s, "WANG.FGW", "Correct-horse-9-battery", "viewer")


# -- where a form may go next --------------------------------------------------------------------

@pytest.mark.parametrize("go", ["/\\evil.example", "/\t/evil.example", "//evil.example",
                                "/\u200b/evil.example", "https://evil.example"])
def test_a_notification_goes_nowhere_off_site(go):
    from lantu.web.routes.auth import safe_next

    assert safe_next(go, "/notifications") == "/notifications"
    assert safe_next("/supervision/tasks/3?month=2026-11#r") == "/supervision/tasks/3?month=2026-11#r"



# -- control characters --------------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\ufffe"])
def test_a_control_character_is_refused_in_any_stored_text(env, char):
    """A task title with an ESC was stored, and every Word report of its plan was a 500 since
    (XML cannot carry it); the gate refused only NUL."""
    client, auth, _, _ = env
    # U+FFFE is named for what it is since probe15: a noncharacter
    assert ("noncharacter" if char == "\ufffe" else "control character") in (
        gate.text_problem(f"a{char}b") or "")
    r = client.post("/api/v1/tasks", headers=auth["admin"], json={**TASK, "title": f"甲{char}乙"})
    assert r.status_code == 422, r.text
    r = client.post("/api/v1/observations", headers=auth["analyst"],
                    json={**OBS, "period": "2014", "excerpt": f"a{char}b"})
    assert r.status_code == 422, r.text


def test_word_reports_carry_a_title_stored_before_the_rule(env):
    from lantu.store.models import PlanNodeRow

    client, _, db, _ = env
    with db.session() as s:  # as an older Lantu stored it (a Core update: no ORM check)
        node = s.scalar(select(PlanNodeRow).where(PlanNodeRow.plan_code == "taiyuan-2021-11")
                        .order_by(PlanNodeRow.position))
        s.execute(update(PlanNodeRow).where(PlanNodeRow.id == node.id)
                  .values(title=node.title + "\x1b\x0c"))
    login(client, "supervisor")
    for path in ("/reports/monitoring?region=140100&year=2024&format=docx",
                 "/reports/bulletin?month=2026-11&format=docx"):
        assert client.get(path).status_code == 200, path


def test_a_text_read_for_review_holds_no_control_character():
    from lantu.ingest.textio import Document

    doc = Document("第一页\x0c第二页\x1b完", None, "标题\x07", "x.txt")
    assert (doc.text, doc.title) == ("第一页\n第二页 完", "标题 ")


@pytest.mark.parametrize("base", ["1900", "1948"])
def test_a_targets_base_period_keeps_the_year_rule(env, tmp_path, base):
    """The target's own period kept to 1949–2100 (second round); its base period did not."""
    client, auth, db, _ = env
    before = _count(db, TargetRow)
    r = client.post("/api/v1/targets", headers=auth["analyst"], json={
        "region_code": "140100", "indicator": "gdp", "target_period": "2025", "kind": "level",
        "value": 9000, "unit": "亿元", "base_period": base, "base_value": 100,
        "source_url": "https://x.gov.cn/t"})
    assert r.status_code == 422, r.text
    f = _write(tmp_path, "t.csv", "region_code,indicator,target_period,kind,value,unit,"
                                  "base_period,base_value,source_url\n"
                                  f"140100,gdp,2025,level,9000,亿元,{base},100,https://x.gov.cn/t\n")
    with pytest.raises(services.ImportRefused) as info:
        services.import_file(db, f)
    assert "base_period" in str(info.value) and "1949–2100" in str(info.value)
    assert _count(db, TargetRow) == before
