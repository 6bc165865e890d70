"""``lantu serve`` switches uvicorn's own proxy handling off (audit9: docs/security.md says so,
and no test held it). uvicorn believes ``X-Forwarded-For`` from 127.0.0.1 by default, so a
client of a local proxy — or any local process — would choose the address the login throttle
counts; only ``lantu.web.edge.ProxyHeaders`` (``LANTU_TRUSTED_PROXIES``) may believe it."""

from __future__ import annotations

import pytest

from lantu.cli import web as cli_web


@pytest.mark.parametrize("workers", [1, 2])
def test_lantu_serve_runs_uvicorn_without_its_proxy_headers(workers, db_url, monkeypatch):
    import uvicorn

    from lantu.store import Database

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append(kw))
    monkeypatch.delenv("LANTU_DATABASE_URL", raising=False)
    db = Database(db_url)
    try:
        cli_web._run(db, "127.0.0.1", 8999, workers=workers)
    finally:
        db.dispose()
    (kw,) = calls
    assert kw.get("proxy_headers") is False, kw
