"""SQLite writes the fast lane's rows a hundred to a statement (``INSERT … SELECT … FROM
(VALUES …)``, :func:`lantu.store.bulk._insert_values`) into a table with no plain index to keep
up (a first load sets them aside: from ``REINDEX_ROWS`` rows, lowered here so that small tables
take that way): every row arrives as it was read, at every statement boundary and under a
build's lower limit of bound parameters, and a refusal half-way leaves nothing (helpers:
tests/hostile.py)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from hostile import HEADER, TODAY, snapshot, write
from lantu import services
from lantu.store import bulk as store_bulk
from lantu.store import open_database
from lantu.store.models import ObservationRow, utcnow

GOOD = "https://tjj.taiyuan.gov.cn/tjgb/2022.html"


@pytest.fixture(autouse=True)
def _values_way(monkeypatch):
    """Every first load sets the plain index aside (so it goes by hundred-row statements), and
    the statements are counted: a test that wrote none would test nothing."""
    monkeypatch.setattr(store_bulk, "REINDEX_ROWS", 1)
    calls: list[int] = []
    real = store_bulk._insert_values

    def counted(conn, table, varying, columns, *rest):
        calls.append(len(columns[0]))
        return real(conn, table, varying, columns, *rest)

    monkeypatch.setattr(store_bulk, "_insert_values", counted)
    yield calls
#: texts that a statement built by hand would break on, and a value no float rounds
ODD = ["含'单引号", 'x\'); DROP TABLE observation; --', "全角，逗号", "𠀀扩展B", "naïve"]


def _table(n: int) -> tuple[str, list[tuple]]:
    """``n`` rows for 140100 (years 1949–2025, then months), nine columns that differ from row
    to row: text, and what each must store."""
    periods = [str(y) for y in range(1949, 2026)] + [
        f"{y}-{m:02d}" for y in range(1949, 2026) for m in range(1, 13)]
    rows, want = [], []
    for k in range(n):
        value = 1000 + k * 0.1 + 1e-9 * (k % 7)
        excerpt = f"{ODD[k % len(ODD)]}{k}"
        flags = "preliminary" if k % 3 else ""
        published = f"2026-{k % 10 + 1:02d}-01"  # after every period of the table (1949–2025)
        rows.append(f"140100,{periods[k]},gdp,{value!r},亿元,{flags},{GOOD}?k={k},{excerpt},"
                    f"注{k % 5},{published}\n")
        want.append((periods[k], excerpt, value, f"{GOOD}?k={k}", flags, f"注{k % 5}", published))
    header = HEADER.rstrip("\n") + ",note,source_published\n"
    return header + "".join(rows), want


def _stored(db) -> list[tuple[str, str, float, str]]:
    with db.session() as s:
        got = s.execute(select(ObservationRow.period, ObservationRow.excerpt,
                               ObservationRow.value, ObservationRow.source_url,
                               ObservationRow.flags, ObservationRow.source_note,
                               ObservationRow.source_published)
                        .order_by(ObservationRow.id)).all()
    return sorted(tuple(r) for r in got)


@pytest.mark.parametrize("n", [1, 99, 100, 101, 257, 1000])
def test_every_row_arrives_as_read_at_every_statement_boundary(ref_db, tmp_path, n, _values_way):
    text, want = _table(n)
    res = services.import_file(ref_db, write(tmp_path, "t.csv", text), today=TODAY)
    if ref_db.engine.dialect.name == "sqlite":
        assert _values_way == [n]  # the hundred-row way, once for the whole table
    assert len(res.observations.inserted) == n
    assert _stored(ref_db) == sorted(want)  # the floats bit for bit, the texts as written


def test_a_lower_limit_of_bound_parameters_is_kept(tmp_path, _values_way):
    """A build of SQLite compiled with a smaller SQLITE_MAX_VARIABLE_NUMBER (999 before 3.32)
    must still take the rows: a statement holds as many as the limit lets it (800 parameters
    here: a hundred rows of nine columns would need 900)."""
    db = open_database(f"sqlite:///{tmp_path / 'low.db'}")

    @event.listens_for(db.engine, "connect")
    def _low(dbapi_conn, _record):
        dbapi_conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 800)

    db.dispose()  # connections opened from now on have the limit
    services.init_reference(db)
    text, want = _table(257)
    services.import_file(db, write(tmp_path, "t.csv", text), today=TODAY)
    assert _stored(db) == sorted(want)
    assert _values_way == [257]
    with db.engine.connect() as c:
        raw = c.connection.driver_connection
        assert raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) == 800
    db.dispose()


def test_a_refusal_half_way_leaves_nothing(ref_db, tmp_path):
    """A key stored meanwhile fails the unique key in the third statement: the error is
    SQLAlchemy's IntegrityError (the import's retry tells it by class) and the statements
    before it go with the transaction."""
    text, _ = _table(300)
    before = snapshot(ref_db)
    frame = services.read_checked(write(tmp_path, "t.csv", text),
                                  services.catalogue(ref_db, TODAY)).frame
    with pytest.raises(IntegrityError) as refused, ref_db.session() as s, \
            store_bulk._indexes_set_aside(s, store_bulk._OBS, len(frame)):
        store_bulk._insert_frame(s, frame.iloc[:250], actor="t", now=utcnow(), batch_id=None,
                                 in_key_order=True)
        store_bulk._insert_frame(s, frame.iloc[200:], actor="t", now=utcnow(), batch_id=None,
                                 in_key_order=True)
    assert "UNIQUE" in str(refused.value).upper() or "unique" in str(refused.value)
    assert snapshot(ref_db) == before


def test_a_table_that_keeps_its_index_takes_its_rows_one_step_each(ref_db, tmp_path, _values_way):
    """A second table into a table that holds more rows than it adds keeps the plain index up
    row by row; there one ``executemany`` was faster than the hundred-row statements (a million
    rows in four files), so that way is kept — the same rows stored either way."""
    text, want = _table(300)
    lines = text.splitlines(keepends=True)
    services.import_file(ref_db, write(tmp_path, "a.csv", "".join(lines[:281])), today=TODAY)
    services.import_file(ref_db, write(tmp_path, "b.csv", lines[0] + "".join(lines[281:])),
                         today=TODAY)
    assert _stored(ref_db) == sorted(want)
    if ref_db.engine.dialect.name == "sqlite":
        assert _values_way == [280]  # the first load only; the 20 rows after went one by one
