"""The embedded default loads every row of the shared raw data, with sources and flags."""

from __future__ import annotations

import csv

import pytest

from lantu import defaults, services
from lantu.store import repo


def _raw_rows(shared_dir, name):
    with open(shared_dir / "data" / "raw" / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_package_copy_matches_shared(shared_dir):
    for name in (*defaults.RAW_OBSERVATION_FILES, "targets.csv"):
        assert (defaults.DATA / "raw" / name).read_bytes() == (shared_dir / "data" / "raw" / name).read_bytes()


def test_every_raw_observation_loads_with_its_source(default_db, shared_dir):
    """Each raw row is the current value, or — where an official text of the corpus states the
    same key — a revision the official value outranked; either way with its source and note."""
    from sqlalchemy import select

    from lantu.domain import is_official, quality_rank
    from lantu.store.models import ObservationRevisionRow, ObservationRow

    with default_db.session() as s:
        names = {r.name_zh: r.code for r in repo.regions(s)}
        rows = {(r.region_code, r.period, r.indicator_code): r
                for r in s.scalars(select(ObservationRow))}
        revs = {}
        for rev, obs in s.execute(select(ObservationRevisionRow, ObservationRow).join(
                ObservationRow, ObservationRow.id == ObservationRevisionRow.observation_id)):
            revs.setdefault((obs.region_code, obs.period, obs.indicator_code), []).append(rev)
        total = outranked = third = 0
        for name in defaults.RAW_OBSERVATION_FILES:
            for row in _raw_rows(shared_dir, name):
                total += 1
                key = (names[row["region"]], row["year"], row["indicator"])
                assert key in rows, f"{name}: row {row} was lost"
                cur = rows[key]
                if cur.source_url == row["source_url"] and cur.excerpt == row["excerpt"]:
                    held, quality = cur, cur.source_quality
                    # the note, and the reason of a documented correction (overrides.csv) after it
                    assert cur.source_note == row["note"] or \
                        cur.source_note.startswith(row["note"] + "; corrected: ")
                else:
                    held = next(r for r in revs[key] if r.source_url == row["source_url"]
                                and r.excerpt == row["excerpt"])
                    quality = held.source_quality
                    assert held.reason == "outranked"
                    assert is_official(cur.source_quality)
                    assert quality_rank(cur.source_quality) >= quality_rank(quality)
                    outranked += 1
                assert held.value == pytest.approx(float(row["value"]))
                expected = set(defaults.flags_from_note(row["note"]))
                assert set(filter(None, held.flags.split(";"))) >= expected
                third += quality == "third_party"
    assert total == 135  # 72 + 40 + 23 rows in the three files
    assert third >= 80  # mostly reposts (shared/data/README.md)
    assert outranked >= 20


def test_flags_from_notes():
    assert defaults.flags_from_note("") == []
    assert defaults.flags_from_note("preliminary") == ["preliminary"]
    assert defaults.flags_from_note("from 2021年晋中市经济运行情况 (repost); preliminary") == [
        "preliminary", "weak_source"]
    assert defaults.flags_from_note("converted from 人 (divided by 10000)") == []
    assert defaults.flags_from_note("14051张 converted to 万张 (/10000)") == []


def test_every_raw_target_loads(default_db, shared_dir):
    raw = _raw_rows(shared_dir, "targets.csv")
    with default_db.session() as s:
        stored = repo.targets(s)
    from_raw = [t for t in stored if t.source.file == "defaults/raw/targets.csv"]
    dropped = [o for o in defaults.load_overrides()
               if o["file"] == "raw/targets.csv" and o["action"] == "drop"]
    assert len(raw) == 84 and len(from_raw) == len(raw) - len(dropped) == 78
    # ranges and 力争 are read, not lost
    gdp2021 = [t for t in from_raw if t.indicator_code == "gdp_growth" and str(t.target_period) == "2021"]
    assert [(t.value, t.value_high) for t in gdp2021] == [(8.0, 8.5)]
    gdp2022 = sorted((t.value, t.qualifier) for t in from_raw
                     if t.indicator_code == "gdp_growth" and str(t.target_period) == "2022")
    assert gdp2022 == [(7.0, None), (7.5, "力争")]
    zone = [t for t in from_raw if t.region_code == "Z14001"]
    assert len(zone) == sum(1 for r in raw if r["region"] == "太忻一体化经济区") == 3


def test_init_default_is_idempotent(default_db):
    before = services.counts(default_db)
    services.init_default(default_db)
    assert services.counts(default_db) == before
    with default_db.session() as s:
        plan = repo.load_plan(s)
    assert [n.code for n in plan.children] == ["P0", "T1", "T2", "T3", "T4", "T5", "T6", "T7"]


def test_derived_indicator_is_computed_on_demand(default_db):
    with default_db.session() as s:
        share = repo.indicator_values(s, "tertiary_share", regions=["140100"])
        parts = repo.observations_frame(s, regions=["140100"], indicators=["va_tertiary", "gdp"])
    assert not share.empty and share["derived"].all()
    wide = parts.pivot_table(index="period", columns="indicator", values="value").dropna()
    for r in share.itertuples():
        assert r.value == pytest.approx(wide.loc[r.period, "va_tertiary"] / wide.loc[r.period, "gdp"] * 100)
    assert len(share) == len(wide)
