"""The data commands, run as a user would (typer's runner, real SQLite file)."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest
from typer.testing import CliRunner

from lantu.cli import app

runner = CliRunner()


@pytest.fixture
def dburl(default_db_template, tmp_path):
    """A copy of the default (what ``lantu init --demo`` makes; that command itself is run by
    :func:`test_init_show_and_export`)."""
    shutil.copyfile(default_db_template, tmp_path / "cli.db")
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_init_show_and_export(tmp_path):
    dburl = f"sqlite:///{tmp_path / 'cli.db'}"
    res = runner.invoke(app, ["init", "--demo", "--db", dburl])
    assert res.exit_code == 0, res.output
    assert "Database ready at" in res.output
    res = runner.invoke(app, ["show", "plan", "--db", dburl])
    assert res.exit_code == 0 and "持续优化产业结构" in res.output
    res = runner.invoke(app, ["show", "coverage", "--db", dburl])
    assert "140100" in res.output and "2022" in res.output
    res = runner.invoke(app, ["export", "plan", "--format", "json", "--db", dburl])
    tree = json.loads(res.stdout)
    assert [g["code"] for g in tree][:2] == ["P0", "T1"]
    assert all({"code", "title", "children"} <= set(g) for g in tree)
    assert tree[1]["children"] and {"code", "title", "children"} <= set(tree[1]["children"][0])
    out = tmp_path / "obs.xlsx"
    res = runner.invoke(app, ["export", "observations", "--format", "xlsx", "--out", str(out), "--db", dburl])
    assert res.exit_code == 0
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    assert header == ["region_code", "period", "indicator", "value", "unit", "flags", "source_url",
                      "excerpt", "source_quality", "source_published"]
    assert ws.max_row >= 136


def test_export_csv_imports_back_unchanged(dburl, tmp_path):
    res = runner.invoke(app, ["export", "observations", "--db", dburl])
    path = tmp_path / "all.csv"
    path.write_text(res.stdout, encoding="utf-8")
    res = runner.invoke(app, ["import", str(path), "--db", dburl])
    assert res.exit_code == 0, res.output
    assert "0 new, 0 revised" in res.output


def test_refused_import_exits_nonzero_with_report(dburl, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("region_code,period,indicator,value\n140100,2022,gdp,五千\n", encoding="utf-8")
    res = runner.invoke(app, ["import", str(bad), "--db", dburl])
    assert res.exit_code == 1
    assert "row 2" in res.output and "'value'" in res.output and "not a number" in res.output


def test_dry_run_lists_changes(dburl, tmp_path):
    f = tmp_path / "new.csv"
    f.write_text("region_code,period,indicator,value,unit\n140100,2024,gdp,5418.31,亿元\n", encoding="utf-8")
    res = runner.invoke(app, ["import", str(f), "--dry-run", "--db", dburl])
    assert res.exit_code == 0 and "Dry run" in res.output
    res2 = runner.invoke(app, ["export", "observations", "--db", dburl])
    assert "140100,2024,gdp,5418.31" not in res2.stdout


def test_import_of_a_workbook_with_two_data_sheets_asks_which(dburl, tmp_path):
    wb = openpyxl.Workbook()
    for i, title in enumerate(["2023", "2024"]):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        ws.append(["region_code", "period", "indicator", "value", "unit"])
        ws.append(["140100", int(title), "retail_sales", 2000 + i, "亿元"])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    res = runner.invoke(app, ["import", str(path), "--db", dburl])
    assert res.exit_code == 2  # the file as given cannot be used without --sheet (probe16: was 1)
    assert "2 sheets with data ['2023', '2024']" in res.output and "--sheet" in res.output
    res = runner.invoke(app, ["import", str(path), "--sheet", "2024", "--db", dburl])
    assert res.exit_code == 0 and "1 new" in res.output


def test_a_file_with_thousands_of_problems_prints_a_bounded_report(dburl, tmp_path):
    bad = tmp_path / "many.csv"
    bad.write_text("region_code,period,indicator,value\n"
                   + "".join(f"140{1 + i // 500}00,{1949 + i % 500 // 12}-{i % 12 + 1:02d},gdp,"
                           f"x{i}\n" for i in range(1000)),
                   encoding="utf-8")
    res = runner.invoke(app, ["import", str(bad), "--db", dburl])
    assert res.exit_code == 1 and "1000 problems" in res.output
    assert res.output.count("not a number") == 200 and "… and 800 more problems" in res.output


def test_plan_parse_then_load_round_trip(dburl, tmp_path, shared_dir):
    seed = shared_dir / "seed" / "taiyuan-blueprint-2021-11.txt"
    out = tmp_path / "plan.yaml"
    res = runner.invoke(app, ["plan", "parse", str(seed), "--format", "yaml", "--out", str(out)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["plan", "load", str(out), "--db", dburl])
    assert res.exit_code == 0, res.output
    import yaml

    from lantu.store import open_database, repo

    code = yaml.safe_load(out.read_text(encoding="utf-8"))["code"]
    db = open_database(dburl)
    with db.session() as s:
        plan = repo.load_plan(s, code)
    assert plan is not None and "持续优化产业结构" in [n.title for _, n in plan.walk()]
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: x\ntitle: y\nchildren:\n  - code: T1\n    title: t\n    lead: 不存在的局\n",
                   encoding="utf-8")
    res = runner.invoke(app, ["plan", "load", str(bad), "--db", dburl])
    assert res.exit_code == 1 and "unknown department" in res.output


def test_import_of_several_files_reports_each_and_stops_at_the_refused_one(dburl, tmp_path):
    head = "region_code,period,indicator,value,unit\n"
    a, bad, c = (tmp_path / n for n in ("a.csv", "b.csv", "c.csv"))
    a.write_text(head + "140100,1950,gdp,1.5,亿元\n", encoding="utf-8")
    bad.write_text(head + "140100,1951,gdp,五千,亿元\n", encoding="utf-8")
    c.write_text(head + "140100,1952,gdp,2.5,亿元\n140100,1953,gdp,3.5,亿元\n", encoding="utf-8")
    res = runner.invoke(app, ["import", str(a), str(bad), str(c), "--db", dburl])
    assert res.exit_code == 1
    out = " ".join(res.output.split())
    assert "Imported" in out and "observations 1 new" in out and "row 2" in out
    assert "Not imported (the import stopped at the refused file):" in out and "c.csv" in out
    res = runner.invoke(app, ["import", str(a), str(c), "--db", dburl])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "observations 0 new, 0 revised, 1 unchanged" in out and "observations 2 new" in out
    res = runner.invoke(app, ["import", str(a), str(c), "--sheet", "x", "--db", dburl])
    assert res.exit_code == 2 and "one file" in res.output
