"""Headers a client controls, read as what they hold: Starlette reads every header as Latin-1.
A UTF-8 ``User-Agent`` was kept with the session as mojibake (``微信`` as ``å¾®ä¿¡``, its C1
bytes as U+FFFD); an ``X-Forwarded-For`` entry from a trusted proxy was taken as the client's
address whatever it held — text, a port, bytes beyond ASCII, decoded as Latin-1 — and so
counted by the login throttle, logged and stored. Now a told header is decoded as UTF-8
(``edge.header_text``) and the proxy's header believed for IP addresses only
(``edge.forwarded_address``). SQLite and PostgreSQL; each test failed on the code before.

Lantu reads no ``Referer`` or ``Origin`` (CSRF is a token, ``deps.csrf_protect``); the CSRF
token header, the bearer token and a multipart form's field and file names were made safe
before (``tests/test_hardening_round5.py``).
"""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lantu.store.models_web import LoginAttemptRow, WebSessionRow
from webutil import backend_app, csrf_of, make_client

PROXY = "10.1.2.3"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("seams8h"), (),
                     "seams8h") as app:
        yield app


@pytest.mark.parametrize("sent, kept", [
    ("Mozilla/5.0 (Linux; Android 14; 微信 8.0.50…)".encode(),
     "Mozilla/5.0 (Linux; Android 14; 微信 8.0.50…)"),
    ("Mozilla/5.0 Ünïcödé".encode(), "Mozilla/5.0 Ünïcödé"),
    ("Agent \u202e gpj.exe".encode(), "Agent \ufffd gpj.exe"),  # what no text may hold
])
def test_a_user_agent_is_kept_as_the_text_it_holds(env, sent, kept):
    client, _, db, _ = env
    client.cookies.clear()
    with db.session() as s:
        ids = set(s.scalars(select(WebSessionRow.id)))
    r = client.post("/login", headers={"user-agent": sent}, data={
        "username": "viewer", "password": "viewer-demo-2026", "csrf_token": csrf_of(client)})
    assert r.status_code == 303, r.text[:300]
    with db.session() as s:
        (new,) = [row for row in s.scalars(select(WebSessionRow)) if row.id not in ids]
        assert new.user_agent == kept
    client.cookies.clear()


def test_a_told_header_is_read_as_utf8_with_bytes_that_are_not_shown_so():
    """The bytes as the server gets them (the test client re-encodes what is not UTF-8)."""
    from lantu.web.edge import header_text

    def told(raw: bytes) -> str:
        return header_text({"headers": [(b"accept", b"*/*"), (b"user-agent", raw)]},
                           b"user-agent")

    assert told("微信 8.0…".encode()) == "微信 8.0…"
    assert told(b"Agent \xff\xfe cut \xe5\xbe") == "Agent \ufffd\ufffd cut \ufffd"
    assert told("a\x85b\x9bc".encode()) == "a\ufffdb\ufffdc"  # C1, from UTF-8 or not
    assert told(b"") == "" and len(told("微".encode() * 1000)) == 300


@pytest.mark.parametrize("xff", [
    b"<script>alert(1)</script>", b"unknown", "１９８.51.100.7".encode(),
    b"198.51.100.\xff", b"evil.example", b"198.51.100.7, garbage",
])
def test_a_forwarded_entry_that_is_no_address_is_not_believed(env, xff, caplog):
    client, _, db, home = env
    app = make_client(db, home, trusted_proxies="10.0.0.0/8").app
    proxy = TestClient(app, follow_redirects=False, client=(PROXY, 4000))
    caplog.set_level(logging.INFO, logger="lantu.security")
    name = f"probe{abs(hash(xff)) % 10**6}"  # a name of its own: the throttle counts the proxy
    r = proxy.post("/login", headers={"X-Forwarded-For": xff}, data={
        "username": name, "password": "wrong-password", "csrf_token": csrf_of(proxy)})
    assert r.status_code == 401
    ips = [r.f_ip for r in caplog.records if r.getMessage() == "login_failed"]
    assert ips and all(ip == PROXY for ip in ips), ips  # the peer's address, not the text
    with db.session() as s:  # and so is the address the throttle keeps
        assert s.scalar(select(LoginAttemptRow.ip).order_by(LoginAttemptRow.id.desc())
                        .limit(1)) == PROXY


def test_a_proxys_address_forms_count_as_one_client(env, caplog):
    client, _, db, home = env
    app = make_client(db, home, trusted_proxies="10.0.0.0/8").app
    proxy = TestClient(app, follow_redirects=False, client=(PROXY, 4000))
    caplog.set_level(logging.INFO, logger="lantu.security")
    for xff in ("203.0.113.9", " ::ffff:203.0.113.9", "203.0.113.9, 10.9.9.9"):
        proxy.post("/login", headers={"X-Forwarded-For": xff}, data={
            "username": "supervisor", "password": "wrong-password",
            "csrf_token": csrf_of(proxy)})
    ips = [r.f_ip for r in caplog.records if r.getMessage() == "login_failed"]
    assert ips == ["203.0.113.9"] * 3
