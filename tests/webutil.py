"""Helpers shared by the web tests: a fresh database with the default and demo users, a
TestClient per test, login and CSRF helpers."""

from __future__ import annotations

import os

os.environ.setdefault("LANTU_PASSWORD_PROFILE", "test")  # before lantu.store.users is imported

import contextlib  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402

from lantu.config import Settings  # noqa: E402
from lantu.store import Database  # noqa: E402
from lantu.web.app import create_app  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def build_template_db(path: Path, default_template: Path) -> None:
    """A copy of the default's template with the demo users added."""
    from lantu.cli.web import demo_logins

    shutil.copyfile(default_template, path)
    db = Database(f"sqlite:///{path}")
    demo_logins(db)
    db.dispose()


def fresh_db(template: Path, tmp_path: Path) -> Database:
    target = tmp_path / "lantu.db"
    shutil.copyfile(template, target)
    return Database(f"sqlite:///{target}")


def backend_db(request, web_template_db: Path, tmp: Path) -> Database:
    """The database of a module's ``params=["sqlite", "postgresql"]`` fixture: a copy of the
    web template on SQLite, or a fresh PostgreSQL schema with the default and the demo users."""
    if request.param == "sqlite":
        return fresh_db(web_template_db, tmp)
    return request.getfixturevalue("postgres_demo_db_factory")()


def backend_with_tokens(request, web_template_db: Path, tmp: Path, names: tuple[str, ...],
                        label: str | None = None) -> tuple[Database, dict[str, dict[str, str]]]:
    """:func:`backend_db` and a bearer header for each of the users ``names``."""
    from lantu.store import users

    db = backend_db(request, web_template_db, tmp)
    with db.session() as s:
        tokens = {u: users.create_api_token(s, u, label or tmp.name) for u in names}
    return db, {u: {"Authorization": f"Bearer {t}"} for u, t in tokens.items()}


@contextlib.contextmanager
def backend_app(request, web_template_db: Path, tmp: Path, token_users: tuple[str, ...],
                label: str) -> Iterator[tuple[TestClient, dict, Database, Path]]:
    """The app of a module's ``params=["sqlite", "postgresql"]`` fixture: (client, bearer
    headers of ``token_users``, database, home); the database is disposed afterwards."""
    db, headers = backend_with_tokens(request, web_template_db, tmp, token_users, label)
    try:
        home = tmp / "home"
        with make_client(db, home) as client:
            yield client, headers, db, home
    finally:
        db.dispose()


def count_password_checks(monkeypatch) -> list[str]:
    """The passwords ``lantu.store.users`` verifies from now on (every thread), in a list."""
    import threading

    from lantu.store import users

    checked: list[str] = []
    lock = threading.Lock()
    real = users.verify_password

    def counting(stored, password):
        with lock:
            checked.append(password)
        return real(stored, password)

    monkeypatch.setattr(users, "verify_password", counting)
    return checked


def make_client(db: Database, home: Path, **settings) -> TestClient:
    app = create_app(db, Settings(home=home, **settings))
    return TestClient(app, follow_redirects=False)


def csrf_of(client: TestClient, path: str = "/login") -> str:
    r = client.get(path)
    m = CSRF_RE.search(r.text)
    assert m, f"no CSRF field on {path} (status {r.status_code})"
    return m.group(1)


def login(client: TestClient, username: str, password: str | None = None) -> None:
    client.cookies.clear()
    token = csrf_of(client, "/login")
    r = client.post("/login", data={"username": username,
                                    "password": password or f"{username}-demo-2026",
                                    "csrf_token": token, "next": "/supervision"})
    assert r.status_code == 303, (r.status_code, r.text[:500])


@contextlib.contextmanager
def live_server(app) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free local port in a thread; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


# -- fixtures (registered for all tests by ``pytest_plugins`` in conftest.py) ----------------

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def web_template_db(tmp_path_factory, default_db_template) -> Path:
    """A SQLite file with the default and the demo users, built once; tests copy it."""
    path = tmp_path_factory.mktemp("webtemplate") / "template.db"
    build_template_db(path, default_db_template)
    return path


@pytest.fixture()
def web_db(web_template_db, tmp_path):
    db = fresh_db(web_template_db, tmp_path)
    yield db
    db.dispose()


@pytest.fixture()
def client(web_db, tmp_path):
    with make_client(web_db, tmp_path / "home") as c:
        yield c


