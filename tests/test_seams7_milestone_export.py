"""Milestone tables write the one review column every table is read by (``machine_read``,
:func:`lantu.domain.review.row_machine_read`): ``lantu export milestones`` and the embedded
default's milestone CSVs. Export → import into another database gives the same milestones with
the same review state."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from lantu import defaults, services
from lantu.cli import app
from lantu.store import open_database
from lantu.store.evidence import milestones_for

# two reviewed, two machine-read: the round trip must keep each one's state
M_CSV = """region_code,year,kind,text,excerpt,start,end,nodes,machine_read
140100,2019,designation,入选首批国家物流枢纽建设名单,太原入选首批国家物流枢纽建设名单,120,142,P0.1,false
140100,2022,designation,入选国家综合货运枢纽补链强链支持城市,成功入选国家综合货运枢纽补链强链支持城市,300,330,P0.1;T1.2,true
140100,2023,completion,太忻一体化经济区产业园挂牌,太忻一体化经济区产业园挂牌运营,500,515,P0.5,false
140700,2023,event,举办晋商大会,成功举办晋商大会,,,,true
"""


def _facts(db) -> list[tuple]:
    """Everything a milestone is, without the database's id."""
    with db.session() as s:
        return sorted(
            (
                tuple(
                    (k, tuple(v) if isinstance(v, list) else v)
                    for k, v in sorted(m.items())
                    if k != "id"
                )
                for m in milestones_for(s)
            ),
            key=repr,
        )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_writes_machine_read_and_imports_back_the_same(db, tmp_path, fmt) -> None:
    services.init_reference(db)
    src = tmp_path / "M.csv"
    src.write_text(M_CSV, encoding="utf-8")
    services.import_file(db, src, source_url="https://www.taiyuan.gov.cn/r")
    with db.session() as s:
        state = {m["text"]: m["reviewed"] for m in milestones_for(s)}
    assert sorted(state.values()) == [False, False, True, True]

    out = tmp_path / f"m.{fmt}"
    res = CliRunner().invoke(
        app, ["export", "milestones", "-f", fmt, "-o", str(out), "--db", db.url]
    )
    assert res.exit_code == 0, res.output
    if fmt == "csv":
        with open(out, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert "machine_read" in rows[0] and "reviewed" not in rows[0]
        assert {r["text"]: r["machine_read"].lower() == "true" for r in rows} == {
            t: not reviewed for t, reviewed in state.items()
        }

    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        services.init_reference(other)
        res2 = services.import_file(other, out)
        assert res2.layout == "milestones" and len(res2.milestones.inserted) == 4
        assert _facts(other) == _facts(db)
        again = services.import_file(db, out)  # and into the same database: nothing changes
        assert again.milestones.unchanged == 4 and not again.milestones.changed
    finally:
        other.dispose()


def test_default_round_trip(default_db, tmp_path) -> None:
    """Every milestone of the embedded default, exported and imported into an empty database,
    comes back the same, reviewed where it was reviewed."""
    out = tmp_path / "m.csv"
    res = CliRunner().invoke(app, ["export", "milestones", "-o", str(out), "--db", default_db.url])
    assert res.exit_code == 0, res.output
    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        services.init_reference(other)
        services.import_file(other, out)
        mine, theirs = _facts(default_db), _facts(other)
        assert len(mine) > 1000 and theirs == mine
        assert {dict(m)["reviewed"] for m in theirs} == {True, False}
    finally:
        other.dispose()


@pytest.mark.parametrize("name", ["extracted/milestones.csv", "reviewed/milestones.csv"])
def test_default_milestone_csvs_write_machine_read(name) -> None:
    with open(defaults.DATA / name, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and "machine_read" in rows[0] and "reviewed" not in rows[0]
    expected = "true" if name.startswith("extracted") else "false"
    assert {r["machine_read"] for r in rows} == {expected}
