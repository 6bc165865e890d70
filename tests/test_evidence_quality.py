"""Source quality and precedence: the rule on small exact cases and for all inputs, the store
keeping the loser as a revision, migration 0003 up and down, exports with the new column."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from alembic.command import downgrade
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect, select

from lantu import services
from lantu.domain import (
    SOURCE_QUALITIES,
    Observation,
    Source,
    ValidationError,
    check_quality,
    infer_quality,
    is_official,
    outranks,
)
from lantu.ingest.tables import ImportRefused
from lantu.store import open_database, repo
from lantu.store.db import _alembic_config
from lantu.store.models import ObservationRevisionRow, ObservationRow

TODAY = date(2026, 11, 26)
HEADER = "region_code,period,indicator,value,unit,flags,source_url,excerpt,source_quality,source_published\n"

qualities = st.sampled_from(SOURCE_QUALITIES)
published = st.sampled_from(["", "2019", "2020-03", "2020-03-05", "2021", "2024-12-31"])


# -- the rule --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("new", "old", "wins"), [
    (("official_statistics", "2021-03"), ("official_report", "2022"), True),  # quality first
    (("official_report", "2022"), ("official_statistics", "2021-03"), False),
    (("official_report", "2024"), ("official_report", "2023"), True),  # later publication
    (("official_report", "2023"), ("official_report", "2024"), False),
    (("official_report", "2024"), ("official_report", "2024"), True),  # a repeat: newest arrival
    (("third_party", "2026"), ("official_other", "2001"), False),  # never above official
    (("official_other", ""), ("third_party", "2026"), True),
    (("none", "2026"), ("third_party", ""), False),
    (("third_party", "2021"), ("none", ""), True),
])
def test_outranks_small_cases(new, old, wins):
    assert outranks(*new, *old) is wins


@given(qualities, published, qualities, published)
def test_outranks_is_a_total_order(qn, pn, qo, po):
    a, b = outranks(qn, pn, qo, po), outranks(qo, po, qn, pn)
    assert a or b  # one of two values always wins
    if (qn, pn) != (qo, po):
        # strict unless both are equal in quality and publication
        assert a != b or (SOURCE_QUALITIES.index(qn) == SOURCE_QUALITIES.index(qo) and pn == po)
    if is_official(qo) and not is_official(qn):
        assert not a  # a third-party (or unsourced) value never outranks an official one


@given(st.lists(st.tuples(qualities, published, qualities, published), min_size=1, max_size=30))
def test_outranks_columnwise_equals_rowwise(rows):
    cols = list(zip(*rows))
    vec = outranks(np.array(cols[0]), list(cols[1]), list(cols[2]), np.array(cols[3]))
    assert vec.dtype == bool
    assert vec.tolist() == [outranks(*r) for r in rows]


def test_quality_codes_and_inference():
    assert check_quality("") == "none" and check_quality(" third_party ") == "third_party"
    with pytest.raises(ValidationError, match="unknown source quality 'official'"):
        check_quality("official")
    assert infer_quality("http://tjj.taiyuan.gov.cn/tjgb/2023.html") == "official_statistics"
    assert infer_quality("https://www.taiyuan.gov.cn/doc/x.html", kind="report") == "official_report"
    assert infer_quality("https://www.shanxi.gov.cn/x") == "official_other"
    assert infer_quality("https://www.shanxi.gov.cn/x", flags={"weak_source"}) == "third_party"
    assert infer_quality("https://s.askci.com/news/1.shtml") == "third_party"
    assert infer_quality("", "mine.csv") == "none"
    assert Source(quality="").quality == "none"


# -- the store ---------------------------------------------------------------------------------------

@pytest.fixture
def ref_db(db):
    services.init_reference(db)
    return db


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_higher_quality_wins_and_the_loser_stays_a_revision(ref_db, tmp_path):
    official = _write(tmp_path, "a.csv", HEADER + "140100,2019,gdp,4028.51,亿元,preliminary,"
                      "http://www.taiyuan.gov.cn/r2020,全市地区生产总值4028.51亿元,official_report,2020\n")
    repost = _write(tmp_path, "b.csv", HEADER + "140100,2019,gdp,4028.5,亿元,weak_source,"
                    "https://s.askci.com/x,4028.5亿元,third_party,2020-04\n")
    bulletin = _write(tmp_path, "c.csv", HEADER + "140100,2019,gdp,4028.52,亿元,,"
                      "http://tjj.taiyuan.gov.cn/tjgb/2019,4028.52亿元,official_statistics,2020-04\n")
    services.import_file(ref_db, official, today=TODAY)
    r = services.import_file(ref_db, repost, today=TODAY)
    assert r.observations.outranked == [(("140100", "2019", "gdp"), 4028.51, 4028.5)]
    assert not r.observations.revised
    again = services.import_file(ref_db, repost, today=TODAY)  # recorded once
    assert not again.observations.changed and again.observations.unchanged == 1
    r = services.import_file(ref_db, bulletin, today=TODAY)
    assert r.observations.revised == [(("140100", "2019", "gdp"), 4028.51, 4028.52)]
    # the report again: it stays below the bulletin, and it is in the history already
    r = services.import_file(ref_db, official, today=TODAY)
    assert not r.observations.changed and r.observations.unchanged == 1
    with ref_db.session() as s:
        row = s.scalars(select(ObservationRow)).one()
        assert (row.value, row.source_quality) == (4028.52, "official_statistics")
        hist = repo.observation_history(s, row.id)
        n_revisions = len(s.scalars(select(ObservationRevisionRow)).all())
    assert [(h["value"], h["source_quality"], h["reason"], h["current"]) for h in hist] == [
        (4028.51, "official_report", "replaced", False),
        (4028.5, "third_party", "outranked", False),
        (4028.52, "official_statistics", "", True)]
    assert n_revisions == 2


def test_bad_quality_cell_is_refused_with_row_and_column(ref_db, tmp_path):
    f = _write(tmp_path, "bad.csv", HEADER + "140100,2019,gdp,1,亿元,,,,official,\n")
    with pytest.raises(ImportRefused) as exc:
        services.import_file(ref_db, f, today=TODAY)
    p = exc.value.problems[0]
    assert (p.row, p.column) == (2, "source_quality") and "unknown source quality" in p.reason
    with ref_db.session() as s:
        assert not s.scalars(select(ObservationRow)).all()


def test_exports_carry_quality_and_import_back_unchanged(ref_db, tmp_path):
    src = _write(tmp_path, "a.csv", HEADER + "140100,2022,gdp,5571.17,亿元,,http://x.gov.cn/a,a,"
                 "official_report,2023\n140100,2022,gdp_growth,3.3,%,,https://x.com/b,b,,\n")
    tgt = _write(tmp_path, "t.csv", "region_code,indicator,target_period,kind,value,source_url,"
                 "source_quality\n140100,gdp_growth,2023,annual_growth,6,http://x.gov.cn/r,"
                 "official_report\n")
    services.import_file(ref_db, src, today=TODAY)
    services.import_file(ref_db, tgt, today=TODAY)
    with ref_db.session() as s:
        obs = repo.observations_frame(s)
        tg = repo.targets_frame(s)
    assert obs["source_quality"].tolist() == ["official_report", "third_party"]
    assert tg["source_quality"].tolist() == ["official_report"]
    back = _write(tmp_path, "export.csv", obs.to_csv(index=False))
    res = services.import_file(ref_db, back, today=TODAY)
    assert res.observations.unchanged == 2 and not res.observations.changed
    back_t = _write(tmp_path, "export_t.csv", tg.to_csv(index=False))
    assert services.import_file(ref_db, back_t, today=TODAY).targets.unchanged == 1


def test_observation_keeps_quality():
    o = Observation("140100", "2020", "gdp", 1.0, source=Source(quality="third_party"))
    assert o.source.quality == "third_party"


# -- migration 0003 --------------------------------------------------------------------------------

def test_migration_0003_up_down_up(db_url):
    database = open_database(db_url)
    try:
        assert database.is_up_to_date()
        cols = {c["name"] for c in inspect(database.engine).get_columns("observation")}
        assert {"source_quality", "source_published"} <= cols
        assert {"milestone_fact", "milestone_fact_node"} <= set(
            inspect(database.engine).get_table_names())
        with database.engine.begin() as conn:
            cfg = _alembic_config(database.url)
            cfg.attributes["connection"] = conn
            downgrade(cfg, "0002")
        insp = inspect(database.engine)
        assert "milestone_fact" not in insp.get_table_names()
        assert "source_quality" not in {c["name"] for c in insp.get_columns("observation")}
        assert "reason" not in {c["name"] for c in insp.get_columns("observation_revision")}
        database.migrate()
        assert database.is_up_to_date()
    finally:
        database.dispose()
