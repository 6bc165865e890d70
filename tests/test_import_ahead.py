"""Reading ahead (``lantu import``): a large table read in two parts — the first here, the rest
in a second process — and written part by part in one transaction gives exactly what one
reading gives (rows, counts, refusals); SQLite's log is copied beside the writing
(:mod:`lantu.ingest.ahead`, :func:`lantu.store.db.checkpoints_aside`).

Most tests run the second process as a thread (the same code paths, and no fork inside a test
process that may run servers in threads); one runs ``import_files`` in a fresh process, where
the second process is forked as in ``lantu import``."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy import text as sql_text

from hostile import HEADER, TODAY, snapshot, write
from lantu import defaults, services
from lantu.ingest import ahead, bulk
from lantu.ingest.bulk import FrameTable
from lantu.ingest.tables import ImportRefused
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


@pytest.fixture
def in_parts(monkeypatch):
    """Every plain table is read in parts, the second process being a thread here."""
    monkeypatch.setattr(ahead, "SPLIT_BYTES", 1)
    monkeypatch.setattr(ahead, "_pool", lambda files: (ThreadPoolExecutor(1), True))
    seen: list[tuple[int, int]] = []
    rest = ahead.Parts.rest

    def spy(self):
        got = rest(self)
        seen.append((len(self.first.frame), len(got.frame)))
        return got

    monkeypatch.setattr(ahead.Parts, "rest", spy)
    return seen


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


def test_a_table_read_in_parts_imports_as_one_reading_does(ref_db, tmp_path, in_parts,
                                                           db_url):
    rows = _table(1500)
    path = write(tmp_path, "big.csv", HEADER + "".join(rows))
    res = _one(ref_db, path, read_ahead=True)
    assert in_parts == [(450, 1050)]  # 30 % here, the rest there
    assert res.observations.as_dict() == {"inserted": 1500, "revised": 0, "unchanged": 0,
                                          "outranked": 0}
    parted = _stored(ref_db)
    assert len(parted) == 1500
    # the same file read at once into a fresh database: the same rows
    other = open_database(f"sqlite:///{tmp_path / 'whole.db'}")
    services.init_reference(other)
    _one(other, path)
    pd.testing.assert_frame_equal(parted, _stored(other))
    other.dispose()
    # again: every row found unchanged, read in parts as well
    again = _one(ref_db, path, read_ahead=True)
    assert (len(again.observations.inserted), again.observations.unchanged) == (0, 1500)
    assert len(in_parts) == 2


def test_plain_part_cuts_by_key_text_and_keeps_file_order(tmp_path):
    rows = _table(1900, seed=3)
    plain = bulk.read_plain(write(tmp_path, "t.csv", HEADER + "".join(rows)))
    first, rest = bulk.plain_part(plain, (0, 0.3)), bulk.plain_part(plain, (0.3, 1))
    assert (len(first.lines), len(rest.lines)) == (570, 1330)
    assert sorted([*first.lines, *rest.lines]) == list(plain.lines)  # every row once
    assert list(first.lines) == sorted(first.lines) and list(rest.lines) == sorted(rest.lines)

    def keys(p):
        return [tuple(p.cells[p.canon.index(c)][k] for c in ("region", "period", "indicator"))
                for k in range(len(p.lines))]
    assert max(keys(first)) < min(keys(rest))  # a range of keys each
    # a short table is not cut: its first part is the whole
    small = bulk.read_plain(write(tmp_path, "s.csv", HEADER + "".join(rows[:50])))
    assert len(bulk.plain_part(small, (0, 0.3)).lines) == 50
    assert len(bulk.plain_part(small, (0.3, 1)).lines) == 0


def test_problems_in_both_parts_are_refused_as_one_reading_refuses_them(ref_db, tmp_path,
                                                                        in_parts):
    rows = _table(1500)
    rows[4] = "140100,1961,gdp,-3,亿元,,,\n" if "140100,1961,gdp" not in "".join(rows) \
        else rows[4].replace(",,", ",bogus_flag,", 1)
    rows[1400] = "140600,2031,gdp,1,亿元,,,\n"  # a future year, keyed after everything else
    path = write(tmp_path, "bad.csv", HEADER + "".join(rows))
    before = snapshot(ref_db)
    with pytest.raises(ImportRefused) as parted:
        _one(ref_db, path, read_ahead=True)
    with pytest.raises(ImportRefused) as whole:
        _one(ref_db, path)
    assert [(p.row, p.column, p.reason) for p in parted.value.problems] == \
        [(p.row, p.column, p.reason) for p in whole.value.problems]
    assert [p.row for p in parted.value.problems] == [6, 1402]  # one in each part
    assert snapshot(ref_db) == before


@pytest.mark.parametrize("value", ["10.5", "99.5"], ids=["same value", "another value"])
def test_a_key_given_in_both_parts_is_judged_as_one_reading_judges_it(ref_db, tmp_path,
                                                                      in_parts, value):
    """太原市 and 140100 are one region: the row written by name sorts after every code, so
    the two rows of the key fall in different parts."""
    rows = [r for r in _table(1500) if not r.startswith("140100,1960,gdp,")]
    rows.insert(0, f"140100,1960,gdp,10.5,亿元,,{GOOD},x\n")
    rows.append(f"太原市,1960,gdp,{value},亿元,,{GOOD},x\n")
    path = write(tmp_path, "twice.csv", HEADER + "".join(rows))
    whole_db = open_database(f"sqlite:///{tmp_path / 'whole.db'}")
    services.init_reference(whole_db)
    if value == "10.5":  # the same value twice: stored once
        res = _one(ref_db, path, read_ahead=True)
        assert len(res.observations.inserted) == len(rows) - 1
        assert res.observations.as_dict() == _one(whole_db, path).observations.as_dict()
        pd.testing.assert_frame_equal(_stored(ref_db), _stored(whole_db))
    else:  # two values for one key: refused, as one reading refuses it
        with pytest.raises(ImportRefused) as parted:
            _one(ref_db, path, read_ahead=True)
        with pytest.raises(ImportRefused) as whole:
            _one(whole_db, path)
        assert [str(p) for p in parted.value.problems] == [str(p) for p in whole.value.problems]
        with ref_db.session() as s:
            assert s.scalar(select(func.count()).select_from(ObservationRow)) == 0
    whole_db.dispose()


def _frame_table(sha: str, keys: list[tuple[str, str, str]]) -> FrameTable:
    frame = pd.DataFrame(keys, columns=["region_code", "period", "indicator_code"])
    return FrameTable("f.csv", "long", "utf-8", sha, frame)


def test_parts_that_do_not_make_up_the_table_send_it_to_be_read_whole():
    first = _frame_table("a", [("140100", "2020", "gdp")])
    done: Future = Future()
    done.set_result(_frame_table("b", [("140100", "2021", "gdp")]))  # the file changed
    with pytest.raises(ahead.WholeAgain):
        ahead.Parts(first, done, lambda: None).rest()
    failed: Future = Future()
    failed.set_exception(ImportRefused("f.csv", []))  # a part refused: refusals are whole
    with pytest.raises(ahead.WholeAgain):
        ahead.Parts(first, failed, lambda: None).rest()
    fits: Future = Future()
    fits.set_result(_frame_table("a", [("140100", "2021", "gdp")]))
    parts = ahead.Parts(first, fits, lambda: None)
    assert [len(t.frame) for t in parts.tables()] == [1, 1]


def test_a_file_that_changes_into_another_kind_between_readings_is_refused(ref_db, tmp_path,
                                                                            monkeypatch):
    monkeypatch.setattr(ahead, "SPLIT_BYTES", 1)
    monkeypatch.setattr(ahead, "_pool", lambda files: (ThreadPoolExecutor(1), True))
    path = write(tmp_path, "big.csv", HEADER + "".join(_table(1500)))
    read = services.read_checked

    first_read = threading.Event()

    def reader(p, cat, name=None, part=None):  # the rest is read after a quote came in
        if part is not None and part[0] == 0:
            got = read(p, cat, name, part)
            first_read.set()
            return got
        if part is not None:
            assert first_read.wait(60)
            Path(p).write_text(HEADER + '140100,2020,gdp,"1",亿元,,,\n', encoding="utf-8")
        return read(p, cat, name, part)

    monkeypatch.setattr(services, "read_checked", reader)
    before = snapshot(ref_db)
    with pytest.raises(services.LantuError, match="changed while it was read"):
        _one(ref_db, path, read_ahead=True)
    assert snapshot(ref_db) == before


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


_SCRIPT = """
import json, sys
from lantu import defaults, services
from lantu.ingest import ahead
from lantu.store import open_database
seen = []
rest = ahead.Parts.rest
def spy(self):
    got = rest(self)
    seen.append([len(self.first.frame), len(got.frame)])
    return got
