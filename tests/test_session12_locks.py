"""The store's advisory locks belong to one Lantu instance (a schema), not to the server
database: two instances sharing a database import at once, one instance's imports still wait
for each other (:func:`lantu.store.db.hold_instance_lock`)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from lantu import services
from lantu.store import open_database
from lantu.store.db import hold_instance_lock
from lantu.store.users import _NAMES_LOCK


@pytest.fixture
def two_instances(postgres_db_factory):
    a, b = open_database(postgres_db_factory()), open_database(postgres_db_factory())
    yield a, b
    a.dispose()
    b.dispose()


def _waits(db, key: int) -> bool:
    """Whether taking ``key`` in ``db`` has to wait (given up after 300 ms)."""
    with db.session() as s:
        s.execute(text("SET LOCAL lock_timeout = '300ms'"))
        try:
            hold_instance_lock(s, key)
        except OperationalError as exc:
            assert getattr(exc.orig, "sqlstate", None) == "55P03"  # lock_not_available
            return True
        s.rollback()
        return False


@pytest.mark.parametrize("key", [services._IMPORT_LOCK, _NAMES_LOCK])
def test_an_instance_lock_holds_its_own_instance_only(two_instances, key):
    a, b = two_instances
    with a.session() as holder:
        hold_instance_lock(holder, key)
        assert _waits(a, key)  # the same instance waits for the holder
        assert not _waits(b, key)  # another schema of the same database does not
        holder.rollback()
    assert not _waits(a, key)  # the transaction's end let it go


def test_an_import_in_one_instance_does_not_wait_for_another(two_instances, tmp_path):
    a, _ = two_instances
    # b's connections give up a lock after 2 s (on the old, database-wide lock this import
    # would wait for a's holder, which waits for it: refused instead of hanging)
    url = make_url(two_instances[1].url)
    b = open_database(url.update_query_dict(
        {"options": url.query["options"] + " -clock_timeout=2000"}).render_as_string(
        hide_password=False))
    for db in (a, b):
        services.init_reference(db)
    table = tmp_path / "t.csv"
    table.write_text("region_code,period,indicator,value,unit,source_url\n"
                     "140100,2023,gdp,5573.7,亿元,https://tjj.taiyuan.gov.cn/x.html\n",
                     encoding="utf-8")
    with a.session() as holder:  # an import of instance a under way
        hold_instance_lock(holder, services._IMPORT_LOCK)
        result = services.import_file(b, table)  # b's import does not wait for it
        assert len(result.observations.inserted) == 1
        holder.rollback()
    b.dispose()
