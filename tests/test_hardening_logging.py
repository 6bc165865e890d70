"""Security events (issue 12): logins, lockouts, refusals, token use and revocation, imports and
reviews are logged as JSON lines by one setup, and no password or token is ever in them."""

from __future__ import annotations

import json
import logging

from lantu.security_log import JsonFormatter, security_event, setup_logging
from lantu.store import users
from webutil import csrf_of, fresh_db, login, make_client


def test_security_events_are_logged_without_secrets(web_template_db, tmp_path, caplog):
    db = fresh_db(web_template_db, tmp_path)
    caplog.set_level(logging.INFO, logger="lantu")
    with make_client(db, tmp_path / "h") as client:
        for _ in range(6):
            client.post("/login", data={"username": "analyst", "password": "hunter2-secret-guess",
                                        "csrf_token": csrf_of(client)})
        login(client, "viewer")
        client.get("/import")  # a viewer may not import
        r = client.post("/account/tokens", data={"name": "n", "password": "viewer-demo-2026",
                                                 "csrf_token": csrf_of(client, "/account")})
        token = r.text.split('class="token">')[1].split("<")[0]
        client.cookies.clear()
        client.get("/api/v1/regions", headers={"Authorization": f"Bearer {token}"})
        client.get("/api/v1/regions", headers={"Authorization": "Bearer lt_forged-token-value-abcdef"})
    with db.session() as s:
        tid = users.api_tokens(s, "viewer")[0]["id"]
        users.revoke_api_token(s, tid, actor="viewer")
    db.dispose()
    records = [r for r in caplog.records if r.name == "lantu.security"]
    events = {r.event for r in records}
    assert {"login_failed", "login_throttled", "login_ok", "permission_refused",
            "token_created", "token_used", "token_refused", "token_revoked"} <= events
    lines = [JsonFormatter().format(r) for r in records]
    for line in lines:
        doc = json.loads(line)
        assert doc["event"] and doc["time"]
        for secret in ("hunter2-secret-guess", "viewer-demo-2026", token, "lt_forged-token-value-abcdef"):
            assert secret not in line
    throttled = next(json.loads(x) for x in lines if '"login_throttled"' in x)
    assert throttled["user"] == "analyst" and throttled["level"] == "warning"


def test_fields_named_like_secrets_are_dropped(caplog):
    caplog.set_level(logging.INFO, logger="lantu")
    security_event("login_failed", user="u", password="p@ss", csrf_token="c", token_value="t")
    line = JsonFormatter().format(caplog.records[-1])
    assert "p@ss" not in line and '"c"' not in line and '"t"' not in line and '"u"' in line


def test_logging_goes_to_a_private_file(tmp_path, monkeypatch):
    import lantu.security_log as sl

    monkeypatch.setattr(sl, "_configured", False)
    root = logging.getLogger("lantu")
    before = list(root.handlers)
    try:
        setup_logging(tmp_path / "log" / "security.jsonl")
        setup_logging(tmp_path / "other.jsonl")  # once only
        security_event("import", user="x", file="a.csv")
        for h in root.handlers:
            h.flush()
        path = tmp_path / "log" / "security.jsonl"
        assert json.loads(path.read_text().splitlines()[-1])["event"] == "import"
        assert path.stat().st_mode & 0o077 == 0 and not (tmp_path / "other.jsonl").exists()
    finally:
        for h in root.handlers:
            if h not in before:
                root.removeHandler(h)
                h.close()
