"""Targets carry the review marker ``machine_read``, the one concept observations (their flag) and
milestones (``reviewed`` false) already had: the rule of what counts (lantu.domain.review) on
small exact cases; the column and migration 0009 on SQLite and PostgreSQL; set by ``lantu import``,
the read-back review sheet, the web text review, the API and the default's build; exported; shown
with the observations' badge; and a goal judged only on machine-read targets says so."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from alembic.command import downgrade, upgrade
from sqlalchemy import inspect, select, text
from typer.testing import CliRunner

from lantu import services
from lantu.cli import app
from lantu.domain import Target, ValidationError
from lantu.domain.review import counting, is_machine_read, parse_machine_read
from lantu.evaluation import evaluate
from lantu.ingest.tables import ImportRefused, RawTable
from lantu.store import open_database, repo
from lantu.store.db import _alembic_config
from lantu.store.models import TargetRow
from webutil import login

runner = CliRunner()
HEADER = ("region_code,indicator,target_period,kind,value,qualifier,unit,source_url,excerpt,"
          "machine_read\n")
SHANXI = "140000"
TAIYUAN = "140100"


# -- the rule ------------------------------------------------------------------------------------

def test_is_machine_read_reads_each_kind_of_fact():
    assert is_machine_read({"flags": "preliminary;machine_read"})  # an observation
    assert not is_machine_read({"flags": "preliminary"})
    assert is_machine_read({"reviewed": False}) and not is_machine_read({"reviewed": True})
    assert is_machine_read(Target("140100", "gdp_growth", "2023", "annual_growth", 6.5,
                                  machine_read=True))
    assert not is_machine_read(Target("140100", "gdp_growth", "2023", "annual_growth", 6.5))
    assert not is_machine_read({})  # nothing said: a person's


@pytest.mark.parametrize("items, counted, aside, only", [
    ([("a", True), ("a", False)], ["a-False"], ["a-True"], False),   # reviewed wins its group
    ([("a", True), ("b", False)], ["a-True", "b-False"], [], False),  # other group: both count
    ([("a", True), ("a", True)], ["a-True", "a-True"], [], True),     # none reviewed: provisional
    ([("a", False)], ["a-False"], [], False),
    ([], [], [], False),
])
def test_counting_sets_aside_machine_read_beside_reviewed(items, counted, aside, only):
    facts = [{"key": k, "machine_read": m} for k, m in items]
    res = counting(facts, key=lambda f: f["key"])
    name = [f"{f['key']}-{f['machine_read']}" for f in res.counted]
    assert name == counted
    assert [f"{f['key']}-{f['machine_read']}" for f in res.set_aside] == aside
    assert res.machine_read_only is only
    assert res.machine_read + res.reviewed == len(res.counted)


def test_marker_cells_and_values_are_checked():
    assert [parse_machine_read(v) for v in ("true", "是", "0", "否", "", None)] == \
        [True, True, False, False, None, None]
    with pytest.raises(ValueError, match="machine_read must be true or false"):
        parse_machine_read("maybe")
    with pytest.raises(ValidationError) as exc:
        Target("140100", "gdp_growth", "2023", "annual_growth", 6.5, machine_read="yes")
    assert exc.value.field == "machine_read"


# -- migration 0009 --------------------------------------------------------------------------------

def test_migration_0009_up_down_up_reads_the_old_note_once(db_url):
    database = open_database(db_url)
    try:
        assert "machine_read" in {c["name"] for c in inspect(database.engine).get_columns("target")}
        cfg = _alembic_config(database.url)
        with database.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            downgrade(cfg, "0008_cycle")
        assert "machine_read" not in {c["name"] for c in
                                      inspect(database.engine).get_columns("target")}
        # a database of before: the build said it only in words
        with database.engine.begin() as conn:
            conn.execute(text("INSERT INTO region (code, name_zh, name_en, level) "
                              "VALUES ('140100', '太原市', 'Taiyuan', 'city')"))
            conn.execute(text("INSERT INTO indicator (code, name_zh, name_en, unit, direction, "
                              "note, flow) VALUES ('gdp_growth', '地区生产总值增速', 'GDP growth', "
                              "'%', 1, '', false)"))
            for i, note in enumerate(("machine-read by lantu extract, not reviewed by a person; "
                                      "archived copy", "hand-gathered from the 2023 report")):
                conn.execute(text(
                    "INSERT INTO target (id, region_code, indicator_code, plan, target_period, "
                    "kind, value, binding, unit, source_url, source_file, excerpt, note, "
                    "source_quality, source_published, created_at) VALUES (:id, '140100', "
                    "'gdp_growth', '', '2023', 'annual_growth', 6.5, false, '%', '', '', '', "
                    ":note, 'none', '', CURRENT_TIMESTAMP)"), {"id": i + 1, "note": note})
        with database.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            upgrade(cfg, "head")
        assert database.is_up_to_date()
        with database.session() as s:
            got = {r.id: r.machine_read for r in s.scalars(select(TargetRow))}
        assert got == {1: True, 2: False}
    finally:
        database.dispose()


# -- lantu import, lantu export ------------------------------------------------------------------

def _targets_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """rows: (value, qualifier, machine_read cell) of Taiyuan's 2023 GDP growth targets."""
    body = "".join(f"140100,gdp_growth,2023,annual_growth,{v},{q},%,https://example.gov.cn/r,"
                   f"增长{v}%{q},{m}\n" for v, q, m in rows)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _stored(database) -> dict[tuple[float, str], bool]:
    with database.session() as s:
        return {(t.value, t.qualifier or ""): t.machine_read for t in repo.targets(s)}


