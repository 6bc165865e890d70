"""One review interface for every table ``lantu import`` reads (:func:`lantu.domain.review.
row_machine_read`): figures, targets and milestones say ``machine_read`` in the same column, in
every layout (long, wide by indicator, wide by year, milestones); milestone tables keep their
older ``reviewed`` column, and a row whose two cells contradict each other is refused; the flags
``--reviewed`` / ``--machine-read`` say it for every row of any kind of table. On SQLite and
PostgreSQL (``db_url``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from lantu.cli import app
from lantu.domain.review import ReviewCellError, is_machine_read, row_machine_read

runner = CliRunner()
SOURCE = "https://www.taiyuan.gov.cn/report.html"
MILESTONE_HEAD = "region_code,year,kind,text,excerpt,source_url"


def _init(url: str) -> str:
    res = runner.invoke(app, ["init", "--db", url])
    assert res.exit_code == 0, res.output
    return url


def _import(url: str, *args: Path | str, ok: bool = True) -> str:
    res = runner.invoke(app, ["import", *map(str, args), "--db", url])
    assert (res.exit_code == 0) is ok, res.output
    return res.output


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _figures(url: str) -> dict[tuple[str, str, str], bool]:
    """(region, period, indicator) → machine-read, of every stored figure."""
    from lantu.store import Database, repo

    db = Database(url)
    try:
        with db.session() as s:
            rows = repo.observations_frame(s).to_dict("records")
    finally:
        db.dispose()
    return {(r["region_code"], str(r["period"]), r["indicator"]): is_machine_read(r)
            for r in rows}


def _targets(url: str) -> dict[str, bool]:
    from lantu.store import Database, repo

    db = Database(url)
    try:
        with db.session() as s:
            return {f"{t.indicator_code} {t.target_period}": t.machine_read
                    for t in repo.targets(s)}
    finally:
        db.dispose()


def _milestones(url: str) -> dict[str, bool]:
    """text → reviewed, of every stored milestone."""
    from lantu.store import Database, evidence

    db = Database(url)
    try:
        with db.session() as s:
            return {m["text"]: bool(m["reviewed"]) for m in evidence.milestones_for(s)}
    finally:
        db.dispose()


def _milestone_rows(*rows: str) -> str:
    return "\n".join(rows) + "\n"


# -- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("cells", "flags", "expected"), [
    ({"machine_read": "true"}, "", True), ({"machine_read": "否"}, "", False),
    ({"reviewed": "yes"}, "", False), ({"reviewed": "false"}, "", True),
    ({"reviewed": "reviewed"}, "", False), ({"machine_read": "reviewed"}, "", False),
    ({"machine_read": "1", "reviewed": "0"}, "", True),  # both, agreeing
    ({"machine_read": "", "reviewed": ""}, "", None), ({}, "", None),
    ({}, "preliminary;machine_read", True), ({"machine_read": "false"}, "machine_read", False),
])
def test_row_machine_read_reads_either_column_the_column_over_the_flag(cells, flags, expected):
    assert row_machine_read(cells, flags=flags) is expected


@pytest.mark.parametrize(("cells", "column"), [
    ({"machine_read": "true", "reviewed": "true"}, "machine_read"),
    ({"machine_read": "no", "reviewed": "否"}, "machine_read"),
    ({"machine_read": "maybe"}, "machine_read"), ({"reviewed": "checked"}, "reviewed"),
])
def test_row_machine_read_refuses_a_contradiction_or_a_word_it_cannot_read(cells, column):
    with pytest.raises(ReviewCellError) as exc:
        row_machine_read(cells)
    assert exc.value.column == column


# -- milestones: the machine_read column, the older reviewed column --------------------------


def test_milestone_table_reads_machine_read_as_figures_do(db_url, tmp_path):
    url = _init(db_url)
    path = _write(tmp_path, "m.csv", _milestone_rows(
        MILESTONE_HEAD + ",machine_read",
        f"140100,2023,designation,入选国家物流枢纽甲,入选甲,{SOURCE},false",
        f"140100,2023,designation,入选国家物流枢纽乙,入选乙,{SOURCE},true",
        f"140100,2023,designation,入选国家物流枢纽丙,入选丙,{SOURCE},否",
        f"140100,2023,designation,入选国家物流枢纽丁,入选丁,{SOURCE},"))
    _import(url, path)
    assert _milestones(url) == {"入选国家物流枢纽甲": True, "入选国家物流枢纽乙": False,
                                "入选国家物流枢纽丙": True,
                                "入选国家物流枢纽丁": False}  # not said: machine-read, as before


def test_milestone_table_with_the_chinese_column_name(db_url, tmp_path):
    url = _init(db_url)
    path = _write(tmp_path, "m.csv", _milestone_rows(
        MILESTONE_HEAD + ",机读未审",
        f"140100,2023,designation,入选国家物流枢纽甲,入选甲,{SOURCE},否"))
    _import(url, path)
    assert _milestones(url) == {"入选国家物流枢纽甲": True}


def test_milestone_table_with_both_columns_contradicting_is_refused(db_url, tmp_path):
    url = _init(db_url)
    path = _write(tmp_path, "both.csv", _milestone_rows(
        MILESTONE_HEAD + ",reviewed,machine_read",
        f"140100,2023,designation,入选国家物流枢纽甲,入选甲,{SOURCE},true,false",
        f"140100,2023,designation,入选国家物流枢纽乙,入选乙,{SOURCE},true,true"))
    out = _import(url, path, ok=False)
    flat = " ".join(out.split())
    assert "both.csv" in flat and "row 3" in flat and "machine_read" in flat, out
    assert "row 2" not in flat, out  # the agreeing row is fine
    assert _milestones(url) == {}  # nothing half-written


def test_milestone_table_keeps_its_reviewed_column(db_url, tmp_path):
    url = _init(db_url)
    path = _write(tmp_path, "m.csv", _milestone_rows(
        MILESTONE_HEAD + ",reviewed",
        f"140100,2023,designation,入选国家物流枢纽甲,入选甲,{SOURCE},true",
        f"140100,2023,designation,入选国家物流枢纽乙,入选乙,{SOURCE},"))
    _import(url, path)
    assert _milestones(url) == {"入选国家物流枢纽甲": True, "入选国家物流枢纽乙": False}


# -- wide layouts read machine_read per row -------------------------------------------------


def test_wide_by_indicator_reads_machine_read_for_every_value_of_a_row(db_url, tmp_path):
    url = _init(db_url)
    path = _write(tmp_path, "wide.csv", "\n".join([
        "地区,年份,地区生产总值(亿元),年末常住人口(万人),machine_read",
        "太原市,2021,5121.61,539.1,true",
        "太原市,2022,5571.17,543.5,false",
        "太原市,2023,5573.7,545.4,", ""]))
    assert "wide-indicators" in _import(url, path)
    assert _figures(url) == {
        ("140100", "2021", "gdp"): True, ("140100", "2021", "population"): True,
        ("140100", "2022", "gdp"): False, ("140100", "2022", "population"): False,
        ("140100", "2023", "gdp"): False, ("140100", "2023", "population"): False}


def test_wide_by_year_reads_machine_read_for_every_value_of_a_row(db_url, tmp_path):
    url = _init(db_url)
    path = _write(tmp_path, "years.csv", "\n".join([
        "地区,指标,2021,2022,机读未审,flags",
        "太原市,地区生产总值,5121.61,5571.17,是,",
        "太原市,年末常住人口,539.1,543.5,否,machine_read",  # the column decides over the flag
        ""]))
    assert "wide-years" in _import(url, path)
    assert _figures(url) == {
        ("140100", "2021", "gdp"): True, ("140100", "2022", "gdp"): True,
        ("140100", "2021", "population"): False, ("140100", "2022", "population"): False}


def test_wide_table_with_an_unreadable_machine_read_cell_is_refused(db_url, tmp_path):
    url = _init(db_url)
    path = _write(tmp_path, "wide.csv", "\n".join([
        "地区,年份,地区生产总值,machine_read", "太原市,2021,5121.61,perhaps", ""]))
    out = " ".join(_import(url, path, ok=False).split())
    assert "wide.csv" in out and "row 2" in out and "machine_read" in out, out
    assert _figures(url) == {}


# -- one pair of flags for every kind of table -----------------------------------------------


def test_reviewed_and_machine_read_flags_apply_to_figures_targets_and_milestones(db_url,
                                                                                 tmp_path):
    url = _init(db_url)
    plain = _write(tmp_path, "plain.csv", "\n".join([  # the column-wise (plain) reader
        "region_code,period,indicator,value,flags",
        "140100,2021,gdp,5121.61,machine_read", "140100,2022,gdp,5571.17,", ""]))
    long = _write(tmp_path, "long.csv", "\n".join([  # the row reader (a machine_read column)
        "region_code,period,indicator,value,machine_read",
        "140100,2021,population,539.1,true", "140100,2022,population,543.5,false", ""]))
    targets = _write(tmp_path, "targets.csv", "\n".join([
        "region_code,indicator,target_period,kind,value,source_url,machine_read",
        f"140100,gdp,2025,level,7000,{SOURCE},true",
        f"140100,population,2025,level,560,{SOURCE},false", ""]))
    milestones = _write(tmp_path, "m.csv", _milestone_rows(
        MILESTONE_HEAD + ",machine_read",
        f"140100,2023,designation,入选国家物流枢纽甲,入选甲,{SOURCE},true",
        f"140100,2023,designation,入选国家物流枢纽乙,入选乙,{SOURCE},false"))
    for path in (plain, long, targets, milestones):
        _import(url, path, "--reviewed")
    assert set(_figures(url).values()) == {False}
    assert _targets(url) == {"gdp 2025": False, "population 2025": False}
    assert _milestones(url) == {"入选国家物流枢纽甲": True, "入选国家物流枢纽乙": True}

    other = _init(f"sqlite:///{tmp_path / 'other.db'}") if db_url.startswith("sqlite") \
        else db_url
    if other == db_url:  # PostgreSQL: one database a test; a stored reviewed fact stays so
        return
    _import(other, plain, long, targets, milestones, "--machine-read")
    assert set(_figures(other).values()) == {True} and len(_figures(other)) == 4
    assert _targets(other) == {"gdp 2025": True, "population 2025": True}
    assert _milestones(other) == {"入选国家物流枢纽甲": False, "入选国家物流枢纽乙": False}


def test_without_a_flag_each_row_says_for_itself(db_url, tmp_path):
    url = _init(db_url)
    long = _write(tmp_path, "long.csv", "\n".join([
        "region_code,period,indicator,value,machine_read",
        "140100,2021,population,539.1,true", "140100,2022,population,543.5,false", ""]))
    _import(url, long)
    assert _figures(url) == {("140100", "2021", "population"): True,
                             ("140100", "2022", "population"): False}