def task_ids(db: Database, lead: str) -> list[int]:
    """Ids of the tasks a department leads (in plan order)."""
    from sqlalchemy import select

    from lantu.store.models import PlanNodeRow

    with db.session() as s:
        return list(s.scalars(select(PlanNodeRow.id).where(
            PlanNodeRow.kind == "task", PlanNodeRow.lead_department == lead)
            .order_by(PlanNodeRow.position)))


def post(client: TestClient, path: str, data: dict | None = None, files=None,
         csrf_page: str = "/supervision"):
    """POST with the session's CSRF token (read from ``csrf_page``)."""
    token = csrf_of(client, csrf_page)
    return client.post(path, data={**(data or {}), "csrf_token": token}, files=files)


def report_id(db: Database, node_id: int, dept: str, month: str) -> int:
    from sqlalchemy import select

    from lantu.store.models_web import ProgressReportRow

    with db.session() as s:
        return s.scalar(select(ProgressReportRow.id).where(
            ProgressReportRow.node_id == node_id, ProgressReportRow.department_code == dept,
            ProgressReportRow.month == month))


def foreign_task(db: Database, dept: str) -> int:
    """A task that ``dept`` neither leads nor supports."""
    from sqlalchemy import select

    from lantu.store import supervision as sv
    from lantu.store.models import PlanNodeRow

    with db.session() as s:
        for node_id in s.scalars(select(PlanNodeRow.id).where(
                PlanNodeRow.kind == "task", PlanNodeRow.lead_department.is_not(None))
                .order_by(PlanNodeRow.position)):
            if dept not in sv.task_departments(s, node_id):
                return node_id
    raise LookupError(f"every task involves {dept}")


@contextlib.contextmanager
def served_workers(url: str, home: Path, *, workers: int = 2) -> Iterator[str]:
    """``lantu serve --workers N`` on ``url`` in a subprocess; yields its base URL once
    ``/healthz`` answers and N worker processes run; stops it (its process group) afterwards.

    The server's output goes to ``home/server.log``, never to a pipe nobody reads: the security
    log writes a line per token use, and a full pipe (64 KiB) would block the workers mid-request.
    """
    import signal
    import socket
    import subprocess
    import sys
    import time

    import httpx
    import pytest

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "LANTU_HOME": str(home / "home"), "LANTU_PASSWORD_PROFILE": "test"}
    server_log = home / "server.log"
    with server_log.open("wb") as log:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("lantu")), "serve", "--db", url, "--host",
             "127.0.0.1", "--port", str(port), "--workers", str(workers)],
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
                    pytest.fail(f"lantu serve --workers {workers} did not start: {out[-2000:]}")
                time.sleep(0.2)
            found = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                   text=True).stdout.split()
            assert len(found) >= workers, f"expected {workers} worker processes, found {found}"
            yield base
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def report_version(db: Database, node_id: int, dept: str, month: str) -> int:
    """The version of a department's report on a task for a month, as its form carries it (0
    when there is none yet): every edit says the version it was made from."""
    from sqlalchemy import select

    from lantu.store.models_web import ProgressReportRow

    with db.session() as s:
        return s.scalar(select(ProgressReportRow.version).where(
            ProgressReportRow.node_id == node_id, ProgressReportRow.department_code == dept,
            ProgressReportRow.month == month)) or 0


def review(client: TestClient, db: Database, rid: int, data: dict):
    """Review report ``rid`` with the version its review form carries (read from the database)."""
    from lantu.store.models_web import ProgressReportRow

    with db.session() as s:
        row = s.get(ProgressReportRow, rid)
        version = row.version if row is not None else 0
    return post(client, f"/supervision/reports/{rid}/review", {**data, "version": version})


def form_version(client: TestClient, page: str, headers: dict | None = None) -> dict:
    """``{"version": …}`` as the (first) form on ``page`` carries it, as a browser would send
    it back; empty when the page shows no such form."""
    m = re.search(r'name="version" value="(\d+)"', client.get(page, headers=headers).text)
    return {"version": m.group(1)} if m else {}


def task_with_part(client: TestClient, auth: dict, title: str) -> tuple[int, int]:
    """A task of the fiscal bureau (``czj``) made by the admin, and a unit's part of it made by
    the bureau's reporter, through the API: their ids."""
    r = client.post("/api/v1/tasks", headers=auth["admin"], json={
        "plan": "taiyuan-2021-11", "kind": "task", "title": title, "lead_department": "czj"})
    assert r.status_code == 201, r.text
    task = r.json()["id"]
    r = client.post("/api/v1/tasks", headers=auth["rep_czj"], json={
        "plan": "taiyuan-2021-11", "parent": task, "title": f"{title}·分解", "unit": "一处"})
    assert r.status_code == 201, r.text
    return task, r.json()["id"]