def test_import_column_sets_the_marker_and_a_review_upgrades_it(db_url, tmp_path):
    database = open_database(db_url)
    try:
        services.init_reference(database)
        f = _targets_csv(tmp_path / "t.csv", [("6.5", "左右", "true"), ("7", "力争", "")])
        res = services.import_file(database, f)
        assert len(res.targets.inserted) == 2
        assert _stored(database) == {(6.5, "左右"): True, (7.0, "力争"): False}
        # a person went through it: the same target, said reviewed, is marked reviewed
        f2 = _targets_csv(tmp_path / "t2.csv", [("6.5", "左右", "否")])
        res = services.import_file(database, f2)
        assert len(res.targets.revised) == 1 and not res.targets.inserted
        assert _stored(database)[(6.5, "左右")] is False
        # a machine-read copy never sets a reviewed one back
        res = services.import_file(database, f)
        assert res.targets.unchanged == 2 and not res.targets.revised
        assert _stored(database)[(6.5, "左右")] is False
        bad = _targets_csv(tmp_path / "bad.csv", [("6", "", "maybe")])
        with pytest.raises(ImportRefused) as exc:
            services.import_file(database, bad)
        p = exc.value.problems[0]
        assert (p.row, p.column) == (2, "machine_read") and "true or false" in p.reason
    finally:
        database.dispose()


