"""A proxy that writes the client's port into ``X-Forwarded-For`` — ``203.0.113.5:4711`` (Azure's
gateways, IIS ARR), ``[2001:db8::1]:443`` (RFC 7239's way of writing an IPv6 address beside a
port) — was not believed at all: every client behind it counted as the proxy, one login
throttle for the whole city. The proxy is trusted (``LANTU_TRUSTED_PROXIES``) and vouches for the
address; the port is the client's source port, not who the client is. Now the address is read
with its port dropped, in the one place the header is read (``edge.forwarded_address``); a name,
text, a zone (``fe80::1%eth0``) or a port out of range still end what is believed. SQLite and
PostgreSQL; the tests of ports failed on the code before.
"""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lantu.store.models_web import LoginAttemptRow
from lantu.web.edge import forwarded_address
from webutil import backend_app, csrf_of, make_client

PROXY = "10.1.2.3"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("seams9p"), (),
                     "seams9p") as app:
        yield app


def _failed_login_from_proxy(env, xff: str | bytes, caplog, name: str) -> tuple[list[str], str]:
    _, _, db, home = env
    app = make_client(db, home, trusted_proxies="10.0.0.0/8").app
    proxy = TestClient(app, follow_redirects=False, client=(PROXY, 4000))
    caplog.clear()
    caplog.set_level(logging.INFO, logger="lantu.security")
    r = proxy.post("/login", headers={"X-Forwarded-For": xff}, data={
        "username": name, "password": "wrong-password", "csrf_token": csrf_of(proxy)})
    assert r.status_code == 401
    ips = [r.f_ip for r in caplog.records if r.getMessage() == "login_failed"]
    with db.session() as s:
        kept = s.scalar(select(LoginAttemptRow.ip).order_by(LoginAttemptRow.id.desc()).limit(1))
    return ips, kept


@pytest.mark.parametrize("xff, client, counted", [
    ("203.0.113.5:4711", "203.0.113.5", "203.0.113.5"),
    ("[2001:db8::1]:443", "2001:db8::1", "2001:db8::/64"),  # an IPv6 client counts by its /64
    ("[2001:db8::1]", "2001:db8::1", "2001:db8::/64"),
    ("[::ffff:203.0.113.5]:80", "203.0.113.5", "203.0.113.5"),
    ("198.51.100.7:1, 10.9.9.9:8080", "198.51.100.7", "198.51.100.7"),  # a trusted hop's port
    (" 203.0.113.5:65535 ", "203.0.113.5", "203.0.113.5"),
])
def test_an_address_with_its_port_is_the_client(env, xff, client, counted, caplog):
    ips, kept = _failed_login_from_proxy(env, xff, caplog, f"port{abs(hash(xff)) % 10**6}")
    assert ips == [client]
    assert kept == counted  # the throttle counts the client, not the proxy


@pytest.mark.parametrize("xff", [
    "203.0.113.5:0", "203.0.113.5:65536", "203.0.113.5:", "203.0.113.5:80:80", "[203.0.113.5]:80",
    "[2001:db8::1", "2001:db8::1]:443", "fe80::1%eth0", "fe80::1%25eth0", "evil.example:443",
    "203.0.113.5:８０".encode(), "203.0.113.5 :80",
])
def test_what_is_no_address_with_a_port_is_still_not_believed(env, xff, caplog):
    ips, kept = _failed_login_from_proxy(env, xff, caplog, f"noport{abs(hash(xff)) % 10**6}")
    assert ips == [PROXY] and kept == PROXY


def test_a_bare_ipv6_address_is_read_whole():
    """``2001:db8::1:443`` is itself an address (eight groups written short): the port of an
    IPv6 address is written in brackets, so nothing is cut off a bare one."""
    assert forwarded_address(b"2001:db8::1:443") == "2001:db8::1:443"
    assert forwarded_address(b"2001:db8::1") == "2001:db8::1"
