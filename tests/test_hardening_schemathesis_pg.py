"""Schemathesis over the whole API on PostgreSQL with two workers (issue 12): ``lantu serve
--workers 2`` on a PostgreSQL database with the default, generated requests over HTTP — NUL
bytes, huge ids, odd strings — never give a 5xx, every answer matches the schema, and a bad
request does not leave the server unable to answer the next one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from apicheck import check_api_conforms
from lantu import services
from lantu.store import Database, users

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def pg_server(postgres_db_factory, tmp_path_factory):
    """``lantu serve --workers 2`` on a fresh PostgreSQL database with the default and the demo
    logins; yields the base URL and an analyst's API token."""
    from lantu.cli.web import demo_logins

    db = Database(postgres_db_factory())
    db.migrate()
    services.init_default(db)
    demo_logins(db)
    with db.session() as s:
        token = users.create_api_token(s, "analyst", "schemathesis")
    url = db.url
    db.dispose()
    port = _free_port()
    home = tmp_path_factory.mktemp("stpg")
    env = {**os.environ, "LANTU_HOME": str(home / "home"), "LANTU_PASSWORD_PROFILE": "test"}
    # the server's output goes to a file, never to a pipe nobody reads: the security log writes
    # a line per token use, and a full pipe (64 KiB) would block the workers mid-request
    server_log = home / "server.log"
    log = server_log.open("wb")
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("lantu")), "serve", "--db", url, "--host",
         "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = server_log.read_text(errors="replace")
                pytest.fail(f"lantu serve --workers 2 did not start: {out[-2000:]}")
            time.sleep(0.2)
        workers = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                 text=True).stdout.split()
        assert len(workers) >= 2, f"expected 2 worker processes, found {workers}"
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_api_on_postgresql_with_two_workers_never_answers_5xx(pg_server):
    base, token = pg_server

    def still_answers(label: str) -> None:
        # after whatever the operation was sent, a new connection is answered at once
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200, label

    # 20 derandomized cases per operation over HTTP: every route, within a minute; the
    # in-process run on SQLite (test_api_schemathesis) sends 25 per operation, and the NUL bytes
    # and out-of-range ids PostgreSQL refuses are also sent on purpose (test_hardening_edge)
    assert check_api_conforms(None, token, url=base, examples=20, after=still_answers) >= 12
