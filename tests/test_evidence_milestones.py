"""Milestones: import of the M.csv of ``lantu extract --milestones``, the query the verdict uses,
the export (CSV/JSON) importing back unchanged; bad rows refused with row and column."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lantu import services
from lantu.cli import app
from lantu.domain import MilestoneFact, ValidationError
from lantu.ingest.tables import ImportRefused
from lantu.store.evidence import milestones_for

M_CSV = """region_code,year,kind,text,excerpt,start,end,nodes
140100,2019,designation,入选首批国家物流枢纽建设名单,太原入选首批国家物流枢纽建设名单，物流业加快发展,120,142,P0.1
140100,2022,designation,入选国家综合货运枢纽补链强链支持城市,成功入选国家综合货运枢纽补链强链支持城市,300,330,P0.1;T1.2
140100,2023,completion,太忻一体化经济区产业园挂牌,太忻一体化经济区产业园挂牌运营,500,515,P0.5
140700,2023,event,举办晋商大会,成功举办晋商大会,10,18,
"""


@pytest.fixture
def ref_db(db):
    services.init_reference(db)
    return db


def test_import_query_and_export_round_trip(ref_db, tmp_path):
    f = tmp_path / "M.csv"
    f.write_text(M_CSV, encoding="utf-8")
    res = services.import_file(ref_db, f, archive="政府工作报告-地级市/山西省/太原市/2023.md")
    assert res.layout == "milestones" and len(res.milestones.inserted) == 4
    again = services.import_file(ref_db, f, archive="政府工作报告-地级市/山西省/太原市/2023.md")
    assert not again.milestones.changed and again.milestones.unchanged == 4
    with ref_db.session() as s:
        hub = milestones_for(s, "140100", node_codes=["P0.1"])
        goal = milestones_for(s, "140100", node_codes=["P0"])  # P0 takes P0.1 and P0.5
        early = milestones_for(s, "140100", until_year=2022)
        exact = milestones_for(s, "140100", node_codes=["P0"], include_children=False)
        everyone = milestones_for(s)
    assert [(m["year"], m["kind"]) for m in hub] == [(2019, "designation"), (2022, "designation")]
    assert hub[1]["nodes"] == ["P0.1", "T1.2"] and hub[0]["excerpt"].startswith("太原入选")
    assert hub[0]["archive"].endswith("太原市/2023.md") and hub[0]["source_url"] == ""
    assert not hub[0]["reviewed"] and hub[0]["source_quality"] == "official_report"
    assert [m["year"] for m in goal] == [2019, 2022, 2023]
    assert [m["year"] for m in early] == [2019, 2022] and exact == []
    assert len(everyone) == 4
    # a person reviews the file: the same rows become reviewed, nothing else changes
    rev = services.import_file(ref_db, f, archive="x", reviewed=True)
    assert len(rev.milestones.revised) == 4
    with ref_db.session() as s:
        assert all(m["reviewed"] and m["archive"] == "x" for m in milestones_for(s))


def test_cli_export_csv_and_json(ref_db, tmp_path):
    f = tmp_path / "M.csv"
    f.write_text(M_CSV, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["import", str(f), "--source-url", "http://www.taiyuan.gov.cn/r",
                              "--db", ref_db.url])
    assert res.exit_code == 0, res.output
    assert "4 new" in res.output
    out = tmp_path / "m.csv"
    res = runner.invoke(app, ["export", "milestones", "-f", "csv", "-o", str(out), "--db", ref_db.url])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith(
        "region_code,year,kind,text,source_url,archive,excerpt,nodes")
    assert "P0.1;T1.2" in text
    back = services.import_file(ref_db, out)  # the export imports back unchanged
    assert back.milestones.unchanged == 4 and not back.milestones.changed
    res = runner.invoke(app, ["export", "milestones", "-f", "json", "--db", ref_db.url])
    rows = json.loads(res.stdout)
    assert {r["year"] for r in rows} == {2019, 2022, 2023}
    assert rows[0]["source_url"] == "http://www.taiyuan.gov.cn/r"


def test_bad_milestone_rows_are_refused(ref_db, tmp_path):
    f = tmp_path / "M.csv"
    f.write_text("region_code,year,kind,text,excerpt,start,end,nodes\n"
                 "140100,20x9,designation,入选,,,,\n"
                 "999999,2019,designation,入选,,,,\n"
                 "140100,2019,plan,加快建设,,,,\n"
                 "140100,2019,designation,入选,,,,\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as exc:
        services.import_file(ref_db, f, archive="a.md")
    where = {(p.row, p.column) for p in exc.value.problems}
    assert {(2, "year"), (3, "region_code"), (4, "kind")} <= where
    g = tmp_path / "nosource.csv"
    g.write_text("region_code,year,kind,text\n140100,2019,designation,入选\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="no source"):
        services.import_file(ref_db, g)
    with ref_db.session() as s:
        assert milestones_for(s) == []


def test_milestone_fact_rules():
    m = MilestoneFact("140100", 2019, "designation", "  入选  首批 ", nodes="P0.1, T1;P0.1")
    assert m.text == "入选 首批" and m.nodes == ("P0.1", "T1")
    assert MilestoneFact("140100", 2019, "first", "x", archive="a.md").citation == \
        "archived copy of the official report: a.md"
    with pytest.raises(ValidationError, match="end 1 is before start 5"):
        MilestoneFact("140100", 2019, "event", "x", start=5, end=1)
