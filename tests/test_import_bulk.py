"""The fast lane of the import (a plain long CSV read and checked column-wise, written in bulk):
the same gate and the same report as the row reader, all or nothing on SQLite and PostgreSQL,
the precedence of sources applied column-wise (helpers and fixtures: tests/hostile.py)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pandas as pd
import pytest
from alembic.command import downgrade, upgrade
from sqlalchemy import func, inspect, select
from sqlalchemy import text as sql_text
from sqlalchemy.exc import OperationalError

from hostile import HEADER, TODAY, snapshot, write
from lantu import actors, services
from lantu.domain import Observation, Source, gate
from lantu.domain.errors import ValidationError
from lantu.ingest import bulk
from lantu.ingest.tables import ImportRefused, parse_table, read_raw
from lantu.store import bulk as store_bulk
from lantu.store import repo
from lantu.store.db import _alembic_config
from lantu.store.models import ObservationRevisionRow, ObservationRow

GOOD = "https://tjj.taiyuan.gov.cn/tjgb/2022.html"


#: 1,309 distinct periods in the years Lantu handles (1949–2100) and before TODAY: the years
#: 1949–2025, then their quarters, then their months
PERIODS = ([str(y) for y in range(1949, 2026)]
           + [f"{y}Q{q}" for y in range(1949, 2026) for q in range(1, 5)]
           + [f"{y}-{m:02d}" for y in range(1949, 2026) for m in range(1, 13)])


def _rows(n: int, start: int = 0, region: str = "140100") -> str:
    """``n`` rows of gdp for 140100, the periods ``PERIODS[start:start + n]``."""
    return "".join(f"{region},{PERIODS[k]},gdp,{1000 + k % 97}.5,亿元,,{GOOD},x\n"
                   for k in range(start, start + n))


# -- one report, whichever reader --------------------------------------------------------------

MIXED = HEADER + (
    "140100,2020,gdp,5121.61,亿元,,,\n"  # good
    "999999,2021,gdp,1,亿元,,,\n"  # unknown region
    "140100,2031,gdp,1,亿元,,,\n"  # a future period
    "140100,2022,urbanization_rate,128,%,,,\n"  # outside the admissible range
    "140100,2022,gdp_magic,1,,,,\n"  # unknown indicator
    "140100,2019,population,-500,万人,,,\n"  # a negative population
    "140100,2018,gdp,1,亿元,,javascript:alert(1),\n"  # a link that runs script
    "140100,2017,gdp,1,美元,,,\n"  # a unit that does not convert: the row reader's words
    "140100,2016,gdp,约5500,亿元,,,\n"  # not a plain number: the row reader's words
    "140100,2015,gdp,1,亿元,bogus_flag,,\n"  # an unknown flag
    "140100,2020,gdp,9.5,亿元,,,\n"  # a conflicting duplicate of row 2
    "140100,2014,tertiary_share,50,%,,,\n"  # a derived indicator
)


def test_the_column_wise_reader_reports_what_the_row_reader_reports(tmp_path, cat):
    f = write(tmp_path, "mixed.csv", MIXED)
    plain = bulk.read_plain(f)
    assert plain is not None, "a plain long table takes the fast lane"
    with pytest.raises(ImportRefused) as fast:
        bulk.parse_plain(plain, str(f), cat)
    with pytest.raises(ImportRefused) as rows:
        parse_table(read_raw(f), cat)
    got = [(p.row, p.column, p.reason, p.value) for p in fast.value.problems]
    assert got == [(p.row, p.column, p.reason, p.value) for p in rows.value.problems]
    named = {(p.row, p.column) for p in fast.value.problems}
    assert {(3, "region_code"), (4, "period"), (5, "value"), (6, "indicator"), (7, "value"),
            (8, "source_url"), (9, "unit"), (10, "value"), (11, "flags"), (12, None),
            (13, "value")} <= named
    assert str(f) in str(fast.value) and "nothing was imported" in str(fast.value)


def test_a_good_table_reads_the_same_either_way(tmp_path, cat):
    text = HEADER + _rows(40) + "140100,2022,gdp,5571.17,万元,preliminary,,\n" \
        "140100,2021,population,543.5,万人,,https://example.com/a,\n"
    f = write(tmp_path, "good.csv", text)
    frame = bulk.parse_plain(bulk.read_plain(f), str(f), cat).frame
    objects = parse_table(read_raw(f), cat).observations
    from lantu.domain.observations import frame_of
    expected = frame_of(objects)
    key = ["region_code", "period", "indicator_code"]
    pd.testing.assert_frame_equal(frame[expected.columns].sort_values(key, ignore_index=True),
                                  expected.sort_values(key, ignore_index=True), check_dtype=False)
    # in the order the store writes it, its unique key's
    assert list(frame[key].itertuples(index=False)) == sorted(frame[key].itertuples(index=False))
    assert frame.loc[frame["period"] == "2022", "value"].item() == 0.557117  # 万元 → 亿元, exactly


def test_files_that_are_not_plain_take_the_row_reader(tmp_path):
    for name, text in {"quoted.csv": HEADER + '140100,2022,gdp,"5,571.17",亿元,,,\n',
                       "ragged.csv": HEADER + "140100,2022,gdp,1\n",
                       "blank.csv": HEADER + "140100,2022,gdp,1,亿元,,,\n\n140100,2021,gdp,1,亿元,,,\n",
                       "nul.csv": HEADER + _rows(100) + "140100,2022,gdp,1,亿元,,,a\x00b\n",
                       "wide.csv": "region,period,gdp\n140100,2022,1\n"}.items():
        assert bulk.read_plain(write(tmp_path, name, text)) is None, name


# -- the hostile values: refused by the column-wise gate exactly as by the one-row gate ---------

HOSTILE = {
    "nul": (dict(excerpt="a\x00b"), "excerpt", "NUL byte"),
    "negative_population": (dict(indicator_code="population", value=-500.0, unit="万人"),
                            "value", "population must be at least 0 万人, got -500"),
    "year_2031": (dict(period="2031"), "period", "period 2031 is in the future"),
    "javascript_url": (dict(source_url="javascript:alert(1)"), "source_url",
                       "only http(s) links are kept, not 'javascript:'"),
}


def _record(**change) -> dict:
    rec = dict(region_code="140100", period="2022", indicator_code="gdp", value=5571.17,
               unit="亿元", flags="", source_url=GOOD, source_file="", excerpt="",
               source_note="", source_quality="official_statistics", source_published="")
    rec.update(change)
    return rec


@pytest.mark.parametrize("path", ["column-wise", "one row"])
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_values_are_refused_the_same_by_both_paths(case, path, cat):
    change, field, reason = HOSTILE[case]
    today = date(2026, 11, 26)
    if path == "column-wise":  # an import: the hostile row among good ones
        frame = pd.DataFrame([_record(period=str(y)) for y in (2019, 2020)] + [_record(**change)]
                             + [_record(period="2021")], dtype=object)
        frame["value"] = frame["value"].astype(float)
        problems = gate.observation_frame_problems(frame, cat.indicators, today)
        assert [p[0] for p in problems] == [2]  # the hostile row only, by its position
        got = [(f, r) for _, f, r in problems]
    else:  # POST /api/v1/observations: one object through the same gate
        rec = _record(**change)
        try:
            obs = Observation(rec["region_code"], rec["period"], rec["indicator_code"],
                              rec["value"], rec["unit"],
                              source=Source(url=rec["source_url"], excerpt=rec["excerpt"]))
        except ValidationError as exc:  # the link rule, asked as the object is made
            got = [(exc.field, str(exc).split(": ", 1)[-1])]
        else:
            got = gate.observation_problems(obs, cat.indicators[obs.indicator_code], today)
    assert len(got) == 1 and got[0][0] == field and reason in got[0][1], got


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_row_in_a_file_refuses_the_whole_file(ref_db, tmp_path, case):
    change, field, reason = HOSTILE[case]
    rec = _record(**change)
    bad = (f"{rec['region_code']},{rec['period']},{rec['indicator_code']},{rec['value']:g},"
           f"{rec['unit']},,{rec['source_url']},{rec['excerpt']}\n")
    before = snapshot(ref_db)
    f = write(tmp_path, f"{case}.csv", HEADER + _rows(300, start=77) + bad  # not 2022
              + _rows(300, start=600))
    with pytest.raises(ImportRefused) as info:
        services.import_file(ref_db, f, today=TODAY)
    (p,) = info.value.problems
    assert p.row == 302 and p.column in (field, {"excerpt": "excerpt", "value": "value"}.get(
        field, field)) and str(f) in str(info.value)
    assert snapshot(ref_db) == before


# -- all or nothing, on SQLite and PostgreSQL --------------------------------------------------


@pytest.mark.parametrize("way", ["staged", "straight"])
def test_a_failure_in_the_middle_of_a_write_leaves_nothing(ref_db, tmp_path, monkeypatch, way):
    """Staged in the temporary table (some keys stored) or written straight into the
    observation table (none): a failure half-way leaves nothing."""
    f = write(tmp_path, "big.csv", HEADER + _rows(1000))
    assert bulk.read_plain(f) is not None
    before = snapshot(ref_db)
    monkeypatch.setattr(repo, "CHUNK", 300)
    if way == "staged":
        monkeypatch.setattr(store_bulk, "_write_new", lambda *a, **k: False)
    real, calls = repo._insert_chunk, []
    written = sql_text(f"SELECT count(*) FROM {store_bulk.STAGED if way == 'staged' else 'observation'}")

    def failing(session, table, rows):
        calls.append(len(rows))
        if len(calls) == 3:  # 600 rows are in the database, uncommitted
            assert session.execute(written).scalar() == 600
            raise OSError("disk full")
        real(session, table, rows)

    monkeypatch.setattr(repo, "_insert_chunk", failing)
    with pytest.raises(OSError, match="disk full"):
        services.import_file(ref_db, f, today=TODAY)
    assert calls == [300, 300, 300] and snapshot(ref_db) == before
    # the connection is whole again: the same file imports afresh
    monkeypatch.setattr(repo, "_insert_chunk", real)
    assert len(services.import_file(ref_db, f, today=TODAY).observations.inserted) == 1000


def test_a_failure_after_the_rows_went_in_leaves_nothing(ref_db, tmp_path, monkeypatch):
    services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + _rows(10)), today=TODAY)
    before = snapshot(ref_db)
    real, seen = store_bulk._insert_staged, []

    def then_failing(session, staged, count, **kw):
        real(session, staged, count, **kw)
        seen.append(session.scalar(select(func.count()).select_from(ObservationRow)))
        raise OSError("disk full")

    monkeypatch.setattr(store_bulk, "_insert_staged", then_failing)
    f = write(tmp_path, "b.csv", HEADER + _rows(10).replace(",1000.5,", ",1.5,")
              + _rows(500, start=10))
    with pytest.raises(OSError, match="disk full"):
        services.import_file(ref_db, f, today=TODAY)
    assert seen == [510]  # a revision and 500 new rows were in the table, uncommitted…
    assert snapshot(ref_db) == before  # …and are gone


def test_a_large_import_is_whole_and_a_second_one_changes_nothing(ref_db, tmp_path):
    f = write(tmp_path, "big.csv", HEADER + _rows(120)
              + "".join(_rows(120, region=r) for r in ("140200", "140300", "140400")))
    first = services.import_file(ref_db, f, today=TODAY)
    again = services.import_file(ref_db, f, today=TODAY)
    assert len(first.observations.inserted) == 480 and first.layout == "long"
    assert again.observations.as_dict() == {"inserted": 0, "revised": 0, "unchanged": 480,
                                            "outranked": 0}
    with ref_db.session() as s:
        df = repo.observations_frame(s)
    assert len(df) == 480 and set(df["source_quality"]) == {"official_statistics"}


def test_a_reimport_revises_keeps_and_adds_as_before(ref_db, tmp_path):
    """Compared in the database: changed values revise their rows (history kept), equal
    ones stay, new keys go in; importing the same file again changes nothing, also for the
    rows the store has marked ``revised`` (the mark is no difference)."""
    def rows(years, value):
        return "".join(f"140100,{y},gdp,{value},亿元,,{GOOD},x\n" for y in years)

    services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + rows(range(2000, 2010), 1)),
                         today=TODAY)
    b = write(tmp_path, "b.csv", HEADER + rows(range(2000, 2005), 2)
              + rows(range(2005, 2010), 1) + rows(range(1990, 2000), 3))
    res = services.import_file(ref_db, b, today=TODAY).observations
    assert (len(res.revised), res.unchanged, len(res.inserted)) == (5, 5, 10)
    assert res.revised[0] == (("140100", "2000", "gdp"), 1.0, 2.0)
    assert sorted(res.inserted) == [("140100", str(y), "gdp") for y in range(1990, 2000)]
    again = services.import_file(ref_db, b, today=TODAY).observations
    assert again.as_dict() == {"inserted": 0, "revised": 0, "unchanged": 20, "outranked": 0}
    with ref_db.session() as s:
        stored = {r.period: (r.value, r.flags, r.version) for r in s.scalars(select(ObservationRow))}
        revisions = s.scalars(select(ObservationRevisionRow.value)).all()
    assert stored["2000"] == (2.0, "revised", 2) and stored["2009"] == (1.0, "", 1)
    assert stored["1990"] == (3.0, "", 1) and len(stored) == 20
    assert sorted(revisions) == [1.0] * 5  # the values replaced, each once


def _constraints(db) -> tuple[set, set]:
    insp = inspect(db.engine)
    return ({i["name"] for i in insp.get_indexes("observation")},
            {f["name"] for f in insp.get_foreign_keys("observation")})


def test_what_a_large_first_load_sets_aside_comes_back(ref_db, tmp_path, monkeypatch):
    monkeypatch.setattr(store_bulk, "REINDEX_ROWS", 100)
    before = _constraints(ref_db)
    assert {i.name for i in ObservationRow.__table__.indexes} <= before[0] and before[1]
    services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + _rows(300)), today=TODAY)
    assert _constraints(ref_db) == before


def test_a_dangling_row_of_a_large_first_load_is_refused(ref_db, tmp_path, monkeypatch):
    monkeypatch.setattr(store_bulk, "REINDEX_ROWS", 100)
    real = repo._insert_chunk

    def dangling(session, table, rows):  # as if a region were deleted meanwhile
        real(session, table, [dict(r, region_code="999999") if i == 7 else r
                              for i, r in enumerate(rows)])

    monkeypatch.setattr(repo, "_insert_chunk", dangling)
    before, constraints = snapshot(ref_db), _constraints(ref_db)
    with pytest.raises(services.LantuError, match="(?s)database refused the import.*nothing was"):
        services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + _rows(300)), today=TODAY)
    assert snapshot(ref_db) == before and _constraints(ref_db) == constraints


def test_a_later_large_load_keeps_its_foreign_keys_and_refuses_a_dangling_row(
        ref_db, tmp_path, monkeypatch):
    """A load that adds a quarter or more to the table: PostgreSQL checks its foreign keys by
    one query when they come back (not a trigger a row), SQLite row by row; either way a row
    naming a region that is not there fails the whole file and the keys are as before."""
    monkeypatch.setattr(store_bulk, "REINDEX_ROWS", 100)
    services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + _rows(600)), today=TODAY)
    before, constraints = snapshot(ref_db), _constraints(ref_db)
    real = repo._insert_chunk

    def dangling(session, table, rows):  # as if a region were deleted meanwhile
        real(session, table, [dict(r, region_code="999999") if i == 7 else r
                              for i, r in enumerate(rows)])

    monkeypatch.setattr(repo, "_insert_chunk", dangling)
    later = write(tmp_path, "b.csv", HEADER + _rows(200, start=600))
    with pytest.raises(services.LantuError, match="(?s)database refused the import.*nothing was"):
        services.import_file(ref_db, later, today=TODAY)
    assert snapshot(ref_db) == before and _constraints(ref_db) == constraints
    monkeypatch.setattr(repo, "_insert_chunk", real)
    assert len(services.import_file(ref_db, later, today=TODAY).observations.inserted) == 200
    assert _constraints(ref_db) == constraints


# -- precedence, column-wise -------------------------------------------------------------------

PRECEDENCE_HEADER = "region_code,period,indicator,value,unit,source_url,source_quality\n"


def test_an_official_value_is_not_overwritten_by_a_third_party_one(ref_db, tmp_path):
    official = write(tmp_path, "official.csv", PRECEDENCE_HEADER
                     + f"140100,2022,gdp,5571.17,亿元,{GOOD},official_statistics\n"
                     + f"140100,2021,gdp,5121.61,亿元,{GOOD},third_party\n")
    services.import_file(ref_db, official, today=TODAY)
    repost = write(tmp_path, "repost.csv", PRECEDENCE_HEADER
                   + "140100,2022,gdp,5600,亿元,https://news.example.com/a,third_party\n"
                   + "140100,2021,gdp,5200,亿元,https://tjj.taiyuan.gov.cn/b,official_statistics\n"
                   + "140100,2020,gdp,4900,亿元,https://news.example.com/a,third_party\n")
    assert bulk.read_plain(repost) is not None
    res = services.import_file(ref_db, repost, today=TODAY).observations
    assert res.outranked == [(("140100", "2022", "gdp"), 5571.17, 5600.0)]
    assert res.revised == [(("140100", "2021", "gdp"), 5121.61, 5200.0)]
    assert res.inserted == [("140100", "2020", "gdp")]
    with ref_db.session() as s:
        current = dict(s.execute(select(ObservationRow.period, ObservationRow.value)).all())
        kept = s.execute(select(ObservationRevisionRow.value, ObservationRevisionRow.reason)).all()
    assert current == {"2022": 5571.17, "2021": 5200.0, "2020": 4900.0}
    assert sorted(kept) == [(5121.61, "replaced"), (5600.0, "outranked")]
    again = services.import_file(ref_db, repost, today=TODAY).observations
    assert again.as_dict() == {"inserted": 0, "revised": 0, "unchanged": 3, "outranked": 0}


# -- retries are told by the error's code, not its words ---------------------------------------


def test_a_collision_is_told_by_its_code_not_its_text():
    def wrapped(orig):
        return OperationalError("INSERT …", {}, orig)

    busy = sqlite3.OperationalError("anything at all")
    busy.sqlite_errorcode = sqlite3.SQLITE_BUSY
    assert services._retryable(wrapped(busy))
    words = sqlite3.OperationalError("database is locked")  # the words alone, no code
    assert not services._retryable(wrapped(words))


# -- a table of new keys is written straight into the table ------------------------------------


def _spy(monkeypatch, module, name: str) -> list:
    calls: list = []
    real = getattr(module, name)

    def spy(*args, **kwargs):  # a call that raises is recorded as None
        calls.append(None)
        calls[-1] = out = real(*args, **kwargs)
        return out

    monkeypatch.setattr(module, name, spy)
    return calls


def test_new_keys_go_straight_into_the_table_and_stored_ones_the_staged_way(
        ref_db, tmp_path, monkeypatch):
    straight, staged = (_spy(monkeypatch, store_bulk, "_write_new"),
                        _spy(monkeypatch, store_bulk, "_stage"))
    f = write(tmp_path, "a.csv", HEADER + _rows(600))
    assert len(services.import_file(ref_db, f, today=TODAY).observations.inserted) == 600
    assert straight == [True] and staged == []  # no temporary table for new keys
    with ref_db.session() as s:
        got = {r.period: (r.value, r.unit, r.source_url, r.excerpt, r.version, r.created_by,
                          r.import_batch_id is not None) for r in s.scalars(select(ObservationRow))}
    assert len(got) == 600 and got[PERIODS[1]] == (1000 + 1 % 97 + 0.5, "亿元", GOOD, "x", 1,
                                                   actors.CLI, True)
    again = services.import_file(ref_db, f, today=TODAY).observations
    assert (len(again.inserted), again.unchanged) == (0, 600)
    assert straight == [True, False] and len(staged) == 1  # a stored key: compared in the database


@pytest.mark.parametrize("set_aside", [False, True], ids=["indexes kept", "indexes set aside"])
def test_a_stored_key_the_look_misses_sends_the_table_the_staged_way(ref_db, tmp_path,
                                                                      monkeypatch, set_aside):
    """The look before a straight write asks PROBE_KEYS keys spread over the table; a stored key
    between them fails the unique key, the savepoint is undone (with the indexes and foreign
    keys a large load set aside) and the table is compared as any other: the same answer,
    nothing written twice."""
    monkeypatch.setattr(store_bulk, "PROBE_KEYS", 8)
    if set_aside:
        monkeypatch.setattr(store_bulk, "REINDEX_ROWS", 10)
    constraints = _constraints(ref_db)
    one = write(tmp_path, "one.csv", HEADER + _rows(1, start=1))  # not among the 8 looked at
    services.import_file(ref_db, one, today=TODAY)
    writes = _spy(monkeypatch, repo, "_insert_chunk")
    straight = _spy(monkeypatch, store_bulk, "_write_new")
    res = services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + _rows(100)),
                               today=TODAY).observations
    assert straight == [False] and len(writes) == 2  # tried straight, then staged
    assert (len(res.inserted), res.unchanged, res.revised) == (99, 1, [])
    assert _constraints(ref_db) == constraints
    with ref_db.session() as s:
        assert s.scalar(select(func.count()).select_from(ObservationRow)) == 100
        assert s.scalar(select(func.max(ObservationRow.version))) == 1


@pytest.mark.parametrize("actor", ["o'brien", "x'); DROP TABLE observation; --", "王 \"五\" ∑ 🙂"])
def test_text_every_row_shares_is_stored_as_it_is(ref_db, tmp_path, actor):
    """What every row of a write shares goes into the statement once (SQLite): text of any
    kind is stored exactly, never read as SQL."""
    excerpt = "x'), ('140100','1999','gdp',1 -- \"引号\" ''"
    text = HEADER + "".join(f'140100,{y},gdp,{y}.5,亿元,,{GOOD},"{excerpt.replace(chr(34), 2 * chr(34))}"\n'
                            for y in range(2000, 2010))
    res = services.import_file(ref_db, write(tmp_path, "q.csv", text), actor=actor, today=TODAY)
    assert len(res.observations.inserted) == 10
    with ref_db.session() as s:
        rows = s.execute(select(ObservationRow.created_by, ObservationRow.excerpt,
                                ObservationRow.period)).all()
    assert sorted(r.period for r in rows) == [str(y) for y in range(2000, 2010)]
    assert {(r.created_by, r.excerpt) for r in rows} == {(actor, excerpt)}


@pytest.mark.parametrize("read_ahead", [False, True], ids=["in turn", "read ahead"])
def test_several_files_import_in_order_and_stop_at_the_first_refused(ref_db, tmp_path,
                                                                      read_ahead):
    """Read ahead: the next file is read and checked in a second process (its refusal comes
    back whole, with every problem) while the one before is written."""
    a = write(tmp_path, "a.csv", HEADER + _rows(300))
    bad = write(tmp_path, "b.csv", HEADER + _rows(5, start=400) + "999999,2020,gdp,1,亿元,,,\n")
    c = write(tmp_path, "c.csv", HEADER + _rows(50, start=500))
    results = services.import_files(ref_db, [a, bad, c], today=TODAY, read_ahead=read_ahead)
    first = next(results)
    assert first.file == str(a) and len(first.observations.inserted) == 300
    with pytest.raises(ImportRefused, match="b.csv") as exc:
        next(results)
    assert [p.row for p in exc.value.problems] == [7]
    with ref_db.session() as s:  # a stays, b and c are not written
        assert s.scalar(select(func.count()).select_from(ObservationRow)) == 300
    good = list(services.import_files(ref_db, [a, c], today=TODAY, read_ahead=read_ahead))
    assert [(len(r.observations.inserted), r.observations.unchanged) for r in good] == \
        [(0, 300), (50, 0)]


def test_the_observation_table_keeps_two_indexes(ref_db, tmp_path):
    """The key serves lookups by region, one index those by indicator (migration 0010): a
    write keeps two B-trees up to date, not four."""
    indexes = inspect(ref_db.engine).get_indexes("observation")
    plain = {i["name"]: i["column_names"] for i in indexes if not i["unique"]}
    assert plain == {"ix_observation_indicator_period": ["indicator_code", "period"]}
    keys = inspect(ref_db.engine).get_unique_constraints("observation")
    assert [k["column_names"] for k in keys] == [["region_code", "period", "indicator_code"]]
    cfg = _alembic_config(ref_db.url)  # down to the four of before and up again, rows kept
    services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + _rows(30)), today=TODAY)
    for step, names in ((downgrade, {"ix_observation_region_code", "ix_observation_period",
                                     "ix_observation_indicator_code"}),
                        (upgrade, {"ix_observation_indicator_period"})):
        with ref_db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            step(cfg, "0009_treview" if step is downgrade else "head")
        found = {i["name"] for i in inspect(ref_db.engine).get_indexes("observation")
                 if not i["unique"]}
        assert found == names
    with ref_db.session() as s:
        assert s.scalar(select(func.count()).select_from(ObservationRow)) == 30


def test_the_collector_paused_for_a_file_runs_again_after_it(ref_db, tmp_path):
    """An import pauses the cycle collector while it reads and writes a file (it only went over
    the import's own short-lived objects) and sets it going again, refused or not."""
    import gc

    good = write(tmp_path, "a.csv", HEADER + _rows(50))
    bad = write(tmp_path, "b.csv", HEADER + "999999,2020,gdp,1,亿元,,,\n")
    assert gc.isenabled()
    services.import_file(ref_db, good, today=TODAY)
    assert gc.isenabled()
    with pytest.raises(ImportRefused):
        services.import_file(ref_db, bad, today=TODAY)
    assert gc.isenabled()
    with pytest.raises(ImportRefused):
        list(services.import_files(ref_db, [good, bad], today=TODAY))
    assert gc.isenabled()
    gc.disable()  # a caller that had it off keeps it off
    try:
        services.import_file(ref_db, good, today=TODAY)
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- one row (an API write): no temporary table, the same answers ----------------------------


def _one_row_writes(db, region: str) -> tuple[list, list]:
    """A key written one observation at a time as the API writes it: new, revised by a better
    source, the same again, outranked by a worse one (kept as a revision, once), a dry run of
    another revision. Returns each summary (without the region) and the key's history."""
    def obs(value: float, quality: str, url: str = GOOD) -> Observation:
        return Observation(region, "2022", "gdp", value, "亿元", frozenset(),
                           Source(url=url, excerpt=f"{value}", quality=quality))

    steps = [(obs(5500, "official_report"), False), (obs(5571.17, "official_statistics"), False),
             (obs(5571.17, "official_statistics"), False),
             (obs(5600, "third_party", "https://example.com/x"), False),
             (obs(5600, "third_party", "https://example.com/x"), False),
             (obs(5572, "official_statistics"), True)]
    answers = []
    for o, dry in steps:
        with db.session() as s:
            res = repo.apply_observations(s, [o], actor="api:rep", dry_run=dry)
            if dry:
                s.rollback()
        answers.append(([k[1:] for k in res.inserted],  # the answers without the region
                        [(k[1:], old, new) for k, old, new in res.revised],
                        [(k[1:], old, new) for k, old, new in res.outranked], res.unchanged))
    with db.session() as s:
        oid = s.scalar(select(ObservationRow.id).where(ObservationRow.region_code == region))
        history = [(h["version"], h["value"], h["reason"],
                    h["source_quality"], h["current"])
                   for h in repo.observation_history(s, oid)]
    return answers, history


def test_a_one_row_revision_needs_no_temporary_table_and_answers_the_same(ref_db, monkeypatch):
    """An API write of one observation whose key is stored is compared with the stored row
    read by one query (``bulk.Inline``): no temporary table is made, and every answer and the
    revision history are those of the staged way (SQLite and PostgreSQL)."""
    staged = _spy(monkeypatch, store_bulk, "_stage")
    inline = _one_row_writes(ref_db, "140100")
    assert staged == []  # never staged
    monkeypatch.setattr(store_bulk, "INLINE_ROWS", 0)  # the staged way, for the same writes
    assert _one_row_writes(ref_db, "140200") == inline
    assert len(staged) == 5  # every write but the first (a new key goes straight in)
    answers, history = inline
    assert answers == [([("2022", "gdp")], [], [], 0),
                       ([], [(("2022", "gdp"), 5500.0, 5571.17)], [], 0),
                       ([], [], [], 1),
                       ([], [], [(("2022", "gdp"), 5571.17, 5600.0)], 0),
                       ([], [], [], 1),
                       ([], [(("2022", "gdp"), 5571.17, 5572.0)], [], 0)]
    assert [(v, value, reason, current) for v, value, reason, _, current in history] == [
        (1, 5500.0, "replaced", False), (2, 5600.0, "outranked", False),
        (2, 5571.17, "", True)]