def test_export_carries_the_marker_and_imports_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    database = open_database(url)
    services.init_reference(database)
    services.import_file(database, _targets_csv(tmp_path / "t.csv",
                                                [("6.5", "左右", "true"), ("7", "力争", "false")]))
    database.dispose()
    out = tmp_path / "targets.csv"
    res = runner.invoke(app, ["export", "targets", "--out", str(out), "--db", url])
    assert res.exit_code == 0, res.output
    with open(out, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["value"], r["machine_read"]) for r in rows} == {("6.5", "True"), ("7.0", "False")}
    other = open_database(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        services.init_reference(other)
        services.import_file(other, out)
        assert _stored(other) == {(6.5, "左右"): True, (7.0, "力争"): False}
    finally:
        other.dispose()


# -- the review sheet of lantu extract, the web text review ----------------------------------------

REPORT = ("---\nsource: https://www.example.gov.cn/zfgzbg/2023.html\ntitle: 政府工作报告\n---\n"
          "二、2023年工作安排\n今年主要预期目标是：地区生产总值增长6.5%左右，城镇新增就业8万人。\n")


def test_review_sheet_read_back_gives_reviewed_targets(tmp_path):
    from openpyxl import load_workbook

    report = tmp_path / "r.md"
    report.write_text(REPORT, encoding="utf-8")
    review = tmp_path / "review.xlsx"
    res = runner.invoke(app, ["extract", str(report), "--region", "140100", "--year", "2023",
                              "--review", str(review)])
    assert res.exit_code == 0, res.output
    # every row is written machine-read; the person clears the cell of each row they checked
    # and leaves one as written (not checked yet)
    wb = load_workbook(review)
    ws = wb["extracted"]
    header = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2))
    assert {r[header.index("machine_read")].value for r in rows} == {"true"}
    for r in rows:
        if r[header.index("indicator")].value != "new_urban_jobs":
            r[header.index("machine_read")].value = None
    wb.save(review)
    url = f"sqlite:///{tmp_path / 'r.db'}"
    database = open_database(url)
    services.init_reference(database)
    database.dispose()
    res = runner.invoke(app, ["import", str(review), "--sheet", "extracted", "--db", url])
    assert res.exit_code == 0, res.output
    database = open_database(url)
    try:
        with database.session() as s:
            got = {t.indicator_code: t.machine_read for t in repo.targets(s)}
        assert got == {"gdp_growth": False, "new_urban_jobs": True}
    finally:
        database.dispose()


