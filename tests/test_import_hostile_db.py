"""What a tired analyst or a hostile user feeds the importer — all or nothing in the database: failures after a flush, collisions and retries, concurrent imports; random valid observations export and import back unchanged.
Each file either imports correctly or is refused with its file, row, column and reason, and
nothing is half-written (helpers and fixtures: tests/hostile.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from hostile import HEADER, TODAY, _rows, snapshot, write
from lantu import defaults, services
from lantu.domain.observations import SOURCE_QUALITIES
from lantu.store import bulk as store_bulk
from lantu.store import repo
from lantu.store.models import ObservationRevisionRow, ObservationRow
from lantu.tabular import csv_frame, xlsx_frame

# -- all or nothing, collisions, concurrency (SQLite and PostgreSQL) -----------------------------


def test_a_failure_after_rows_were_flushed_leaves_nothing(ref_db, tmp_path, monkeypatch):
    services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + _rows([2021], 5121.61)),
                         today=TODAY)
    before = snapshot(ref_db)
    monkeypatch.setattr(repo, "CHUNK", 3)
    real, seen = repo._insert_chunk, []

    def failing(session, table, rows):
        if table is repo._REV:  # the new rows and the revised one are in the table by now
            seen.append(session.scalar(select(func.count()).select_from(ObservationRow)))
            seen.append(session.scalar(select(ObservationRow.value).where(
                ObservationRow.period == "2021")))
            raise RuntimeError("disk full")
        seen.append(len(rows))
        real(session, table, rows)

    monkeypatch.setattr(repo, "_insert_chunk", failing)
    text = HEADER + _rows([2021], 5200) + _rows(range(2000, 2010), 1)
    with pytest.raises(RuntimeError, match="disk full"):
        services.import_file(ref_db, write(tmp_path, "b.csv", text), today=TODAY)
    assert seen == [3, 3, 3, 2, 11, 5200.0]  # staged in four chunks; ten new rows, one revised…
    assert snapshot(ref_db) == before  # …and gone


def test_a_stale_read_collides_on_insert_and_is_retried(ref_db, tmp_path, monkeypatch):
    f = write(tmp_path, "a.csv", HEADER + _rows([2022], 5571.17))
    services.import_file(ref_db, f, today=TODAY)
    real, calls = store_bulk._matched, []

    def stale_once(session, staged, n):
        calls.append(1)
        matched, differing = real(session, staged, n)
        return (matched[:0], differing.iloc[:0]) if len(calls) == 1 else (matched, differing)

    monkeypatch.setattr(store_bulk, "_matched", stale_once)
    res = services.import_file(ref_db, f, today=TODAY)
    assert len(calls) == 2 and res.observations.unchanged == 1 and not res.observations.changed


def test_a_row_revised_meanwhile_is_retried_and_history_stays_whole(ref_db, tmp_path,
                                                                    monkeypatch):
    services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + _rows([2022], 1)), today=TODAY)
    services.import_file(ref_db, write(tmp_path, "b.csv", HEADER + _rows([2022], 2)), today=TODAY)
    real, calls = store_bulk._matched, []

    def old_version_once(session, staged, n):
        calls.append(1)
        matched, differing = real(session, staged, n)
        if len(calls) == 1:
            differing["version"] -= 1  # as read before the second import committed
        return matched, differing

    monkeypatch.setattr(store_bulk, "_matched", old_version_once)
    res = services.import_file(ref_db, write(tmp_path, "c.csv", HEADER + _rows([2022], 3)),
                               today=TODAY)
    assert len(calls) == 2 and res.observations.revised == [(("140100", "2022", "gdp"), 2.0, 3.0)]
    with ref_db.session() as s:
        oid = s.scalar(select(ObservationRow.id))
        assert [(h["version"], h["value"]) for h in repo.observation_history(s, oid)] == [
            (1, 1.0), (2, 2.0), (3, 3.0)]


def test_a_key_stored_meanwhile_changes_the_count_and_is_retried(ref_db, tmp_path,
                                                                 monkeypatch):
    """Some keys of a file are stored, others new: the new ones go in by INSERT … SELECT …
    WHERE NOT EXISTS, whose count must be the one the comparison gave (a key another writer
    stored in between would be skipped silently: the import is tried again instead)."""
    services.import_file(ref_db, write(tmp_path, "a.csv", HEADER + _rows([2020, 2022], 1)),
                         today=TODAY)
    real, calls = store_bulk._matched, []

    def one_missed(session, staged, n):  # 2022 looks new: stored by someone else meanwhile
        calls.append(1)
        matched, differing = real(session, staged, n)
        return (matched[matched != 2], differing) if len(calls) == 1 else (matched, differing)

    monkeypatch.setattr(store_bulk, "_matched", one_missed)
    f = write(tmp_path, "b.csv", HEADER + _rows([2020, 2021, 2022], 1))
    res = services.import_file(ref_db, f, today=TODAY).observations
    assert len(calls) == 2 and res.inserted == [("140100", "2021", "gdp")] and res.unchanged == 2


def test_endless_collisions_give_a_clear_error_and_change_nothing(ref_db, tmp_path, monkeypatch):
    f = write(tmp_path, "a.csv", HEADER + _rows([2022], 5571.17))
    services.import_file(ref_db, f, today=TODAY)
    before = snapshot(ref_db)
    monkeypatch.setattr(store_bulk, "_matched", lambda session, staged, n: (
        np.empty(0, dtype=int), pd.DataFrame(columns=["pos", "id", "version"])))
    monkeypatch.setattr(services, "IMPORT_ATTEMPTS", 2)
    with pytest.raises(services.LantuError, match="collided with other changes .* 2 times"):
        services.import_file(ref_db, f, today=TODAY)
    assert snapshot(ref_db) == before


def test_two_imports_of_overlapping_files_at_once(ref_db, tmp_path, monkeypatch):
    monkeypatch.setattr(repo, "CHUNK", 7)  # many statements, so the two really interleave
    regions = ["140100", "140200", "140700"]
    only_a, both, only_b = range(1950, 1970), range(1970, 2000), range(2000, 2020)
    a = HEADER + "".join(_rows([*only_a, *both], 1, r) for r in regions)
    b = HEADER + "".join(_rows([*both, *only_b], 2, r) for r in regions)
    files = [write(tmp_path, "a.csv", a), write(tmp_path, "b.csv", b)]
    start, errors, results = threading.Barrier(2), [], []

    def run(path):
        start.wait()
        try:
            results.append(services.import_file(ref_db, path, actor=path.stem, today=TODAY))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    with ref_db.session() as s:
        df = repo.observations_frame(s, with_ids=True)
        revs = s.execute(select(ObservationRevisionRow.observation_id,
                                ObservationRevisionRow.value)).all()
    assert len(df) == len(regions) * (len(only_a) + len(both) + len(only_b))
    df["year"] = df["period"].astype(int)
    overlap = df[df["year"].isin(both)]
    assert set(df[df["year"].isin(only_a)]["value"]) == {1.0}
    assert set(df[df["year"].isin(only_b)]["value"]) == {2.0}
    # one import came second for every shared key: its value stands, the other is history
    (winner,) = set(overlap["value"])
    assert set(overlap["version"]) == {2}
    assert sorted(oid for oid, _ in revs) == sorted(overlap["id"])
    assert {v for _, v in revs} == {3.0 - winner}
    assert sorted(len(r.observations.inserted) for r in results) == [
        len(regions) * 20, len(regions) * 50]


# -- round trip: random valid observations export and import back unchanged ---------------------

_CATALOGUE_INDICATORS = [i for i in defaults.load_indicators() if not i.is_derived]
_REGIONS = [r.code for r in defaults.load_regions()[0] if r.level in ("province", "city")]
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"))
                | st.sampled_from(list("=+-@'\n,\";，、")), max_size=40).map(str.strip)
_PERIOD = st.one_of(st.integers(1949, 2025).map(str),
                    st.tuples(st.integers(1949, 2025), st.integers(1, 4)).map(
                        lambda t: f"{t[0]}Q{t[1]}"),
                    st.tuples(st.integers(1949, 2025), st.integers(1, 12)).map(
                        lambda t: f"{t[0]}-{t[1]:02d}"))


def _value(ind):
    low, high = ind.bounds  # the admissible range of the catalogue (indicator_ranges.csv)
    low = -1e300 if low is None else low
    high = 1e300 if high is None else high
    # a subnormal is refused as too small to store exactly (indicators.number_problem)
    return st.floats(low, high, allow_nan=False, allow_infinity=False,
                     allow_subnormal=False) | st.floats(max(low, -1e6), min(high, 1e6),
                                                        allow_subnormal=False)


# a stored link is http(s) only (lantu.domain.links): any other text is refused, not kept
_URL = st.one_of(st.just(""), st.from_regex(
    r"https?://[a-z]{1,10}\.gov\.cn/[A-Za-z0-9_\-./?=&%~]{0,30}", fullmatch=True))


@st.composite
def observation_frames(draw):
    keys = draw(st.lists(st.tuples(st.sampled_from(_REGIONS), _PERIOD,
                                   st.sampled_from(_CATALOGUE_INDICATORS)),
                         min_size=1, max_size=20, unique_by=lambda k: (k[0], k[1], k[2].code)))
    rows = []
    for region, period, ind in keys:
        flags = draw(st.sets(st.sampled_from(["preliminary", "revised", "estimated",
                                              "weak_source"])))
        rows.append({"region_code": region, "period": period, "indicator": ind.code,
                     "value": draw(_value(ind)) + 0.0, "unit": ind.unit,
                     "flags": ";".join(f for f in ("preliminary", "revised", "estimated",
                                                   "weak_source") if f in flags),
                     "source_url": draw(_URL), "excerpt": draw(_TEXT),
                     "source_quality": draw(st.sampled_from(SOURCE_QUALITIES)),
                     "source_published": draw(st.sampled_from(["", "2023-03-01"]))})
    return pd.DataFrame(rows, columns=repo.OBSERVATION_COLUMNS).astype(
        {"source_quality": "str", "source_published": "str"})


def _frame_file(tmp_path: Path, df: pd.DataFrame, fmt: str, name: str) -> Path:
    p = tmp_path / f"{name}.{fmt}"
    if fmt == "csv":
        p.write_text(csv_frame(df), encoding="utf-8")
    else:
        p.write_bytes(xlsx_frame(df, "observations"))
    return p


def _stored(db) -> pd.DataFrame:
    with db.session() as s:
        return repo.observations_frame(s)


def _key_sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(["region_code", "indicator", "period"]).reset_index(drop=True)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(df=observation_frames(), fmt=st.sampled_from(["csv", "xlsx"]), data=st.data())
def test_round_trip_is_exact_idempotent_and_revises_only_what_changed(ref_db, tmp_path, df, fmt,
                                                                      data):
    with ref_db.session() as s:
        repo.delete_all_observations(s)
    first = services.import_file(ref_db, _frame_file(tmp_path, df, fmt, "in"), today=TODAY)
    assert len(first.observations.inserted) == len(df)
    stored = _stored(ref_db)
    expected = _key_sorted(df)
    pd.testing.assert_frame_equal(_key_sorted(stored), expected, check_exact=True)
    # what Lantu exports imports back unchanged: no change, no revision
    before = snapshot(ref_db)
    again = services.import_file(ref_db, _frame_file(tmp_path, stored, fmt, "out"), today=TODAY)
    assert not again.observations.changed and again.observations.unchanged == len(df)
    assert {k: v for k, v in snapshot(ref_db).items() if k not in ("import_batch", "audit_log")} \
        == {k: v for k, v in before.items() if k not in ("import_batch", "audit_log")}
    # change a random subset: exactly those become revisions
    changed = data.draw(st.sets(st.sampled_from(range(len(expected)))), label="changed")
    edited = expected.copy()
    for i in changed:
        old = edited.at[i, "value"]
        # another value within the admissible range (every range holds 0 … 1 and is closed
        # below at 0 or -100 when at all)
        # (half of a value near the smallest normal float would be too small to store exactly,
        # which the number rule refuses: add 1 there)
        edited.at[i, "value"] = (old / 2 if old > 1e-300 else old + 1 if old > -1e15
                                 else old / 4)
    res = services.import_file(ref_db, _frame_file(tmp_path, edited, fmt, "edit"), today=TODAY)
    want = {(expected.at[i, "region_code"], expected.at[i, "period"], expected.at[i, "indicator"])
            for i in changed}
    assert {k for k, _, _ in res.observations.revised} == want
    assert not res.observations.inserted and res.observations.unchanged == len(df) - len(want)
    with ref_db.session() as s:
        assert s.scalar(select(func.count()).select_from(ObservationRevisionRow)) == len(want)
