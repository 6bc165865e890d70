"""probe11: one user cannot hold a worker with costly builds.

A monitoring report is seconds of a worker's CPU (2–5 s for one DOCX on the default). One
viewer asking for eight at once (eight browser tabs, a script) had all eight built side by side:
25–27 s each, the worker held for 27 s and every other user's page waiting behind them (the
probe, SQLite and PostgreSQL alike). Now a user — or an address, signed out — has one costly
build running at a time (``deps.one_build_at_a_time``, declared with ``OneBuild`` on the report
downloads, the task table, ``/api/v1/evaluation`` and ``/api/v1/index``): another asked
meanwhile is a 429 with ``Retry-After`` at once, before it costs anything; other users are not
held up by it. The tests failed on the code before (both requests were built).
"""

from __future__ import annotations

import threading

import pytest

from lantu.store import users
from webutil import login, make_client


@pytest.fixture()
def env(web_db, tmp_path):
    with web_db.session() as s:
        tokens = {u: users.create_api_token(s, u, "probe11") for u in ("viewer", "analyst")}
    with make_client(web_db, tmp_path / "home") as client:
        yield client, {u: {"Authorization": f"Bearer {t}"} for u, t in tokens.items()}


class _Held:
    """Replaces a build by one that waits until released (so a second request arrives while
    the first is being built); counts how many builds began."""

    def __init__(self, real) -> None:
        self.real, self.began, self.release = real, 0, threading.Event()
        self.inside = threading.Event()
        self.lock = threading.Lock()

    def __call__(self, *args, **kwargs):
        with self.lock:
            self.began += 1
        self.inside.set()
        assert self.release.wait(30)
        return self.real(*args, **kwargs)


def _in_thread(fn) -> tuple[threading.Thread, list]:
    out: list = []
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    return thread, out


def test_a_second_report_of_one_user_waits_for_the_first_and_others_are_not_held(
        env, monkeypatch):
    from lantu.reports import service

    client, headers = env
    held = _Held(service.monitoring_report)
    monkeypatch.setattr(service, "monitoring_report", held)
    first, out = _in_thread(lambda: client.get("/reports/monitoring?region=140100&period=2023",
                                               headers=headers["viewer"]))
    assert held.inside.wait(30)
    # the same user, by token or by a signed-in page: refused at once, nothing built
    r = client.get("/reports/monitoring?region=140100&period=2022", headers=headers["viewer"])
    assert r.status_code == 429, r.text[:300]
    assert r.headers["retry-after"] == "5"
    assert held.began == 1
    page_client = make_client(client.app.state.database, client.app.state.settings.home)
    login(page_client, "viewer")
    r = page_client.get("/reports/monitoring?region=140100&period=2021")
    assert r.status_code == 429 and r.headers["retry-after"] == "5"
    assert "请 5 秒后再试" in r.text
    # another user is built beside it
    other, other_out = _in_thread(lambda: client.get(
        "/reports/monitoring?region=140100&period=2022", headers=headers["analyst"]))
    for _ in range(300):
        if held.began == 2:
            break
        threading.Event().wait(0.1)
    assert held.began == 2
    held.release.set()
    first.join(60)
    other.join(60)
    assert out[0].status_code == 200 and other_out[0].status_code == 200
    # once the first is done, the user builds again
    r = client.get("/reports/monitoring?region=140100&period=2022", headers=headers["viewer"])
    assert r.status_code == 200


def test_the_apis_costly_reads_answer_429_in_the_one_error_shape(env, monkeypatch):
    from lantu import evaluation

    client, headers = env
    held = _Held(evaluation.evaluate)
    monkeypatch.setattr(evaluation, "evaluate", held)
    first, out = _in_thread(lambda: client.get("/api/v1/evaluation?region=140100&year=2023",
                                               headers=headers["analyst"]))
    assert held.inside.wait(30)
    for path in ("/api/v1/evaluation?region=140200&year=2022", "/api/v1/index?year=2022",
                 "/reports/tasks.xlsx"):
        r = client.get(path, headers=headers["analyst"])
        assert r.status_code == 429, (path, r.text[:300])
        if path.startswith("/api/"):
            assert r.json()["error"] == "too_many_requests"
            assert r.headers["retry-after"] == "5"
    held.release.set()
    first.join(60)
    assert out[0].status_code == 200
    assert client.get("/api/v1/index?year=2022", headers=headers["analyst"]).status_code == 200


def test_a_refused_build_is_a_security_event(env, monkeypatch, caplog):
    from lantu.reports import service

    client, headers = env
    held = _Held(service.task_table)
    monkeypatch.setattr(service, "task_table", held)
    first, _ = _in_thread(lambda: client.get("/reports/tasks.xlsx", headers=headers["viewer"]))
    assert held.inside.wait(30)
    with caplog.at_level("INFO", logger="lantu.security"):
        assert client.get("/reports/tasks.xlsx", headers=headers["viewer"]).status_code == 429
    held.release.set()
    first.join(60)
    assert any(getattr(r, "event", r.getMessage()) == "build_refused" for r in caplog.records)


def test_a_second_table_of_one_analyst_waits_for_the_first_preview(env, monkeypatch):
    """The neighbours of a report: a table previewed (read and checked: seconds for 100,000
    rows), a text read for review, a policy text outlined — one at a time per user too."""
    from lantu import services
    from webutil import csrf_of

    client, _headers = env
    held = _Held(services.import_file)
    monkeypatch.setattr(services, "import_file", held)
    login(client, "analyst")
    csrf = csrf_of(client, "/import")
    table = "region_code,indicator,period,value,unit\n140100,gdp,2023,5573.74,亿元\n"

    def preview():
        return client.post("/import", data={"csrf_token": csrf},
                           files={"file": ("t.csv", table.encode(), "text/csv")})

    first, out = _in_thread(preview)
    assert held.inside.wait(30)
    r = preview()
    assert r.status_code == 429 and r.headers["retry-after"] == "5"
    r = client.post("/review", data={"csrf_token": csrf, "region": "140100", "year": "2023"},
                    files={"file": ("t.txt", "全市地区生产总值5573.74亿元。".encode(), "text/plain")})
    assert r.status_code == 429
    held.release.set()
    first.join(60)
    assert out[0].status_code == 200, out[0].text[-300:]
    assert held.began == 1
