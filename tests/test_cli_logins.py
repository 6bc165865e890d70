"""Signing in after setup: `lantu init --demo` says how to create a first admin, `lantu demo
--no-serve` creates and prints the demo logins, `lantu user add --email` keeps the address."""

from __future__ import annotations

import os

os.environ.setdefault("LANTU_PASSWORD_PROFILE", "test")

from typer.testing import CliRunner  # noqa: E402

from lantu.cli import app  # noqa: E402
from lantu.store import Database, users  # noqa: E402

runner = CliRunner()


def test_init_demo_tells_how_to_create_the_first_admin_then_stops_telling(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    res = runner.invoke(app, ["init", "--demo", "--db", url])
    assert res.exit_code == 0, res.output
    assert "lantu user add NAME --role admin" in res.output
    res = runner.invoke(app, ["user", "add", "chief", "--role", "admin", "--password",
                              "office-pass-for-2026-x", "--email", "chief@dcs.example.cn", "--db", url])
    assert res.exit_code == 0, res.output
    db = Database(url)
    with db.session() as s:
        assert users.get_user(s, "chief").email == "chief@dcs.example.cn"
    db.dispose()
    res = runner.invoke(app, ["init", "--db", url])
    assert res.exit_code == 0 and "lantu user add NAME --role admin" not in res.output
    res = runner.invoke(app, ["user", "list", "--db", url])
    assert "chief@dcs.example.cn" in res.output


def test_user_add_refuses_a_malformed_email(tmp_path):
    url = f"sqlite:///{tmp_path / 'b.db'}"
    assert runner.invoke(app, ["init", "--db", url]).exit_code == 0  # a missing file: refused (probe22)
    res = runner.invoke(app, ["user", "add", "x1", "--role", "viewer", "--password",
                              "pass-word-long-enough", "--email", "not-an-address", "--db", url])
    assert res.exit_code == 1 and "not an e-mail address" in res.output
    db = Database(url)
    with db.session() as s:
        assert users.get_user(s, "x1") is None
    db.dispose()


def test_demo_no_serve_creates_and_prints_logins(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    res = runner.invoke(app, ["demo", "--no-serve", "--db", url])
    assert res.exit_code == 0, res.output
    assert "supervisor-demo-2026" in res.output and "rep_fgw" in res.output
    db = Database(url)
    with db.session() as s:
        user = users.authenticate(s, "supervisor", "supervisor-demo-2026", "127.0.0.1")
        assert user is not None and user.role == "supervisor"
    db.dispose()
