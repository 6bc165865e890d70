"""Reading ahead (``lantu import FILE…``): the next table read in a second process while one
is written gives what reading in turn gives, and SQLite's log is copied into the database file
beside the writing (:mod:`lantu.ingest.ahead`, :func:`lantu.store.db.checkpoints_aside`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy import text as sql_text

from hostile import HEADER, TODAY, write
from lantu import services
from lantu.store import open_database
from lantu.store.db import checkpoints_aside
from lantu.store.models import ObservationRow

GOOD = "https://tjj.taiyuan.gov.cn/tjgb/2022.html"
REGIONS = ["140100", "140200", "140300", "140400", "140500", "140600"]
INDICATORS = ["gdp", "population", "urbanization_rate", "retail_sales", "hospital_beds"]
UNITS = {"gdp": "亿元", "population": "万人", "urbanization_rate": "%", "retail_sales": "亿元",
         "hospital_beds": "张"}
YEARS = [str(y) for y in range(1960, 2025)]


def _table(n: int, seed: int = 7) -> list[str]:
    """``n`` rows with distinct keys over six cities, five indicators and 65 years, in a
    shuffled order (a key's place in the file says nothing of its place in the key)."""
    keys = [(r, y, i) for r in REGIONS for y in YEARS for i in INDICATORS]
    pick = np.random.default_rng(seed).permutation(len(keys))[:n]
    return [f"{keys[k][0]},{keys[k][1]},{keys[k][2]},{10 + k % 89}.5,{UNITS[keys[k][2]]},,"
            f"{GOOD},x{k}\n" for k in pick]


def _stored(db) -> pd.DataFrame:
    with db.session() as s:
        rows = s.execute(select(ObservationRow.region_code, ObservationRow.period,
                                ObservationRow.indicator_code, ObservationRow.value,
                                ObservationRow.unit, ObservationRow.excerpt,
                                ObservationRow.source_quality)).all()
    return pd.DataFrame(rows).sort_values(["region_code", "period", "indicator_code"],
                        ignore_index=True)


def _one(db, path: Path, **kw) -> services.ImportResult:
    return next(services.import_files(db, [path], today=TODAY, **kw))


def test_the_log_is_copied_beside_the_writes_and_checkpoints_come_back(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    services.init_reference(db)
    with checkpoints_aside(db.engine) as copied:
        with db.engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        path = write(tmp_path, "a.csv", HEADER + "".join(_table(3000)))
        _one(db, path)
        wal = tmp_path / "x.db-wal"
        assert wal.stat().st_size > 0
        copied()
    with db.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
        busy, frames, done = c.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
    assert busy == 0 and frames == done  # nothing left to copy
    db.dispose()


def test_checkpoints_aside_leaves_other_databases_alone(db):
    with checkpoints_aside(db.engine) as copied:
        copied()  # nothing to do, nothing refused
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as c:
            assert c.execute(sql_text("SELECT 1")).scalar() == 1


def test_files_read_ahead_end_as_files_read_in_turn(ref_db, tmp_path):
    rows = _table(1950)
    files = [write(tmp_path, f"{k}.csv", HEADER + "".join(rows[k * 650:(k + 1) * 650]))
             for k in range(3)]
    ahead_results = list(services.import_files(ref_db, files, today=TODAY, read_ahead=True))
    in_turn = open_database(f"sqlite:///{tmp_path / 'turn.db'}")
    services.init_reference(in_turn)
    turn_results = list(services.import_files(in_turn, files, today=TODAY))
    assert [r.observations.as_dict() for r in ahead_results] == \
        [r.observations.as_dict() for r in turn_results] == \
        [{"inserted": 650, "revised": 0, "unchanged": 0, "outranked": 0}] * 3
    pd.testing.assert_frame_equal(_stored(ref_db), _stored(in_turn))
    in_turn.dispose()


@pytest.mark.parametrize("reviewed", [False, True], ids=["--machine-read", "--reviewed"])
def test_the_review_mark_of_lantu_import_reaches_every_file_read_ahead(ref_db, tmp_path,
                                                                       reviewed):
    rows = [r.replace(",,", ",machine_read,", 1) for r in _table(1200)] if reviewed \
        else _table(1200)
    files = [write(tmp_path, f"{k}.csv", HEADER + "".join(rows[k * 400:(k + 1) * 400]))
             for k in range(3)]
    res = list(services.import_files(ref_db, files, today=TODAY, read_ahead=True,
                                     reviewed=reviewed))
    assert [len(r.observations.inserted) for r in res] == [400, 400, 400]
    with ref_db.session() as s:
        flags = set(s.scalars(select(ObservationRow.flags)).all())
    assert flags == ({""} if reviewed else {"machine_read"})


def test_the_reading_process_ends_once_the_last_table_is_handed_over(ref_db, tmp_path):
    """The second process has nothing left to read once the last table is handed over: it
    ends while that table is written, not after."""
    import multiprocessing
    import time

    from lantu.ingest.ahead import ReadAhead

    rows = _table(600)
    files = [write(tmp_path, f"{k}.csv", HEADER + "".join(rows[k * 200:(k + 1) * 200]))
             for k in range(3)]
    cat = services.catalogue(ref_db, TODAY)
    before = set(multiprocessing.active_children())

    def reader() -> set:
        return set(multiprocessing.active_children()) - before

    with ReadAhead(files, cat, services.read_checked) as ahead:
        tables = [ahead.table(k) for k in range(2)]
        assert reader(), "the second process reads the third table"
        tables.append(ahead.table(2))
        deadline = time.monotonic() + 30
        while reader() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not reader()  # ended inside the block
    assert [len(t.frame) for t in tables] == [200, 200, 200]
