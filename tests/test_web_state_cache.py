"""The overview's data-version check is cached per database and process: a write committed by
this process shows at once, a read-only request does not invalidate it, and a write by another
process shows within the time-to-live."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text

from lantu.store import db as store_db
from lantu.store import queries
from lantu.store.models import AuditLogRow


def _audit(session, action: str) -> None:
    session.add(AuditLogRow(actor="test", action=action, entity="test"))


def test_read_only_transaction_keeps_generation(db):
    with db.session() as s:
        _audit(s, "seed")
    before = store_db.write_generation()
    with db.session() as s:
        s.scalars(select(AuditLogRow)).all()
    assert store_db.write_generation() == before


def test_write_in_this_process_shows_at_once(db, monkeypatch):
    monkeypatch.setattr(queries, "STATE_VERSION_TTL", 3600.0)
    with db.session() as s:
        first = queries.state_version(s)
    with db.session() as s:
        assert queries.state_version(s) == first  # cached, and still right
    before = store_db.write_generation()
    with db.session() as s:
        _audit(s, "change")
    assert store_db.write_generation() > before
    with db.session() as s:
        second = queries.state_version(s)
    assert second != first


def test_rolled_back_write_keeps_generation(db):
    before = store_db.write_generation()
    with pytest.raises(RuntimeError), db.session() as s:
        _audit(s, "never")
        s.flush()
        raise RuntimeError("abort")
    assert store_db.write_generation() == before


class _Clock:
    """The clock ``queries`` reads, moved by the test: a machine that stalls between two
    requests (a loaded CI runner) cannot make the time-to-live run out before it should."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def test_write_by_another_process_shows_within_ttl(db, monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(queries, "time", clock)
    with db.session() as s:
        first = queries.state_version(s)
    # an engine not made by Lantu stands for another process: its commits are not tracked
    other = create_engine(db.url)
    before = store_db.write_generation()
    with other.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, actor, action, entity, entity_id) "
                          "VALUES (CURRENT_TIMESTAMP, 'x', 'outside', 'test', '')"))
    other.dispose()
    assert store_db.write_generation() == before
    clock.now += queries.STATE_VERSION_TTL * 0.9
    with db.session() as s:
        assert queries.state_version(s) == first  # not seen yet: within the time-to-live
    clock.now += queries.STATE_VERSION_TTL * 0.2
    with db.session() as s:
        assert queries.state_version(s) != first


def test_two_databases_do_not_share_a_version(tmp_path):
    from lantu.store import open_database

    a, b = open_database(f"sqlite:///{tmp_path}/a.db"), open_database(f"sqlite:///{tmp_path}/b.db")
    try:
        with a.session() as s:
            _audit(s, "only in a")
        with a.session() as s:
            va = queries.state_version(s)
        with b.session() as s:
            vb = queries.state_version(s)
        assert va != vb
    finally:
        a.dispose()
        b.dispose()


def test_two_copies_of_one_database_never_share_a_version(tmp_path):
    """Caches are keyed by these versions: two databases holding the same rows (a copy of one
    file) must give different versions, or one database's cached page or demonstration flag would
    be served for the other (found when tests on copies of one default ran in one process)."""
    import shutil

    from lantu.evaluation.demo import is_demo
    from lantu.store import Database

    a = Database(f"sqlite:///{tmp_path / 'a.db'}")
    a.migrate()
    a.dispose()
    shutil.copyfile(tmp_path / "a.db", tmp_path / "b.db")
    a, b = Database(f"sqlite:///{tmp_path / 'a.db'}"), Database(f"sqlite:///{tmp_path / 'b.db'}")
    with a.session() as sa, b.session() as sb:
        assert queries.data_version(sa) != queries.data_version(sb)
        assert queries.state_version(sa) != queries.state_version(sb)
        assert queries.state_version(sa).split("-", 1)[1] == queries.state_version(sb).split("-", 1)[1]
        assert is_demo(sa) is False and is_demo(sb) is False
    a.dispose()
    b.dispose()
