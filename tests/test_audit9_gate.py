"""The one gate's rules that no test failed without (audit9, a mutation audit of
docs/security.md): a figure of an indicator the catalogue does not hold is refused by every
write — the store itself, an import and the API — as the gate's own problem naming the
``indicator`` (not a database error), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lantu import services
from lantu.domain import Observation
from lantu.domain.gate import GateRefused
from lantu.ingest.tables import ImportRefused
from lantu.store import repo, users
from lantu.store.models import ObservationRow
from webutil import backend_db, make_client

TODAY = date(2026, 11, 26)


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path):
    db = backend_db(request, web_template_db, tmp_path)
    with db.session() as s:
        token = users.create_api_token(s, "analyst", "audit9")
    with make_client(db, tmp_path / "home") as client:
        yield client, db, {"Authorization": f"Bearer {token}"}
    db.dispose()


def _count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(ObservationRow))


def test_a_figure_of_an_unknown_indicator_is_refused_by_every_write(env, tmp_path):
    client, db, auth = env
    before = _count(db)
    with db.session() as s, pytest.raises(GateRefused) as info:
        repo.apply_observations(s, [Observation("140100", "2022", "no_such_indicator", 1.0, "")])
    assert info.value.field == "indicator" and "unknown indicator" in str(info.value)

    path = tmp_path / "unknown.csv"
    path.write_text("region_code,period,indicator,value,unit\n140100,2022,gdp,5000,亿元\n"
                    "140100,2022,no_such_indicator,1,\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        services.import_file(db, path, today=TODAY)
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "indicator")]

    r = client.post("/api/v1/observations", headers=auth, json={
        "region_code": "140100", "period": "2022", "indicator": "no_such_indicator", "value": 1.0,
        "source_url": "https://tjj.taiyuan.gov.cn/audit9"})
    assert r.status_code == 422, r.text
    assert "indicator" in {e["field"] for e in r.json()["errors"]}
    assert _count(db) == before
