"""Security events (issue 12): logins, lockouts, refusals, token use and revocation, imports and
reviews are logged as JSON lines by one setup, and no password or token is ever in them."""

from __future__ import annotations

import json
import logging

from lantu.security_log import JsonFormatter, security_event, setup_logging
from lantu.store import Database, users
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


def test_cli_user_token_and_import_commands_log_security_events(default_db_template, tmp_path,
                                                                 monkeypatch):
    """What an administrator does at the terminal lands in the same record as the web's:
    adding, disabling and enabling a user, making and revoking a token, an import — and the
    password and the token printed once are not in it."""
    import shutil

    from typer.testing import CliRunner

    import lantu.security_log as sl
    from lantu.cli import app
    from lantu.config import get_settings

    shutil.copyfile(default_db_template, tmp_path / "cli.db")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    log_file = tmp_path / "log" / "security.jsonl"
    monkeypatch.setenv("LANTU_LOG_FILE", str(log_file))
    monkeypatch.setattr(sl, "_configured", False)
    get_settings.cache_clear()
    root = logging.getLogger("lantu")
    before, level = list(root.handlers), root.level
    runner = CliRunner()
    password = "Correct-Horse-Battery-41"
    try:
        def run(*args: str):
            res = runner.invoke(app, [*args, "--db", url])
            assert res.exit_code == 0, res.output
            return res

        run("user", "add", "wang", "--role", "analyst", "--password", password)
        token = run("user", "token", "wang").stdout.strip().splitlines()[-1]
        listing = run("user", "tokens", "wang").stdout
        assert token[:6] in listing and token not in listing
        db = Database(url)
        with db.session() as s:
            token_id = users.api_tokens(s, "wang")[0]["id"]
        db.dispose()
        run("user", "revoke-token", str(token_id))
        run("user", "disable", "wang")
        run("user", "enable", "wang")
        csv = run("export", "observations").stdout.splitlines()
        head, row = csv[0], csv[1].split(",")
        value = head.split(",").index("value")
        row[value] = str(float(row[value]) + 1)
        (tmp_path / "one.csv").write_text(head + "\n" + ",".join(row) + "\n", encoding="utf-8")
        run("import", str(tmp_path / "one.csv"))
        for h in root.handlers:
            h.flush()
    finally:
        for h in root.handlers:
            if h not in before:
                root.removeHandler(h)
                h.close()
        root.setLevel(level)
        get_settings.cache_clear()
    text = log_file.read_text(encoding="utf-8")
    records = [json.loads(line) for line in text.splitlines()]
    events = [r["event"] for r in records]
    for event in ("user_added", "token_created", "token_revoked", "user_disabled",
                  "user_enabled", "import"):
        assert event in events, (event, events)
    added = next(r for r in records if r["event"] == "user_added")
    assert added["user"] == "wang" and added["role"] == "analyst" and added["actor"] == "lantu cli"
    assert next(r for r in records if r["event"] == "import")["user"]
    assert password not in text and token not in text