def test_web_text_review_imports_targets_and_figures_as_reviewed(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        services.init_reference(database)
        header = ["region_code", "period", "indicator", "kind", "value", "value_high",
                  "qualifier", "unit", "excerpt", "flags", "source_url", "source_quality"]
        src = "https://www.example.gov.cn/zfgzbg/2023.html"
        rows = [(2, ["140100", "2023", "gdp_growth", "target", "6.5", "", "左右", "%",
                     "增长6.5%左右", "machine_read", src, "official_report"]),
                (3, ["140100", "2022", "gdp_growth", "observed", "3.3", "", "", "%",
                     "增长3.3%", "preliminary;machine_read", src, "official_report"])]
        services.import_reviewed(database, RawTable("review", header, rows, "review", "x"),
                                 actor="analyst")
        with database.session() as s:
            assert [t.machine_read for t in repo.targets(s)] == [False]
            assert "machine_read" not in repo.observations_frame(s)["flags"].iloc[0]
    finally:
        database.dispose()


# -- the default, the verdict, the API and the web ------------------------------------------------

def test_the_default_build_records_which_targets_no_one_reviewed(default_db_module):
    from lantu import defaults

    with open(defaults.DATA / "extracted" / "targets.csv", encoding="utf-8") as fh:
        extracted = list(csv.DictReader(fh))
    assert extracted and {r["machine_read"] for r in extracted} == {"true"}
    with default_db_module.session() as s:
        rows = list(s.scalars(select(TargetRow)))
    machine = [r for r in rows if r.machine_read]
    assert machine and len(machine) < len(rows)  # the curated raw targets were read by a person
    assert all(r.import_batch_id is not None for r in rows)
    # nothing reads the note, but on the default the words and the marker agree
    assert all(r.note.startswith("machine-read") == r.machine_read for r in rows)


def test_a_reviewed_target_file_of_the_build_replaces_the_machine_read_copy(tmp_path,
                                                                           monkeypatch):
    import shutil

    from lantu import defaults

    data = tmp_path / "data"
    shutil.copytree(defaults.DATA, data)
    with open(data / "extracted" / "targets.csv", encoding="utf-8") as fh:
        first = next(r for r in csv.DictReader(fh) if r["region_code"] == SHANXI)
    cols = [c for c in first if c != "machine_read"]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerow({**first, "note": "reviewed: read from the text by a person"})
    (data / "reviewed" / "targets.csv").write_text(buf.getvalue(), encoding="utf-8")
    monkeypatch.setattr(defaults, "DATA", data)
    database = open_database(f"sqlite:///{tmp_path / 'd.db'}")
    try:
        services.init_default(database)
        with database.session() as s:
            same = [r for r in s.scalars(select(TargetRow).where(
                TargetRow.region_code == SHANXI, TargetRow.indicator_code == first["indicator"],
                TargetRow.target_period == first["target_period"]))
                if (r.source_url or r.source_file) == (first["source_url"] or first["source_file"])]
        assert [r.machine_read for r in same] == [False]  # loaded once, reviewed
    finally:
        database.dispose()


_ONLY_ZH = "仅依据机器识读、未经人工审核的目标，待审核"
_ONLY_EN = "Judged only against machine-read targets no person has reviewed yet"


def _targets_of(node):
    return [t for iv in node.indicators for t in ([iv.target] if iv.target else []) + iv.others
            if not t.stretch]


def test_a_goal_judged_only_on_machine_read_targets_says_so(default_db):
    with default_db.session() as s:
        v = evaluate(s, region=TAIYUAN, year=2022)
    only = [n for n in v.nodes if n.status != "qualitative" and n.indicators
            and len(n.counted) == len(_targets_of(n)) and _targets_of(n)
            and all(t.machine_read for t in _targets_of(n))]
    # a plan judges only its own region (plan_for): Taiyuan's 2022 afforestation goal rests on
    # the target read from its work report
    assert only, "Taiyuan's 2022 goals include one resting on machine-read targets"
    node = only[0]
    assert _ONLY_ZH in node.reason_zh and _ONLY_EN in node.reason_en
    assert all(t["machine_read"] for i in v.to_json()["nodes"] if i["code"] == node.code
               for iv in i["indicators"] for t in [iv["target"]] if t)
    before = node.status
    # a person confirms each of them: the same judgement, no longer provisional
    with default_db.session() as s:
        rows = [r for r in repo.targets(s, regions=[TAIYUAN]) if r.machine_read]
        mine = {(t.year, t.kind, t.value) for t in _targets_of(node)}
        ind = {iv.indicator for iv in node.indicators}
        repo.apply_targets(s, [replace(r, machine_read=False) for r in rows
                               if r.indicator_code in ind
                               and (r.target_period.year, r.kind, r.value) in mine])
    with default_db.session() as s:
        after = evaluate(s, region=TAIYUAN, year=2022).node(node.code)
    assert after.status == before
    assert "机器识读" not in after.reason_zh and "machine-read" not in after.reason_en


def test_a_reviewed_target_sets_aside_the_machine_read_one_of_its_year(default_db):
    with default_db.session() as s:
        v = evaluate(s, region=TAIYUAN, year=2023)
        iv = next(iv for n in v.nodes for iv in n.indicators
                  if iv.target and iv.target.machine_read and iv.target.horizon == "yearly"
                  and not iv.target.stretch)
        t = iv.target
        repo.apply_targets(s, [Target(TAIYUAN, iv.indicator, str(t.year), t.kind, t.value + 1,
                                      qualifier=t.qualifier, unit=iv.unit,
                                      plan="reviewed by a person",
                                      source=repo.targets(s, regions=[TAIYUAN])[0].source)])
    with default_db.session() as s:
        after = next(i for n in evaluate(s, region=TAIYUAN, year=2023).nodes
                     for i in n.indicators if i.indicator == iv.indicator)
    shown = [x for x in [after.target, *after.others] if x and x.year == t.year
             and x.kind == t.kind and not x.stretch]
    assert [(x.value, x.machine_read) for x in shown] == [(t.value + 1, False)]


def test_api_lists_and_writes_the_marker(web_db, client):
    from lantu.store import users

    with web_db.session() as s:
        tokens = {n: users.create_api_token(s, n, "test") for n in ("analyst", "viewer")}

    def call(method, path, who="analyst", **kw):
        client.cookies.clear()
        return client.request(method, path, headers={"Authorization": f"Bearer {tokens[who]}"},
                              **kw)

    listed = call("GET", "/api/v1/targets", params={"region": SHANXI, "limit": 500}).json()["data"]
    assert {t["machine_read"] for t in listed} == {True, False}  # read, and curated
    stored = next(t for t in listed if t["machine_read"])
    body = {"region_code": "140100", "indicator": "gdp_growth", "target_period": "2030",
            "kind": "annual_growth", "value": 5.0, "unit": "%",
            "source_url": "https://example.gov.cn/2030", "excerpt": "增长5%"}
    assert call("POST", "/api/v1/targets", "viewer", json=body).status_code == 403
    r = call("POST", "/api/v1/targets", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["action"] == "inserted" and r.json()["target"]["machine_read"] is False
    r = call("POST", "/api/v1/targets", json={**body, "value": 5.5, "machine_read": True})
    assert r.json()["target"]["machine_read"] is True
    # a person writes a stored machine-read target: it is now reviewed
    again = {k: stored[k] for k in ("region_code", "indicator", "target_period", "kind",
                                    "value", "value_high", "qualifier", "unit", "plan")}
    r = call("POST", "/api/v1/targets", json={**again, "source_url": "https://x.gov.cn/r"})
    assert r.json()["action"] == "reviewed", r.text
    assert r.json()["target"]["id"] == stored["id"]
    assert r.json()["target"]["machine_read"] is False
    assert call("POST", "/api/v1/targets", json={**body, "machine_read": "perhaps"}
                ).status_code == 422
    # the verdict is of the plan's region (plan_for): Shanxi's is refused
    assert call("GET", "/api/v1/evaluation", params={"region": SHANXI, "year": 2023}
                ).status_code == 422
    verdict = call("GET", "/api/v1/evaluation", params={"region": TAIYUAN, "year": 2023})
    targets = [iv["target"] for n in verdict.json()["nodes"] for iv in n["indicators"]
               if iv["target"]]
    assert targets and all(isinstance(t["machine_read"], bool) for t in targets)


def test_targets_page_shows_the_observations_badge(client):
    login(client, "admin")
    html = client.get("/targets", params={"region": SHANXI}).text
    assert 'class="flag flag-machine_read"' in html and "机读未审" in html
    en = client.get("/targets", params={"region": SHANXI, "lang": "en"}).text
    assert "machine-read" in en


def test_goal_page_badges_a_machine_read_target(client):
    login(client, "admin")
    with_badge = client.get("/plan/T4", params={"year": 2023}).text  # Taiyuan's old communities
    row = next(r for r in with_badge.split("<tr>") if "/indicators?indicator=old_communities" in r)
    assert 'class="flag flag-machine_read"' in row
    jobs = next(r for r in with_badge.split("<tr>") if "/indicators?indicator=new_urban_jobs" in r)
    assert "flag-machine_read" not in jobs  # a curated target, read by a person


def test_web_import_preview_counts_targets_a_person_marks_reviewed(client, web_db):
    from webutil import post

    with web_db.session() as s:
        t = next(t for t in repo.targets(s, regions=[SHANXI]) if t.machine_read)
    row = {"region_code": t.region_code, "indicator": t.indicator_code,
           "target_period": str(t.target_period), "kind": t.kind, "value": f"{t.value:g}",
           "value_high": "" if t.value_high is None else f"{t.value_high:g}",
           "qualifier": t.qualifier or "", "plan": t.plan, "unit": t.unit,
           "source_url": "https://www.shanxi.gov.cn/r", "machine_read": "false"}
    table = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
    login(client, "analyst")
    r = post(client, "/import", files={"file": ("t.csv", table.encode("utf-8"), "text/csv")},
             csrf_page="/import")
    assert r.status_code == 200, r.text
    assert "目标转为已审核" in r.text
    stat = r.text.split("目标转为已审核")[0].rsplit('<div class="num">', 1)[1]
    assert stat.startswith("1<")
    with web_db.session() as s:  # a preview writes nothing
        assert repo.find_target(s, t).machine_read


def test_one_import_stating_a_target_twice_keeps_the_reviewed_word(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        services.init_reference(database)
        f = _targets_csv(tmp_path / "t.csv", [("6.5", "左右", "true"), ("6.5", "左右", "false")])
        res = services.import_file(database, f)
        assert len(res.targets.inserted) == 1 and len(res.targets.revised) == 1
        assert _stored(database) == {(6.5, "左右"): False}
    finally:
        database.dispose()