ahead.Parts.rest = spy
if __name__ == "__main__":
    db = open_database(sys.argv[1])
    services.init_reference(db)
    out = [r.observations.as_dict() for r in
           services.import_files(db, sys.argv[2:], read_ahead=True)]
    print(json.dumps({"parts": seen, "results": out}))
"""


def _wide_table(n: int) -> list[str]:
    """``n`` rows over every region and plain indicator of the catalogue, values within each
    indicator's admissible range."""
    regions = [r.code for r in defaults.load_regions()[0]]
    indicators = [i for i in defaults.load_indicators() if not i.is_derived]
    keys = [(r, y, i) for r in regions for y in YEARS for i in range(len(indicators))]
    out = []
    for k in np.random.default_rng(11).permutation(len(keys))[:n]:
        region, year, i = keys[k]
        ind = indicators[i]
        low, high = ind.bounds
        value = max(low or 0.0, min(high if high is not None else 1e5, 10 + k % 89))
        out.append(f"{region},{year},{ind.code},{value},{ind.unit},,{GOOD},统计公报第{k}条数据\n")
    return out


def test_lantu_import_forks_its_second_process_and_reads_the_first_file_in_parts(tmp_path):
    """In a fresh process, as ``lantu import`` runs: the second process is forked, the first
    file (over :data:`ahead.SPLIT_BYTES`) read in parts, the second read ahead whole."""
    rows = _wide_table(24_000)
    a = write(tmp_path, "a.csv", HEADER + "".join(rows[:20_000]))
    b = write(tmp_path, "b.csv", HEADER + "".join(rows[20_000:]))
    assert a.stat().st_size >= ahead.SPLIT_BYTES > b.stat().st_size
    script = tmp_path / "run.py"
    script.write_text(_SCRIPT, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'fork.db'}"
    done = subprocess.run([sys.executable, str(script), url, str(a), str(b)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["parts"] == [[6000, 14000]]
    assert [r["inserted"] for r in out["results"]] == [20_000, 4_000]
    db = open_database(url)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ObservationRow)) == 24_000
    db.dispose()


@pytest.mark.parametrize("reviewed", [False, True], ids=["--machine-read", "--reviewed"])
def test_the_review_mark_of_lantu_import_reaches_every_part(ref_db, tmp_path, in_parts,
                                                           reviewed):
    rows = [r.replace(",,", ",machine_read,", 1) for r in _table(1500)] if reviewed \
        else _table(1500)
    path = write(tmp_path, "big.csv", HEADER + "".join(rows))
    res = next(services.import_files(ref_db, [path], today=TODAY, read_ahead=True,
                                     reviewed=reviewed))
    assert in_parts == [(450, 1050)] and len(res.observations.inserted) == 1500
    with ref_db.session() as s:
        flags = set(s.scalars(select(ObservationRow.flags)).all())
    assert flags == ({""} if reviewed else {"machine_read"})
