"""新型研发机构数量 counts the stock (session 14): the catalogue called it a flow while its name, the
extraction rules (extract14: "新型研发机构总数63家") and the gold (horizon14: "培育新型研发机构350家" by
2026, a level) read a stock. The catalogue says so now, and migration 0016 tells a database made
before; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.command import downgrade, upgrade
from sqlalchemy import text

from lantu import defaults
from lantu.store.db import _alembic_config
from webutil import backend_db


def test_the_catalogue_counts_the_stock():  # (main)
    ind = next(i for i in defaults.load_indicators() if i.code == "new_rd_institutions")
    assert not ind.flow and ind.unit == "家"
    # the flows that stay: the year's new units
    flows = {i.code for i in defaults.load_indicators() if i.flow}
    assert {"new_urban_jobs", "new_high_tech_enterprises", "new_parking_spaces"} <= flows


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_db(request, web_template_db, tmp_path):
    database = backend_db(request, web_template_db, tmp_path)
    yield database
    database.dispose()


def _flow(db) -> bool:
    with db.engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT flow FROM indicator WHERE code = 'new_rd_institutions'")).scalar())


def test_the_migration_tells_a_database_made_before(demo_db):  # (main)
    assert _flow(demo_db) is False
    cfg = _alembic_config(demo_db.url)
    with demo_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        downgrade(cfg, "0015_left12")
    assert _flow(demo_db) is True
    with demo_db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        upgrade(cfg, "head")
    assert _flow(demo_db) is False
